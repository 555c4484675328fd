import { describe, expect, it } from "vitest";
import { type DailyCount, personScore, type ScoringActivityType, scoringWindow, typeBreakdown } from "../../../shared/scoring";

// capped(p, a, d) = min(count of type a by person p on day d, cap(a)); person score = Σ capped.
const NOW = new Date("2026-11-23T12:00:00.000Z");
const TODAY = "2026-11-23";
const YESTERDAY = "2026-11-22";

const type = (id: string, dailyCap = 20, countsTowardEngagement = true): ScoringActivityType => ({
  id,
  name: id,
  dailyCap,
  weight: 40,
  countsTowardEngagement,
});
const TYPES = new Map<string, ScoringActivityType>(
  [
    type("visit-webpage"),
    type("click-email"),
    type("sales-email-sent", 20, false),
    type("cap-5", 5),
    type("cap-1", 1),
    type("cap-100", 100),
  ].map((t) => [t.id, t]),
);

type Row = [typeId: string, day: string, count: number];
const counts = (rows: readonly Row[], personId = "p1"): DailyCount[] =>
  rows.map(([typeId, day, count]) => ({ personId, typeId, day, count }));
const score = (rows: readonly Row[]) => personScore("p1", counts(rows), TYPES, { now: NOW, timeZone: "UTC" }).score;

describe("the daily cap", () => {
  it.each<[string, Row[], number]>([
    ["37 on one day → 20", [["visit-webpage", TODAY, 37]], 20],
    ["20 on one day → 20", [["visit-webpage", TODAY, 20]], 20],
    ["21 on one day → 20", [["visit-webpage", TODAY, 21]], 20],
    ["19 on one day → 19", [["visit-webpage", TODAY, 19]], 19],
    [
      "21 across two days (20 + 1) → 21",
      [
        ["visit-webpage", YESTERDAY, 20],
        ["visit-webpage", TODAY, 1],
      ],
      21,
    ],
    [
      "the seeds: yesterday 37, today 15 → 20 + 15",
      [
        ["visit-webpage", YESTERDAY, 37],
        ["visit-webpage", TODAY, 15],
      ],
      35,
    ],
    [
      "20 of two types on one day → 40 (the cap is per type)",
      [
        ["visit-webpage", TODAY, 20],
        ["click-email", TODAY, 20],
      ],
      40,
    ],
    [
      "25 of two types on one day → 40",
      [
        ["visit-webpage", TODAY, 25],
        ["click-email", TODAY, 25],
      ],
      40,
    ],
    [
      "30 on each of three days → 60",
      [
        ["visit-webpage", "2026-11-21", 30],
        ["visit-webpage", YESTERDAY, 30],
        ["visit-webpage", TODAY, 30],
      ],
      60,
    ],
  ])("%s", (_label, rows, expected) => {
    expect(score(rows)).toBe(expected);
  });

  it("explains which days were capped and the counts before and after the cap", () => {
    const window = scoringWindow(NOW, "UTC");
    const rows = typeBreakdown(
      counts([
        ["visit-webpage", TODAY, 15],
        ["visit-webpage", YESTERDAY, 37],
        ["click-email", TODAY, 2],
      ]),
      TYPES,
      window,
      "count",
    );
    expect(rows).toEqual([
      expect.objectContaining({
        typeId: "visit-webpage",
        countBeforeCap: 52,
        countAfterCap: 35,
        cappedDays: [YESTERDAY],
        points: 35,
      }),
      expect.objectContaining({ typeId: "click-email", countBeforeCap: 2, countAfterCap: 2, cappedDays: [], points: 2 }),
    ]);
  });

  it("is per person: another person's activity on the same day does not use up the cap", () => {
    const all = [...counts([["visit-webpage", TODAY, 15]], "p1"), ...counts([["visit-webpage", TODAY, 15]], "p2")];
    expect(personScore("p1", all, TYPES, { now: NOW, timeZone: "UTC" }).score).toBe(15);
    expect(personScore("p2", all, TYPES, { now: NOW, timeZone: "UTC" }).score).toBe(15);
  });
});

describe("types that do not count toward engagement", () => {
  it.each<[string, Row[], number]>([
    ["10 sales emails sent → 0", [["sales-email-sent", TODAY, 10]], 0],
    [
      "sales emails sent next to 5 visits → 5",
      [
        ["sales-email-sent", TODAY, 10],
        ["visit-webpage", TODAY, 5],
      ],
      5,
    ],
    ["an unknown type → 0", [["no-such-type", TODAY, 10]], 0],
  ])("%s", (_label, rows, expected) => {
    expect(score(rows)).toBe(expected);
  });

  it("are left out of the explanation", () => {
    const s = personScore("p1", counts([["sales-email-sent", TODAY, 10]]), TYPES, { now: NOW, timeZone: "UTC" });
    expect(s.types).toEqual([]);
  });
});

describe("custom cap values", () => {
  it.each<[string, Row[], number]>([
    ["cap 5: 7 on one day → 5", [["cap-5", TODAY, 7]], 5],
    ["cap 5: 5 on one day → 5", [["cap-5", TODAY, 5]], 5],
    [
      "cap 5: 7 + 3 on two days → 8",
      [
        ["cap-5", YESTERDAY, 7],
        ["cap-5", TODAY, 3],
      ],
      8,
    ],
    [
      "cap 1: 4 on each of three days → 3",
      [
        ["cap-1", "2026-11-21", 4],
        ["cap-1", YESTERDAY, 4],
        ["cap-1", TODAY, 4],
      ],
      3,
    ],
    ["cap 100: 37 on one day → 37", [["cap-100", TODAY, 37]], 37],
    ["cap 100: 137 on one day → 100", [["cap-100", TODAY, 137]], 100],
  ])("%s", (_label, rows, expected) => {
    expect(score(rows)).toBe(expected);
  });
});
