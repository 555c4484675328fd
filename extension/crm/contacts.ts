/**
 * Finding the contacts visible on a CRM page. A contact is a link whose URL the adapter recognises as a contact record.
 * Its e-mail, phone and job title are read from the link's "row": the largest composed ancestor that still belongs to
 * that contact alone (stopping at list/table/landmark boundaries, at another contact's link, and at foreign headings),
 * so nothing depends on CSS class names or element positions.
 */
import { classifyCardLines, emailInText } from "./card-lines";
import { cellUnder, inTable } from "./columns";
import { composedAncestors, composedParent, deepQueryAll, deepText, elementValue, type QueryRoot } from "./dom";
import { type FieldSelector, readField, readLabelled } from "./fields";
import type { LabelKind } from "./labels";
import { contactRegions, outOfScope } from "./scope";
import { cleanText, emailFromMailto, LIMITS, parseEmail, parsePhone, phoneFromTelHref } from "./text";
import type { PageContact } from "./types";

export interface ContactRule {
  /** The CRM contact id when this (absolute, same-origin) link URL is a contact record; else null. */
  contactIdFromUrl(link: URL): string | null;
  /** Where a contact row shows the job title / e-mail / phone when they are not `mailto:`/`tel:` links. */
  titleFields?: readonly FieldSelector[];
  emailFields?: readonly FieldSelector[];
  phoneFields?: readonly FieldSelector[];
  /** The regions that list the account's contacts, where the CRM marks them (besides their headings and labels). */
  regions?: string;
  /** Parts of the page that never list the account's contacts (timelines, other records' widgets), besides ARIA ones. */
  exclude?: string;
}

/** Most contacts reported for one page. */
export const MAX_CONTACTS = 200;
/** Most levels a contact's row extends above its link when no list/table row element is found. */
const MAX_ROW_DEPTH = 6;
/** Most levels searched above a link for a list/table row element (`tr`, `li`, `role="row"` …). */
const MAX_ROW_SEARCH_DEPTH = 24;

const ROW = 'tr, li, article, [role="row"], [role="listitem"], [role="article"]';
const BOUNDARY = [
  "body, html, table, thead, tbody, tfoot, ul, ol, section, aside, main, nav, form, fieldset, dialog",
  ..."grid treegrid table rowgroup list feed tablist tabpanel region dialog main complementary navigation form"
    .split(" ")
    .map((role) => `[role="${role}"]`),
].join(", ");
const HEADING = 'h1, h2, h3, h4, h5, h6, [role="heading"]';

const GENERIC_TITLE_FIELDS: readonly FieldSelector[] = [
  '[itemprop="jobTitle"]',
  '[data-field-name="title"]',
  '[data-field-name="jobtitle"]',
  '[data-field-name="job_title"]',
  '[data-field="title"]',
  '[data-field="jobTitle"]',
];
const GENERIC_EMAIL_FIELDS: readonly FieldSelector[] = [
  '[itemprop="email"]',
  '[data-field-name="email"]',
  '[data-field="email"]',
];
const GENERIC_PHONE_FIELDS: readonly FieldSelector[] = [
  '[itemprop="telephone"]',
  '[data-field-name="phone"]',
  '[data-field="phone"]',
];

interface Occurrence {
  link: Element;
  id: string;
  /** the contact's row: usually one element; several for grids that split a row (pinned columns) */
  rows: Element[];
  structured: boolean;
}

/** Same-origin `<a href>` elements (deep, visible, in scope: see scope.ts) that are contact links, with their ids. */
function contactLinks(root: QueryRoot, pageUrl: URL, rule: ContactRule): Array<{ link: Element; id: string }> {
  const out: Array<{ link: Element; id: string }> = [];
  for (const link of deepQueryAll(root, "a[href]")) {
    const href = link.getAttribute("href") ?? "";
    if (href.length > 2048) continue;
    let resolved: URL;
    try {
      resolved = new URL(href, pageUrl);
    } catch {
      continue;
    }
    if (resolved.origin !== pageUrl.origin) continue;
    const id = rule.contactIdFromUrl(resolved);
    if (id && !outOfScope(link, rule.exclude)) out.push({ link, id });
  }
  // Where the page has lists of the account's contacts, only they count (not mentions elsewhere on the page).
  const regions = contactRegions(
    root,
    out.map((o) => o.link),
    rule.regions,
  );
  if (regions.length === 0) return out;
  return out.filter(({ link }) => composedAncestors(link).some((a) => regions.includes(a)));
}

/** The contact name a link shows: its text, else its `aria-label` / `title`, else an image's `alt`. */
function linkName(link: Element): { name: string | null; fromText: boolean } {
  const text = cleanText(deepText(link, 1000), LIMITS.name);
  if (text) return { name: text, fromText: true };
  const img = link.querySelector("img[alt]");
  const label = link.getAttribute("aria-label") ?? link.getAttribute("title") ?? img?.getAttribute("alt") ?? null;
  return { name: cleanText(label, LIMITS.name), fromText: false };
}

/** Rows of a grid that share the row's `aria-rowindex`/`row-index` (grids that render pinned columns separately). */
function splitRows(row: Element): Element[] {
  const index = row.getAttribute("aria-rowindex") ?? row.getAttribute("row-index");
  if (index === null) return [row];
  const grid = composedAncestors(row).find((a) => a.matches('[role="grid"], [role="treegrid"], [role="table"], table'));
  if (!grid) return [row];
  const rows = deepQueryAll(grid, '[role="row"], tr').filter(
    (r) => (r.getAttribute("aria-rowindex") ?? r.getAttribute("row-index")) === index,
  );
  return rows.includes(row) ? rows : [row, ...rows];
}

function firstInRows<T>(rows: readonly Element[], read: (row: Element) => T | null): T | null {
  for (const row of rows) {
    const value = read(row);
    if (value !== null) return value;
  }
  return null;
}

function hrefValue(rows: readonly Element[], parse: (href: string) => string | null): string | null {
  return firstInRows(rows, (row) => {
    for (const a of deepQueryAll(row, "a[href]")) {
      const value = parse(a.getAttribute("href") ?? "");
      if (value) return value;
    }
    return null;
  });
}

/** A field of a contact's row: the adapter's selectors, then the column under a header naming it, then a label. */
function rowField<T>(
  rows: readonly Element[],
  kind: LabelKind,
  fields: readonly FieldSelector[],
  parse: (raw: string) => T | null,
): T | null {
  return (
    firstInRows(rows, (row) => readField(row, fields, (f) => parse(f.value))) ??
    firstInRows(rows, (row) => {
      const cell = cellUnder(row, kind);
      return cell ? parse(elementValue(cell)) : null;
    }) ??
    firstInRows(rows, (row) => readLabelled(row, kind, parse))
  );
}

function readContactFields(occurrence: Occurrence, rule: ContactRule, name: string | null) {
  const { rows } = occurrence;
  const email =
    hrefValue(rows, emailFromMailto) ??
    rowField(rows, "email", [...(rule.emailFields ?? []), ...GENERIC_EMAIL_FIELDS], parseEmail) ??
    firstInRows(rows, (row) => emailInText(deepText(row, 5000)));
  const phone =
    hrefValue(rows, phoneFromTelHref) ??
    rowField(rows, "phone", [...(rule.phoneFields ?? []), ...GENERIC_PHONE_FIELDS], parsePhone);
  const parseTitle = (raw: string) => {
    const title = cleanText(raw, LIMITS.title);
    return title && title !== name && title !== email && title !== phone && !emailInText(title) ? title : null;
  };
  // A card without labels or columns: the line after the name (see card-lines.ts).
  const title =
    rowField(rows, "title", [...(rule.titleFields ?? []), ...GENERIC_TITLE_FIELDS], parseTitle) ??
    firstInRows(rows, (row) =>
      !inTable(row) && name ? parseTitle(classifyCardLines(row, name, [email, phone]).title ?? "") : null,
    );
  return { email, phone, title };
}

/**
 * The contacts linked from the visible part of `root`, each reported once (by CRM contact id: every contact found here
 * comes from a contact-record link, so the e-mail fallback of the product rule never applies) in order of first
 * appearance. When a contact is linked several times, the occurrence whose row shows the most (e-mail, phone, title)
 * provides the anchor and the fields; fields it lacks are taken from the other occurrences.
 */
export function collectContacts(root: QueryRoot, pageUrl: URL, rule: ContactRule): PageContact[] {
  const links = contactLinks(root, pageUrl, rule);
  if (links.length === 0) return [];

  // For each composed ancestor: which contacts it contains, and which headings (with the contacts inside them).
  const contactsBelow = new Map<Element, Set<string>>();
  for (const { link, id } of links) {
    for (const a of composedAncestors(link)) {
      const set = contactsBelow.get(a);
      if (set) set.add(id);
      else contactsBelow.set(a, new Set([id]));
    }
  }
  const headingsBelow = new Map<Element, Element[]>();
  for (const heading of deepQueryAll(root, HEADING)) {
    for (let a = composedParent(heading); a; a = composedParent(a)) {
      const list = headingsBelow.get(a);
      if (list) list.push(heading);
      else headingsBelow.set(a, [heading]);
    }
  }
  const foreignHeading = (ancestor: Element, id: string) =>
    (headingsBelow.get(ancestor) ?? []).some((h) => !(contactsBelow.get(h)?.has(id) ?? false));

  const occurrences: Occurrence[] = links.map(({ link, id }) => {
    // Climb while the ancestor still belongs to this contact alone. A list/grid row ends the climb (generous depth:
    // Lightning nests a dozen wrappers inside a table cell); without one, stay within a few levels of the link.
    const path: Element[] = [link];
    let row: Element | null = null;
    for (let el = link; path.length <= MAX_ROW_SEARCH_DEPTH; ) {
      if (el !== link && el.matches(ROW)) {
        row = el;
        break;
      }
      const parent = composedParent(el);
      if (!parent || parent.matches(BOUNDARY)) break;
      if ((contactsBelow.get(parent)?.size ?? 0) > 1) break;
      if (foreignHeading(parent, id)) break;
      path.push(parent);
      el = parent;
    }
    if (row) return { link, id, rows: splitRows(row), structured: true };
    return { link, id, rows: [path[Math.min(path.length, MAX_ROW_DEPTH + 1) - 1] ?? link], structured: false };
  });

  // Group by contact id, keeping first-appearance order of contacts.
  const order: string[] = [];
  const byId = new Map<string, Occurrence[]>();
  for (const occurrence of occurrences) {
    const list = byId.get(occurrence.id);
    if (list) list.push(occurrence);
    else {
      byId.set(occurrence.id, [occurrence]);
      order.push(occurrence.id);
    }
  }

  const contacts: PageContact[] = [];
  for (const id of order) {
    // Rank this contact's occurrences: the row that shows the most about the contact first (its contact card or
    // list row rather than an activity-feed mention), then list/grid rows, then links showing text, then page order.
    const ranked = (byId.get(id) ?? [])
      .map((o, index) => {
        const named = linkName(o.link);
        const fields = readContactFields(o, rule, named.name);
        const filled = Number(fields.email !== null) + Number(fields.phone !== null) + Number(fields.title !== null);
        return { o, index, ...named, fields, filled };
      })
      .sort(
        (a, b) =>
          b.filled - a.filled ||
          Number(b.o.structured) - Number(a.o.structured) ||
          Number(b.fromText) - Number(a.fromText) ||
          a.index - b.index,
      );
    const best = ranked[0];
    if (!best) continue;
    // Prefer a link showing the name in the best row (e.g. the name link next to an avatar link).
    const anchorOccurrence = ranked.find((r) => r.fromText && r.o.rows[0] === best.o.rows[0]) ?? best;
    const nameOccurrence = best.fromText ? best : (ranked.find((r) => r.fromText) ?? ranked.find((r) => r.name));
    const contact: PageContact = {
      name: nameOccurrence?.name ?? "",
      email: null,
      title: null,
      phone: null,
      crmContactId: cleanText(id, LIMITS.recordId),
      anchor: anchorOccurrence.o.link,
    };
    for (const r of ranked) {
      contact.email ??= r.fields.email;
      contact.phone ??= r.fields.phone;
      contact.title ??= r.fields.title !== contact.name ? r.fields.title : null;
    }
    if (!contact.name) contact.name = contact.email ?? "";
    if (!contact.name) continue; // nothing to show for it
    contacts.push(contact);
    if (contacts.length >= MAX_CONTACTS) break;
  }
  return contacts;
}
