import { afterEach, describe, expect, it } from "vitest";
import { issueAccessToken } from "../../../server/sso/access-token";
import * as ssoRepo from "../../../server/sso/sso.repo";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// What the console's Users screen needs to show and end a user's access: the list carries each user's email and
// disabled state and how long ending access takes on this server; a disabled user gets no new token; sessions
// are listed and ended. (The sign-in flow itself is test/server/sso/sso-flow.test.ts.)
let t: TestContext;
afterEach(() => t?.close());

const SSO_ENV = {
  QUORUM_SSO_ISSUER: "http://127.0.0.1:9/never-contacted",
  QUORUM_SSO_CLIENT_ID: "quorum-extension",
  QUORUM_SSO_ACCESS_TOKEN_SECONDS: "120",
};

const list = async () => (await t.call("GET", "/api/users")).body as { items: Array<Record<string, any>>; access: unknown };
const userNamed = async (name: string) => (await list()).items.find((u) => u.name === name)!;

/** A user as the first single sign-on makes them, with one open session (what signIn writes). */
async function ssoUserWithSession(name: string, email: string) {
  const id = `usr_${name.toLowerCase().replace(/\W/g, "")}`;
  const now = t.clock.now.toISOString();
  await ssoRepo.insertUser(t.deps.db, { id, name, email, role: "sales", now });
  const sessionId = `ssn_${id}`;
  await ssoRepo.insertSession(t.deps.db, {
    id: sessionId,
    userId: id,
    client: "chrome",
    now,
    expiresAt: new Date(t.clock.now.getTime() + 3_600_000).toISOString(),
  });
  const refreshToken = `qrt_${"r".repeat(20)}${id.slice(4).padEnd(20, "x")}`;
  await ssoRepo.insertRefreshToken(t.deps.db, sessionId, refreshToken, now);
  return { id, sessionId, refreshToken };
}

describe("users list: email, disabled state, access-token lifetime", () => {
  it("shows each user's email and state, following disable and enable", async () => {
    t = await createTestContext({ env: SSO_ENV });
    const ana = await ssoUserWithSession("Ana Rep", "ana@example.com");
    const before = await list();
    expect(before.access).toEqual({ sso: true, accessTokenSeconds: 120 });
    expect(before.items.find((u) => u.id === ana.id)).toMatchObject({
      name: "Ana Rep",
      email: "ana@example.com",
      role: "sales",
      disabledAt: null,
      tokens: 0,
      activeTokens: 0,
    });
    // users made with an API token have no email
    expect(await userNamed("sales tester")).toMatchObject({ email: null, disabledAt: null });

    t.clock.now = new Date("2026-11-23T13:15:00.000Z");
    const off = await t.call("POST", `/api/users/${ana.id}/disable`);
    expect(off.status).toBe(200);
    expect((await list()).items.find((u) => u.id === ana.id)).toMatchObject({ disabledAt: "2026-11-23T13:15:00.000Z" });
    // the other users did not change
    expect((await list()).items.filter((u) => u.disabledAt !== null).map((u) => u.name)).toEqual(["Ana Rep"]);

    expect((await t.call("POST", `/api/users/${ana.id}/enable`)).status).toBe(200);
    expect((await list()).items.find((u) => u.id === ana.id)).toMatchObject({ disabledAt: null });
  });

  it("without single sign-on says so (API tokens stop at the next request)", async () => {
    t = await createTestContext();
    expect((await list()).access).toEqual({ sso: false, accessTokenSeconds: null });
  });
});

describe("disabling from the console", () => {
  it("revokes the user's tokens at once and refuses a new token until the user is enabled", async () => {
    t = await createTestContext();
    const sales = await userNamed("sales tester");
    expect((await t.call("GET", "/api/me", undefined, t.tokens.sales)).status).toBe(200);

    const off = await t.call("POST", `/api/users/${sales.id}/disable`);
    expect(off.body).toMatchObject({ id: sales.id, tokensRevoked: 1, sessionsEnded: 0 });
    expect((await t.call("GET", "/api/me", undefined, t.tokens.sales)).status).toBe(401);
    expect(await userNamed("sales tester")).toMatchObject({ activeTokens: 0, tokens: 1 });

    const refused = await t.call("POST", `/api/users/${sales.id}/tokens`, { name: "sneaky" });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details.reason).toBe("user_disabled");
    expect(refused.body.error.message).toContain("Enable the user first");
    expect((await t.call("GET", `/api/users/${sales.id}/tokens`)).body.items).toHaveLength(1);

    await t.call("POST", `/api/users/${sales.id}/enable`);
    // enabling restores no token: the admin issues a new one
    expect((await t.call("GET", "/api/me", undefined, t.tokens.sales)).status).toBe(401);
    const issued = await t.call("POST", `/api/users/${sales.id}/tokens`, { name: "new laptop" });
    expect(issued.status).toBe(201);
    expect((await t.call("GET", "/api/me", undefined, issued.body.plainToken)).body).toMatchObject({ name: "sales tester" });
  });

  it("refuses a disabled user's token even when it was never revoked (written outside the API)", async () => {
    t = await createTestContext();
    const marketer = await userNamed("marketer tester");
    // (asked first while disabled: a holder another instance saw valid is kept up to TOKEN_CACHE_MS)
    await t.deps.db.updateTable("users").set({ disabled_at: t.clock.now.toISOString() }).where("id", "=", marketer.id).execute();
    expect((await t.call("GET", "/api/me", undefined, t.tokens.marketer)).status).toBe(401);
    await t.deps.db.updateTable("users").set({ disabled_at: null }).where("id", "=", marketer.id).execute();
    expect((await t.call("GET", "/api/me", undefined, t.tokens.marketer)).status).toBe(200);
  });

  it("refuses disabling yourself and leaves everything as it was", async () => {
    t = await createTestContext();
    const admin = await userNamed("admin tester");
    const before = await list();
    const r = await t.call("POST", `/api/users/${admin.id}/disable`);
    expect(r.status).toBe(409);
    expect(r.body.error.details.reason).toBe("self");
    expect(r.body.error.message).toMatch(/cannot disable yourself/);
    const after = await list();
    expect(after.items.map(({ lastUsedAt: _, ...u }) => u)).toEqual(before.items.map(({ lastUsedAt: _, ...u }) => u));
    expect((await t.call("GET", "/api/me")).status).toBe(200);
  });

  it("marketers and sales may not see sessions, disable or enable", async () => {
    t = await createTestContext();
    const sales = await userNamed("sales tester");
    for (const token of [t.tokens.marketer, t.tokens.sales]) {
      for (const [method, path] of [
        ["GET", `/api/users/${sales.id}/sessions`],
        ["POST", `/api/users/${sales.id}/disable`],
        ["POST", `/api/users/${sales.id}/enable`],
      ] as const) {
        expect((await t.call(method, path, undefined, token)).status, `${method} ${path}`).toBe(403);
      }
    }
    expect(await userNamed("sales tester")).toMatchObject({ disabledAt: null, activeTokens: 1 });
  });
});

describe("a user's sign-ins", () => {
  it("lists open sessions with client and times, ends one, and its refresh then fails", async () => {
    t = await createTestContext({ now: new Date(), env: SSO_ENV });
    const ana = await ssoUserWithSession("Ana Rep", "ana@example.com");
    const sessions = await t.call("GET", `/api/users/${ana.id}/sessions`);
    expect(sessions.status).toBe(200);
    expect(sessions.body.items).toEqual([
      {
        id: ana.sessionId,
        userId: ana.id,
        client: "chrome",
        createdAt: t.clock.now.toISOString(),
        lastRefreshedAt: t.clock.now.toISOString(),
        expiresAt: new Date(t.clock.now.getTime() + 3_600_000).toISOString(),
        current: false,
      },
    ]);

    const ended = await t.call("POST", `/api/users/${ana.id}/sessions/${ana.sessionId}/revoke`);
    expect(ended.body).toEqual({ revoked: true });
    expect((await t.call("GET", `/api/users/${ana.id}/sessions`)).body.items).toEqual([]);
    const refresh = await t.call("POST", "/auth/sso/refresh", { refreshToken: ana.refreshToken }, null);
    expect(refresh.status).toBe(401);
    expect(refresh.body.error.details.reason).toBe("session_revoked");
    // a session of another user is not found under this one
    const other = await ssoUserWithSession("Bo Seller", "bo@example.com");
    expect((await t.call("POST", `/api/users/${ana.id}/sessions/${other.sessionId}/revoke`)).status).toBe(404);
    expect((await t.call("GET", `/api/users/${other.id}/sessions`)).body.items).toHaveLength(1);
  });

  it("marks the sign-in an admin signed in with single sign-on is using as current", async () => {
    t = await createTestContext({ env: SSO_ENV });
    const ida = await ssoUserWithSession("Ida Admin", "ida@example.com");
    await t.deps.db.updateTable("users").set({ role: "admin" }).where("id", "=", ida.id).execute();
    const other = `ssn_${ida.id}_phone`;
    await ssoRepo.insertSession(t.deps.db, {
      id: other,
      userId: ida.id,
      client: "firefox",
      now: new Date(t.clock.now.getTime() + 1000).toISOString(),
      expiresAt: new Date(t.clock.now.getTime() + 3_600_000).toISOString(),
    });
    const { token } = await issueAccessToken(
      t.deps,
      { userId: ida.id, name: "Ida Admin", role: "admin", sessionId: ida.sessionId },
      t.clock.now,
    );
    const mine = await t.call("GET", `/api/users/${ida.id}/sessions`, undefined, token);
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((s: { id: string; current: boolean }) => [s.id, s.current])).toEqual([
      [other, false],
      [ida.sessionId, true],
    ]);
    // seen by another admin (an API token), none is theirs
    const seen = await t.call("GET", `/api/users/${ida.id}/sessions`);
    expect(seen.body.items.every((s: { current: boolean }) => !s.current)).toBe(true);
  });
});
