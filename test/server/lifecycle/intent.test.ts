import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { intentDecay, intentLevel } from "../../../shared/domain/intent";
import { account, groupSetup, person } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

const DAY = 86_400_000;

describe("intent levels", () => {
  it.each([
    [150, "high"],
    [149.9, "medium"],
    [50, "medium"],
    [49, "low"],
    [0.1, "low"],
    [0, null],
  ])("score %d is %s", (score, level) => {
    expect(intentLevel(score)).toBe(level);
  });

  it("decays linearly over the 30-day window", () => {
    const now = new Date("2026-11-23T12:00:00Z");
    expect(intentDecay(now.toISOString(), now, 30)).toBe(1);
    expect(intentDecay(new Date(now.getTime() - 15 * DAY).toISOString(), now, 30)).toBe(0.5);
    expect(intentDecay(new Date(now.getTime() - 30 * DAY).toISOString(), now, 30)).toBe(0);
  });
});

describe("intent API", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(() => t.close());

  it("ingests idempotently, reports rejects, and levels intent per topic and type at account level with decay", async () => {
    const acc = await account(t);
    const p = await person(t, acc.id, "Ida");
    const at = (daysAgo: number) => new Date(t.clock.now.getTime() - daysAgo * DAY).toISOString();
    const signals = [
      { externalId: "s1", accountId: acc.id, type: "keyword", topic: "Data Warehouse", strength: 100, occurredAt: at(0) },
      { externalId: "s2", personId: p.id, type: "keyword", topic: "data warehouse", strength: 60, occurredAt: at(3) }, // 60 × 27/30 = 54
      { externalId: "s3", accountId: acc.id, type: "product", topic: "Lakehouse", strength: 80, occurredAt: at(15) }, // 40
      { externalId: "s4", accountId: acc.id, type: "solution", topic: "Old", strength: 100, occurredAt: at(31) }, // aged out
      { externalId: "s5", accountId: "acc_missing", type: "keyword", topic: "x", strength: 10, occurredAt: at(0) },
    ];
    const first = await t.call("POST", "/api/intent/signals", { signals });
    expect(first.body).toMatchObject({ accepted: 4, duplicates: 0 });
    expect(first.body.rejected).toEqual([{ index: 4, externalId: "s5", reason: "account 'acc_missing' does not exist" }]);
    const again = await t.call("POST", "/api/intent/signals", { signals: signals.slice(0, 4) });
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 4 });

    const res = await t.call("GET", `/api/intent/accounts/${acc.id}`);
    expect(res.body.levels).toEqual({ keyword: "high", product: "low", solution: null });
    expect(res.body.topics[0]).toMatchObject({ type: "keyword", score: 154, level: "high", signals: 2 });
    expect(res.body.topics[1]).toMatchObject({ type: "product", topic: "Lakehouse", score: 40, level: "low" });
  });

  it("rejects bad signals naming the field", async () => {
    const res = await t.call("POST", "/api/intent/signals", {
      signals: [{ externalId: "x", type: "mood", topic: "", strength: 101, occurredAt: "yesterday" }],
    });
    expect(res.status).toBe(400);
    const fields = res.body.error.details.issues.map((i: any) => i.field);
    expect(fields).toEqual(
      expect.arrayContaining(["signals.0.type", "signals.0.topic", "signals.0.strength", "signals.0.occurredAt"]),
    );
  });

  it("derives signals from activity metadata, shows intent in group details and predicts the solution interest", async () => {
    const { group, account: acc, template } = await groupSetup(t);
    const other = await t.call("POST", "/api/solution-interests", {
      name: "Security",
      roleTemplateId: template.id,
      keywords: ["zero trust"],
    });
    const lake = await t.call(
      "PUT",
      `/api/solution-interests/${(await t.call("GET", `/api/groups/${group.id}`)).body.group.solutionInterestId}`,
      {
        name: "Analytics",
        roleTemplateId: template.id,
        keywords: ["data warehouse"],
        products: ["Lakehouse"],
      },
    );
    const p = await person(t, acc.id, "Max");
    await t.call("POST", `/api/groups/${group.id}/members`, { members: [{ personId: p.id, roleKey: "influencer" }] });
    const now = t.clock.now.toISOString();
    const ingest = await t.call("POST", "/api/activities", {
      activities: [
        {
          externalId: "a1",
          personId: p.id,
          type: "attend-event",
          occurredAt: now,
          metadata: { keywords: ["Data Warehouse"], product: "Lakehouse" },
        },
        { externalId: "a2", personId: p.id, type: "attend-event", occurredAt: now, metadata: { keywords: ["data warehouse"] } },
      ],
    });
    expect(ingest.status).toBe(200);
    const derived = await t.call("POST", "/api/intent/derive");
    // Keyword and product topics, plus the "Analytics" solution both activities point at (its keyword, its product).
    expect(derived.body).toEqual({ derived: 5 });
    expect((await t.call("POST", "/api/intent/derive")).body).toEqual({ derived: 0 });

    const details = await t.call("GET", `/api/groups/${group.id}`);
    expect(details.body.intent.levels).toEqual({ keyword: "high", product: "medium", solution: "high" });
    const groupIntent = await t.call("GET", `/api/groups/${group.id}/intent`);
    expect(groupIntent.body.topics.map((x: any) => [x.type, x.topic])).toEqual([
      ["solution", "Analytics"],
      ["keyword", "Data Warehouse"],
      ["product", "Lakehouse"],
    ]);

    const account = await t.call("GET", `/api/intent/accounts/${acc.id}`);
    expect(account.body.predictedSolutionInterest).toMatchObject({
      solutionInterestId: lake.body.id,
      name: "Analytics",
      confidence: 1,
      matchedTopics: ["Analytics", "Data Warehouse", "Lakehouse"],
    });
    expect(other.status).toBe(201);
  });
});
