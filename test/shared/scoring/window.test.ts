import { describe, expect, it } from "vitest";
import {
  addDays,
  type DailyCount,
  dayInTimeZone,
  engagementScore,
  personScore,
  type ScoringActivityType,
  type ScoringRole,
  scoringWindow,
} from "../../../shared/scoring";

// The window is today and the 29 days before it, in calendar days of the configured time zone.
const NOW = new Date("2026-11-23T12:00:00.000Z");
const TYPES = new Map<string, ScoringActivityType>([
  ["visit-webpage", { id: "visit-webpage", name: "Visit Webpage", dailyCap: 20, weight: 40, countsTowardEngagement: true }],
]);

/** The daily rollup the server builds: one row per (person, type, calendar day in `timeZone`). */
function rollup(instants: readonly string[], timeZone: string, personId = "p1", typeId = "visit-webpage"): DailyCount[] {
  const byDay = new Map<string, number>();
  for (const at of instants) {
    const day = dayInTimeZone(new Date(at), timeZone);
    byDay.set(day, (byDay.get(day) ?? 0) + 1);
  }
  return [...byDay].map(([day, count]) => ({ personId, typeId, day, count }));
}

const scoreOf = (instants: readonly string[], now: Date, timeZone = "UTC") =>
  personScore("p1", rollup(instants, timeZone), TYPES, { now, timeZone }).score;

describe("the 30-day scoring window", () => {
  it("is today and the 29 days before it", () => {
    expect(scoringWindow(NOW, "UTC")).toEqual({ from: "2026-10-25", to: "2026-11-23", days: 30 });
  });

  it.each([
    ["today", 0, 1],
    ["yesterday", -1, 1],
    ["today-28", -28, 1],
    ["today-29 (the oldest day that counts)", -29, 1],
    ["today-30", -30, 0],
    ["today-31", -31, 0],
    ["today-90", -90, 0],
    ["tomorrow (after today)", 1, 0],
  ])("an activity dated %s counts %i", (_label, offset, expected) => {
    const day = addDays("2026-11-23", offset);
    const counts: DailyCount[] = [{ personId: "p1", typeId: "visit-webpage", day, count: 1 }];
    expect(personScore("p1", counts, TYPES, { now: NOW, timeZone: "UTC" }).score).toBe(expected);
  });

  it("counts 7 activities spread over today-29 … today-31 as only the today-29 ones", () => {
    const counts: DailyCount[] = [
      { personId: "p1", typeId: "visit-webpage", day: "2026-10-25", count: 3 },
      { personId: "p1", typeId: "visit-webpage", day: "2026-10-24", count: 2 },
      { personId: "p1", typeId: "visit-webpage", day: "2026-10-23", count: 2 },
    ];
    const score = personScore("p1", counts, TYPES, { now: NOW, timeZone: "UTC" });
    expect(score.score).toBe(3);
    expect(score.types[0]).toMatchObject({ countBeforeCap: 3, countAfterCap: 3 });
  });

  it.each([
    ["the first instant of today-29", "2026-10-25T00:00:00.000Z", 1],
    ["the last instant of today-30", "2026-10-24T23:59:59.999Z", 0],
    ["exactly 29 × 24 h before now", "2026-10-25T12:00:00.000Z", 1],
    ["exactly 30 × 24 h before now", "2026-10-24T12:00:00.000Z", 0],
    // Calendar days, not a rolling 720 hours: at noon, 29 d 23 h ago is already on today-30.
    ["29 d 23 h before now (noon): on today-30", "2026-10-24T13:00:00.000Z", 0],
    ["29 d 11 h 59 min before now (noon): on today-29", "2026-10-25T00:01:00.000Z", 1],
    ["the last instant of today", "2026-11-23T23:59:59.999Z", 1],
  ])("with now = 2026-11-23T12:00Z (UTC), an activity at %s counts %i", (_label, at, expected) => {
    expect(scoreOf([at], NOW)).toBe(expected);
  });

  it("late in the day: 30 × 24 h before now does not count, 29 d 23 h before now does", () => {
    const late = new Date("2026-11-23T23:30:00.000Z");
    expect(scoreOf(["2026-10-24T23:30:00.000Z"], late)).toBe(0); // exactly 30 × 24 h: today-30
    expect(scoreOf(["2026-10-25T00:30:00.000Z"], late)).toBe(1); // 29 d 23 h: today-29
  });

  it("an activity ages out when the calendar day changes, not 720 hours later", () => {
    const at = ["2026-10-25T18:00:00.000Z"];
    expect(scoreOf(at, new Date("2026-11-23T23:59:59.999Z"))).toBe(1);
    expect(scoreOf(at, new Date("2026-11-24T00:00:00.000Z"))).toBe(0);
  });

  it("the group engagement uses the same window", () => {
    const roles: ScoringRole[] = [
      { key: "dm", name: "DM", weighting: "vital", membersRequired: 1, countsTowardCompleteness: true, decisionMaker: true },
    ];
    const counts: DailyCount[] = [
      { personId: "p1", typeId: "visit-webpage", day: "2026-10-25", count: 4 },
      { personId: "p1", typeId: "visit-webpage", day: "2026-10-24", count: 9 },
    ];
    const e = engagementScore(roles, [{ personId: "p1", roleKey: "dm" }], counts, TYPES, { now: NOW, timeZone: "UTC" });
    expect(e.window).toEqual({ from: "2026-10-25", to: "2026-11-23", days: 30 });
    expect(e.score).toBe(4);
  });
});

describe("calendar days in the configured time zone", () => {
  it.each([
    ["2026-11-23T12:00:00.000Z", "UTC", "2026-11-23"],
    ["2026-11-23T23:30:00.000Z", "UTC", "2026-11-23"],
    ["2026-11-23T23:30:00.000Z", "Europe/Amsterdam", "2026-11-24"], // CET, UTC+1
    ["2026-10-24T22:30:00.000Z", "Europe/Amsterdam", "2026-10-25"], // still CEST, UTC+2
    ["2026-10-24T21:59:59.000Z", "Europe/Amsterdam", "2026-10-24"],
    ["2026-11-24T03:00:00.000Z", "America/New_York", "2026-11-23"],
    ["2026-11-23T11:30:00.000Z", "Pacific/Auckland", "2026-11-24"],
  ])("%s is %s day %s", (at, timeZone, day) => {
    expect(dayInTimeZone(new Date(at), timeZone)).toBe(day);
  });

  it.each([
    ["2026-11-23", -29, "2026-10-25"],
    ["2026-11-23", -30, "2026-10-24"],
    ["2026-01-01", -1, "2025-12-31"],
    ["2024-03-01", -1, "2024-02-29"],
    ["2026-03-29", 1, "2026-03-30"], // DST change in Europe does not matter to calendar arithmetic
  ])("addDays(%s, %i) = %s", (day, delta, expected) => {
    expect(addDays(day, delta)).toBe(expected);
  });

  it("the same instant is inside the window in Amsterdam and outside it in UTC", () => {
    // 2026-10-24T22:30Z is 2026-10-24 in UTC (today-30) but 2026-10-25 00:30 in Amsterdam (today-29).
    const at = ["2026-10-24T22:30:00.000Z"];
    expect(scoreOf(at, NOW, "UTC")).toBe(0);
    expect(scoreOf(at, NOW, "Europe/Amsterdam")).toBe(1);
  });

  it("late in the evening UTC, Amsterdam is already on the next day, so its window has moved on", () => {
    const late = new Date("2026-11-23T23:30:00.000Z");
    expect(scoringWindow(late, "UTC")).toEqual({ from: "2026-10-25", to: "2026-11-23", days: 30 });
    expect(scoringWindow(late, "Europe/Amsterdam")).toEqual({ from: "2026-10-26", to: "2026-11-24", days: 30 });
    const at = ["2026-10-25T12:00:00.000Z"];
    expect(scoreOf(at, late, "UTC")).toBe(1);
    expect(scoreOf(at, late, "Europe/Amsterdam")).toBe(0);
  });

  it("the daily cap applies per calendar day of the time zone: 40 activities either side of UTC midnight", () => {
    // 20 at 23:00–23:19 UTC on the 22nd and 20 at 00:00–00:19 UTC on the 23rd: two UTC days, one Amsterdam day.
    const evening = Array.from({ length: 20 }, (_, i) => new Date(Date.UTC(2026, 10, 22, 23, i)).toISOString());
    const night = Array.from({ length: 20 }, (_, i) => new Date(Date.UTC(2026, 10, 23, 0, i)).toISOString());
    expect(scoreOf([...evening, ...night], NOW, "UTC")).toBe(40);
    expect(scoreOf([...evening, ...night], NOW, "Europe/Amsterdam")).toBe(20);
  });
});
