/** Which CRM a page belongs to: a built-in adapter, or `custom:<host>` for a self-hosted CRM configured by the user. */
export type CrmId = "salesforce" | "hubspot" | "dynamics" | "pipedrive" | "zoho" | `custom:${string}`;

/** A contact visible on an account page. Every string was read from the page: untrusted, trimmed and length-capped. */
export interface PageContact {
  name: string;
  email: string | null;
  title: string | null;
  phone: string | null;
  crmContactId: string | null;
  /** the element the inline control is inserted after */
  anchor: Element;
}

export interface AccountPage {
  crm: CrmId;
  recordId: string;
  name: string | null;
  domain: string | null;
  contacts: PageContact[];
}

export interface CrmAdapter {
  id: CrmId;
  /** Host patterns this adapter serves, in WebExtension match-pattern form, e.g. "https://*.lightning.force.com/*". */
  matches: readonly string[];
  /**
   * Optional exact check of the URL's origin, for when `matches` is broader than what the adapter serves
   * (match patterns cannot express ports or host shapes such as `<org>.crm4.dynamics.com`).
   */
  servesUrl?(url: URL): boolean;
  /** Cheap: is this URL (plus page data where the URL is not enough) an account record? Returns the record id or null. */
  detectRecord(url: URL, doc: Document): string | null;
  /** Full read of the account page; null when not an account record page. */
  read(url: URL, doc: Document): AccountPage | null;
}
