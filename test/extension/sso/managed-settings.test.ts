import { beforeEach, describe, expect, it, vi } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";

vi.mock("wxt/browser", () => ({ browser: fakeBrowser }));
const { loadSettings, saveSettings, isConfigured } = await import("../../../extension/utils/settings");
const { parseManaged } = await import("../../../extension/utils/managed-settings");

describe("settings pushed by the organisation", () => {
  beforeEach(() => fakeBrowser.reset());

  it("managed values win over the user's and are listed as locked", async () => {
    await saveSettings({ serverUrl: "http://127.0.0.1:8787", token: "", language: "nl", customCrms: [] });
    await fakeBrowser.storage.managed.set({
      serverUrl: "https://quorum.example.com/",
      ssoIssuer: "https://login.example.com",
      ssoClientId: "quorum-extension",
      enabledCrms: ["salesforce", "hubspot"],
    });
    const s = await loadSettings();
    expect(s).toMatchObject({
      serverUrl: "https://quorum.example.com",
      ssoIssuer: "https://login.example.com",
      ssoClientId: "quorum-extension",
      enabledCrms: ["salesforce", "hubspot"],
      language: "nl",
    });
    expect([...(s.managed ?? [])].sort()).toEqual(["enabledCrms", "serverUrl", "ssoClientId", "ssoIssuer"]);
  });

  it("saving from the options page never stores the organisation's values as the user's own", async () => {
    await saveSettings({ serverUrl: "http://127.0.0.1:8787", token: "", language: "auto", customCrms: [] });
    await fakeBrowser.storage.managed.set({ serverUrl: "https://quorum.example.com" });
    await saveSettings({ ...(await loadSettings()), language: "sv" });
    await fakeBrowser.storage.managed.clear();
    expect(await loadSettings()).toMatchObject({ serverUrl: "http://127.0.0.1:8787", language: "sv", managed: [] });
  });

  it("a server address plus a single sign-on session is enough to be configured", () => {
    const base = { serverUrl: "https://q.example.com", token: "", language: "auto" as const, customCrms: [] };
    expect(isConfigured(base)).toBe(false);
    expect(isConfigured({ ...base, sso: { signedIn: true, name: "Ana", role: "sales" } })).toBe(true);
  });

  it.each([
    [{ serverUrl: 42 }, {}],
    [{ serverUrl: "quorum.example.com" }, {}],
    [{ ssoIssuer: "login.example.com", ssoClientId: "  " }, {}],
    [{ enabledCrms: ["salesforce", "myspace", 3] }, { enabledCrms: ["salesforce"] }],
    [
      { customCrms: [{ host: "crm.example.org", accountPathPattern: "/a/:id", contactLinkPattern: "/c/:id" }, { host: "x" }] },
      { customCrms: [{ host: "crm.example.org", accountPathPattern: "/a/:id", contactLinkPattern: "/c/:id" }] },
    ],
  ])("ignores malformed policy values: %j", (raw, parsed) => {
    expect(parseManaged(raw)).toEqual(parsed);
  });
});
