/**
 * Seniority and department from a job title, in English, Dutch, Swedish, French and German. CRM pages show a
 * contact's title but rarely their seniority or department, which role rules are usually written on; this reads
 * "Directeur financier" as seniority "Director", department "Finance".
 *
 * The vocabulary is the demo data's and the default role template's: seniorities C-Level, VP, Director, Manager,
 * Individual Contributor; departments Executive, Finance, IT, Engineering, Security, Marketing, Sales, Legal,
 * Procurement, Operations, Human Resources, Product, Customer Success.
 *
 * Conventions (documented in docs/crm-pages.md): "Head of", "Hoofd", "-chef" (sv), "Leiter" (de) and "Directeur X"
 * (fr/nl) are Director; "Directeur général", "Algemeen directeur", "VD", "Geschäftsführer" are C-Level; "Lead",
 * "Responsable", "Chef de projet" are Manager; a title naming a job but no rank ("Buyer", "Säljare") is an
 * Individual Contributor; a title naming neither ("Importer/Exporter") gives null.
 */
import { foldText } from "./fold-text";

export type Seniority = "C-Level" | "VP" | "Director" | "Manager" | "Individual Contributor";
export type Department =
  | "Executive"
  | "Finance"
  | "IT"
  | "Engineering"
  | "Security"
  | "Marketing"
  | "Sales"
  | "Legal"
  | "Procurement"
  | "Operations"
  | "Human Resources"
  | "Product"
  | "Customer Success";

export interface ParsedJobTitle {
  seniority: Seniority | null;
  department: Department | null;
}

/** Whole words (on folded text: lower case, no accents). */
const words = (list: string) => `(?:^|[^a-z0-9])(?:${list})(?=$|[^a-z0-9])`;
/** The end of a compound word: "inkopschef", "einkaufsleiterin", "systemutvecklare". */
const endings = (list: string) => `[a-z](?:${list})(?=$|[^a-z0-9])`;
/** Anywhere, as a word start or inside a compound: "financ" in "financieel", "finance", "directeur financier". */
const stems = (list: string) => `(?:${list})`;
const rule = <T>(value: T, ...parts: string[]) => [new RegExp(parts.join("|")), value] as const;

/** Seniority, most senior first: the first rule that matches wins ("Senior Director" is Director). */
const SENIORITY = [
  // An assistant to someone is an assistant: "Assistant to the Regional Manager", "Assistent van de directeur".
  rule<Seniority>(
    "Individual Contributor",
    "^(?:executive |personal )?(?:assistant|assistent|assistente|assistante) (?:to|of|van|de|du|till|des|der|für|fur)(?= )",
  ),
  rule<Seniority>(
    "C-Level",
    words(
      "chief|c[efiotm]o|ciso|cro|chro|cdo|clo|cpo|(?<!vice[- ])president|presidente|founder|co-founder|cofounder|(?<!product )owner|chairman|chairwoman|chair of the board|board member|managing director|general manager|general counsel|algemeen directeur|directeur-generaal|directeur generaal|directeur general|directrice generale|pdg|president-directeur general|vd|verkstallande direktor|koncernchef|grundare|agare|delagare|oprichter|eigenaar|mede-eigenaar|fondateur|fondatrice|gerant|gerante|geschaftsfuhrer|geschaftsfuhrerin|vorstand|vorstandsvorsitzender|inhaber|inhaberin|grunder|grunderin|bestuurder",
    ),
  ),
  rule<Seniority>(
    "VP",
    words(
      "vice[- ]?president|vice[- ]presidente|vp|svp|evp|avp|vice vd|vice-vd|directeur general adjoint|directrice generale adjointe",
    ),
  ),
  rule<Seniority>(
    "Director",
    words(
      "director|directeur|directrice|direktor|direktorin|head|hoofd|chef(?! de projet| de produit| d'equipe| comptable)|leiter|leiterin|afdelingshoofd|dsi|drh|daf",
    ),
    // "Inköpschef", "Einkaufsleiterin", "Finansdirektör"; a team's or project's leader is a manager.
    "[a-z](?:chef|(?<!team|gruppen|projekt|schicht)leiter|(?<!team|gruppen|projekt|schicht)leiterin|direktor|direktorin)(?=$|[^a-z0-9])",
  ),
  rule<Seniority>(
    "Manager",
    words(
      "manager|managerin|gestionnaire|supervisor|superviseur|coordinator|coordinatrice|coordinateur|koordinator|koordinatorin|team ?lead|tech lead|lead(?! gen)|teamleider|teamleiter|gruppenleiter|projectleider|projektledare|projektleiter|chef de projet|cheffe de projet|chef d'equipe|responsable|verantwoordelijke|ansvarig|controller|controleur|controleuse|arbetsledare|forman",
    ),
    endings("manager|ansvarig|leider"),
  ),
  rule<Seniority>(
    "Individual Contributor",
    words(
      "senior|junior|staff|principal|engineer|ingenieur|ingenieure|ingenieurin|ingenjor|developer|ontwikkelaar|utvecklare|developpeur|developpeuse|entwickler|entwicklerin|programmer|programmeur|programmerare|analyst|analist|analytiker|analyste|specialist|specialiste|spezialist|spezialistin|consultant|consultante|konsult|berater|beraterin|adviseur|advisor|adviser|conseiller|conseillere|architect|architecte|arkitekt|architekt|architektin|administrator|administrateur|beheerder|designer|scientist|accountant|comptable|boekhouder|ekonom|buchhalter|buchhalterin|buyer|acheteur|acheteuse|inkoper|inkopare|einkaufer|einkauferin|counsel|jurist|juriste|juristin|justiziar|advocaat|avocat|avocate|anwalt|anwaltin|paralegal|representative|executive|salesman|saleswoman|salesperson|verkoper|saljare|vendeur|vendeuse|verkaufer|verkauferin|associate|assistant|assistent|assistente|assistante|medewerker|medewerkster|handlaggare|sachbearbeiter|sachbearbeiterin|referent|referentin|technician|technicus|tekniker|technicien|technicienne|techniker|officer|agent|clerk|recruiter|recruteur|rekryterare|marketeer|copywriter|operator|owner|intern|trainee|stagiair|disponent|disponentin",
    ),
    endings(
      "ingenieur|ingenieurin|ingenjor|utvecklare|ontwikkelaar|entwickler|entwicklerin|beraterin|referentin|analytiker|tekniker|handlaggare|saljare|inkopare|konsult|jurist|ekonom|arkitekt|specialist|berater|referent|medewerker",
    ),
  ),
] as const;

/** Department, most specific first: "Security Engineer" is Security, "Sales Engineer" Sales, "Network Engineer" IT. */
const DEPARTMENT = [
  rule<Department>("Security", stems("securi|sakerhet|beveiliging|sicherheit|cyber"), words("ciso|cso|soc|iam")),
  rule<Department>(
    "Legal",
    stems(
      "legal|counsel|jurid|jurist|justiz|advocaat|avocat|anwalt|compliance|contract|contrat|privacy|data protection|datenschutz|rechtsab",
    ),
    words("clo|droit|recht"),
  ),
  rule<Department>(
    "Procurement",
    stems(
      "procure|purchas|buyer|sourcing|vendor|category manag|inkoop|inkoper|inkop|achat|acheteu|approvisionnement|einkauf|beschaffung|supplier|leverancier|leverantor|fournisseur|lieferant",
    ),
  ),
  rule<Department>(
    "Finance",
    stems(
      "financ|finanz|finans|accountant|accounting|controller|controleu|controlling|treasur|tresor|comptab|boekhoud|redovisning|ekonom|buchhalt|audit|fiscal|skatt|steuer|billing|facturat|payroll|salarisadministratie|risk|risque|risico",
    ),
    words("cfo|daf|tax"),
  ),
  rule<Department>(
    "Human Resources",
    stems(
      "human resources|ressources humaines|personeel|personal(?:chef|leiter|abteilung|wesen)|talent|recruit|recrut|rekryt|people op",
    ),
    words("hr|chro|drh|rh|p&o"),
    "(?:^|[^a-z0-9])hr-",
  ),
  rule<Department>(
    "Marketing",
    stems("marketing|marknad|brand|demand gen|lead gen|growth|communicat|communicatie|kommunikation|content"),
    words("cmo|pr|seo|merk|marque"),
  ),
  rule<Department>(
    "Sales",
    stems(
      "sales|salesman|saleswoman|salesperson|account exec|account manag|key account|business develop|revenue|commercial|commerciale|verkoop|verkoper|vente|vendeu|verkauf|vertrieb|forsaljning|saljare|saljchef|e-commerce|ecommerce",
    ),
    words("cro|cco|sdr|bdr"),
  ),
  rule<Department>(
    "Customer Success",
    stems(
      "customer success|customer service|customer support|client|klantenservice|klantsucces|kundtjanst|kundservice|service client|kundendienst|kundenservice|onboarding",
    ),
  ),
  rule<Department>(
    "IT",
    stems(
      "information|informatie|informatique|informatik|network|netwerk|natverk|reseau|netzwerk|infrastru|cloud|helpdesk|service desk|support|architect|arkitekt|digital|ict",
    ),
    words("it|cio|cdo|dsi|systems?|systeem|systemen|systeme"),
    "(?:^|[^a-z0-9])it-|-it(?=$|[^a-z0-9])",
  ),
  rule<Department>("Product", stems("product|produkt|produit"), words("cpo")),
  rule<Department>(
    "Engineering",
    stems(
      "engineer|ingenieur|ingenjor|develop|ontwikkel|utveckl|developpe|entwickl|software|logiciel|programm|devops|quality assurance|test|data|research|r&d|onderzoek|forskning|recherche|forschung|technolog|technique|techniek|teknik|technik",
    ),
    words("cto|qa"),
  ),
  rule<Department>(
    "Executive",
    stems(
      "chief executive|chief operating|managing director|general manager|(?<!vice[- ]?)president|founder|owner|chairman|chairwoman|algemeen directeur|directeur general|directrice generale|directeur-generaal|verkstallande|koncernchef|grundare|agare|oprichter|eigenaar|fondat|gerant|geschaftsfuhr|vorstand|inhaber|grunder|bestuurder",
    ),
    words("ceo|coo|vd|pdg|dg|gf|partner|board"),
  ),
  rule<Department>(
    "Operations",
    stems(
      "operat|logisti|dispon|fleet|plant|productie|produktion|production|manufactur|fabrik|usine|facilit|supply chain|bedrijfsvoering|verksamhet|betrieb|exploitation|business analyst|asset",
    ),
    words("drift"),
  ),
] as const;

function firstMatch<T>(rules: ReadonlyArray<readonly [RegExp, T]>, text: string): T | null {
  for (const [re, value] of rules) if (re.test(text)) return value;
  return null;
}

/**
 * Seniority and department inferred from a job title; null for what the title does not say. Pure and deterministic;
 * only the first 200 characters are read.
 */
export function parseJobTitle(title: string | null | undefined): ParsedJobTitle {
  const text = foldText((title ?? "").slice(0, 200))
    .replace(/[’`´]/g, "'")
    .replace(/\s*[,/|()·•–—:;]\s*/g, " ")
    .replace(/\s+&\s+/g, " & ")
    .trim();
  if (text === "") return { seniority: null, department: null };
  return { seniority: firstMatch(SENIORITY, text), department: firstMatch(DEPARTMENT, text) };
}
