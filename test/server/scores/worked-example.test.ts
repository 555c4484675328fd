import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activities, groupSetup, person } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// The seeds' worked example, end to end through the HTTP API from timestamped activity rows.
const NOW = new Date("2026-11-23T15:00:00.000Z");
const TODAY = new Date("2026-11-23T10:00:00.000Z");
const YESTERDAY = new Date("2026-11-22T16:00:00.000Z");

const EXAMPLE = [
  {
    name: "Adam",
    role: "decision-maker",
    rows: [
      ["visit-webpage", 37, 15],
      ["click-email", 1, 1],
    ],
  },
  {
    name: "Mark",
    role: "decision-maker",
    rows: [
      ["visit-webpage", 5, 3],
      ["click-email", 1, 1],
      ["downloaded-publication", 3, 2],
    ],
  },
  { name: "John", role: "influencer", rows: [["visit-webpage", 19, 9]] },
  { name: "Bob", role: "practitioner", rows: [["click-email", 1, 1]] },
  { name: "Paul", role: "practitioner", rows: [["click-email", 1, 1]] },
  {
    name: "Calvin",
    role: "practitioner",
    rows: [
      ["click-email", 1, 1],
      ["visit-webpage", 1, 7],
      ["downloaded-publication", 1, 2],
    ],
  },
] as const;

describe("the seeds' worked example through the API", () => {
  let t: TestContext;
  let groupId: string;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    t = await createTestContext({ now: NOW });
    // "Downloaded publication" is not in the catalogue: the example needs a custom type.
    const custom = await t.call("POST", "/api/activity-types", {
      name: "Downloaded Publication",
      engagementType: "Content",
      weight: 40,
    });
    expect(custom.status).toBe(201);
    const setup = await groupSetup(t);
    groupId = setup.group.id;
    for (const m of EXAMPLE) ids.set(m.name, (await person(t, setup.account.id, m.name)).id);
    const assign = await t.call("POST", `/api/groups/${groupId}/members`, {
      members: EXAMPLE.map((m) => ({ personId: ids.get(m.name), roleKey: m.role })),
    });
    expect(assign.status).toBe(200);
    const rows = EXAMPLE.flatMap((m) =>
      m.rows.flatMap(([type, yesterday, today]) => [
        ...activities(ids.get(m.name)!, type, yesterday, YESTERDAY, `${m.name}-y`),
        ...activities(ids.get(m.name)!, type, today, TODAY, `${m.name}-t`),
      ]),
    );
    const ingest = await t.call("POST", "/api/activities", { activities: rows });
    expect(ingest.status).toBe(200);
    expect(ingest.body).toMatchObject({ accepted: rows.length, duplicate: 0, rejected: [] });
  });
  afterAll(() => t.close());

  it("gives each member the example's total: 37 yesterday + 15 today of one type counts 20 + 15", async () => {
    const members = await t.call("GET", `/api/groups/${groupId}/members`);
    const scores = Object.fromEntries(
      members.body.items.map((m: { name: string; score: number }) => [m.name.split(" ")[0], m.score]),
    );
    expect(scores).toEqual({ Adam: 37, Mark: 15, John: 28, Bob: 2, Paul: 2, Calvin: 13 });
  });

  it("gives role totals 52 / 28 / 17 and group engagement 35.25 raw, 35 shown", async () => {
    const res = await t.call("GET", `/api/groups/${groupId}/scores`);
    expect(res.status).toBe(200);
    const roles = Object.fromEntries(res.body.engagement.roles.map((r: { key: string; total: number }) => [r.key, r.total]));
    expect(roles).toEqual({ "decision-maker": 52, influencer: 28, practitioner: 17 });
    expect(res.body.engagement.totalWeight).toBe(240);
    expect(res.body.engagement.raw).toBeCloseTo(35.25, 10);
    expect(res.body.engagement.score).toBe(35);
    const details = await t.call("GET", `/api/groups/${groupId}`);
    expect(details.body.group.engagement).toBe(35);
    expect(details.body.group.engagementRaw).toBeCloseTo(35.25, 10);
  });

  it("explains Adam's cap: 52 visits before the cap, 35 after, capped yesterday", async () => {
    const res = await t.call("GET", `/api/groups/${groupId}/scores`);
    const adam = res.body.engagement.members.find((m: { personId: string }) => m.personId === ids.get("Adam"));
    const visits = adam.types.find((x: { typeId: string }) => x.typeId === "visit-webpage");
    expect(visits).toMatchObject({ countBeforeCap: 52, countAfterCap: 35, cappedDays: ["2026-11-22"] });
  });

  it("shows the decision makers row and the top engaged row by person score", async () => {
    const res = await t.call("GET", `/api/groups/${groupId}`);
    expect(res.body.decisionMakers.map((m: { name: string }) => m.name.split(" ")[0])).toEqual(["Adam", "Mark"]);
    const top = res.body.topEngaged.map((m: { name: string }) => m.name.split(" ")[0]);
    expect(top.slice(0, 2)).toEqual(["John", "Calvin"]);
    expect([...top.slice(2)].sort()).toEqual(["Bob", "Paul"]); // tied at 2
    expect(res.body.roles.map((r: { key: string; assigned: number }) => [r.key, r.assigned])).toEqual([
      ["decision-maker", 2],
      ["influencer", 1],
      ["practitioner", 3],
    ]);
  });
});
