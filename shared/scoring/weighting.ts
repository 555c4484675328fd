/** Role weighting levels and their system values (seeds: Trivial 20 … Vital 100). */
export const WEIGHTINGS = ["trivial", "minor", "normal", "important", "vital"] as const;
export type Weighting = (typeof WEIGHTINGS)[number];

export const WEIGHTING_VALUES: Record<Weighting, number> = {
  trivial: 20,
  minor: 40,
  normal: 60,
  important: 80,
  vital: 100,
};
