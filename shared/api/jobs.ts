import { z } from "zod";
import { IdSchema, safeString } from "./common";

const list = (max: number) => z.array(safeString().trim().min(1).max(200)).max(max);

/**
 * A saved account audience: every given criterion must hold (AND); within a list any value may
 * (OR, case-insensitive for text). An empty audience is every account.
 */
export const AccountAudience = z
  .object({
    industries: list(100).optional(),
    segments: list(100).optional(),
    countries: list(300).optional(),
    revenueMin: z.number().min(0).optional(),
    revenueMax: z.number().min(0).optional(),
    /** Accounts whose parent is one of these. */
    parentIds: z.array(IdSchema).max(1000).optional(),
    /** Explicit accounts. */
    accountIds: z.array(IdSchema).max(10_000).optional(),
  })
  .strict()
  .refine((a) => a.revenueMin === undefined || a.revenueMax === undefined || a.revenueMin <= a.revenueMax, {
    message: "revenueMin must not be above revenueMax",
    path: ["revenueMin"],
  });
export type AccountAudienceT = z.infer<typeof AccountAudience>;

export const CreateJobBody = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("creation"), audience: AccountAudience.default({}) }),
  z.object({ kind: z.literal("maintenance") }),
]);

export type JobStatus = "queued" | "running" | "cancelling" | "done" | "cancelled" | "failed";

export interface LifecycleJob {
  id: string;
  kind: "creation" | "maintenance";
  solutionInterestId: string;
  audience: AccountAudienceT;
  status: JobStatus;
  trigger: "manual" | "schedule";
  progress: {
    /** Accounts (creation) or groups (maintenance) processed, of total. */
    done: number;
    total: number;
    groupsCreated: number;
    membersAssigned: number;
    membersRemoved: number;
    rolesChanged: number;
    skippedChanges: number;
    errors: number;
  };
  errors: Array<{ at: string; entityId: string | null; message: string }>;
  skipped: Array<{ groupId: string; personId: string; action: string; heldBy: string }>;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}
