/**
 * Salesforce Lightning Experience: `https://<org>.lightning.force.com/lightning/r/Account/<001…>/view` (also the
 * object-less `/lightning/r/<001…>/view`). Lightning renders inside (open) shadow roots, so every query is deep.
 * Record ids are reported in the 18-character form.
 */
import { defineAdapter } from "./adapter";

const ID_TAIL = "[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?";
const ACCOUNT_PATH = new RegExp(`^/lightning/r/(?:Account/)?(001${ID_TAIL})/view/?$`);
const CONTACT_PATH = new RegExp(`^/lightning/r/(?:Contact/)?(003${ID_TAIL})/view/?$`);
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

function idFrom(re: RegExp, path: string): string | null {
  const id = re.exec(path)?.[1];
  return id ? salesforceId18(id) : null;
}

export const salesforceAdapter = defineAdapter({
  id: "salesforce",
  matches: ["https://*.lightning.force.com/*"],
  servesUrl: (url) => url.protocol === "https:" && url.hostname.toLowerCase().endsWith(".lightning.force.com"),
  recordId: (url) => idFrom(ACCOUNT_PATH, url.pathname),
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
  contacts: () => ({
    contactIdFromUrl: (link) => idFrom(CONTACT_PATH, link.pathname),
    titleFields: ['[data-label="Title"]', '[data-target-selection-name="sfdc:RecordField.Contact.Title"]'],
    emailFields: ['[data-label="Email"]'],
    phoneFields: ['[data-label="Phone"]', '[data-label="Mobile"]'],
  }),
});
