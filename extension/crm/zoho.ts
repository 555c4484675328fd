/**
 * Zoho CRM accounts: `https://crm.zoho.<tld>/crm/<org>/tab/Accounts/<id>` (19-digit ids; older URLs have no
 * `<org>` segment) in every Zoho data centre; contacts are `/tab/Contacts/<id>` in the same org.
 */
import { defineAdapter } from "./adapter";

const TLDS = ["com", "eu", "in", "com.au", "jp", "com.cn", "ca", "sa", "uk"] as const;
const HOSTS = new Set<string>(TLDS.map((tld) => `crm.zoho.${tld}`));
const RECORD_PATH = /^\/crm\/(?:([A-Za-z0-9_-]{1,64})\/)?tab\/([A-Za-z]+)\/(\d{15,20})(?:\/.*)?$/;

function record(url: URL, module: string): { org: string | null; id: string } | null {
  const m = RECORD_PATH.exec(url.pathname);
  if (!m || m[2] !== module || !m[3]) return null;
  return { org: m[1] ?? null, id: m[3] };
}

export const zohoAdapter = defineAdapter({
  id: "zoho",
  matches: TLDS.map((tld) => `https://crm.zoho.${tld}/*`),
  servesUrl: (url) => url.protocol === "https:" && HOSTS.has(url.hostname.toLowerCase()),
  recordId: (url) => record(url, "Accounts")?.id ?? null,
  nameFields: [
    '[data-zcqa="detailView_Account_Name"]',
    '[data-zcqa="Account_Name"]',
    '[id="headervalue_ACCOUNTNAME"]',
    '[id="subvalue_ACCOUNTNAME"]',
  ],
  // "Zylker Inc - Zoho CRM" / "Accounts - Zylker Inc - Zoho CRM"; other shapes ("Zylker – Konton – Zoho CRM") are read
  // by the generic title reader after the page's heading.
  nameFromTitle: (title) => {
    const name = /^(?:Accounts - )?(.+?) - Zoho CRM$/.exec(title.trim())?.[1];
    return name && !/ [-–—|] /.test(name) ? name : null;
  },
  domainFields: [
    '[data-zcqa="detailView_Website"]',
    '[data-zcqa="Website"]',
    '[id="subvalue_WEBSITE"]',
    '[id="headervalue_WEBSITE"]',
  ],
  contacts: (url) => {
    const org = record(url, "Accounts")?.org ?? null;
    return {
      contactIdFromUrl: (link) => {
        const contact = record(link, "Contacts");
        return contact && (contact.org === null || org === null || contact.org === org) ? contact.id : null;
      },
      // titles, e-mails and phones by their column headers and labels, in every UI language
    };
  },
});
