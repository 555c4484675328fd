import { inWindow, type ScoringWindow, scoringWindow } from "./days";
import type { DailyCount, PersonScore, ScoringActivityType, ScoringModel, ScoringOptions, TypeBreakdown } from "./types";

export function factorOf(type: ScoringActivityType, model: ScoringModel): number {
  return model === "weighted" ? type.weight / 100 : 1;
}

/**
 * Per-type breakdown of one person's activity in the window: capped(p, a, d) = min(count, cap(a)),
 * points = Σ capped × factor(a). Types that do not count toward engagement and unknown types are skipped.
 */
export function typeBreakdown(
  counts: DailyCount[],
  types: ReadonlyMap<string, ScoringActivityType>,
  window: ScoringWindow,
  model: ScoringModel,
): TypeBreakdown[] {
  const byType = new Map<string, TypeBreakdown>();
  for (const c of counts) {
    if (!inWindow(c.day, window)) continue;
    const type = types.get(c.typeId);
    if (!type?.countsTowardEngagement) continue;
    let row = byType.get(c.typeId);
    if (!row) {
      row = {
        typeId: type.id,
        typeName: type.name,
        countBeforeCap: 0,
        countAfterCap: 0,
        cappedDays: [],
        factor: factorOf(type, model),
        points: 0,
      };
      byType.set(c.typeId, row);
    }
    const capped = Math.min(c.count, type.dailyCap);
    row.countBeforeCap += c.count;
    row.countAfterCap += capped;
    if (capped < c.count) row.cappedDays.push(c.day);
  }
  const rows = [...byType.values()];
  for (const r of rows) {
    r.points = r.countAfterCap * r.factor;
    r.cappedDays.sort();
  }
  return rows.sort((a, b) => b.points - a.points || a.typeId.localeCompare(b.typeId));
}

/** A person's (lead) engagement score: Σ over types and days in the window of capped × factor. */
export function personScore(
  personId: string,
  counts: DailyCount[],
  types: ReadonlyMap<string, ScoringActivityType>,
  options: ScoringOptions,
): PersonScore {
  const window = scoringWindow(options.now, options.timeZone, options.windowDays);
  const own = counts.filter((c) => c.personId === personId);
  const breakdown = typeBreakdown(own, types, window, options.model ?? "count");
  return {
    personId,
    score: breakdown.reduce((s, t) => s + t.points, 0),
    window,
    types: breakdown,
    computedAt: options.now.toISOString(),
  };
}
