import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { account, liveTemplate, person } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// "View details" on a member card (seeds: buying group details → members).
describe("member details", () => {
  let t: TestContext;
  let personId: string;
  const groups: string[] = [];
  beforeAll(async () => {
    t = await createTestContext({ now: new Date("2026-11-23T12:00:00Z") });
    const template = await liveTemplate(t);
    const acc = await account(t, { name: "Globex" });
    const p = await person(t, acc.id, "Hank", { lastName: "Scorpio", jobTitle: "CEO", phone: "+1 555 0100" });
    personId = p.id;
    // Five groups on five solution interests; the person joins them one day apart.
    for (let i = 0; i < 5; i++) {
      const si = await t.call("POST", "/api/solution-interests", { name: `Offer ${i}`, roleTemplateId: template.id });
      const g = await t.call("POST", "/api/groups", { accountId: acc.id, solutionInterestId: si.body.id });
      groups.push(g.body.id);
      t.clock.now = new Date(Date.UTC(2026, 10, 18 + i, 12));
      await t.call("POST", `/api/groups/${g.body.id}/members`, { members: [{ personId: p.id, roleKey: "decision-maker" }] });
    }
    t.clock.now = new Date("2026-11-23T12:00:00Z");
    await t.call("POST", "/api/activities", {
      activities: [
        {
          externalId: "m1",
          personId: p.id,
          type: "Interesting Moment",
          occurredAt: "2026-11-20T09:00:00Z",
          metadata: { description: "Asked for pricing" },
        },
        {
          externalId: "m2",
          personId: p.id,
          type: "visit-webpage",
          occurredAt: "2026-11-22T09:00:00Z",
          metadata: { url: "https://example.com/pricing" },
        },
        { externalId: "m3", personId: p.id, type: "open-email", occurredAt: "2026-11-23T08:00:00Z" },
      ],
    });
  });
  afterAll(() => t.close());

  it("shows contact data, the last interesting moment, the two most recent activities and a summary", async () => {
    const res = await t.call("GET", `/api/groups/${groups[0]}/members/${personId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: "Hank Scorpio",
      jobTitle: "CEO",
      phone: "+1 555 0100",
      roleName: "Decision maker",
      score: 3,
    });
    expect(res.body.email).toMatch(/^hank\./);
    expect(res.body.lastInterestingMoment).toMatchObject({
      externalId: "m1",
      typeName: "Interesting Moment",
      metadata: { description: "Asked for pricing" },
    });
    expect(res.body.recentActivities.map((a: { externalId: string }) => a.externalId)).toEqual(["m3", "m2"]);
    expect(res.body.summary).toContain("lead engagement score of 3");
    expect(res.body.personScore.types).toHaveLength(3);
  });

  it("lists up to three other groups, most recently added first", async () => {
    const res = await t.call("GET", `/api/groups/${groups[0]}/members/${personId}`);
    expect(res.body.otherGroups.map((g: { id: string }) => g.id)).toEqual([groups[4], groups[3], groups[2]]);
  });

  it("answers 404 for someone who is not a member", async () => {
    const stranger = await person(t, (await account(t)).id, "Stranger");
    const res = await t.call("GET", `/api/groups/${groups[0]}/members/${stranger.id}`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("not_found");
  });
});
