/**
 * Reading labelled values (account name, website, a contact's job title …) from stable markup: attribute selectors
 * that CRMs keep stable, `<dt>`/`<dd>` pairs, `<label for>`, `aria-labelledby` and `aria-label`.
 */
import { byIdNear, composedContains, deepQuery, deepQueryAll, deepText, elementValue, type QueryRoot } from "./dom";
import { cleanText, normaliseDomain } from "./text";

/** A CSS selector (matched in every open shadow root), optionally with the attribute that holds the value. */
export type FieldSelector = string | { selector: string; attr: string };

function selectorOf(field: FieldSelector): string {
  return typeof field === "string" ? field : field.selector;
}

/** Raw values of the (innermost) elements matching `fields`, in selector order, then document order. */
export function* fieldValues(root: QueryRoot, fields: readonly FieldSelector[]): Generator<FieldValue> {
  for (const field of fields) {
    const matches = deepQueryAll(root, selectorOf(field));
    // Innermost matches only: a field wrapper that carries the same attribute as its value element (label + value
    // inside) must not be read as the value.
    const innermost = matches.filter((m) => !matches.some((n) => n !== m && composedContains(m, n)));
    for (const el of innermost) {
      if (typeof field !== "string") {
        const attrValue = el.getAttribute(field.attr);
        if (attrValue && attrValue.trim() !== "") yield { el, value: attrValue, fromAttr: true };
      }
      yield { el, value: elementValue(el), fromAttr: false };
    }
  }
}

export interface FieldValue {
  el: Element;
  value: string;
  /** true when `value` is the attribute named by the selector rather than the element's shown value */
  fromAttr: boolean;
}

/** The first value that `parse` accepts, from the elements matching `fields`. */
export function readField<T>(
  root: QueryRoot,
  fields: readonly FieldSelector[],
  parse: (field: FieldValue) => T | null,
): T | null {
  for (const field of fieldValues(root, fields)) {
    const parsed = parse(field);
    if (parsed !== null) return parsed;
  }
  return null;
}

function labelKey(text: string): string {
  return (cleanText(text, 300) ?? "").replace(/[\s:*]+$/, "").toLowerCase();
}

/**
 * Value elements whose label is one of `labels` (compared case-insensitively, ignoring a trailing colon or `*`):
 * `<dt>Label</dt><dd>value</dd>` (also `role="term"`/`role="definition"`), `<label for=…>`, `aria-labelledby`,
 * table cells whose `headers` attribute names a header cell with that text, and controls/links carrying
 * `aria-label="Label"`.
 */
export function labelledElements(root: QueryRoot, labels: readonly string[]): Element[] {
  const wanted = new Set(labels.map(labelKey));
  const out: Element[] = [];
  for (const el of deepQueryAll(root, 'dt, [role="term"], label[for], [aria-label], [aria-labelledby], td[headers]')) {
    const ariaLabel = el.getAttribute("aria-label");
    if (ariaLabel !== null && el.matches(CONTROL) && wanted.has(labelKey(ariaLabel))) {
      out.push(el);
      continue;
    }
    // aria-labelledby="id …", or a table cell's headers="id …" pointing at its column header
    const labelledBy = el.getAttribute("aria-labelledby") ?? (el.localName === "td" ? el.getAttribute("headers") : null);
    if (labelledBy !== null) {
      const text = labelledBy
        .split(/\s+/)
        .filter((id) => id !== "")
        .map((id) => {
          const label = byIdNear(el, id);
          return label ? deepText(label, 300) : "";
        })
        .join(" ");
      if (wanted.has(labelKey(text))) out.push(el);
      continue;
    }
    if (!el.matches('dt, [role="term"], label[for]') || !wanted.has(labelKey(deepText(el, 300)))) continue;
    if (el.localName === "label") {
      const target = byIdNear(el, el.getAttribute("for") ?? "");
      if (target) out.push(target);
      continue;
    }
    for (let next = el.nextElementSibling; next; next = next.nextElementSibling) {
      if (next.matches('dd, [role="definition"]')) {
        out.push(next);
        break;
      }
      if (next.matches('dt, [role="term"]')) break;
    }
  }
  return out;
}

const CONTROL = 'input, textarea, select, a, [role="textbox"]';

/** The first labelled value that `parse` accepts. */
export function readLabelled<T>(
  root: QueryRoot,
  labels: readonly string[],
  parse: (raw: string, el: Element) => T | null,
): T | null {
  if (labels.length === 0) return null;
  for (const el of labelledElements(root, labels)) {
    const parsed = parse(elementValue(el), el);
    if (parsed !== null) return parsed;
  }
  return null;
}

/** A domain from a website field: its link target first, then the shown text or control value. */
export function domainFromElement(el: Element): string | null {
  const link = el.matches("a[href]") ? el : deepQuery(el, "a[href]");
  const fromHref = link ? normaliseDomain(link.getAttribute("href")) : null;
  return fromHref ?? normaliseDomain(elementValue(el));
}

/** The account's domain from website/domain fields (`selectors` first, then `labels`). */
export function readDomain(root: QueryRoot, selectors: readonly FieldSelector[], labels: readonly string[]): string | null {
  return (
    readField(root, selectors, (f) => (f.fromAttr ? normaliseDomain(f.value) : domainFromElement(f.el))) ??
    readLabelled(root, labels, (_raw, el) => domainFromElement(el))
  );
}

/** Labels of website fields across CRMs. */
export const WEBSITE_LABELS = ["Website", "Web site", "Website URL", "Domain", "Company domain name", "Company website"] as const;
