import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deps } from "../../../server/deps";
import { startSchedules } from "../../../server/lifecycle/schedules";
import { midnightRolloverTask, nextDayStart } from "../../../server/scores/rollover";
import { activities, groupSetup, person } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

describe("the day boundary of the organisation's time zone", () => {
  it("finds the next local midnight, also across offsets of half hours and DST changes", () => {
    // Stockholm in December is UTC+1: its midnight is 23:00 UTC the day before.
    expect(nextDayStart(new Date("2026-12-09T22:59:59.600Z"), "Europe/Stockholm").toISOString()).toBe("2026-12-09T23:00:00.000Z");
    expect(nextDayStart(new Date("2026-12-09T23:00:00.000Z"), "Europe/Stockholm").toISOString()).toBe("2026-12-10T23:00:00.000Z");
    // St. John's is UTC−3:30 in December.
    expect(nextDayStart(new Date("2026-12-09T12:00:00Z"), "America/St_Johns").toISOString()).toBe("2026-12-10T03:30:00.000Z");
    // The night clocks go forward in Europe (29 March 2026) the day still starts at 00:00 local (23:00 UTC, +1).
    expect(nextDayStart(new Date("2026-03-28T12:00:00Z"), "Europe/Amsterdam").toISOString()).toBe("2026-03-28T23:00:00.000Z");
    // … and the day after at 22:00 UTC (+2).
    expect(nextDayStart(new Date("2026-03-29T12:00:00Z"), "Europe/Amsterdam").toISOString()).toBe("2026-03-29T22:00:00.000Z");
    expect(nextDayStart(new Date("2026-12-09T12:00:00Z"), "UTC").toISOString()).toBe("2026-12-10T00:00:00.000Z");
  });
});

// Browse and the dashboard read stored scores: they must roll over right at the local midnight, not up to
// 15 minutes later. The scheduler runs on an injected clock that reaches midnight (Stockholm) 600 ms after start.
describe("scores in browse roll over at the local midnight", () => {
  let t: TestContext;
  let groupId: string;
  beforeAll(async () => {
    t = await createTestContext({ now: new Date("2026-12-09T20:00:00Z"), env: { QUORUM_TIME_ZONE: "Europe/Stockholm" } });
    const setup = await groupSetup(t);
    groupId = setup.group.id;
    const p = await person(t, setup.account.id, "Olga");
    await t.call("POST", `/api/groups/${groupId}/members`, { members: [{ personId: p.id, roleKey: "decision-maker" }] });
    await t.call("POST", "/api/activities", {
      activities: [
        ...activities(p.id, "visit-webpage", 12, new Date("2026-12-09T09:00:00Z")),
        // 10 November in Stockholm: the last day of the 30-day window on 9 December, out of it on the 10th.
        ...activities(p.id, "open-email", 6, new Date("2026-11-10T08:00:00Z")),
      ],
    });
  });
  afterAll(() => t.close());

  const listed = async () => (await t.call("GET", "/api/groups")).body.items.find((g: { id: string }) => g.id === groupId);

  it("drops the activities that left the window as the day changes, and not before", async () => {
    expect((await listed()).engagementRaw).toBeCloseTo((18 * 100) / 240, 10);
    const midnight = Date.parse("2026-12-09T23:00:00.000Z");
    const startedAt = performance.now();
    const clock = () => new Date(midnight - 600 + (performance.now() - startedAt));
    const deps: Deps = { ...t.deps, clock };
    // The periodic tick is an hour away: only the midnight timer can run the roll-over in this test.
    const schedules = startSchedules(deps, [midnightRolloverTask], { owner: "srv_test", tickMs: 3_600_000 });
    try {
      await new Promise((r) => setTimeout(r, 300));
      expect(clock().getTime()).toBeLessThan(midnight);
      expect((await listed()).engagementRaw).toBeCloseTo((18 * 100) / 240, 10);
      let after = await listed();
      for (let i = 0; i < 100 && after.scoresComputedAt < "2026-12-09T23:00:00.000Z"; i++) {
        await new Promise((r) => setTimeout(r, 50));
        after = await listed();
      }
      // Browse shows the new day's window within moments of the local midnight.
      expect(after.scoresComputedAt >= "2026-12-09T23:00:00.000Z").toBe(true);
      expect(Date.parse(after.scoresComputedAt) - midnight).toBeLessThan(2000);
      expect(after.engagementRaw).toBeCloseTo((12 * 100) / 240, 10);
      const dashboard = await t.call("GET", "/api/dashboard");
      expect(dashboard.status).toBe(200);
    } finally {
      await schedules.stop();
    }
    // Once per local day across every process: the day's period is claimed.
    const run = await t.deps.db
      .selectFrom("schedule_runs")
      .selectAll()
      .where("name", "=", "score-rollover-day")
      .executeTakeFirst();
    expect(run).toMatchObject({ period: "2026-12-10", status: "done" });
  });
});
