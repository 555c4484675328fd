import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recomputeStaleGroups } from "../../../server/scores/scores.service";
import { activities, groupSetup, person } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// Engagement falls as activities age out, without anyone touching the group.
describe("daily roll-over of stored scores", () => {
  let t: TestContext;
  let groupId: string;
  beforeAll(async () => {
    t = await createTestContext({ now: new Date("2026-11-23T12:00:00Z") });
    const setup = await groupSetup(t);
    groupId = setup.group.id;
    const p = await person(t, setup.account.id, "Olga");
    await t.call("POST", `/api/groups/${groupId}/members`, { members: [{ personId: p.id, roleKey: "decision-maker" }] });
    await t.call("POST", "/api/activities", {
      activities: [
        ...activities(p.id, "visit-webpage", 12, new Date("2026-11-23T09:00:00Z")),
        ...activities(p.id, "open-email", 6, new Date("2026-11-10T09:00:00Z")),
      ],
    });
  });
  afterAll(() => t.close());

  const listed = async () => (await t.call("GET", "/api/groups")).body.items.find((g: { id: string }) => g.id === groupId);

  it("shows today's scores after ingest", async () => {
    expect((await listed()).engagementRaw).toBeCloseTo((18 * 100) / 240, 10);
  });

  it("brings group details to the new window when opened on a later day", async () => {
    t.clock.now = new Date("2026-12-12T12:00:00Z"); // the 6 emails of Nov 10 are now 32 days old
    const details = await t.call("GET", `/api/groups/${groupId}`);
    expect(details.body.group.engagementRaw).toBeCloseTo((12 * 100) / 240, 10);
    expect(details.body.group.scoresComputedAt).toBe("2026-12-12T12:00:00.000Z");
    expect(details.body.decisionMakers[0].score).toBe(12);
  });

  it("rolls every stale group over in the background sweep", async () => {
    t.clock.now = new Date("2026-12-24T08:00:00Z"); // everything has aged out
    expect((await listed()).engagement).toBe(5); // still yesterday's number in the list
    expect(await recomputeStaleGroups(t.deps)).toBe(1);
    expect((await listed()).engagement).toBe(0);
    expect(await recomputeStaleGroups(t.deps)).toBe(0); // nothing left to do today
  });
});
