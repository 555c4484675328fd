/**
 * CRM pages as reps really see them, end to end: real Chromium, the built extension, a real Quorum server with the
 * shipped default role template, and the saved pages served at their real hosts. Console tabs, timelines and error
 * pages get no controls; the legacy hash URL is an account; one click adds with the pre-chosen role and undoes
 * inline; a refused token and a server that is down are said in one line; an account with two groups names the group.
 */
import { type AddressInfo, createServer } from "node:net";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEFAULT_TEMPLATE } from "../../server/seed/demo-config";
import { closeAll, launchBrowser, requireChromium, screenshot, startCrmServer, startQuorum, tempDir } from "./harness";

vi.setConfig({ testTimeout: 60_000 });

const TOKEN = "e2e-pages-admin-token-0123456789";
const CONSOLE = {
  fixture: "salesforce-console-tabs.html",
  url: "https://umbrella.lightning.force.com/lightning/r/Account/001Dn00000UmbrlIAB/view?ws=%2Flightning%2Fr%2FAccount%2F001Dn00000UmbrlIAB%2Fview",
  recordId: "001Dn00000UmbrlIAB",
  name: "Umbrella Corporation",
};
const LEGACY = {
  fixture: "salesforce-legacy-hash.html",
  url: "https://fromagerie.lightning.force.com/one/one.app#/sObject/001Dn00000FrmgrIAB/view",
  recordId: "001Dn00000FrmgrIAB",
  name: "Fromagerie Dubois SA",
};
const HUBSPOT_FR = {
  fixture: "hubspot-company-fr.html",
  url: "https://app-eu1.hubspot.com/contacts/26543210/record/0-2/31337000123",
  recordId: "31337000123",
  name: "Maison Lemaire",
};
const ERROR_PAGE = {
  fixture: "salesforce-error-privileges.html",
  url: "https://globex.lightning.force.com/lightning/r/Account/001Dn00000SecrtIAB/view",
};

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe("CRM pages as they really are, in Chromium against a real server", () => {
  let quorum: Awaited<ReturnType<typeof startQuorum>>;
  let crm: Awaited<ReturnType<typeof startCrmServer>>;
  let context: BrowserContext;
  let extensionId: string;
  let tab: Page;
  let extensionPage: Page;
  const dirs: string[] = [];
  const groups = new Map<string, string>();
  const accounts = new Map<string, string>();
  let templateId = "";

  /** The controls and notices the extension put on the CRM page: their visible text, in page order. */
  const ownTexts = () =>
    tab.evaluate(() =>
      Array.from(document.querySelectorAll("[data-quorum-ui]")).map((h) =>
        Array.from(h.shadowRoot?.querySelectorAll("button, span.member, span.note, span.error") ?? [])
          .map((e) => e.textContent)
          .join(" | "),
      ),
    );
  /** What the background knows about the CRM tab (asked from an extension page, as the side panel does). */
  const pageContext = () =>
    extensionPage.evaluate(async () => {
      const runtime = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<any> } } }).chrome
        .runtime;
      const res = await runtime.sendMessage({ type: "panel/context" });
      return res.ok ? (res.data.page as { recordId: string; contacts: Array<{ name: string }> } | null) : null;
    });
  const members = async (recordId: string) =>
    (await quorum.call("GET", `/api/groups/${groups.get(recordId)}`)).members.map((m: any) => [m.name, m.roleKey]);

  /**
   * Stores settings as they are (the options page's Save tests them first and refuses a bad token or a server that
   * is down: here the token is revoked, or the server stops, after it was saved).
   */
  async function configure(serverUrl: string, token: string) {
    const options = await context.newPage();
    await options.goto(`chrome-extension://${extensionId}/options.html`);
    await options.evaluate(
      async (s) => {
        // biome-ignore lint/suspicious/noExplicitAny: the extension API of the page
        const r = await (globalThis as any).chrome.runtime.sendMessage({ type: "settings/save", settings: s });
        if (!r?.ok) throw new Error(`settings/save: ${JSON.stringify(r)}`);
      },
      { serverUrl, token, language: "en", customCrms: [] },
    );
    await options.close();
  }

  beforeAll(async () => {
    requireChromium();
    const dataDir = tempDir("quorum-e2e-pages-data-");
    const certDir = tempDir("quorum-e2e-pages-cert-");
    dirs.push(dataDir, certDir);
    quorum = await startQuorum(dataDir, TOKEN);
    // The shipped default template, as a fresh install with the demo data has it.
    const template = await quorum.call("POST", "/api/role-templates", DEFAULT_TEMPLATE);
    await quorum.call("POST", `/api/role-templates/${template.id}/publish`);
    templateId = template.id;
    const si = await quorum.call("POST", "/api/solution-interests", { name: "Data Platform", roleTemplateId: templateId });
    for (const a of [
      { ...CONSOLE, crm: "salesforce" },
      { ...LEGACY, crm: "salesforce" },
      { ...HUBSPOT_FR, crm: "hubspot" },
    ]) {
      const acc = await quorum.call("POST", "/api/accounts", { name: a.name, crmLinks: [{ crm: a.crm, recordId: a.recordId }] });
      accounts.set(a.recordId, acc.id);
      const g = await quorum.call("POST", "/api/groups", { accountId: acc.id, solutionInterestId: si.id });
      groups.set(a.recordId, g.id);
    }
    crm = await startCrmServer(certDir, [CONSOLE, LEGACY, HUBSPOT_FR, ERROR_PAGE]);
    const userDataDir = tempDir("quorum-e2e-pages-profile-");
    dirs.push(userDataDir);
    ({ context, extensionId } = await launchBrowser(userDataDir, crm.port, crm.hosts));
    tab = context.pages()[0] ?? (await context.newPage());
    extensionPage = await context.newPage();
    await extensionPage.goto(`chrome-extension://${extensionId}/options.html`);
    await configure(quorum.base, TOKEN);
  }, 120_000);

  afterAll(async () => {
    await closeAll(context, dirs);
    await quorum?.close();
    crm?.server.close();
  });

  it("console workspace tabs, subtabs and the activity timeline get no control: only the account's related list", async () => {
    await tab.goto(CONSOLE.url);
    await tab.locator("[data-quorum-ui]").nth(2).waitFor({ state: "attached" });
    expect(await ownTexts()).toEqual([
      "+ Add as Decision maker", // Chief Executive Officer
      "+ Add as Influencer", // Director of Research
      "+ Add as Practitioner", // Security Specialist
    ]);
    const anchors = await tab.evaluate(() =>
      Array.from(document.querySelectorAll("[data-quorum-ui]")).map((h) => {
        const a = h.previousElementSibling;
        return [a?.textContent?.trim(), a?.closest('[role="tablist"], .slds-timeline') === null];
      }),
    );
    expect(anchors).toEqual([
      ["Oswell Spencer", true],
      ["Annette Birkin", true],
      ["Leon Kennedy", true],
    ]);
    await screenshot(tab, "crm-console-tabs");
  });

  it("a French HubSpot page: controls on the association card only, not on the timeline or a deal's contact", async () => {
    await tab.goto(HUBSPOT_FR.url);
    await tab.locator("[data-quorum-ui]").nth(2).waitFor({ state: "attached" });
    expect(await ownTexts()).toEqual(["+ Add as Decision maker", "+ Add as Influencer", "+ Add as Legal & procurement"]);
    expect(
      await tab.locator(".Timeline [data-quorum-ui], [data-test-id='crm-card-association-deals'] [data-quorum-ui]").count(),
    ).toBe(0);
    await screenshot(tab, "crm-hubspot-fr-cards");
  });

  it("an Insufficient Privileges page at an account URL is no account page: no controls", async () => {
    await tab.goto(ERROR_PAGE.url);
    await expect.poll(async () => (await pageContext()) === null, { timeout: 15_000 }).toBe(true);
    expect(await tab.locator("[data-quorum-ui]").count()).toBe(0);
    await screenshot(tab, "crm-error-page");
  });

  it("the legacy one.app#/sObject hash URL is the account; one click adds a title-only contact with the pre-chosen role; undo", async () => {
    await tab.goto(LEGACY.url);
    await expect.poll(async () => (await pageContext())?.recordId, { timeout: 15_000 }).toBe(LEGACY.recordId);
    // Claire Martin: "Directrice financière", no e-mail: the default template's rules pre-choose from the title alone.
    const add = tab.getByRole("button", { name: "Add as Legal & procurement: Claire Martin" });
    await add.waitFor();
    await screenshot(tab, "crm-legacy-hash-before-click");
    await add.click();
    const claire = tab.locator('[data-quorum-contact="003Dn00000CmartIAB"]');
    await claire.getByText("✓ In group: Legal & procurement").waitFor();
    expect(await members(LEGACY.recordId)).toEqual([["Claire Martin", "economic-buyer"]]);
    await screenshot(tab, "crm-legacy-hash-added");
    await tab.getByRole("button", { name: "Undo: Claire Martin" }).click();
    await add.waitFor();
    expect(await members(LEGACY.recordId)).toEqual([]);
  });

  it("a refused token and a server that is down are said in one line; the controls come back with a good token", async () => {
    await configure(quorum.base, "revoked-token-000000000000");
    await tab.goto(LEGACY.url);
    const notice = tab.locator('[data-quorum-ui="page-notice"]');
    await notice.waitFor({ state: "attached" });
    expect(await ownTexts()).toEqual(["Quorum: Your API token was refused. Ask your Quorum admin for a new token."]);
    await screenshot(tab, "crm-token-refused");

    await configure(`http://127.0.0.1:${await closedPort()}`, TOKEN);
    await expect
      .poll(ownTexts, { timeout: 15_000 })
      .toEqual(["Quorum: The Quorum server cannot be reached. The buttons come back when it answers."]);
    expect(JSON.stringify(await ownTexts())).not.toContain("Failed");
    await screenshot(tab, "crm-server-down");

    await configure(quorum.base, TOKEN); // the background tells the tab: the controls come back without a reload
    await tab.getByRole("button", { name: "Add as Legal & procurement: Claire Martin" }).waitFor();
    expect(await notice.count()).toBe(0);
  });

  it("on an account with two groups, each control names the group it adds to, and adds there", async () => {
    const security = await quorum.call("POST", "/api/solution-interests", { name: "Security", roleTemplateId: templateId });
    const second = await quorum.call("POST", "/api/groups", {
      accountId: accounts.get(CONSOLE.recordId),
      solutionInterestId: security.id,
    });
    await tab.goto(CONSOLE.url);
    // the most recently changed group: the new one
    const add = tab.getByRole("button", { name: "Add to Security as Decision maker: Oswell Spencer" });
    await add.waitFor();
    expect(await ownTexts()).toEqual([
      "+ Add to Security as Decision maker",
      "+ Add to Security as Influencer",
      "+ Add to Security as Practitioner",
    ]);
    await screenshot(tab, "crm-two-groups");
    await add.click();
    await tab.locator('[data-quorum-contact="003Dn00000OspncIAB"]').getByText("✓ In Security: Decision maker").waitFor();
    const inSecurity = (await quorum.call("GET", `/api/groups/${second.id}`)).members.map((m: any) => m.name);
    expect(inSecurity).toEqual(["Oswell Spencer"]);
    expect(await members(CONSOLE.recordId)).toEqual([]);
  });
});
