/**
 * Per-screen string catalogues for the admin console. Each screen declares its own messages with
 * {@link defineMessages} (English is the reference; the types make Dutch, Swedish and French carry exactly the same
 * keys) and translates with {@link useT}, which follows the shared UI language signal and formats numbers for it.
 */
import { language } from "../models/locale";
import { formatNumber, type Language } from "../utils/i18n";

export type Messages<K extends string> = Record<Language, Record<K, string>>;

export function defineMessages<const E extends Record<string, string>>(catalogues: {
  en: E;
  nl: Record<keyof E, string>;
  sv: Record<keyof E, string>;
  fr: Record<keyof E, string>;
}): Messages<keyof E & string> {
  return catalogues as Messages<keyof E & string>;
}

export type Translate<K extends string> = (key: K, params?: Record<string, string | number>) => string;

export function translateWith<K extends string>(
  messages: Messages<K>,
  lang: Language,
  key: K,
  params: Record<string, string | number> = {},
): string {
  const template = messages[lang][key] ?? messages.en[key];
  return template.replace(/\{(\w+)\}/g, (m, name: string) => {
    const v = params[name];
    if (v === undefined) return m;
    return typeof v === "number" ? formatNumber(lang, v) : v;
  });
}

/** `t(key, params)` in the current UI language; components re-render when the language changes. */
export function useT<K extends string>(messages: Messages<K>): Translate<K> {
  const lang = language.value;
  return (key, params) => translateWith(messages, lang, key, params);
}
