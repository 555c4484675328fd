import { describe, expect, it } from "vitest";
import {
  completenessScore,
  type DailyCount,
  engagementScore,
  groupEngagement,
  roundHalfUp,
  type ScoringActivityType,
  type ScoringRole,
  type Weighting,
} from "../../../shared/scoring";

// Scores are shown rounded half-up: x.5 goes up, anything below stays down.
const role = (key: string, weighting: Weighting, membersRequired = 1): ScoringRole => ({
  key,
  name: key,
  weighting,
  membersRequired,
  countsTowardCompleteness: true,
  decisionMaker: false,
});

describe("roundHalfUp", () => {
  it.each([
    [35.5, 36],
    [35.25, 35],
    [35.75, 36],
    [75.89999, 76],
    [0.5, 1],
    [1.5, 2],
    [2.5, 3],
    [12.5, 13],
    [2.4999, 2],
    [0.4999, 0],
    [0, 0],
    [100, 100],
    [99.5, 100],
    [33.333333333333336, 33],
    [66.66666666666667, 67],
    // Float artefacts of an exact .5 (e.g. 0.1 × 3 × 5 = 1.5000000000000002 or 1.4999999999999998).
    [1.4999999999999998, 2],
    [(0.1 + 0.2) * 5, 2],
  ])("%d → %d", (value, shown) => {
    expect(roundHalfUp(value)).toBe(shown);
  });
});

describe("shown scores round half-up", () => {
  it("a group engagement of exactly 12.5 (Vital/Vital, totals 25 and 0) shows 13", () => {
    const e = groupEngagement([role("a", "vital"), role("b", "vital")], [{ personId: "p1", roleKey: "a", score: 25 }]);
    expect(e.raw).toBe(12.5);
    expect(e.score).toBe(13);
  });

  it("the seeds' roles with totals 52, 28, 2 give exactly 31.5 and show 32", () => {
    const e = groupEngagement(
      [role("dm", "vital"), role("inf", "important"), role("pr", "normal")],
      [
        { personId: "p1", roleKey: "dm", score: 52 },
        { personId: "p2", roleKey: "inf", score: 28 },
        { personId: "p3", roleKey: "pr", score: 2 },
      ],
    );
    expect(e.raw).toBe(31.5);
    expect(e.score).toBe(32);
  });

  it("the seeds' worked example 35.25 shows 35", () => {
    const e = groupEngagement(
      [role("dm", "vital"), role("inf", "important"), role("pr", "normal")],
      [
        { personId: "p1", roleKey: "dm", score: 52 },
        { personId: "p2", roleKey: "inf", score: 28 },
        { personId: "p3", roleKey: "pr", score: 17 },
      ],
    );
    expect(e.score).toBe(35);
  });

  it("an engagement of 17.5 computed from activity counts (37 yesterday + 15 today, half share) shows 18", () => {
    const types = new Map<string, ScoringActivityType>([
      ["visit-webpage", { id: "visit-webpage", name: "Visit Webpage", dailyCap: 20, weight: 40, countsTowardEngagement: true }],
    ]);
    const counts: DailyCount[] = [
      { personId: "p1", typeId: "visit-webpage", day: "2026-11-22", count: 37 },
      { personId: "p1", typeId: "visit-webpage", day: "2026-11-23", count: 15 },
    ];
    const e = engagementScore([role("a", "vital"), role("b", "vital")], [{ personId: "p1", roleKey: "a" }], counts, types, {
      now: new Date("2026-11-23T12:00:00.000Z"),
      timeZone: "UTC",
    });
    expect(e.raw).toBe(17.5);
    expect(e.score).toBe(18);
  });

  it("a completeness of exactly 12.5 (1 of 8 required) shows 13; 62.5 shows 63", () => {
    const now = new Date("2026-11-23T12:00:00.000Z");
    expect(completenessScore([role("a", "vital", 8)], [{ personId: "p1", roleKey: "a" }], now)).toMatchObject({
      raw: 12.5,
      score: 13,
    });
    const five = Array.from({ length: 5 }, (_, i) => ({ personId: `p${i}`, roleKey: "a" }));
    expect(completenessScore([role("a", "vital", 8)], five, now)).toMatchObject({ raw: 62.5, score: 63 });
  });
});
