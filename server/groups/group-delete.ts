import { writeAudit } from "../audit/audit.repo";
import type { Db } from "../db/create-db";
import { isPostgres } from "../db/dialect";
import { writeEvents } from "../events/events.repo";

/** Groups handled per statement (ids in one `IN (…)` list). */
const CHUNK = 500;

export interface DeleteContext {
  userId: string | null;
  at: string;
  /** Why, in the audit entry: a group deleted on its own, or with its solution interest. */
  reason: "group_deleted" | "solution_interest_deleted";
}

/**
 * Deletes buying groups inside the caller's transaction, keeping their history: every active member gets
 * a `member.removed` event (source manual, `reason`), each group a `group.deleted` event, and an audit
 * entry `group.deleted` keeps a snapshot (name, account, interest, stage, scores, every member row with
 * its source and dates, the stage history). Earlier audit entries and events of the group are kept (they
 * refer to it by id). Members, stage history and role fill go with the group (foreign keys cascade).
 * Returns how many groups were deleted (ids that do not exist are ignored).
 */
export async function deleteGroups(trx: Db, groupIds: readonly string[], ctx: DeleteContext): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < groupIds.length; i += CHUNK) {
    const ids = groupIds.slice(i, i + CHUNK);
    // PostgreSQL: lock the rows first, so a concurrent membership change (which locks its group) waits.
    const groups = await trx
      .selectFrom("buying_groups as g")
      .innerJoin("accounts as a", "a.id", "g.account_id")
      .innerJoin("solution_interests as si", "si.id", "g.solution_interest_id")
      .leftJoin("stages as s", "s.id", "g.stage_id")
      .select([
        "g.id",
        "g.name",
        "g.account_id",
        "a.name as account_name",
        "g.solution_interest_id",
        "si.name as interest_name",
        "g.stage_id",
        "s.name as stage_name",
        "g.completeness",
        "g.engagement",
        "g.created_at",
      ])
      .where("g.id", "in", ids)
      .$if(isPostgres(trx), (q) => q.forUpdate("g"))
      .execute();
    if (groups.length === 0) continue;
    const found = groups.map((g) => g.id);
    const [members, history] = await Promise.all([
      trx
        .selectFrom("group_members")
        .select(["group_id", "person_id", "role_key", "status", "source", "last_change_source", "added_at", "removed_at"])
        .where("group_id", "in", found)
        .orderBy("group_id")
        .orderBy("added_at")
        .execute(),
      trx
        .selectFrom("group_stage_history")
        .select(["group_id", "from_stage_id", "to_stage_id", "source", "changed_by", "changed_at"])
        .where("group_id", "in", found)
        .orderBy("group_id")
        .orderBy("changed_at")
        .execute(),
    ]);
    const membersOf = (id: string) => members.filter((m) => m.group_id === id);
    await writeEvents(
      trx,
      groups.flatMap((g) => [
        ...membersOf(g.id)
          .filter((m) => m.status === "active")
          .map((m) => ({
            at: ctx.at,
            type: "member.removed" as const,
            groupId: g.id,
            personId: m.person_id,
            source: "manual",
            data: { roleKey: m.role_key, reason: ctx.reason },
          })),
        {
          at: ctx.at,
          type: "group.deleted" as const,
          groupId: g.id,
          personId: null,
          source: "manual",
          data: { name: g.name, accountId: g.account_id, solutionInterestId: g.solution_interest_id, reason: ctx.reason },
        },
      ]),
    );
    await writeAudit(
      trx,
      groups.map((g) => ({
        at: ctx.at,
        actorUserId: ctx.userId,
        source: "manual",
        action: "group.deleted",
        entityType: "buying_group",
        entityId: g.id,
        groupId: g.id,
        details: {
          reason: ctx.reason,
          name: g.name,
          account: { id: g.account_id, name: g.account_name },
          solutionInterest: { id: g.solution_interest_id, name: g.interest_name },
          stage: g.stage_id ? { id: g.stage_id, name: g.stage_name } : null,
          completeness: g.completeness,
          engagement: g.engagement,
          createdAt: g.created_at,
          members: membersOf(g.id).map((m) => ({
            personId: m.person_id,
            roleKey: m.role_key,
            status: m.status,
            source: m.source,
            lastChangeSource: m.last_change_source,
            addedAt: m.added_at,
            removedAt: m.removed_at,
          })),
          stageHistory: history
            .filter((h) => h.group_id === g.id)
            .map((h) => ({
              from: h.from_stage_id,
              to: h.to_stage_id,
              source: h.source,
              changedBy: h.changed_by,
              changedAt: h.changed_at,
            })),
        },
      })),
    );
    const res = await trx.deleteFrom("buying_groups").where("id", "in", found).executeTakeFirst();
    deleted += Number(res.numDeletedRows);
  }
  return deleted;
}
