/**
 * The words CRM pages use, in English, Dutch, Swedish, French and German, folded (lower case, no accents; see
 * labels.ts). Data only: the background sends them to the content scripts with their other texts (content scripts
 * carry no catalogue, which keeps each within its 10 KB gzip budget); tests and the measuring command install them
 * directly. Add a word here and every adapter reads it.
 */
import type { PageWords } from "./labels";

export const PAGE_WORDS: PageWords = {
  // field labels and column headers
  title:
    "title|job title|jobtitle|position|job position|titel|functie|functietitel|befattning|yrkestitel|titre|fonction|poste|intitule du poste|stellung|stellenbezeichnung|berufsbezeichnung|jobtitel|jobbezeichnung",
  email:
    "email|e-mail|email address|e-mail address|work email|primary email|mail|e-mailadres|emailadres|e-postadress|e-post|epost|adresse e-mail|courriel|adresse electronique|e-mail-adresse|emailadresse",
  phone:
    "phone|phone number|business phone|work phone|mobile|mobile phone|telephone|telefoon|telefoonnummer|mobiel|telefon|telefonnummer|mobiltelefon|mobil|telephone professionnel|portable|mobiltelefonnummer|handy",
  website:
    "website|web site|website url|website-url|web|url|domain|company domain name|company website|homepage|webbplats|hemsida|doman|site web|site internet|domaine|webseite|internetseite|internetadresse|domane|internetadres|websiteadres|domein",
  // headings and labels of a record's list of people ("Contacts (3)")
  contactLists:
    "contacts|contact|people|persons|associated contacts|related contacts|contactpersonen|contacten|personen|kontakter|kontaktpersoner|personer|personnes|interlocuteurs|kontakte|ansprechpartner|kontaktpersonen",
  // whole headings of error pages (no access, deleted or missing record)
  errors:
    "insufficient privileges|insufficient permissions|access denied|permission denied|you don't have access|page not found|record not found|record is unavailable|onvoldoende rechten|onvoldoende bevoegdheden|toegang geweigerd|geen toegang|pagina niet gevonden|otillracklig behorighet|otillrackliga behorigheter|atkomst nekad|ingen atkomst|sidan hittades inte|privileges insuffisants|droits insuffisants|autorisations insuffisantes|acces refuse|page introuvable|enregistrement introuvable|unzureichende berechtigungen|unzureichende rechte|zugriff verweigert|kein zugriff|seite nicht gefunden|datensatz nicht gefunden",
  // the CRMs' names, as their page titles end
  apps: "salesforce|hubspot|zoho crm|zoho|pipedrive|dynamics 365|microsoft dynamics 365|power apps|crm",
  // the account object's name (record headers, page titles)
  objects:
    "account|accounts|company|companies|organization|organizations|organisation|organisations|bedrijf|bedrijven|organisatie|organisaties|klant|klanten|foretag|konto|konton|organisationer|kund|kunder|compte|comptes|entreprise|entreprises|societe|societes|unternehmen|firma|firmen|konten|organisationen|kunde|kunden",
};
