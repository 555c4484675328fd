import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { account, groupSetup } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

describe("journeys and the accounts in them", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(() => t.close());

  it("creates, renames and deletes journeys; group details show the account's last three", async () => {
    const { group, account: acc } = await groupSetup(t);
    const names = ["Welcome", "Nurture", "Webinar", "Renewal"];
    const ids: string[] = [];
    for (const [i, name] of names.entries()) {
      const j = await t.call("POST", "/api/journeys", { name });
      expect(j.status).toBe(201);
      ids.push(j.body.id);
      const entered = await t.call("POST", `/api/journeys/${j.body.id}/accounts`, {
        accountIds: [acc.id],
        enteredAt: new Date(Date.UTC(2026, 10, 1 + i)).toISOString(),
      });
      expect(entered.body).toEqual({ journeyId: j.body.id, accounts: 1 });
    }
    const details = await t.call("GET", `/api/groups/${group.id}`);
    expect(details.body.account.journeys.map((j: any) => j.name)).toEqual(["Renewal", "Webinar", "Nurture"]);

    const renamed = await t.call("PUT", `/api/journeys/${ids[0]}`, { name: "Onboarding", status: "paused" });
    expect(renamed.body).toMatchObject({ name: "Onboarding", status: "paused" });
    expect((await t.call("GET", `/api/journeys/${ids[0]}/accounts`)).body.items).toMatchObject([
      { accountId: acc.id, status: "active" },
    ]);
    expect((await t.call("DELETE", `/api/journeys/${ids[3]}`)).status).toBe(204);
    const after = await t.call("GET", `/api/groups/${group.id}`);
    expect(after.body.account.journeys.map((j: any) => j.name)).toEqual(["Webinar", "Nurture", "Onboarding"]);
  });

  it("rejects unknown accounts naming them, and sales cannot create journeys", async () => {
    const j = await t.call("POST", "/api/journeys", { name: "J" });
    const known = await account(t);
    const res = await t.call("POST", `/api/journeys/${j.body.id}/accounts`, { accountIds: [known.id, "acc_ghost"] });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues).toEqual([{ field: "accountIds.1", message: "'acc_ghost' is not a known account" }]);
    expect((await t.call("POST", "/api/journeys", { name: "x" }, t.tokens.sales)).status).toBe(403);
    expect((await t.call("GET", "/api/journeys/jny_missing")).status).toBe(404);
  });
});
