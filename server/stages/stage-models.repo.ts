import type { StageKind, StageModel, StageModelInput } from "../../shared/api/stages";
import type { Db } from "../db/create-db";
import { newId } from "../db/ids";
import { bool, int } from "../db/json";

export async function getStageModel(db: Db, id: string): Promise<StageModel | null> {
  const m = await db.selectFrom("stage_models").selectAll().where("id", "=", id).executeTakeFirst();
  if (!m) return null;
  const [stages, transitions, rules] = await Promise.all([
    db.selectFrom("stages").selectAll().where("model_id", "=", id).orderBy("position").execute(),
    db.selectFrom("stage_transitions").selectAll().where("model_id", "=", id).execute(),
    db.selectFrom("stage_rules").selectAll().where("model_id", "=", id).orderBy("position").execute(),
  ]);
  return {
    id: m.id,
    name: m.name,
    status: m.status as StageModel["status"],
    stages: stages.map((s) => ({ id: s.id, name: s.name, kind: s.kind as StageKind, position: s.position })),
    transitions: transitions.map((t) => ({ fromStageId: t.from_stage_id, toStageId: t.to_stage_id })),
    rules: rules.map((r) => ({
      fromStageId: r.from_stage_id,
      toStageId: r.to_stage_id,
      minCompleteness: r.min_completeness,
      minEngagement: r.min_engagement,
      openOpportunity: bool(r.requires_open_opportunity),
    })),
    createdAt: m.created_at,
    updatedAt: m.updated_at,
  };
}

/** Replaces a model's stages, transitions and rules (drafts only: groups never point at a draft's stages). */
export async function writeStageModelParts(db: Db, modelId: string, input: StageModelInput): Promise<void> {
  await db.deleteFrom("stage_rules").where("model_id", "=", modelId).execute();
  await db.deleteFrom("stage_transitions").where("model_id", "=", modelId).execute();
  await db.deleteFrom("stages").where("model_id", "=", modelId).execute();
  const ids = new Map<string, string>();
  const stages = input.stages.map((s, position) => {
    const id = newId("stg");
    ids.set(s.name.toLowerCase(), id);
    return { id, model_id: modelId, name: s.name, kind: s.kind, position };
  });
  const idOf = (name: string) => ids.get(name.toLowerCase())!;
  await db.insertInto("stages").values(stages).execute();
  if (input.transitions.length) {
    const unique = new Map(input.transitions.map((t) => [`${idOf(t.from)}>${idOf(t.to)}`, t]));
    await db
      .insertInto("stage_transitions")
      .values([...unique.values()].map((t) => ({ model_id: modelId, from_stage_id: idOf(t.from), to_stage_id: idOf(t.to) })))
      .execute();
  }
  if (input.rules.length) {
    await db
      .insertInto("stage_rules")
      .values(
        input.rules.map((r, position) => ({
          id: newId("srl"),
          model_id: modelId,
          from_stage_id: r.from ? idOf(r.from) : null,
          to_stage_id: idOf(r.to),
          min_completeness: r.minCompleteness,
          min_engagement: r.minEngagement,
          requires_open_opportunity: int(r.openOpportunity),
          position,
        })),
      )
      .execute();
  }
}
