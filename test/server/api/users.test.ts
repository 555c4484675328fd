import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hashToken, tokenKey } from "../../../server/auth/token-secret";
import { changeUserRole } from "../../../server/users/users.service";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// Users and API tokens over HTTP: admins only; a token is shown once and only its hash is kept; Quorum always keeps
// an admin who can sign in (an admin user with an active token).
let t: TestContext;
beforeEach(async () => {
  t = await createTestContext();
});
afterEach(() => t.close());

const users = async () => (await t.call("GET", "/api/users")).body.items as Array<Record<string, any>>;
const userNamed = async (name: string) => (await users()).find((u) => u.name === name)!;
const auditRows = (action: string) =>
  t.deps.db.selectFrom("audit_log").selectAll().where("action", "=", action).orderBy("at").execute();
const me = (token: string) => t.call("GET", "/api/me", undefined, token);

describe("users API: permissions", () => {
  it.each(["marketer", "sales"] as const)("%s → 403 on every users route, and nothing changes", async (role) => {
    const token = t.tokens[role];
    const admin = await userNamed("admin tester");
    const before = await users();
    const tokensBefore = (await t.call("GET", `/api/users/${admin.id}/tokens`)).body.items;
    const calls: Array<[string, string, unknown?]> = [
      ["GET", "/api/users"],
      ["POST", "/api/users", { name: "Sneaky", role: "admin" }],
      ["PUT", `/api/users/${admin.id}/role`, { role: "sales" }],
      ["GET", `/api/users/${admin.id}/tokens`],
      ["POST", `/api/users/${admin.id}/tokens`, { name: "stolen" }],
      ["POST", `/api/users/${admin.id}/tokens/${tokensBefore[0].id}/revoke`],
    ];
    for (const [method, path, body] of calls) {
      const res = await t.call(method, path, body, token);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.code).toBe("forbidden");
      expect(res.body.error.message).toContain(role);
    }
    // Only the refused caller's own last use moved (recorded at its first request).
    const withoutUse = (list: Array<Record<string, unknown>>) => list.map(({ lastUsedAt: _, ...rest }) => rest);
    expect(withoutUse(await users())).toEqual(withoutUse(before));
    expect((await t.call("GET", `/api/users/${admin.id}/tokens`)).body.items).toEqual(tokensBefore);
    expect(await t.deps.db.selectFrom("audit_log").selectAll().execute()).toEqual([]);
  });

  it("no token → 401", async () => {
    expect((await t.call("GET", "/api/users", undefined, null)).status).toBe(401);
  });
});

describe("users API: list and create", () => {
  it("lists the users with role and token counts", async () => {
    const list = await users();
    expect(list.map((u) => [u.name, u.role, u.tokens, u.activeTokens])).toEqual([
      ["admin tester", "admin", 1, 1],
      ["marketer tester", "marketer", 1, 1],
      ["sales tester", "sales", 1, 1],
    ]);
    // The admin token just listed them: its use is recorded; the others were never used.
    expect(list[0]).toMatchObject({ createdAt: "2026-11-23T12:00:00.000Z", lastUsedAt: "2026-11-23T12:00:00.000Z" });
    expect(list[2]).toMatchObject({ lastUsedAt: null });
  });

  it("creates a user with a first token shown once; only its hash is stored; the token works with the role", async () => {
    const res = await t.call("POST", "/api/users", { name: "  Mia Marketer ", role: "marketer", tokenName: "laptop" });
    expect(res.status).toBe(201);
    const { user, token, plainToken } = res.body;
    expect(user).toMatchObject({ name: "Mia Marketer", role: "marketer", tokens: 1, activeTokens: 1 });
    expect(token).toMatchObject({ userId: user.id, name: "laptop", revokedAt: null, current: false });
    expect(plainToken).toMatch(/^qrm_[\w-]{32}$/);
    expect(token.prefix).toBe(plainToken.slice(0, 8));
    // the plain token is nowhere else: not in the list, not in the token list, not in the database, not in the audit
    const stored = await t.deps.db.selectFrom("api_tokens").selectAll().where("id", "=", token.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).toBe(hashToken(tokenKey(t.deps.config), plainToken));
    expect(stored.hash_scheme).toBe("hmac-sha256");
    expect(JSON.stringify(stored)).not.toContain(plainToken);
    const listed = await t.call("GET", `/api/users/${user.id}/tokens`);
    expect(JSON.stringify(listed.body)).not.toContain(plainToken);
    expect(JSON.stringify(await users())).not.toContain(plainToken);
    const audit = await t.deps.db.selectFrom("audit_log").selectAll().execute();
    expect(JSON.stringify(audit)).not.toContain(plainToken);
    expect(JSON.stringify(audit)).not.toContain(stored.token_hash);
    // it signs in as the new user
    const who = await me(plainToken);
    expect(who.status).toBe(200);
    expect(who.body).toMatchObject({ id: user.id, name: "Mia Marketer", role: "marketer" });
    // and has that role's permissions
    expect((await t.call("GET", "/api/users", undefined, plainToken)).status).toBe(403);
  });

  it("the token name defaults to 'default'", async () => {
    const res = await t.call("POST", "/api/users", { name: "Sam", role: "sales" });
    expect(res.status).toBe(201);
    expect(res.body.token.name).toBe("default");
  });

  it("writes audit rows naming the actor, without secrets", async () => {
    const admin = await userNamed("admin tester");
    const res = await t.call("POST", "/api/users", { name: "Audited", role: "sales", tokenName: "phone" });
    const created = await auditRows("user.created");
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      actor_user_id: admin.id,
      entity_type: "user",
      entity_id: res.body.user.id,
      source: "manual",
    });
    expect(JSON.parse(created[0]!.details)).toEqual({ name: "Audited", role: "sales" });
    const tokens = await auditRows("token.created");
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).toMatchObject({ actor_user_id: admin.id, entity_type: "api_token", entity_id: res.body.token.id });
    expect(JSON.parse(tokens[0]!.details)).toEqual({
      userId: res.body.user.id,
      name: "phone",
      prefix: res.body.token.prefix,
      expiresAt: null,
    });
  });

  it.each([
    [{ role: "admin" }, "name", /Required|expected string/i],
    [{ name: "  ", role: "admin" }, "name", /must not be empty/],
    [{ name: "X", role: "boss" }, "role", /admin, marketer, sales/],
    [{ name: "X" }, "role", /admin, marketer, sales/],
    [{ name: "X", role: "sales", tokenName: "" }, "tokenName", /must not be empty/],
    [{ name: "x".repeat(201), role: "sales" }, "name", /at most 200/],
  ])("invalid body %j → 400 naming %s, nothing created", async (body, field, message) => {
    const before = await users();
    const res = await t.call("POST", "/api/users", body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    expect(res.body.error.message).toContain(field);
    const issue = res.body.error.details.issues.find((i: { field: string }) => i.field === field);
    expect(issue?.message).toMatch(message);
    expect(await users()).toEqual(before);
  });
});

describe("users API: roles", () => {
  it("changes a role; the user's next request has the new role; audited with from/to", async () => {
    const created = (await t.call("POST", "/api/users", { name: "Riley", role: "sales" })).body;
    const res = await t.call("PUT", `/api/users/${created.user.id}/role`, { role: "marketer" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: created.user.id, role: "marketer" });
    expect((await me(created.plainToken)).body.role).toBe("marketer");
    const rows = await auditRows("user.role_changed");
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.details)).toEqual({ name: "Riley", from: "sales", to: "marketer" });
    // the same role again changes nothing and writes no audit row
    expect((await t.call("PUT", `/api/users/${created.user.id}/role`, { role: "marketer" })).status).toBe(200);
    expect(await auditRows("user.role_changed")).toHaveLength(1);
  });

  it("invalid role → 400 naming role; unknown user → 404", async () => {
    const admin = await userNamed("admin tester");
    const bad = await t.call("PUT", `/api/users/${admin.id}/role`, { role: "owner" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues[0].field).toBe("role");
    expect(bad.body.error.message).toContain("role");
    const missing = await t.call("PUT", "/api/users/usr_nope/role", { role: "sales" });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain("usr_nope");
  });

  it("refuses to demote the last admin (409 with a clear message); allowed once another admin exists", async () => {
    const admin = await userNamed("admin tester");
    const res = await t.call("PUT", `/api/users/${admin.id}/role`, { role: "marketer" });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("conflict");
    expect(res.body.error.message).toMatch(/last admin/);
    expect(res.body.error.details).toMatchObject({ reason: "last_admin" });
    expect((await userNamed("admin tester")).role).toBe("admin");
    expect(await auditRows("user.role_changed")).toHaveLength(0);

    // an admin whose every token is revoked cannot sign in, so does not count
    const ghost = (await t.call("POST", "/api/users", { name: "Ghost admin", role: "admin" })).body;
    expect((await t.call("POST", `/api/users/${ghost.user.id}/tokens/${ghost.token.id}/revoke`)).status).toBe(200);
    expect((await t.call("PUT", `/api/users/${admin.id}/role`, { role: "marketer" })).status).toBe(409);

    // a second admin who can sign in: now the first may be demoted (even by themselves)
    const second = (await t.call("POST", "/api/users", { name: "Second admin", role: "admin" })).body;
    const demoted = await t.call("PUT", `/api/users/${admin.id}/role`, { role: "marketer" });
    expect(demoted.status).toBe(200);
    expect(demoted.body.role).toBe("marketer");
    expect((await t.call("GET", "/api/users", undefined, t.tokens.admin)).status).toBe(403);
    // and now the second is the last one
    const last = await t.call("PUT", `/api/users/${second.user.id}/role`, { role: "sales" }, second.plainToken);
    expect(last.status).toBe(409);
    expect(last.body.error.message).toContain("Second admin");
  });

  it("two admins demoting each other at the same time: exactly one wins, an admin remains", async () => {
    // service level, so both changes pass the permission check before either commits
    const admin = await userNamed("admin tester");
    const second = (await t.call("POST", "/api/users", { name: "Second admin", role: "admin" })).body;
    const actor = (id: string, tokenId: string) => ({ id, name: "x", role: "admin" as const, tokenId });
    const results = await Promise.allSettled([
      changeUserRole(t.deps, admin.id, { role: "sales" }, actor(second.user.id, second.token.id)),
      changeUserRole(t.deps, second.user.id, { role: "sales" }, actor(admin.id, "tok_x")),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ status: 409, code: "conflict" });
    const admins = await t.deps.db.selectFrom("users").select("id").where("role", "=", "admin").execute();
    expect(admins).toHaveLength(1);
  });
});

describe("users API: tokens", () => {
  it("lists a user's tokens and marks the caller's own", async () => {
    const admin = await userNamed("admin tester");
    const res = await t.call("GET", `/api/users/${admin.id}/tokens`);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      {
        id: expect.any(String),
        userId: admin.id,
        name: "admin",
        prefix: t.tokens.admin.slice(0, 8),
        createdAt: "2026-11-23T12:00:00.000Z",
        lastUsedAt: "2026-11-23T12:00:00.000Z",
        revokedAt: null,
        expiresAt: null,
        expired: false,
        current: true,
      },
    ]);
    expect((await t.call("GET", "/api/users/usr_nope/tokens")).status).toBe(404);
  });

  it("issues a token for a user, shown once, that works; 400 naming name; audited", async () => {
    const sales = await userNamed("sales tester");
    t.clock.now = new Date("2026-11-24T08:00:00.000Z");
    const res = await t.call("POST", `/api/users/${sales.id}/tokens`, { name: "tablet" });
    expect(res.status).toBe(201);
    expect(res.body.token).toMatchObject({
      userId: sales.id,
      name: "tablet",
      createdAt: "2026-11-24T08:00:00.000Z",
      revokedAt: null,
      current: false,
    });
    expect((await me(res.body.plainToken)).body).toMatchObject({ id: sales.id, role: "sales" });
    const list = (await t.call("GET", `/api/users/${sales.id}/tokens`)).body.items;
    expect(list.map((x: { name: string }) => x.name)).toEqual(["tablet", "sales"]);
    expect(JSON.stringify(list)).not.toContain(res.body.plainToken);
    expect((await userNamed("sales tester")).tokens).toBe(2);
    expect((await auditRows("token.created")).map((r) => r.entity_id)).toEqual([res.body.token.id]);

    const bad = await t.call("POST", `/api/users/${sales.id}/tokens`, { name: "" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues[0].field).toBe("name");
    expect((await t.call("POST", "/api/users/usr_nope/tokens", { name: "x" })).status).toBe(404);
  });

  it("a revoked token → 401 on the next request; revoking again changes nothing; audited", async () => {
    const marketer = await userNamed("marketer tester");
    const [token] = (await t.call("GET", `/api/users/${marketer.id}/tokens`)).body.items;
    expect((await me(t.tokens.marketer)).status).toBe(200);
    const res = await t.call("POST", `/api/users/${marketer.id}/tokens/${token.id}/revoke`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: token.id, revokedAt: "2026-11-23T12:00:00.000Z" });
    const after = await me(t.tokens.marketer);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe("unauthorized");
    expect((await t.call("GET", "/api/groups", undefined, t.tokens.marketer)).status).toBe(401);
    expect(await userNamed("marketer tester")).toMatchObject({ tokens: 1, activeTokens: 0 });

    const rows = await auditRows("token.revoked");
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.details)).toEqual({ userId: marketer.id, name: "marketer", prefix: token.prefix });
    const again = await t.call("POST", `/api/users/${marketer.id}/tokens/${token.id}/revoke`);
    expect(again.status).toBe(200);
    expect(await auditRows("token.revoked")).toHaveLength(1);
  });

  it("a token of another user → 404 and stays active", async () => {
    const marketer = await userNamed("marketer tester");
    const sales = await userNamed("sales tester");
    const [salesToken] = (await t.call("GET", `/api/users/${sales.id}/tokens`)).body.items;
    const res = await t.call("POST", `/api/users/${marketer.id}/tokens/${salesToken.id}/revoke`);
    expect(res.status).toBe(404);
    expect((await me(t.tokens.sales)).status).toBe(200);
  });

  it("refuses to revoke the last admin's last active token (409); allowed once they have another", async () => {
    const admin = await userNamed("admin tester");
    const [own] = (await t.call("GET", `/api/users/${admin.id}/tokens`)).body.items;
    const res = await t.call("POST", `/api/users/${admin.id}/tokens/${own.id}/revoke`);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/your last active token.*last admin/);
    expect(res.body.error.details).toMatchObject({ reason: "last_admin_token" });
    expect((await me(t.tokens.admin)).status).toBe(200);
    expect(await auditRows("token.revoked")).toHaveLength(0);

    // with a second token, the admin may revoke the one in use: the next request with it is refused
    const spare = (await t.call("POST", `/api/users/${admin.id}/tokens`, { name: "spare" })).body;
    expect((await t.call("POST", `/api/users/${admin.id}/tokens/${own.id}/revoke`)).status).toBe(200);
    expect((await me(t.tokens.admin)).status).toBe(401);
    // the spare is now the last one of the last admin
    const last = await t.call("POST", `/api/users/${admin.id}/tokens/${spare.token.id}/revoke`, undefined, spare.plainToken);
    expect(last.status).toBe(409);
    expect((await me(spare.plainToken)).status).toBe(200);
  });

  it("another admin with an active token lets the first admin's last token go", async () => {
    const admin = await userNamed("admin tester");
    const [own] = (await t.call("GET", `/api/users/${admin.id}/tokens`)).body.items;
    const other = (await t.call("POST", "/api/users", { name: "Other admin", role: "admin" })).body;
    const res = await t.call("POST", `/api/users/${admin.id}/tokens/${own.id}/revoke`, undefined, other.plainToken);
    expect(res.status).toBe(200);
    expect(res.body.current).toBe(false);
    expect((await me(t.tokens.admin)).status).toBe(401);
    // now Other admin's last token is the protected one
    const refused = await t.call(
      "POST",
      `/api/users/${other.user.id}/tokens/${other.token.id}/revoke`,
      undefined,
      other.plainToken,
    );
    expect(refused.status).toBe(409);
  });
});
