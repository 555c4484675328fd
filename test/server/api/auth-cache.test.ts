import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../../server/app";
import { TOKEN_CACHE_MS } from "../../../server/auth/auth.middleware";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// The auth middleware keeps a valid token's user for TOKEN_CACHE_MS. A revocation or role change
// through this instance applies to the very next request; one made elsewhere (another instance, the
// command line, straight in the database) applies within TOKEN_CACHE_MS.
describe("token lookups kept for a moment", () => {
  let t: TestContext;
  const me = (token: string, app = t.app) => app.request("/api/me", { headers: { authorization: `Bearer ${token}` } });
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await t.close();
  });

  it("a token revoked through this instance's API is refused on the next request", async () => {
    expect((await me(t.tokens.marketer)).status).toBe(200); // now cached
    const users = (await t.call("GET", "/api/users")).body.items as Array<{ id: string; name: string }>;
    const marketer = users.find((u) => u.name === "marketer tester")!;
    const [token] = (await t.call("GET", `/api/users/${marketer.id}/tokens`)).body.items;
    expect((await t.call("POST", `/api/users/${marketer.id}/tokens/${token.id}/revoke`)).status).toBe(200);
    expect((await me(t.tokens.marketer)).status).toBe(401);
  });

  it("a revocation made elsewhere applies within TOKEN_CACHE_MS", async () => {
    let now = 1_000_000;
    vi.spyOn(Date, "now").mockImplementation(() => now);
    const other = createApp(t.deps); // another instance on the same database
    expect((await me(t.tokens.sales)).status).toBe(200);
    expect((await me(t.tokens.sales, other)).status).toBe(200);
    const { prefix } = await t.deps.db
      .selectFrom("api_tokens")
      .select("prefix")
      .where("name", "=", "sales")
      .executeTakeFirstOrThrow();
    // `token revoke` in another process: this one's revokeToken is not called.
    await t.deps.db
      .updateTable("api_tokens")
      .set({ revoked_at: new Date().toISOString() })
      .where("prefix", "=", prefix)
      .execute();
    now += TOKEN_CACHE_MS - 1;
    expect((await me(t.tokens.sales)).status).toBe(200); // still within the moment
    now += 2;
    expect((await me(t.tokens.sales)).status).toBe(401);
    expect((await me(t.tokens.sales, other)).status).toBe(401);
  });

  it("a role changed in the database applies within TOKEN_CACHE_MS; a write through the API applies it at once", async () => {
    let now = 5_000_000;
    vi.spyOn(Date, "now").mockImplementation(() => now);
    expect(await (await me(t.tokens.sales)).json()).toMatchObject({ role: "sales" });
    await t.deps.db.updateTable("users").set({ role: "marketer" }).where("name", "=", "sales tester").execute();
    expect(await (await me(t.tokens.sales)).json()).toMatchObject({ role: "sales" });
    now += TOKEN_CACHE_MS;
    expect(await (await me(t.tokens.sales)).json()).toMatchObject({ role: "marketer" });
    await t.deps.db.updateTable("users").set({ role: "sales" }).where("name", "=", "sales tester").execute();
    // Any request that can write empties the memory when it ends (here a 400).
    expect((await t.call("POST", "/api/people", {})).status).toBe(400);
    expect(await (await me(t.tokens.sales)).json()).toMatchObject({ role: "sales" });
  });

  it("never remembers a wrong token", async () => {
    expect((await me("qrm_not_a_token")).status).toBe(401);
    expect((await me("qrm_not_a_token")).status).toBe(401);
  });
});
