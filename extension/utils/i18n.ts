/**
 * The UI's one string catalogue (English, Dutch, Swedish, French) and locale-aware number/date formatting.
 * `{name}` placeholders are replaced by {@link t}'s params; every language has every key (checked by the types).
 */
import { en } from "./i18n-en";
import { fr } from "./i18n-fr";
import { nl } from "./i18n-nl";
import { sv } from "./i18n-sv";

export const LANGUAGES = ["en", "nl", "sv", "fr"] as const;
export type Language = (typeof LANGUAGES)[number];
export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;

const CATALOGUES: Record<Language, Catalogue> = { en, nl, sv, fr };

/** The supported language closest to a BCP-47 tag ("nl-BE" → "nl"); English otherwise. */
export function pickLanguage(tag: string | undefined | null): Language {
  const base = (tag ?? "").toLowerCase().split(/[-_]/)[0] ?? "";
  return (LANGUAGES as readonly string[]).includes(base) ? (base as Language) : "en";
}

export function translate(lang: Language, key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = CATALOGUES[lang][key] ?? en[key];
  return template.replace(/\{(\w+)\}/g, (m, name: string) => {
    const v = params[name];
    if (v === undefined) return m;
    return typeof v === "number" ? formatNumber(lang, v) : v;
  });
}

export function formatNumber(lang: Language, n: number, maximumFractionDigits = 1): string {
  return new Intl.NumberFormat(lang, { maximumFractionDigits }).format(n);
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
