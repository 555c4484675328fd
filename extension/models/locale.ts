import { computed, signal } from "@preact/signals";
import { hasLanguage, type Language, loadLanguage, type MessageKey, pickLanguage, translate } from "../utils/i18n";

const browserLanguage = () => pickLanguage(typeof navigator === "undefined" ? "en" : navigator.language);

/** The UI language: the user's choice, else the browser's. Changes only once its catalogue is loaded. */
export const language = signal<Language>(hasLanguage(browserLanguage()) ? browserLanguage() : "en");

/** Switches the UI language; resolves when its strings are loaded and shown. */
export async function setLanguage(choice: Language | "auto"): Promise<void> {
  const lang = choice === "auto" ? browserLanguage() : choice;
  await loadLanguage(lang);
  language.value = lang;
}

/** Translate in the current language (re-renders when the language changes, since it reads the signal). */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return translate(language.value, key, params);
}

export const dir = computed(() => "ltr");
