// @vitest-environment happy-dom
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import { createAdminApi } from "../../../extension/admin/api";
import { UsersScreen } from "../../../extension/admin/screens/users/UsersScreen";
import { language } from "../../../extension/models/locale";
import { issueAccessToken } from "../../../server/sso/access-token";
import * as ssoRepo from "../../../server/sso/sso.repo";
import { type AdminHarness, createAdminHarness } from "./admin-session";

// Disabling users and ending their sign-ins in the users screen, against a real in-process Quorum (admin session).
// The Chromium end-to-end version with a real identity provider is test/e2e/admin-users-access.test.ts.
let h: AdminHarness;
afterEach(async () => {
  language.value = "en";
  await h?.close();
});

const SSO_ENV = {
  QUORUM_SSO_ISSUER: "http://127.0.0.1:9/never-contacted",
  QUORUM_SSO_CLIENT_ID: "quorum-extension",
  QUORUM_SSO_ACCESS_TOKEN_SECONDS: "120",
};

function button(scope: ParentNode, text: string): HTMLButtonElement {
  const b = [...scope.querySelectorAll("button")].find(
    (x) => x.textContent?.trim() === text || x.getAttribute("aria-label") === text,
  );
  if (!b) throw new Error(`no button "${text}" in: ${scope.textContent}`);
  return b;
}
const click = (el: HTMLElement) => act(() => el.click());
const rows = () => [...h.root.querySelectorAll<HTMLElement>('[data-testid="user-row"]')];
const row = (name: string) => rows().find((r) => r.querySelector("th")?.textContent?.startsWith(name))!;
const state = (name: string) => row(name).querySelector('[data-testid="user-state"]')?.textContent;
const signIns = () => h.root.querySelector<HTMLElement>('[data-testid="sign-ins-panel"]')!;
const tokensPanel = () => h.root.querySelector<HTMLElement>('[data-testid="tokens-panel"]')!;
const usersOnServer = async () => (await h.ctx.call("GET", "/api/users")).body.items as Array<Record<string, any>>;
const me = (token: string) => h.ctx.call("GET", "/api/me", undefined, token);

async function mountAt(hash: string) {
  h.mount(<UsersScreen route={h.route(hash)} />);
  await h.waitFor(() => expect(rows().length).toBeGreaterThan(0));
}

/** A user as single sign-on creates them, signed in from Chrome (what POST /auth/sso/token writes). */
async function signedInUser(name: string, email: string) {
  const id = `usr_${name.toLowerCase().replace(/\W/g, "")}`;
  const now = h.ctx.clock.now;
  await ssoRepo.insertUser(h.ctx.deps.db, { id, name, email, role: "sales", now: now.toISOString() });
  const sessionId = `ssn_${id}`;
  await ssoRepo.insertSession(h.ctx.deps.db, {
    id: sessionId,
    userId: id,
    client: "chrome",
    now: now.toISOString(),
    expiresAt: new Date(now.getTime() + 8 * 3_600_000).toISOString(),
  });
  const refreshToken = `qrt_${"a".repeat(24)}${id.slice(4).padEnd(20, "z")}`;
  await ssoRepo.insertRefreshToken(h.ctx.deps.db, sessionId, refreshToken, now.toISOString());
  return { id, sessionId, refreshToken };
}

describe("users screen: disable and enable", () => {
  it("disables after a confirmation that says what happens and how soon; the token stops; enable again", async () => {
    h = await createAdminHarness({ env: SSO_ENV });
    const sales = (await usersOnServer()).find((u) => u.name === "sales tester")!;
    await mountAt(`#/users/${sales.id}`);
    expect(state("sales tester")).toBe("Enabled");
    expect(h.root.querySelector("thead")?.textContent).toContain("Access");

    click(button(row("sales tester"), "Disable sales tester"));
    const confirm = row("sales tester").querySelector("fieldset.confirm")!;
    expect(confirm.textContent).toContain("Their sign-ins end and their API tokens are revoked now");
    expect(confirm.textContent).toContain("loses access within 2 minutes (the access-token lifetime on this server)");
    expect(document.activeElement?.textContent).toBe("Cancel");
    click(button(confirm, "Cancel"));
    expect(row("sales tester").querySelector("fieldset.confirm")).toBeNull();
    expect((await me(h.ctx.tokens.sales)).status).toBe(200);

    click(button(row("sales tester"), "Disable sales tester"));
    click(button(row("sales tester"), "Disable user"));
    await h.waitFor(() => expect(state("sales tester")).toMatch(/^Disabled since Nov 23, 2026/));
    expect(row("sales tester").textContent).toContain("sales tester is disabled. Sign-ins ended: 0. API tokens revoked: 1.");
    expect((await me(h.ctx.tokens.sales)).status).toBe(401);
    expect((await usersOnServer()).find((u) => u.id === sales.id)!.disabledAt).not.toBeNull();
    // the open panel follows: the token is revoked and no new one can be made
    await h.waitFor(() => expect(tokensPanel().textContent).toContain("Revoked"));
    expect(tokensPanel().querySelector('[data-testid="disabled-no-token"]')?.textContent).toBe(
      "sales tester is disabled: enable the user to create a token.",
    );
    expect(tokensPanel().querySelector("form")).toBeNull();
    // the other users are untouched
    expect(state("marketer tester")).toBe("Enabled");
    expect((await me(h.ctx.tokens.marketer)).status).toBe(200);

    click(button(row("sales tester"), "Enable sales tester"));
    await h.waitFor(() => expect(state("sales tester")).toBe("Enabled"));
    expect(row("sales tester").textContent).toContain("sales tester is enabled again");
    expect((await usersOnServer()).find((u) => u.id === sales.id)!.disabledAt).toBeNull();
    await h.waitFor(() => expect(tokensPanel().querySelector("form")).not.toBeNull());
  });

  it("disabling yourself: the server's refusal is shown and nothing changes", async () => {
    h = await createAdminHarness();
    await mountAt("#/users");
    click(button(row("admin tester"), "Disable admin tester"));
    // without single sign-on there is no access-token lifetime to wait for
    expect(row("admin tester").querySelector("fieldset.confirm")?.textContent).toContain(
      "Their API tokens are revoked now and refused from the next request",
    );
    click(button(row("admin tester"), "Disable user"));
    await h.waitFor(() => expect(row("admin tester").querySelector('[role="alert"]')).not.toBeNull());
    expect(row("admin tester").querySelector('[role="alert"]')?.textContent).toBe(
      "You cannot disable yourself. Ask another admin to do it.",
    );
    expect(state("admin tester")).toBe("Enabled");
    expect((await me(h.ctx.tokens.admin)).status).toBe(200);
  });
});

describe("users screen: sign-ins", () => {
  it("lists a user's open sign-in and ends it after a confirmation; its refresh then fails", async () => {
    h = await createAdminHarness({ env: SSO_ENV, now: new Date() });
    const ana = await signedInUser("Ana Rep", "ana@example.com");
    await mountAt(`#/users/${ana.id}`);
    expect(row("Ana Rep").querySelector("th")?.textContent).toContain("ana@example.com");
    await h.waitFor(() => expect(signIns().querySelectorAll('[data-testid="sign-in-row"]')).toHaveLength(1));
    expect(signIns().querySelector("h2")?.textContent).toBe("Sign-ins of Ana Rep");
    const item = signIns().querySelector<HTMLElement>('[data-testid="sign-in-row"]')!;
    expect(item.textContent).toMatch(/^Chrome.*Signed in .* · last renewed .* · ends /);

    const endButton = [...item.querySelectorAll("button")].find((b) => b.textContent === "End sign-in")!;
    expect(endButton.getAttribute("aria-label")).toMatch(/^End sign-in in Chrome from /);
    click(endButton);
    expect(item.querySelector("fieldset.confirm")?.textContent).toContain("It loses access within 2 minutes");
    expect(document.activeElement?.textContent).toBe("Cancel");
    click(button(item, "Cancel"));
    expect((await h.ctx.call("GET", `/api/users/${ana.id}/sessions`)).body.items).toHaveLength(1);

    click([...item.querySelectorAll("button")].find((b) => b.textContent === "End sign-in")!);
    click(button(item.querySelector("fieldset.confirm")!, "End sign-in"));
    await h.waitFor(() => expect(signIns().querySelector('[data-testid="no-sign-ins"]')).not.toBeNull());
    expect(signIns().textContent).toContain("Sign-in in Chrome ended.");
    expect(signIns().textContent).toContain("Ana Rep is not signed in anywhere.");
    const refresh = await h.ctx.call("POST", "/auth/sso/refresh", { refreshToken: ana.refreshToken }, null);
    expect(refresh.status).toBe(401);
    expect(refresh.body.error.details.reason).toBe("session_revoked");
  });

  it("an admin signed in with single sign-on sees their own sign-in marked and is warned before ending it", async () => {
    h = await createAdminHarness({ env: SSO_ENV, now: new Date() });
    const ida = await signedInUser("Ida Admin", "ida@example.com");
    await h.ctx.deps.db.updateTable("users").set({ role: "admin" }).where("id", "=", ida.id).execute();
    // the console uses Ida's access token instead of the admin tester's API token
    const { token } = await issueAccessToken(
      h.ctx.deps,
      { userId: ida.id, name: "Ida Admin", role: "admin", sessionId: ida.sessionId },
      h.ctx.clock.now,
    );
    const boundFetch: typeof fetch = async (input, init) =>
      h.ctx.app.fetch(input instanceof Request ? input : new Request(String(input), init));
    h.session.api = createAdminApi("http://quorum.test", token, boundFetch);
    h.session.me = { ...h.session.me, id: ida.id, name: "Ida Admin", role: "admin" };
    await mountAt(`#/users/${ida.id}`);
    await h.waitFor(() => expect(signIns().querySelectorAll('[data-testid="sign-in-row"]')).toHaveLength(1));
    const item = signIns().querySelector<HTMLElement>('[data-testid="sign-in-row"]')!;
    expect(item.querySelector(".token-main")?.textContent).toBe("Chrome · this console's sign-in");
    click(button(item, "End sign-in"));
    expect(item.querySelector(".token-own-warning")?.textContent).toBe(
      "This is the sign-in this console uses: the console stops working within 2 minutes, then sign in again.",
    );
    click(button(item, "Cancel"));
    expect((await h.ctx.call("GET", "/api/me", undefined, token)).status).toBe(200);
  });

  it("without single sign-on the panel says so", async () => {
    h = await createAdminHarness();
    const sales = (await usersOnServer()).find((u) => u.name === "sales tester")!;
    await mountAt(`#/users/${sales.id}`);
    await h.waitFor(() => expect(signIns().querySelector('[data-testid="no-sign-ins"]')).not.toBeNull());
    expect(signIns().textContent).toContain("Single sign-on is not set up on this server");
  });

  it("in Dutch, Swedish and French", async () => {
    h = await createAdminHarness({ env: SSO_ENV });
    const sales = (await usersOnServer()).find((u) => u.name === "sales tester")!;
    await mountAt(`#/users/${sales.id}`);
    for (const [lang, disable, heading, lifetime] of [
      ["nl", "Uitschakelen", "Aanmeldingen van sales tester", "2 minuten"],
      ["sv", "Inaktivera", "Inloggningar för sales tester", "2 minuter"],
      ["fr", "Désactiver", "Connexions de sales tester", "2 minutes"],
    ] as const) {
      act(() => {
        language.value = lang;
      });
      await h.settle();
      expect(row("sales tester").querySelector(".access-row button")?.textContent).toBe(disable);
      expect(signIns().querySelector("h2")?.textContent).toBe(heading);
      expect(signIns().textContent).toContain(lifetime);
    }
  });
});
