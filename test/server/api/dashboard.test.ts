import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { account, liveTemplate, person } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// Browse and dashboard over a known set of groups: every number below is counted by hand.
describe("browse with cursors and account filters; dashboard aggregates and CSV", () => {
  let t: TestContext;
  const siIds: string[] = [];
  beforeAll(async () => {
    t = await createTestContext();
    const template = await liveTemplate(t);
    for (const name of ["Alpha", "Beta"]) {
      siIds.push((await t.call("POST", "/api/solution-interests", { name, roleTemplateId: template.id })).body.id);
    }
    // Six accounts; Alpha groups on all six, Beta on the first two.
    const specs = [
      { industry: "Retail", country: "NL", roles: ["decision-maker", "influencer", "practitioner"] },
      { industry: "Retail", country: "SE", roles: ["decision-maker"] },
      { industry: "Energy", country: "NL", roles: ["influencer", "practitioner"] },
      { industry: "Energy", country: "FR", roles: [] },
      { industry: "Software", country: "NL", roles: ["practitioner"] },
      { industry: "Software", country: "SE", roles: ["decision-maker", "influencer"] },
    ];
    for (const [i, spec] of specs.entries()) {
      const acc = await account(t, { name: `Acct ${i}`, industry: spec.industry, country: spec.country });
      const people = [];
      for (const role of spec.roles) people.push({ personId: (await person(t, acc.id, `P${i}${role}`)).id, roleKey: role });
      for (const [k, si] of siIds.entries()) {
        if (k === 1 && i > 1) continue;
        const g = await t.call("POST", "/api/groups", { accountId: acc.id, solutionInterestId: si });
        if (people.length) await t.call("POST", `/api/groups/${g.body.id}/members`, { members: people });
      }
    }
  });
  afterAll(() => t.close());

  it("pages through every group with cursors, in order, without repeats", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { body: { items: Array<{ id: string; completeness: number }>; nextCursor: string | null } } = await t.call(
        "GET",
        `/api/groups?sort=-completeness&limit=3${cursor ? `&cursor=${cursor}` : ""}`,
      );
      seen.push(...res.body.items.map((g) => g.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
    const all = await t.call("GET", "/api/groups?sort=-completeness&limit=50");
    expect(seen).toEqual(all.body.items.map((g: { id: string }) => g.id));
    const bad = await t.call("GET", "/api/groups?cursor=not-a-cursor");
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues[0].field).toBe("cursor");
  });

  it("filters by account fields", async () => {
    const retailNl = await t.call("GET", "/api/groups?industry=retail&country=nl");
    expect(retailNl.body.total).toBe(2); // account 0: Alpha and Beta
    const energy = await t.call("GET", `/api/groups?industry=Energy&solutionInterestId=${siIds[0]}`);
    expect(energy.body.total).toBe(2);
  });

  it("aggregates completeness bands, engagement, interests, role coverage and contact overlap", async () => {
    const res = await t.call("GET", "/api/dashboard");
    expect(res.status).toBe(200);
    const d = res.body;
    expect(d.groups).toBe(8);
    // completeness: acct0 100 (×2), acct1 33 (×2), acct2 67, acct3 0, acct4 33, acct5 67
    expect(d.completenessBands).toEqual([
      { band: "0–25", groups: 1 },
      { band: "26–50", groups: 3 },
      { band: "51–75", groups: 2 },
      { band: "76–100", groups: 2 },
    ]);
    expect(d.bySolutionInterest.map((s: { name: string; groups: number }) => [s.name, s.groups])).toEqual([
      ["Alpha", 6],
      ["Beta", 2],
    ]);
    const alpha = d.roleCoverage.filter((c: { solutionInterestName: string }) => c.solutionInterestName === "Alpha");
    expect(alpha.map((c: { roleKey: string; filled: number; groups: number }) => [c.roleKey, c.filled, c.groups])).toEqual([
      ["decision-maker", 3, 6],
      ["influencer", 3, 6],
      ["practitioner", 3, 6],
    ]);
    // People in acct0 and acct1 are in both Alpha and Beta groups: 3 + 1 people in two groups.
    expect(d.contactOverlap.inSeveralGroups).toBe(4);
    expect(d.contactOverlap.distribution).toEqual([
      { groups: 1, people: 5 },
      { groups: 2, people: 4 },
    ]);
    expect(d.engagement.buckets[0]).toEqual({ from: 0, to: 0, groups: 8 });
  });

  it("applies the browse filters to the dashboard", async () => {
    const d = (await t.call("GET", `/api/dashboard?solutionInterestId=${siIds[1]}`)).body;
    expect(d.groups).toBe(2);
    expect(d.contactOverlap.distribution).toEqual([{ groups: 1, people: 4 }]);
  });

  it("exports the dashboard as CSV", async () => {
    const res = await t.app.request("/api/dashboard/export.csv?industry=Energy", {
      headers: { authorization: `Bearer ${t.tokens.sales}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const lines = (await res.text()).trim().split("\r\n");
    expect(lines[0]).toBe("section,key,detail,value");
    expect(lines).toContain("total,groups,,2");
    expect(lines).toContain("completeness,0–25,,1");
    expect(lines).toContain("completeness,51–75,,1");
  });
});
