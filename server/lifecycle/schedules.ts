import type { Db } from "../db/create-db";
import type { Deps } from "../deps";

/**
 * Schedules that fire once per period across every server process on one database. Each task has a
 * lease row in `schedule_runs` (migration 0005). A process claims a period with one conditional
 * UPDATE: it matches only when the row's period is older, or is this period with a lapsed lease (its
 * holder died mid-run). Two processes racing update the same row; the database serialises them
 * (PostgreSQL re-checks the WHERE after the first commits, SQLite has one writer), so exactly one
 * claim matches per period.
 */

/** Start of the period of length `periodMs` that contains `now` (ISO-8601 UTC: sorts as text). */
export function periodStart(now: Date, periodMs: number): string {
  return new Date(Math.floor(now.getTime() / periodMs) * periodMs).toISOString();
}

/** True when `owner` now holds period `period` of task `name` and should run it. */
export async function claimScheduledRun(
  db: Db,
  name: string,
  period: string,
  owner: string,
  now: Date,
  leaseMs: number,
): Promise<boolean> {
  const at = now.toISOString();
  await db
    .insertInto("schedule_runs")
    .values({ name, period: "", status: "done", owner: null, lease_until: null, started_at: null, finished_at: null })
    .onConflict((oc) => oc.column("name").doNothing())
    .execute();
  const res = await db
    .updateTable("schedule_runs")
    .set({
      period,
      status: "running",
      owner,
      lease_until: new Date(now.getTime() + leaseMs).toISOString(),
      started_at: at,
      finished_at: null,
    })
    .where("name", "=", name)
    .where((eb) =>
      eb.or([
        eb("period", "<", period),
        eb.and([eb("period", "=", period), eb("status", "=", "running"), eb("lease_until", "<", at)]),
      ]),
    )
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Records the end of a run this owner holds (`failed` is not retried in the same period). */
export async function finishScheduledRun(
  db: Db,
  name: string,
  period: string,
  owner: string,
  now: Date,
  status: "done" | "failed",
): Promise<void> {
  await db
    .updateTable("schedule_runs")
    .set({ status, finished_at: now.toISOString(), lease_until: null })
    .where("name", "=", name)
    .where("period", "=", period)
    .where("owner", "=", owner)
    .execute();
}

export interface ScheduledTask {
  name: string;
  /** The task runs once per period of this length, across all processes. */
  periodMs: number;
  /** How long a run may take before another process assumes its holder died and runs the period again. */
  leaseMs: number;
  run: (deps: Deps) => Promise<unknown>;
  /**
   * The period `now` falls in, when it is not a fixed length of time (e.g. the calendar day in the
   * organisation's time zone, `YYYY-MM-DD`); periods of one task must sort as text. Default: the
   * {@link periodMs} slice of UTC time.
   */
  period?: (now: Date, deps: Deps) => string;
  /** When the next period starts, if it should run right then rather than at the next tick (a local midnight). */
  nextStart?: (now: Date, deps: Deps) => Date;
}

/** Claims the current period of `task` and runs it; false when another process (or an earlier tick) has it. */
export async function runOncePerPeriod(deps: Deps, task: ScheduledTask, owner: string): Promise<boolean> {
  const now = deps.clock();
  const period = task.period ? task.period(now, deps) : periodStart(now, task.periodMs);
  if (!(await claimScheduledRun(deps.db, task.name, period, owner, now, task.leaseMs))) return false;
  try {
    await task.run(deps);
  } catch (err) {
    await finishScheduledRun(deps.db, task.name, period, owner, deps.clock(), "failed");
    throw err;
  }
  await finishScheduledRun(deps.db, task.name, period, owner, deps.clock(), "done");
  return true;
}

/**
 * Ticks every `tickMs` and runs each task whose current period nobody has run yet. Ticks are much
 * shorter than periods, so a period starts within one tick of its boundary in whichever process
 * ticks first, and a crashed holder's period is taken over within one tick of its lease ending.
 */
export function startSchedules(
  deps: Deps,
  tasks: ScheduledTask[],
  options: { owner: string; tickMs?: number; log?: (msg: string, err: unknown) => void },
) {
  let stopped = false;
  let current: Promise<void> | null = null;
  const tick = async () => {
    for (const task of tasks) {
      if (stopped) return;
      try {
        await runOncePerPeriod(deps, task, options.owner);
      } catch (err) {
        options.log?.(`[quorum] scheduled ${task.name} failed`, err);
      }
    }
  };
  const timer = setInterval(() => {
    if (current || stopped) return;
    current = tick().finally(() => {
      current = null;
    });
  }, options.tickMs ?? 30_000);
  timer.unref();
  // Tasks with a boundary of their own (the local midnight) also run right at it, not up to a tick later.
  const boundaries = new Map<string, NodeJS.Timeout>();
  const running = new Set<Promise<unknown>>();
  const arm = (task: ScheduledTask) => {
    if (stopped || !task.nextStart) return;
    const delay = Math.max(0, task.nextStart(deps.clock(), deps).getTime() - deps.clock().getTime());
    const t = setTimeout(
      () => {
        const run = runOncePerPeriod(deps, task, options.owner)
          .catch((err: unknown) => options.log?.(`[quorum] scheduled ${task.name} failed`, err))
          .finally(() => {
            running.delete(run);
            arm(task);
          });
        running.add(run);
      },
      // Timers fire at most ~24.8 days ahead; a later boundary is re-armed from there.
      Math.min(delay + 5, 2 ** 31 - 1),
    );
    t.unref();
    boundaries.set(task.name, t);
  };
  for (const task of tasks) arm(task);
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      for (const t of boundaries.values()) clearTimeout(t);
      await current;
      await Promise.all(running);
    },
  };
}
