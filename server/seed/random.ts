/** Deterministic randomness for the seed generator. */

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, maxInclusive]. */
  int(min: number, maxInclusive: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

/** mulberry32: 32-bit state, period 2^32, fast and good enough for test data. Same seed → same sequence. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int(min, maxInclusive) {
      return min + Math.floor(next() * (maxInclusive - min + 1));
    },
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error("pick: empty list");
      return items[Math.floor(next() * items.length)] as T;
    },
    chance(p) {
      return next() < p;
    },
  };
}

/** Picks items with probability ∝ weight, in O(log n) per pick. */
export class WeightedPicker<T> {
  private readonly items: T[] = [];
  private readonly cumulative: number[] = [];
  private total = 0;

  constructor(entries: Iterable<T>, weightOf: (item: T) => number) {
    for (const item of entries) {
      const w = weightOf(item);
      if (!(w > 0)) continue;
      this.total += w;
      this.items.push(item);
      this.cumulative.push(this.total);
    }
  }

  get size(): number {
    return this.items.length;
  }

  pick(rng: Rng): T {
    if (this.items.length === 0) throw new Error("WeightedPicker: no item has a positive weight");
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo] as T;
  }
}

/** Approximately standard normal, bounded to ±3.46 (Irwin–Hall with four uniforms). */
export function boundedNormal(rng: Rng): number {
  return (rng.next() + rng.next() + rng.next() + rng.next() - 2) * 1.7320508;
}

/** Log-uniform in [min, max]: as many values in 1M–10M as in 10M–100M. */
export function logUniform(rng: Rng, min: number, max: number): number {
  return Math.exp(Math.log(min) + rng.next() * (Math.log(max) - Math.log(min)));
}

export function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

export function digits(rng: Rng, count: number): string {
  let s = "";
  for (let i = 0; i < count; i++) s += String(Math.floor(rng.next() * 10));
  return s;
}

const FOLD: Record<string, string> = { ø: "o", æ: "ae", œ: "oe", ß: "ss", ł: "l", đ: "d", ð: "d", þ: "th" };

/** Lower-case ASCII letters and digits only: "Malmö Water Authority" → "malmowaterauthority", "de Vries" → "devries". */
export function asciiStem(s: string): string {
  return s
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[øæœßłđðþ]/g, (c) => FOLD[c] ?? "")
    .replace(/[^a-z0-9]/g, "");
}
