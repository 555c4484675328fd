/**
 * The adapter of a self-hosted CRM from a configuration already checked by validateCustomAdapterConfig (custom.ts):
 * the self-hosted CRMs' content script builds its adapters here without carrying the checks (10 KB gzip budget);
 * the background sends it checked configurations only. Name, website and contact fields are read from generic stable
 * markup: schema.org `itemprop`, `data-field-name` / `data-name` field attributes (Twenty, EspoCRM style), labelled
 * fields and the page's `<h1>`.
 */
import { defineAdapter } from "./adapter";
import type { CrmAdapter, CrmId } from "./types";
import { urlPattern } from "./url-pattern";

export interface CustomAdapterConfig {
  /** Host name, optionally with a port: "crm.example.org" or "crm.example.org:8443". No scheme, no path. */
  host: string;
  /** e.g. "/accounts/:id" */
  accountPathPattern: string;
  /** e.g. "/contacts/:id" */
  contactLinkPattern: string;
}

/** The adapter for a checked configuration; its id is `custom:<host>`. */
export function customAdapter(config: CustomAdapterConfig): CrmAdapter {
  const host = config.host.trim().toLowerCase();
  const port = /:(\d{1,5})$/.exec(host)?.[1] ?? null;
  const hostname = port === null ? host : host.slice(0, -(port.length + 1));
  const account = urlPattern(config.accountPathPattern.trim());
  const contact = urlPattern(config.contactLinkPattern.trim());
  const id: CrmId = `custom:${host}`;
  return defineAdapter({
    id,
    // Match patterns cannot carry a port: servesUrl does the exact check.
    matches: [`*://${hostname}/*`],
    servesUrl: (url) =>
      (url.protocol === "https:" || url.protocol === "http:") &&
      url.hostname.toLowerCase() === hostname &&
      (port === null || url.port === port || (url.port === "" && port === (url.protocol === "https:" ? "443" : "80"))),
    recordId: (url) => account.match(url),
    nameFields: [
      '[itemtype*="schema.org/Organization"] [itemprop="name"]',
      '[data-field-name="name"]',
      '[data-name="name"]:not(label)',
      '[data-testid="record-title"]',
      "h1",
    ],
    domainFields: [
      '[itemtype*="schema.org/Organization"] [itemprop="url"]',
      '[data-field-name="website"]',
      '[data-field-name="domain"]',
      '[data-field-name="domainName"]',
      '[data-name="website"]:not(label)',
    ],
    contacts: () => ({
      contactIdFromUrl: (link) => contact.match(link),
      titleFields: ['[data-field-name="jobTitle"]', '[data-name="title"]:not(label)', '[data-name="accountRole"]:not(label)'],
      emailFields: ['[data-field-name="emails"]', '[data-name="emailAddress"]:not(label)', "[data-email-address]"],
      phoneFields: ['[data-field-name="phones"]', '[data-name="phoneNumber"]:not(label)', "[data-phone-number]"],
    }),
  });
}
