import { describe, expect, it } from "vitest";
import {
  type DailyCount,
  engagementScore,
  groupEngagement,
  type ScoringActivityType,
  type ScoringRole,
  type Weighting,
} from "../../../shared/scoring";

// role share(r) = weighting value(r) / Σ weighting values of ALL roles in the template.
const role = (key: string, weighting: Weighting, extra: Partial<ScoringRole> = {}): ScoringRole => ({
  key,
  name: key,
  weighting,
  membersRequired: 1,
  countsTowardCompleteness: true,
  decisionMaker: false,
  ...extra,
});
const SEEDS = [role("decision-maker", "vital"), role("influencer", "important"), role("practitioner", "normal")];

describe("role shares keep roles without members in the denominator", () => {
  it.each<[string, ScoringRole[], Array<[string, string, number]>, number]>([
    ["Vital/Vital, only one filled with 10 → 5", [role("a", "vital"), role("b", "vital")], [["p1", "a", 10]], 5],
    ["the seeds' roles, only the decision maker with 24 → 24 × 100/240 = 10", SEEDS, [["p1", "decision-maker", 24]], 10],
    ["the seeds' roles, only the practitioner with 24 → 24 × 60/240 = 6", SEEDS, [["p1", "practitioner", 24]], 6],
    [
      "every weighting once, each role total 10 → 10",
      [role("t", "trivial"), role("mi", "minor"), role("n", "normal"), role("i", "important"), role("v", "vital")],
      [
        ["p1", "t", 10],
        ["p2", "mi", 10],
        ["p3", "n", 10],
        ["p4", "i", 10],
        ["p5", "v", 10],
      ],
      10,
    ],
    [
      "Trivial alone among Vital, Vital: 30 × 20/220",
      [role("t", "trivial"), role("a", "vital"), role("b", "vital")],
      [["p1", "t", 30]],
      600 / 220,
    ],
    ["no members → 0", SEEDS, [], 0],
  ])("%s", (_label, roles, members, expected) => {
    const result = groupEngagement(
      roles,
      members.map(([personId, roleKey, score]) => ({ personId, roleKey, score })),
    );
    expect(result.raw).toBeCloseTo(expected, 10);
  });

  it("the seeds' worked example: 52, 28, 17 → 35.25, shown 35", () => {
    const result = groupEngagement(SEEDS, [
      { personId: "adam", roleKey: "decision-maker", score: 37 },
      { personId: "mark", roleKey: "decision-maker", score: 15 },
      { personId: "john", roleKey: "influencer", score: 28 },
      { personId: "bob", roleKey: "practitioner", score: 17 },
    ]);
    expect(result.totalWeight).toBe(240);
    expect(result.raw).toBeCloseTo(35.25, 10);
    expect(result.score).toBe(35);
    expect(result.roles.map((r) => [r.key, r.total])).toEqual([
      ["decision-maker", 52],
      ["influencer", 28],
      ["practitioner", 17],
    ]);
  });

  it("explains the empty role with its share, a zero total and no members", () => {
    const result = groupEngagement([role("a", "vital"), role("b", "vital")], [{ personId: "p1", roleKey: "a", score: 10 }]);
    expect(result.totalWeight).toBe(200);
    expect(result.score).toBe(5);
    expect(result.roles).toEqual([
      expect.objectContaining({ key: "a", weightValue: 100, share: 0.5, total: 10, contribution: 5, memberIds: ["p1"] }),
      expect.objectContaining({ key: "b", weightValue: 100, share: 0.5, total: 0, contribution: 0, memberIds: [] }),
    ]);
  });

  it("through engagementScore from activity counts: the empty role still dilutes the score", () => {
    const types = new Map<string, ScoringActivityType>([
      ["visit-webpage", { id: "visit-webpage", name: "Visit Webpage", dailyCap: 20, weight: 40, countsTowardEngagement: true }],
    ]);
    const counts: DailyCount[] = [{ personId: "p1", typeId: "visit-webpage", day: "2026-11-23", count: 10 }];
    const e = engagementScore([role("a", "vital"), role("b", "vital")], [{ personId: "p1", roleKey: "a" }], counts, types, {
      now: new Date("2026-11-23T12:00:00.000Z"),
      timeZone: "UTC",
    });
    expect(e.raw).toBe(5);
    expect(e.score).toBe(5);
    expect(e.members).toEqual([expect.objectContaining({ personId: "p1", roleKey: "a", score: 10 })]);
  });

  it("members in a role the template does not have neither count nor change the denominator", () => {
    const types = new Map<string, ScoringActivityType>([
      ["visit-webpage", { id: "visit-webpage", name: "Visit Webpage", dailyCap: 20, weight: 40, countsTowardEngagement: true }],
    ]);
    const counts: DailyCount[] = [
      { personId: "p1", typeId: "visit-webpage", day: "2026-11-23", count: 10 },
      { personId: "p2", typeId: "visit-webpage", day: "2026-11-23", count: 20 },
    ];
    const members = [
      { personId: "p1", roleKey: "a" },
      { personId: "p2", roleKey: "retired-role" },
    ];
    const e = engagementScore([role("a", "vital"), role("b", "vital")], members, counts, types, {
      now: new Date("2026-11-23T12:00:00.000Z"),
      timeZone: "UTC",
    });
    expect(e.totalWeight).toBe(200);
    expect(e.raw).toBe(5);
    expect(e.ignoredMembers).toEqual([{ personId: "p2", roleKey: "retired-role" }]);
  });

  it("a template without roles scores 0", () => {
    expect(groupEngagement([], [{ personId: "p1", roleKey: "a", score: 10 }])).toMatchObject({
      raw: 0,
      score: 0,
      totalWeight: 0,
    });
  });
});
