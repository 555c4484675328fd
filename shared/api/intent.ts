import { z } from "zod";
import { INTENT_TYPES, type IntentLevel, type IntentTopic, type IntentType } from "../domain/intent";
import { IdSchema, IsoDateTime, safeString } from "./common";

export const MAX_INTENT_BATCH = 5_000;

/** One intent signal: an account's (or one of its people's) interest in a topic. */
export const IntentSignalBody = z
  .object({
    externalId: safeString().trim().min(1).max(200),
    /** Give the account, the person (its account is used), or both. */
    accountId: IdSchema.optional(),
    personId: IdSchema.optional(),
    type: z.enum(INTENT_TYPES),
    topic: safeString().trim().min(1, "must not be empty").max(200),
    strength: z.number().int().min(0, "must be 0–100").max(100, "must be 0–100"),
    occurredAt: IsoDateTime,
  })
  .refine((s) => s.accountId !== undefined || s.personId !== undefined, {
    message: "give an accountId or a personId",
    path: ["accountId"],
  });

export const IngestIntentBody = z.object({
  signals: z
    .array(IntentSignalBody)
    .min(1, "give at least one signal")
    .max(MAX_INTENT_BATCH, `at most ${MAX_INTENT_BATCH} signals per request: split the batch`),
});

export interface IntentIngestResult {
  accepted: number;
  duplicates: number;
  rejected: Array<{ index: number; externalId: string; reason: string }>;
}

export interface IntentView {
  levels: Record<IntentType, IntentLevel | null>;
  topics: IntentTopic[];
}

export interface AccountIntent extends IntentView {
  accountId: string;
  predictedSolutionInterest: {
    solutionInterestId: string;
    name: string;
    confidence: number;
    score: number;
    matchedTopics: string[];
  } | null;
}
