import type { ExpressionBuilder } from "kysely";
import type { Db } from "../db/create-db";
import { isPostgres } from "../db/dialect";
import { newId } from "../db/ids";
import type { CrmSyncRunsTable, Database } from "../db/schema";

export const ACTIVE_RUN = ["queued", "running", "paused"] as const;

const CLAIMABLE = (now: string) => (eb: ExpressionBuilder<Database, "crm_sync_runs">) =>
  eb.or([
    eb.and([eb("status", "in", ["queued", "paused"]), eb.or([eb("not_before", "is", null), eb("not_before", "<=", now)])]),
    eb.and([eb("status", "=", "running"), eb("lease_until", "<", now)]),
  ]);

/**
 * Claims the oldest runnable sync run (queued; paused whose wait is over; running with a lapsed lease:
 * its process died) with one `UPDATE … WHERE id = (SELECT …) RETURNING`, the pattern of
 * lifecycle/jobs.repo.ts `claimJob` (SKIP LOCKED on PostgreSQL).
 */
export async function claimRun(db: Db, owner: string, now: Date, leaseMs: number): Promise<CrmSyncRunsTable | null> {
  const at = now.toISOString();
  const row = await db
    .updateTable("crm_sync_runs")
    .set((eb) => ({
      status: "running",
      lease_owner: owner,
      lease_until: new Date(now.getTime() + leaseMs).toISOString(),
      started_at: eb.fn.coalesce("started_at", eb.val(at)),
      updated_at: at,
    }))
    .where(
      "id",
      "=",
      db
        .selectFrom("crm_sync_runs")
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

/** Queues a run unless the connection has one queued, running or paused (that one is returned). */
export async function enqueueRun(
  db: Db,
  connectionId: string,
  kind: "full" | "incremental",
  trigger: "manual" | "schedule" | "cli",
  userId: string | null,
  now: string,
): Promise<{ run: CrmSyncRunsTable; created: boolean }> {
  return db.transaction().execute(async (trx) => {
    // PostgreSQL: the connection's row lock serialises two enqueues racing for one connection.
    await trx
      .selectFrom("crm_connections")
      .select("id")
      .where("id", "=", connectionId)
      .$if(isPostgres(trx), (q) => q.forUpdate())
      .execute();
    const active = await trx
      .selectFrom("crm_sync_runs")
      .selectAll()
      .where("connection_id", "=", connectionId)
      .where("status", "in", [...ACTIVE_RUN])
      .orderBy("created_at")
      .executeTakeFirst();
    if (active) return { run: active, created: false };
    const run: CrmSyncRunsTable = {
      id: newId("syn"),
      connection_id: connectionId,
      kind,
      trigger,
      status: "queued",
      stream: null,
      fetched: 0,
      written: 0,
      deleted: 0,
      skipped_count: 0,
      api_calls: 0,
      skipped: "[]",
      error: null,
      attempts: 0,
      not_before: null,
      lease_owner: null,
      lease_until: null,
      created_by: userId,
      created_at: now,
      started_at: null,
      finished_at: null,
      updated_at: now,
    };
    await trx.insertInto("crm_sync_runs").values(run).execute();
    return { run, created: true };
  });
}

export async function getRun(db: Db, id: string) {
  return db.selectFrom("crm_sync_runs").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function listRuns(db: Db, connectionId: string, limit: number) {
  return db
    .selectFrom("crm_sync_runs")
    .selectAll()
    .where("connection_id", "=", connectionId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}
