import type { Language } from "../../../utils/i18n";

/**
 * The access-token lifetime as words in the UI language ("5 minutes", "90 seconds", "1 hour"): how long a browser that
 * is still signed in keeps access after an admin disables its user or ends its sign-in.
 */
export function formatLifetime(lang: Language, seconds: number): string {
  const [value, unit] =
    seconds % 3600 === 0 ? [seconds / 3600, "hour"] : seconds % 60 === 0 ? [seconds / 60, "minute"] : [seconds, "second"];
  return new Intl.NumberFormat(lang, { style: "unit", unit, unitDisplay: "long" }).format(value);
}
