/**
 * The background's SSO client against the real server (in process) and a real OpenID Connect provider on loopback;
 * only launchWebAuthFlow is played by the test, which follows the provider's login page over HTTP as the browser would.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSsoClient, type StoredSso } from "../../../extension/utils/sso/sso-client";
import { signInWithFetch, startTestIdp, type TestIdp } from "../../helpers/oidc-provider";
import { createTestContext, type TestContext } from "../../helpers/test-app";

const REDIRECT = "https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/";
const SERVER = "http://quorum.test";
let idp: TestIdp;
let t: TestContext;

beforeAll(async () => {
  idp = await startTestIdp({
    clients: [{ clientId: "quorum-extension", redirectUris: [REDIRECT] }],
    accounts: { ana: { email: "ana@example.com", name: "Ana Rep", groups: ["Sales"] } },
  });
  t = await createTestContext({
    now: new Date(),
    env: { QUORUM_SSO_ISSUER: idp.issuer, QUORUM_SSO_CLIENT_ID: "quorum-extension", QUORUM_SSO_ACCESS_TOKEN_SECONDS: "60" },
  });
});
afterAll(async () => {
  await t?.close();
  await idp?.close();
});

function client(opts: { now: () => number; interactiveLogins?: string[] }) {
  let stored: StoredSso | null = null;
  const flows: boolean[] = [];
  const sso = createSsoClient({
    loadSettings: async () => ({ serverUrl: SERVER, token: "", language: "auto", customCrms: [] }),
    load: async () => stored,
    save: async (s) => {
      stored = s;
    },
    fetch: (input, init) => Promise.resolve(t.app.request(String(input), init)),
    launchWebAuthFlow: async ({ url, interactive }) => {
      flows.push(interactive);
      return signInWithFetch(url, "ana", REDIRECT);
    },
    redirectUrl: () => REDIRECT,
    client: "chrome",
    now: opts.now,
  });
  return { sso, flows, stored: () => stored };
}

describe("background single sign-on", () => {
  it("signs in, then renews the access token by itself before it expires", async () => {
    let now = Date.now();
    const c = client({ now: () => now });
    expect(await c.sso.status(SERVER)).toEqual({ signedIn: false, name: null, role: null });
    expect(await c.sso.signIn({ interactive: true })).toEqual({ signedIn: true, name: "Ana Rep", role: "sales" });
    const first = await c.sso.accessToken(SERVER);
    expect((await t.call("GET", "/api/me", undefined, first)).body.name).toBe("Ana Rep");
    expect(await c.sso.accessToken(SERVER)).toBe(first);

    // 50 s into its 60 s the token is within the renewal margin (a fifth of its life): two callers share one renewal.
    now += 50_000;
    t.clock.now = new Date(now);
    const [a, b] = await Promise.all([c.sso.accessToken(SERVER), c.sso.accessToken(SERVER)]);
    expect(a).toBe(b);
    expect(a).not.toBe(first);
    t.clock.now = new Date(now + 30_000); // the first token has expired by now, the renewed one has not
    expect((await t.call("GET", "/api/me", undefined, first)).status).toBe(401);
    expect((await t.call("GET", "/api/me", undefined, a)).status).toBe(200);
    expect(c.flows).toEqual([true]); // no second visit to the provider
  });

  it("gives no token for another server, and signs out on the server too", async () => {
    t.clock.now = new Date();
    const c = client({ now: () => Date.now() });
    await c.sso.signIn({ interactive: true });
    expect(await c.sso.accessToken("https://other.example.com")).toBe("");
    const refresh = c.stored()!.refreshToken;
    await c.sso.signOut();
    expect(c.stored()).toBeNull();
    expect((await t.call("POST", "/auth/sso/refresh", { refreshToken: refresh }, null)).status).toBe(401);
  });
});
