/**
 * Where an account's own contacts are on its page. Contacts are read from the account's contact lists and cards
 * (related lists, association cards, subgrids, people panels: a region whose heading or label names contacts in any
 * UI language, or one the adapter knows), never from navigation, workspace tabs, activity timelines, feeds or
 * hidden tab panels; a page without such a list falls back to everything outside those. Error pages ("Insufficient
 * privileges") are not account pages at all.
 */
import { composedAncestors, composedParent, cssString, deepQueryAll, deepText, type QueryRoot } from "./dom";
import { isContactListLabel, isErrorHeading } from "./labels";

const HEADING = 'h1, h2, h3, h4, h5, h6, [role="heading"]';

/**
 * Never the account's contact list: app chrome (navigation, menus, banners), tab strips (a console's workspace tabs
 * name other records), activity feeds and logs, and hidden or unselected tab panels.
 */
const EXCLUDED =
  'nav, [role="navigation"], [role="menu"], [role="menubar"], [role="banner"], [role="tablist"], [role="tab"], [role="feed"], [role="log"], [aria-hidden="true"][role="tabpanel"]';

/** Is this tab panel's tab unselected (ARIA tabs: the panel is labelled by its tab, or the tab controls the panel)? */
function unselectedPanel(panel: Element): boolean {
  if (panel.getAttribute("role") !== "tabpanel") return false;
  const root = panel.getRootNode() as Document | ShadowRoot;
  const ids = (panel.getAttribute("aria-labelledby") ?? "").split(/\s+/).filter(Boolean);
  const tabs = [
    ...ids.map((id) => root.getElementById?.(id) ?? null),
    ...(panel.id ? Array.from(root.querySelectorAll(`[aria-controls=${cssString(panel.id)}]`)) : []),
  ];
  return tabs.some((t) => t?.getAttribute("aria-selected") === "false");
}

/** Is `el` inside a part of the page that never lists the account's contacts (see EXCLUDED), or not rendered? */
export function outOfScope(el: Element, extra: string | undefined): boolean {
  const selector = extra ? `${EXCLUDED}, ${extra}` : EXCLUDED;
  // Rendered? Browsers know (CSS-hidden workspace tabs); saved pages in tests fall back to the ARIA state above.
  const visible = (el as Element & { checkVisibility?(o?: object): boolean }).checkVisibility?.({ visibilityProperty: true });
  if (visible === false) return true;
  return [el, ...composedAncestors(el)].some((a) => a.matches(selector) || unselectedPanel(a));
}

/**
 * The regions that list the account's contacts: elements matching `known`, elements whose `aria-label` names a contact
 * list, and for each heading naming one ("Contacts (3)", "Kontakter"), the smallest ancestor that holds a contact link
 * without taking in another section's heading. Only regions holding one of `links` are returned.
 */
export function contactRegions(root: QueryRoot, links: readonly Element[], known: string | undefined): Element[] {
  const holds = (region: Element) => links.some((l) => composedAncestors(l).includes(region));
  const regions = new Set<Element>(known ? deepQueryAll(root, known) : []);
  for (const el of deepQueryAll(root, "[aria-label]"))
    if (isContactListLabel(el.getAttribute("aria-label") ?? "")) regions.add(el);
  const headings = deepQueryAll(root, HEADING);
  for (const heading of headings) {
    if (!isContactListLabel(deepText(heading, 200))) continue;
    for (let a = composedParent(heading); a; a = composedParent(a)) {
      // Another section's heading (not one showing a contact's name, as Lightning's tiles do): gone too far.
      if (
        headings.some(
          (h) => h !== heading && !links.some((l) => composedAncestors(l).includes(h)) && composedAncestors(h).includes(a),
        )
      )
        break;
      if (holds(a)) {
        regions.add(a);
        break;
      }
    }
  }
  return [...regions].filter(holds);
}

/** Does the page show an error instead of the record ("Insufficient Privileges", "Otillräcklig behörighet" …)? */
export function isErrorPage(doc: Document): boolean {
  return deepQueryAll(doc, HEADING).some((h) => isErrorHeading(deepText(h, 200)));
}
