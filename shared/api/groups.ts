import { z } from "zod";
import type { CompletenessScore, EngagementScore, PersonScore } from "../scoring/types";
import type { Account } from "./accounts";
import { IdSchema, PageQuery, safeString } from "./common";
import type { IntentView } from "./intent";
import type { Person } from "./people";

/** Filters shared by browse and the dashboard. */
export const GroupFilterQuery = z.object({
  q: safeString().trim().max(200).optional(),
  accountId: IdSchema.optional(),
  solutionInterestId: IdSchema.optional(),
  stageId: IdSchema.optional(),
  /** Role key that has fewer members than required, e.g. `decision-maker`. */
  missingRole: safeString().trim().max(50).optional(),
  completenessMin: z.coerce.number().min(0).max(100).optional(),
  completenessMax: z.coerce.number().min(0).max(100).optional(),
  engagementMin: z.coerce.number().min(0).optional(),
  engagementMax: z.coerce.number().min(0).optional(),
  /** Account fields (exact, case-insensitive). */
  industry: safeString().trim().min(1).max(100).optional(),
  marketSegment: safeString().trim().min(1).max(100).optional(),
  country: safeString().trim().length(2, "must be a two-letter country code such as NL").optional(),
});

export const GroupListQuery = PageQuery.extend(GroupFilterQuery.shape).extend({
  sort: z.enum(["name", "-updatedAt", "-engagement", "-completeness"]).default("name"),
  /** Opaque cursor from `nextCursor`: keyset pagination that stays correct while groups change. */
  cursor: safeString().trim().max(500).optional(),
});

export const CreateGroupBody = z.object({
  accountId: IdSchema,
  solutionInterestId: IdSchema,
});

export interface GroupSummary {
  id: string;
  name: string;
  accountId: string;
  accountName: string;
  solutionInterestId: string;
  solutionInterestName: string;
  memberCount: number;
  /** Shown values (rounded half-up); the raw engagement is in `engagementRaw`. */
  completeness: number;
  engagement: number;
  engagementRaw: number;
  scoresComputedAt: string;
  stage: { id: string; name: string; kind: string } | null;
  roleTemplate: { id: string; name: string; version: number };
  createdAt: string;
  updatedAt: string;
}

export interface MemberCard {
  personId: string;
  name: string;
  jobTitle: string | null;
  roleKey: string;
  roleName: string;
  decisionMaker: boolean;
  /** Lead engagement score = person score. */
  score: number;
}

export interface Member extends MemberCard {
  email: string | null;
  phone: string | null;
  source: "manual" | "journey" | "system";
  lastChangeSource: "manual" | "journey" | "system";
  lastChangeAt: string;
  addedAt: string;
  status: "active" | "removed";
  personStatus: Person["status"];
}

export interface RecentActivity {
  externalId: string;
  typeId: string;
  typeName: string;
  occurredAt: string;
  metadata: Record<string, unknown> | null;
}

export interface MemberDetails extends Member {
  summary: string;
  lastInterestingMoment: RecentActivity | null;
  recentActivities: RecentActivity[];
  /** The three most recently joined other groups (the seeds' display limit). */
  otherGroups: Array<{ id: string; name: string; roleKey: string; addedAt: string }>;
  /** How many other groups the person is an active member of in all (may exceed the three listed). */
  otherGroupCount: number;
  personScore: PersonScore;
}

export interface GroupDetails {
  group: GroupSummary & {
    summary: string;
    /** The scores at the end of the calendar day 7 days ago (null: the group did not exist then). */
    weekAgo: { day: string; engagement: number; completeness: number } | null;
  };
  account: Pick<
    Account,
    "id" | "name" | "domain" | "industry" | "marketSegment" | "openOpportunities" | "currency" | "crmLinks"
  > & {
    peopleCount: number;
    journeys: Array<{ id: string; name: string; status: string; enteredAt: string }>;
    summary: string;
  };
  roles: Array<{
    key: string;
    name: string;
    weighting: string;
    membersRequired: number;
    decisionMaker: boolean;
    countsTowardCompleteness: boolean;
    assigned: number;
  }>;
  decisionMakers: MemberCard[];
  topEngaged: MemberCard[];
  members: Member[];
  /** Intent levels per signal type and the strongest topics (members' and account-wide signals). */
  intent: IntentView;
}

export interface GroupScores {
  groupId: string;
  completeness: CompletenessScore;
  engagement: EngagementScore;
}
