import { randomBytes } from "node:crypto";
import type { SkippedRecord } from "../../shared/api/connections";
import { isPostgres } from "../db/dialect";
import { parseJson, toJson } from "../db/json";
import type { CrmSyncRunsTable } from "../db/schema";
import type { Deps } from "../deps";
import { recomputeGroups } from "../scores/scores.service";
import { ensureCrmActivityTypes } from "./activity-mapping";
import { getConnectionRow, setConnectionStatus, settingsOf } from "./connections.repo";
import { ConnectorError, defaultRetryPolicy, type RetryPolicy } from "./errors";
import { buildConnector } from "./registry";
import { applyAccounts, applyOpportunities, applyOpportunityContacts, applyOwners } from "./store-accounts";
import { applyActivities } from "./store-activities";
import type { PageResult, StoreContext } from "./store-context";
import { applyContacts } from "./store-people";
import { claimRun } from "./sync-runs.repo";
import type { Mapped, Stream, StreamPage } from "./types";

export interface SyncWorkerOptions {
  owner?: string;
  /** How long a claim holds without a committed page before another worker resumes the run. */
  leaseMs?: number;
  pollMs?: number;
  policy?: RetryPolicy;
  /** `false`: no background loop; call `runOnce()` (tests). */
  autostart?: boolean;
  log?: (msg: string) => void;
}

/**
 * Node flags for a process that runs syncs on its own (`worker-process.ts`, the bench's worker). A
 * sync's live heap stays small (one page of at most 2 000 records, ~40–60 MB with the code), but V8
 * grows the heap lazily up to its default limit, so without a cap a sync process sat at ~300 MB RSS
 * of mostly uncollected garbage (docs/performance.md). 192 MB leaves three times the live heap.
 */
export const SYNC_WORKER_NODE_FLAGS = ["--max-old-space-size=192"];

/** Skipped records kept on a run (the count keeps going). */
const KEEP_SKIPPED = 200;
/** Transient failures (after each call's own retries) before a run fails; between them it waits 1, 2, 4 … minutes. */
const MAX_ATTEMPTS = 5;

class LostLease extends Error {}

interface StreamState {
  /** Page position inside the pass of this run; null with `done`: the stream finished in this run. */
  p: unknown | null;
  high: string | null;
  done?: boolean;
}

/** Writes one page: records and deletions through the store, then the stream position and run counters, in one transaction. */
async function commitPage(
  deps: Deps,
  run: CrmSyncRunsTable,
  owner: string,
  stream: Stream,
  page: StreamPage,
  since: string | null,
  leaseMs: number,
) {
  const conn = await getConnectionRow(deps.db, run.connection_id);
  if (!conn) throw new ConnectorError("permanent", "The connection was deleted.");
  const settings = settingsOf(conn);
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    // PostgreSQL: hold the run's row lock for the page, so a worker whose claim sees the lease lapse skips it.
    const current = await trx
      .selectFrom("crm_sync_runs")
      .select(["lease_owner", "skipped"])
      .where("id", "=", run.id)
      .$if(isPostgres(trx), (q) => q.forUpdate())
      .executeTakeFirst();
    if (current?.lease_owner !== owner) throw new LostLease();
    const ctx: StoreContext = {
      deps,
      trx,
      crm: conn.crm,
      connectionId: conn.id,
      stream: stream.name,
      now,
      skipped: [],
      touchedGroups: new Set(),
    };
    const ok = <T>() => page.records.flatMap((r) => (r.ok ? [r.value as T] : []));
    for (const r of page.records as Mapped<unknown>[])
      if (!r.ok) ctx.skipped.push({ stream: stream.name, recordId: r.recordId, reason: r.reason });
    let result: PageResult;
    switch (page.kind) {
      case "owners":
        result = await applyOwners(ctx, ok());
        break;
      case "accounts":
        result = await applyAccounts(ctx, ok(), page.deleted);
        break;
      case "contacts":
        result = await applyContacts(ctx, ok(), page.deleted, settings.writeback.enabled ? settings.writeback : null);
        break;
      case "opportunities":
        result = await applyOpportunities(ctx, ok(), page.deleted);
        break;
      case "opportunity_contacts":
        result = await applyOpportunityContacts(
          ctx,
          ok(),
          page.deleted,
          settings.writeback.enabled && settings.writeback.target === "opportunity_contact_role" ? settings.writeback : null,
        );
        break;
      default:
        result = await applyActivities(ctx, ok(), page.deleted);
    }
    if (ctx.touchedGroups.size > 0) await recomputeGroups(trx, deps, [...ctx.touchedGroups], now);
    const done = page.next === null;
    const state: StreamState = done ? { p: null, high: page.high, done: true } : { p: page.next, high: page.high };
    const at = now.toISOString();
    await trx
      .insertInto("crm_sync_state")
      .values({
        connection_id: conn.id,
        stream: stream.name,
        since: done ? (page.high ?? since) : since,
        run_id: run.id,
        position: toJson(state),
        updated_at: at,
      })
      .onConflict((oc) =>
        oc.columns(["connection_id", "stream"]).doUpdateSet({
          run_id: run.id,
          position: toJson(state),
          updated_at: at,
          ...(done ? { since: page.high ?? since } : {}),
        }),
      )
      .execute();
    const skipped = [...parseJson<SkippedRecord[]>(current.skipped, []), ...ctx.skipped].slice(0, KEEP_SKIPPED);
    const res = await trx
      .updateTable("crm_sync_runs")
      .set((eb) => ({
        stream: stream.name,
        fetched: eb("fetched", "+", page.records.length + page.deleted.length),
        written: eb("written", "+", result.written),
        deleted: eb("deleted", "+", result.deleted),
        skipped_count: eb("skipped_count", "+", ctx.skipped.length),
        api_calls: eb("api_calls", "+", page.apiCalls),
        skipped: toJson(skipped),
        lease_until: new Date(now.getTime() + leaseMs).toISOString(),
        updated_at: at,
      }))
      .where("id", "=", run.id)
      .where("lease_owner", "=", owner)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new LostLease();
  });
}

async function finishRun(deps: Deps, run: CrmSyncRunsTable, owner: string, values: Partial<CrmSyncRunsTable>) {
  const at = deps.clock().toISOString();
  await deps.db
    .updateTable("crm_sync_runs")
    .set({ lease_owner: null, lease_until: null, updated_at: at, ...values })
    .where("id", "=", run.id)
    .where("lease_owner", "=", owner)
    .execute();
}

/** Runs a claimed run until it finishes, fails, pauses or `shouldStop()`. */
async function workRun(
  deps: Deps,
  run: CrmSyncRunsTable,
  opts: Required<Omit<SyncWorkerOptions, "log">> & { log: (m: string) => void },
  shouldStop: () => boolean,
) {
  const conn = await getConnectionRow(deps.db, run.connection_id);
  if (!conn)
    return finishRun(deps, run, opts.owner, {
      status: "failed",
      error: "The connection was deleted.",
      finished_at: deps.clock().toISOString(),
    });
  const connector = await buildConnector(deps, conn, opts.policy);
  try {
    await connector.signIn();
    await connector.settle();
    await ensureCrmActivityTypes(deps.db, deps.clock().toISOString());
    const streams = connector.streams();
    const start = Math.max(
      0,
      streams.findIndex((s) => s.name === run.stream),
    );
    for (const stream of streams.slice(start)) {
      const row = await deps.db
        .selectFrom("crm_sync_state")
        .selectAll()
        .where("connection_id", "=", conn.id)
        .where("stream", "=", stream.name)
        .executeTakeFirst();
      const mine = row?.run_id === run.id ? parseJson<StreamState | null>(row.position, null) : null;
      if (mine?.done) continue;
      const since = run.kind === "full" ? null : (row?.since ?? null);
      let position: unknown = mine?.p ?? null;
      let high = mine?.high ?? null;
      for (;;) {
        if (shouldStop()) {
          // Let the lease lapse now so the next worker resumes at once from the committed position.
          await finishRun(deps, run, opts.owner, {
            status: "running",
            lease_until: new Date(deps.clock().getTime() - 1).toISOString(),
          });
          return;
        }
        const page = await stream.fetchPage(since, position, high);
        await connector.settle();
        await commitPage(deps, run, opts.owner, stream, page, since, opts.leaseMs);
        if (page.next === null) break;
        position = page.next;
        high = page.high;
      }
    }
    const at = deps.clock().toISOString();
    await finishRun(deps, run, opts.owner, { status: "done", error: null, finished_at: at });
    await deps.db
      .updateTable("crm_connections")
      .set({ last_sync_at: at, status: "connected", status_reason: null, updated_at: at })
      .where("id", "=", conn.id)
      .execute();
  } catch (err) {
    await connector.settle();
    if (err instanceof LostLease) return;
    await recordFailure(deps, run, conn.id, opts, err);
  }
}

async function recordFailure(
  deps: Deps,
  run: CrmSyncRunsTable,
  connectionId: string,
  opts: { owner: string; log: (m: string) => void },
  err: unknown,
) {
  const now = deps.clock();
  const at = now.toISOString();
  const message = err instanceof Error ? err.message : String(err);
  opts.log(`[quorum] sync run ${run.id}: ${message}`);
  if (err instanceof ConnectorError && err.kind === "auth") {
    await finishRun(deps, run, opts.owner, { status: "needs_sign_in", error: message, finished_at: at });
    await setConnectionStatus(deps.db, connectionId, "needs_sign_in", message, at);
    return;
  }
  if (err instanceof ConnectorError && err.kind === "rate_limited") {
    const resume = new Date(now.getTime() + (err.retryAfterMs ?? 60_000));
    await finishRun(deps, run, opts.owner, {
      status: "paused",
      not_before: resume.toISOString(),
      error: `${message} Paused; resumes after ${resume.toISOString()}.`,
    });
    return;
  }
  const attempts = run.attempts + 1;
  if (err instanceof ConnectorError && err.kind === "transient" && attempts < MAX_ATTEMPTS) {
    const resume = new Date(now.getTime() + 60_000 * 2 ** (attempts - 1));
    await finishRun(deps, run, opts.owner, {
      status: "paused",
      attempts,
      not_before: resume.toISOString(),
      error: `${message} Retrying after ${resume.toISOString()} (attempt ${attempts + 1} of ${MAX_ATTEMPTS}).`,
    });
    return;
  }
  await finishRun(deps, run, opts.owner, { status: "failed", attempts, error: message, finished_at: at });
  if (err instanceof ConnectorError && err.kind === "permanent")
    await setConnectionStatus(deps.db, connectionId, "error", message, at);
}

const defaults = (o: SyncWorkerOptions) => ({
  owner: o.owner ?? `sync_${randomBytes(6).toString("hex")}`,
  leaseMs: o.leaseMs ?? 120_000,
  pollMs: o.pollMs ?? 1000,
  policy: o.policy ?? defaultRetryPolicy(),
  autostart: o.autostart ?? true,
  log: o.log ?? (() => {}),
});

/** Claims one run and works on it; false when nothing was runnable. */
async function workOnce(deps: Deps, opts: ReturnType<typeof defaults>, shouldStop: () => boolean): Promise<boolean> {
  const run = await claimRun(deps.db, opts.owner, deps.clock(), opts.leaseMs);
  if (!run) return false;
  await workRun(deps, run, opts, shouldStop);
  return true;
}

/** Runs queued syncs to the end (tests, the CLI, the bench); returns how many runs it worked on. */
export async function runSyncsUntilIdle(deps: Deps, options: SyncWorkerOptions = {}): Promise<number> {
  const opts = defaults(options);
  let n = 0;
  while (await workOnce(deps, opts, () => false)) n++;
  return n;
}

/**
 * The sync worker in the task shape `start(deps) => { stop() }` of the job registry: polls for runs
 * with its own `deps.db`, one at a time; `stop()` lets the page in flight commit, then hands the run
 * back (its lease lapses at once).
 */
export function startSyncWorker(deps: Deps, options: SyncWorkerOptions = {}) {
  const opts = defaults(options);
  let stopped = false;
  let current: Promise<unknown> | null = null;
  const tick = async () => {
    while (!stopped && (await workOnce(deps, opts, () => stopped))) {}
  };
  const timer = opts.autostart
    ? setInterval(() => {
        if (current || stopped) return;
        current = tick()
          .catch((err: unknown) => opts.log(`[quorum] sync worker: ${err instanceof Error ? err.message : String(err)}`))
          .finally(() => {
            current = null;
          });
      }, opts.pollMs)
    : null;
  timer?.unref();
  return {
    owner: opts.owner,
    runOnce: () => workOnce(deps, opts, () => stopped),
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await current;
    },
  };
}
