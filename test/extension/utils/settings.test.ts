import { beforeEach, describe, expect, it, vi } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";

vi.mock("wxt/browser", () => ({ browser: fakeBrowser }));
const { loadSettings, saveSettings, normaliseServerUrl, originPattern } = await import("../../../extension/utils/settings");

describe("settings", () => {
  beforeEach(() => fakeBrowser.reset());

  it("defaults to not configured and the browser's language; saves a normalised server URL", async () => {
    expect(await loadSettings()).toMatchObject({ serverUrl: "", token: "", language: "auto", customCrms: [], managed: [] });
    await saveSettings({ serverUrl: "127.0.0.1:8787/", token: "t", language: "nl", customCrms: [] });
    expect(await loadSettings()).toMatchObject({ serverUrl: "http://127.0.0.1:8787", token: "t", language: "nl" });
  });

  it.each([
    ["https://quorum.example.com/", "https://quorum.example.com"],
    ["  http://10.0.0.5:8787 ", "http://10.0.0.5:8787"],
  ])("normalises %s", (input, out) => expect(normaliseServerUrl(input)).toBe(out));

  it("asks for the server's origin without the port (match patterns)", () => {
    expect(originPattern("https://quorum.example.com:8443/x")).toBe("https://quorum.example.com/*");
  });
});
