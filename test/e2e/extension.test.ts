/**
 * The extension end to end: real Chromium + the built extension + a real Quorum server + CRM pages at their real hosts.
 * One browser for the whole file (Chromium start-up dominates); tests run in order and share the seeded data.
 */
import { type AddressInfo, createServer } from "node:net";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  type CrmPage,
  closeAll,
  launchBrowser,
  requireChromium,
  screenshot,
  startCrmServer,
  startQuorum,
  tempDir,
} from "./harness";

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

// One shared browser under a loaded CI machine (the server suites run in parallel): give each step room.
vi.setConfig({ testTimeout: 45_000 });

const TOKEN = "e2e-admin-token-0123456789abcdef";
const SI = "Data Platform";

interface CrmAccount extends CrmPage {
  crm: string;
  recordId: string;
  name: string;
  domain: string;
}

const ACCOUNTS: CrmAccount[] = [
  {
    crm: "salesforce",
    fixture: "salesforce-account-shadow.html",
    url: "https://globex.lightning.force.com/lightning/r/Account/001Dn00000GlbxAIAR/view",
    recordId: "001Dn00000GlbxAIAR",
    name: "Globex Corporation",
    domain: "globex.com",
  },
  {
    crm: "hubspot",
    fixture: "hubspot-company-record.html",
    url: "https://app.hubspot.com/contacts/2468013/record/0-2/9081726354",
    recordId: "9081726354",
    name: "Vandelay Industries",
    domain: "vandelay.com",
  },
  {
    crm: "dynamics",
    fixture: "dynamics-account-grid.html",
    url: "https://contoso.crm4.dynamics.com/main.aspx?appid=7a2c1b10-5d2e-4f6a-9b3c-1d2e3f4a5b6c&pagetype=entityrecord&etn=account&id=%7B3F2504E0-4F89-11D3-9A0C-0305E82C3301%7D",
    recordId: "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
    name: "Contoso Pharmaceuticals",
    domain: "contoso-pharma.com",
  },
  {
    crm: "pipedrive",
    fixture: "pipedrive-organization.html",
    url: "https://dundermifflin.pipedrive.com/organization/731",
    recordId: "731",
    name: "Dunder Mifflin Paper Company",
    domain: "dundermifflin.com",
  },
  {
    crm: "pipedrive",
    fixture: "pipedrive-organization-classless.html",
    url: "https://dundermifflin.pipedrive.com/organization/732?tab=people",
    recordId: "732",
    name: "Vance Refrigeration",
    domain: "vancerefrigeration.com",
  },
  {
    crm: "zoho",
    fixture: "zoho-account-canvas.html",
    url: "https://crm.zoho.com/crm/org778812345/tab/Accounts/5725767000000412001",
    recordId: "5725767000000412001",
    name: "Zylker Inc",
    domain: "zylker.com",
  },
];
const UNKNOWN: CrmPage = {
  fixture: "hubspot-company-legacy.html",
  url: "https://app-eu1.hubspot.com/contacts/2468013/company/4455667788/?interaction=note",
};
const NOT_ACCOUNT: CrmPage = {
  fixture: "salesforce-contact.html",
  url: "https://globex.lightning.force.com/lightning/r/Contact/003Dn00000JsmthIAB/view",
};
const GLOBEX = ACCOUNTS[0]!;
const groupName = (a: CrmAccount) => `${SI} for ${a.name}`;

const ROLES = [
  {
    key: "decision-maker",
    name: "Decision maker",
    weighting: "vital",
    decisionMaker: true,
    conditions: { field: "jobTitle", op: "contains", value: ["CEO", "VP", "Vice President", "Owner", "CFO"] },
  },
  {
    key: "influencer",
    name: "Influencer",
    weighting: "important",
    conditions: { field: "jobTitle", op: "contains", value: "Director" },
  },
  {
    key: "practitioner",
    name: "Practitioner",
    weighting: "normal",
    conditions: { field: "jobTitle", op: "contains", value: "Engineer" },
  },
];

describe("the extension in Chromium against a real server", () => {
  let quorum: Awaited<ReturnType<typeof startQuorum>>;
  let crm: Awaited<ReturnType<typeof startCrmServer>>;
  let context: BrowserContext;
  let extensionId: string;
  let crmTab: Page;
  let panel: Page;
  const groups = new Map<string, string>();
  const dirs: string[] = [];

  beforeAll(async () => {
    requireChromium();
    const dataDir = tempDir("quorum-e2e-data-");
    const certDir = tempDir("quorum-e2e-cert-");
    dirs.push(dataDir, certDir);
    quorum = await startQuorum(dataDir, TOKEN);
    const template = await quorum.call("POST", "/api/role-templates", { name: "E2E roles", roles: ROLES });
    await quorum.call("POST", `/api/role-templates/${template.id}/publish`);
    const si = await quorum.call("POST", "/api/solution-interests", { name: SI, roleTemplateId: template.id });
    for (const a of ACCOUNTS) {
      const acc = await quorum.call("POST", "/api/accounts", {
        name: a.name,
        domain: a.domain,
        crmLinks: [{ crm: a.crm, recordId: a.recordId }],
      });
      const g = await quorum.call("POST", "/api/groups", { accountId: acc.id, solutionInterestId: si.id });
      groups.set(a.recordId, g.id);
      if (a === GLOBEX) {
        const people = [
          { firstName: "Hank", lastName: "Scorpio", email: "hank@globex.com", jobTitle: "CEO", role: "decision-maker" },
          { firstName: "Alice", lastName: "Adams", email: "alice@globex.com", jobTitle: "Data Engineer", role: "practitioner" },
          { firstName: "Bob", lastName: "Brown", email: "bob@globex.com", jobTitle: "Platform Engineer", role: "practitioner" },
        ];
        const members = [];
        for (const p of people) {
          const { person } = await quorum.call("POST", "/api/people", { accountId: acc.id, ...p, role: undefined });
          members.push({ personId: person.id, roleKey: p.role });
        }
        await quorum.call("POST", `/api/groups/${g.id}/members`, { members });
      }
    }
    const ws = await quorum.call("POST", "/api/workspaces", { name: "Sales plays" });
    const email = await quorum.call("POST", "/api/emails", {
      workspaceId: ws.id,
      name: "Intro to the data platform",
      subject: "Your data platform",
      htmlBody: "<p>Hello {{person.firstName}}</p>",
      textBody: "Hello {{person.firstName}}",
    });
    await quorum.call("POST", `/api/emails/${email.id}/approve`);
    crm = await startCrmServer(certDir, [...ACCOUNTS, UNKNOWN, NOT_ACCOUNT]);
    const userDataDir = tempDir("quorum-e2e-profile-");
    dirs.push(userDataDir);
    ({ context, extensionId } = await launchBrowser(userDataDir, crm.port, crm.hosts));
    crmTab = context.pages()[0] ?? (await context.newPage());
    panel = await context.newPage();
    await panel.setViewportSize({ width: 320, height: 900 });
    await panel.goto(`chrome-extension://${extensionId}/sidepanel.html`);
  }, 90_000);

  afterAll(async () => {
    await closeAll(context, dirs);
    await quorum?.close();
    crm?.server.close();
  });

  const ext = (path: string) => `chrome-extension://${extensionId}/${path}`;
  const memberEmails = async (recordId: string) => {
    const d = await quorum.call("GET", `/api/groups/${groups.get(recordId)}`);
    return new Map<string, string>(d.members.map((m: any) => [m.email, m.roleKey]));
  };

  async function configure(serverUrl: string, token: string) {
    const options = await context.newPage();
    await options.goto(ext("options.html"));
    await options.fill('input[name="serverUrl"]', serverUrl);
    await options.fill('input[name="token"]', token);
    await options.getByRole("button", { name: "Save" }).click();
    await options.getByText("Saved").waitFor();
    return options;
  }

  it("onboarding: Test connection shows the user and role", async () => {
    const options = await configure(quorum.base, TOKEN);
    await options.getByRole("button", { name: "Test connection" }).click();
    const result = options.getByTestId("connection-result");
    await result.getByText("Connected as").waitFor();
    expect(await result.textContent()).toContain("(admin)");
    await screenshot(options, "options-connected");
    await options.close();
  });

  it("detects the account on every CRM and the panel shows its group and scores", async () => {
    for (const a of ACCOUNTS) {
      await crmTab.goto(a.url);
      await crmTab.locator("[data-quorum-ui]").first().waitFor({ state: "attached" });
      await panel.locator('[data-testid="group-summary"] h2', { hasText: groupName(a) }).waitFor();
    }
    // Globex: three members, completeness 67 % (2 of 3 roles filled).
    await crmTab.goto(GLOBEX.url);
    await panel.locator('[data-testid="group-summary"] h2', { hasText: groupName(GLOBEX) }).waitFor();
    const server = await quorum.call("GET", `/api/groups/${groups.get(GLOBEX.recordId)}`);
    await panel.getByTestId("score-completeness").getByText(`${server.group.completeness} %`, { exact: true }).waitFor();
    expect(server.group.completeness).toBe(67);
    await panel.getByTestId("decision-makers").getByText("Hank Scorpio").waitFor();
    await panel.getByRole("button", { name: /Why 67/ }).click();
    await panel.getByText("Influencer: 0 of 1").first().waitFor();
    await screenshot(panel, "panel-overview");
  });

  it("one click on the CRM page assigns the contact with the rules' role; the panel updates; undo removes", async () => {
    await crmTab.goto(GLOBEX.url);
    const add = crmTab.getByRole("button", { name: "Add to buying group: Jane Smith" });
    await add.click();
    const jane = crmTab.locator('[data-quorum-contact="003Dn00000JsmthIAB"]');
    await jane.getByText("In group: Decision maker").waitFor();
    expect((await memberEmails(GLOBEX.recordId)).get("jane.smith@globex.com")).toBe("decision-maker");
    await panel.getByTestId("decision-makers").getByText("Jane Smith").waitFor();
    await screenshot(crmTab, "crm-salesforce-controls");

    await crmTab.getByRole("button", { name: "Undo: Jane Smith" }).click();
    await add.waitFor();
    expect((await memberEmails(GLOBEX.recordId)).has("jane.smith@globex.com")).toBe(false);
    await panel.getByTestId("decision-makers").getByText("Jane Smith").waitFor({ state: "detached" });
  });

  it("asks for a role when no rule matches", async () => {
    await crmTab.goto(GLOBEX.url);
    await crmTab.getByRole("button", { name: "Add to buying group: Frank Grimes" }).click();
    const menu = crmTab.getByRole("combobox", { name: "Choose a role: Frank Grimes" });
    await menu.selectOption("influencer");
    await crmTab.getByRole("button", { name: "Add to buying group", exact: true }).click();
    await crmTab.locator('[data-quorum-contact="003Dn00000FrankIAB"]').getByText("In group: Influencer").waitFor();
    expect([...(await memberEmails(GLOBEX.recordId)).values()]).toContain("influencer");
  });

  it("Members tab: bulk role change and bulk remove with confirmation", async () => {
    await panel.getByRole("tab", { name: "Members" }).click();
    await panel.getByRole("checkbox", { name: "Select Alice Adams" }).check();
    await panel.getByRole("checkbox", { name: "Select Bob Brown" }).check();
    await panel.getByRole("combobox", { name: "Change role to" }).selectOption("influencer");
    await panel.getByRole("button", { name: "Change role", exact: true }).click();
    await panel.getByTestId("action-outcome").getByText("2 changed").waitFor();
    let members = await memberEmails(GLOBEX.recordId);
    expect([members.get("alice@globex.com"), members.get("bob@globex.com")]).toEqual(["influencer", "influencer"]);

    await panel.getByRole("checkbox", { name: "Select Bob Brown" }).check();
    await panel.getByRole("button", { name: "Remove", exact: true }).click();
    await panel.getByText("Remove 1 members from the buying group?").waitFor();
    await screenshot(panel, "panel-members-confirm");
    await panel.getByRole("button", { name: "Yes, remove" }).click();
    await panel.getByTestId("member-list").getByText("Bob Brown").waitFor({ state: "detached" });
    members = await memberEmails(GLOBEX.recordId);
    expect(members.has("bob@globex.com")).toBe(false);
    expect(members.has("alice@globex.com")).toBe(true);
    await screenshot(panel, "panel-members");
    await panel.getByRole("tab", { name: "Overview" }).click();
  });

  it("Members tab: send an approved email with a preview and a result per recipient", async () => {
    await crmTab.goto(GLOBEX.url);
    await panel.locator('[data-testid="group-summary"] h2', { hasText: groupName(GLOBEX) }).waitFor();
    await panel.getByRole("tab", { name: "Members" }).click();
    await panel.getByRole("checkbox", { name: "Select Alice Adams" }).check();
    await panel.getByRole("checkbox", { name: "Select Frank Grimes" }).check();
    await panel.getByRole("button", { name: "Send email" }).click();
    await panel.getByTestId("email-preview").getByText("Your data platform").waitFor();
    await panel.getByRole("button", { name: "Send to 2" }).click();
    const result = panel.getByTestId("send-result");
    await result.getByText("Queued for Alice Adams <alice@globex.com>").waitFor();
    await result.getByText(/Frank Grimes: not sent/).waitFor();
    await screenshot(panel, "panel-send-email");
    const outbox = await quorum.call("GET", `/api/groups/${groups.get(GLOBEX.recordId)}/emails`);
    expect(outbox.items.map((m: any) => m.to)).toEqual(["alice@globex.com"]);
    await panel.getByRole("button", { name: "Close" }).click();
    await panel.getByRole("tab", { name: "Overview" }).click();
  });

  it("single-page navigation from one account to another switches the panel", async () => {
    const from = ACCOUNTS[3]!;
    const to = ACCOUNTS[4]!;
    await crmTab.goto(from.url);
    await panel.locator('[data-testid="group-summary"] h2', { hasText: groupName(from) }).waitFor();
    await crmTab.evaluate(async (url) => {
      const html = await (await fetch(url)).text();
      const next = new DOMParser().parseFromString(html, "text/html");
      history.pushState(null, "", url);
      document.title = next.title;
      document.body.replaceWith(document.adoptNode(next.body));
    }, to.url);
    await panel.locator('[data-testid="group-summary"] h2', { hasText: groupName(to) }).waitFor();
  });

  it("an unknown account can be created, then its group from a solution interest; a non-account page says so", async () => {
    await crmTab.goto(UNKNOWN.url);
    await panel.getByText("This account is not in Quorum yet").waitFor();
    await screenshot(panel, "panel-unknown-account");
    await panel.getByRole("button", { name: "Create account in Quorum" }).click();
    await panel.getByText("No buying group for this account").waitFor();
    await panel.getByRole("button", { name: "Create buying group" }).click();
    await panel.locator('[data-testid="group-summary"] h2', { hasText: `${SI} for Kramerica Industries` }).waitFor();
    const created = await quorum.call("GET", "/api/accounts/lookup?crm=hubspot&recordId=4455667788");
    expect(created.accounts.map((a: any) => a.domain)).toEqual(["kramerica.com"]);
    await crmTab.goto(NOT_ACCOUNT.url);
    await panel.getByText("Not an account page").waitFor();
  });

  it("wrong token and server down show their states", async () => {
    await crmTab.goto(GLOBEX.url);
    await (await configure(quorum.base, "wrong-token")).close();
    await panel.reload();
    await panel.getByText("The API token was refused").waitFor();
    await screenshot(panel, "panel-wrong-token");
    await (await configure(`http://127.0.0.1:${await closedPort()}`, TOKEN)).close();
    await panel.reload();
    await panel.getByText("The Quorum server cannot be reached").waitFor();
    await screenshot(panel, "panel-unreachable");
    await (await configure(quorum.base, TOKEN)).close();
    await panel.getByRole("button", { name: "Retry" }).or(panel.getByTestId("group-summary")).first().waitFor();
    if (await panel.getByRole("button", { name: "Retry" }).isVisible())
      await panel.getByRole("button", { name: "Retry" }).click();
    await panel.locator('[data-testid="group-summary"] h2', { hasText: groupName(GLOBEX) }).waitFor();
  });
});
