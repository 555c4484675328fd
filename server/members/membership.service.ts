import { CompiledQuery } from "kysely";
import type { AppliedChange, MemberAction, MemberChangeResult, SkippedChange } from "../../shared/api/members";
import { type MemberSource, sourceRank } from "../../shared/domain/sources";
import { notFound, QuorumError } from "../../shared/errors";
import type { AuditEntry } from "../audit/audit.repo";
import type { Db } from "../db/create-db";
import { isPostgres } from "../db/dialect";
import { newId } from "../db/ids";
import { insertMany } from "../db/insert-many";
import { toJson } from "../db/json";
import { runPerRow } from "../db/per-row";
import { anyOf, inList } from "../db/pg-arrays";
import type { MemberRow } from "../db/schema";
import type { Deps } from "../deps";
import type { EventType, NewEvent } from "../events/events.repo";
import { CHUNK, chunks, idParts } from "../scores/scores.repo";
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

/** One group's changes, for applyMembershipChangesMany. */
export interface GroupChanges {
  groupId: string;
  changes: readonly MemberChange[];
}

/** Per group: the result, or the error that kept all of that group's changes out (nothing of it was written). */
export type GroupChangeOutcome =
  | { groupId: string; result: MemberChangeResult; error?: undefined }
  | { groupId: string; error: QuorumError; result?: undefined };

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
  const [outcome] = await applyMembershipChangesMany(deps, [{ groupId, changes }], ctx, db);
  if (outcome!.error) throw outcome!.error;
  return outcome!.result!;
}

const MEMBER_COLUMNS = [
  "group_id",
  "person_id",
  "role_key",
  "status",
  "source",
  "last_change_source",
  "last_change_at",
  "last_changed_by",
  "added_at",
  "removed_at",
] as const;
const AUDIT_COLUMNS = [
  "id",
  "at",
  "actor_user_id",
  "source",
  "action",
  "entity_type",
  "entity_id",
  "group_id",
  "details",
] as const;
const EVENT_COLUMNS = ["id", "at", "type", "group_id", "person_id", "source", "data"] as const;

/** Member rows that exist get their whole new state: one statement on PostgreSQL, one prepared single-row UPDATE per row on SQLite. */
const SET_COLUMNS = MEMBER_COLUMNS.filter((c) => c !== "group_id" && c !== "person_id");
const PG_UPDATE_MEMBERS = `update group_members as m set ${SET_COLUMNS.map((c) => `${c} = v.${c}`).join(", ")}
  from unnest(${MEMBER_COLUMNS.map((_, i) => `$${i + 1}::text[]`).join(", ")}) as v(${MEMBER_COLUMNS.join(", ")})
  where m.group_id = v.group_id and m.person_id = v.person_id`;
const SQLITE_UPDATE_MEMBER = `update group_members set ${SET_COLUMNS.map((c) => `${c} = ?`).join(", ")} where group_id = ? and person_id = ?`;

/**
 * applyMembershipChanges for many groups at once, with the same rules per group, in a few statements
 * whatever the number of groups (a job batch): lock the groups (in id order), read their template
 * roles, the people and the member rows concerned, then write the member rows (inserts and updates),
 * `updated_at`, audit rows and events, recompute the groups' scores and read completeness back. A group
 * whose changes fail validation (or that no longer exists) gets its error in its outcome and nothing of
 * it is written; the other groups go on. One entry per group; `db` must be an open transaction.
 */
export async function applyMembershipChangesMany(
  deps: Deps,
  items: readonly GroupChanges[],
  ctx: ChangeContext,
  db: Db,
): Promise<GroupChangeOutcome[]> {
  if (items.length === 0) return [];
  const now = deps.clock();
  const at = now.toISOString();
  const pg = isPostgres(db);
  const groupIds = [...new Set(items.map((i) => i.groupId))].sort();
  if (groupIds.length !== items.length) throw new Error("applyMembershipChangesMany: one entry per group");
  // PostgreSQL: changes to a group take its row lock first (in id order, so two batches cannot deadlock),
  // so concurrent changes from several processes apply one after the other and each recomputes scores
  // over the members the other committed.
  const groups = new Map<string, { id: string; account_id: string; role_template_id: string }>();
  for (const part of idParts(db, groupIds)) {
    const rows = await db
      .selectFrom("buying_groups")
      .select(["id", "account_id", "role_template_id"])
      .where(inList(pg, "id", part))
      .orderBy("id")
      .$if(pg, (q) => q.forUpdate())
      .execute();
    for (const g of rows) groups.set(g.id, g);
  }
  const roleKeysOf = new Map(
    [...(await rolesByTemplate(db, [...new Set([...groups.values()].map((g) => g.role_template_id))])).entries()].map(
      ([templateId, roles]) => [templateId, new Set(roles.map((r) => r.key))],
    ),
  );
  const personIds = [...new Set(items.flatMap((i) => i.changes.map((c) => c.personId)))];
  const personAccount = new Map<string, string | null>();
  for (const part of idParts(db, personIds)) {
    for (const p of await db
      .selectFrom("people")
      .select(["id", "account_id"])
      .where(inList(pg, "id", part))
      .execute())
      personAccount.set(p.id, p.account_id);
  }
  const rowsByGroup = new Map<string, Map<string, MemberRow>>();
  if (personIds.length > 0 && groups.size > 0) {
    const ids = [...groups.keys()];
    const parts = pg
      ? [db.selectFrom("group_members").selectAll().where(anyOf("group_id", ids)).where(anyOf("person_id", personIds))]
      : chunks(ids).map((part) =>
          db
            .selectFrom("group_members")
            .selectAll()
            .where("group_id", "in", part)
            // Few people (a request): only their rows; many (a job batch): every row of these groups.
            .$if(personIds.length <= CHUNK, (q) => q.where("person_id", "in", personIds)),
        );
    for (const q of parts)
      for (const r of await q.execute()) {
        const m = rowsByGroup.get(r.group_id) ?? rowsByGroup.set(r.group_id, new Map()).get(r.group_id)!;
        m.set(r.person_id, r);
      }
  }

  const outcomes: GroupChangeOutcome[] = [];
  const inserts: MemberRow[] = [];
  const updates: MemberRow[] = [];
  const audit: AuditEntry[] = [];
  const events: NewEvent[] = [];
  const touched: string[] = [];
  const results = new Map<string, { applied: AppliedChange[]; skipped: SkippedChange[] }>();
  /** Whether a row's last change came from a source that outranks this call's (its change is then skipped). */
  const heldAbove = (row: MemberRow | undefined) =>
    !!row?.last_change_source && sourceRank(ctx.source) < sourceRank(row.last_change_source as MemberSource);
  for (const { groupId, changes } of items) {
    const group = groups.get(groupId);
    if (!group) {
      outcomes.push({ groupId, error: notFound("Buying group", groupId) });
      continue;
    }
    const roleKeys = roleKeysOf.get(group.role_template_id) ?? new Set<string>();
    const inDb = rowsByGroup.get(groupId) ?? new Map<string, MemberRow>();
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
      // A role change of someone who is not a member is a mistake, unless a source that outranks this one
      // removed them: then it is that decision's to keep (skipped below, with heldBy). A job plans its
      // changes before it locks the groups, so a removal by hand can land in between.
      const row = inDb.get(c.personId);
      if (c.action === "role_change" && row?.status !== "active" && !heldAbove(row)) {
        problems.push({ index, subfield: "personId", message: `'${c.personId}' is not a member of this group` });
      }
    });
    if (problems.length > 0) {
      outcomes.push({ groupId, error: invalid(ctx, problems) });
      continue;
    }

    // The state of each person's row as the changes go (later changes for the same person in this call
    // see the state earlier ones left); written once at the end, inserted or updated.
    const existing = new Map(inDb);
    const written = new Set<string>();
    const applied: AppliedChange[] = [];
    const skipped: SkippedChange[] = [];
    for (const c of changes) {
      const row = existing.get(c.personId);
      const held = row?.last_change_source as MemberSource | undefined;
      if (heldAbove(row)) {
        skipped.push({
          personId: c.personId,
          action: c.action,
          heldBy: held ?? null,
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
      let next: MemberRow;
      if (c.action === "add") {
        if (!row) {
          next = {
            group_id: groupId,
            person_id: c.personId,
            role_key: roleKey,
            status: "active",
            source: ctx.source,
            added_at: at,
            removed_at: null,
            ...owner,
          };
          effect = "added";
        } else if (row.status !== "active") {
          next = { ...row, status: "active", role_key: roleKey, source: ctx.source, added_at: at, removed_at: null, ...owner };
          effect = "readded";
        } else {
          effect = row.role_key === roleKey ? "unchanged" : "role_changed";
          next = { ...row, role_key: roleKey, ...owner };
        }
      } else if (c.action === "remove") {
        roleKey = row?.role_key ?? "";
        if (!row) {
          // Removing someone who was never a member records the decision, so a lower source cannot add them later.
          next = {
            group_id: groupId,
            person_id: c.personId,
            role_key: "",
            status: "removed",
            source: ctx.source,
            added_at: at,
            removed_at: at,
            ...owner,
          };
        } else {
          effect = row.status === "active" ? "removed" : "unchanged";
          next = { ...row, status: "removed", removed_at: row.status === "active" ? at : row.removed_at, ...owner };
        }
      } else {
        effect = row?.role_key === roleKey ? "unchanged" : "role_changed";
        next = { ...row!, role_key: roleKey, ...owner };
      }
      existing.set(c.personId, next);
      written.add(c.personId);
      applied.push({ personId: c.personId, action: c.action, roleKey, effect });
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
        const type = EVENT[effect];
        if (type) events.push({ at, type, groupId, personId: c.personId, source: ctx.source, data: { roleKey } });
      }
    }
    for (const personId of written) (inDb.has(personId) ? updates : inserts).push(existing.get(personId)!);
    if (applied.some((a) => a.effect !== "unchanged")) touched.push(groupId);
    results.set(groupId, { applied, skipped });
  }

  // Rows with their keys in column order (the SQLite path compiles the first row's object as is).
  const inColumnOrder = (r: MemberRow) => Object.fromEntries(MEMBER_COLUMNS.map((c) => [c, r[c]])) as MemberRow;
  await insertMany(db, "members:apply", "group_members", MEMBER_COLUMNS, inserts.map(inColumnOrder), (q) => q);
  const updateParams = (r: MemberRow) => MEMBER_COLUMNS.map((c) => r[c]);
  if (pg) {
    if (updates.length > 0)
      await db.executeQuery(
        CompiledQuery.raw(
          PG_UPDATE_MEMBERS,
          MEMBER_COLUMNS.map((c) => updates.map((r) => r[c])),
        ),
      );
  } else {
    await runPerRow(
      db,
      SQLITE_UPDATE_MEMBER,
      updates.map((r) => [...updateParams(r).slice(2), r.group_id, r.person_id]),
    );
  }
  for (const part of idParts(db, touched))
    await db
      .updateTable("buying_groups")
      .set({ updated_at: at })
      .where(inList(pg, "id", part))
      .execute();
  await insertMany(
    db,
    "members:audit",
    "audit_log",
    AUDIT_COLUMNS,
    audit.map((e) => ({
      id: newId("aud"),
      at: e.at,
      actor_user_id: e.actorUserId,
      source: e.source,
      action: e.action,
      entity_type: e.entityType,
      entity_id: e.entityId,
      group_id: e.groupId,
      details: toJson(e.details),
    })),
    (q) => q,
  );
  // In the order of the changes (the feed numbers events in insert order).
  await insertMany(
    db,
    "members:events",
    "events",
    EVENT_COLUMNS,
    events.map((e) => ({
      id: newId("evt"),
      at: e.at,
      type: e.type,
      group_id: e.groupId,
      person_id: e.personId,
      source: e.source,
      data: toJson(e.data),
    })) as never,
    (q) => q,
  );
  const scored = [...results.keys()];
  await recomputeGroups(db, deps, scored, now);
  const completeness = new Map<string, number>();
  for (const part of idParts(db, scored))
    for (const g of await db
      .selectFrom("buying_groups")
      .select(["id", "completeness"])
      .where(inList(pg, "id", part))
      .execute())
      completeness.set(g.id, g.completeness);
  const out = new Map(outcomes.map((o) => [o.groupId, o]));
  return items.map(({ groupId }) => {
    const r = results.get(groupId);
    return r ? { groupId, result: { ...r, completeness: completeness.get(groupId) ?? 0 } } : out.get(groupId)!;
  });
}
