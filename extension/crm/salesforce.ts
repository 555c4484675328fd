/**
 * Salesforce Lightning Experience: `https://<org>.lightning.force.com/lightning/r/Account/<001…>/view` (also the
 * object-less `/lightning/r/<001…>/view`), the legacy `one/one.app#/sObject/<001…>/view` hash route and console URLs
 * that carry the record in the hash (plain, URL-encoded, or as Lightning's base64 JSON route). When the hash names a
 * record, it is the record shown. Lightning renders inside (open) shadow roots, so every query is deep. Record ids are
 * reported in the 18-character form; the key prefix says the object (001 account, 003 contact).
 */
import { defineAdapter } from "./adapter";

const ID_TAIL = "[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?";
const RECORD_PATH = new RegExp(`^/lightning/r/(?:[A-Za-z0-9_]{1,80}/)?([A-Za-z0-9]{3}${ID_TAIL})/view/?$`);
const OBJECT_PATH = /^\/lightning\/r\/([A-Za-z0-9_]{1,80})\/[A-Za-z0-9]{15,18}\//;
const HASH_ROUTE = new RegExp(`^/?(?:sObject|lightning/r(?:/[A-Za-z0-9_]{1,80})?)/([A-Za-z0-9]{3}${ID_TAIL})/view(?:[/?]|$)`);
const SUFFIX_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

/**
 * Salesforce ids come in a case-sensitive 15-character and a case-insensitive-safe 18-character form; the last three
 * characters encode which of the first 15 are upper case. 15-character ids are extended so that one record always has
 * one id; 18-character ids are returned as they are.
 */
export function salesforceId18(id: string): string {
  if (id.length !== 15) return id;
  let suffix = "";
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const ch = id.charAt(chunk * 5 + i);
      if (ch >= "A" && ch <= "Z") bits |= 1 << i;
    }
    suffix += SUFFIX_CHARS.charAt(bits);
  }
  return id + suffix;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The record a hash route names: `#/sObject/<id>/view`, URL-encoded, or base64 JSON `{"attributes":{"recordId":…}}`. */
function hashRecord(hash: string): string | null {
  const h = decode(hash.replace(/^#/, ""));
  if (h === "" || h.length > 4000) return null;
  const routed = HASH_ROUTE.exec(h)?.[1];
  if (routed) return routed;
  try {
    const route = JSON.parse(atob(h)) as { componentDef?: unknown; attributes?: { recordId?: unknown; actionName?: unknown } };
    const id = route.attributes?.recordId;
    const view = (route.attributes?.actionName ?? "view") === "view" && route.componentDef === "one:recordHome";
    return view && typeof id === "string" && new RegExp(`^[A-Za-z0-9]{3}${ID_TAIL}$`).test(id) ? id : null;
  } catch {
    return null;
  }
}

/**
 * The record a Lightning URL shows when its key prefix is `prefix` (18-character id), else null. A hash route wins over
 * the path; a path naming the object must name the object the prefix belongs to.
 */
function recordOf(url: URL, prefix: string, object: string): string | null {
  const fromHash = hashRecord(url.hash);
  let id = fromHash;
  if (id === null) {
    const named = OBJECT_PATH.exec(url.pathname)?.[1];
    if (named !== undefined && named !== object) return null;
    id = RECORD_PATH.exec(url.pathname)?.[1] ?? null;
  }
  return id?.startsWith(prefix) ? salesforceId18(id) : null;
}

export const salesforceAdapter = defineAdapter({
  id: "salesforce",
  matches: ["https://*.lightning.force.com/*"],
  servesUrl: (url) => url.protocol === "https:" && url.hostname.toLowerCase().endsWith(".lightning.force.com"),
  recordId: (url) => recordOf(url, "001", "Account"),
  nameFields: [
    // The record header: <records-highlights2> puts the name in the "primaryField" slot.
    '[slot="primaryField"]',
    '[data-target-selection-name="sfdc:RecordField.Account.Name"] lightning-formatted-text',
  ],
  // "Acme Corporation | Account | Salesforce"
  nameFromTitle: (title) => /^(.+?) \| Account \| Salesforce$/.exec(title.trim())?.[1] ?? null,
  domainFields: [
    '[data-target-selection-name="sfdc:RecordField.Account.Website"]',
    'records-record-layout-item[field-label="Website"]',
    '[data-field-api-name="Website"]',
  ],
  // Titles, e-mails and phones by their labels (data-label, column headers, field labels) in every UI language.
  contacts: () => ({ contactIdFromUrl: (link) => recordOf(link, "003", "Contact") }),
});
