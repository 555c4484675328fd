import type { TemplateRole } from "../../shared/api/templates";
import { QuorumError } from "../../shared/errors";
import type { Db } from "../db/create-db";
import type { Deps } from "../deps";
import { applyMembershipChanges, type MemberChange } from "../members/membership.service";
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
 * change is proposed in both modes so that applyMembershipChanges skips it and the job reports it
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

/** Applies the rules to groups (source "system") through the one membership function; tallies what happened. */
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
  const members = await db
    .selectFrom("group_members")
    .select(["group_id", "person_id", "role_key", "status", "last_change_source"])
    .where(
      "group_id",
      "in",
      groups.map((g) => g.id),
    )
    .execute();
  const byGroup = new Map<string, typeof members>();
  for (const m of members) (byGroup.get(m.group_id) ?? byGroup.set(m.group_id, []).get(m.group_id)!).push(m);
  for (const g of groups) {
    const changes = proposeChanges(mode, candidates.get(g.account_id) ?? [], byGroup.get(g.id) ?? []);
    if (changes.length === 0) continue;
    try {
      const result = await applyMembershipChanges(deps, g.id, changes, { source: "system", userId: null, field: "rules" }, db);
      for (const a of result.applied) {
        if (a.effect === "added" || a.effect === "readded") tally.assigned++;
        else if (a.effect === "removed") tally.removed++;
        else if (a.effect === "role_changed") tally.roleChanged++;
      }
      for (const s of result.skipped)
        tally.skipped.push({ groupId: g.id, personId: s.personId, action: s.action, heldBy: s.heldBy ?? "unknown" });
    } catch (err) {
      // Validation errors are raised before anything is written, so the batch can go on.
      if (!(err instanceof QuorumError)) throw err;
      tally.errors.push({ entityId: g.id, message: err.message });
    }
  }
}
