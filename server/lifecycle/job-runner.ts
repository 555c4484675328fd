import { randomBytes } from "node:crypto";
import type { AccountAudienceT } from "../../shared/api/jobs";
import { writeAudit } from "../audit/audit.repo";
import type { Db } from "../db/create-db";
import { isPostgres } from "../db/dialect";
import { parseJson, toJson } from "../db/json";
import type { Deps } from "../deps";
import { insertGroups } from "../groups/insert-groups";
import { deriveIntentFromActivities } from "../intent/intent.service";
import { applyAutomaticStages } from "../stages/group-stage.service";
import { rolesByTemplate } from "../templates/templates.repo";
import { audienceQuery, claimJob, type JobRow } from "./jobs.repo";
import { createJob } from "./jobs.service";
import { emptyTally, type SyncTally, syncGroups } from "./membership-sync";
import { evaluateAccounts } from "./rules";

export interface RunnerOptions {
  /** Accounts (creation) or groups (maintenance) per transaction. */
  batchSize?: number;
  /** How long a claim holds without progress before another runner may take the job over. */
  leaseMs?: number;
  owner?: string;
}

class LostLease extends Error {}

const KEEP = 100;

type BatchOutcome = "more" | "finished";

/**
 * One batch in one transaction: the work, the cursor and the counters commit together, so a process
 * killed at any point resumes from the last committed cursor without duplicates.
 */
async function runBatch(deps: Deps, jobId: string, owner: string, opts: Required<RunnerOptions>): Promise<BatchOutcome> {
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.clock();
    const at = now.toISOString();
    // PostgreSQL: hold the job's row lock for the whole batch. A runner in another process whose claim
    // sees the lease lapse skips the locked row instead of running the same batch beside this one.
    const job = await trx
      .selectFrom("lifecycle_jobs")
      .selectAll()
      .where("id", "=", jobId)
      .$if(isPostgres(trx), (q) => q.forUpdate())
      .executeTakeFirst();
    if (!job || job.lease_owner !== owner) throw new LostLease();
    const finish = async (status: "done" | "cancelled" | "failed", error?: string) => {
      const errors = parseJson<unknown[]>(job.errors, []);
      if (error) errors.push({ at, entityId: null, message: error });
      await trx
        .updateTable("lifecycle_jobs")
        .set({
          status,
          finished_at: at,
          updated_at: at,
          lease_owner: null,
          lease_until: null,
          errors: toJson(errors.slice(0, KEEP)),
          error_count: job.error_count + (error ? 1 : 0),
        })
        .where("id", "=", jobId)
        .execute();
      await writeAudit(trx, [
        {
          at,
          actorUserId: null,
          source: "system",
          action: `job.${job.kind}.${status}`,
          entityType: "lifecycle_job",
          entityId: jobId,
          groupId: null,
          details: { done: job.done, total: job.total, groupsCreated: job.groups_created, membersAssigned: job.members_assigned },
        },
      ]);
      return "finished" as const;
    };
    if (job.status === "cancelling") return finish("cancelled");
    const si = await trx
      .selectFrom("solution_interests")
      .selectAll()
      .where("id", "=", job.solution_interest_id)
      .executeTakeFirst();
    if (!si) return finish("failed", "The solution interest no longer exists.");
    const roles = (await rolesByTemplate(trx, [si.role_template_id])).get(si.role_template_id) ?? [];
    const tally = emptyTally();
    let created = 0;
    let processed: string[];
    if (job.kind === "creation") {
      const accounts = await audienceQuery(trx, parseJson<AccountAudienceT>(job.audience, {}))
        .select(["id", "name"])
        .$if(job.cursor !== null, (q) => q.where("id", ">", job.cursor!))
        .orderBy("id")
        .limit(opts.batchSize)
        .execute();
      if (accounts.length === 0) return finish("done");
      processed = accounts.map((a) => a.id);
      created = await createMissingGroups(trx, si, accounts, at);
      const groups = await trx
        .selectFrom("buying_groups")
        .select(["id", "account_id"])
        .where("solution_interest_id", "=", si.id)
        .where("account_id", "in", processed)
        .execute();
      const candidates = await evaluateAccounts(deps, trx, processed, roles);
      await syncGroups(deps, trx, "add", groups, candidates, roles, tally);
    } else {
      const groups = await trx
        .selectFrom("buying_groups")
        .select(["id", "account_id"])
        .where("solution_interest_id", "=", si.id)
        .$if(job.cursor !== null, (q) => q.where("id", ">", job.cursor!))
        .orderBy("id")
        .limit(opts.batchSize)
        .execute();
      if (groups.length === 0) return finish("done");
      processed = groups.map((g) => g.id);
      const candidates = await evaluateAccounts(deps, trx, [...new Set(groups.map((g) => g.account_id))], roles);
      await syncGroups(deps, trx, "full", groups, candidates, roles, tally);
      // Automatic stage rules belong to the interest's stage model: without a model or rules there is nothing to
      // move (saves a read per group).
      const stageRules =
        si.stage_model_id !== null &&
        (await trx.selectFrom("stage_rules").select("id").where("model_id", "=", si.stage_model_id).limit(1).executeTakeFirst());
      if (stageRules) await applyAutomaticStages(deps, trx, processed);
    }
    await saveProgress(trx, job, owner, processed, created, tally, now, opts.leaseMs);
    return "more";
  });
}

async function createMissingGroups(
  trx: Db,
  si: { id: string; name: string; role_template_id: string; stage_model_id: string | null },
  accounts: ReadonlyArray<{ id: string; name: string }>,
  at: string,
): Promise<number> {
  const existing = new Set(
    (
      await trx
        .selectFrom("buying_groups")
        .select("account_id")
        .where("solution_interest_id", "=", si.id)
        .where(
          "account_id",
          "in",
          accounts.map((a) => a.id),
        )
        .execute()
    ).map((g) => g.account_id),
  );
  const missing = accounts.filter((a) => !existing.has(a.id));
  if (missing.length === 0) return 0;
  return (await insertGroups(trx, si, missing, { source: "system", userId: null, at })).length;
}

async function saveProgress(
  trx: Db,
  job: JobRow,
  owner: string,
  processed: string[],
  created: number,
  tally: SyncTally,
  now: Date,
  leaseMs: number,
) {
  const at = now.toISOString();
  const skipped = [...parseJson<unknown[]>(job.skipped, []), ...tally.skipped].slice(0, KEEP);
  const errors = [...parseJson<unknown[]>(job.errors, []), ...tally.errors.map((e) => ({ at, ...e }))].slice(0, KEEP);
  const res = await trx
    .updateTable("lifecycle_jobs")
    .set((eb) => ({
      cursor: processed[processed.length - 1]!,
      done: eb("done", "+", processed.length),
      groups_created: eb("groups_created", "+", created),
      members_assigned: eb("members_assigned", "+", tally.assigned),
      members_removed: eb("members_removed", "+", tally.removed),
      roles_changed: eb("roles_changed", "+", tally.roleChanged),
      skipped_changes: eb("skipped_changes", "+", tally.skipped.length),
      error_count: eb("error_count", "+", tally.errors.length),
      skipped: toJson(skipped),
      errors: toJson(errors),
      lease_until: new Date(now.getTime() + leaseMs).toISOString(),
      updated_at: at,
    }))
    .where("id", "=", job.id)
    .where("lease_owner", "=", owner)
    .executeTakeFirst();
  // Another runner took the job over (our lease expired): roll this batch back.
  if (Number(res.numUpdatedRows) !== 1) throw new LostLease();
}

const defaults = (deps: Deps, o: RunnerOptions): Required<RunnerOptions> => ({
  batchSize: o.batchSize ?? deps.config.lifecycle.jobBatchSize,
  leaseMs: o.leaseMs ?? deps.config.lifecycle.jobLeaseSeconds * 1000,
  owner: o.owner ?? `runner_${randomBytes(6).toString("hex")}`,
});

/** Claims one job and works on it until it finishes or `shouldStop()`; false when nothing was runnable. */
async function workOnce(deps: Deps, opts: Required<RunnerOptions>, shouldStop: () => boolean): Promise<boolean> {
  const job = await claimJob(deps.db, opts.owner, deps.clock(), opts.leaseMs);
  if (!job) return false;
  try {
    // Fresh intent from activity metadata before the rules look at it (outside the batch transactions).
    if (job.kind === "maintenance" && job.cursor === null) await deriveIntentFromActivities(deps);
    while (!shouldStop()) {
      if ((await runBatch(deps, job.id, opts.owner, opts)) === "finished") return true;
      // Let other work on this connection in (a recompute, a sync, the outbox): SQLite's one connection per
      // thread is handed out by a lock that is not first-come-first-served, and a loop of batches would keep it.
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Stopping: let the lease lapse now so the next runner resumes at once.
    await deps.db
      .updateTable("lifecycle_jobs")
      .set({ lease_until: new Date(deps.clock().getTime() - 1).toISOString() })
      .where("id", "=", job.id)
      .where("lease_owner", "=", opts.owner)
      .execute();
  } catch (err) {
    if (!(err instanceof LostLease)) await recordFailure(deps, job.id, opts.owner, err);
  }
  return true;
}

/** Failures the job cannot fix by itself.  Kept on the job; after MAX_ATTEMPTS the job fails instead of retrying forever. */
const MAX_ATTEMPTS = 5;

async function recordFailure(deps: Deps, jobId: string, owner: string, err: unknown): Promise<void> {
  const at = deps.clock().toISOString();
  const job = await deps.db.selectFrom("lifecycle_jobs").selectAll().where("id", "=", jobId).executeTakeFirst();
  if (!job || job.lease_owner !== owner) return;
  const errors = [
    ...parseJson<unknown[]>(job.errors, []),
    { at, entityId: null, message: String(err instanceof Error ? err.message : err) },
  ];
  const failed = job.error_count + 1 >= MAX_ATTEMPTS;
  await deps.db
    .updateTable("lifecycle_jobs")
    .set({
      error_count: job.error_count + 1,
      errors: toJson(errors.slice(-KEEP)),
      status: failed ? "failed" : job.status,
      finished_at: failed ? at : null,
      lease_owner: failed ? null : owner,
      // Retry the batch after a short pause rather than at once.
      lease_until: failed ? null : new Date(deps.clock().getTime() + 5_000).toISOString(),
      updated_at: at,
    })
    .where("id", "=", jobId)
    .execute();
  if (deps.config.log === "info") console.error(`[quorum] job ${jobId} batch failed`, err);
}

/** Runs queued jobs to the end (tests, the bench and the CLI); returns how many jobs it worked on. */
export async function runJobsUntilIdle(deps: Deps, options: RunnerOptions = {}): Promise<number> {
  const opts = defaults(deps, options);
  let n = 0;
  while (await workOnce(deps, opts, () => false)) n++;
  return n;
}

/**
 * Queues a scheduled maintenance job for each solution interest with groups whose last maintenance
 * job (or, before the first, its creation) is older than the interval and that has none pending.
 */
export async function scheduleMaintenance(deps: Deps): Promise<number> {
  const hours = deps.config.lifecycle.maintenanceIntervalHours;
  if (hours <= 0) return 0;
  const now = deps.clock();
  const due = new Date(now.getTime() - hours * 3_600_000).toISOString();
  const interests = await deps.db
    .selectFrom("solution_interests as si")
    .select(["si.id", "si.created_at"])
    .select((eb) =>
      eb
        .selectFrom("lifecycle_jobs as j")
        .select((e) => e.fn.max("j.created_at").as("m"))
        .whereRef("j.solution_interest_id", "=", "si.id")
        .where("j.kind", "=", "maintenance")
        .as("last_run"),
    )
    .select((eb) =>
      eb
        .selectFrom("lifecycle_jobs as j")
        .select((e) => e.fn.countAll<number>().as("n"))
        .whereRef("j.solution_interest_id", "=", "si.id")
        .where("j.kind", "=", "maintenance")
        .where("j.status", "in", ["queued", "running", "cancelling"])
        .as("pending"),
    )
    .where((eb) => eb.exists(eb.selectFrom("buying_groups as g").select("g.id").whereRef("g.solution_interest_id", "=", "si.id")))
    .execute();
  let queued = 0;
  for (const si of interests) {
    if (Number(si.pending ?? 0) > 0) continue;
    if ((si.last_run ?? si.created_at) > due) continue;
    await createJob(deps, si.id, { kind: "maintenance" }, { userId: null, trigger: "schedule" });
    queued++;
  }
  return queued;
}

/**
 * The background runner `runServe` starts: polls for jobs; `stop()` waits for the current batch.
 * Scheduling maintenance is a task of `startSchedules` (once per period across all processes).
 */
export function startJobRunner(deps: Deps, options: RunnerOptions & { pollMs?: number } = {}) {
  const opts = defaults(deps, options);
  let stopped = false;
  let current: Promise<void> | null = null;
  const tick = async () => {
    while (!stopped && (await workOnce(deps, opts, () => stopped))) {}
  };
  const timer = setInterval(() => {
    if (current || stopped) return;
    current = tick()
      .catch((err: unknown) => {
        if (deps.config.log === "info") console.error("[quorum] job runner failed", err);
      })
      .finally(() => {
        current = null;
      });
  }, options.pollMs ?? 1000);
  timer.unref();
  return {
    owner: opts.owner,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
