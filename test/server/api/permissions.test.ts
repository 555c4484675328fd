import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// Role templates are configuration: admins and marketers may create and edit them, sales may not.
let t: TestContext;
let draftId: string;
let liveId: string;

const TEMPLATE = {
  name: "Enterprise deal",
  roles: [
    { key: "decision-maker", name: "Decision maker", weighting: "vital", decisionMaker: true },
    { key: "influencer", name: "Influencer", weighting: "important" },
  ],
};
const EDITED = { ...TEMPLATE, name: "Edited by sales", roles: [{ key: "only", name: "Only role", weighting: "trivial" }] };

beforeAll(async () => {
  t = await createTestContext();
  draftId = (await t.call("POST", "/api/role-templates", TEMPLATE)).body.id;
  const live = await t.call("POST", "/api/role-templates", { ...TEMPLATE, name: "Live deal" });
  liveId = live.body.id;
  expect((await t.call("POST", `/api/role-templates/${liveId}/publish`)).status).toBe(200);
});
afterAll(() => t.close());

const templates = async () => (await t.call("GET", "/api/role-templates")).body.items as Array<Record<string, unknown>>;

interface ErrorResponse {
  status: number;
  body: { error: { code: string; message: string; details: { issues: Array<{ field: string; message: string }> } | null } };
}

function expectForbidden(res: ErrorResponse) {
  expect(res.status).toBe(403);
  expect(res.body.error.code).toBe("forbidden");
  expect(res.body.error.message).toMatch(/sales/);
}

describe("sales may not change role templates", () => {
  it("creating a template → 403 and no template is created", async () => {
    const before = await templates();
    expectForbidden(await t.call("POST", "/api/role-templates", { ...TEMPLATE, name: "Sales made this" }, t.tokens.sales));
    const after = await templates();
    expect(after).toEqual(before);
    expect(after.some((x) => x.name === "Sales made this")).toBe(false);
  });

  it.each([
    ["a draft", () => draftId],
    ["a live template", () => liveId],
  ])("editing %s → 403 and the template is unchanged (no new draft either)", async (_label, id) => {
    const before = await templates();
    const one = (await t.call("GET", `/api/role-templates/${id()}`)).body;
    expectForbidden(await t.call("PUT", `/api/role-templates/${id()}`, EDITED, t.tokens.sales));
    expect((await t.call("GET", `/api/role-templates/${id()}`)).body).toEqual(one);
    expect(await templates()).toEqual(before);
  });

  it("publishing or deleting a draft → 403 and it stays a draft", async () => {
    expectForbidden(await t.call("POST", `/api/role-templates/${draftId}/publish`, undefined, t.tokens.sales));
    expectForbidden(await t.call("DELETE", `/api/role-templates/${draftId}`, undefined, t.tokens.sales));
    const res = await t.call("GET", `/api/role-templates/${draftId}`, undefined, t.tokens.sales);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "draft", name: "Enterprise deal" });
  });

  it("sales may still read templates", async () => {
    const res = await t.call("GET", "/api/role-templates", undefined, t.tokens.sales);
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThanOrEqual(2);
  });
});

describe("marketers may change role templates", () => {
  it("a marketer creates, edits and publishes a template", async () => {
    const created = await t.call("POST", "/api/role-templates", { ...TEMPLATE, name: "Marketer deal" }, t.tokens.marketer);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "Marketer deal", status: "draft" });
    const edited = await t.call(
      "PUT",
      `/api/role-templates/${created.body.id}`,
      { ...TEMPLATE, name: "Marketer deal v2" },
      t.tokens.marketer,
    );
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ id: created.body.id, name: "Marketer deal v2" });
    const published = await t.call("POST", `/api/role-templates/${created.body.id}/publish`, undefined, t.tokens.marketer);
    expect(published.status).toBe(200);
    expect(published.body.status).toBe("live");
  });

  it("a marketer editing a live template gets a new draft version; the live one is unchanged", async () => {
    const before = (await t.call("GET", `/api/role-templates/${liveId}`)).body;
    const edited = await t.call("PUT", `/api/role-templates/${liveId}`, { ...TEMPLATE, name: "Live deal v2" }, t.tokens.marketer);
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      status: "draft",
      name: "Live deal v2",
      version: before.version + 1,
      familyId: before.familyId,
    });
    expect((await t.call("GET", `/api/role-templates/${liveId}`)).body).toEqual(before);
  });
});
