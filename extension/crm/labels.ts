/**
 * The words CRM pages use, in English, Dutch, Swedish, French and German (the UI languages reps use): field labels and
 * column headers, the headings of contact lists, object names in page titles, and error-page headings. One compact
 * dictionary shared by every adapter; everything is compared folded (lower case, no accents, no trailing colon).
 */

/** What a label names. */
export type LabelKind = "title" | "email" | "phone" | "website" | "name";

// Folded forms (see foldLabel), "|"-separated. Kept short: every content script carries them (10 KB gzip budget).
const KINDS: Record<LabelKind, string> = {
  title:
    "title|job title|jobtitle|position|job position|titel|functie|functietitel|befattning|yrkestitel|titre|fonction|poste|intitule du poste|stellung|stellenbezeichnung|berufsbezeichnung",
  email:
    "email|e-mail|email address|e-mail address|work email|primary email|mail|e-mailadres|emailadres|e-postadress|e-post|epost|adresse e-mail|courriel|adresse electronique|e-mail-adresse|emailadresse",
  phone:
    "phone|phone number|business phone|work phone|mobile|mobile phone|telephone|telefoon|telefoonnummer|mobiel|telefon|telefonnummer|mobiltelefon|mobil|telephone professionnel|portable|mobiltelefonnummer|handy",
  website:
    "website|web site|website url|web|url|domain|company domain name|company website|homepage|webbplats|hemsida|doman|site web|site internet|domaine|webseite|internetseite|internetadresse|domane|internetadres|websiteadres|domein",
  name: "name|full name|contact name|contact|naam|volledige naam|contactpersoon|namn|kontaktperson|nom|nom complet|nom du contact|vollstandiger name|kontaktname",
};

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

let byLabel: Map<string, LabelKind> | null = null;

/** The kind of field a label or column header names, in any of the five languages; null for anything else. */
export function labelKind(text: string | null | undefined): LabelKind | null {
  if (!text || text.length > 60) return null;
  if (!byLabel) {
    byLabel = new Map();
    for (const [kind, list] of Object.entries(KINDS)) for (const l of list.split("|")) byLabel.set(l, kind as LabelKind);
  }
  return byLabel.get(foldLabel(text)) ?? null;
}

const set = (list: string) => new Set(list.split("|"));

/** Headings of a record's list of people: "Contacts (3)", "Contactpersonen", "Kontakter", "Personnes", "Kontakte". */
const CONTACT_LISTS = set(
  "contacts|contact|people|persons|associated contacts|related contacts|contactpersonen|contacten|personen|kontakter|kontaktpersoner|personer|personnes|interlocuteurs|kontakte|ansprechpartner|kontaktpersonen",
);

/** Does a heading or region label name the list of an account's contacts ("Contacts (3)" counts)? */
export function isContactListLabel(text: string): boolean {
  return CONTACT_LISTS.has(foldLabel(text.replace(/\(\s*\d[\d\s.,+]*\)\s*$|\d+\+?$/, "")));
}

/** Whole headings of error pages (no access, deleted or missing record): such a page shows no contacts. */
const ERRORS = set(
  "insufficient privileges|insufficient permissions|access denied|permission denied|you don't have access|page not found|record not found|record is unavailable|onvoldoende rechten|onvoldoende bevoegdheden|toegang geweigerd|geen toegang|pagina niet gevonden|otillracklig behorighet|otillrackliga behorigheter|atkomst nekad|ingen atkomst|sidan hittades inte|privileges insuffisants|droits insuffisants|autorisations insuffisantes|acces refuse|page introuvable|enregistrement introuvable|unzureichende berechtigungen|unzureichende rechte|zugriff verweigert|kein zugriff|seite nicht gefunden|datensatz nicht gefunden",
);

export function isErrorHeading(text: string): boolean {
  return ERRORS.has(foldLabel(text.replace(/[.!]+\s*$/, "").replace(/[’']/g, "'")));
}

/** Names of the CRMs, as their page titles end. */
const APPS = set("salesforce|hubspot|zoho crm|zoho|pipedrive|dynamics 365|microsoft dynamics 365|power apps|crm");
/** An account's object name in the five languages (what a record header shows above the name, or a title names). */
const OBJECTS = set(
  "account|accounts|company|companies|organization|organizations|organisation|organisations|bedrijf|bedrijven|organisatie|organisaties|klant|klanten|foretag|konto|konton|organisationer|kund|kunder|compte|comptes|entreprise|entreprises|societe|societes|unternehmen|firma|firmen|konten|organisationen|kunde|kunden",
);

/**
 * The record's name from a page title such as "Zylker Inc – Accounts – Zoho CRM", "Accounts - Zylker - Zoho CRM" or
 * "Globex | Account | Salesforce": the first part that is neither the CRM's nor the object's name, when a part names
 * the account object (a "Home | Salesforce" title names no record).
 */
export function nameFromTitle(title: string): string | null {
  const parts = title.split(/\s+[|–—•·-]\s+|\s*\|\s*/).map((p) => p.trim());
  if (!parts.some((p) => OBJECTS.has(foldLabel(p)))) return null;
  return parts.find((p) => p && !OBJECTS.has(foldLabel(p)) && !APPS.has(foldLabel(p))) ?? null;
}

/** Is this line only an object's name ("Account", "Företag"), as a record header shows above the record's name? */
export function isObjectLabel(text: string): boolean {
  return OBJECTS.has(foldLabel(text));
}
