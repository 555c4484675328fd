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
