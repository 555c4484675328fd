import type { MemberCard } from "../../shared/api/groups";

/**
 * Deterministic summaries built from the data (no model call): they never block a response and
 * always say something true. Localised and LLM-backed summaries build on these.
 */
export function groupSummaryText(input: {
  name: string;
  memberCount: number;
  completeness: number;
  engagement: number;
  missingRoles: string[];
  topMembers: MemberCard[];
  stageName: string | null;
}): string {
  const parts = [
    `${input.memberCount} member${input.memberCount === 1 ? "" : "s"}, ${input.completeness}% complete, engagement ${input.engagement}.`,
  ];
  parts.push(input.missingRoles.length ? `Missing: ${input.missingRoles.join(", ")}.` : "Every role is filled.");
  const engaged = input.topMembers.filter((m) => m.score > 0).slice(0, 2);
  if (engaged.length) parts.push(`Most engaged: ${engaged.map((m) => `${m.name} (${m.roleName}, ${m.score})`).join(" and ")}.`);
  if (input.stageName) parts.push(`Stage: ${input.stageName}.`);
  return parts.join(" ");
}

export function accountSummaryText(input: {
  name: string;
  peopleCount: number;
  industry: string | null;
  openOpportunities: { count: number; amount: number };
  journeyNames: string[];
}): string {
  const parts = [
    `${input.name}${input.industry ? ` (${input.industry})` : ""} has ${input.peopleCount} known contact${input.peopleCount === 1 ? "" : "s"}.`,
  ];
  parts.push(
    input.openOpportunities.count
      ? `${input.openOpportunities.count} open opportunit${input.openOpportunities.count === 1 ? "y" : "ies"} worth ${Math.round(input.openOpportunities.amount).toLocaleString("en-US")}.`
      : "No open opportunities.",
  );
  if (input.journeyNames.length) parts.push(`In journeys: ${input.journeyNames.join(", ")}.`);
  return parts.join(" ");
}

export function memberSummaryText(input: {
  name: string;
  roleName: string;
  score: number;
  topTypes: Array<{ typeName: string; countAfterCap: number }>;
  lastActivityAt: string | null;
  otherGroups: number;
}): string {
  const parts = [
    `${input.name} is ${/^[aeiou]/i.test(input.roleName) ? "an" : "a"} ${input.roleName} with a lead engagement score of ${input.score}.`,
  ];
  if (input.topTypes.length) {
    parts.push(
      `Last 30 days: ${input.topTypes
        .slice(0, 3)
        .map((t) => `${t.countAfterCap}× ${t.typeName}`)
        .join(", ")}.`,
    );
  } else {
    parts.push("No scored activity in the last 30 days.");
  }
  if (input.lastActivityAt) parts.push(`Last activity ${input.lastActivityAt.slice(0, 10)}.`);
  if (input.otherGroups) parts.push(`Also in ${input.otherGroups} other buying group${input.otherGroups === 1 ? "" : "s"}.`);
  return parts.join(" ");
}
