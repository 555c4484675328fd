/**
 * Microsoft Dynamics 365 / Power Apps model-driven apps (Unified Interface):
 * `https://<org>.crm<N>.dynamics.com/main.aspx?appid=…&pagetype=entityrecord&etn=account&id=<guid>`.
 * The id may be `{GUID}`, URL-encoded, only in the hash, or — right after navigation in newer builds — only in page
 * data (`data-lp-id` / `data-id` on the form). Legacy URLs name the entity by type code (`etc=1` account, `etc=2`
 * contact). Record ids are returned as lower-case GUIDs without braces.
 */
import { defineAdapter } from "./adapter";
import { deepQueryAll } from "./dom";

const HOST = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.crm\d{0,2}\.dynamics\.com$/;
const GUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;
const ENTITY_TYPE_CODES: Record<string, string> = { "1": "account", "2": "contact" };

/** `{3F25…}`, `%7B3f25…%7D` or `3f25…` → `3f25…`; null when it is not a GUID. */
export function normaliseGuid(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let s = raw.trim();
  for (let i = 0; i < 2 && /%[0-9a-f]{2}/i.test(s); i++) {
    try {
      s = decodeURIComponent(s);
    } catch {
      return null;
    }
  }
  return GUID.exec(s)?.[1]?.toLowerCase() ?? null;
}

interface RecordRef {
  pageType: string | null;
  entity: string | null;
  id: string | null;
}

/** Page parameters from the query string, falling back to the hash (`#pagetype=…&etn=…&id=…`); names case-insensitive. */
function recordRef(url: URL): RecordRef | null {
  if (!/\/main\.aspx$/i.test(url.pathname)) return null;
  const params = new Map<string, string>();
  const add = (source: URLSearchParams) => {
    for (const [k, v] of source) if (!params.has(k.toLowerCase())) params.set(k.toLowerCase(), v);
  };
  add(url.searchParams);
  add(new URLSearchParams(url.hash.replace(/^#/, "")));
  const etc = params.get("etc");
  const entity = params.get("etn")?.toLowerCase() ?? (etc ? (ENTITY_TYPE_CODES[etc] ?? `etc:${etc}`) : null);
  return { pageType: params.get("pagetype")?.toLowerCase() ?? null, entity, id: normaliseGuid(params.get("id")) };
}

/**
 * The account id from page data: the first (outermost) element whose `data-lp-id` or `data-id` names the `account`
 * entity followed by a GUID, e.g. `data-lp-id="MscrmControls.Containers.FormControl|account|{GUID}|main"`.
 */
function accountIdFromPage(doc: Document): string | null {
  for (const el of deepQueryAll(doc, "[data-lp-id], [data-id]")) {
    for (const attr of ["data-lp-id", "data-id"]) {
      const value = el.getAttribute(attr);
      if (!value || value.length > 500) continue;
      const tokens = value.split(/[|:;,\s]+/);
      const at = tokens.findIndex((t) => t.toLowerCase() === "account");
      if (at < 0) continue;
      for (const token of tokens.slice(at + 1)) {
        const id = normaliseGuid(token);
        if (id) return id;
      }
    }
  }
  return null;
}

export const dynamicsAdapter = defineAdapter({
  id: "dynamics",
  matches: ["https://*.dynamics.com/*"],
  servesUrl: (url) => url.protocol === "https:" && HOST.test(url.hostname.toLowerCase()),
  recordId: (url, doc) => {
    const ref = recordRef(url);
    if (ref?.pageType !== "entityrecord") return null;
    if (ref.entity !== null && ref.entity !== "account") return null;
    if (ref.entity === "account" && ref.id) return ref.id;
    // No id (or no entity) in the URL: only page data can say which account record this is. A new-record form has none.
    const fromPage = accountIdFromPage(doc);
    return ref.id === null || ref.id === fromPage ? fromPage : null;
  },
  nameFields: [
    { selector: '[data-id="header_title"]', attr: "title" },
    '[data-id="name.fieldControl-text-box-text"]',
    'input[aria-label="Account Name"]',
  ],
  domainFields: [
    '[data-id="websiteurl.fieldControl-url-text-input"]',
    '[data-id="websiteurl.fieldControl-url-text-link"]',
    '[data-id="websiteurl.fieldControl-url-text-box-text"]',
  ],
  contacts: () => ({
    contactIdFromUrl: (link) => {
      const ref = recordRef(link);
      if (ref?.entity !== "contact" || (ref.pageType !== null && ref.pageType !== "entityrecord")) return null;
      return ref.id;
    },
    titleFields: ['[col-id="jobtitle"]', '[data-id$="jobtitle"]', '[data-attribute-name="jobtitle"]'],
    emailFields: ['[col-id="emailaddress1"]', '[data-id$="emailaddress1"]', '[data-attribute-name="emailaddress1"]'],
    phoneFields: [
      '[col-id="telephone1"]',
      '[col-id="mobilephone"]',
      '[data-id$="telephone1"]',
      '[data-attribute-name="telephone1"]',
      '[data-attribute-name="mobilephone"]',
    ],
  }),
});
