import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "../../../server/seed/demo";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// The demo data set `npm start` loads: what a newcomer sees must follow the product's own rules.
describe("demo data fidelity", () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext({ now: new Date() });
    await seedDemoData(t.deps);
  }, 120_000);
  afterAll(() => t.close());

  it("stage history: every move follows the stage model, after the group's entry, never from a stage to itself", async () => {
    const rows = await t.deps.db
      .selectFrom("group_stage_history as h")
      .innerJoin("buying_groups as g", "g.id", "h.group_id")
      .select(["h.group_id", "h.from_stage_id", "h.to_stage_id", "h.changed_at", "g.created_at", "g.stage_id"])
      .orderBy("h.group_id")
      .orderBy("h.changed_at")
      .execute();
    const transitions = new Set(
      (await t.deps.db.selectFrom("stage_transitions").select(["from_stage_id", "to_stage_id"]).execute()).map(
        (r) => `${r.from_stage_id}>${r.to_stage_id}`,
      ),
    );
    const byGroup = new Map<string, typeof rows>();
    for (const r of rows) (byGroup.get(r.group_id) ?? byGroup.set(r.group_id, []).get(r.group_id)!).push(r);
    expect(byGroup.size).toBe(Number((await t.call("GET", "/api/groups?limit=1")).body.total));
    let moved = 0;
    for (const history of byGroup.values()) {
      expect(history[0]!.from_stage_id).toBeNull(); // entry
      expect(history[0]!.changed_at).toBe(history[0]!.created_at);
      for (const [i, h] of history.entries()) {
        expect(h.changed_at >= h.created_at).toBe(true);
        if (i === 0) continue;
        moved++;
        expect(h.from_stage_id).not.toBe(h.to_stage_id);
        expect(h.from_stage_id).toBe(history[i - 1]!.to_stage_id);
        expect(h.changed_at > history[i - 1]!.changed_at).toBe(true);
        expect(transitions.has(`${h.from_stage_id}>${h.to_stage_id}`)).toBe(true);
      }
      expect(history.at(-1)!.to_stage_id).toBe(history[0]!.stage_id);
    }
    expect(moved).toBeGreaterThan(10);
  });

  it("intent is there from the start, at all three levels (keyword, product, solution)", async () => {
    const types = await t.deps.db
      .selectFrom("intent_signals")
      .select(["type", (eb) => eb.fn.countAll<number | string>().as("n")])
      .groupBy("type")
      .execute();
    expect(Object.fromEntries(types.map((r) => [r.type, Number(r.n) > 0]))).toEqual({
      keyword: true,
      product: true,
      solution: true,
    });
    const groups = (await t.call("GET", "/api/groups?limit=200")).body.items as Array<{ id: string }>;
    let withSolution = 0;
    for (const g of groups.slice(0, 40)) {
      const d = (await t.call("GET", `/api/groups/${g.id}`)).body;
      if (d.intent.levels.solution) withSolution++;
    }
    expect(withSolution).toBeGreaterThan(0);
    // Deriving again adds nothing: the seed already did it.
    expect((await t.call("POST", "/api/intent/derive")).body).toEqual({ derived: 0 });
  });

  it("open opportunities always have an amount; summaries never say 'worth 0'; journeys shown are current", async () => {
    const accounts = (await t.call("GET", "/api/accounts?limit=200")).body.items as Array<{
      openOpportunities: { count: number; amount: number };
    }>;
    for (const a of accounts) expect(a.openOpportunities.amount > 0).toBe(a.openOpportunities.count > 0);
    const exited = await t.deps.db.selectFrom("account_journeys").select("account_id").where("status", "=", "exited").execute();
    expect(exited.length).toBeGreaterThan(0);
    const groups = (await t.call("GET", "/api/groups?limit=200")).body.items as Array<{ id: string; accountId: string }>;
    for (const g of groups) {
      const d = (await t.call("GET", `/api/groups/${g.id}`)).body;
      expect(d.account.summary).not.toMatch(/worth 0\b/);
      expect(d.account.journeys.every((j: { status: string }) => j.status === "active")).toBe(true);
    }
  });
});
