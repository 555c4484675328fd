import { randomBytes } from "node:crypto";
import type { ExpressionBuilder } from "kysely";
import { notFound } from "../../shared/errors";
import { writeAudit } from "../audit/audit.repo";
import type { Db } from "../db/create-db";
import { isPostgres } from "../db/dialect";
import { newId } from "../db/ids";
import { parseJson, toJson } from "../db/json";
import type { BackgroundJobsTable, Database } from "../db/schema";
import type { Deps } from "../deps";
import { type RecomputeReport, recomputeAll } from "./scores.service";

/**
 * The full score recompute as a background job (table `background_jobs`, migration 0016_jobs):
 * `POST /api/scores/recompute` queues one and answers 202 with it; a background worker (a worker thread
 * of `serve`, or `quorum worker`) claims it with a lease and runs {@link recomputeAll} a page at a time,
 * saving its cursor after each page, so a killed worker's job is resumed by the next one from there.
 * `GET /api/scores/recompute/{id}` follows it.
 */
export interface RecomputeJob {
  id: string;
  kind: "recompute";
  status: "queued" | "running" | "done" | "failed";
  progress: { done: number; total: number };
  /** The time the scores are computed as of (the moment the job was queued). */
  computedAt: string;
  result: RecomputeReport | null;
  error: string | null;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

type Row = BackgroundJobsTable;

function toRecomputeJob(r: Row): RecomputeJob {
  return {
    id: r.id,
    kind: "recompute",
    status: r.status as RecomputeJob["status"],
    progress: { done: r.done, total: r.total },
    computedAt: parseJson<{ computedAt: string }>(r.params, { computedAt: r.created_at }).computedAt,
    result: parseJson<RecomputeReport | null>(r.result, null),
    error: r.error,
    createdBy: r.created_by,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

/**
 * Queues a full recompute as of now. A recompute still queued (not started) already covers this
 * request, so it is returned instead of queueing a second one.
 */
export async function queueRecompute(deps: Deps, userId: string | null): Promise<RecomputeJob> {
  const now = deps.clock();
  const at = now.toISOString();
  const queued = await deps.db
    .selectFrom("background_jobs")
    .selectAll()
    .where("kind", "=", "recompute")
    .where("status", "=", "queued")
    .orderBy("created_at")
    .executeTakeFirst();
  if (queued) return toRecomputeJob(queued);
  const id = newId("bjob");
  await deps.db.transaction().execute(async (trx) => {
    const total = Number(
      (
        await trx
          .selectFrom("buying_groups")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
    await trx
      .insertInto("background_jobs")
      .values({
        id,
        kind: "recompute",
        status: "queued",
        params: toJson({ computedAt: at }),
        cursor: null,
        done: 0,
        total,
        result: null,
        error: null,
        attempts: 0,
        lease_owner: null,
        lease_until: null,
        created_by: userId,
        created_at: at,
        started_at: null,
        finished_at: null,
        updated_at: at,
      })
      .execute();
    await writeAudit(trx, [
      {
        at,
        actorUserId: userId,
        source: userId ? "manual" : "system",
        action: "scores.recompute.queued",
        entityType: "background_job",
        entityId: id,
        groupId: null,
        details: { total },
      },
    ]);
  });
  return getRecomputeJob(deps, id);
}

export async function getRecomputeJob(deps: Deps, id: string): Promise<RecomputeJob> {
  const row = await deps.db
    .selectFrom("background_jobs")
    .selectAll()
    .where("id", "=", id)
    .where("kind", "=", "recompute")
    .executeTakeFirst();
  if (!row) throw notFound("Recompute job", id);
  return toRecomputeJob(row);
}

const CLAIMABLE = (now: string) => (eb: ExpressionBuilder<Database, "background_jobs">) =>
  eb.or([eb("status", "=", "queued"), eb.and([eb("status", "=", "running"), eb("lease_until", "<", now)])]);

/**
 * Claims the oldest runnable background job (queued, or running with a lapsed lease: its worker died)
 * with one `UPDATE … WHERE id = (SELECT … [FOR UPDATE SKIP LOCKED]) AND <still claimable> RETURNING`,
 * as lifecycle jobs are claimed: several workers (threads or processes) each take a different job.
 */
export async function claimBackgroundJob(db: Db, owner: string, now: Date, leaseMs: number): Promise<Row | null> {
  const at = now.toISOString();
  const row = await db
    .updateTable("background_jobs")
    .set((eb) => ({
      status: "running",
      lease_owner: owner,
      lease_until: new Date(now.getTime() + leaseMs).toISOString(),
      attempts: eb("attempts", "+", 1),
      started_at: eb.fn.coalesce("started_at", eb.val(at)),
      updated_at: at,
    }))
    .where(
      "id",
      "=",
      db
        .selectFrom("background_jobs")
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

class LostLease extends Error {}

/** A job that failed this many times (its worker crashed or the database refused) is marked failed. */
const MAX_ATTEMPTS = 5;

async function runRecompute(deps: Deps, job: Row, owner: string, leaseMs: number, shouldStop: () => boolean) {
  const { computedAt } = parseJson<{ computedAt: string }>(job.params, { computedAt: job.created_at });
  let stopped = false;
  const report = await recomputeAll(deps, new Date(computedAt), undefined, {
    after: job.cursor ?? undefined,
    done: job.done,
    shouldStop: () => {
      stopped = shouldStop();
      return stopped;
    },
    onPage: async (lastId, done, total) => {
      const res = await deps.db
        .updateTable("background_jobs")
        .set({
          cursor: lastId,
          done,
          total: Math.max(total, done),
          lease_until: new Date(deps.clock().getTime() + leaseMs).toISOString(),
          updated_at: deps.clock().toISOString(),
        })
        .where("id", "=", job.id)
        .where("lease_owner", "=", owner)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw new LostLease();
    },
  });
  const at = deps.clock().toISOString();
  if (stopped) {
    // Stopping (server shutting down): let the lease lapse so the next worker resumes at once.
    await deps.db
      .updateTable("background_jobs")
      .set({ lease_until: new Date(deps.clock().getTime() - 1).toISOString(), updated_at: at })
      .where("id", "=", job.id)
      .where("lease_owner", "=", owner)
      .execute();
    return;
  }
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable("background_jobs")
      .set({
        status: "done",
        done: report.groups,
        result: toJson(report),
        lease_owner: null,
        lease_until: null,
        finished_at: at,
        updated_at: at,
      })
      .where("id", "=", job.id)
      .where("lease_owner", "=", owner)
      .execute();
    await writeAudit(trx, [
      {
        at,
        actorUserId: null,
        source: "system",
        action: "scores.recompute.done",
        entityType: "background_job",
        entityId: job.id,
        groupId: null,
        details: { groups: report.groups },
      },
    ]);
  });
}

/** Claims one background job and runs it; false when none was runnable. */
export async function runOneBackgroundJob(
  deps: Deps,
  options: { owner: string; leaseMs: number; shouldStop?: () => boolean },
): Promise<boolean> {
  const job = await claimBackgroundJob(deps.db, options.owner, deps.clock(), options.leaseMs);
  if (!job) return false;
  try {
    if (job.kind === "recompute")
      await runRecompute(deps, job, options.owner, options.leaseMs, options.shouldStop ?? (() => false));
    else throw new Error(`Unknown background job kind '${job.kind}'.`);
  } catch (err) {
    if (err instanceof LostLease) return true;
    const at = deps.clock().toISOString();
    const failed = job.attempts >= MAX_ATTEMPTS || job.kind !== "recompute";
    await deps.db
      .updateTable("background_jobs")
      .set({
        status: failed ? "failed" : "running",
        error: String(err instanceof Error ? err.message : err),
        lease_owner: failed ? null : options.owner,
        // Retried after a short pause by whichever worker claims it next.
        lease_until: failed ? null : new Date(deps.clock().getTime() + 5_000).toISOString(),
        finished_at: failed ? at : null,
        updated_at: at,
      })
      .where("id", "=", job.id)
      .where("lease_owner", "=", options.owner)
      .execute();
    if (deps.config.log === "info") console.error(`[quorum] background job ${job.id} failed`, err);
  }
  return true;
}

/** Runs queued background jobs to the end (tests and the CLI); returns how many it ran. */
export async function runBackgroundJobsUntilIdle(deps: Deps, leaseMs = 5 * 60_000): Promise<number> {
  const owner = `bjr_${randomBytes(6).toString("hex")}`;
  let n = 0;
  while (await runOneBackgroundJob(deps, { owner, leaseMs })) n++;
  return n;
}

/** The poller a background worker runs; `stop()` waits for the page in progress and lets the lease lapse. */
export function startBackgroundJobRunner(deps: Deps, options: { owner?: string; pollMs?: number; leaseMs?: number } = {}) {
  const owner = options.owner ?? `bjr_${randomBytes(6).toString("hex")}`;
  const leaseMs = options.leaseMs ?? deps.config.lifecycle.jobLeaseSeconds * 1000;
  let stopped = false;
  let current: Promise<void> | null = null;
  const tick = async () => {
    while (!stopped && (await runOneBackgroundJob(deps, { owner, leaseMs, shouldStop: () => stopped }))) {}
  };
  const timer = setInterval(() => {
    if (current || stopped) return;
    current = tick()
      .catch((err: unknown) => {
        if (deps.config.log === "info") console.error("[quorum] background job runner failed", err);
      })
      .finally(() => {
        current = null;
      });
  }, options.pollMs ?? 1000);
  timer.unref();
  return {
    owner,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
