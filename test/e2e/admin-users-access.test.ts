/**
 * Ending someone's access from the real console in Chromium, against a real Quorum with single sign-on through a real
 * OpenID Connect provider on loopback (oidc-provider): an admin disables a user → that user's API token is refused by
 * the server and the list shows "Disabled since …"; enable again; a rep who signed in through the provider's login
 * page appears under "Sign-ins" and the admin ends that sign-in → its refresh token and access token are refused.
 */
import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { signInWithFetch, startTestIdp, type TestIdp } from "../helpers/oidc-provider";
import { ADMIN_TOKEN, type AdminE2E, startAdminE2E } from "./admin-harness";
import { expectNoAxeViolations } from "./axe";

vi.setConfig({ testTimeout: 90_000 });

const CLIENT = "quorum-extension";
// The redirect URI launchWebAuthFlow uses (any extension id: the provider only checks it is registered).
const REDIRECT = "https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/";

describe("admin console: disabling users and ending sign-ins in Chromium", () => {
  let idp: TestIdp;
  let e2e: AdminE2E;
  beforeAll(async () => {
    idp = await startTestIdp({
      clients: [{ clientId: CLIENT, redirectUris: [REDIRECT] }],
      accounts: { ana: { email: "ana@example.com", name: "Ana Rep", groups: ["Sales EMEA"] } },
    });
    e2e = await startAdminE2E({
      env: {
        QUORUM_SSO_ISSUER: idp.issuer,
        QUORUM_SSO_CLIENT_ID: CLIENT,
        QUORUM_SSO_SALES: "Sales EMEA",
        QUORUM_SSO_ACCESS_TOKEN_SECONDS: "60",
      },
    });
  }, 180_000);
  afterAll(async () => {
    await e2e?.close();
    await idp?.close();
  });

  const me = (token: string) => fetch(`${e2e.quorum.base}/api/me`, { headers: { authorization: `Bearer ${token}` } });
  const post = (path: string, body: unknown) =>
    fetch(`${e2e.quorum.base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  /** What the extension's background does: PKCE, the provider's login page, then POST /auth/sso/token. */
  async function signInThroughProvider(login: string) {
    const config = await (await fetch(`${e2e.quorum.base}/auth/sso/config`)).json();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = new URL(config.authorizationEndpoint);
    url.search = new URLSearchParams({
      client_id: config.clientId,
      redirect_uri: REDIRECT,
      response_type: "code",
      scope: "openid email profile groups",
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    }).toString();
    const redirectUrl = await signInWithFetch(url.href, login, REDIRECT);
    const res = await post("/auth/sso/token", { redirectUrl, codeVerifier: verifier, state, nonce, client: "chrome" });
    expect(res.status).toBe(200);
    return (await res.json()) as { accessToken: string; refreshToken: string; user: { id: string; name: string } };
  }

  it("disables a user: their API token is refused and the list shows Disabled; enabling lets them back", async () => {
    const page = e2e.page;
    const created = await e2e.quorum.call("POST", "/api/users", { name: "Tom Token", role: "sales", tokenName: "Laptop" });
    const token = created.plainToken as string;
    expect((await me(token)).status).toBe(200);

    await e2e.open("#/users");
    const tom = page.getByRole("row", { name: /Tom Token/ });
    await tom.getByText("Enabled").waitFor();
    await tom.getByRole("button", { name: "Disable Tom Token" }).click();
    const confirm = tom.getByRole("group", { name: "Disable Tom Token" });
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain(
      "A browser that is still signed in loses access within 1 minute (the access-token lifetime on this server)",
    );
    await e2e.shot("users-disable-confirm");
    await expectNoAxeViolations(page, "users: disable confirmation");
    await confirm.getByRole("button", { name: "Disable user" }).click();
    await tom.getByText(/^Disabled since /).waitFor();
    await tom.getByText("Tom Token is disabled. Sign-ins ended: 0. API tokens revoked: 1.").waitFor();

    const refused = await me(token);
    expect(refused.status).toBe(401);
    const users = (await e2e.quorum.call("GET", "/api/users")).items as Array<{ name: string; disabledAt: string | null }>;
    expect(users.find((u) => u.name === "Tom Token")!.disabledAt).not.toBeNull();
    // the refusal for yourself is shown, and nothing changes
    const myRow = page.getByRole("row").filter({ has: page.getByText("(you)") });
    await myRow.getByRole("button", { name: /^Disable / }).click();
    await myRow.getByRole("button", { name: "Disable user" }).click();
    await myRow.getByRole("alert").getByText("You cannot disable yourself. Ask another admin to do it.").waitFor();
    expect((await me(ADMIN_TOKEN)).status).toBe(200);
    await e2e.shot("users-disabled");
    await expectNoAxeViolations(page, "users: a disabled user and a refusal");

    await tom.getByRole("button", { name: "Enable Tom Token" }).click();
    await tom.getByText("Enabled", { exact: true }).waitFor();
    // enabling restores no token: the admin issues a new one, which works
    expect((await me(token)).status).toBe(401);
    const again = await e2e.quorum.call("POST", `/api/users/${created.user.id}/tokens`, { name: "New laptop" });
    expect((await me(again.plainToken)).status).toBe(200);
  });

  it("lists a rep's sign-in through the identity provider and ends it: refresh and access token are refused", async () => {
    const page = e2e.page;
    const ana = await signInThroughProvider("ana");
    expect((await me(ana.accessToken)).status).toBe(200);

    await e2e.open(`#/users/${ana.user.id}`);
    await page
      .getByRole("row", { name: /Ana Rep/ })
      .getByText("ana@example.com")
      .waitFor();
    const panel = page.getByTestId("sign-ins-panel");
    await panel.getByRole("heading", { name: "Sign-ins of Ana Rep" }).waitFor();
    const item = panel.getByTestId("sign-in-row");
    await expect.poll(() => item.count()).toBe(1);
    expect(await item.textContent()).toMatch(/^Chrome.*Signed in .* · last renewed .* · ends /);
    await e2e.shot("users-sign-ins");
    await expectNoAxeViolations(page, "users: a user's sign-ins");

    await item.getByRole("button", { name: /^End sign-in in Chrome from / }).click();
    await item.getByText("It loses access within 1 minute and that browser must sign in again").waitFor();
    await expectNoAxeViolations(page, "users: end sign-in confirmation");
    await item.getByRole("group").getByRole("button", { name: "End sign-in" }).click();
    await panel.getByText("Sign-in in Chrome ended.").waitFor();
    await panel.getByText("Ana Rep is not signed in anywhere.").waitFor();

    const refresh = await post("/auth/sso/refresh", { refreshToken: ana.refreshToken });
    expect(refresh.status).toBe(401);
    expect((await refresh.json()).error.details.reason).toBe("session_revoked");
    // this server process made the change: the access token stops at once (elsewhere within its 60 s lifetime)
    expect((await me(ana.accessToken)).status).toBe(401);

    // signed in again, then disabled from the console: that sign-in ends with it
    const second = await signInThroughProvider("ana");
    await page.reload(); // same address: reload to fetch the sign-ins again
    await page.locator("main h1").first().waitFor();
    await expect.poll(() => panel.getByTestId("sign-in-row").count()).toBe(1);
    const row = page.getByRole("row", { name: /Ana Rep/ });
    await row.getByRole("button", { name: "Disable Ana Rep" }).click();
    await row.getByRole("button", { name: "Disable user" }).click();
    await row.getByText("Ana Rep is disabled. Sign-ins ended: 1. API tokens revoked: 0.").waitFor();
    await panel.getByText("Ana Rep is not signed in anywhere.").waitFor();
    expect((await post("/auth/sso/refresh", { refreshToken: second.refreshToken })).status).toBe(401);
    expect((await me(second.accessToken)).status).toBe(401);
  });
});
