/** Building a {@link CrmAdapter} from the pieces that differ between CRMs. */
import { type ContactRule, collectContacts } from "./contacts";
import { type FieldSelector, readDomain, readField, WEBSITE_LABELS } from "./fields";
import { cleanText, LIMITS } from "./text";
import type { AccountPage, CrmAdapter, CrmId } from "./types";

export interface AdapterSpec {
  id: CrmId;
  matches: readonly string[];
  /** Exact origin check (the host shapes the CRM uses). */
  servesUrl(url: URL): boolean;
  /** The account record id from the URL (plus page data where needed); only called when `servesUrl` holds. */
  recordId(url: URL, doc: Document): string | null;
  /** Where the account name is shown, best first. */
  nameFields: readonly FieldSelector[];
  /** Fallback: the account name from `document.title`. */
  nameFromTitle?(title: string): string | null;
  /** Website/domain fields, best first; labels are tried after them. */
  domainFields: readonly FieldSelector[];
  domainLabels?: readonly string[];
  /** How contacts are recognised on this record's page. */
  contacts(url: URL, recordId: string): ContactRule;
}

export function defineAdapter(spec: AdapterSpec): CrmAdapter {
  const detectRecord = (url: URL, doc: Document): string | null => (spec.servesUrl(url) ? spec.recordId(url, doc) : null);
  return {
    id: spec.id,
    matches: Object.freeze([...spec.matches]),
    servesUrl: (url) => spec.servesUrl(url),
    detectRecord,
    read(url: URL, doc: Document): AccountPage | null {
      const recordId = detectRecord(url, doc);
      if (recordId === null) return null;
      const name =
        readField(doc, spec.nameFields, (f) => cleanText(f.value, LIMITS.name)) ??
        (spec.nameFromTitle ? cleanText(spec.nameFromTitle(doc.title ?? ""), LIMITS.name) : null);
      const domain = readDomain(doc, spec.domainFields, spec.domainLabels ?? WEBSITE_LABELS);
      const contacts = collectContacts(doc, url, spec.contacts(url, recordId));
      return { crm: spec.id, recordId, name, domain, contacts };
    },
  };
}
