import type { z } from "zod";
import type { SolutionInterest, SolutionInterestBody } from "../../shared/api/solution-interests";
import { QuorumError } from "../../shared/errors";
import { writeAudit } from "../audit/audit.repo";
import type { Deps } from "../deps";
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

/** Deletes a solution interest without groups; refused (409) while any group uses it. */
export async function deleteSolutionInterest(deps: Deps, id: string, userId: string): Promise<void> {
  const si = await getSolutionInterest(deps, id);
  if (si.groupCount > 0) {
    const groups = await deps.db
      .selectFrom("buying_groups")
      .select(["id", "name"])
      .where("solution_interest_id", "=", id)
      .orderBy("name")
      .limit(20)
      .execute();
    throw new QuorumError(
      409,
      "conflict",
      `'${si.name}' still has ${si.groupCount} buying group${si.groupCount === 1 ? "" : "s"}; delete or move them before deleting the solution interest.`,
      { groupCount: si.groupCount, groups },
    );
  }
  await deps.db.transaction().execute(async (trx) => {
    await trx.deleteFrom("solution_interests").where("id", "=", id).execute();
    await writeAudit(trx, [
      {
        at: deps.clock().toISOString(),
        actorUserId: userId,
        source: "manual",
        action: "solution_interest.deleted",
        entityType: "solution_interest",
        entityId: id,
        groupId: null,
        details: { name: si.name },
      },
    ]);
  });
}
