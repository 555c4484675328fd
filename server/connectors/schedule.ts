import type { Deps } from "../deps";
import type { ScheduledTask } from "../lifecycle/schedules";
import { settingsOf } from "./connections.repo";
import { enqueueRun } from "./sync-runs.repo";

/**
 * Queues an incremental sync for every connected connection whose interval (its own, else
 * QUORUM_SYNC_INTERVAL_MINUTES, default 15; 0 = on demand only) has passed since its last run was
 * queued. Runs as a `startSchedules` task, so one server process does it per period.
 */
export async function scheduleSyncs(deps: Deps): Promise<number> {
  const now = deps.clock();
  const conns = await deps.db.selectFrom("crm_connections").selectAll().where("status", "=", "connected").execute();
  let queued = 0;
  for (const c of conns) {
    const minutes = settingsOf(c).syncIntervalMinutes ?? deps.config.connectors.syncIntervalMinutes;
    if (minutes <= 0) continue;
    const last = await deps.db
      .selectFrom("crm_sync_runs")
      .select("created_at")
      .where("connection_id", "=", c.id)
      .orderBy("created_at", "desc")
      .limit(1)
      .executeTakeFirst();
    if (last && Date.parse(last.created_at) > now.getTime() - minutes * 60_000) continue;
    const { created } = await enqueueRun(deps.db, c.id, "incremental", "schedule", null, now.toISOString());
    if (created) queued++;
  }
  return queued;
}

/** The schedule task `serve` adds to its list (checked every minute; each connection's own interval decides). */
export const syncScheduleTask: ScheduledTask = {
  name: "crm-sync-schedule",
  periodMs: 60_000,
  leaseMs: 5 * 60_000,
  run: (deps) => scheduleSyncs(deps),
};
