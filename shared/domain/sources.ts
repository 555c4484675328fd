/** Who changed a membership. Higher rank wins: manual > journey > system (seeds: "Member assignment"). */
export const MEMBER_SOURCES = ["manual", "journey", "system"] as const;
export type MemberSource = (typeof MEMBER_SOURCES)[number];

const RANK: Record<MemberSource, number> = { manual: 3, journey: 2, system: 1 };

/** Rank of a source; a change from a lower rank never overrides the last change of a higher one. */
export function sourceRank(source: MemberSource): number {
  return RANK[source];
}
