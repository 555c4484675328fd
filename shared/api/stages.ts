import { z } from "zod";
import { IdSchema, requiredName } from "./common";

export const STAGE_KINDS = ["entry", "in_progress", "success", "failure"] as const;
export type StageKind = (typeof STAGE_KINDS)[number];

const StageName = requiredName(100);

/**
 * A stage model: stages, the allowed transitions between them (any directed graph, referenced by
 * stage name, case-insensitive) and optional automatic transition rules. Automatic rules must
 * follow allowed transitions and must not form a cycle (a group would move forever).
 */
export const StageModelBody = z
  .object({
    name: requiredName(200),
    stages: z
      .array(z.object({ name: StageName, kind: z.enum(STAGE_KINDS) }))
      .min(2, "a stage model needs at least two stages")
      .max(30),
    transitions: z
      .array(z.object({ from: StageName, to: StageName }))
      .max(500)
      .default([]),
    rules: z
      .array(
        z
          .object({
            /** null: from any stage that has an allowed transition to `to`. */
            from: StageName.nullish().transform((v) => v ?? null),
            to: StageName,
            minCompleteness: z
              .number()
              .min(0)
              .max(100)
              .nullish()
              .transform((v) => v ?? null),
            minEngagement: z
              .number()
              .min(0)
              .nullish()
              .transform((v) => v ?? null),
            openOpportunity: z.boolean().default(false),
          })
          .refine((r) => r.minCompleteness !== null || r.minEngagement !== null || r.openOpportunity, {
            message: "give at least one of minCompleteness, minEngagement or openOpportunity",
          }),
      )
      .max(50)
      .default([]),
  })
  .superRefine((m, ctx) => {
    const names = new Map<string, number>();
    m.stages.forEach((s, i) => {
      const k = s.name.toLowerCase();
      if (names.has(k))
        ctx.addIssue({ code: "custom", path: ["stages", i, "name"], message: `stage '${s.name}' is listed twice` });
      names.set(k, i);
    });
    if (!m.stages.some((s) => s.kind === "entry"))
      ctx.addIssue({ code: "custom", path: ["stages"], message: "needs an entry stage (kind: entry)" });
    const known = (n: string) => names.has(n.toLowerCase());
    const allowed = new Set<string>();
    m.transitions.forEach((t, i) => {
      for (const end of ["from", "to"] as const) {
        if (!known(t[end]))
          ctx.addIssue({ code: "custom", path: ["transitions", i, end], message: `'${t[end]}' is not a stage of this model` });
      }
      if (t.from.toLowerCase() === t.to.toLowerCase())
        ctx.addIssue({ code: "custom", path: ["transitions", i], message: "a stage cannot transition to itself" });
      allowed.add(`${t.from.toLowerCase()}>${t.to.toLowerCase()}`);
    });
    const edges: Array<[string, string]> = [];
    m.rules.forEach((r, i) => {
      if (!known(r.to))
        ctx.addIssue({ code: "custom", path: ["rules", i, "to"], message: `'${r.to}' is not a stage of this model` });
      if (r.from !== null && !known(r.from))
        ctx.addIssue({ code: "custom", path: ["rules", i, "from"], message: `'${r.from}' is not a stage of this model` });
      const froms = r.from
        ? [r.from.toLowerCase()]
        : [...allowed].filter((e) => e.endsWith(`>${r.to.toLowerCase()}`)).map((e) => e.split(">")[0]!);
      if (r.from && known(r.from) && known(r.to) && !allowed.has(`${r.from.toLowerCase()}>${r.to.toLowerCase()}`))
        ctx.addIssue({ code: "custom", path: ["rules", i], message: `'${r.from}' → '${r.to}' is not an allowed transition` });
      for (const f of froms) edges.push([f, r.to.toLowerCase()]);
    });
    const cycle = findCycle(edges);
    if (cycle) ctx.addIssue({ code: "custom", path: ["rules"], message: `automatic rules form a cycle: ${cycle.join(" → ")}` });
  });
export type StageModelInput = z.infer<typeof StageModelBody>;

function findCycle(edges: Array<[string, string]>): string[] | null {
  const next = new Map<string, string[]>();
  for (const [a, b] of edges) next.set(a, [...(next.get(a) ?? []), b]);
  const state = new Map<string, 1 | 2>();
  const path: string[] = [];
  const visit = (n: string): string[] | null => {
    if (state.get(n) === 2) return null;
    if (state.get(n) === 1) return [...path.slice(path.indexOf(n)), n];
    state.set(n, 1);
    path.push(n);
    for (const m of next.get(n) ?? []) {
      const c = visit(m);
      if (c) return c;
    }
    path.pop();
    state.set(n, 2);
    return null;
  };
  for (const n of next.keys()) {
    const c = visit(n);
    if (c) return c;
  }
  return null;
}

export const ChangeStageBody = z.object({ stageId: IdSchema });

export interface Stage {
  id: string;
  name: string;
  kind: StageKind;
  position: number;
}

export interface StageModel {
  id: string;
  name: string;
  status: "draft" | "live";
  stages: Stage[];
  transitions: Array<{ fromStageId: string; toStageId: string }>;
  rules: Array<{
    fromStageId: string | null;
    toStageId: string;
    minCompleteness: number | null;
    minEngagement: number | null;
    openOpportunity: boolean;
  }>;
  createdAt: string;
  updatedAt: string;
}
