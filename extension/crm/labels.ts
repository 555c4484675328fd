/**
 * Reading the words CRM pages use (field labels, column headers, contact-list headings, error headings, page titles)
 * in every UI language, from one compact dictionary shared by every adapter ({@link PAGE_WORDS} in words.ts, installed
 * with {@link usePageWords}). Everything is compared folded: lower case, no accents, no trailing colon.
 */

/** What a label names. */
export type LabelKind = "title" | "email" | "phone" | "website";

/** The dictionary: "|"-separated folded words per entry. */
export interface PageWords {
  title: string;
  email: string;
  phone: string;
  website: string;
  contactLists: string;
  errors: string;
  apps: string;
  objects: string;
}

type WordSets = { [K in keyof PageWords]: Set<string> };
let words: WordSets | null = null;

/** Install the dictionary the readers use (until then no label, heading or title word is recognised). */
export function usePageWords(dictionary: PageWords): void {
  const sets = {} as WordSets;
  for (const key of Object.keys(dictionary) as Array<keyof PageWords>) {
    sets[key] = new Set(String(dictionary[key] ?? "").split("|"));
  }
  words = sets;
}

const has = (key: keyof PageWords, folded: string) => words?.[key].has(folded) ?? false;

/** Lower case, accents and a trailing colon / asterisk dropped, whitespace (incl. no-break spaces) collapsed. */
export function foldLabel(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[\s\u00a0\u202f]+/g, " ")
    .replace(/[\s:*]+$/, "")
    .trim();
}

const KINDS: readonly LabelKind[] = ["title", "email", "phone", "website"];

/** The kind of field a label or column header names, in any of the five languages; null for anything else. */
export function labelKind(text: string | null | undefined): LabelKind | null {
  if (!text || text.length > 60) return null;
  const folded = foldLabel(text);
  return KINDS.find((k) => has(k, folded)) ?? null;
}

/** Does a heading or region label name the list of an account's contacts ("Contacts (3)" counts)? */
export function isContactListLabel(text: string): boolean {
  return has("contactLists", foldLabel(text.trim().replace(/\(\s*\d[\d\s.,+]*\)\s*$|\d+\+?$/, "")));
}

/**
 * Is this the heading of an error page ("Insufficient Privileges", "Otillräcklig behörighet")? The whole heading, or
 * its start for phrases of three words or more ("You don't have access to this company"): a record named "Access
 * Denied Ltd" is not an error.
 */
export function isErrorHeading(text: string): boolean {
  if (text.length > 80) return false;
  const folded = foldLabel(
    text
      .trim()
      .replace(/[.!]+\s*$/, "")
      .replace(/’/g, "'"),
  );
  if (has("errors", folded)) return true;
  const words = folded.split(" ");
  for (let n = 3; n < words.length; n++) if (has("errors", words.slice(0, n).join(" "))) return true;
  return false;
}

/**
 * The record's name from a page title such as "Zylker Inc – Accounts – Zoho CRM", "Accounts - Zylker - Zoho CRM" or
 * "Globex | Account | Salesforce": the first part that is neither the CRM's nor the object's name, when a part names
 * the account object (a "Home | Salesforce" title names no record).
 */
export function nameFromTitle(title: string): string | null {
  const parts = title.split(/\s+[|–—•·-]\s+|\s*\|\s*/).map((p) => p.trim());
  if (!parts.some(isObjectLabel)) return null;
  return parts.find((p) => p && !isObjectLabel(p) && !has("apps", foldLabel(p))) ?? null;
}

/** Is this line only an object's name ("Account", "Företag"), as a record header shows above the record's name? */
export function isObjectLabel(text: string): boolean {
  return has("objects", foldLabel(text));
}
