import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { account, groupSetup, liveTemplate, person } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

describe("seed fidelity in the API", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(() => t.close());

  it("group details list only the journeys the account is currently in (last three)", async () => {
    const { group, account: acc } = await groupSetup(t);
    const enter = async (name: string, day: number, status = "active", journeyStatus = "active") => {
      const j = await t.call("POST", "/api/journeys", { name, status: journeyStatus });
      await t.call("POST", `/api/journeys/${j.body.id}/accounts`, {
        accountIds: [acc.id],
        status,
        enteredAt: new Date(Date.UTC(2026, 10, day)).toISOString(),
      });
    };
    await enter("Old nurture", 1);
    await enter("Paused webinar", 2, "active", "paused");
    await enter("Welcome", 3);
    await enter("Exited renewal", 4, "exited");
    await enter("Completed onboarding", 5, "completed");
    await enter("Finished campaign", 6, "active", "completed");
    await enter("Draft idea", 7, "active", "draft");
    const d = (await t.call("GET", `/api/groups/${group.id}`)).body;
    expect(d.account.journeys.map((j: any) => j.name)).toEqual(["Welcome", "Paused webinar", "Old nurture"]);
    expect(d.account.summary).not.toContain("Exited renewal");
  });

  it("GET /api/journeys answers in camelCase like every other list", async () => {
    await t.call("POST", "/api/journeys", { name: "Nurture" });
    const items = (await t.call("GET", "/api/journeys")).body.items;
    expect(items).toEqual([{ id: expect.any(String), name: "Nurture", status: "active", createdAt: t.clock.now.toISOString() }]);
    expect(JSON.stringify(items)).not.toContain("created_at");
  });

  it("a member in five other groups: the summary says five, the list shows the latest three", async () => {
    const template = await liveTemplate(t);
    const acc = await account(t);
    const p = await person(t, acc.id, "Polly");
    const groupIds: string[] = [];
    for (let i = 0; i < 6; i++) {
      const si = await t.call("POST", "/api/solution-interests", { name: `Interest ${i}`, roleTemplateId: template.id });
      const g = await t.call("POST", "/api/groups", { accountId: acc.id, solutionInterestId: si.body.id });
      t.clock.now = new Date(t.clock.now.getTime() + 60_000);
      await t.call("POST", `/api/groups/${g.body.id}/members`, { members: [{ personId: p.id, roleKey: "influencer" }] });
      groupIds.push(g.body.id);
    }
    const details = (await t.call("GET", `/api/groups/${groupIds[0]}/members/${p.id}`)).body;
    expect(details.otherGroupCount).toBe(5);
    expect(details.otherGroups.map((g: any) => g.id)).toEqual([groupIds[5], groupIds[4], groupIds[3]]);
    expect(details.summary).toContain("Also in 5 other buying groups.");
  });

  it("GET /api/solution-interests?q= searches name, description, keywords and products", async () => {
    const template = await liveTemplate(t);
    const make = (body: Record<string, unknown>) =>
      t.call("POST", "/api/solution-interests", { roleTemplateId: template.id, ...body });
    await make({ name: "Cloud Security Suite", keywords: ["zero trust"] });
    await make({ name: "Data Platform", description: "Warehouse and pipelines", products: ["Lakehouse"] });
    await make({ name: "Collaboration Cloud", keywords: ["hybrid work"] });
    const names = async (q: string) =>
      (await t.call("GET", `/api/solution-interests?q=${encodeURIComponent(q)}`)).body.items.map((s: any) => s.name);
    expect(await names("cloud")).toEqual(["Cloud Security Suite", "Collaboration Cloud"]);
    expect(await names("ZERO TRUST")).toEqual(["Cloud Security Suite"]);
    expect(await names("lakehouse")).toEqual(["Data Platform"]);
    expect(await names("wárehouse")).toEqual(["Data Platform"]);
    expect(await names("nothing like it")).toEqual([]);
    expect(await names("")).toHaveLength(3);
    const tooLong = await t.call("GET", `/api/solution-interests?q=${"x".repeat(201)}`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.details.issues.map((i: any) => i.field)).toEqual(["q"]);
    const twice = await t.call("GET", "/api/solution-interests?q=cloud&q=data");
    expect(twice.status).toBe(400);
    expect(twice.body.error.details.issues.map((i: any) => i.field)).toEqual(["q"]);
  });

  it("open opportunities without a known amount are never 'worth 0'", async () => {
    const template = await liveTemplate(t);
    const si = await t.call("POST", "/api/solution-interests", { name: "Opps", roleTemplateId: template.id });
    const summary = async (fields: Record<string, unknown>) => {
      const acc = await account(t, fields);
      const g = await t.call("POST", "/api/groups", { accountId: acc.id, solutionInterestId: si.body.id });
      return (await t.call("GET", `/api/groups/${g.body.id}`)).body.account.summary as string;
    };
    expect(await summary({ openOpportunitiesCount: 2 })).toContain("2 open opportunities (amount not known).");
    expect(await summary({ openOpportunitiesCount: 2, openOpportunitiesAmount: 120_000 })).toContain(
      "2 open opportunities worth 120K.",
    );
    expect(await summary({})).toContain("No open opportunities.");
  });
});
