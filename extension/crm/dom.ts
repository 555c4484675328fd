/**
 * DOM helpers for CRM pages: queries that walk open shadow roots, the composed parent chain, visibility from stable
 * attributes, and text reading. No `instanceof` checks (a page's nodes may come from another realm, e.g. a test window
 * or an extension content-script world); node types are tested by `nodeType`. Never reads or writes HTML markup.
 */

export type QueryRoot = Document | Element | DocumentFragment;

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const DOCUMENT_NODE = 9;
const DOCUMENT_FRAGMENT_NODE = 11;

export function isElement(node: Node | null | undefined): node is Element {
  return node != null && node.nodeType === ELEMENT_NODE;
}

function isShadowRoot(node: Node | null | undefined): node is ShadowRoot {
  return node != null && node.nodeType === DOCUMENT_FRAGMENT_NODE && isElement((node as ShadowRoot).host);
}

/** Parent in the composed tree: the parent element, or the shadow host when `el` is at the top of a shadow root. */
export function composedParent(el: Element): Element | null {
  const parent = el.parentNode;
  if (isElement(parent)) return parent;
  if (isShadowRoot(parent)) return parent.host;
  return null;
}

/** Composed ancestors of `el`, nearest first, excluding `el`. */
export function composedAncestors(el: Element): Element[] {
  const out: Element[] = [];
  for (let p = composedParent(el); p; p = composedParent(p)) out.push(p);
  return out;
}

/** Does `ancestor` contain `node` in the composed tree (through shadow roots)? */
export function composedContains(ancestor: Element, node: Element): boolean {
  for (let p: Element | null = node; p; p = composedParent(p)) if (p === ancestor) return true;
  return false;
}

const NOT_RENDERED = new Set(["template", "script", "style", "noscript"]);

/**
 * Mark the extension's own elements on a CRM page (inline controls, panels) with this attribute: every query and text
 * read here skips them, so what the extension inserts never feeds back into what it reads.
 */
export const OWN_UI_ATTRIBUTE = "data-quorum-ui";
const HIDING_STYLE = /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!\s*important\s*)?(?=;|$)/i;

/**
 * Is this element itself hidden by a stable means: the `hidden` attribute or an inline `display:none` /
 * `visibility:hidden` style (how SPAs park cached pages)? The extension's own UI ({@link OWN_UI_ATTRIBUTE}) counts
 * as hidden too. `aria-hidden` and `inert` are deliberately not treated as
 * hidden: CRMs set them on the whole page behind a modal dialog.
 */
export function isHiddenElement(el: Element): boolean {
  if (NOT_RENDERED.has(el.localName)) return true;
  if (el.hasAttribute("hidden") || el.hasAttribute(OWN_UI_ATTRIBUTE)) return true;
  const style = el.getAttribute("style");
  return style !== null && HIDING_STYLE.test(style);
}

/** Is `el` or any composed ancestor hidden (see {@link isHiddenElement})? */
export function isHidden(el: Element): boolean {
  for (let p: Element | null = el; p; p = composedParent(p)) if (isHiddenElement(p)) return true;
  return false;
}

export interface WalkOptions {
  /** Also visit hidden subtrees (see {@link isHiddenElement}). Default false. */
  includeHidden?: boolean;
}

/** The composed ancestors of `el` and `el` itself, outermost first. */
function composedChain(el: Element): Element[] {
  const chain = [el];
  for (let p = composedParent(el); p; p = composedParent(p)) chain.push(p);
  return chain.reverse();
}

const DOCUMENT_POSITION_FOLLOWING = 4;

/** Sort elements in composed tree order (a shadow host, then its shadow tree, then its light children). */
function sortComposed(elements: Element[]): Element[] {
  if (elements.length < 2) return elements;
  const chains = new Map<Element, Element[]>();
  const chainOf = (el: Element) => {
    const cached = chains.get(el);
    if (cached) return cached;
    const chain = composedChain(el);
    chains.set(el, chain);
    return chain;
  };
  return elements.sort((a, b) => {
    const ca = chainOf(a);
    const cb = chainOf(b);
    let i = 0;
    while (i < ca.length && i < cb.length && ca[i] === cb[i]) i++;
    const x = ca[i];
    const y = cb[i];
    if (!x) return -1; // a is an ancestor of b
    if (!y) return 1;
    if (x.parentNode === y.parentNode) return x.compareDocumentPosition(y) & DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
    return isShadowRoot(x.parentNode) ? -1 : 1; // the shadow tree comes before the host's light children
  });
}

/**
 * Deep `querySelectorAll`: matches in `root` (itself included when it is an element) and in all open shadow roots
 * below it, in composed order, without hidden subtrees unless `includeHidden`. Uses the native `querySelectorAll` of
 * each tree (document or shadow root); selectors cannot span a shadow boundary.
 */
export function deepQueryAll(root: QueryRoot, selector: string, options: WalkOptions = {}): Element[] {
  const found: Element[] = [];
  let crossedShadow = false;
  const visitTree = (tree: Document | DocumentFragment | Element) => {
    for (const el of Array.from(tree.querySelectorAll(selector))) found.push(el);
    for (const host of Array.from(tree.querySelectorAll("*"))) {
      if (host.shadowRoot) {
        crossedShadow = true;
        visitTree(host.shadowRoot);
      }
    }
  };
  if (isElement(root)) {
    if (root.matches(selector)) found.push(root);
    if (root.shadowRoot) {
      crossedShadow = true;
      visitTree(root.shadowRoot);
    }
  }
  visitTree(root);
  const visible = options.includeHidden ? found : found.filter((el) => !hiddenWithin(el, root));
  return crossedShadow ? sortComposed(visible) : visible;
}

/** Is `el` hidden by itself or by an ancestor up to (and including) `root`? */
function hiddenWithin(el: Element, root: QueryRoot): boolean {
  for (let p: Element | null = el; p; p = composedParent(p)) {
    if (isHiddenElement(p)) return true;
    if (p === root) return false;
  }
  return false;
}

/** Deep `querySelector`: the first match in composed order, or null. */
export function deepQuery(root: QueryRoot, selector: string, options: WalkOptions = {}): Element | null {
  return deepQueryAll(root, selector, options)[0] ?? null;
}

const BLOCK = new Set([
  "address",
  "article",
  "aside",
  "blockquote",
  "br",
  "dd",
  "div",
  "dl",
  "dt",
  "footer",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hr",
  "li",
  "ol",
  "option",
  "p",
  "section",
  "table",
  "td",
  "th",
  "tr",
  "ul",
]);

const SKIP_TEXT = new Set(["button", "svg", "select", "input", "textarea"]);

/** The light-DOM nodes of `host` assigned to the slot `name` ("" = default slot). */
function assignedNodes(host: Element, name: string): Node[] {
  const out: Node[] = [];
  for (const node of Array.from(host.childNodes)) {
    const slot = isElement(node) ? (node.getAttribute("slot") ?? "") : "";
    if (slot === name) out.push(node);
  }
  return out;
}

/**
 * The rendered text of a node, like `textContent` but following open shadow roots and slots (a shadow host's light
 * children only count where a slot places them), skipping hidden subtrees and nested buttons/icons/form controls,
 * and with a line break at block boundaries. Not cleaned: pass through {@link cleanText}.
 */
export function deepText(node: Node, maxChars = 10_000): string {
  const parts: string[] = [];
  let length = 0;
  const visit = (n: Node, depth: number): void => {
    if (length > maxChars || depth > 200) return;
    if (n.nodeType === TEXT_NODE) {
      const text = n.nodeValue ?? "";
      parts.push(text);
      length += text.length;
      return;
    }
    if (isElement(n)) {
      if (isHiddenElement(n)) return;
      // Controls and icons inside a value ("Copy", "✎", svg titles) are not part of it.
      if (n !== node && (SKIP_TEXT.has(n.localName) || n.getAttribute("role") === "button")) return;
      const block = BLOCK.has(n.localName);
      if (block) parts.push("\n");
      if (n.localName === "slot") {
        const root = n.getRootNode();
        const assigned = isShadowRoot(root) ? assignedNodes(root.host, n.getAttribute("name") ?? "") : [];
        for (const c of assigned.length > 0 ? assigned : Array.from(n.childNodes)) visit(c, depth + 1);
      } else {
        const kids = n.shadowRoot ? n.shadowRoot.childNodes : n.childNodes;
        for (const c of Array.from(kids)) visit(c, depth + 1);
      }
      if (block) parts.push("\n");
      return;
    }
    if (n.nodeType === DOCUMENT_FRAGMENT_NODE || n.nodeType === DOCUMENT_NODE) {
      for (const c of Array.from(n.childNodes)) visit(c, depth + 1);
    }
  };
  visit(node, 0);
  return parts.join("");
}

/** `"` and `\` escaped, for use inside a quoted CSS attribute value. */
export function cssString(value: string): string {
  return `"${value.replace(/["\\]/g, "\\$&").replace(/[\n\r\f]/g, " ")}"`;
}

/** The element with this id in the same tree (document or shadow root) as `near`. */
export function byIdNear(near: Element, id: string): Element | null {
  const root = near.getRootNode() as Document | ShadowRoot;
  if (typeof root.querySelector !== "function") return null;
  return root.querySelector(`[id=${cssString(id)}]`);
}

/**
 * The value an element shows: the current value of form controls, else its rendered text, else its `title`
 * attribute (used by CRMs for truncated values). Raw: pass through the text sanitisers.
 */
export function elementValue(el: Element): string {
  const tag = el.localName;
  if (tag === "input" || tag === "textarea") return (el as HTMLInputElement).value ?? el.getAttribute("value") ?? "";
  if (tag === "select") {
    const option = (el as HTMLSelectElement).selectedOptions?.[0];
    return option ? deepText(option) : "";
  }
  const text = deepText(el);
  if (text.trim() !== "") return text;
  return el.getAttribute("title") ?? "";
}
