import type { Insertable, Updateable } from "kysely";
import type { AppliedChange, MemberAction, MemberChangeResult, SkippedChange } from "../../shared/api/members";
import { type MemberSource, sourceRank } from "../../shared/domain/sources";
import { notFound, QuorumError } from "../../shared/errors";
import { type AuditEntry, writeAudit } from "../audit/audit.repo";
import type { Db } from "../db/create-db";
import { isPostgres } from "../db/dialect";
import type { GroupMembersTable } from "../db/schema";
import type { Deps } from "../deps";
import { type EventType, writeEvents } from "../events/events.repo";
import { chunks } from "../scores/scores.repo";
import { recomputeGroups } from "../scores/scores.service";
import { rolesByTemplate } from "../templates/templates.repo";

export interface MemberChange {
  personId: string;
  action: MemberAction;
  /** Required for add and role_change. */
  roleKey?: string;
}

export interface ChangeContext {
  source: MemberSource;
  userId: string | null;
  /** Field name used in error messages, e.g. `members` or `personIds`. */
  field: string;
}

/** The event feed entry each applied effect writes (same transaction as the change). */
const EVENT: Partial<Record<AppliedChange["effect"], EventType>> = {
  added: "member.assigned",
  readded: "member.assigned",
  removed: "member.removed",
  role_changed: "member.role_changed",
};

const VERB: Record<MemberAction, string> = { add: "Adding", remove: "Removing", role_change: "Changing the role of" };

function invalid(ctx: ChangeContext, problems: Array<{ index: number; subfield?: string; message: string }>): QuorumError {
  const issues = problems.map((p) => ({
    field: [ctx.field, p.index, p.subfield].filter((x) => x !== undefined).join("."),
    message: p.message,
  }));
  const first = issues[0]!;
  return new QuorumError(
    400,
    "validation_failed",
    `Invalid request body: ${first.field} ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ""}. Nothing was changed.`,
    { issues },
  );
}

/**
 * The one place membership changes happen, whatever their source (panel, journey, job). Rules:
 * - all-or-nothing: every change is validated first; one bad change fails the request, nothing is written;
 * - precedence manual > journey > system: a change is skipped (and reported) when the last change for
 *   that person in that group came from a higher-ranked source;
 * - completeness and engagement are recomputed in the same transaction.
 * Pass `db` as an open transaction to compose with other writes, or omit it to run in a new one.
 */
export async function applyMembershipChanges(
  deps: Deps,
  groupId: string,
  changes: readonly MemberChange[],
  ctx: ChangeContext,
  db?: Db,
): Promise<MemberChangeResult> {
  if (!db) return deps.db.transaction().execute((trx) => applyMembershipChanges(deps, groupId, changes, ctx, trx));
  const now = deps.clock();
  const at = now.toISOString();
  // PostgreSQL: changes to one group take its row lock first, so concurrent changes from several
  // processes apply one after the other and each recomputes scores over the members the other committed.
  const group = await db
    .selectFrom("buying_groups")
    .select(["id", "account_id", "role_template_id", "name"])
    .where("id", "=", groupId)
    .$if(isPostgres(db), (q) => q.forUpdate())
    .executeTakeFirst();
  if (!group) throw notFound("Buying group", groupId);
  const roles = (await rolesByTemplate(db, [group.role_template_id])).get(group.role_template_id) ?? [];
  const roleKeys = new Set(roles.map((r) => r.key));
  const personIds = [...new Set(changes.map((c) => c.personId))];
  const [people, rows] = await Promise.all([
    personIds.length ? db.selectFrom("people").select(["id", "account_id"]).where("id", "in", personIds).execute() : [],
    personIds.length
      ? db.selectFrom("group_members").selectAll().where("group_id", "=", groupId).where("person_id", "in", personIds).execute()
      : [],
  ]);
  const personAccount = new Map(people.map((p) => [p.id, p.account_id]));
  const existing = new Map(rows.map((r) => [r.person_id, r]));

  const problems: Array<{ index: number; subfield?: string; message: string }> = [];
  changes.forEach((c, index) => {
    if (!personAccount.has(c.personId))
      problems.push({ index, subfield: "personId", message: `'${c.personId}' is not a known person` });
    else if (c.action === "add" && personAccount.get(c.personId) !== group.account_id) {
      problems.push({ index, subfield: "personId", message: `'${c.personId}' is not a contact of this group's account` });
    }
    if (c.action !== "remove" && (!c.roleKey || !roleKeys.has(c.roleKey))) {
      problems.push({
        index,
        subfield: "roleKey",
        message: `'${c.roleKey ?? ""}' is not a role of this group's template (roles: ${[...roleKeys].join(", ")})`,
      });
    }
    if (c.action === "role_change" && existing.get(c.personId)?.status !== "active") {
      problems.push({ index, subfield: "personId", message: `'${c.personId}' is not a member of this group` });
    }
  });
  if (problems.length > 0) throw invalid(ctx, problems);

  // New member rows are inserted together after the loop (one statement instead of one per person; on
  // PostgreSQL each is a round trip). A later change to a row still pending edits it in memory.
  const pending = new Map<string, Insertable<GroupMembersTable>>();
  const insertMember = (row: Insertable<GroupMembersTable>) => pending.set(row.person_id, row);
  const setMember = async (personId: string, values: Updateable<GroupMembersTable>) => {
    const row = pending.get(personId);
    if (row) Object.assign(row, values);
    else
      await db
        .updateTable("group_members")
        .set(values)
        .where("group_id", "=", groupId)
        .where("person_id", "=", personId)
        .execute();
  };
  const applied: AppliedChange[] = [];
  const skipped: SkippedChange[] = [];
  const audit: AuditEntry[] = [];
  for (const c of changes) {
    const row = existing.get(c.personId);
    const held = row?.last_change_source as MemberSource | undefined;
    if (held && sourceRank(ctx.source) < sourceRank(held)) {
      skipped.push({
        personId: c.personId,
        action: c.action,
        heldBy: held,
        reason: `${VERB[c.action]} this member from source '${ctx.source}' was skipped: the last change (${row?.last_change_at}) was made from '${held}', which takes precedence.`,
      });
      audit.push({
        at,
        actorUserId: ctx.userId,
        source: ctx.source,
        action: "member.change_skipped",
        entityType: "person",
        entityId: c.personId,
        groupId,
        details: { action: c.action, roleKey: c.roleKey ?? null, heldBy: held },
      });
      continue;
    }
    const owner = { last_change_source: ctx.source, last_change_at: at, last_changed_by: ctx.userId };
    let effect: AppliedChange["effect"] = "unchanged";
    let roleKey = c.roleKey ?? row?.role_key ?? "";
    if (c.action === "add") {
      if (!row) {
        insertMember({
          group_id: groupId,
          person_id: c.personId,
          role_key: roleKey,
          status: "active",
          source: ctx.source,
          added_at: at,
          removed_at: null,
          ...owner,
        });
        effect = "added";
      } else if (row.status !== "active") {
        await setMember(c.personId, {
          status: "active",
          role_key: roleKey,
          source: ctx.source,
          added_at: at,
          removed_at: null,
          ...owner,
        });
        effect = "readded";
      } else {
        effect = row.role_key === roleKey ? "unchanged" : "role_changed";
        await setMember(c.personId, { role_key: roleKey, ...owner });
      }
    } else if (c.action === "remove") {
      roleKey = row?.role_key ?? "";
      if (!row) {
        // Removing someone who was never a member records the decision, so a lower source cannot add them later.
        insertMember({
          group_id: groupId,
          person_id: c.personId,
          role_key: "",
          status: "removed",
          source: ctx.source,
          added_at: at,
          removed_at: at,
          ...owner,
        });
      } else {
        effect = row.status === "active" ? "removed" : "unchanged";
        await setMember(c.personId, { status: "removed", removed_at: row.status === "active" ? at : row.removed_at, ...owner });
      }
    } else {
      effect = row?.role_key === roleKey ? "unchanged" : "role_changed";
      await setMember(c.personId, { role_key: roleKey, ...owner });
    }
    applied.push({ personId: c.personId, action: c.action, roleKey, effect });
    // Later changes for the same person in this call see the state this one left.
    existing.set(c.personId, {
      group_id: groupId,
      person_id: c.personId,
      role_key: roleKey,
      status: c.action === "remove" ? "removed" : "active",
      source: c.action === "add" && (effect === "added" || effect === "readded") ? ctx.source : (row?.source ?? ctx.source),
      added_at: effect === "added" || effect === "readded" ? at : (row?.added_at ?? at),
      removed_at: c.action === "remove" ? (row?.status === "active" || !row ? at : row.removed_at) : null,
      ...owner,
    });
    if (effect !== "unchanged") {
      audit.push({
        at,
        actorUserId: ctx.userId,
        source: ctx.source,
        action: `member.${effect}`,
        entityType: "person",
        entityId: c.personId,
        groupId,
        details: { roleKey, previousRoleKey: row?.role_key ?? null },
      });
    }
  }
  for (const part of chunks([...pending.values()], 200)) await db.insertInto("group_members").values(part).execute();
  if (applied.some((a) => a.effect !== "unchanged")) {
    await db.updateTable("buying_groups").set({ updated_at: at }).where("id", "=", groupId).execute();
  }
  await writeAudit(db, audit);
  await writeEvents(
    db,
    applied.flatMap((a) => {
      const type = EVENT[a.effect];
      return type ? [{ at, type, groupId, personId: a.personId, source: ctx.source, data: { roleKey: a.roleKey } }] : [];
    }),
  );
  await recomputeGroups(db, deps, [groupId], now);
  const { completeness } = await db
    .selectFrom("buying_groups")
    .select("completeness")
    .where("id", "=", groupId)
    .executeTakeFirstOrThrow();
  return { applied, skipped, completeness };
}
