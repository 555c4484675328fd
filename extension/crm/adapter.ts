/** Building a {@link CrmAdapter} from the pieces that differ between CRMs. */
import { type ContactRule, collectContacts } from "./contacts";
import { deepQueryAll, deepText } from "./dom";
import { type FieldSelector, readDomain, readField } from "./fields";
import { isObjectLabel, nameFromTitle } from "./labels";
import { isErrorPage, outOfScope } from "./scope";
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
  /** Fallback: the account name from `document.title` (the CRM's own title format; a generic reading follows). */
  nameFromTitle?(title: string): string | null;
  /** Website/domain fields, best first; website labels in every UI language are tried after them. */
  domainFields: readonly FieldSelector[];
  /** How contacts are recognised on this record's page. */
  contacts(url: URL, recordId: string): ContactRule;
}

/** The record's name from the page's main heading: its first line that is not just the object's name ("Account"). */
function nameFromHeading(doc: Document): string | null {
  const h1 = deepQueryAll(doc, "h1").find((h) => !outOfScope(h, undefined));
  if (!h1) return null;
  for (const line of deepText(h1, 1000).split("\n")) {
    const name = cleanText(line, LIMITS.name);
    if (name && !isObjectLabel(name)) return name;
  }
  return null;
}

export function defineAdapter(spec: AdapterSpec): CrmAdapter {
  // An error page at an account's URL ("Insufficient privileges") is not an account page: no panel, no controls.
  const detectRecord = (url: URL, doc: Document): string | null => {
    const id = spec.servesUrl(url) ? spec.recordId(url, doc) : null;
    return id !== null && !isErrorPage(doc) ? id : null;
  };
  return {
    id: spec.id,
    matches: Object.freeze([...spec.matches]),
    servesUrl: (url) => spec.servesUrl(url),
    detectRecord,
    read(url: URL, doc: Document): AccountPage | null {
      const recordId = detectRecord(url, doc);
      if (recordId === null) return null;
      const title = doc.title ?? "";
      const name =
        readField(doc, spec.nameFields, (f) => cleanText(f.value, LIMITS.name)) ??
        cleanText(spec.nameFromTitle?.(title), LIMITS.name) ??
        nameFromHeading(doc) ??
        cleanText(nameFromTitle(title), LIMITS.name);
      const domain = readDomain(doc, spec.domainFields);
      const contacts = collectContacts(doc, url, spec.contacts(url, recordId));
      return { crm: spec.id, recordId, name, domain, contacts };
    },
  };
}
