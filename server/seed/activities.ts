/**
 * Activities for seeded people, streamed person by person (O(people) memory, never O(activities)).
 * Engagement is skewed: ~30% of people do nothing, most do a little, a few do a lot; busy people
 * have bursts of more than 20 activities of one type on one day, so daily caps matter. Sessions
 * fall mostly in the person's working hours, on weekdays, a little more often in recent days.
 */
import { GENERIC_PAGES, SEED_PRODUCTS, SELLER_SITE, type SeedProduct } from "./names";
import { boundedNormal, pad, type Rng, WeightedPicker } from "./random";

export interface GeneratedActivity {
  externalId: string;
  personKey: string;
  typeId: string;
  occurredAt: string;
  metadata: { url?: string; keywords?: string[]; product?: string } | null;
}

export interface ActivityGeneratorOptions {
  /** Approximate number of activities across all people (the generator hits it exactly). */
  total: number;
  /** Calendar days (UTC) covered, the last one being the day of `end`. */
  days: number;
  /** "Now": no activity is later than this. */
  end: Date;
  /** Types are picked with probability ∝ weight; weight 0 types are never picked. */
  typeIds: readonly { id: string; weight: number }[];
  rng: Rng;
}

/** A person as the activity generator needs it; `country` (ISO alpha-2) sets their working hours. */
export interface ActivityPerson {
  key: string;
  country?: string | null;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Standard-time UTC offsets, in hours; a person gets one of their country's. */
const UTC_OFFSETS: Record<string, readonly number[]> = {
  US: [-5, -5, -6, -8],
  CA: [-5, -8],
  GB: [0],
  IE: [0],
  FI: [2],
  AU: [10, 10, 8],
};

/** Types one does once per occasion (register, attend, reply…) vs. ones that come in bursts (views, clicks). */
const SINGLE = /register|attend|subscribe|schedul|fill|reply|goal|ask|respond|sent|download/;
const URL_TYPES = /web|page|link|click|form|email|call-to-action|cta|download|asset/;

interface TypeInfo {
  id: string;
  weight: number;
  single: boolean;
  urlish: boolean;
}

interface Session {
  t: number;
  type: TypeInfo;
  size: number;
  product: SeedProduct;
}

interface Context {
  rng: Rng;
  days: number;
  windowStart: number;
  endMs: number;
  dayWeight: Float64Array;
  types: WeightedPicker<TypeInfo>;
  burstTypes: WeightedPicker<TypeInfo>;
  iso: (t: number) => string;
  seq: number;
}

export function* generateActivities(
  people: Iterable<ActivityPerson> | readonly ActivityPerson[],
  options: ActivityGeneratorOptions,
): Generator<GeneratedActivity> {
  const { total, days, end, rng } = options;
  if (!Number.isInteger(total) || total < 0) throw new Error("generateActivities: total must be a non-negative integer");
  if (!Number.isInteger(days) || days < 1) throw new Error("generateActivities: days must be a positive integer");
  const infos = options.typeIds.map(
    (t): TypeInfo => ({ id: t.id, weight: t.weight, single: SINGLE.test(t.id), urlish: URL_TYPES.test(t.id) }),
  );
  const types = new WeightedPicker(infos, (t) => t.weight);
  if (types.size === 0) throw new Error("generateActivities: typeIds needs at least one type with a positive weight");
  const burstable = new WeightedPicker(
    infos.filter((t) => !t.single),
    (t) => t.weight,
  );

  const list: readonly ActivityPerson[] = Array.isArray(people) ? people : Array.from(people);
  if (list.length === 0 || total === 0) return;

  const endMs = end.getTime();
  const windowStart = Math.floor(endMs / DAY) * DAY - (days - 1) * DAY;
  const dayWeight = new Float64Array(days);
  for (let d = 0; d < days; d++) {
    const dow = new Date(windowStart + d * DAY).getUTCDay();
    const recency = days === 1 ? 1 : 0.65 + (0.35 * d) / (days - 1);
    dayWeight[d] = (dow === 0 || dow === 6 ? 0.18 : 1) * recency;
  }

  // Engagement per person: none for ~30%, log-normal (bounded) for the rest.
  const weights = new Float64Array(list.length);
  let sum = 0;
  for (let i = 0; i < list.length; i++) {
    const w = rng.chance(0.3) ? 0 : Math.exp(1.25 * boundedNormal(rng));
    weights[i] = w;
    sum += w;
  }
  if (sum === 0) {
    weights.fill(1);
    sum = list.length;
  }

  const ctx: Context = {
    rng,
    days,
    windowStart,
    endMs,
    dayWeight,
    types,
    burstTypes: burstable.size > 0 ? burstable : types,
    iso: isoFormatter(),
    seq: 0,
  };
  // Systematic rounding of total × share: every person gets floor or ceil of their share, and the sum is exactly `total`.
  const offset = rng.next();
  let acc = 0;
  let previous = 0;
  for (let i = 0; i < list.length; i++) {
    acc += weights[i] as number;
    const cumulative = Math.min(total, Math.floor((total * acc) / sum + offset));
    const count = cumulative - previous;
    previous = cumulative;
    const person = list[i] as ActivityPerson;
    if (count > 0) yield* personActivities(person, count, ctx);
  }
}

function* personActivities(person: ActivityPerson, count: number, ctx: Context): Generator<GeneratedActivity> {
  const { rng, days, endMs } = ctx;
  // Some people started engaging recently, some stopped; the rest span the whole window.
  let from = 0;
  let to = days - 1;
  if (days > 7) {
    const r = rng.next();
    if (r < 0.3) from = rng.int(0, days - 7);
    else if (r < 0.45) to = rng.int(6, days - 1);
  }
  const utcOffset = rng.pick(UTC_OFFSETS[person.country ?? ""] ?? [1]);
  const favourites: TypeInfo[] = [];
  for (let n = rng.int(1, 4); n > 0; n--) favourites.push(ctx.types.pick(rng));
  const favouriteBursts = favourites.filter((t) => !t.single);
  const favouriteProduct = rng.pick(SEED_PRODUCTS);
  const perDay = count / (to - from + 1);
  const burstChance = count < 21 ? 0 : perDay >= 4 ? 0.04 : perDay >= 1 ? 0.015 : 0.006;

  const sessions: Session[] = [];
  for (let remaining = count; remaining > 0; ) {
    let type: TypeInfo;
    let size: number;
    if (remaining >= 21 && rng.chance(burstChance)) {
      type = favouriteBursts.length > 0 && rng.chance(0.8) ? rng.pick(favouriteBursts) : ctx.burstTypes.pick(rng);
      size = rng.int(21, 48);
    } else {
      type = rng.chance(0.7) ? rng.pick(favourites) : ctx.types.pick(rng);
      const r = rng.next();
      if (type.single) size = r < 0.9 ? 1 : 2;
      else size = r < 0.55 ? 1 : r < 0.85 ? rng.int(2, 4) : rng.int(5, 12);
    }
    size = Math.min(size, remaining);
    remaining -= size;

    const t = sessionStart(from, to, utcOffset, ctx);
    sessions.push({ t, type, size, product: rng.chance(0.75) ? favouriteProduct : rng.pick(SEED_PRODUCTS) });
  }
  sessions.sort((a, b) => a.t - b.t);

  for (const s of sessions) {
    const burst = s.size > 20;
    let t = s.t;
    for (let k = 0; k < s.size; k++) {
      if (k > 0) t += (burst ? rng.int(2, 45) : rng.int(15, 300)) * 1000;
      ctx.seq++;
      yield {
        externalId: `act-${pad(ctx.seq, 9)}`,
        personKey: person.key,
        typeId: s.type.id,
        occurredAt: ctx.iso(Math.min(t, endMs)),
        metadata: rng.chance(0.3) ? metadataFor(s, rng) : null,
      };
    }
  }
}

/** A session start on a (weighted) day in [from, to], at a local working-hours time, inside the window. */
function sessionStart(from: number, to: number, utcOffset: number, ctx: Context): number {
  const { rng, windowStart, endMs } = ctx;
  for (let attempt = 0; attempt < 50; attempt++) {
    let day: number;
    do day = rng.int(from, to);
    while (rng.next() >= (ctx.dayWeight[day] as number));
    let t = windowStart + day * DAY + localTimeOfDay(rng) - utcOffset * HOUR;
    t -= t % 1000;
    if (t >= windowStart && t <= endMs) return t;
  }
  // Only when the window is a sliver (e.g. one day that has barely started).
  return windowStart + Math.floor((rng.next() * (endMs - windowStart)) / 1000) * 1000;
}

/** Milliseconds after local midnight: mostly around 10:15 and 14:30, some at any hour. */
function localTimeOfDay(rng: Rng): number {
  if (rng.chance(0.1)) return Math.floor(rng.next() * DAY);
  const hours = (rng.chance(0.5) ? 10.25 : 14.5) + 1.5 * boundedNormal(rng);
  return Math.floor(Math.min(23.99, Math.max(0, hours)) * HOUR);
}

function metadataFor(s: Session, rng: Rng): NonNullable<GeneratedActivity["metadata"]> {
  const m: NonNullable<GeneratedActivity["metadata"]> = {};
  const p = s.product;
  let productPage = true;
  if (s.type.urlish || rng.chance(0.2)) {
    productPage = rng.chance(0.75);
    m.url = productPage
      ? `${SELLER_SITE}/products/${p.path}${rng.chance(0.25) ? "/pricing" : ""}`
      : SELLER_SITE + rng.pick(GENERIC_PAGES);
  }
  if (productPage && rng.chance(0.6)) m.product = p.name;
  if (rng.chance(0.5)) {
    const n = rng.int(1, Math.min(3, p.keywords.length));
    const start = rng.int(0, p.keywords.length - 1);
    m.keywords = Array.from({ length: n }, (_, i) => p.keywords[(start + i) % p.keywords.length] as string);
  }
  if (m.url === undefined && m.product === undefined && m.keywords === undefined) m.product = p.name;
  return m;
}

/** Fast `Date#toISOString` for whole milliseconds: the day prefix is cached. */
function isoFormatter(): (t: number) => string {
  const prefixes = new Map<number, string>();
  const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
  return (t) => {
    const day = Math.floor(t / DAY);
    let prefix = prefixes.get(day);
    if (prefix === undefined) {
      prefix = new Date(day * DAY).toISOString().slice(0, 11);
      prefixes.set(day, prefix);
    }
    let ms = t - day * DAY;
    const h = Math.floor(ms / HOUR);
    ms -= h * HOUR;
    const min = Math.floor(ms / 60_000);
    ms -= min * 60_000;
    const sec = Math.floor(ms / 1000);
    ms -= sec * 1000;
    return `${prefix}${two(h)}:${two(min)}:${two(sec)}.${ms < 10 ? `00${ms}` : ms < 100 ? `0${ms}` : ms}Z`;
  };
}
