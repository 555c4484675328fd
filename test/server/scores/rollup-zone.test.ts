import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../../../server/config";
import { checkRollupTimeZone, rebuildRollup, rollupTimeZone } from "../../../server/scores/rollup-zone";
import { recomputeAll } from "../../../server/scores/scores.service";
import { dayInTimeZone } from "../../../shared/scoring";
import { activities, groupSetup, person } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// QUORUM_TIME_ZONE changes after activities are stored: the server refuses to mix two zones' days and names the
// command; `recompute` re-buckets the activities, rebuilds the rollup from them (raw = rollup) and the scores.
describe("changing QUORUM_TIME_ZONE after data exists", () => {
  let t: TestContext;
  let groupId: string;
  let stockholm: Config;
  beforeAll(async () => {
    t = await createTestContext({ now: new Date("2026-11-23T12:00:00Z") });
    stockholm = { ...t.deps.config, timeZone: "Europe/Stockholm" };
    await checkRollupTimeZone(t.deps.db, t.deps.config); // what serve does at start
    const setup = await groupSetup(t);
    groupId = setup.group.id;
    const p = await person(t, setup.account.id, "Olga");
    await t.call("POST", `/api/groups/${groupId}/members`, { members: [{ personId: p.id, roleKey: "decision-maker" }] });
    const ingest = await t.call("POST", "/api/activities", {
      activities: [
        // 23:30 UTC on 22 October is already 23 October in Stockholm (UTC+2 in October).
        ...activities(p.id, "visit-webpage", 5, new Date("2026-10-22T22:30:00Z")),
        // 23:30 UTC on 20 November is 21 November in Stockholm (UTC+1).
        ...activities(p.id, "open-email", 4, new Date("2026-11-20T23:30:00Z")),
        ...activities(p.id, "visit-webpage", 3, new Date("2026-11-22T12:00:00Z")),
      ],
    });
    expect(ingest.status).toBeLessThan(300);
  });
  afterAll(() => t.close());

  /** The rollup as stored, and as counted from the raw activities' times in `zone`. */
  async function rollupAndRaw(zone: string) {
    const stored = await t.deps.db.selectFrom("activity_daily").selectAll().execute();
    const raw = await t.deps.db.selectFrom("activities").select(["person_id", "type_id", "occurred_at", "day"]).execute();
    const counted = new Map<string, number>();
    for (const a of raw) {
      const key = `${a.person_id}|${a.type_id}|${dayInTimeZone(new Date(a.occurred_at), zone)}`;
      counted.set(key, (counted.get(key) ?? 0) + 1);
    }
    const rollup = new Map(stored.map((r) => [`${r.person_id}|${r.type_id}|${r.day}`, Number(r.count)]));
    return { rollup, counted, dayMatches: raw.every((a) => a.day === dayInTimeZone(new Date(a.occurred_at), zone)) };
  }

  it("records the zone the days were counted in, and they match the raw activities", async () => {
    expect(await rollupTimeZone(t.deps.db)).toBe("UTC");
    const { rollup, counted, dayMatches } = await rollupAndRaw("UTC");
    expect(dayMatches).toBe(true);
    expect(rollup).toEqual(counted);
  });

  it("refuses to start in another zone, naming the command that rebuilds the days", async () => {
    await expect(checkRollupTimeZone(t.deps.db, stockholm)).rejects.toThrow(
      "QUORUM_TIME_ZONE=Europe/Stockholm npm run quorum -- recompute",
    );
    await expect(checkRollupTimeZone(t.deps.db, stockholm)).rejects.toThrow(/counted per day in UTC/);
    expect(await rollupTimeZone(t.deps.db)).toBe("UTC"); // nothing changed by the refusal
  });

  it("rebuilds every day in the new zone: raw = rollup, scores recomputed, and the server starts again", async () => {
    const report = await rebuildRollup(t.deps.db, stockholm);
    expect(report).toMatchObject({ from: "UTC", to: "Europe/Stockholm", activities: 12, moved: 9 });
    const { rollup, counted, dayMatches } = await rollupAndRaw("Europe/Stockholm");
    expect(dayMatches).toBe(true);
    expect(rollup).toEqual(counted);
    expect([...rollup.keys()].some((k) => k.endsWith("|2026-11-21"))).toBe(true);
    expect([...rollup.keys()].some((k) => k.endsWith("|2026-11-20"))).toBe(false);
    await expect(checkRollupTimeZone(t.deps.db, stockholm)).resolves.toBeUndefined();
    expect(await rollupTimeZone(t.deps.db)).toBe("Europe/Stockholm");

    // Scores in the new zone: the visits of 23 October (Stockholm) fall out of the 30-day window of 21 November …
    const deps = { ...t.deps, config: stockholm };
    const at = new Date("2026-11-21T12:00:00Z");
    await recomputeAll(deps, at);
    const inStockholm = await t.deps.db
      .selectFrom("buying_groups")
      .select("engagement_raw")
      .where("id", "=", groupId)
      .executeTakeFirstOrThrow();
    // … and are the same as a fresh ingest of the same activities in that zone would give.
    const fresh = await createTestContext({
      now: new Date("2026-11-23T12:00:00Z"),
      env: { QUORUM_TIME_ZONE: "Europe/Stockholm" },
    });
    try {
      const setup = await groupSetup(fresh);
      const p = await person(fresh, setup.account.id, "Olga");
      await fresh.call("POST", `/api/groups/${setup.group.id}/members`, {
        members: [{ personId: p.id, roleKey: "decision-maker" }],
      });
      await fresh.call("POST", "/api/activities", {
        activities: [
          ...activities(p.id, "visit-webpage", 5, new Date("2026-10-22T22:30:00Z")),
          ...activities(p.id, "open-email", 4, new Date("2026-11-20T23:30:00Z")),
          ...activities(p.id, "visit-webpage", 3, new Date("2026-11-22T12:00:00Z")),
        ],
      });
      await recomputeAll(fresh.deps, at);
      const expected = await fresh.deps.db
        .selectFrom("buying_groups")
        .select("engagement_raw")
        .where("id", "=", setup.group.id)
        .executeTakeFirstOrThrow();
      expect(Number(inStockholm.engagement_raw)).toBeCloseTo(Number(expected.engagement_raw), 10);
    } finally {
      await fresh.close();
    }
  });
});
