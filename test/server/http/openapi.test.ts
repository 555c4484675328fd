import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../helpers/test-app";

describe("API documentation", () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(() => t.close());

  it("documents exactly the routes the app serves", async () => {
    const served = new Set(
      t.app.routes
        .filter((r) => r.method !== "ALL" && r.path.startsWith("/api/") && !["/api/openapi.json", "/api/docs"].includes(r.path))
        .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, "{$1}")}`),
    );
    const res = await t.app.request("/api/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
    const documented = new Set(
      Object.entries(doc.paths)
        .filter(([path]) => path.startsWith("/api/"))
        .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`)),
    );
    expect([...served].sort()).toEqual([...documented].sort());
  });

  it("describes request bodies from the same schemas that validate them", async () => {
    const doc = (await (await t.app.request("/api/openapi.json")).json()) as any;
    const assign = doc.paths["/api/groups/{id}/members"].post.requestBody.content["application/json"].schema;
    expect(assign.properties.members.maxItems).toBe(50);
    expect(assign.properties.members.items.required).toEqual(["personId", "roleKey"]);
  });

  it("serves a readable docs page without a token", async () => {
    const res = await t.app.request("/api/docs");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("/api/groups/{id}/members/remove");
    expect(html).toContain("Authorization: Bearer");
  });
});
