import { writeAudit } from "../audit/audit.repo";
import type { Db } from "../db/create-db";
import { newId } from "../db/ids";

export interface GroupInterest {
  id: string;
  name: string;
  role_template_id: string;
  stage_model_id: string | null;
}

/**
 * Inserts "<solution interest> for <account>" for each account, in the interest's entry stage (with
 * its history row) and with an audit entry, inside the caller's transaction. The one place groups
 * are created, by hand or by a creation job. Returns the new group ids in account order (for a job,
 * without the accounts that already had one).
 */
export async function insertGroups(
  trx: Db,
  si: GroupInterest,
  accounts: ReadonlyArray<{ id: string; name: string }>,
  ctx: { source: "manual" | "system"; userId: string | null; at: string },
): Promise<string[]> {
  if (accounts.length === 0) return [];
  const { at } = ctx;
  const entry = si.stage_model_id
    ? await trx
        .selectFrom("stages")
        .select("id")
        .where("model_id", "=", si.stage_model_id)
        .where("kind", "=", "entry")
        .orderBy("position")
        .executeTakeFirst()
    : undefined;
  const all = accounts.map((a) => ({
    id: newId("grp"),
    account_id: a.id,
    solution_interest_id: si.id,
    name: `${si.name} for ${a.name}`,
    role_template_id: si.role_template_id,
    stage_id: entry?.id ?? null,
    completeness: 0,
    engagement: 0,
    engagement_raw: 0,
    scores_computed_at: at,
    summary: null,
    created_at: at,
    updated_at: at,
  }));
  // A job skips an account whose group another process (a user, another runner) created meanwhile;
  // a group made by hand fails on the unique constraint instead, which the caller answers with 409.
  const inserted = new Set<string>();
  for (let i = 0; i < all.length; i += 100) {
    const q = trx.insertInto("buying_groups").values(all.slice(i, i + 100));
    const rows = await (ctx.source === "system"
      ? q.onConflict((oc) => oc.columns(["account_id", "solution_interest_id"]).doNothing())
      : q
    )
      .returning("id")
      .execute();
    for (const r of rows) inserted.add(r.id);
  }
  const groups = all.filter((g) => inserted.has(g.id));
  if (groups.length === 0) return [];
  if (entry) {
    const history = groups.map((g) => ({
      id: newId("gsh"),
      group_id: g.id,
      from_stage_id: null,
      to_stage_id: entry.id,
      source: ctx.source,
      changed_by: ctx.userId,
      changed_at: at,
    }));
    for (let i = 0; i < history.length; i += 100)
      await trx
        .insertInto("group_stage_history")
        .values(history.slice(i, i + 100))
        .execute();
  }
  await writeAudit(
    trx,
    groups.map((g) => ({
      at,
      actorUserId: ctx.userId,
      source: ctx.source,
      action: "group.created",
      entityType: "buying_group",
      entityId: g.id,
      groupId: g.id,
      details: { accountId: g.account_id, solutionInterestId: si.id },
    })),
  );
  return groups.map((g) => g.id);
}
