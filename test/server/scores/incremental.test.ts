import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { personScores, recomputeAll } from "../../../server/scores/scores.service";
import { activities, groupSetup, person } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// Ingest moves stored scores incrementally; they must always equal a full recompute.
describe("scores after many ingests equal a fresh recompute", () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext({ now: new Date("2026-11-23T12:00:00Z") });
  });
  afterAll(() => t.close());

  async function snapshot() {
    const groups = await t.deps.db
      .selectFrom("buying_groups")
      .select(["id", "engagement", "engagement_raw", "completeness"])
      .orderBy("id")
      .execute();
    return { groups };
  }

  it("matches across days, caps, several groups per person and a person in two roles' groups", async () => {
    const a = await groupSetup(t);
    const b = await groupSetup(t); // a second template and group on another account
    const people: Array<{ id: string }> = [];
    for (const [i, name] of ["Ann", "Ben", "Cid", "Dee"].entries())
      people.push(await person(t, a.account.id, name, { jobTitle: `T${i}` }));
    const other = await person(t, b.account.id, "Eve");
    await t.call("POST", `/api/groups/${a.group.id}/members`, {
      members: [
        { personId: people[0]!.id, roleKey: "decision-maker" },
        { personId: people[1]!.id, roleKey: "influencer" },
        { personId: people[2]!.id, roleKey: "practitioner" },
      ],
    });
    await t.call("POST", `/api/groups/${b.group.id}/members`, { members: [{ personId: other.id, roleKey: "practitioner" }] });
    const day = (d: number, h = 10) => new Date(Date.UTC(2026, 10, 23 - d, h));
    // Several batches, overlapping the same person-type-days so caps bite across batches.
    const batches = [
      [...activities(people[0]!.id, "visit-webpage", 15, day(0)), ...activities(people[1]!.id, "open-email", 3, day(2))],
      [...activities(people[0]!.id, "visit-webpage", 15, day(0, 11)), ...activities(people[3]!.id, "click-link", 4, day(1))],
      [...activities(people[2]!.id, "attend-event", 2, day(29)), ...activities(people[2]!.id, "attend-event", 5, day(30))],
      [...activities(other.id, "visit-webpage", 25, day(5)), ...activities(people[1]!.id, "open-email", 30, day(2, 15))],
    ];
    for (const batch of batches) expect((await t.call("POST", "/api/activities", { activities: batch })).status).toBe(200);
    // A day later the window has moved: the next ingest must not reuse yesterday's scores blindly.
    t.clock.now = new Date("2026-11-24T09:00:00Z");
    await t.call("POST", "/api/activities", { activities: activities(people[0]!.id, "click-email", 2, t.clock.now) });
    const incremental = await snapshot();
    await recomputeAll(t.deps, t.clock.now);
    const fresh = await snapshot();
    expect(incremental.groups.map((g) => ({ ...g, engagement_raw: Math.round(g.engagement_raw * 1e9) }))).toEqual(
      fresh.groups.map((g) => ({ ...g, engagement_raw: Math.round(g.engagement_raw * 1e9) })),
    );
    const scores = await personScores(t.deps.db, t.deps, [people[0]!.id], t.clock.now);
    expect(scores.get(people[0]!.id)).toBe(20 + 2); // 30 visits yesterday capped at 20, plus today's clicks
  });
});
