/**
 * Each role's share of the group engagement score: its weighting value over the sum of every role's value (seeds:
 * Vital 100, Important 80, Normal 60 → 41.67 %, 33.33 %, 25 %). The values come from shared/scoring, so the editor shows
 * exactly what the server will use.
 */
import { WEIGHTING_VALUES, WEIGHTINGS, type Weighting } from "../../../../shared/scoring/weighting";

export { WEIGHTING_VALUES, WEIGHTINGS, type Weighting };

export function roleShares(weightings: readonly Weighting[]): number[] {
  const total = weightings.reduce((s, w) => s + WEIGHTING_VALUES[w], 0);
  return weightings.map((w) => (total === 0 ? 0 : WEIGHTING_VALUES[w] / total));
}

/** A share as a percentage in the UI language: 0.416666 → "41.67 %" (en: "41.67%"). */
export function formatShare(lang: string, share: number): string {
  return new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 2 }).format(share);
}
