import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiClient } from "../../../extension/api/client";
import { groupSetup, person } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

describe("typed API client (hono/client) against the real app", () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(() => t.close());

  it("reads a group and assigns a member with typed params and bodies", async () => {
    const setup = await groupSetup(t);
    const p = await person(t, setup.account.id, "Ada", { jobTitle: "CIO" });
    const client = createApiClient("http://quorum.test", t.tokens.sales, async (input, init) =>
      t.app.request(input as string, init),
    );
    const me = await client.api.me.$get();
    expect(me.status).toBe(200);
    expect((await me.json()).role).toBe("sales");
    const assigned = await client.api.groups[":id"].members.$post({
      param: { id: setup.group.id },
      json: { members: [{ personId: p.id, roleKey: "decision-maker" }] },
    });
    expect(assigned.status).toBe(200);
    const details = await client.api.groups[":id"].$get({ param: { id: setup.group.id }, query: {} });
    if (details.status !== 200) throw new Error(`unexpected ${details.status}`);
    const body = await details.json();
    expect(body.decisionMakers.map((m) => m.name)).toEqual(["Ada Tester"]);
    expect(body.group.completeness).toBe(33);
  });
});
