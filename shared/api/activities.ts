import { z } from "zod";
import { IdSchema, IsoDateTime, MAX_ACTIVITY_BATCH, requiredName, safeString } from "./common";
import { EmailSchema } from "./people";

export const ActivityMetadata = z
  .object({
    url: safeString().max(2000).optional(),
    keywords: z.array(safeString().max(100)).max(50).optional(),
    product: safeString().max(200).optional(),
    description: safeString().max(1000).optional(),
  })
  .catchall(z.union([safeString().max(1000), z.number(), z.boolean(), z.null()]));

/** One activity. The person is given by id or by email (an email that matches no person is rejected). */
export const ActivityInput = z
  .object({
    externalId: safeString().trim().min(1, "must not be empty").max(200, "must be at most 200 characters"),
    personId: IdSchema.optional(),
    personEmail: EmailSchema.optional(),
    type: safeString().trim().min(1, "must not be empty").max(100),
    occurredAt: IsoDateTime,
    metadata: ActivityMetadata.nullish(),
  })
  .refine((a) => a.personId !== undefined || a.personEmail !== undefined, {
    message: "give personId or personEmail",
    path: ["personId"],
  });
export type ActivityInputT = z.infer<typeof ActivityInput>;

/**
 * The batch is parsed item by item on the server so that one bad row is reported (with its index)
 * instead of failing the whole batch; only the envelope is validated strictly.
 */
export const IngestActivitiesBody = z.object({
  activities: z
    .array(z.unknown())
    .min(1, "must contain at least one activity")
    .max(MAX_ACTIVITY_BATCH, `must contain at most ${MAX_ACTIVITY_BATCH} activities per request; split the batch`),
});

export interface IngestRejection {
  index: number;
  externalId: string | null;
  reason: string;
}

export interface IngestResult {
  accepted: number;
  duplicate: number;
  rejected: IngestRejection[];
  /** Groups whose engagement was recomputed because a member's activity changed. */
  groupsRecomputed: number;
}

export const ActivityTypeBody = z.object({
  name: requiredName(100),
  description: safeString().trim().max(500).default(""),
  engagementType: safeString().trim().min(1).max(50).default("Custom"),
  dailyCap: z.number().int().min(1, "must be at least 1").max(1000).default(20),
  weight: z.number().int().min(0).max(100).default(30),
  countsTowardEngagement: z.boolean().default(true),
});

export interface ActivityType {
  id: string;
  name: string;
  description: string;
  engagementType: string;
  dailyCap: number;
  weight: number;
  countsTowardEngagement: boolean;
  builtin: boolean;
}
