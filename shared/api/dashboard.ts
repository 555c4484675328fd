import { GroupFilterQuery } from "./groups";

/** The dashboard takes the same filters as browse. */
export const DashboardQuery = GroupFilterQuery;

export const COMPLETENESS_BANDS = ["0–25", "26–50", "51–75", "76–100"] as const;
/** Engagement (shown score) buckets: lower bounds; the last is open-ended. */
export const ENGAGEMENT_BUCKETS = [0, 1, 11, 26, 51, 101, 251] as const;

export interface Dashboard {
  groups: number;
  completenessBands: Array<{ band: (typeof COMPLETENESS_BANDS)[number]; groups: number }>;
  engagement: { average: number; max: number; buckets: Array<{ from: number; to: number | null; groups: number }> };
  bySolutionInterest: Array<{ id: string; name: string; groups: number }>;
  byStage: Array<{ id: string | null; name: string; kind: string | null; groups: number }>;
  /** For each solution interest and role of its live template: groups where the role is filled. */
  roleCoverage: Array<{
    solutionInterestId: string;
    solutionInterestName: string;
    roleKey: string;
    roleName: string;
    filled: number;
    groups: number;
    share: number;
  }>;
  /** People by the number of (filtered) groups they are an active member of. */
  contactOverlap: { people: number; inSeveralGroups: number; distribution: Array<{ groups: number; people: number }> };
  computedAt: string;
}
