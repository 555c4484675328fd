import { roundHalfUp } from "./round";
import type { CompletenessScore, ScoringMember, ScoringRole } from "./types";

/**
 * Completeness (seeds: "3 of 4 roles filled → 75"): for each role that counts toward completeness,
 * filled = min(assigned / membersRequired, 1); completeness = average × 100. A template with no
 * counting role scores 0.
 */
export function completenessScore(roles: ScoringRole[], members: ScoringMember[], now: Date): CompletenessScore {
  const assigned = new Map<string, number>();
  for (const m of members) assigned.set(m.roleKey, (assigned.get(m.roleKey) ?? 0) + 1);
  const counted = roles.filter((r) => r.countsTowardCompleteness);
  const breakdown = counted.map((r) => {
    const n = assigned.get(r.key) ?? 0;
    return {
      key: r.key,
      name: r.name,
      membersRequired: r.membersRequired,
      assigned: n,
      filled: Math.min(n / r.membersRequired, 1),
    };
  });
  const raw = breakdown.length === 0 ? 0 : (breakdown.reduce((s, r) => s + r.filled, 0) / breakdown.length) * 100;
  return {
    raw,
    score: roundHalfUp(raw),
    roles: breakdown,
    missingRoles: breakdown.filter((r) => r.filled < 1).map((r) => r.key),
    computedAt: now.toISOString(),
  };
}
