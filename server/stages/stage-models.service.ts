import type { StageModel, StageModelInput } from "../../shared/api/stages";
import { notFound, QuorumError } from "../../shared/errors";
import { writeAudit } from "../audit/audit.repo";
import { newId } from "../db/ids";
import type { Deps } from "../deps";
import { getStageModel, writeStageModelParts } from "./stage-models.repo";

export async function requireStageModel(deps: Deps, id: string): Promise<StageModel> {
  const m = await getStageModel(deps.db, id);
  if (!m) throw notFound("Stage model", id);
  return m;
}

export async function listStageModels(deps: Deps): Promise<StageModel[]> {
  const rows = await deps.db.selectFrom("stage_models").select("id").orderBy("name").execute();
  const out: StageModel[] = [];
  for (const r of rows) {
    const m = await getStageModel(deps.db, r.id);
    if (m) out.push(m);
  }
  return out;
}

const audit = (deps: Deps, userId: string, action: string, id: string, details: unknown) => ({
  at: deps.clock().toISOString(),
  actorUserId: userId,
  source: "manual",
  action,
  entityType: "stage_model",
  entityId: id,
  groupId: null,
  details,
});

export async function createStageModel(deps: Deps, input: StageModelInput, userId: string): Promise<StageModel> {
  const id = newId("sm");
  const at = deps.clock().toISOString();
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("stage_models")
      .values({ id, name: input.name, status: "draft", created_at: at, updated_at: at })
      .execute();
    await writeStageModelParts(trx, id, input);
    await writeAudit(trx, [audit(deps, userId, "stage_model.created", id, { name: input.name })]);
  });
  return requireStageModel(deps, id);
}

/** A draft is edited in place; a live model is immutable (groups point at its stages). */
export async function updateStageModel(deps: Deps, id: string, input: StageModelInput, userId: string): Promise<StageModel> {
  const m = await requireStageModel(deps, id);
  if (m.status !== "draft") {
    throw new QuorumError(
      409,
      "conflict",
      `Stage model '${m.name}' is live and cannot change; create a new draft model instead.`,
      {
        status: m.status,
      },
    );
  }
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable("stage_models")
      .set({ name: input.name, updated_at: deps.clock().toISOString() })
      .where("id", "=", id)
      .execute();
    await writeStageModelParts(trx, id, input);
    await writeAudit(trx, [audit(deps, userId, "stage_model.updated", id, { name: input.name })]);
  });
  return requireStageModel(deps, id);
}

export async function publishStageModel(deps: Deps, id: string, userId: string): Promise<StageModel> {
  const m = await requireStageModel(deps, id);
  if (m.status !== "draft")
    throw new QuorumError(409, "conflict", `Stage model '${m.name}' is already live.`, { status: m.status });
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable("stage_models")
      .set({ status: "live", updated_at: deps.clock().toISOString() })
      .where("id", "=", id)
      .execute();
    await writeAudit(trx, [audit(deps, userId, "stage_model.published", id, {})]);
  });
  return requireStageModel(deps, id);
}

/** Deletes a model no solution interest uses (409 naming them otherwise). */
export async function deleteStageModel(deps: Deps, id: string, userId: string): Promise<void> {
  const m = await requireStageModel(deps, id);
  const interests = await deps.db
    .selectFrom("solution_interests")
    .select(["id", "name"])
    .where("stage_model_id", "=", id)
    .execute();
  const groups = await deps.db
    .selectFrom("buying_groups as g")
    .innerJoin("stages as s", "s.id", "g.stage_id")
    .select(["g.id", "g.name"])
    .where("s.model_id", "=", id)
    .limit(20)
    .execute();
  if (interests.length || groups.length) {
    throw new QuorumError(409, "conflict", `Stage model '${m.name}' is in use; move these solution interests and groups first.`, {
      solutionInterests: interests,
      groups,
    });
  }
  await deps.db.transaction().execute(async (trx) => {
    await trx.deleteFrom("stage_models").where("id", "=", id).execute();
    await writeAudit(trx, [audit(deps, userId, "stage_model.deleted", id, { name: m.name })]);
  });
}
