import { z } from "zod";
import { IdSchema, requiredName, safeString } from "./common";

export const SolutionInterestBody = z.object({
  name: requiredName(200),
  description: safeString().trim().max(2000).default(""),
  roleTemplateId: IdSchema,
  stageModelId: IdSchema.nullish().transform((v) => v ?? null),
  keywords: z.array(safeString().trim().min(1).max(100)).max(100).default([]),
  products: z.array(safeString().trim().min(1).max(200)).max(100).default([]),
});

/** `?q=`: name, description, keywords or products containing it (case and accents ignored). */
export const SolutionInterestListQuery = z.object({ q: z.string().trim().max(200, "must be at most 200 characters").optional() });

/** `?confirmGroups=N`: delete the interest with its N buying groups (N must be the current count; admins only). */
export const DeleteSolutionInterestQuery = z.object({
  confirmGroups: z.coerce
    .number({ message: "must be the number of buying groups to delete with it" })
    .int("must be a whole number")
    .min(1, "must be at least 1 (leave it out when there are no groups)")
    .optional(),
});

export interface SolutionInterest {
  id: string;
  name: string;
  description: string;
  roleTemplateId: string;
  stageModelId: string | null;
  keywords: string[];
  products: string[];
  groupCount: number;
}
