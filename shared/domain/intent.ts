/**
 * Intent levels from intent signals. Pure: the server loads signals, the panel can explain them.
 *
 * Each signal contributes `strength × decay`, where decay falls linearly from 1 (today) to 0 at the
 * end of the window: a signal `d` whole days old in a 30-day window counts `(30 − d) / 30`; one 30 or
 * more days old counts nothing. Per (type, topic) the contributions add up to an intent score, and
 *   High   ≥ 150  (e.g. two strong signals this week)
 *   Medium ≥ 50   (e.g. one strength-60 signal today)
 *   Low    > 0
 */
export const INTENT_TYPES = ["keyword", "product", "solution"] as const;
export type IntentType = (typeof INTENT_TYPES)[number];
export type IntentLevel = "high" | "medium" | "low";

export const INTENT_THRESHOLDS = { high: 150, medium: 50 } as const;

export interface IntentSignalInput {
  type: IntentType;
  topic: string;
  /** 0–100. */
  strength: number;
  occurredAt: string;
}

export interface IntentTopic {
  type: IntentType;
  topic: string;
  score: number;
  level: IntentLevel;
  signals: number;
  lastSignalAt: string;
}

const DAY_MS = 86_400_000;
const LEVEL_RANK: Record<IntentLevel, number> = { low: 1, medium: 2, high: 3 };

export const levelRank = (l: IntentLevel): number => LEVEL_RANK[l];

export function intentLevel(score: number): IntentLevel | null {
  if (score >= INTENT_THRESHOLDS.high) return "high";
  if (score >= INTENT_THRESHOLDS.medium) return "medium";
  return score > 0 ? "low" : null;
}

/** The weight of a signal at `now`: 1 today, falling linearly to 0 at `windowDays` days old. */
export function intentDecay(occurredAt: string, now: Date, windowDays: number): number {
  const ageDays = Math.floor((now.getTime() - Date.parse(occurredAt)) / DAY_MS);
  if (ageDays < 0) return 1;
  return Math.max(0, (windowDays - ageDays) / windowDays);
}

const fold = (s: string) =>
  s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();

/** Intent per (type, topic), strongest first; topics differing only in case or accents are one topic. */
export function intentTopics(signals: readonly IntentSignalInput[], now: Date, windowDays = 30): IntentTopic[] {
  const byKey = new Map<string, IntentTopic>();
  for (const s of signals) {
    const weight = intentDecay(s.occurredAt, now, windowDays);
    if (weight <= 0) continue;
    const key = `${s.type}|${fold(s.topic)}`;
    const t = byKey.get(key) ?? {
      type: s.type,
      topic: s.topic,
      score: 0,
      level: "low" as IntentLevel,
      signals: 0,
      lastSignalAt: s.occurredAt,
    };
    t.score += s.strength * weight;
    t.signals++;
    if (s.occurredAt > t.lastSignalAt) t.lastSignalAt = s.occurredAt;
    byKey.set(key, t);
  }
  const out: IntentTopic[] = [];
  for (const t of byKey.values()) {
    const level = intentLevel(t.score);
    if (level) out.push({ ...t, score: Math.round(t.score * 10) / 10, level });
  }
  return out.sort((a, b) => b.score - a.score || a.topic.localeCompare(b.topic));
}

/** The highest level per type (the panel's "Intent" row), null when there is none. */
export function levelsByType(topics: readonly IntentTopic[]): Record<IntentType, IntentLevel | null> {
  const out: Record<IntentType, IntentLevel | null> = { keyword: null, product: null, solution: null };
  for (const t of topics) {
    const cur = out[t.type];
    if (!cur || LEVEL_RANK[t.level] > LEVEL_RANK[cur]) out[t.type] = t.level;
  }
  return out;
}

export interface SolutionInterestIntent {
  id: string;
  name: string;
  keywords: readonly string[];
  products: readonly string[];
}

/**
 * The solution interest an account's intent points at: each interest scores the intent of the topics
 * it lists (keywords as keyword topics, products as product topics, its name as a solution topic).
 * Confidence (0–1) = the winner's share of all matched intent × how strong it is (full at High).
 */
export function predictSolutionInterest(
  topics: readonly IntentTopic[],
  interests: readonly SolutionInterestIntent[],
): { solutionInterestId: string; name: string; confidence: number; score: number; matchedTopics: string[] } | null {
  const scored = interests.map((si) => {
    const wanted = new Set([
      ...si.keywords.map((k) => `keyword|${fold(k)}`),
      ...si.products.map((p) => `product|${fold(p)}`),
      `solution|${fold(si.name)}`,
    ]);
    const hits = topics.filter((t) => wanted.has(`${t.type}|${fold(t.topic)}`));
    return { si, score: hits.reduce((s, t) => s + t.score, 0), hits: hits.map((h) => h.topic) };
  });
  const total = scored.reduce((s, x) => s + x.score, 0);
  const best = scored.sort((a, b) => b.score - a.score)[0];
  if (!best || best.score <= 0) return null;
  const confidence = (best.score / total) * Math.min(1, best.score / INTENT_THRESHOLDS.high);
  return {
    solutionInterestId: best.si.id,
    name: best.si.name,
    confidence: Math.round(confidence * 100) / 100,
    score: Math.round(best.score * 10) / 10,
    matchedTopics: best.hits,
  };
}
