/**
 * Single sign-on end to end on the server: a real OpenID Connect provider on loopback (oidc-provider), its login page
 * driven over HTTP, the code redeemed by Quorum through openid-client and the ID token verified against the provider's
 * JWKS; then Quorum's own access and refresh tokens against the real app and database.
 */
import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInWithFetch, startTestIdp, type TestIdp } from "../../helpers/oidc-provider";
import { createTestContext, type TestContext } from "../../helpers/test-app";

const CLIENT = "quorum-extension";
const REDIRECT = "https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/";
const OTHER_REDIRECT = "https://ponmlkjihgfedcbaponmlkjihgfedcba.chromiumapp.org/";

let idp: TestIdp;
let t: TestContext;

beforeAll(async () => {
  idp = await startTestIdp({
    clients: [
      { clientId: CLIENT, redirectUris: [REDIRECT] },
      { clientId: "other-app", redirectUris: [OTHER_REDIRECT] },
    ],
    accounts: {
      ana: { email: "ana@example.com", name: "Ana Rep", groups: ["Sales EMEA"] },
      ida: { email: "ida@example.com", name: "Ida Admin", groups: ["Quorum Admins", "Sales EMEA"] },
      fin: { email: "fin@example.com", name: "Fin Ance", groups: ["Finance"] },
      sam: { email: "sam@example.com", name: "Sam Seller", groups: ["Sales EMEA"] },
    },
  });
  t = await createTestContext({
    now: new Date(),
    env: {
      QUORUM_SSO_ISSUER: idp.issuer,
      QUORUM_SSO_CLIENT_ID: CLIENT,
      QUORUM_SSO_ADMINS: "Quorum Admins",
      QUORUM_SSO_SALES: "Sales EMEA",
      QUORUM_SSO_ACCESS_TOKEN_SECONDS: "300",
      QUORUM_SSO_SESSION_HOURS: "12",
    },
  });
});
afterAll(async () => {
  await t?.close();
  await idp?.close();
});

/** What the extension does: PKCE + state + nonce, the provider's login page, then POST /auth/sso/token. */
async function signIn(login: string, opts: { clientId?: string; redirect?: string; nonce?: string } = {}) {
  t.clock.now = new Date(); // the provider's ID tokens carry the real time; tests move the clock only after signing in
  const config = (await t.call("GET", "/auth/sso/config", undefined, null)).body;
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const redirect = opts.redirect ?? REDIRECT;
  const url = new URL(config.authorizationEndpoint);
  url.search = new URLSearchParams({
    client_id: opts.clientId ?? config.clientId,
    redirect_uri: redirect,
    response_type: "code",
    scope: "openid email profile groups",
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
  }).toString();
  const redirectUrl = await signInWithFetch(url.href, login, redirect);
  return t.call(
    "POST",
    "/auth/sso/token",
    { redirectUrl, codeVerifier: verifier, state, nonce: opts.nonce ?? nonce, client: "chrome" },
    null,
  );
}

const advance = (seconds: number) => {
  t.clock.now = new Date(t.clock.now.getTime() + seconds * 1000);
};

describe("single sign-on", () => {
  it("tells the extension where to sign in", async () => {
    const { status, body } = await t.call("GET", "/auth/sso/config", undefined, null);
    expect(status).toBe(200);
    expect(body).toEqual({
      enabled: true,
      issuer: idp.issuer,
      clientId: CLIENT,
      authorizationEndpoint: `${idp.issuer}/auth`,
      scopes: "openid email profile",
    });
  });

  it("signs a rep in with the provider's account and maps the group to a role; a sales user cannot open admin screens", async () => {
    const { status, body } = await signIn("ana");
    expect(status).toBe(200);
    expect(body.user).toMatchObject({ name: "Ana Rep", email: "ana@example.com", role: "sales" });
    expect(body.refreshToken).toMatch(/^qrt_/);
    const me = await t.call("GET", "/api/me", undefined, body.accessToken);
    expect(me.body).toMatchObject({ id: body.user.id, name: "Ana Rep", role: "sales" });
    expect((await t.call("GET", "/api/groups", undefined, body.accessToken)).status).toBe(200);
    const users = await t.call("GET", "/api/users", undefined, body.accessToken);
    expect(users.status).toBe(403);
    expect(users.body.error.message).toMatch(/role 'sales' may not/);

    // The same person signing in again is the same user (linked by issuer + subject).
    expect((await signIn("ana")).body.user.id).toBe(body.user.id);
  });

  it("gives the highest mapped role and lets an SSO admin use admin routes", async () => {
    const { body } = await signIn("ida");
    expect(body.user.role).toBe("admin");
    expect((await t.call("GET", "/api/users", undefined, body.accessToken)).status).toBe(200);
  });

  it("refuses someone in no mapped group, naming their groups", async () => {
    const { status, body } = await signIn("fin");
    expect(status).toBe(403);
    expect(body.error.details.reason).toBe("no_role");
    expect(body.error.message).toContain("Finance");
  });

  it("renews an expired access token with the refresh token, once per refresh token", async () => {
    const first = (await signIn("sam")).body;
    advance(301);
    const expired = await t.call("GET", "/api/me", undefined, first.accessToken);
    expect(expired.status).toBe(401);
    expect(expired.body.error.details.reason).toBe("access_token_expired");

    const renewed = await t.call("POST", "/auth/sso/refresh", { refreshToken: first.refreshToken }, null);
    expect(renewed.status).toBe(200);
    expect(renewed.body.refreshToken).not.toBe(first.refreshToken);
    expect((await t.call("GET", "/api/me", undefined, renewed.body.accessToken)).body.name).toBe("Sam Seller");

    // The old refresh token again: someone else may hold it, so the whole session ends.
    const reused = await t.call("POST", "/auth/sso/refresh", { refreshToken: first.refreshToken }, null);
    expect(reused.status).toBe(401);
    expect(reused.body.error.details.reason).toBe("refresh_token_reused");
    const after = await t.call("POST", "/auth/sso/refresh", { refreshToken: renewed.body.refreshToken }, null);
    expect(after.body.error.details.reason).toBe("session_revoked");
    expect((await t.call("GET", "/api/me", undefined, renewed.body.accessToken)).status).toBe(401);
  });

  it("ends a session at its absolute end", async () => {
    const s = (await signIn("sam")).body;
    advance(12 * 3600 + 1);
    const r = await t.call("POST", "/auth/sso/refresh", { refreshToken: s.refreshToken }, null);
    expect(r.status).toBe(401);
    expect(r.body.error.details.reason).toBe("session_expired");
  });

  it("signs out: the refresh token stops at once and the access token too (this process)", async () => {
    const s = (await signIn("sam")).body;
    expect((await t.call("POST", "/auth/sso/logout", { refreshToken: s.refreshToken }, null)).status).toBe(204);
    expect((await t.call("POST", "/auth/sso/refresh", { refreshToken: s.refreshToken }, null)).body.error.details.reason).toBe(
      "session_revoked",
    );
    const me = await t.call("GET", "/api/me", undefined, s.accessToken);
    expect(me.status).toBe(401);
    expect(me.body.error.details.reason).toBe("session_revoked");
  });

  it("a disabled user cannot refresh or sign in; API tokens keep working for automation", async () => {
    const s = (await signIn("ana")).body;
    const { body: token } = await t.call("POST", `/api/users/${s.user.id}/tokens`, { name: "ana automation" });
    expect((await t.call("GET", "/api/me", undefined, token.plainToken)).status).toBe(200);

    const off = await t.call("POST", `/api/users/${s.user.id}/disable`);
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ sessionsEnded: expect.any(Number), tokensRevoked: 1 });
    expect((await t.call("GET", "/api/me", undefined, s.accessToken)).status).toBe(401);
    expect((await t.call("GET", "/api/me", undefined, token.plainToken)).status).toBe(401);
    expect((await t.call("POST", "/auth/sso/refresh", { refreshToken: s.refreshToken }, null)).status).toBe(401);
    const again = await signIn("ana");
    expect(again.status).toBe(403);
    expect(again.body.error.details.reason).toBe("user_disabled");
    expect(await t.call("GET", `/api/users/${s.user.id}/sessions`)).toMatchObject({ status: 200, body: { items: [] } });

    expect((await t.call("POST", `/api/users/${s.user.id}/enable`)).status).toBe(200);
    expect((await signIn("ana")).status).toBe(200);
    // API tokens work as before.
    expect((await t.call("GET", "/api/me", undefined, t.tokens.sales)).status).toBe(200);
  });

  it("lists and revokes one session", async () => {
    const s = (await signIn("sam")).body;
    const list = await t.call("GET", `/api/users/${s.user.id}/sessions`);
    const mine = list.body.items.find((i: { id: string }) => i.id === JSON.parse(atob(s.accessToken.split(".")[1])).sid);
    expect(mine).toMatchObject({ client: "chrome" });
    expect((await t.call("POST", `/api/users/${s.user.id}/sessions/${mine.id}/revoke`)).body).toEqual({ revoked: true });
    expect((await t.call("POST", "/auth/sso/refresh", { refreshToken: s.refreshToken }, null)).status).toBe(401);
    expect((await t.call("POST", `/api/users/${s.user.id}/sessions/${mine.id}/revoke`, undefined, t.tokens.sales)).status).toBe(
      403,
    );
  });

  it("refuses a code that was issued to another application", async () => {
    const r = await signIn("ana", { clientId: "other-app", redirect: OTHER_REDIRECT });
    expect(r.status).toBe(401);
    expect(r.body.error.details.reason).toBe("provider_refused");
  });

  it("refuses an answer whose nonce is not this sign-in's", async () => {
    const r = await signIn("ana", { nonce: "another-sign-in-nonce" });
    expect(r.status).toBe(401);
  });

  it("validates the sign-in request, naming each bad field", async () => {
    const r = await t.call(
      "POST",
      "/auth/sso/token",
      { redirectUrl: "https://evil.example.com/?code=x", codeVerifier: "short", state: "s", nonce: "" },
      null,
    );
    expect(r.status).toBe(400);
    const fields = [...new Set(r.body.error.details.issues.map((i: { field: string }) => i.field))].sort();
    expect(fields).toEqual(["codeVerifier", "nonce", "redirectUrl", "state"]);
    expect((await t.call("POST", "/auth/sso/refresh", { refreshToken: "nope" }, null)).status).toBe(400);
  });

  it("refuses a forged access token", async () => {
    const s = (await signIn("sam")).body;
    const [h, p] = s.accessToken.split(".");
    const payload = JSON.parse(Buffer.from(p, "base64url").toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, role: "admin" })).toString("base64url")}.${s.accessToken.split(".")[2]}`;
    const r = await t.call("GET", "/api/users", undefined, forged);
    expect(r.status).toBe(401);
    expect(r.body.error.details.reason).toBe("access_token_invalid");
  });
});

describe("single sign-on turned off", () => {
  it("says so, and refuses sign-in", async () => {
    const off = await createTestContext();
    try {
      expect((await off.call("GET", "/auth/sso/config", undefined, null)).body).toEqual({ enabled: false });
      const r = await off.call("POST", "/auth/sso/refresh", { refreshToken: `qrt_${"a".repeat(43)}` }, null);
      expect(r.status).toBe(403);
      expect(r.body.error.details.reason).toBe("sso_disabled");
    } finally {
      await off.close();
    }
  });
});
