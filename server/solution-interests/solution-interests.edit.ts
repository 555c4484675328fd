import type { z } from "zod";
import type { SolutionInterest, SolutionInterestBody } from "../../shared/api/solution-interests";
import { can, type UserRole } from "../../shared/domain/roles";
import { QuorumError } from "../../shared/errors";
import { writeAudit } from "../audit/audit.repo";
import { isPostgres } from "../db/dialect";
import type { Deps } from "../deps";
import { deleteGroups } from "../groups/group-delete";
import { recomputeGroups } from "../scores/scores.service";
import { assertSolutionInterestRefs, getSolutionInterest, interestColumns } from "./solution-interests.service";

type Input = z.infer<typeof SolutionInterestBody>;

/**
 * Edits a solution interest. Its groups are renamed "<new name> for <account>" and moved to the new
 * live template (scores recomputed) in the same transaction; a new stage model applies to new groups.
 */
export async function updateSolutionInterest(deps: Deps, id: string, input: Input, userId: string): Promise<SolutionInterest> {
  const before = await getSolutionInterest(deps, id);
  const clash = await assertSolutionInterestRefs(deps, input);
  if (clash && clash !== id) throw new QuorumError(409, "conflict", `A solution interest named '${input.name}' already exists.`);
  const now = deps.clock();
  const at = now.toISOString();
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable("solution_interests")
      .set({
        ...interestColumns(input),
        updated_at: at,
      })
      .where("id", "=", id)
      .execute();
    const groups = await trx
      .selectFrom("buying_groups as g")
      .innerJoin("accounts as a", "a.id", "g.account_id")
      .select(["g.id", "a.name as account_name", "g.role_template_id"])
      .where("g.solution_interest_id", "=", id)
      .execute();
    for (const g of groups) {
      await trx
        .updateTable("buying_groups")
        .set({ name: `${input.name} for ${g.account_name}`, role_template_id: input.roleTemplateId, updated_at: at })
        .where("id", "=", g.id)
        .execute();
    }
    if (before.roleTemplateId !== input.roleTemplateId) {
      await recomputeGroups(
        trx,
        deps,
        groups.map((g) => g.id),
        now,
      );
    }
    await writeAudit(trx, [
      {
        at,
        actorUserId: userId,
        source: "manual",
        action: "solution_interest.updated",
        entityType: "solution_interest",
        entityId: id,
        groupId: null,
        details: { name: input.name, roleTemplateId: input.roleTemplateId, previousRoleTemplateId: before.roleTemplateId },
      },
    ]);
  });
  return getSolutionInterest(deps, id);
}

/**
 * Deletes a solution interest. With groups, only on explicit confirmation: `confirmGroups` must equal the
 * number of groups it has now (so a creation job adding groups meanwhile cannot make the caller delete
 * more than they saw), and the caller must be allowed to delete groups (admins). The groups go first
 * (deleteGroups: events and audit snapshots kept), then the interest, all in one transaction. Refused
 * (409) while a creation or maintenance job for it is queued or running.
 */
export async function deleteSolutionInterest(
  deps: Deps,
  id: string,
  actor: { id: string; role: UserRole },
  confirmGroups?: number,
): Promise<{ groupsDeleted: number }> {
  const si = await getSolutionInterest(deps, id);
  const at = deps.clock().toISOString();
  const groupsDeleted = await deps.db.transaction().execute(async (trx) => {
    // PostgreSQL: lock the interest, so a job or a group created for it meanwhile waits for this decision.
    await trx
      .selectFrom("solution_interests")
      .select("id")
      .where("id", "=", id)
      .$if(isPostgres(trx), (q) => q.forUpdate())
      .execute();
    const jobs = await trx
      .selectFrom("lifecycle_jobs")
      .select(["id", "kind", "status"])
      .where("solution_interest_id", "=", id)
      .where("status", "in", ["queued", "running", "cancelling"])
      .execute();
    if (jobs.length > 0)
      throw new QuorumError(
        409,
        "conflict",
        `'${si.name}' has ${jobs.length} job${jobs.length === 1 ? "" : "s"} queued or running; cancel ${jobs.length === 1 ? "it" : "them"} (or wait until done) before deleting the solution interest.`,
        { reason: "jobs_running", jobs },
      );
    const groups = await trx
      .selectFrom("buying_groups")
      .select(["id", "name"])
      .where("solution_interest_id", "=", id)
      .orderBy("name")
      .orderBy("id")
      .execute();
    if (groups.length > 0) {
      const n = groups.length;
      const some = groups.slice(0, 20);
      if (confirmGroups === undefined)
        throw new QuorumError(
          409,
          "conflict",
          `'${si.name}' still has ${n} buying group${n === 1 ? "" : "s"}. To delete ${n === 1 ? "it" : "them"} with the solution interest, repeat with ?confirmGroups=${n} (admins only); their history stays in the audit log.`,
          { reason: "has_groups", groupCount: n, groups: some },
        );
      if (confirmGroups !== n)
        throw new QuorumError(
          409,
          "conflict",
          `'${si.name}' has ${n} buying group${n === 1 ? "" : "s"} now, not ${confirmGroups}. Check the list and confirm again with ?confirmGroups=${n}.`,
          { reason: "group_count_changed", groupCount: n, confirmed: confirmGroups, groups: some },
        );
      if (!can(actor.role, "groups:delete"))
        throw new QuorumError(
          403,
          "forbidden",
          `Your role '${actor.role}' may not delete buying groups (needs 'groups:delete'); ask an admin to delete '${si.name}' with its ${n} group${n === 1 ? "" : "s"}.`,
          { role: actor.role, permission: "groups:delete" },
        );
    }
    const deleted = await deleteGroups(
      trx,
      groups.map((g) => g.id),
      { userId: actor.id, at, reason: "solution_interest_deleted" },
    );
    await trx.deleteFrom("solution_interests").where("id", "=", id).execute();
    await writeAudit(trx, [
      {
        at,
        actorUserId: actor.id,
        source: "manual",
        action: "solution_interest.deleted",
        entityType: "solution_interest",
        entityId: id,
        groupId: null,
        details: { name: si.name, groupsDeleted: deleted },
      },
    ]);
    return deleted;
  });
  return { groupsDeleted };
}
