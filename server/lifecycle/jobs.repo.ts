import type { ExpressionBuilder } from "kysely";
import type { AccountAudienceT, LifecycleJob } from "../../shared/api/jobs";
import type { Db } from "../db/create-db";
import { isPostgres } from "../db/dialect";
import { parseJson } from "../db/json";
import type { Database, LifecycleJobsTable } from "../db/schema";

export type JobRow = LifecycleJobsTable;

export function toJob(r: JobRow): LifecycleJob {
  return {
    id: r.id,
    kind: r.kind as LifecycleJob["kind"],
    solutionInterestId: r.solution_interest_id,
    audience: parseJson(r.audience, {}),
    status: r.status as LifecycleJob["status"],
    trigger: r.trigger as LifecycleJob["trigger"],
    progress: {
      done: r.done,
      total: r.total,
      groupsCreated: r.groups_created,
      membersAssigned: r.members_assigned,
      membersRemoved: r.members_removed,
      rolesChanged: r.roles_changed,
      skippedChanges: r.skipped_changes,
      errors: r.error_count,
    },
    errors: parseJson(r.errors, []),
    skipped: parseJson(r.skipped, []),
    createdBy: r.created_by,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

/** Accounts of an audience, ordered by id, after a cursor. Portable: IN lists and comparisons only. */
export function audienceQuery(db: Db, a: AccountAudienceT) {
  let q = db.selectFrom("accounts");
  const lowerIn = (col: "industry" | "market_segment" | "country", values: string[]) =>
    q.where((eb) =>
      eb(
        eb.fn("lower", [col]),
        "in",
        values.map((v) => v.toLowerCase()),
      ),
    );
  if (a.industries?.length) q = lowerIn("industry", a.industries);
  if (a.segments?.length) q = lowerIn("market_segment", a.segments);
  if (a.countries?.length) q = lowerIn("country", a.countries);
  if (a.revenueMin !== undefined) q = q.where("annual_revenue", ">=", a.revenueMin);
  if (a.revenueMax !== undefined) q = q.where("annual_revenue", "<=", a.revenueMax);
  if (a.parentIds?.length) q = q.where("parent_id", "in", a.parentIds);
  if (a.accountIds?.length) q = q.where("id", "in", a.accountIds);
  return q;
}

const CLAIMABLE = (now: string) => (eb: ExpressionBuilder<Database, "lifecycle_jobs">) =>
  eb.or([eb("status", "=", "queued"), eb.and([eb("status", "in", ["running", "cancelling"]), eb("lease_until", "<", now)])]);

/**
 * Claims the oldest runnable job (queued, or running with an expired lease: its process died) with
 * one `UPDATE … WHERE id = (SELECT …) AND <still claimable> RETURNING *`: two runners can race for the
 * same row, but only one update matches. On PostgreSQL the inner SELECT is `FOR UPDATE SKIP LOCKED`,
 * so runners of several server processes each take a different job at once instead of queueing on
 * the same row, and a job whose batch transaction is running (it holds the row lock, see
 * job-runner.ts) is never taken over mid-batch even when its lease has just lapsed. SQLite has one
 * writer at a time: the portable statement is enough there.
 */
export async function claimJob(db: Db, owner: string, now: Date, leaseMs: number): Promise<JobRow | null> {
  const at = now.toISOString();
  const row = await db
    .updateTable("lifecycle_jobs")
    .set((eb) => ({
      status: eb.case().when("status", "=", "cancelling").then("cancelling").else("running").end(),
      lease_owner: owner,
      lease_until: new Date(now.getTime() + leaseMs).toISOString(),
      started_at: eb.fn.coalesce("started_at", eb.val(at)),
      updated_at: at,
    }))
    .where(
      "id",
      "=",
      db
        .selectFrom("lifecycle_jobs")
        .select("id")
        .where(CLAIMABLE(at))
        .orderBy("created_at")
        .orderBy("id")
        .limit(1)
        .$if(isPostgres(db), (q) => q.forUpdate().skipLocked()),
    )
    .where(CLAIMABLE(at))
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}
