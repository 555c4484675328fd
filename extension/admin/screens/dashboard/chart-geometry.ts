/**
 * Pure geometry and colour helpers of the dashboard's hand-written SVG charts: "nice" axis ticks, linear and band
 * scales, a colour ramp for the heat map and the text colour that stays readable on a cell. Unit-tested.
 */

/** A step of 1, 2, 2.5 or 5 × 10ⁿ that splits [0, max] into about `count` intervals. */
export function niceStep(max: number, count = 5): number {
  if (!(max > 0) || !Number.isFinite(max)) return 1;
  const rough = max / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/**
 * Axis ticks from 0 to the first step at or above `max` (at least one step): `niceTicks(69)` → [0, 20, 40, 60, 80].
 * Counts get whole-number steps.
 */
export function niceTicks(max: number, count = 5, integer = true): number[] {
  let step = niceStep(max, count);
  if (integer) step = Math.max(1, Math.ceil(step));
  const top = Math.max(step, Math.ceil(max / step) * step);
  const ticks: number[] = [];
  // Rounding keeps 0.1 + 0.2 style errors out of the labels.
  for (let v = 0; v <= top + step / 1e6; v += step) ticks.push(Math.round(v * 1e9) / 1e9);
  return ticks;
}

/** Maps [0, domainMax] linearly onto [0, length]; an empty domain maps everything to 0. */
export function linearScale(domainMax: number, length: number): (v: number) => number {
  if (!(domainMax > 0)) return () => 0;
  return (v) => (Math.max(0, Math.min(v, domainMax)) / domainMax) * length;
}

export interface Band {
  /** Distance from one band's start to the next. */
  step: number;
  /** Width of a bar inside its band. */
  width: number;
  /** Start of bar `i`. */
  start: (i: number) => number;
  /** Centre of band `i` (for its label). */
  centre: (i: number) => number;
}

/** `n` equal bands over `length`, each bar taking (1 − padding) of its band and centred in it. */
export function bandScale(n: number, length: number, padding = 0.25): Band {
  const step = n > 0 ? length / n : length;
  const width = Math.max(1, step * (1 - Math.min(Math.max(padding, 0), 0.9)));
  return {
    step,
    width,
    start: (i) => i * step + (step - width) / 2,
    centre: (i) => i * step + step / 2,
  };
}

/** Parts of a whole as [start, size] runs over `length` (a stacked bar); zero parts get zero width. */
export function stackRuns(values: readonly number[], length: number): Array<{ start: number; size: number; share: number }> {
  const total = values.reduce((s, v) => s + Math.max(0, v), 0);
  let at = 0;
  return values.map((v) => {
    const share = total > 0 ? Math.max(0, v) / total : 0;
    const run = { start: at, size: share * length, share };
    at += run.size;
    return run;
  });
}

type Rgb = [number, number, number];

export function parseHex(hex: string): Rgb {
  const h = hex.replace("#", "");
  const full = h.length === 3 ? [...h].map((c) => c + c).join("") : h;
  const n = Number.parseInt(full, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

const toHex = (rgb: Rgb) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, "0")).join("")}`;

/** Heat-map ramp: pale (0) → saturated indigo (1), through the given stops. */
export const HEAT_STOPS = ["#eef2ff", "#a5b4fc", "#6366f1", "#3730a3"] as const;

/** The colour at `t` ∈ [0, 1] (clamped) on a ramp through `stops`. */
export function colourRamp(t: number, stops: readonly string[] = HEAT_STOPS): string {
  if (stops.length === 0) return "#000000";
  if (stops.length === 1 || !Number.isFinite(t)) return stops[0]!;
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = parseHex(stops[i]!);
  const b = parseHex(stops[i + 1]!);
  return toHex([a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f]);
}

/** WCAG relative luminance of a colour. */
export function luminance(hex: string): number {
  const [r, g, b] = parseHex(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Pure black: with white as the other choice, every background then gets a contrast of at least 4.58:1. */
export const DARK_TEXT = "#000000";
export const LIGHT_TEXT = "#ffffff";

/** Dark or white text, whichever contrasts more with `background`. */
export function textOn(background: string): string {
  return contrastRatio(background, DARK_TEXT) >= contrastRatio(background, LIGHT_TEXT) ? DARK_TEXT : LIGHT_TEXT;
}

/** Shortens a label to about `max` characters with an ellipsis (the full text goes in a <title>). */
export function truncate(label: string, max: number): string {
  return label.length <= max ? label : `${label.slice(0, Math.max(1, max - 1)).trimEnd()}…`;
}

/** Characters that fit in `px` at about 7 px per character (12 px system font). */
export const charsFor = (px: number): number => Math.max(3, Math.floor(px / 7));
