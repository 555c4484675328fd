import type { MemberSource } from "../../shared/domain/sources";
import { notFound, QuorumError } from "../../shared/errors";
import { writeAudit } from "../audit/audit.repo";
import type { Db } from "../db/create-db";
import { newId } from "../db/ids";
import type { Deps } from "../deps";
import { writeEvents } from "../events/events.repo";

interface StageRef {
  id: string;
  name: string;
  kind: string;
}

async function loadGroupStage(db: Db, groupId: string) {
  const g = await db
    .selectFrom("buying_groups as g")
    .innerJoin("solution_interests as si", "si.id", "g.solution_interest_id")
    .innerJoin("accounts as a", "a.id", "g.account_id")
    .select(["g.id", "g.stage_id", "si.stage_model_id", "g.completeness", "g.engagement", "a.open_opportunities_count"])
    .where("g.id", "=", groupId)
    .executeTakeFirst();
  if (!g) throw notFound("Buying group", groupId);
  return g;
}

/** Stages reachable from the current one: its allowed transitions, or the entry stages when it has none yet. */
async function allowedTargets(db: Db, modelId: string, currentStageId: string | null): Promise<StageRef[]> {
  if (!currentStageId) {
    return db
      .selectFrom("stages")
      .select(["id", "name", "kind"])
      .where("model_id", "=", modelId)
      .where("kind", "=", "entry")
      .orderBy("position")
      .execute();
  }
  return db
    .selectFrom("stage_transitions as t")
    .innerJoin("stages as s", "s.id", "t.to_stage_id")
    .select(["s.id", "s.name", "s.kind"])
    .where("t.model_id", "=", modelId)
    .where("t.from_stage_id", "=", currentStageId)
    .orderBy("s.position")
    .execute();
}

/** The group's stage, where it may go next, and every change with time and source. */
export async function getGroupStage(deps: Deps, groupId: string) {
  const g = await loadGroupStage(deps.db, groupId);
  const [current, history] = await Promise.all([
    g.stage_id
      ? deps.db.selectFrom("stages").select(["id", "name", "kind"]).where("id", "=", g.stage_id).executeTakeFirst()
      : undefined,
    deps.db
      .selectFrom("group_stage_history as h")
      .leftJoin("stages as f", "f.id", "h.from_stage_id")
      .innerJoin("stages as t", "t.id", "h.to_stage_id")
      .select([
        "h.id",
        "h.from_stage_id",
        "f.name as from_name",
        "h.to_stage_id",
        "t.name as to_name",
        "h.source",
        "h.changed_by",
        "h.changed_at",
      ])
      .where("h.group_id", "=", groupId)
      .orderBy("h.changed_at", "desc")
      .orderBy("h.id", "desc")
      .execute(),
  ]);
  return {
    groupId,
    stageModelId: g.stage_model_id,
    stage: current ?? null,
    allowedTargets: g.stage_model_id ? await allowedTargets(deps.db, g.stage_model_id, g.stage_id) : [],
    history: history.map((h) => ({
      id: h.id,
      from: h.from_stage_id ? { id: h.from_stage_id, name: h.from_name ?? "" } : null,
      to: { id: h.to_stage_id, name: h.to_name },
      source: h.source,
      changedBy: h.changed_by,
      changedAt: h.changed_at,
    })),
  };
}

/**
 * Moves a group to a stage of its solution interest's stage model. 409 with the allowed targets
 * when the model has no such transition. History, audit and event are written in one transaction.
 */
export async function changeGroupStage(
  deps: Deps,
  groupId: string,
  stageId: string,
  ctx: { source: MemberSource; userId: string | null },
  db?: Db,
): Promise<{ changed: boolean; stage: StageRef }> {
  if (!db) return deps.db.transaction().execute((trx) => changeGroupStage(deps, groupId, stageId, ctx, trx));
  const g = await loadGroupStage(db, groupId);
  if (!g.stage_model_id) {
    throw new QuorumError(
      409,
      "conflict",
      "This group's solution interest has no stage model; give it one before setting stages.",
      {
        allowedTargets: [],
      },
    );
  }
  const target = await db
    .selectFrom("stages")
    .select(["id", "name", "kind", "model_id"])
    .where("id", "=", stageId)
    .executeTakeFirst();
  const allowed = await allowedTargets(db, g.stage_model_id, g.stage_id);
  if (target && target.id === g.stage_id)
    return { changed: false, stage: { id: target.id, name: target.name, kind: target.kind } };
  if (!target || target.model_id !== g.stage_model_id || !allowed.some((a) => a.id === stageId)) {
    const why =
      !target || target.model_id !== g.stage_model_id
        ? `'${stageId}' is not a stage of this group's stage model`
        : `moving to '${target.name}' is not an allowed transition from the current stage`;
    throw new QuorumError(
      409,
      "conflict",
      `${why}. Allowed: ${allowed.map((a) => `${a.name} (${a.id})`).join(", ") || "none (final stage)"}.`,
      { allowedTargets: allowed },
    );
  }
  const at = deps.clock().toISOString();
  await db.updateTable("buying_groups").set({ stage_id: target.id, updated_at: at }).where("id", "=", groupId).execute();
  await db
    .insertInto("group_stage_history")
    .values({
      id: newId("gsh"),
      group_id: groupId,
      from_stage_id: g.stage_id,
      to_stage_id: target.id,
      source: ctx.source,
      changed_by: ctx.userId,
      changed_at: at,
    })
    .execute();
  const data = { fromStageId: g.stage_id, toStageId: target.id, toStageName: target.name };
  await writeAudit(db, [
    {
      at,
      actorUserId: ctx.userId,
      source: ctx.source,
      action: "group.stage_changed",
      entityType: "buying_group",
      entityId: groupId,
      groupId,
      details: data,
    },
  ]);
  await writeEvents(db, [{ at, type: "group.stage_changed", groupId, personId: null, source: ctx.source, data }]);
  return { changed: true, stage: { id: target.id, name: target.name, kind: target.kind } };
}

/**
 * Applies a stage model's automatic rules (source "system") to these groups: a rule fires when the
 * group is in its `from` stage (or any stage with an allowed transition to `to`) and every threshold
 * holds. Rules are acyclic (validated), so repeating until nothing fires terminates. Returns moves.
 */
export async function applyAutomaticStages(deps: Deps, db: Db, groupIds: readonly string[]): Promise<number> {
  let moves = 0;
  const rulesByModel = new Map<string, Awaited<ReturnType<typeof loadRules>>>();
  const loadRules = (modelId: string) =>
    db.selectFrom("stage_rules").selectAll().where("model_id", "=", modelId).orderBy("position").execute();
  for (const groupId of groupIds) {
    for (let guard = 0; guard < 30; guard++) {
      const g = await loadGroupStage(db, groupId);
      if (!g.stage_model_id) break;
      let rules = rulesByModel.get(g.stage_model_id);
      if (!rules) {
        rules = await loadRules(g.stage_model_id);
        rulesByModel.set(g.stage_model_id, rules);
      }
      if (rules.length === 0) break;
      const allowed = new Set((await allowedTargets(db, g.stage_model_id, g.stage_id)).map((s) => s.id));
      const rule = rules.find(
        (r) =>
          (r.from_stage_id === null || r.from_stage_id === g.stage_id) &&
          allowed.has(r.to_stage_id) &&
          (r.min_completeness === null || g.completeness >= r.min_completeness) &&
          (r.min_engagement === null || g.engagement >= r.min_engagement) &&
          (!r.requires_open_opportunity || g.open_opportunities_count > 0),
      );
      if (!rule) break;
      await changeGroupStage(deps, groupId, rule.to_stage_id, { source: "system", userId: null }, db);
      moves++;
    }
  }
  return moves;
}
