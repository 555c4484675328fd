import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../../server/bootstrap";
import type { Deps } from "../../../server/deps";
import {
  claimScheduledRun,
  finishScheduledRun,
  periodStart,
  runOncePerPeriod,
  type ScheduledTask,
  startSchedules,
} from "../../../server/lifecycle/schedules";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// Two server instances on one database (PostgreSQL under `npm run test:pg`, a shared SQLite file
// otherwise): each period of a schedule runs in exactly one of them.
describe("schedules across instances", () => {
  let t: TestContext;
  let dir: string;
  let a: Deps;
  let b: Deps;
  const clock = { now: new Date("2026-11-23T12:00:00.000Z") };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "quorum-sched-"));
    const pg = !!process.env.QUORUM_TEST_DATABASE_URL;
    t = await createTestContext(pg ? {} : { env: { DATABASE_URL: join(dir, "shared.sqlite") } });
    clock.now = new Date("2026-11-23T12:00:00.000Z");
    a = { ...t.deps, clock: () => clock.now };
    // The second instance: its own connection pool (PostgreSQL) or connection (SQLite) on the same database.
    b = { ...t.deps, db: await openDatabase(t.deps.config), clock: () => clock.now };
  });
  afterEach(async () => {
    await b.db.destroy();
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("lets exactly one of many concurrent claims win each period", async () => {
    for (let p = 0; p < 10; p++) {
      const period = periodStart(new Date(clock.now.getTime() + p * 60_000), 60_000);
      const claims = await Promise.all(
        [a, b, a, b, a, b].map((d, i) => claimScheduledRun(d.db, "race", period, `owner-${i}`, clock.now, 60_000)),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
    }
    const row = await t.deps.db.selectFrom("schedule_runs").selectAll().where("name", "=", "race").executeTakeFirstOrThrow();
    expect(row.period).toBe(periodStart(new Date(clock.now.getTime() + 9 * 60_000), 60_000));
  });

  it("runs each period once while both instances tick, in whichever ticks first", async () => {
    const runs: Array<{ period: string; instance: string }> = [];
    const task = (instance: string): ScheduledTask => ({
      name: "rollover",
      periodMs: 15 * 60_000,
      leaseMs: 60_000,
      run: async (deps) => {
        runs.push({ period: periodStart(deps.clock(), 15 * 60_000), instance });
        await new Promise((r) => setTimeout(r, 5)); // a run takes a while: the other instance ticks meanwhile
      },
    });
    const sa = startSchedules(a, [task("a")], { owner: "instance-a", tickMs: 2 });
    const sb = startSchedules(b, [task("b")], { owner: "instance-b", tickMs: 3 });
    try {
      for (let p = 0; p < 6; p++) {
        const period = periodStart(clock.now, 15 * 60_000);
        for (let i = 0; i < 500 && !runs.some((r) => r.period === period); i++) await new Promise((r) => setTimeout(r, 10));
        // Both instances keep ticking inside the period: nothing runs twice.
        await new Promise((r) => setTimeout(r, 50));
        if (p < 5) clock.now = new Date(clock.now.getTime() + 15 * 60_000);
      }
    } finally {
      await sa.stop();
      await sb.stop();
    }
    const expected = Array.from({ length: 6 }, (_, p) =>
      periodStart(new Date(Date.parse("2026-11-23T12:00:00.000Z") + p * 15 * 60_000), 15 * 60_000),
    );
    expect(runs.map((r) => r.period)).toEqual(expected); // each period once, none twice, in order
  });

  it("hands the period to another instance when the holder dies, after its lease", async () => {
    const period = periodStart(clock.now, 15 * 60_000);
    // Instance a claims the period and dies before finishing (no finishScheduledRun).
    expect(await claimScheduledRun(a.db, "rollover", period, "instance-a", clock.now, 60_000)).toBe(true);
    let ranOnB = 0;
    const task: ScheduledTask = {
      name: "rollover",
      periodMs: 15 * 60_000,
      leaseMs: 60_000,
      run: async () => {
        ranOnB++;
      },
    };
    clock.now = new Date(clock.now.getTime() + 30_000);
    expect(await runOncePerPeriod(b, task, "instance-b")).toBe(false); // the lease still holds
    clock.now = new Date(clock.now.getTime() + 31_000);
    expect(await runOncePerPeriod(b, task, "instance-b")).toBe(true); // lapsed: b runs the period
    expect(ranOnB).toBe(1);
    expect(await runOncePerPeriod(b, task, "instance-b")).toBe(false); // done for this period
    // The dead holder coming back cannot mark b's run as its own.
    await finishScheduledRun(a.db, "rollover", period, "instance-a", clock.now, "failed");
    const row = await t.deps.db.selectFrom("schedule_runs").selectAll().where("name", "=", "rollover").executeTakeFirstOrThrow();
    expect(row).toMatchObject({ period, owner: "instance-b", status: "done" });
    // The next period runs again (in either instance).
    clock.now = new Date(clock.now.getTime() + 15 * 60_000);
    expect(await runOncePerPeriod(a, task, "instance-a")).toBe(true);
    expect(ranOnB).toBe(2);
  });

  it("a failed run is not retried in the same period", async () => {
    const task: ScheduledTask = {
      name: "flaky",
      periodMs: 60_000,
      leaseMs: 60_000,
      run: async () => {
        throw new Error("boom");
      },
    };
    await expect(runOncePerPeriod(a, task, "instance-a")).rejects.toThrow("boom");
    expect(await runOncePerPeriod(b, task, "instance-b")).toBe(false);
    clock.now = new Date(clock.now.getTime() + 60_000);
    await expect(runOncePerPeriod(b, task, "instance-b")).rejects.toThrow("boom");
  });
});
