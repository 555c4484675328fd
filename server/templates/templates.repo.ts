import type { ConditionNode, RoleTemplate, TemplateInput, TemplateRole } from "../../shared/api/templates";
import type { Weighting } from "../../shared/scoring/weighting";
import type { Db } from "../db/create-db";
import { newId } from "../db/ids";
import { bool, int, parseJson, toJson } from "../db/json";
import type { TemplateRoleRow } from "../db/schema";

export function toRole(row: TemplateRoleRow): TemplateRole {
  return {
    key: row.key,
    name: row.name,
    weighting: row.weighting as Weighting,
    membersRequired: row.members_required,
    countsTowardCompleteness: bool(row.counts_toward_completeness),
    decisionMaker: bool(row.decision_maker),
    conditions: parseJson<ConditionNode | null>(row.conditions, null),
    priority: row.priority,
  };
}

/** Roles of many templates at once, keyed by template id, in priority order. */
export async function rolesByTemplate(db: Db, templateIds: string[]): Promise<Map<string, TemplateRole[]>> {
  const out = new Map<string, TemplateRole[]>();
  if (templateIds.length === 0) return out;
  const rows = await db
    .selectFrom("template_roles")
    .selectAll()
    .where("template_id", "in", [...new Set(templateIds)])
    .orderBy("template_id")
    .orderBy("priority")
    .execute();
  for (const r of rows) {
    const list = out.get(r.template_id) ?? [];
    list.push(toRole(r));
    out.set(r.template_id, list);
  }
  return out;
}

export async function getTemplate(db: Db, id: string): Promise<RoleTemplate | null> {
  const row = await db.selectFrom("role_templates").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) return null;
  const roles = (await rolesByTemplate(db, [id])).get(id) ?? [];
  return {
    id: row.id,
    familyId: row.family_id,
    version: row.version,
    name: row.name,
    description: row.description,
    status: row.status as RoleTemplate["status"],
    publishedAt: row.published_at,
    roles,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function listTemplateIds(db: Db, q: string | undefined): Promise<string[]> {
  let query = db.selectFrom("role_templates").select("id");
  if (q) query = query.where("name", "like", `%${q}%`);
  return (await query.orderBy("name").orderBy("version", "desc").execute()).map((r) => r.id);
}

async function insertRoles(db: Db, templateId: string, roles: TemplateInput["roles"]) {
  await db
    .insertInto("template_roles")
    .values(
      roles.map((r, i) => ({
        template_id: templateId,
        key: r.key,
        name: r.name,
        weighting: r.weighting,
        members_required: r.membersRequired,
        counts_toward_completeness: int(r.countsTowardCompleteness),
        decision_maker: int(r.decisionMaker),
        conditions: toJson(r.conditions),
        priority: i + 1,
      })),
    )
    .execute();
}

export async function insertTemplate(
  db: Db,
  input: TemplateInput,
  opts: { familyId?: string; version?: number; status: "draft" | "live"; now: string },
): Promise<string> {
  const id = newId("tpl");
  await db
    .insertInto("role_templates")
    .values({
      id,
      family_id: opts.familyId ?? id,
      version: opts.version ?? 1,
      name: input.name,
      description: input.description,
      status: opts.status,
      published_at: opts.status === "live" ? opts.now : null,
      created_at: opts.now,
      updated_at: opts.now,
    })
    .execute();
  await insertRoles(db, id, input.roles);
  return id;
}

export async function replaceDraft(db: Db, id: string, input: TemplateInput, now: string): Promise<void> {
  await db
    .updateTable("role_templates")
    .set({ name: input.name, description: input.description, updated_at: now })
    .where("id", "=", id)
    .execute();
  await db.deleteFrom("template_roles").where("template_id", "=", id).execute();
  await insertRoles(db, id, input.roles);
}
