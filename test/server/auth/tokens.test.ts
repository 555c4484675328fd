import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LAST_USE_WRITE_MS } from "../../../server/auth/last-use";
import { hashToken, tokenKey } from "../../../server/auth/token-secret";
import { generateToken } from "../../../server/auth/tokens.repo";
import { parseExpiry } from "../../../server/cli/token";
import { createTestContext, type TestContext } from "../../helpers/test-app";

describe("API tokens: keyed hashes, expiry, last use", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(() => t.close());

  const adminId = async () => (await t.call("GET", "/api/me")).body.id as string;
  const tokenRow = (id: string) => t.deps.db.selectFrom("api_tokens").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

  it("stores an HMAC keyed with the server secret, never the token or its bare SHA-256", async () => {
    const res = await t.call("POST", `/api/users/${await adminId()}/tokens`, { name: "laptop" });
    expect(res.status).toBe(201);
    const row = await tokenRow(res.body.token.id);
    const sha256 = createHash("sha256").update(res.body.plainToken).digest("hex");
    expect(row.token_hash).toBe(hashToken(tokenKey(t.deps.config), res.body.plainToken));
    expect(row.token_hash).not.toBe(sha256);
    expect(row.hash_scheme).toBe("hmac-sha256");
    // Another server secret makes the same database's hashes useless.
    const other = await createTestContext({ env: { QUORUM_TOKEN_SECRET: "another-secret-0123456789abcdef0123456789" } });
    try {
      expect(hashToken(tokenKey(other.deps.config), res.body.plainToken)).not.toBe(row.token_hash);
    } finally {
      await other.close();
    }
  });

  it("a token stored before the upgrade (bare SHA-256) still works once and is rewritten as HMAC", async () => {
    const token = generateToken();
    const legacy = createHash("sha256").update(token).digest("hex");
    await t.deps.db
      .insertInto("api_tokens")
      .values({
        id: "tok_legacy",
        user_id: await adminId(),
        name: "old laptop",
        token_hash: legacy,
        hash_scheme: "sha256",
        prefix: token.slice(0, 8),
        created_at: "2026-01-01T00:00:00.000Z",
        last_used_at: null,
        revoked_at: null,
        expires_at: null,
      })
      .execute();
    expect((await t.call("GET", "/api/me", undefined, token)).status).toBe(200);
    const row = await tokenRow("tok_legacy");
    expect(row.hash_scheme).toBe("hmac-sha256");
    expect(row.token_hash).toBe(hashToken(tokenKey(t.deps.config), token));
    expect(row.token_hash).not.toBe(legacy);
    expect((await t.call("GET", "/api/me", undefined, token)).status).toBe(200);
    // The legacy hash itself is not a token, and a wrong token does not match any legacy row.
    expect((await t.call("GET", "/api/me", undefined, legacy)).status).toBe(401);
  });

  it("an expired token answers 401 saying it expired and what to do; the list shows it expired", async () => {
    const me = await adminId();
    const expiresAt = new Date(t.clock.now.getTime() + 3_600_000).toISOString();
    const res = await t.call("POST", `/api/users/${me}/tokens`, { name: "contractor", expiresAt });
    expect(res.status).toBe(201);
    expect(res.body.token).toMatchObject({ expiresAt, expired: false });
    const token = res.body.plainToken;
    expect((await t.call("GET", "/api/me", undefined, token)).status).toBe(200);

    t.clock.now = new Date(t.clock.now.getTime() + 2 * 3_600_000);
    const after = await t.call("GET", "/api/me", undefined, token);
    expect(after.status).toBe(401);
    expect(after.body.error.details).toEqual({ reason: "token_expired", expiredAt: expiresAt });
    expect(after.body.error.message).toContain(`expired on ${expiresAt}`);
    expect(after.body.error.message).toContain("Users and tokens");
    const write = await t.call("POST", "/api/accounts", { name: "Too late" }, token);
    expect(write.status).toBe(401);
    expect((await t.call("GET", "/api/accounts?q=Too%20late")).body.total).toBe(0);

    const listed = (await t.call("GET", `/api/users/${me}/tokens`)).body.items.find((x: any) => x.id === res.body.token.id);
    expect(listed).toMatchObject({ expiresAt, expired: true, revokedAt: null });
    const user = (await t.call("GET", "/api/users")).body.items.find((u: any) => u.id === me);
    expect(user).toMatchObject({ tokens: 2, activeTokens: 1 });
  });

  it("creating a user with an expiring first token; an expiry in the past → 400 naming the field", async () => {
    const expiresAt = "2027-01-31T23:59:59.000Z";
    const created = await t.call("POST", "/api/users", { name: "Temp", role: "sales", tokenExpiresAt: expiresAt });
    expect(created.status).toBe(201);
    expect(created.body.token.expiresAt).toBe(expiresAt);
    const past = await t.call("POST", "/api/users", { name: "Temp 2", role: "sales", tokenExpiresAt: "2020-01-01T00:00:00Z" });
    expect(past.status).toBe(400);
    expect(past.body.error.details.issues.map((i: any) => i.field)).toEqual(["tokenExpiresAt"]);
    const bad = await t.call("POST", `/api/users/${await adminId()}/tokens`, { name: "x", expiresAt: "in 90 days" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues.map((i: any) => i.field)).toEqual(["expiresAt"]);
    expect((await t.call("GET", "/api/users")).body.items.map((u: any) => u.name)).not.toContain("Temp 2");
  });

  it("records last use without a write per request: at most once a minute per token", async () => {
    const me = await adminId();
    const res = await t.call("POST", `/api/users/${me}/tokens`, { name: "panel" });
    const id = res.body.token.id;
    expect(res.body.token.lastUsedAt).toBeNull();
    const start = t.clock.now.getTime();
    const use = async (offsetMs: number) => {
      t.clock.now = new Date(start + offsetMs);
      expect((await t.call("GET", "/api/me", undefined, res.body.plainToken)).status).toBe(200);
      return (await tokenRow(id)).last_used_at;
    };
    expect(await use(0)).toBe(new Date(start).toISOString());
    expect(await use(1_000)).toBe(new Date(start).toISOString());
    expect(await use(LAST_USE_WRITE_MS - 1)).toBe(new Date(start).toISOString());
    expect(await use(LAST_USE_WRITE_MS + 5_000)).toBe(new Date(start + LAST_USE_WRITE_MS + 5_000).toISOString());
    const listed = (await t.call("GET", `/api/users/${me}/tokens`)).body.items.find((x: any) => x.id === id);
    expect(listed.lastUsedAt).toBe(new Date(start + LAST_USE_WRITE_MS + 5_000).toISOString());
    const user = (await t.call("GET", "/api/users")).body.items.find((u: any) => u.id === me);
    expect(user.lastUsedAt).not.toBeNull();
  });

  it("an admin whose only token expired no longer counts as an admin who can sign in", async () => {
    const other = await t.call("POST", "/api/users", {
      name: "Second admin",
      role: "admin",
      tokenExpiresAt: new Date(t.clock.now.getTime() + 60_000).toISOString(),
    });
    t.clock.now = new Date(t.clock.now.getTime() + 120_000);
    // The test admin is now the only usable admin: demoting them is refused.
    const demote = await t.call("PUT", `/api/users/${await adminId()}/role`, { role: "sales" });
    expect(demote.status).toBe(409);
    expect(demote.body.error.details.reason).toBe("last_admin");
    expect(other.status).toBe(201);
  });
});

describe("token create --expires", () => {
  const now = new Date("2026-11-23T12:00:00.000Z");
  it.each([
    ["90d", "2027-02-21T12:00:00.000Z"],
    ["2w", "2026-12-07T12:00:00.000Z"],
    ["1y", "2027-11-23T12:00:00.000Z"],
    ["2027-06-30", "2027-06-30T23:59:59.999Z"],
    ["2027-06-30T08:00:00+02:00", "2027-06-30T06:00:00.000Z"],
    ["never", null],
  ])("%s → %s", (text, expiresAt) => {
    expect(parseExpiry(text, now)).toEqual({ expiresAt });
  });
  it.each(["90", "soon", "2020-01-01", "0d"])("%s is refused with the option named", (text) => {
    const r = parseExpiry(text, now);
    expect("error" in r && r.error).toMatch(/--expires/);
  });
});
