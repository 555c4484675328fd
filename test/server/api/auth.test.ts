import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokenKey } from "../../../server/auth/token-secret";
import { createUserWithToken, revokeToken } from "../../../server/auth/tokens.repo";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// Every /api route needs a valid, unrevoked bearer token; /health does not.
let t: TestContext;

beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

const raw = (path: string, headers: Record<string, string> = {}, init: RequestInit = {}) =>
  t.app.request(path, { ...init, headers });

describe("authentication", () => {
  it("/health answers without a token", async () => {
    const res = await raw("/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok" });
  });

  it("a valid token reads /api/me", async () => {
    const res = await t.call("GET", "/api/me", undefined, t.tokens.sales);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ role: "sales" });
  });

  it.each([
    ["no token", {}],
    ["an empty bearer", { authorization: "Bearer " }],
    ["a wrong token", { authorization: "Bearer qrm_thisIsNotARealTokenAtAll123456" }],
    ["another scheme", { authorization: "Basic YWRtaW46YWRtaW4=" }],
  ])("%s → 401 unauthorized", async (_label, headers) => {
    for (const path of ["/api/me", "/api/groups", "/api/accounts"]) {
      const res = await raw(path, headers);
      expect(res.status, path).toBe(401);
      const body = await res.json();
      expect(body.error.code).toBe("unauthorized");
      expect(body.error.message).toMatch(/token/i);
    }
  });

  it("a write without a token is refused and creates nothing", async () => {
    const res = await raw(
      "/api/accounts",
      { "content-type": "application/json" },
      { method: "POST", body: JSON.stringify({ name: "Sneaky" }) },
    );
    expect(res.status).toBe(401);
    const list = await t.call("GET", "/api/accounts?q=Sneaky");
    expect(list.body.total).toBe(0);
  });

  it("a revoked token → 401, for reads and writes", async () => {
    const { token, tokenId } = await createUserWithToken(t.deps.db, {
      name: "Leaver",
      role: "admin",
      tokenName: "laptop",
      now: t.clock.now.toISOString(),
      key: tokenKey(t.deps.config),
    });
    expect((await t.call("GET", "/api/me", undefined, token)).status).toBe(200);
    expect(await revokeToken(t.deps.db, tokenId, t.clock.now.toISOString())).toBe(1);
    const me = await t.call("GET", "/api/me", undefined, token);
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe("unauthorized");
    const write = await t.call("POST", "/api/accounts", { name: "After revoke" }, token);
    expect(write.status).toBe(401);
    expect((await t.call("GET", "/api/accounts?q=After%20revoke")).body.total).toBe(0);
  });

  it("revoking one token leaves the others working", async () => {
    const a = await createUserWithToken(t.deps.db, {
      name: "A",
      role: "sales",
      tokenName: "a",
      now: t.clock.now.toISOString(),
      key: tokenKey(t.deps.config),
    });
    const b = await createUserWithToken(t.deps.db, {
      name: "B",
      role: "sales",
      tokenName: "b",
      now: t.clock.now.toISOString(),
      key: tokenKey(t.deps.config),
    });
    await revokeToken(t.deps.db, a.tokenId, t.clock.now.toISOString());
    expect((await t.call("GET", "/api/me", undefined, a.token)).status).toBe(401);
    expect((await t.call("GET", "/api/me", undefined, b.token)).status).toBe(200);
  });
});
