import { computed, signal } from "@preact/signals";
import { type Language, type MessageKey, pickLanguage, translate } from "../utils/i18n";

/** The UI language: the user's choice, else the browser's. */
export const language = signal<Language>(pickLanguage(typeof navigator === "undefined" ? "en" : navigator.language));

export function setLanguage(choice: Language | "auto"): void {
  language.value = choice === "auto" ? pickLanguage(typeof navigator === "undefined" ? "en" : navigator.language) : choice;
}

/** Translate in the current language (re-renders when the language changes, since it reads the signal). */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return translate(language.value, key, params);
}

export const dir = computed(() => "ltr");
