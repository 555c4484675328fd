import { scoringWindow } from "./days";
import { typeBreakdown } from "./person-score";
import { roundHalfUp } from "./round";
import type {
  DailyCount,
  EngagementScore,
  RoleBreakdown,
  ScoringActivityType,
  ScoringMember,
  ScoringOptions,
  ScoringRole,
} from "./types";
import { WEIGHTING_VALUES } from "./weighting";

/**
 * Group engagement (seeds' worked example): role total(r) = Σ person score of members in r;
 * share(r) = weight value(r) / Σ weight values of every role in the template (roles without members
 * stay in the denominator); engagement = Σ total(r) × share(r), shown rounded half-up.
 */
export function engagementScore(
  roles: ScoringRole[],
  members: ScoringMember[],
  counts: DailyCount[],
  types: ReadonlyMap<string, ScoringActivityType>,
  options: ScoringOptions,
): EngagementScore {
  const window = scoringWindow(options.now, options.timeZone, options.windowDays);
  const model = options.model ?? "count";
  const countsByPerson = new Map<string, DailyCount[]>();
  for (const c of counts) {
    const list = countsByPerson.get(c.personId);
    if (list) list.push(c);
    else countsByPerson.set(c.personId, [c]);
  }
  const roleKeys = new Set(roles.map((r) => r.key));
  const scoredMembers = members
    .filter((m) => roleKeys.has(m.roleKey))
    .map((m) => {
      const t = typeBreakdown(countsByPerson.get(m.personId) ?? [], types, window, model);
      return { personId: m.personId, roleKey: m.roleKey, score: t.reduce((s, x) => s + x.points, 0), types: t };
    });
  const { raw, score, totalWeight, roles: roleRows } = groupEngagement(roles, scoredMembers);
  return {
    raw,
    score,
    totalWeight,
    window,
    roles: roleRows,
    members: scoredMembers.sort((a, b) => b.score - a.score || a.personId.localeCompare(b.personId)),
    ignoredMembers: members.filter((m) => !roleKeys.has(m.roleKey)),
    computedAt: options.now.toISOString(),
  };
}

/** A role's weight over the template's total (0 for a role not in the template): how much a member's score moves the group's. */
export function roleShare(roles: readonly ScoringRole[], roleKey: string | null): number {
  const role = roles.find((r) => r.key === roleKey);
  const total = roles.reduce((s, r) => s + WEIGHTING_VALUES[r.weighting], 0);
  return role && total > 0 ? WEIGHTING_VALUES[role.weighting] / total : 0;
}

/**
 * The role-weighted sum from person scores already computed: what a full recompute uses so each
 * person's activity is read once, however many groups they are in. Members whose role is not in
 * the template are ignored.
 */
export function groupEngagement(
  roles: ScoringRole[],
  memberScores: ReadonlyArray<{ personId: string; roleKey: string; score: number }>,
): { raw: number; score: number; totalWeight: number; roles: RoleBreakdown[] } {
  const totalWeight = roles.reduce((s, r) => s + WEIGHTING_VALUES[r.weighting], 0);
  const roleRows = roles.map((r) => {
    const inRole = memberScores.filter((m) => m.roleKey === r.key);
    const total = inRole.reduce((s, m) => s + m.score, 0);
    const weightValue = WEIGHTING_VALUES[r.weighting];
    return {
      key: r.key,
      name: r.name,
      weighting: r.weighting,
      weightValue,
      share: totalWeight === 0 ? 0 : weightValue / totalWeight,
      total,
      // total × weight / Σweights, in that order so integer inputs stay exact as long as possible.
      contribution: totalWeight === 0 ? 0 : (total * weightValue) / totalWeight,
      memberIds: inRole.map((m) => m.personId),
    };
  });
  const numerator = roleRows.reduce((s, r) => s + r.total * r.weightValue, 0);
  const raw = totalWeight === 0 ? 0 : numerator / totalWeight;
  return { raw, score: roundHalfUp(raw), totalWeight, roles: roleRows };
}
