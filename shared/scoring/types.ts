import type { Day, ScoringWindow } from "./days";
import type { Weighting } from "./weighting";

/** A role as scoring sees it. */
export interface ScoringRole {
  key: string;
  name: string;
  weighting: Weighting;
  /** ≥ 1. A role is filled when it has this many members. */
  membersRequired: number;
  countsTowardCompleteness: boolean;
  decisionMaker: boolean;
}

/** An active member of a group in exactly one role. */
export interface ScoringMember {
  personId: string;
  roleKey: string;
}

/** How many activities of one type one person did on one calendar day (the daily rollup). */
export interface DailyCount {
  personId: string;
  typeId: string;
  day: Day;
  count: number;
}

export interface ScoringActivityType {
  id: string;
  name: string;
  /** Daily frequency cap per person (seeds: 20). */
  dailyCap: number;
  /** Activity weight from the catalogue (seeds: 30 … 90). */
  weight: number;
  /** False for types that are recorded but never scored (e.g. "sales email sent"). */
  countsTowardEngagement: boolean;
}

/**
 * `count`: every capped activity is worth 1 (reproduces the seeds' worked example; the default).
 * `weighted`: every capped activity is worth weight / 100 of its type.
 */
export type ScoringModel = "count" | "weighted";

export interface ScoringOptions {
  now: Date;
  timeZone: string;
  windowDays?: number;
  model?: ScoringModel;
}

export interface TypeBreakdown {
  typeId: string;
  typeName: string;
  /** Activities in the window before the daily cap. */
  countBeforeCap: number;
  /** Activities in the window after the daily cap. */
  countAfterCap: number;
  /** Days on which the cap cut something off. */
  cappedDays: Day[];
  factor: number;
  points: number;
}

export interface PersonScore {
  personId: string;
  score: number;
  window: ScoringWindow;
  types: TypeBreakdown[];
  computedAt: string;
}

export interface RoleBreakdown {
  key: string;
  name: string;
  weighting: Weighting;
  weightValue: number;
  /** weightValue / sum of weight values of all roles in the template. */
  share: number;
  total: number;
  contribution: number;
  memberIds: string[];
}

export interface EngagementScore {
  /** Σ role total × role share, unrounded. */
  raw: number;
  /** `raw` rounded half-up, as shown. */
  score: number;
  totalWeight: number;
  window: ScoringWindow;
  roles: RoleBreakdown[];
  members: Array<{ personId: string; roleKey: string; score: number; types: TypeBreakdown[] }>;
  /** Members whose role is not in the template (ignored, listed so nothing is hidden). */
  ignoredMembers: ScoringMember[];
  computedAt: string;
}

export interface CompletenessRole {
  key: string;
  name: string;
  membersRequired: number;
  assigned: number;
  /** min(assigned / membersRequired, 1) */
  filled: number;
}

export interface CompletenessScore {
  /** Average filled × 100, unrounded. */
  raw: number;
  /** `raw` rounded half-up, as shown. */
  score: number;
  roles: CompletenessRole[];
  missingRoles: string[];
  computedAt: string;
}
