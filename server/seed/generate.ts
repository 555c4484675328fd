/**
 * Deterministic, realistic seed data: accounts, their people, and (in ./activities) what those people did.
 * Everything streams from generators so a benchmark at 10 000 accounts / 200 000 people / 5 000 000
 * activities never materialises more than the bookkeeping needed for uniqueness. Pure: no I/O.
 */
import { BUILTIN_CRMS, type BuiltinCrm } from "../../shared/domain/crm";
import { CrmIds, phoneFor } from "./formats";
import {
  CITIES,
  COUNTRIES,
  EDUCATION_INSTITUTIONS,
  INDUSTRIES,
  INDUSTRY_NOUNS,
  INDUSTRY_TITLES,
  LEGAL_SUFFIXES,
  LOCALES,
  NAME_PREFIXES,
  NAME_QUALIFIERS,
  PREFIX_ROOTS,
  PREFIX_TAILS,
  PUBLIC_AGENCIES,
  SUBSIDIARY_REGIONS,
  TITLES,
  type TitleEntry,
} from "./names";
import { asciiStem, createRng, logUniform, pad, type Rng, WeightedPicker } from "./random";

export { type ActivityGeneratorOptions, type ActivityPerson, type GeneratedActivity, generateActivities } from "./activities";
export { salesforceId } from "./formats";
export { createRng, type Rng };

export interface GeneratedAccount {
  key: string;
  name: string;
  domain: string;
  industry: string;
  marketSegment: string;
  country: string;
  annualRevenue: number;
  parentKey: string | null;
  openOpportunitiesCount: number;
  openOpportunitiesAmount: number;
  crmLinks: Array<{ crm: BuiltinCrm; recordId: string }>;
}

export interface GeneratedPerson {
  key: string;
  accountKey: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  jobTitle: string;
  department: string;
  seniority: string;
  country: string;
  source: string;
}

export type SeedAccountRef = Pick<GeneratedAccount, "key" | "domain" | "country" | "industry">;

type Segment = "Enterprise" | "Mid-Market" | "SMB";

const SEGMENTS = new WeightedPicker<{ name: Segment; weight: number }>(
  [
    { name: "Enterprise", weight: 20 },
    { name: "Mid-Market", weight: 35 },
    { name: "SMB", weight: 45 },
  ],
  (s) => s.weight,
);
/** Annual revenue (USD) and single-deal size per segment; revenue decides the segment of subsidiaries. */
const SEGMENT_REVENUE: Record<Segment, [number, number]> = {
  SMB: [1e6, 50e6],
  "Mid-Market": [50e6, 1e9],
  Enterprise: [1e9, 80e9],
};
const DEAL_SIZE: Record<Segment, [number, number]> = { SMB: [5e3, 50e3], "Mid-Market": [20e3, 300e3], Enterprise: [80e3, 2.5e6] };
/** Relative odds of 0…6 open opportunities. */
const opportunityOdds = (odds: number[]) => new WeightedPicker(odds.keys(), (k) => odds[k] ?? 0);
const OPPORTUNITY_COUNTS: Record<Segment, WeightedPicker<number>> = {
  SMB: opportunityOdds([50, 30, 12, 5, 2, 1, 0.5]),
  "Mid-Market": opportunityOdds([30, 30, 20, 10, 5, 3, 2]),
  Enterprise: opportunityOdds([15, 20, 22, 18, 12, 8, 5]),
};

const TECH_INDUSTRIES = new Set(["Software", "Telecommunications"]);
const COUNTRY_PICKER = new WeightedPicker(COUNTRIES, (c) => c.weight);
const INDUSTRY_PICKER = new WeightedPicker(INDUSTRIES, (i) => i.weight);
const COUNTRY_INFO = new Map<string, (typeof COUNTRIES)[number]>(COUNTRIES.map((c) => [c.code, c]));

function roundSignificant(x: number, digitsKept: number): number {
  const magnitude = 10 ** (Math.floor(Math.log10(x)) - digitsKept + 1);
  return Math.round(x / magnitude) * magnitude;
}

function segmentOf(revenue: number): Segment {
  return revenue >= 1e9 ? "Enterprise" : revenue >= 50e6 ? "Mid-Market" : "SMB";
}

type NameKind = "company" | "public" | "institution";

function companyBase(industry: string, rng: Rng): string {
  const nouns = INDUSTRY_NOUNS[industry] ?? INDUSTRY_NOUNS.Software ?? ["Group"];
  const prefix = rng.chance(0.3) ? rng.pick(PREFIX_ROOTS) + rng.pick(PREFIX_TAILS) : rng.pick(NAME_PREFIXES);
  const r = rng.next();
  if (r < 0.6) return `${prefix} ${rng.pick(nouns)}`;
  if (r < 0.88) return `${prefix} ${rng.pick(NAME_QUALIFIERS)} ${rng.pick(nouns)}`;
  return prefix;
}

function rootBase(industry: string, country: string, rng: Rng): { base: string; kind: NameKind } {
  const cities = CITIES[country] ?? CITIES.US ?? ["Springfield"];
  if (industry === "Public Sector") return { base: `${rng.pick(cities)} ${rng.pick(PUBLIC_AGENCIES)}`, kind: "public" };
  if (industry === "Education" && rng.chance(0.4)) {
    return { base: rng.pick(EDUCATION_INSTITUTIONS).replace("{city}", rng.pick(cities)), kind: "institution" };
  }
  return { base: companyBase(industry, rng), kind: "company" };
}

function tldFor(kind: NameKind, country: string, industry: string, rng: Rng): string {
  const countryTld = COUNTRY_INFO.get(country)?.tld ?? "com";
  if (kind === "public") return country === "US" ? "gov" : country === "GB" ? "gov.uk" : countryTld;
  if (kind === "institution")
    return country === "US" ? "edu" : country === "GB" ? "ac.uk" : country === "AU" ? "edu.au" : countryTld;
  if (TECH_INDUSTRIES.has(industry) && rng.chance(0.25)) return "io";
  if (country === "US") return rng.chance(0.06) ? "co" : "com";
  return rng.chance(0.45) ? "com" : countryTld;
}

interface ParentCandidate {
  key: string;
  base: string;
  stem: string;
  industry: string;
  country: string;
  annualRevenue: number;
}

export function* generateAccounts(count: number, rng: Rng): Generator<GeneratedAccount> {
  const usedStems = new Set<string>();
  const usedDomains = new Set<string>();
  const parents: ParentCandidate[] = [];
  const crmIds = new CrmIds(rng);

  /** Tries a few random names, then numbers the last one: "Atlas Logistics 2". */
  const claim = <T extends { base: string }>(make: () => T): T & { stem: string } => {
    let candidate = make();
    for (let attempt = 0; attempt < 12; attempt++) {
      if (attempt > 0) candidate = make();
      const stem = asciiStem(candidate.base);
      if (stem !== "" && !usedStems.has(stem)) {
        usedStems.add(stem);
        return { ...candidate, stem };
      }
    }
    for (let n = 2; ; n++) {
      const base = `${candidate.base} ${n}`;
      const stem = asciiStem(base);
      if (!usedStems.has(stem)) {
        usedStems.add(stem);
        return { ...candidate, base, stem };
      }
    }
  };
  const claimDomain = (preferred: string[]): string => {
    for (const d of preferred) {
      if (!usedDomains.has(d)) {
        usedDomains.add(d);
        return d;
      }
    }
    const [first = "company.com"] = preferred;
    const dot = first.indexOf(".");
    for (let n = 2; ; n++) {
      const d = `${first.slice(0, dot)}${n}${first.slice(dot)}`;
      if (!usedDomains.has(d)) {
        usedDomains.add(d);
        return d;
      }
    }
  };

  for (let i = 0; i < count; i++) {
    const key = `a${pad(i + 1, 6)}`;
    const parent = parents.length > 0 && rng.chance(0.1) ? rng.pick(parents) : null;
    let name: string;
    let domain: string;
    let industry: string;
    let country: string;
    let annualRevenue: number;
    if (parent) {
      industry = parent.industry;
      const named = claim(() => {
        let c = COUNTRY_PICKER.pick(rng).code as string;
        while (c === parent.country) c = COUNTRY_PICKER.pick(rng).code;
        return { base: `${parent.base} ${rng.pick(SUBSIDIARY_REGIONS[c] ?? [c])}`, country: c };
      });
      country = named.country;
      const suffixes = LEGAL_SUFFIXES[country];
      name = suffixes && rng.chance(0.8) ? `${named.base} ${rng.pick(suffixes)}` : named.base;
      const tld = COUNTRY_INFO.get(country)?.tld ?? "com";
      domain = claimDomain([`${parent.stem}.${tld}`, `${named.stem}.${tld}`]);
      annualRevenue = roundSignificant(Math.max(1e6, parent.annualRevenue * logUniform(rng, 0.01, 0.3)), 3);
    } else {
      industry = INDUSTRY_PICKER.pick(rng).name;
      country = COUNTRY_PICKER.pick(rng).code;
      const named = claim(() => rootBase(industry, country, rng));
      const suffixes = LEGAL_SUFFIXES[country];
      name = named.kind === "company" && suffixes && rng.chance(0.5) ? `${named.base} ${rng.pick(suffixes)}` : named.base;
      const tld = tldFor(named.kind, country, industry, rng);
      domain = claimDomain([`${named.stem}.${tld}`, `${named.stem}.com`]);
      const [low, high] = SEGMENT_REVENUE[SEGMENTS.pick(rng).name];
      annualRevenue = roundSignificant(logUniform(rng, low, high), 3);
      if (named.kind === "company" && annualRevenue >= 50e6) {
        parents.push({ key, base: named.base, stem: named.stem, industry, country, annualRevenue });
      }
    }
    const segment = segmentOf(annualRevenue);
    const openOpportunitiesCount = OPPORTUNITY_COUNTS[segment].pick(rng);
    let openOpportunitiesAmount = 0;
    const [dealLow, dealHigh] = DEAL_SIZE[segment];
    for (let k = 0; k < openOpportunitiesCount; k++) {
      openOpportunitiesAmount += Math.round(logUniform(rng, dealLow, dealHigh) / 500) * 500;
    }

    const linkCount = rng.chance(0.55) ? 1 : rng.chance(0.75) ? 2 : 3;
    const crms: BuiltinCrm[] = [BUILTIN_CRMS[i % BUILTIN_CRMS.length] as BuiltinCrm];
    while (crms.length < linkCount) {
      const crm = rng.pick(BUILTIN_CRMS);
      if (!crms.includes(crm)) crms.push(crm);
    }
    yield {
      key,
      name,
      domain,
      industry,
      marketSegment: segment,
      country,
      annualRevenue,
      parentKey: parent?.key ?? null,
      openOpportunitiesCount,
      openOpportunitiesAmount,
      crmLinks: crms.map((crm) => ({ crm, recordId: crmIds.next(crm) })),
    };
  }
}

type EmailPattern = (first: string, last: string) => string;

const EMAIL_PATTERNS = new WeightedPicker<[EmailPattern, number]>(
  [
    [(f, l) => `${f}.${l}`, 55],
    [(f, l) => `${f.charAt(0)}${l}`, 15],
    [(f, l) => `${f.charAt(0)}.${l}`, 10],
    [(f, l) => `${f}${l}`, 8],
    [(f, l) => `${f}.${l.charAt(0)}`, 7],
    [(f, l) => `${f}_${l}`, 5],
  ],
  (p) => p[1],
);

const SOURCES = new WeightedPicker<[string, number]>(
  [
    ["crm", 80],
    ["import", 12],
    ["web form", 8],
  ],
  (s) => s[1],
);

interface TitlePickers {
  all: WeightedPicker<TitleEntry>;
  shared: WeightedPicker<TitleEntry>;
}
const titlePickers = new Map<string, TitlePickers>();

function titlesFor(industry: string): TitlePickers {
  let pickers = titlePickers.get(industry);
  if (!pickers) {
    const entries = [...TITLES, ...(INDUSTRY_TITLES[industry] ?? [])];
    pickers = {
      all: new WeightedPicker(entries, (e) => e.weight),
      shared: new WeightedPicker(
        entries.filter((e) => e.unique === undefined),
        (e) => e.weight,
      ),
    };
    titlePickers.set(industry, pickers);
  }
  return pickers;
}

/**
 * People of each account, in account order. Emails are unique across the run (local parts are tracked per
 * domain); an account has at most one holder of each C-level role while it has enough people.
 */
export function* generatePeople(
  accounts: Iterable<SeedAccountRef>,
  peoplePerAccount: { min: number; max: number } | ((account: SeedAccountRef) => number),
  rng: Rng,
): Generator<GeneratedPerson> {
  const localParts = new Map<string, Set<string>>();
  let n = 0;
  for (const account of accounts) {
    const count =
      typeof peoplePerAccount === "function"
        ? Math.max(0, Math.floor(peoplePerAccount(account)))
        : Math.max(0, rng.int(peoplePerAccount.min, Math.max(peoplePerAccount.min, peoplePerAccount.max)));
    const domain = account.domain.toLowerCase();
    let used = localParts.get(domain);
    if (!used) {
      used = new Set();
      localParts.set(domain, used);
    }
    const pattern = EMAIL_PATTERNS.pick(rng)[0];
    const titles = titlesFor(account.industry);
    const rolesTaken = new Set<string>();
    const accountLocale = COUNTRY_INFO.get(account.country)?.locale ?? "en";
    for (let k = 0; k < count; k++) {
      n++;
      const country = rng.chance(0.92) ? account.country : COUNTRY_PICKER.pick(rng).code;
      const localeKey = rng.chance(0.12) ? rng.pick(COUNTRIES).locale : (COUNTRY_INFO.get(country)?.locale ?? accountLocale);
      const locale = LOCALES[localeKey] ?? (LOCALES.en as (typeof LOCALES)[string]);
      const firstName = rng.pick(locale.first);
      const lastName = rng.pick(locale.last);
      const wanted = pattern(asciiStem(firstName), asciiStem(lastName));
      let local = wanted;
      for (let i = 2; used.has(local); i++) local = `${wanted}${i}`;
      used.add(local);

      let title = titles.all.pick(rng);
      for (let attempt = 0; title.unique !== undefined && rolesTaken.has(title.unique); attempt++) {
        title = attempt < 4 ? titles.all.pick(rng) : titles.shared.pick(rng);
      }
      if (title.unique !== undefined) rolesTaken.add(title.unique);

      yield {
        key: `p${pad(n, 7)}`,
        accountKey: account.key,
        firstName,
        lastName,
        email: `${local}@${domain}`,
        phone: phoneFor(account.country, rng),
        jobTitle: title.title,
        department: title.department,
        seniority: title.seniority,
        country,
        source: SOURCES.pick(rng)[0],
      };
    }
  }
}
