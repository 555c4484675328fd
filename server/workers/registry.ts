import { syncScheduleTask } from "../connectors/schedule";
import { startSyncWorker } from "../connectors/sync-runner";
import { startWritebackWorker } from "../connectors/writeback";
import type { Deps } from "../deps";
import { startOutboxWorker } from "../email/outbox.worker";
import { createTransport } from "../email/transports";
import { eventHeldCleanupTask } from "../event-sources/cleanup";
import { scheduleMaintenance, startJobRunner } from "../lifecycle/job-runner";
import { type ScheduledTask, startSchedules } from "../lifecycle/schedules";
import { startBackgroundJobRunner } from "../scores/recompute-jobs";
import { midnightRolloverTask, periodicRolloverTask } from "../scores/rollover";

/**
 * Background work: everything `serve` runs besides answering requests. Each task has the shape
 * `start(deps, ctx) => { stop() }`; `serve` starts them all in one worker thread with its own database
 * connection (QUORUM_WORKERS=thread, the default), in its own thread (`inline`), or not at all (`off`,
 * for HTTP-only processes beside a `quorum worker` process). Every task claims its work with leases in
 * the database (jobs, runs, outbox rows, schedule periods), so any number of processes share it.
 */
export interface TaskContext {
  /** This process's instance id (schedule leases). */
  owner: string;
  log: (msg: string, err?: unknown) => void;
}

export interface BackgroundTask {
  name: string;
  start(deps: Deps, ctx: TaskContext): { stop(): Promise<void> };
  /**
   * `serving`: with QUORUM_WORKERS=thread this task stays on the thread that serves HTTP (light, I/O-bound work
   * that requests wake in-process, such as the email outbox); every other task runs on the worker thread.
   */
  thread?: "serving" | "worker";
}

/** The tasks that run where: with QUORUM_WORKERS=thread, `serving` ones on the HTTP thread, the rest on the worker thread. */
export const tasksFor = (where: "serving" | "worker") => BACKGROUND_TASKS.filter((t) => (t.thread ?? "worker") === where);

/** What every server process schedules; each period runs in one of them. */
export function serveSchedules(): ScheduledTask[] {
  return [
    // Scores fall as activities age out: stale groups roll over at the local midnight (and a safety pass every 15 min).
    midnightRolloverTask,
    periodicRolloverTask,
    { name: "maintenance-schedule", periodMs: 60_000, leaseMs: 5 * 60_000, run: (deps) => scheduleMaintenance(deps) },
    // CRM connections (sync helper): queues each connection's incremental sync when its interval has passed.
    syncScheduleTask,
    // Event webhooks (events helper): held anonymous/unmapped events older than the engagement window are dropped.
    eventHeldCleanupTask,
  ];
}

export const BACKGROUND_TASKS: BackgroundTask[] = [
  {
    name: "schedules",
    start: (deps, ctx) =>
      startSchedules(deps, serveSchedules(), {
        owner: ctx.owner,
        tickMs: deps.config.lifecycle.scheduleTickSeconds * 1000,
        log: ctx.log,
      }),
  },
  // Creation and maintenance jobs (resumes jobs a stopped or killed process left running).
  { name: "lifecycle-jobs", start: (deps, ctx) => startJobRunner(deps, { owner: `runner_${ctx.owner.slice(4)}` }) },
  // Full score recomputes queued by the API (background_jobs).
  { name: "background-jobs", start: (deps, ctx) => startBackgroundJobRunner(deps, { owner: `bjr_${ctx.owner.slice(4)}` }) },
  // Delivers queued emails (I/O: SMTP round trips; a send request wakes it in this thread); stop() lets the
  // message in flight finish.
  {
    name: "email-outbox",
    thread: "serving",
    start: (deps, ctx) => startOutboxWorker(deps, createTransport(deps.config.email), { log: (m) => ctx.log(m) }),
  },
  // CRM connections: the sync runner and the role write-back drainer (runs claimed with leases).
  { name: "crm-sync", start: (deps, ctx) => startSyncWorker(deps, { log: (m) => ctx.log(m) }) },
  { name: "crm-writeback", start: (deps, ctx) => startWritebackWorker(deps, { log: (m) => ctx.log(m) }) },
];

export interface RunningTasks {
  stop(): Promise<void>;
}

/** Starts these tasks on `deps` (its own database connection when on a worker thread); stop() stops them in reverse. */
export function startTasks(deps: Deps, ctx: TaskContext, tasks: readonly BackgroundTask[] = BACKGROUND_TASKS): RunningTasks {
  const running = tasks.map((t) => ({ name: t.name, handle: t.start(deps, ctx) }));
  return {
    async stop() {
      for (const r of [...running].reverse()) {
        try {
          await r.handle.stop();
        } catch (err) {
          ctx.log(`[quorum] stopping ${r.name} failed`, err);
        }
      }
    },
  };
}
