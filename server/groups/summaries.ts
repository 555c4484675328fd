import type { MemberCard } from "../../shared/api/groups";

export const SUMMARY_LANGS = ["en", "nl", "sv", "fr"] as const;
export type SummaryLang = (typeof SUMMARY_LANGS)[number];

const pluralRules = new Map<SummaryLang, Intl.PluralRules>();
/**
 * The singular or plural sentence for `n`, chosen by the language's own plural rules (French puts 0
 * and 1 in "one"; English, Dutch and Swedish only 1). These four languages have no other forms.
 */
function pl(lang: SummaryLang, n: number, one: string, other: string): string {
  let rules = pluralRules.get(lang);
  if (!rules) {
    rules = new Intl.PluralRules(lang);
    pluralRules.set(lang, rules);
  }
  return rules.select(n) === "one" ? one : other;
}

/** Phrases per language (glossary: docs/glossary.md). Numbers and money use each language's own format. */
const T = {
  en: {
    change: (d: string) => `Engagement ${d} over 7 days.`,
    unchanged: "Engagement unchanged over 7 days.",
    completenessChange: (d: string) => `Completeness ${d} points over 7 days.`,
    completenessUnchanged: "Completeness unchanged over 7 days.",
    moment: (d: string, who: string) => `Last interesting moment: ${d} (${who}).`,
    members: (n: number) => pl("en", n, `${n} member`, `${n} members`),
    group: (m: string, c: number, e: string) => `${m}, ${c}% complete, engagement ${e}.`,
    missing: (r: string) => `Missing: ${r}.`,
    allFilled: "Every role is filled.",
    engaged: (l: string) => `Most engaged: ${l}.`,
    and: " and ",
    stage: (s: string) => `Stage: ${s}.`,
    contacts: (name: string, ind: string, n: number) =>
      pl("en", n, `${name}${ind} has ${n} known contact.`, `${name}${ind} has ${n} known contacts.`),
    opps: (n: number, amt: string) => pl("en", n, `${n} open opportunity worth ${amt}.`, `${n} open opportunities worth ${amt}.`),
    oppsNoAmount: (n: number) =>
      pl("en", n, `${n} open opportunity (amount not known).`, `${n} open opportunities (amount not known).`),
    noOpps: "No open opportunities.",
    journeys: (j: string) => `In journeys: ${j}.`,
    member: (name: string, role: string, score: string) =>
      `${name} is ${/^[aeiou]/i.test(role) ? "an" : "a"} ${role} with a lead engagement score of ${score}.`,
    last30: (l: string) => `Last 30 days: ${l}.`,
    noActivity: "No scored activity in the last 30 days.",
    lastActivity: (d: string) => `Last activity ${d}.`,
    others: (n: number) => pl("en", n, `Also in ${n} other buying group.`, `Also in ${n} other buying groups.`),
  },
  nl: {
    change: (d: string) => `Betrokkenheid ${d} in 7 dagen.`,
    unchanged: "Betrokkenheid ongewijzigd in 7 dagen.",
    completenessChange: (d: string) => `Volledigheid ${d} punten in 7 dagen.`,
    completenessUnchanged: "Volledigheid ongewijzigd in 7 dagen.",
    moment: (d: string, who: string) => `Laatste interessante moment: ${d} (${who}).`,
    members: (n: number) => pl("nl", n, `${n} lid`, `${n} leden`),
    group: (m: string, c: number, e: string) => `${m}, ${c}% compleet, betrokkenheid ${e}.`,
    missing: (r: string) => `Ontbreekt: ${r}.`,
    allFilled: "Elke rol is ingevuld.",
    engaged: (l: string) => `Meest betrokken: ${l}.`,
    and: " en ",
    stage: (s: string) => `Fase: ${s}.`,
    contacts: (name: string, ind: string, n: number) =>
      pl("nl", n, `${name}${ind} heeft ${n} bekende contactpersoon.`, `${name}${ind} heeft ${n} bekende contactpersonen.`),
    opps: (n: number, amt: string) =>
      pl("nl", n, `${n} open kans ter waarde van ${amt}.`, `${n} open kansen ter waarde van ${amt}.`),
    oppsNoAmount: (n: number) => pl("nl", n, `${n} open kans (bedrag onbekend).`, `${n} open kansen (bedrag onbekend).`),
    noOpps: "Geen open kansen.",
    journeys: (j: string) => `In journeys: ${j}.`,
    member: (name: string, role: string, score: string) => `${name} is ${role} met een lead-betrokkenheidsscore van ${score}.`,
    last30: (l: string) => `Laatste 30 dagen: ${l}.`,
    noActivity: "Geen gescoorde activiteit in de laatste 30 dagen.",
    lastActivity: (d: string) => `Laatste activiteit ${d}.`,
    others: (n: number) => pl("nl", n, `Ook in ${n} andere inkoopgroep.`, `Ook in ${n} andere inkoopgroepen.`),
  },
  sv: {
    change: (d: string) => `Engagemang ${d} på 7 dagar.`,
    unchanged: "Engagemang oförändrat på 7 dagar.",
    completenessChange: (d: string) => `Fullständighet ${d} procentenheter på 7 dagar.`,
    completenessUnchanged: "Fullständighet oförändrad på 7 dagar.",
    moment: (d: string, who: string) => `Senaste intressanta ögonblick: ${d} (${who}).`,
    members: (n: number) => pl("sv", n, `${n} medlem`, `${n} medlemmar`),
    group: (m: string, c: number, e: string) => `${m}, ${c} % komplett, engagemang ${e}.`,
    missing: (r: string) => `Saknas: ${r}.`,
    allFilled: "Alla roller är tillsatta.",
    engaged: (l: string) => `Mest engagerade: ${l}.`,
    and: " och ",
    stage: (s: string) => `Fas: ${s}.`,
    contacts: (name: string, ind: string, n: number) =>
      pl("sv", n, `${name}${ind} har ${n} känd kontakt.`, `${name}${ind} har ${n} kända kontakter.`),
    opps: (n: number, amt: string) =>
      pl("sv", n, `${n} öppen affärsmöjlighet värd ${amt}.`, `${n} öppna affärsmöjligheter värda ${amt}.`),
    oppsNoAmount: (n: number) =>
      pl("sv", n, `${n} öppen affärsmöjlighet (belopp okänt).`, `${n} öppna affärsmöjligheter (belopp okänt).`),
    noOpps: "Inga öppna affärsmöjligheter.",
    journeys: (j: string) => `I kundresor: ${j}.`,
    member: (name: string, role: string, score: string) => `${name} är ${role} med ett engagemangspoäng på ${score}.`,
    last30: (l: string) => `Senaste 30 dagarna: ${l}.`,
    noActivity: "Ingen poänggivande aktivitet de senaste 30 dagarna.",
    lastActivity: (d: string) => `Senaste aktivitet ${d}.`,
    others: (n: number) => pl("sv", n, `Även med i ${n} annan inköpsgrupp.`, `Även med i ${n} andra inköpsgrupper.`),
  },
  fr: {
    change: (d: string) => `Engagement ${d} sur 7 jours.`,
    unchanged: "Engagement inchangé sur 7 jours.",
    completenessChange: (d: string) => `Exhaustivité ${d} points sur 7 jours.`,
    completenessUnchanged: "Exhaustivité inchangée sur 7 jours.",
    moment: (d: string, who: string) => `Dernier moment intéressant : ${d} (${who}).`,
    members: (n: number) => pl("fr", n, `${n} membre`, `${n} membres`),
    group: (m: string, c: number, e: string) => `${m}, exhaustivité ${c} %, engagement ${e}.`,
    missing: (r: string) => `Manquant : ${r}.`,
    allFilled: "Tous les rôles sont pourvus.",
    engaged: (l: string) => `Les plus engagés : ${l}.`,
    and: " et ",
    stage: (s: string) => `Étape : ${s}.`,
    contacts: (name: string, ind: string, n: number) =>
      pl("fr", n, `${name}${ind} compte ${n} contact connu.`, `${name}${ind} compte ${n} contacts connus.`),
    opps: (n: number, amt: string) =>
      pl("fr", n, `${n} opportunité ouverte d’une valeur de ${amt}.`, `${n} opportunités ouvertes d’une valeur de ${amt}.`),
    oppsNoAmount: (n: number) =>
      pl("fr", n, `${n} opportunité ouverte (montant inconnu).`, `${n} opportunités ouvertes (montant inconnu).`),
    noOpps: "Aucune opportunité ouverte.",
    journeys: (j: string) => `Dans les parcours : ${j}.`,
    member: (name: string, role: string, score: string) => `${name} est ${role} avec un score d’engagement de ${score}.`,
    last30: (l: string) => `30 derniers jours : ${l}.`,
    noActivity: "Aucune activité comptabilisée sur les 30 derniers jours.",
    lastActivity: (d: string) => `Dernière activité le ${d}.`,
    others: (n: number) => pl("fr", n, `Aussi dans ${n} autre groupe d’achat.`, `Aussi dans ${n} autres groupes d’achat.`),
  },
} satisfies Record<SummaryLang, unknown>;

const LOCALE: Record<SummaryLang, string> = { en: "en-US", nl: "nl-NL", sv: "sv-SE", fr: "fr-FR" };
const num = (n: number, lang: SummaryLang) => n.toLocaleString(LOCALE[lang]);

/**
 * An amount as money in the account's currency ("$1.7M", "€ 1,7 mln.", "1,7 mn €"), compact so it
 * fits a sentence; a plain number when the currency is unknown or not one Intl knows.
 */
export function money(amount: number, currency: string | null, lang: SummaryLang): string {
  const compact = { notation: "compact", maximumFractionDigits: 1 } as const;
  if (currency) {
    try {
      return new Intl.NumberFormat(LOCALE[lang], { ...compact, style: "currency", currency }).format(amount);
    } catch {
      // an unknown code: fall through to the plain number
    }
  }
  return new Intl.NumberFormat(LOCALE[lang], compact).format(amount);
}

/**
 * Deterministic summaries built from the data (no model call): they never block a response and
 * always say something true. Localised and LLM-backed summaries build on these.
 */
export function groupSummaryText(
  input: {
    name: string;
    memberCount: number;
    completeness: number;
    engagement: number;
    missingRoles: string[];
    topMembers: MemberCard[];
    stageName: string | null;
    /** Engagement 7 days ago, when known: the summary then says how it moved. */
    engagementWeekAgo?: number | null;
    /** Completeness 7 days ago, when known. */
    completenessWeekAgo?: number | null;
    lastInterestingMoment?: { at: string; personName: string } | null;
  },
  lang: SummaryLang = "en",
): string {
  const t = T[lang];
  const parts = [t.group(t.members(input.memberCount), input.completeness, num(input.engagement, lang))];
  parts.push(input.missingRoles.length ? t.missing(input.missingRoles.join(", ")) : t.allFilled);
  const engaged = input.topMembers.filter((m) => m.score > 0).slice(0, 2);
  if (engaged.length) parts.push(t.engaged(engaged.map((m) => `${m.name} (${m.roleName}, ${num(m.score, lang)})`).join(t.and)));
  if (input.engagementWeekAgo !== undefined && input.engagementWeekAgo !== null) {
    const d = input.engagement - input.engagementWeekAgo;
    parts.push(d === 0 ? t.unchanged : t.change(`${d > 0 ? "+" : "−"}${num(Math.abs(d), lang)}`));
  }
  if (input.completenessWeekAgo !== undefined && input.completenessWeekAgo !== null) {
    const d = input.completeness - input.completenessWeekAgo;
    parts.push(d === 0 ? t.completenessUnchanged : t.completenessChange(`${d > 0 ? "+" : "−"}${num(Math.abs(d), lang)}`));
  }
  if (input.lastInterestingMoment)
    parts.push(t.moment(input.lastInterestingMoment.at.slice(0, 10), input.lastInterestingMoment.personName));
  if (input.stageName) parts.push(t.stage(input.stageName));
  return parts.join(" ");
}

export function accountSummaryText(
  input: {
    name: string;
    peopleCount: number;
    industry: string | null;
    openOpportunities: { count: number; amount: number };
    currency?: string | null;
    journeyNames: string[];
  },
  lang: SummaryLang = "en",
): string {
  const t = T[lang];
  const parts = [t.contacts(input.name, input.industry ? ` (${input.industry})` : "", input.peopleCount)];
  const { count, amount } = input.openOpportunities;
  // An amount of 0 means "not known" (CRMs leave it empty): never "worth 0".
  parts.push(
    count === 0 ? t.noOpps : amount > 0 ? t.opps(count, money(amount, input.currency ?? null, lang)) : t.oppsNoAmount(count),
  );
  if (input.journeyNames.length) parts.push(t.journeys(input.journeyNames.join(", ")));
  // An abbreviated amount ends in its own full stop ("US$ 1,7 mln."): the sentence adds none.
  return parts.join(" ").replace(/\.\.(?=\s|$)/g, ".");
}

export function memberSummaryText(
  input: {
    name: string;
    roleName: string;
    score: number;
    topTypes: Array<{ typeName: string; countAfterCap: number }>;
    lastActivityAt: string | null;
    otherGroups: number;
  },
  lang: SummaryLang = "en",
): string {
  const t = T[lang];
  const parts = [t.member(input.name, input.roleName, num(input.score, lang))];
  if (input.topTypes.length) {
    parts.push(
      t.last30(
        input.topTypes
          .slice(0, 3)
          .map((x) => `${x.countAfterCap}× ${x.typeName}`)
          .join(", "),
      ),
    );
  } else {
    parts.push(t.noActivity);
  }
  if (input.lastActivityAt) parts.push(t.lastActivity(input.lastActivityAt.slice(0, 10)));
  if (input.otherGroups) parts.push(t.others(input.otherGroups));
  return parts.join(" ");
}
