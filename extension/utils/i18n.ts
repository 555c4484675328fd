/**
 * The UI's one string catalogue (English, Dutch, Swedish, French; terms in docs/glossary.md) and locale-aware
 * number, money and date formatting. `{name}` placeholders are replaced by {@link translate}'s params; an entry that
 * depends on a count is `{ one, other }`, chosen by the language's own plural rules (`Intl.PluralRules`: French puts 0
 * in "one"). Every language has every key (checked by the types and a test).
 */
import { en } from "./i18n-en";

export const LANGUAGES = ["en", "nl", "sv", "fr"] as const;
export type Language = (typeof LANGUAGES)[number];
export type MessageKey = keyof typeof en;
/** A whole sentence, or its singular and plural forms. */
export type Message = string | { one: string; other: string };
export type Catalogue = { [K in MessageKey]: (typeof en)[K] extends string ? string : { one: string; other: string } };

/**
 * English is built in (and the fallback); the others are loaded on demand, so a page carries only the language it
 * shows. {@link loadLanguage} before painting in a language; until then its strings fall back to English.
 */
const CATALOGUES: Partial<Record<Language, Catalogue>> = { en };
const LOADERS: Record<Exclude<Language, "en">, () => Promise<Catalogue>> = {
  nl: () => import("./i18n-nl").then((m) => m.nl),
  sv: () => import("./i18n-sv").then((m) => m.sv),
  fr: () => import("./i18n-fr").then((m) => m.fr),
};

/**
 * Catalogues bundled by the caller. The background (a service worker) cannot load code on demand — `import()` is
 * refused in a ServiceWorkerGlobalScope — so it imports every language up front and hands them over here.
 */
export function provideCatalogues(catalogues: Partial<Record<Language, Catalogue>>): void {
  Object.assign(CATALOGUES, catalogues);
}

/** Makes `lang`'s catalogue available to {@link translate} (once; later calls resolve at once). */
export async function loadLanguage(lang: Language): Promise<void> {
  if (CATALOGUES[lang]) return;
  CATALOGUES[lang] = await LOADERS[lang as Exclude<Language, "en">]();
}

/** True when `lang`'s strings are loaded. */
export const hasLanguage = (lang: Language): boolean => CATALOGUES[lang] !== undefined;

/** The supported language closest to a BCP-47 tag ("nl-BE" → "nl"); English otherwise. */
export function pickLanguage(tag: string | undefined | null): Language {
  const base = (tag ?? "").toLowerCase().split(/[-_]/)[0] ?? "";
  return (LANGUAGES as readonly string[]).includes(base) ? (base as Language) : "en";
}

const rules = new Map<Language, Intl.PluralRules>();
/** "one" or "other" for `n` in `lang` (these four languages have no other cardinal forms). */
export function pluralForm(lang: Language, n: number): "one" | "other" {
  let r = rules.get(lang);
  if (!r) {
    r = new Intl.PluralRules(lang);
    rules.set(lang, r);
  }
  return r.select(n) === "one" ? "one" : "other";
}

/** The message in `lang`; a plural entry picks its form by `params.count`. Number params are formatted for `lang`. */
export function translate(lang: Language, key: MessageKey, params: Record<string, string | number> = {}): string {
  const message: Message = CATALOGUES[lang]?.[key] ?? en[key];
  const template = typeof message === "string" ? message : message[pluralForm(lang, Number(params.count ?? 0))];
  return template.replace(/\{(\w+)\}/g, (m, name: string) => {
    const v = params[name];
    if (v === undefined) return m;
    return typeof v === "number" ? formatNumber(lang, v) : v;
  });
}

export function formatNumber(lang: Language, n: number, maximumFractionDigits = 1): string {
  return new Intl.NumberFormat(lang, { maximumFractionDigits }).format(n);
}

/** Money in the account's currency, compact ("€1.7M", "1,7 mn kr"); a plain compact number without a known currency. */
export function formatMoney(lang: Language, amount: number, currency: string | null): string {
  const compact = { notation: "compact", maximumFractionDigits: 1 } as const;
  if (currency) {
    try {
      return new Intl.NumberFormat(lang, { ...compact, style: "currency", currency }).format(amount);
    } catch {
      // not a currency Intl knows: the plain number below
    }
  }
  return new Intl.NumberFormat(lang, compact).format(amount);
}

/** "Anna Berg", "Anna Berg and Bo Ek", "Anna Berg and 2 others" — a list of people as one phrase. */
export function peopleText(lang: Language, names: readonly string[]): string {
  if (names.length <= 2) return new Intl.ListFormat(lang, { type: "conjunction" }).format(names);
  return translate(lang, "nameAndOthers", { name: names[0]!, count: names.length - 1 });
}

export function formatDateTime(lang: Language, iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }).format(d);
}

export function formatDate(lang: Language, iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang, { dateStyle: "medium" }).format(d);
}
