import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activities, groupSetup, person } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// Completeness and engagement are recomputed on every membership change and on every ingest.
const NOW = new Date("2026-11-23T12:00:00.000Z");
const FOUR_ROLES = [
  { key: "decision-maker", name: "Decision maker", weighting: "vital", decisionMaker: true },
  { key: "influencer", name: "Influencer", weighting: "important" },
  { key: "practitioner", name: "Practitioner", weighting: "normal" },
  { key: "champion", name: "Champion", weighting: "minor" },
];

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ now: NOW });
});
afterAll(() => t.close());

async function shown(groupId: string) {
  const details = await t.call("GET", `/api/groups/${groupId}`);
  const scores = await t.call("GET", `/api/groups/${groupId}/scores`);
  const list = await t.call("GET", `/api/groups?accountId=${details.body.group.accountId}`);
  const listed = list.body.items.find((g: { id: string }) => g.id === groupId);
  return {
    completeness: details.body.group.completeness as number,
    engagement: details.body.group.engagement as number,
    engagementRaw: details.body.group.engagementRaw as number,
    explainedCompleteness: scores.body.completeness.score as number,
    explainedEngagement: scores.body.engagement.score as number,
    listedCompleteness: listed.completeness as number,
    listedEngagement: listed.engagement as number,
  };
}

describe("completeness follows membership changes", () => {
  it("3 of 4 roles → 75; removing one → 50; a role change that empties a role → 25; re-adding → 50", async () => {
    const setup = await groupSetup(t, FOUR_ROLES);
    const groupId = setup.group.id;
    const [a, b, c] = [
      await person(t, setup.account.id, "Ann"),
      await person(t, setup.account.id, "Ben"),
      await person(t, setup.account.id, "Cy"),
    ];
    expect((await shown(groupId)).completeness).toBe(0);

    const assign = await t.call("POST", `/api/groups/${groupId}/members`, {
      members: [
        { personId: a.id, roleKey: "decision-maker" },
        { personId: b.id, roleKey: "influencer" },
        { personId: c.id, roleKey: "practitioner" },
      ],
    });
    expect(assign.status).toBe(200);
    expect(assign.body.completeness).toBe(75);
    expect(await shown(groupId)).toMatchObject({ completeness: 75, explainedCompleteness: 75, listedCompleteness: 75 });

    const remove = await t.call("POST", `/api/groups/${groupId}/members/remove`, { personIds: [c.id] });
    expect(remove.body.completeness).toBe(50);
    expect(await shown(groupId)).toMatchObject({ completeness: 50, explainedCompleteness: 50, listedCompleteness: 50 });

    const change = await t.call("PATCH", `/api/groups/${groupId}/members`, {
      changes: [{ personId: b.id, roleKey: "decision-maker" }],
    });
    expect(change.body.completeness).toBe(25);
    expect(await shown(groupId)).toMatchObject({ completeness: 25, explainedCompleteness: 25, listedCompleteness: 25 });

    const readd = await t.call("POST", `/api/groups/${groupId}/members`, { members: [{ personId: c.id, roleKey: "champion" }] });
    expect(readd.body.completeness).toBe(50);
    expect(await shown(groupId)).toMatchObject({ completeness: 50, explainedCompleteness: 50, listedCompleteness: 50 });
  });

  it("a role requiring 3 members is filled a third at a time", async () => {
    const setup = await groupSetup(t, [{ key: "buyer", name: "Buyer", weighting: "vital", membersRequired: 3 }]);
    const groupId = setup.group.id;
    const people = [];
    for (const name of ["P1", "P2", "P3", "P4"]) people.push(await person(t, setup.account.id, name));
    const expected = [33, 67, 100, 100];
    for (const [i, p] of people.entries()) {
      const res = await t.call("POST", `/api/groups/${groupId}/members`, { members: [{ personId: p.id, roleKey: "buyer" }] });
      expect(res.body.completeness).toBe(expected[i]);
      expect((await shown(groupId)).completeness).toBe(expected[i]);
    }
  });

  it("the group list filter sees the recomputed completeness", async () => {
    const setup = await groupSetup(t, FOUR_ROLES);
    const p = await person(t, setup.account.id, "Solo");
    await t.call("POST", `/api/groups/${setup.group.id}/members`, { members: [{ personId: p.id, roleKey: "champion" }] });
    const low = await t.call("GET", `/api/groups?accountId=${setup.account.id}&completenessMax=25&missingRole=decision-maker`);
    expect(low.body.items.map((g: { id: string }) => g.id)).toEqual([setup.group.id]);
  });
});

describe("completeness follows template changes", () => {
  it("publishing a new template version with an extra role lowers completeness at once", async () => {
    const setup = await groupSetup(t, FOUR_ROLES.slice(0, 2));
    const a = await person(t, setup.account.id, "Tia");
    await t.call("POST", `/api/groups/${setup.group.id}/members`, { members: [{ personId: a.id, roleKey: "decision-maker" }] });
    expect((await shown(setup.group.id)).completeness).toBe(50);
    const draft = await t.call("PUT", `/api/role-templates/${setup.template.id}`, { name: "Test template", roles: FOUR_ROLES });
    expect(draft.status).toBe(200);
    expect((await shown(setup.group.id)).completeness).toBe(50); // a draft changes nothing yet
    expect((await t.call("POST", `/api/role-templates/${draft.body.id}/publish`)).status).toBe(200);
    expect(await shown(setup.group.id)).toMatchObject({ completeness: 25, explainedCompleteness: 25, listedCompleteness: 25 });
  });
});

describe("engagement follows ingested activities", () => {
  it("changes right after POST /api/activities for a member", async () => {
    const setup = await groupSetup(t);
    const groupId = setup.group.id;
    const dm = await person(t, setup.account.id, "Dee");
    const outsider = await person(t, setup.account.id, "Out");
    await t.call("POST", `/api/groups/${groupId}/members`, { members: [{ personId: dm.id, roleKey: "decision-maker" }] });
    expect(await shown(groupId)).toMatchObject({ engagement: 0, engagementRaw: 0 });

    // 12 visits by the decision maker: 12 × 100/240 = 5.
    const first = await t.call("POST", "/api/activities", {
      activities: activities(dm.id, "visit-webpage", 12, new Date("2026-11-23T11:00:00Z")),
    });
    expect(first.body).toMatchObject({ accepted: 12, groupsRecomputed: 1 });
    expect(await shown(groupId)).toMatchObject({ engagement: 5, explainedEngagement: 5, listedEngagement: 5 });
    expect((await shown(groupId)).engagementRaw).toBeCloseTo(5, 10);

    // 30 more today: the cap holds the day at 20 → 20 × 100/240 = 8.33 → 8.
    await t.call("POST", "/api/activities", {
      activities: activities(dm.id, "visit-webpage", 30, new Date("2026-11-23T10:00:00Z")),
    });
    const capped = await shown(groupId);
    expect(capped).toMatchObject({ engagement: 8, explainedEngagement: 8 });
    expect(capped.engagementRaw).toBeCloseTo(200 / 24, 10);

    // 4 yesterday: 24 × 100/240 = 10.
    await t.call("POST", "/api/activities", {
      activities: activities(dm.id, "click-email", 4, new Date("2026-11-22T10:00:00Z")),
    });
    expect(await shown(groupId)).toMatchObject({ engagement: 10, engagementRaw: 10 });
    const member = (await t.call("GET", `/api/groups/${groupId}/members`)).body.items[0];
    expect(member).toMatchObject({ personId: dm.id, score: 24 });

    // A non-member's activity and an activity older than the window change nothing.
    await t.call("POST", "/api/activities", {
      activities: activities(outsider.id, "visit-webpage", 10, new Date("2026-11-23T09:00:00Z")),
    });
    await t.call("POST", "/api/activities", {
      activities: activities(dm.id, "visit-webpage", 10, new Date("2026-10-20T09:00:00Z")),
    });
    expect(await shown(groupId)).toMatchObject({ engagement: 10, engagementRaw: 10 });
  });

  it("a member added after their activities were ingested brings their score into the group at once", async () => {
    const setup = await groupSetup(t);
    const p = await person(t, setup.account.id, "Late");
    await t.call("POST", "/api/activities", {
      activities: activities(p.id, "attend-event", 6, new Date("2026-11-21T09:00:00Z")),
    });
    expect((await shown(setup.group.id)).engagement).toBe(0);
    await t.call("POST", `/api/groups/${setup.group.id}/members`, { members: [{ personId: p.id, roleKey: "influencer" }] });
    // 6 × 80/240 = 2.
    expect(await shown(setup.group.id)).toMatchObject({ engagement: 2, engagementRaw: 2 });
    await t.call("POST", `/api/groups/${setup.group.id}/members/remove`, { personIds: [p.id] });
    expect(await shown(setup.group.id)).toMatchObject({ engagement: 0, engagementRaw: 0 });
  });

  it("scores fall as activities age out of the window (on recompute)", async () => {
    const setup = await groupSetup(t);
    const p = await person(t, setup.account.id, "Aging");
    await t.call("POST", `/api/groups/${setup.group.id}/members`, { members: [{ personId: p.id, roleKey: "decision-maker" }] });
    await t.call("POST", "/api/activities", {
      activities: activities(p.id, "visit-webpage", 12, new Date("2026-10-26T09:00:00Z")),
    });
    expect((await shown(setup.group.id)).engagement).toBe(5);
    // 2026-10-26 is today-29 on 2026-11-24 and today-30 on 2026-11-25.
    t.clock.now = new Date("2026-11-24T12:00:00Z");
    expect((await t.call("POST", `/api/groups/${setup.group.id}/scores/recompute`)).body.engagement.score).toBe(5);
    t.clock.now = new Date("2026-11-25T00:00:01Z");
    expect((await t.call("POST", `/api/groups/${setup.group.id}/scores/recompute`)).body.engagement.score).toBe(0);
    expect(await shown(setup.group.id)).toMatchObject({ engagement: 0, engagementRaw: 0 });
    t.clock.now = NOW;
  });
});

describe("the organisation's time zone", () => {
  it.each([
    ["UTC", 0],
    ["Europe/Amsterdam", 1],
  ])("in %s, an activity at 2026-10-24T22:30Z counts %i (now 2026-11-23T12:00Z)", async (timeZone, expected) => {
    const ctx = await createTestContext({ now: NOW, env: { QUORUM_TIME_ZONE: timeZone } });
    try {
      const setup = await groupSetup(ctx, [{ key: "dm", name: "DM", weighting: "vital" }]);
      const p = await person(ctx, setup.account.id, "Zone");
      await ctx.call("POST", `/api/groups/${setup.group.id}/members`, { members: [{ personId: p.id, roleKey: "dm" }] });
      const res = await ctx.call("POST", "/api/activities", {
        activities: [{ externalId: `tz-${timeZone}`, personId: p.id, type: "visit-webpage", occurredAt: "2026-10-24T22:30:00Z" }],
      });
      expect(res.body).toMatchObject({ accepted: 1, rejected: [] });
      expect((await ctx.call("GET", `/api/people/${p.id}`)).body.score).toBe(expected);
      expect((await ctx.call("GET", `/api/groups/${setup.group.id}`)).body.group.engagement).toBe(expected);
    } finally {
      await ctx.close();
    }
  });
});
