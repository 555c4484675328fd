/**
 * Measuring the adapters on every saved CRM page against its hand-written ground truth (`<fixture>.truth.json`
 * beside each page in test/fixtures/crm): account detection, the account's contacts, controls outside them, and the
 * names, websites, titles and e-mails the pages show, plus how many contacts with a title get a role pre-chosen by
 * the default role template. Used by crm-pages.test.ts (the thresholds) and `npm run measure:pages` (the table).
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type CustomAdapterConfig, createCustomAdapter } from "../../../extension/crm/custom";
import { deepQueryAll } from "../../../extension/crm/dom";
import { adapterForUrl } from "../../../extension/crm/index";
import type { AccountPage } from "../../../extension/crm/types";
import { DEFAULT_TEMPLATE } from "../../../server/seed/demo-config";
import { chooseRole, ruleSubject } from "../../../shared/domain/role-rules";
import { loadFixture } from "./fixture";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/crm");

/** A page's ground truth, written by hand from the page (never from what an adapter reads). */
export interface PageTruth {
  crm: string;
  url: string;
  /** what the page is an example of: "console-tabs", "error-page", "datatable-headers", "colon-labels" … */
  situations: string[];
  /** for self-hosted CRMs: the configuration the user would enter */
  custom?: CustomAdapterConfig;
  /** null: not an account page (another record, a list, an error page) */
  account: { recordId: string; name: string | null; website: string | null } | null;
  /** the account's contacts the page shows; title/email null when the page does not show them */
  contacts: Array<{ id: string; name: string; title: string | null; email: string | null }>;
  /** contact links that must get no control: the n-th link (1-based, page order) with this href */
  noControl: Array<{ href: string; occurrence: number; why: string }>;
}

export interface PageResult {
  fixture: string;
  truth: PageTruth;
  read: AccountPage | null;
  detected: boolean;
  contactsFound: number;
  /** controls the extension would place outside the account's contacts (unexpected contacts, anchors on noControl links) */
  outside: string[];
  names: [number, number];
  websites: [number, number];
  titles: [number, number];
  emails: [number, number];
  rolePreChosen: [number, number];
  misses: string[];
}

export function truthFiles(): string[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith(".truth.json"))
    .sort();
}

export function loadTruth(file: string): PageTruth {
  return JSON.parse(readFileSync(join(FIXTURES, file), "utf8")) as PageTruth;
}

const roles = DEFAULT_TEMPLATE.roles.map((r, i) => ({ ...r, priority: i, conditions: r.conditions ?? null }));

/** The role the default template pre-chooses for a contact read from a page (title and e-mail only). */
export function preChosenRole(title: string | null, email: string | null): string | null {
  return chooseRole(ruleSubject({ jobTitle: title, email }), roles)?.role.key ?? null;
}

export async function measurePage(truthFile: string): Promise<PageResult> {
  const truth = loadTruth(truthFile);
  const fixture = truthFile.replace(/\.truth\.json$/, ".html");
  const page = loadFixture(fixture, truth.url);
  try {
    const custom = truth.custom ? [createCustomAdapter(truth.custom)] : [];
    const adapter = adapterForUrl(page.url, custom);
    const read = adapter?.read(page.url, page.document) ?? null;
    const misses: string[] = [];
    const result: PageResult = {
      fixture,
      truth,
      read,
      detected: truth.account === null ? read === null : read?.recordId === truth.account.recordId,
      contactsFound: 0,
      outside: [],
      names: [0, 0],
      websites: [0, 0],
      titles: [0, 0],
      emails: [0, 0],
      rolePreChosen: [0, 0],
      misses,
    };
    if (!result.detected) misses.push(`account: expected ${truth.account?.recordId ?? "none"}, read ${read?.recordId ?? "none"}`);
    const count = (pair: [number, number], ok: boolean, what: string) => {
      pair[1]++;
      if (ok) pair[0]++;
      else misses.push(what);
    };
    if (truth.account) {
      if (truth.account.name !== null)
        count(result.names, read?.name === truth.account.name, `account name: ${read?.name} ≠ ${truth.account.name}`);
      if (truth.account.website !== null)
        count(result.websites, read?.domain === truth.account.website, `website: ${read?.domain} ≠ ${truth.account.website}`);
    }
    const reported = read?.contacts ?? [];
    for (const expected of truth.contacts) {
      const got = reported.find((c) => c.crmContactId === expected.id);
      if (got) result.contactsFound++;
      else misses.push(`contact not found: ${expected.name}`);
      count(result.names, got?.name === expected.name, `contact name: ${got?.name} ≠ ${expected.name}`);
      if (expected.title !== null) {
        count(result.titles, got?.title === expected.title, `title of ${expected.name}: ${got?.title} ≠ ${expected.title}`);
        const role = got ? preChosenRole(got.title, got.email) : null;
        count(result.rolePreChosen, role !== null, `no role pre-chosen for ${expected.name} (${got?.title ?? "no title"})`);
      }
      if (expected.email !== null)
        count(result.emails, got?.email === expected.email, `email of ${expected.name}: ${got?.email} ≠ ${expected.email}`);
    }
    const expectedIds = new Set(truth.contacts.map((c) => c.id));
    const links = deepQueryAll(page.document, "a[href]", { includeHidden: true });
    for (const c of reported) {
      if (!expectedIds.has(c.crmContactId ?? "")) result.outside.push(`${c.name} (not the account's contact)`);
      const href = c.anchor.getAttribute("href");
      const occurrence = links.filter((l) => l.getAttribute("href") === href).indexOf(c.anchor) + 1;
      const banned = truth.noControl.find((n) => n.href === href && n.occurrence === occurrence);
      if (banned) result.outside.push(`${c.name} (control on ${banned.why})`);
    }
    misses.push(...result.outside.map((o) => `control outside: ${o}`));
    return result;
  } finally {
    await page.close();
  }
}

export interface Totals {
  pages: number;
  detected: [number, number];
  contacts: [number, number];
  outside: number;
  names: [number, number];
  websites: [number, number];
  titles: [number, number];
  emails: [number, number];
  rolePreChosen: [number, number];
}

export function totals(results: readonly PageResult[]): Totals {
  const add = (a: [number, number], b: [number, number]): [number, number] => [a[0] + b[0], a[1] + b[1]];
  const t: Totals = {
    pages: 0,
    detected: [0, 0],
    contacts: [0, 0],
    outside: 0,
    names: [0, 0],
    websites: [0, 0],
    titles: [0, 0],
    emails: [0, 0],
    rolePreChosen: [0, 0],
  };
  for (const r of results) {
    t.pages++;
    t.detected = add(t.detected, [r.detected ? 1 : 0, 1]);
    t.contacts = add(t.contacts, [r.contactsFound, r.truth.contacts.length]);
    t.outside += r.outside.length;
    t.names = add(t.names, r.names);
    t.websites = add(t.websites, r.websites);
    t.titles = add(t.titles, r.titles);
    t.emails = add(t.emails, r.emails);
    t.rolePreChosen = add(t.rolePreChosen, r.rolePreChosen);
  }
  return t;
}

/** Share as a whole percentage; 100 % when there is nothing to count. */
export function percent([ok, of]: [number, number]): number {
  return of === 0 ? 100 : Math.floor((ok / of) * 1000) / 10;
}

/** The per-CRM table, as printed by `npm run measure:pages`. */
export function table(results: readonly PageResult[]): string {
  const groups = new Map<string, PageResult[]>();
  for (const r of results) {
    const crm = r.truth.crm.startsWith("custom:") ? "custom" : r.truth.crm;
    groups.set(crm, [...(groups.get(crm) ?? []), r]);
  }
  const cell = (p: [number, number]) => `${percent(p)} % (${p[0]}/${p[1]})`;
  const rows = [...groups.entries(), ["all", [...results]] as [string, PageResult[]]].map(([crm, rs]) => {
    const t = totals(rs);
    return [
      crm,
      String(t.pages),
      cell(t.detected),
      cell(t.contacts),
      String(t.outside),
      cell(t.names),
      cell(t.websites),
      cell(t.titles),
      cell(t.emails),
      cell(t.rolePreChosen),
    ];
  });
  const head = ["CRM", "pages", "detection", "contacts", "outside", "names", "websites", "titles", "emails", "role pre-chosen"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}
