import { describe, expect, it } from "vitest";
import { completenessScore, type ScoringMember, type ScoringRole } from "../../../shared/scoring";

// Per counting role: filled = min(assigned / membersRequired, 1); completeness = average × 100, shown half-up.
const NOW = new Date("2026-11-23T12:00:00.000Z");
const role = (key: string, membersRequired = 1, countsTowardCompleteness = true): ScoringRole => ({
  key,
  name: key,
  weighting: "normal",
  membersRequired,
  countsTowardCompleteness,
  decisionMaker: false,
});
/** `{ a: 2, b: 1 }` → two members in a, one in b. */
const members = (perRole: Record<string, number>): ScoringMember[] =>
  Object.entries(perRole).flatMap(([roleKey, n]) =>
    Array.from({ length: n }, (_, i) => ({ personId: `${roleKey}-${i}`, roleKey })),
  );

describe("completeness", () => {
  it.each<[string, ScoringRole[], Record<string, number>, number, number]>([
    ["required 3, 1 assigned → 1/3 filled", [role("a", 3)], { a: 1 }, 100 / 3, 33],
    ["required 3, 2 assigned → 2/3 filled", [role("a", 3)], { a: 2 }, 200 / 3, 67],
    ["required 3, 3 assigned → filled", [role("a", 3)], { a: 3 }, 100, 100],
    ["required 3, 4 assigned → capped at 1", [role("a", 3)], { a: 4 }, 100, 100],
    ["required 1, 5 assigned → capped at 1", [role("a")], { a: 5 }, 100, 100],
    ["the seeds: 3 of 4 roles filled → 75", [role("a"), role("b"), role("c"), role("d")], { a: 1, b: 1, c: 1 }, 75, 75],
    ["1 of 3 roles → 33", [role("a"), role("b"), role("c")], { a: 1 }, 100 / 3, 33],
    ["2 of 3 roles → 67", [role("a"), role("b"), role("c")], { a: 1, b: 1 }, 200 / 3, 67],
    ["mixed: 1 + 1/2 + 0 → 50", [role("a", 1), role("b", 2), role("c", 1)], { a: 1, b: 1 }, 50, 50],
    ["mixed: over-filled roles do not make up for empty ones (4/3 → 1, 0) → 50", [role("a", 3), role("b", 1)], { a: 4 }, 50, 50],
    [
      "mixed: 1/3 + 1/2 + 1 + 0 → 45.83 → 46",
      [role("a", 3), role("b", 2), role("c", 1), role("d", 1)],
      { a: 1, b: 1, c: 1 },
      ((1 / 3 + 1 / 2 + 1 + 0) / 4) * 100,
      46,
    ],
    ["a role not counting toward completeness is excluded when empty", [role("a"), role("b", 1, false)], { a: 1 }, 100, 100],
    ["a role not counting toward completeness is excluded when filled", [role("a"), role("b", 1, false)], { b: 1 }, 0, 0],
    [
      "2 counting roles and 1 not counting, 1 counting filled → 50",
      [role("a"), role("b"), role("c", 1, false)],
      { a: 1, c: 1 },
      50,
      50,
    ],
    ["no members → 0", [role("a"), role("b")], {}, 0, 0],
    ["no roles → 0", [], {}, 0, 0],
    ["no counting roles → 0", [role("a", 1, false)], { a: 1 }, 0, 0],
    ["members in a role the template does not have are ignored", [role("a"), role("b")], { a: 1, zzz: 3 }, 50, 50],
  ])("%s", (_label, roles, perRole, raw, shown) => {
    const c = completenessScore(roles, members(perRole), NOW);
    expect(c.raw).toBeCloseTo(raw, 10);
    expect(c.score).toBe(shown);
  });

  it("explains each counting role and lists the roles still missing", () => {
    const c = completenessScore([role("a", 3), role("b", 2), role("c"), role("x", 1, false)], members({ a: 4, b: 1 }), NOW);
    expect(c.roles).toEqual([
      { key: "a", name: "a", membersRequired: 3, assigned: 4, filled: 1 },
      { key: "b", name: "b", membersRequired: 2, assigned: 1, filled: 0.5 },
      { key: "c", name: "c", membersRequired: 1, assigned: 0, filled: 0 },
    ]);
    expect(c.missingRoles).toEqual(["b", "c"]);
    expect(c.computedAt).toBe(NOW.toISOString());
  });
});
