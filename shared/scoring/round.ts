/** Half-up rounding of a non-negative float for display (guards against 0.49999999 artefacts). */
export function roundHalfUp(value: number): number {
  return Math.floor(value + 0.5 + 1e-9);
}
