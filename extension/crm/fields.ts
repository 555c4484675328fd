/**
 * Reading labelled values (account name, website, a contact's job title …) from stable markup: attribute selectors
 * that CRMs keep stable, `<dt>`/`<dd>` pairs, `<label for>`, `aria-labelledby` and `aria-label`.
 */
import {
  byIdNear,
  composedContains,
  composedParent,
  deepQuery,
  deepQueryAll,
  deepText,
  elementValue,
  type QueryRoot,
} from "./dom";
import { type LabelKind, labelKind } from "./labels";
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

/** The text of an element's own text nodes (not its children's). */
function ownText(el: Element): string {
  let text = "";
  for (const n of Array.from(el.childNodes)) if (n.nodeType === 3) text += n.nodeValue ?? "";
  return text;
}

/** A labelled value: the element showing it, or (for "Label: value" in one piece of text) that text. */
export interface LabelledValue {
  el: Element;
  text: string;
}

const ATTRIBUTE_LABELS = ["data-label", "field-label", "data-field-label"] as const;
const INLINE_END = new Set(["br", "div", "p", "li", "dd", "dt", "tr", "td", "th"]);

/** The text after a label within its parent ("<b>Title:</b> VP Sales"), up to the next line break or block. */
function textAfter(label: Element): string {
  let text = "";
  for (let n = label.nextSibling; n; n = n.nextSibling) {
    if (n.nodeType === 1 && INLINE_END.has((n as Element).localName)) break;
    text += n.nodeType === 3 ? (n.nodeValue ?? "") : deepText(n);
  }
  return text;
}

/**
 * Values whose label names `kind` (see {@link labelKind}, every UI language): `<dt>`/`<dd>` (also `role="term"`),
 * `<label for>`, `aria-labelledby`, table cells whose `headers` name a header cell, controls/links with that
 * `aria-label`, elements carrying `data-label` / `field-label` (Lightning), and a label element followed by its value
 * ("Website" then a link, "Titre :" then "Directeur", "Title: VP Sales" in one text, with or without a no-break space
 * before the colon).
 */
export function labelledValues(root: QueryRoot, kind: LabelKind): LabelledValue[] {
  const out: LabelledValue[] = [];
  const push = (el: Element | null | undefined, text?: string) => {
    if (el) out.push({ el, text: text ?? elementValue(el) });
  };
  for (const el of deepQueryAll(root, "*")) {
    const ariaLabel = el.getAttribute("aria-label");
    if (ariaLabel !== null && el.matches(CONTROL) && labelKind(ariaLabel) === kind) {
      push(el);
      continue;
    }
    // aria-labelledby="id …", or a table cell's headers="id …" pointing at its column header
    const labelledBy = el.getAttribute("aria-labelledby") ?? (el.localName === "td" ? el.getAttribute("headers") : null);
    if (labelledBy !== null) {
      const text = labelledBy
        .split(/\s+/)
        .map((id) => {
          const label = id ? byIdNear(el, id) : null;
          return label ? deepText(label, 300) : "";
        })
        .join(" ");
      if (labelKind(text) === kind) push(el);
      continue;
    }
    if (ATTRIBUTE_LABELS.some((a) => labelKind(el.getAttribute(a)) === kind)) {
      push(el, valueWithoutLabel(el, kind));
      continue;
    }
    const own = ownText(el);
    if (own.trim() === "" || own.length > 300) continue;
    const colon = own.indexOf(":");
    if (labelKind(own) === kind) {
      if (el.localName === "label" && el.getAttribute("for")) push(byIdNear(el, el.getAttribute("for") ?? ""));
      else if (el.matches('dt, [role="term"]')) {
        let next = el.nextElementSibling;
        while (next && !next.matches('dd, [role="definition"]'))
          next = next.matches('dt, [role="term"]') ? null : next.nextElementSibling;
        push(next);
      } else if (el.childElementCount > 0 && cleanText(deepText(el)) !== cleanText(own)) {
        push(el, valueWithoutLabel(el, kind)); // "Website <a>…</a>": the label is this element's own text
      } else {
        const after = textAfter(el);
        if (cleanText(after)) push(el, after);
        else push(el.nextElementSibling ?? (composedParent(el)?.nextElementSibling as Element | null));
      }
    } else if (colon > 0 && labelKind(own.slice(0, colon)) === kind) {
      push(el, own.slice(colon + 1) || deepText(el).slice(deepText(el).indexOf(":") + 1));
    }
  }
  return out;
}

/** An element's shown value without the label text it also contains (a Lightning layout item holds both). */
function valueWithoutLabel(el: Element, kind: LabelKind): string {
  const text = elementValue(el);
  for (const child of deepQueryAll(el, "*")) {
    const own = ownText(child);
    if (child !== el && labelKind(own) === kind) return text.replace(own, "");
  }
  return text;
}

const CONTROL = 'input, textarea, select, a, [role="textbox"]';

/** The first labelled value that `parse` accepts. */
export function readLabelled<T>(root: QueryRoot, kind: LabelKind, parse: (raw: string, el: Element) => T | null): T | null {
  for (const { el, text } of labelledValues(root, kind)) {
    const parsed = parse(text, el);
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

/** The account's domain from website/domain fields (`selectors` first, then website labels in every language). */
export function readDomain(root: QueryRoot, selectors: readonly FieldSelector[]): string | null {
  return (
    readField(root, selectors, (f) => (f.fromAttr ? normaliseDomain(f.value) : domainFromElement(f.el))) ??
    readLabelled(root, "website", (raw, el) => {
      const link = el.matches("a[href]") ? el : deepQuery(el, "a[href]");
      return (link ? normaliseDomain(link.getAttribute("href")) : null) ?? normaliseDomain(raw);
    })
  );
}
