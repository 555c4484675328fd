import type { AccountAudienceT, LifecycleJob } from "../../shared/api/jobs";
import { notFound, QuorumError } from "../../shared/errors";
import { writeAudit } from "../audit/audit.repo";
import { newId } from "../db/ids";
import { toJson } from "../db/json";
import type { Deps } from "../deps";
import { getSolutionInterest } from "../solution-interests/solution-interests.service";
import { audienceQuery, toJob } from "./jobs.repo";

/** Queues a creation job (solution interest × audience) or a maintenance job; the runner picks it up. */
export async function createJob(
  deps: Deps,
  solutionInterestId: string,
  input: { kind: "creation"; audience: AccountAudienceT } | { kind: "maintenance" },
  ctx: { userId: string | null; trigger: "manual" | "schedule" },
): Promise<LifecycleJob> {
  await getSolutionInterest(deps, solutionInterestId);
  const at = deps.clock().toISOString();
  const id = newId("job");
  const audience = input.kind === "creation" ? input.audience : {};
  await deps.db.transaction().execute(async (trx) => {
    const total =
      input.kind === "creation"
        ? Number(
            (
              await audienceQuery(trx, audience)
                .select((eb) => eb.fn.countAll<number>().as("n"))
                .executeTakeFirstOrThrow()
            ).n,
          )
        : Number(
            (
              await trx
                .selectFrom("buying_groups")
                .select((eb) => eb.fn.countAll<number>().as("n"))
                .where("solution_interest_id", "=", solutionInterestId)
                .executeTakeFirstOrThrow()
            ).n,
          );
    await trx
      .insertInto("lifecycle_jobs")
      .values({
        id,
        kind: input.kind,
        solution_interest_id: solutionInterestId,
        audience: toJson(audience),
        status: "queued",
        cursor: null,
        total,
        done: 0,
        groups_created: 0,
        members_assigned: 0,
        members_removed: 0,
        roles_changed: 0,
        skipped_changes: 0,
        error_count: 0,
        errors: "[]",
        skipped: "[]",
        lease_owner: null,
        lease_until: null,
        started_at: null,
        finished_at: null,
        trigger: ctx.trigger,
        created_by: ctx.userId,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await writeAudit(trx, [
      {
        at,
        actorUserId: ctx.userId,
        source: ctx.userId ? "manual" : "system",
        action: `job.${input.kind}.queued`,
        entityType: "lifecycle_job",
        entityId: id,
        groupId: null,
        details: { solutionInterestId, audience, total },
      },
    ]);
  });
  return getJob(deps, id);
}

export async function getJob(deps: Deps, id: string): Promise<LifecycleJob> {
  const row = await deps.db.selectFrom("lifecycle_jobs").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw notFound("Job", id);
  return toJob(row);
}

export async function listJobs(deps: Deps, solutionInterestId: string): Promise<LifecycleJob[]> {
  await getSolutionInterest(deps, solutionInterestId);
  const rows = await deps.db
    .selectFrom("lifecycle_jobs")
    .selectAll()
    .where("solution_interest_id", "=", solutionInterestId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(200)
    .execute();
  return rows.map(toJob);
}

/** Queued jobs are cancelled at once; a running job stops after its current batch (status `cancelling`). */
export async function cancelJob(deps: Deps, id: string): Promise<LifecycleJob> {
  const job = await getJob(deps, id);
  const at = deps.clock().toISOString();
  if (job.status === "queued") {
    await deps.db
      .updateTable("lifecycle_jobs")
      .set({ status: "cancelled", finished_at: at, updated_at: at })
      .where("id", "=", id)
      .where("status", "=", "queued")
      .execute();
  } else if (job.status === "running") {
    await deps.db
      .updateTable("lifecycle_jobs")
      .set({ status: "cancelling", updated_at: at })
      .where("id", "=", id)
      .where("status", "=", "running")
      .execute();
  } else if (job.status !== "cancelling") {
    throw new QuorumError(
      409,
      "conflict",
      `Job '${id}' is already ${job.status}; only a queued or running job can be cancelled.`,
      {
        status: job.status,
      },
    );
  }
  return getJob(deps, id);
}

/** Deletes a finished job's record (its groups and members stay); a queued or running job must be cancelled first. */
export async function deleteJob(deps: Deps, id: string): Promise<void> {
  const job = await getJob(deps, id);
  if (job.status === "queued" || job.status === "running" || job.status === "cancelling") {
    throw new QuorumError(
      409,
      "conflict",
      `Job '${id}' is ${job.status}; cancel it and wait for it to stop before deleting it.`,
      {
        status: job.status,
      },
    );
  }
  await deps.db.deleteFrom("lifecycle_jobs").where("id", "=", id).execute();
}
