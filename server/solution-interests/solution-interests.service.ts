import type { z } from "zod";
import type { SolutionInterest, SolutionInterestBody } from "../../shared/api/solution-interests";
import { foldText } from "../../shared/domain/role-rules";
import { notFound, QuorumError } from "../../shared/errors";
import { newId } from "../db/ids";
import { parseJson, toJson } from "../db/json";
import type { Deps } from "../deps";
import { getTemplate } from "../templates/templates.repo";

type Input = z.infer<typeof SolutionInterestBody>;

/**
 * Solution interests by name; `q` keeps those whose name, description, keywords or products contain
 * it (case-insensitive, accents ignored: folded in JavaScript, as SQL collations differ per engine).
 */
export async function searchSolutionInterests(deps: Deps, q: string | undefined): Promise<SolutionInterest[]> {
  const all = await listSolutionInterests(deps);
  const needle = q ? foldText(q) : "";
  if (!needle) return all;
  return all.filter((si) =>
    [si.name, si.description, ...si.keywords, ...si.products].some((text) => foldText(text).includes(needle)),
  );
}

export async function listSolutionInterests(deps: Deps, id?: string): Promise<SolutionInterest[]> {
  let q = deps.db
    .selectFrom("solution_interests as si")
    .select([
      "si.id",
      "si.name",
      "si.description",
      "si.role_template_id",
      "si.stage_model_id",
      "si.keywords",
      "si.products",
      (eb) =>
        eb
          .selectFrom("buying_groups as g")
          .select(eb.fn.countAll<number>().as("n"))
          .whereRef("g.solution_interest_id", "=", "si.id")
          .as("group_count"),
    ]);
  if (id) q = q.where("si.id", "=", id);
  const rows = await q.orderBy("si.name").execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    roleTemplateId: r.role_template_id,
    stageModelId: r.stage_model_id,
    keywords: parseJson(r.keywords, []),
    products: parseJson(r.products, []),
    groupCount: Number(r.group_count ?? 0),
  }));
}

/** 400 unless the template is live and the stage model exists; returns the id of a same-named interest, if any. */
export async function assertSolutionInterestRefs(deps: Deps, input: Input) {
  const t = await getTemplate(deps.db, input.roleTemplateId);
  if (t?.status !== "live") {
    throw new QuorumError(
      400,
      "validation_failed",
      `Invalid request body: roleTemplateId '${input.roleTemplateId}' is not a live role template; publish it first.`,
      {
        issues: [{ field: "roleTemplateId", message: t ? `is ${t.status}, not live` : "does not exist" }],
      },
    );
  }
  if (input.stageModelId) {
    const m = await deps.db.selectFrom("stage_models").select("id").where("id", "=", input.stageModelId).executeTakeFirst();
    if (!m) {
      throw new QuorumError(
        400,
        "validation_failed",
        `Invalid request body: stageModelId '${input.stageModelId}' does not exist.`,
        {
          issues: [{ field: "stageModelId", message: "does not exist" }],
        },
      );
    }
  }
  const clash = await deps.db.selectFrom("solution_interests").select("id").where("name", "=", input.name).executeTakeFirst();
  return clash?.id ?? null;
}

export async function createSolutionInterest(deps: Deps, input: Input): Promise<SolutionInterest> {
  if (await assertSolutionInterestRefs(deps, input))
    throw new QuorumError(409, "conflict", `A solution interest named '${input.name}' already exists.`);
  const id = newId("si");
  const now = deps.clock().toISOString();
  await deps.db
    .insertInto("solution_interests")
    .values({
      id,
      ...interestColumns(input),
      created_at: now,
      updated_at: now,
    })
    .execute();
  return (await listSolutionInterests(deps, id))[0]!;
}

/** The stored columns of a solution interest's editable fields (create and edit write the same). */
export function interestColumns(input: Input) {
  return {
    name: input.name,
    description: input.description,
    role_template_id: input.roleTemplateId,
    stage_model_id: input.stageModelId,
    keywords: toJson(input.keywords),
    products: toJson(input.products),
  };
}

export async function getSolutionInterest(deps: Deps, id: string): Promise<SolutionInterest> {
  const [si] = await listSolutionInterests(deps, id);
  if (!si) throw notFound("Solution interest", id);
  return si;
}
