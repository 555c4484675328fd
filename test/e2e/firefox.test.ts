/**
 * The Firefox build: its manifest (always), and — where Firefox ESR is installed (`apt-get install -y firefox-esr`, or
 * QUORUM_FIREFOX) — the built extension really loaded in headless Firefox against a real server: options, test
 * connection, detection on a CRM page served at its real host, one-click assign, and the side panel page.
 *
 * Firefox has no --host-resolver-rules: the CRM hosts are reached through a local HTTPS (CONNECT) proxy that tunnels
 * them to the fixture server; loopback (the Quorum server) is never proxied. The extension is installed as a temporary
 * add-on over WebDriver BiDi (webExtension.install), which is how about:debugging loads an unsigned build.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { FIREFOX, type Firefox, hasFirefox, launchFirefox, startConnectProxy } from "./firefox-bidi";
import { ARTIFACTS, closeAll, ROOT, startCrmServer, startQuorum, tempDir } from "./harness";

vi.setConfig({ testTimeout: 60_000 });

const OUT_BASE = tempDir("quorum-e2e-ff-build-");
const OUT = join(OUT_BASE, "firefox-mv3");
const GECKO_ID = "quorum@example.org";
const UUID = "6d1f7a3e-2c4b-4e5f-8a9b-0c1d2e3f4a5b";
const TOKEN = "e2e-firefox-token-0123456789abcdef";
const PAGE = { fixture: "pipedrive-organization.html", url: "https://dundermifflin.pipedrive.com/organization/731" };
const GROUP_NAME = "Data Platform for Dunder Mifflin Paper Company";

let built = false;
/** The end-to-end global setup builds only Chrome; the Firefox build has its own output folder. Once per file. */
function buildFirefox(): void {
  if (built) return;
  execFileSync(join(ROOT, "node_modules/.bin/wxt"), ["build", "-b", "firefox"], {
    cwd: ROOT,
    stdio: "pipe",
    timeout: 120_000,
    // A private output folder: never touches .output/ (which other builds and test files use).
    env: { ...process.env, QUORUM_WXT_OUT_DIR: OUT_BASE },
  });
  built = true;
}

afterAll(() => rmSync(OUT_BASE, { recursive: true, force: true }));

describe("the Firefox build", () => {
  beforeAll(buildFirefox, 150_000);

  it("manifest: MV3 with a gecko id, a sidebar instead of Chrome's side panel, every entrypoint present", () => {
    const manifest = JSON.parse(readFileSync(join(OUT, "manifest.json"), "utf8"));
    expect(manifest.manifest_version).toBe(3);
    expect(manifest.browser_specific_settings).toEqual({ gecko: { id: GECKO_ID } });
    // no "sidePanel" (Chrome only); identity: single sign-on (launchWebAuthFlow)
    expect(manifest.permissions).toEqual(["storage", "scripting", "identity"]);
    // Organisation settings: Firefox fills storage.managed from policies.json ("3rdparty" → "Extensions" → the id).
    expect(manifest.storage).toEqual({ managed_schema: "managed-schema.json" });
    expect(JSON.parse(readFileSync(join(OUT, "managed-schema.json"), "utf8")).properties).toHaveProperty("serverUrl");
    expect(manifest.side_panel).toBeUndefined();
    expect(manifest.sidebar_action).toMatchObject({ default_panel: "sidepanel.html" });
    // Firefox MV3 runs the background as an event page (scripts), not a service worker.
    expect(manifest.background).toEqual({ type: "module", scripts: ["background.js"] });
    expect(manifest.options_ui).toEqual({ open_in_tab: true, page: "options.html" });
    expect(manifest.optional_host_permissions).toEqual(["*://*/*"]);
    expect(manifest.host_permissions).toEqual(expect.arrayContaining(["https://*.lightning.force.com/*", "http://127.0.0.1/*"]));
    const scripts = manifest.content_scripts.flatMap((c: { js: string[] }) => c.js).sort();
    expect(scripts).toEqual(["dynamics-crm.js", "hubspot-crm.js", "pipedrive-crm.js", "salesforce-crm.js", "zoho-crm.js"]);
    for (const file of [...scripts, "custom-crm.js", "background.js", "sidepanel.html", "options.html"]) {
      expect(existsSync(join(OUT, file)), file).toBe(true);
    }
    for (const lang of ["en", "nl", "sv", "fr"]) expect(existsSync(join(OUT, `_locales/${lang}/messages.json`)), lang).toBe(true);
  });
});

describe.skipIf(!hasFirefox())(`loaded in headless Firefox (${FIREFOX})`, () => {
  let quorum: Awaited<ReturnType<typeof startQuorum>>;
  let crm: Awaited<ReturnType<typeof startCrmServer>>;
  let proxy: Awaited<ReturnType<typeof startConnectProxy>>;
  let firefox: Firefox;
  let groupId: string;
  const dirs: string[] = [];
  const ext = (path: string) => `moz-extension://${UUID}/${path}`;

  async function screenshot(context: string, name: string) {
    const { data } = await firefox.send("browsingContext.captureScreenshot", { context });
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, `${name}.png`), Buffer.from(data, "base64"));
  }

  beforeAll(async () => {
    buildFirefox();
    const dataDir = tempDir("quorum-e2e-ff-data-");
    const certDir = tempDir("quorum-e2e-ff-cert-");
    const profile = tempDir("quorum-e2e-ff-profile-");
    dirs.push(dataDir, certDir, profile);
    quorum = await startQuorum(dataDir, TOKEN);
    const template = await quorum.call("POST", "/api/role-templates", {
      name: "Firefox roles",
      roles: [
        {
          key: "decision-maker",
          name: "Decision maker",
          weighting: "vital",
          decisionMaker: true,
          conditions: { field: "jobTitle", op: "contains", value: "Regional Manager" },
        },
      ],
    });
    await quorum.call("POST", `/api/role-templates/${template.id}/publish`);
    const si = await quorum.call("POST", "/api/solution-interests", { name: "Data Platform", roleTemplateId: template.id });
    const account = await quorum.call("POST", "/api/accounts", {
      name: "Dunder Mifflin Paper Company",
      domain: "dundermifflin.com",
      crmLinks: [{ crm: "pipedrive", recordId: "731" }],
    });
    groupId = (await quorum.call("POST", "/api/groups", { accountId: account.id, solutionInterestId: si.id })).id;
    crm = await startCrmServer(certDir, [PAGE]);
    proxy = await startConnectProxy(crm.hosts, crm.port);
    ({ firefox } = await launchFirefox(profile, {
      "extensions.webextensions.uuids": JSON.stringify({ [GECKO_ID]: UUID }),
      "network.proxy.type": 1,
      "network.proxy.ssl": "127.0.0.1",
      "network.proxy.ssl_port": proxy.port,
      "intl.locale.requested": "en-US",
    }));
    const installed = await firefox.send("webExtension.install", { extensionData: { type: "path", path: OUT } });
    expect(installed.extension).toBe(GECKO_ID);
  }, 90_000);

  afterAll(async () => {
    await firefox?.close();
    await closeAll(undefined, dirs);
    await quorum?.close();
    crm?.server.close();
    proxy?.server.close();
  });

  it("options: save the server and token, Test connection shows the user (the background answers)", async () => {
    const options = await firefox.openTab(ext("options.html"));
    await firefox.waitFor(options, `document.querySelector('input[name="serverUrl"]')`);
    // One field per evaluation: the page re-renders between them, as it does between a user's keystrokes.
    const fill = (name: string, value: string) =>
      firefox.evaluate(
        options,
        `(() => {
          const input = document.querySelector('input[name="${name}"]');
          input.value = ${JSON.stringify(value)};
          input.dispatchEvent(new Event("input", { bubbles: true }));
          return true;
        })()`,
      );
    // The page loads the stored (empty) settings when it opens; on a busy machine that answer can land after the
    // first keystrokes and reset the form, as it would for a very fast user. Type again until the save holds.
    for (let attempt = 1; ; attempt++) {
      await fill("serverUrl", quorum.base);
      await fill("token", TOKEN);
      await firefox.evaluate(
        options,
        `([...document.querySelectorAll("button")].find((b) => b.textContent === "Save").click(), true)`,
      );
      // Save tests first: "Saved …" once the test passed, "Not saved: …" when the form was reset under the typing
      await firefox.waitFor(options, `/Saved|Not saved/.test(document.body.innerText)`);
      const stored = await firefox.evaluate<{ data: { serverUrl: string } }>(
        options,
        `browser.runtime.sendMessage({ type: "settings/get" })`,
      );
      if (stored.data.serverUrl === quorum.base) break;
      if (attempt === 3) throw new Error(`settings not saved: ${JSON.stringify(stored)}`);
    }
    await firefox.evaluate(
      options,
      `([...document.querySelectorAll("button")].find((b) => b.textContent === "Test connection").click(), true)`,
    );
    const result = await firefox.waitFor<string>(
      options,
      `(() => {
        const text = document.querySelector('[data-testid="connection-result"]')?.textContent ?? "";
        return text !== "" && text !== "Testing…" && text;
      })()`,
    );
    expect(result).toMatch(/^Connected as .+ \(admin\)/);
    await screenshot(options, "firefox-options-connected");
  });

  it("a CRM page at its real host gets the content script; one click assigns; the panel page shows the group", async () => {
    const tree = await firefox.send("browsingContext.getTree", {});
    const tab = tree.contexts[0].context as string;
    await firefox.send("browsingContext.navigate", { context: tab, url: PAGE.url, wait: "complete" });
    const labels = await firefox.waitFor<string[]>(
      tab,
      `(() => {
        const labels = [...document.querySelectorAll("[data-quorum-ui]")]
          .map((h) => h.shadowRoot?.querySelector("button")?.getAttribute("aria-label"));
        return labels.length === 3 && labels;
      })()`,
    );
    expect(labels).toEqual([
      // the rules' role on the button (job title contains "Regional Manager"); Pam shows no title
      "Add as Decision maker: Michael Scott",
      "Add as Decision maker: Dwight K. Schrute",
      "Add to buying group: Pam Beesly",
    ]);
    await firefox.evaluate(
      tab,
      `(document.querySelector('[data-quorum-contact="1201"]').shadowRoot.querySelector("button").click(), true)`,
    );
    await firefox.waitFor(
      tab,
      `document.querySelector('[data-quorum-contact="1201"]').shadowRoot.textContent.includes("In group: Decision maker")`,
    );
    const details = await quorum.call("GET", `/api/groups/${groupId}`);
    expect(details.members.map((m: { email: string; roleKey: string }) => [m.email, m.roleKey])).toEqual([
      ["michael.scott@dundermifflin.com", "decision-maker"],
    ]);
    await screenshot(tab, "firefox-crm-pipedrive-controls");

    const panel = await firefox.openTab(ext("sidepanel.html"));
    const title = await firefox.waitFor<string>(panel, `document.querySelector('.panel-head h1')?.textContent`);
    expect(title).toBe(GROUP_NAME);
    await firefox.waitFor(
      panel,
      `document.querySelector('[data-testid="decision-makers"]')?.textContent.includes("Michael Scott")`,
    );
    await screenshot(panel, "firefox-panel");
  });
});
