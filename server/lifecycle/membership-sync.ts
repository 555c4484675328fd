import type { TemplateRole } from "../../shared/api/templates";
import type { Db } from "../db/create-db";
import { isPostgres } from "../db/dialect";
import { inList } from "../db/pg-arrays";
import type { Deps } from "../deps";
import { applyMembershipChangesMany, type GroupChanges, type MemberChange } from "../members/membership.service";
import { idParts } from "../scores/scores.repo";
import type { RuleCandidate } from "./rules";

export interface SyncTally {
  assigned: number;
  removed: number;
  roleChanged: number;
  skipped: Array<{ groupId: string; personId: string; action: string; heldBy: string }>;
  errors: Array<{ entityId: string | null; message: string }>;
}

export const emptyTally = (): SyncTally => ({ assigned: 0, removed: 0, roleChanged: 0, skipped: [], errors: [] });

/**
 * The changes the rules want for one group. `add` (creation jobs) assigns matching people who are not
 * active members; `full` (maintenance) also fixes the roles of rule-added members and removes people
 * the rules no longer pick, but only members whose last change came from the rules themselves
 * (system): a person added by hand or by a journey whom the rules do not pick stays without comment.
 *
 * Where the rules want a person in another role than a manual or journey decision gave them, the role
 * change is proposed in both modes so that the membership function skips it and the job reports it
 * (`skippedChanges`, `skipped` with `heldBy`): the decision wins, and the user sees that the rules
 * disagree. A creation job leaves the roles of rule-added members to maintenance.
 */
export function proposeChanges(
  mode: "add" | "full",
  candidates: readonly RuleCandidate[],
  members: ReadonlyArray<{ person_id: string; role_key: string; status: string; last_change_source: string }>,
): MemberChange[] {
  const rows = new Map(members.map((m) => [m.person_id, m]));
  const changes: MemberChange[] = [];
  for (const c of candidates) {
    const row = rows.get(c.personId);
    if (c.match && c.status === "active") {
      if (row?.status !== "active") changes.push({ personId: c.personId, action: "add", roleKey: c.match.roleKey });
      else if (row.role_key !== c.match.roleKey && (mode === "full" || row.last_change_source !== "system"))
        changes.push({ personId: c.personId, action: "role_change", roleKey: c.match.roleKey });
    } else if (mode === "full" && row?.status === "active" && row.last_change_source === "system") {
      changes.push({ personId: c.personId, action: "remove" });
    }
  }
  return changes;
}

/**
 * Applies the rules to groups (source "system") through the one membership function, all groups of the
 * batch together (applyMembershipChangesMany: a few statements per batch, not per group); tallies what
 * happened. A group whose changes fail validation is reported in `errors` and the others go on.
 */
export async function syncGroups(
  deps: Deps,
  db: Db,
  mode: "add" | "full",
  groups: ReadonlyArray<{ id: string; account_id: string }>,
  candidates: ReadonlyMap<string, RuleCandidate[]>,
  roles: readonly TemplateRole[],
  tally: SyncTally,
): Promise<void> {
  if (groups.length === 0 || roles.length === 0) return;
  const pg = isPostgres(db);
  const members: Array<{ group_id: string; person_id: string; role_key: string; status: string; last_change_source: string }> =
    [];
  for (const part of idParts(
    db,
    groups.map((g) => g.id),
  ))
    members.push(
      ...(await db
        .selectFrom("group_members")
        .select(["group_id", "person_id", "role_key", "status", "last_change_source"])
        .where(inList(pg, "group_id", part))
        .execute()),
    );
  const byGroup = new Map<string, typeof members>();
  for (const m of members) (byGroup.get(m.group_id) ?? byGroup.set(m.group_id, []).get(m.group_id)!).push(m);
  const items: GroupChanges[] = [];
  for (const g of groups) {
    const changes = proposeChanges(mode, candidates.get(g.account_id) ?? [], byGroup.get(g.id) ?? []);
    if (changes.length > 0) items.push({ groupId: g.id, changes });
  }
  const outcomes = await applyMembershipChangesMany(deps, items, { source: "system", userId: null, field: "rules" }, db);
  for (const o of outcomes) {
    if (o.error) {
      // Validation errors keep that group's changes out before anything is written, so the batch can go on.
      tally.errors.push({ entityId: o.groupId, message: o.error.message });
      continue;
    }
    for (const a of o.result.applied) {
      if (a.effect === "added" || a.effect === "readded") tally.assigned++;
      else if (a.effect === "removed") tally.removed++;
      else if (a.effect === "role_changed") tally.roleChanged++;
    }
    for (const s of o.result.skipped)
      tally.skipped.push({ groupId: o.groupId, personId: s.personId, action: s.action, heldBy: s.heldBy ?? "unknown" });
  }
}
