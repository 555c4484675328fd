/**
 * Team roll-out end to end: a rep with no settings at all, in Chromium started with an organisation policy
 * (/etc/chromium/policies/managed/<unique>.json, scoped by "3rdparty" to this test build's extension id only, removed
 * afterwards; nothing is force-installed), signs in through a real OpenID Connect provider's login page (oidc-provider
 * on loopback) and sees the account's group. Also: the options page shows the organisation's values locked, a sales
 * user cannot use the admin console, an expired access token is renewed without asking, and sign-out.
 *
 * The build gets a test-only manifest `key` (QUORUM_MANIFEST_KEY) so its id is known before Chromium starts; it is
 * built into a private folder so the shared .output/chrome-mv3 of the other e2e files stays as it is.
 */
import { execFileSync } from "node:child_process";
import { createHash, generateKeyPairSync } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestIdp, type TestIdp } from "../helpers/oidc-provider";
import {
  CHROMIUM,
  type CrmPage,
  closeAll,
  ROOT,
  requireChromium,
  screenshot,
  startCrmServer,
  startQuorum,
  tempDir,
} from "./harness";

vi.setConfig({ testTimeout: 60_000 });

const POLICY_DIR = "/etc/chromium/policies/managed";
const POLICY_FILE = join(POLICY_DIR, `quorum-e2e-sso-${process.pid}-${Date.now()}.json`);
const OUT_DIR = join(ROOT, ".output", `sso-e2e-${process.pid}`);
const TOKEN = "e2e-sso-admin-token-0123456789abcdef";
const ACCESS_SECONDS = 6;
const GLOBEX: CrmPage & { recordId: string } = {
  fixture: "salesforce-account-shadow.html",
  url: "https://globex.lightning.force.com/lightning/r/Account/001Dn00000GlbxAIAR/view",
  recordId: "001Dn00000GlbxAIAR",
};
const GROUP = "Data Platform for Globex Corporation";

/** A manifest key and the extension id Chromium derives from it (first 32 hex digits of its SHA-256, as a–p). */
function testKey(): { key: string; id: string } {
  const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const der = publicKey.export({ type: "spki", format: "der" });
  const hex = createHash("sha256").update(der).digest("hex").slice(0, 32);
  const id = [...hex].map((c) => String.fromCharCode(97 + Number.parseInt(c, 16))).join("");
  return { key: der.toString("base64"), id };
}

function removePolicy(): void {
  rmSync(POLICY_FILE, { force: true });
  // Leave the folders if anything else is in them (another session's policy, the system's own).
  for (const dir of [POLICY_DIR, "/etc/chromium/policies"]) {
    try {
      if (existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
    } catch {
      // not ours to remove
    }
  }
}

describe("team roll-out: managed settings and single sign-on in Chromium", () => {
  let idp: TestIdp;
  let quorum: Awaited<ReturnType<typeof startQuorum>>;
  let crm: Awaited<ReturnType<typeof startCrmServer>>;
  let context: BrowserContext | undefined;
  let panel: Page;
  let crmTab: Page;
  const dirs: string[] = [];
  const { key, id } = testKey();
  const ext = (path: string) => `chrome-extension://${id}/${path}`;

  beforeAll(async () => {
    requireChromium();
    process.once("exit", removePolicy);
    execFileSync(join(ROOT, "node_modules/.bin/wxt"), ["build"], {
      cwd: ROOT,
      stdio: "pipe",
      timeout: 170_000,
      env: { ...process.env, QUORUM_WXT_OUT_DIR: OUT_DIR, QUORUM_MANIFEST_KEY: key },
    });
    idp = await startTestIdp({
      clients: [{ clientId: "quorum-extension", redirectUris: [`https://${id}.chromiumapp.org/`] }],
      accounts: {
        ana: { email: "ana@globex-seller.example", name: "Ana Rep", groups: ["Sales EMEA"] },
      },
    });
    const dataDir = tempDir("quorum-e2e-sso-data-");
    const certDir = tempDir("quorum-e2e-sso-cert-");
    const profile = tempDir("quorum-e2e-sso-profile-");
    dirs.push(dataDir, certDir, profile, OUT_DIR);
    quorum = await startQuorum(dataDir, TOKEN, {
      QUORUM_SSO_ISSUER: idp.issuer,
      QUORUM_SSO_CLIENT_ID: "quorum-extension",
      QUORUM_SSO_SALES: "Sales EMEA",
      QUORUM_SSO_SCOPES: "openid email profile groups",
      QUORUM_SSO_ACCESS_TOKEN_SECONDS: String(ACCESS_SECONDS),
    });
    const template = await quorum.call("POST", "/api/role-templates", {
      name: "Roles",
      roles: [{ key: "decision-maker", name: "Decision maker", weighting: "vital", decisionMaker: true, conditions: null }],
    });
    await quorum.call("POST", `/api/role-templates/${template.id}/publish`);
    const si = await quorum.call("POST", "/api/solution-interests", { name: "Data Platform", roleTemplateId: template.id });
    const acc = await quorum.call("POST", "/api/accounts", {
      name: "Globex Corporation",
      domain: "globex.com",
      crmLinks: [{ crm: "salesforce", recordId: GLOBEX.recordId }],
    });
    await quorum.call("POST", "/api/groups", { accountId: acc.id, solutionInterestId: si.id });
    crm = await startCrmServer(certDir, [GLOBEX]);

    // The organisation's policy, for this build's id only.
    mkdirSync(POLICY_DIR, { recursive: true });
    writeFileSync(
      POLICY_FILE,
      JSON.stringify({
        "3rdparty": {
          extensions: {
            [id]: { serverUrl: quorum.base, ssoIssuer: idp.issuer, ssoClientId: "quorum-extension", enabledCrms: ["salesforce"] },
          },
        },
      }),
    );
    const extensionDir = join(OUT_DIR, "chrome-mv3");
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      ignoreDefaultArgs: ["--disable-extensions"],
      viewport: { width: 1100, height: 800 },
      args: [
        "--no-sandbox",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        `--disable-extensions-except=${extensionDir}`,
        `--load-extension=${extensionDir}`,
        `--host-resolver-rules=${crm.hosts.map((h) => `MAP ${h} 127.0.0.1:${crm.port}`).join(", ")}`,
        "--ignore-certificate-errors",
        "--lang=en-US",
      ],
    });
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker", { timeout: 60_000 }));
    expect(new URL(worker.url()).host).toBe(id);
    crmTab = context.pages()[0] ?? (await context.newPage());
    panel = await context.newPage();
    await panel.setViewportSize({ width: 320, height: 900 });
  }, 240_000);

  afterAll(async () => {
    removePolicy();
    await closeAll(context, dirs);
    await quorum?.close();
    await idp?.close();
    crm?.server.close();
  });

  it("the rep signs in through the provider's login page and sees the account's group", async () => {
    await crmTab.goto(GLOBEX.url);
    await panel.goto(ext("sidepanel.html"));
    // No settings of their own: the policy gave the server address, so the panel offers the organisation's sign-in.
    const signIn = panel.getByTestId("sso-sign-in");
    await signIn.waitFor({ timeout: 30_000 });
    await screenshot(panel, "sso-panel-sign-in");
    const popup = context!.waitForEvent("page", { predicate: (p) => p.url().startsWith(idp.issuer) });
    await signIn.click();
    const login = await popup;
    await login.locator('input[name="login"]').fill("ana");
    await login.locator('input[name="password"]').fill("correct horse battery staple");
    await screenshot(login, "sso-provider-login");
    await login.locator('button[type="submit"]').click();
    await panel
      .locator('[data-testid="group-summary"] h2', { hasText: GROUP })
      .waitFor({ timeout: 30_000 })
      .catch(async (e) => {
        throw new Error(`${e}\npanel: ${await panel.locator("body").textContent()}`);
      });
    await screenshot(panel, "sso-panel-signed-in");
    const users = await quorum.call("GET", "/api/users");
    expect(users.items.find((u: { name: string }) => u.name === "Ana Rep")).toMatchObject({ role: "sales" });
  });

  it("the options page shows the organisation's settings locked and who is signed in", async () => {
    const options = await context!.newPage();
    await options.goto(ext("options.html"));
    await options.getByTestId("managed-serverUrl").getByText("Set by your organisation").waitFor();
    expect(await options.locator('input[name="serverUrl"]').inputValue()).toBe(quorum.base);
    expect(await options.locator('input[name="serverUrl"]').isDisabled()).toBe(true);
    await options.getByTestId("sso-account").getByText("Signed in as Ana Rep (sales).").waitFor();
    await screenshot(options, "sso-options-managed");
    await options.close();
  });

  it("a sales user cannot open the admin console", async () => {
    const admin = await context!.newPage();
    await admin.goto(ext("admin.html"));
    await admin.getByRole("alert").getByText(/sales/).waitFor();
    expect(await admin.getByRole("navigation").count()).toBe(0);
    await admin.close();
  });

  it("an expired access token is renewed without asking the rep", async () => {
    const worker = context!.serviceWorkers().find((w) => w.url().includes(id))!;
    const before = (await worker.evaluate(() => (globalThis as any).chrome.storage.local.get("sso"))) as {
      sso: { accessToken: string; refreshToken: string };
    };
    // Let it expire on the server too, then make the panel load again.
    await new Promise((r) => setTimeout(r, (ACCESS_SECONDS + 1) * 1000));
    const pagesBefore = context!.pages().length;
    await panel.reload();
    await panel.locator('[data-testid="group-summary"] h2', { hasText: GROUP }).waitFor({ timeout: 30_000 });
    const after = (await worker.evaluate(() => (globalThis as any).chrome.storage.local.get("sso"))) as {
      sso: { accessToken: string; refreshToken: string };
    };
    expect(after.sso.accessToken).not.toBe(before.sso.accessToken);
    expect(after.sso.refreshToken).not.toBe(before.sso.refreshToken);
    expect(context!.pages().length).toBe(pagesBefore); // no login window
  });

  it("signing out ends the session; the panel offers sign-in again", async () => {
    const options = await context!.newPage();
    await options.goto(ext("options.html"));
    await options.getByRole("button", { name: "Sign out" }).click();
    await options.getByTestId("sso-sign-in").waitFor();
    await options.close();
    await panel.reload();
    await panel.getByTestId("sso-sign-in").waitFor();
  });
});
