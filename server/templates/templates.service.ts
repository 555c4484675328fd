import type { RoleTemplate, TemplateInput } from "../../shared/api/templates";
import { notFound, QuorumError } from "../../shared/errors";
import { writeAudit } from "../audit/audit.repo";
import type { Deps } from "../deps";
import { recomputeGroups } from "../scores/scores.service";
import { getTemplate, insertTemplate, listTemplateIds, replaceDraft } from "./templates.repo";

export async function requireTemplate(deps: Deps, id: string): Promise<RoleTemplate> {
  const t = await getTemplate(deps.db, id);
  if (!t) throw notFound("Role template", id);
  return t;
}

export async function listTemplates(deps: Deps, q?: string): Promise<RoleTemplate[]> {
  const ids = await listTemplateIds(deps.db, q);
  const out: RoleTemplate[] = [];
  for (const id of ids) {
    const t = await getTemplate(deps.db, id);
    if (t) out.push(t);
  }
  return out;
}

export async function createTemplate(deps: Deps, input: TemplateInput, userId: string): Promise<RoleTemplate> {
  const now = deps.clock().toISOString();
  const id = await deps.db.transaction().execute(async (trx) => {
    const id = await insertTemplate(trx, input, { status: "draft", now });
    await writeAudit(trx, [
      {
        at: now,
        actorUserId: userId,
        source: "manual",
        action: "template.created",
        entityType: "role_template",
        entityId: id,
        groupId: null,
        details: { name: input.name },
      },
    ]);
    return id;
  });
  return requireTemplate(deps, id);
}

/**
 * Edits a template. A draft is changed in place; a live template is immutable, so editing it creates
 * (or replaces) the next draft version of the same family.
 */
export async function updateTemplate(deps: Deps, id: string, input: TemplateInput, userId: string): Promise<RoleTemplate> {
  const current = await requireTemplate(deps, id);
  const now = deps.clock().toISOString();
  const resultId = await deps.db.transaction().execute(async (trx) => {
    let targetId = id;
    if (current.status === "draft") {
      await replaceDraft(trx, id, input, now);
    } else {
      const existingDraft = await trx
        .selectFrom("role_templates")
        .select("id")
        .where("family_id", "=", current.familyId)
        .where("status", "=", "draft")
        .executeTakeFirst();
      if (existingDraft) {
        targetId = existingDraft.id;
        await replaceDraft(trx, targetId, input, now);
      } else {
        const max = await trx
          .selectFrom("role_templates")
          .select((eb) => eb.fn.max("version").as("v"))
          .where("family_id", "=", current.familyId)
          .executeTakeFirstOrThrow();
        targetId = await insertTemplate(trx, input, {
          familyId: current.familyId,
          version: Number(max.v) + 1,
          status: "draft",
          now,
        });
      }
    }
    await writeAudit(trx, [
      {
        at: now,
        actorUserId: userId,
        source: "manual",
        action: "template.updated",
        entityType: "role_template",
        entityId: targetId,
        groupId: null,
        details: { name: input.name },
      },
    ]);
    return targetId;
  });
  return requireTemplate(deps, resultId);
}

/**
 * Publishes a draft: it becomes live, the previous live version of the family retires, solution
 * interests and groups on the old version move to the new one, and their scores are recomputed in
 * the same transaction. Members whose role key no longer exists stay but no longer count.
 */
export async function publishTemplate(deps: Deps, id: string, userId: string): Promise<RoleTemplate> {
  const t = await requireTemplate(deps, id);
  if (t.status !== "draft") {
    throw new QuorumError(409, "conflict", `Role template '${id}' is ${t.status}; only a draft can be published.`, {
      status: t.status,
    });
  }
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    const previous = await trx
      .selectFrom("role_templates")
      .select("id")
      .where("family_id", "=", t.familyId)
      .where("status", "=", "live")
      .execute();
    const prevIds = previous.map((p) => p.id);
    await trx
      .updateTable("role_templates")
      .set({ status: "live", published_at: now.toISOString(), updated_at: now.toISOString() })
      .where("id", "=", id)
      .execute();
    if (prevIds.length > 0) {
      await trx
        .updateTable("role_templates")
        .set({ status: "retired", updated_at: now.toISOString() })
        .where("id", "in", prevIds)
        .execute();
      await trx
        .updateTable("solution_interests")
        .set({ role_template_id: id, updated_at: now.toISOString() })
        .where("role_template_id", "in", prevIds)
        .execute();
      const groups = await trx.selectFrom("buying_groups").select("id").where("role_template_id", "in", prevIds).execute();
      await trx.updateTable("buying_groups").set({ role_template_id: id }).where("role_template_id", "in", prevIds).execute();
      await recomputeGroups(
        trx,
        deps,
        groups.map((g) => g.id),
        now,
      );
    }
    await writeAudit(trx, [
      {
        at: now.toISOString(),
        actorUserId: userId,
        source: "manual",
        action: "template.published",
        entityType: "role_template",
        entityId: id,
        groupId: null,
        details: { retired: prevIds },
      },
    ]);
  });
  return requireTemplate(deps, id);
}

/** Deletes a template that no group or solution interest uses (409 listing the users otherwise). */
export async function deleteTemplate(deps: Deps, id: string): Promise<void> {
  await requireTemplate(deps, id);
  const [groups, interests] = await Promise.all([
    deps.db.selectFrom("buying_groups").select(["id", "name"]).where("role_template_id", "=", id).limit(20).execute(),
    deps.db.selectFrom("solution_interests").select(["id", "name"]).where("role_template_id", "=", id).execute(),
  ]);
  if (groups.length > 0 || interests.length > 0) {
    throw new QuorumError(
      409,
      "conflict",
      "This role template is in use; move those groups and solution interests to another template first.",
      {
        groups,
        solutionInterests: interests,
      },
    );
  }
  await deps.db.deleteFrom("role_templates").where("id", "=", id).execute();
}
