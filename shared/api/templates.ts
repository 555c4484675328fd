import { z } from "zod";
import { WEIGHTINGS } from "../scoring/weighting";
import { IdSchema, requiredName, safeString } from "./common";

export const CONDITION_OPERATORS = [
  "contains",
  "equals",
  "starts_with",
  "in",
  "not_contains",
  "not_equals",
  "gte",
  "lte",
] as const;

/** Fields a condition can test; `attributes.<name>` reads a custom attribute. */
export const CONDITION_FIELDS = [
  "jobTitle",
  "department",
  "seniority",
  "country",
  "emailDomain",
  "score",
  "intent",
  "intent.keyword",
  "intent.product",
  "intent.solution",
] as const;

/**
 * A leaf: one test on one person field, e.g. `{ field: "jobTitle", op: "contains", value: "CIO" }`.
 * Intent fields test the person's intent topics: `{ field: "intent.keyword", op: "equals", value:
 * "data warehouse", level: "medium" }` matches a person with at least Medium intent on that keyword.
 */
export const ConditionLeaf = z
  .object({
    field: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .refine((f) => (CONDITION_FIELDS as readonly string[]).includes(f) || /^attributes\.[A-Za-z0-9_-]{1,80}$/.test(f), {
        message: `is not a condition field (use one of ${CONDITION_FIELDS.join(", ")} or attributes.<name>)`,
      }),
    op: z.enum(CONDITION_OPERATORS),
    value: z.union([safeString().max(500), z.number(), z.array(safeString().max(500)).max(200)]),
    /** Intent fields only: the least intent level that counts (default low). */
    level: z.enum(["low", "medium", "high"]).optional(),
  })
  .superRefine((leaf, ctx) => {
    const intent = leaf.field === "intent" || leaf.field.startsWith("intent.");
    if (leaf.level && !intent) ctx.addIssue({ code: "custom", path: ["level"], message: "only applies to intent fields" });
    if (intent && (leaf.op === "gte" || leaf.op === "lte"))
      ctx.addIssue({ code: "custom", path: ["op"], message: `${leaf.op} does not apply to intent topics; use level instead` });
    if ((leaf.op === "gte" || leaf.op === "lte") && (Array.isArray(leaf.value) || Number.isNaN(Number(leaf.value))))
      ctx.addIssue({ code: "custom", path: ["value"], message: `${leaf.op} needs a number` });
  });
export type ConditionLeafT = z.infer<typeof ConditionLeaf>;
export type ConditionNode = ConditionLeafT | { all: ConditionNode[] } | { any: ConditionNode[] };

export const ConditionNodeSchema: z.ZodType<ConditionNode> = z.lazy(() =>
  z.union([
    ConditionLeaf,
    z.object({ all: z.array(ConditionNodeSchema).max(50) }),
    z.object({ any: z.array(ConditionNodeSchema).max(50) }),
  ]),
);

export const RoleInput = z.object({
  key: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,49}$/, "must be lower-case letters, digits and dashes, e.g. decision-maker"),
  name: requiredName(100),
  weighting: z.enum(WEIGHTINGS),
  membersRequired: z.number().int().min(1, "must be at least 1").max(100).default(1),
  countsTowardCompleteness: z.boolean().default(true),
  decisionMaker: z.boolean().default(false),
  /** null: never assigned automatically. */
  conditions: ConditionNodeSchema.nullable().default(null),
});

export const TemplateBody = z
  .object({
    name: requiredName(200),
    description: safeString().trim().max(2000).default(""),
    /** In priority order: the first role whose conditions match wins. */
    roles: z.array(RoleInput).min(1, "a template needs at least one role").max(30),
  })
  .superRefine((t, ctx) => {
    const seen = new Set<string>();
    t.roles.forEach((r, i) => {
      if (seen.has(r.key))
        ctx.addIssue({ code: "custom", path: ["roles", i, "key"], message: `role key '${r.key}' is used twice` });
      seen.add(r.key);
    });
  });
export type TemplateInput = z.infer<typeof TemplateBody>;

export interface TemplateRole {
  key: string;
  name: string;
  weighting: (typeof WEIGHTINGS)[number];
  membersRequired: number;
  countsTowardCompleteness: boolean;
  decisionMaker: boolean;
  conditions: ConditionNode | null;
  priority: number;
}

export interface RoleTemplate {
  id: string;
  familyId: string;
  version: number;
  name: string;
  description: string;
  status: "draft" | "live" | "retired";
  publishedAt: string | null;
  roles: TemplateRole[];
  createdAt: string;
  updatedAt: string;
}

/** Preview a template (draft or live) against one account before publishing. */
export const PreviewTemplateBody = z.object({ accountId: IdSchema });
