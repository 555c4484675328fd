// @vitest-environment happy-dom
import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";

vi.mock("wxt/browser", () => ({ browser: fakeBrowser }));

const { OpenConsoleButton } = await import("../../../extension/admin/OpenConsoleButton");
const { OptionsApp } = await import("../../../extension/components/options/OptionsApp");
const { PanelApp } = await import("../../../extension/components/PanelApp");
const { createPanelModel } = await import("../../../extension/models/panel-model");
const { language } = await import("../../../extension/models/locale");
const { DEFAULT_SETTINGS } = await import("../../../extension/utils/settings");

// The "Open admin console" entry points: shown to admins and marketers, never to sales or without a working connection.
const flush = async () => {
  for (let i = 0; i < 8; i++) await act(async () => await new Promise((r) => setTimeout(r, 0)));
};

let tokenCounter = 0;
/** A background stand-in: saved settings (a fresh token per call, so the role cache never answers) and /api/me's role. */
function fakeSend(role: string | null, options: { configured?: boolean } = {}) {
  const token = `qrm_test_${++tokenCounter}`;
  const requests: any[] = [];
  const send = (async (req: any) => {
    requests.push(req);
    if (req.type === "settings/get") {
      return {
        ok: true,
        data: { ...DEFAULT_SETTINGS, ...(options.configured === false ? {} : { serverUrl: "http://quorum.test", token }) },
      };
    }
    if (req.type === "connection/test") {
      return role === null
        ? { ok: false, error: { kind: "unauthorized", message: "refused" } }
        : { ok: true, data: { id: "u1", name: "Pat", role, apiVersion: "1.0" } };
    }
    return { ok: true, data: null };
  }) as any;
  return { send, requests };
}

function mount(node: preact.ComponentChildren) {
  const root = document.createElement("div");
  document.body.append(root);
  act(() => render(node, root));
  return root;
}

const consoleButton = (root: Element) => root.querySelector<HTMLButtonElement>('[data-testid="open-console"]');

afterEach(() => {
  document.body.replaceChildren();
  language.value = "en";
  vi.restoreAllMocks();
});

describe("OpenConsoleButton", () => {
  it.each([
    ["admin", true],
    ["marketer", true],
    ["sales", false],
  ])("a tested %s connection → shown: %s (without asking the saved settings)", async (role, shown) => {
    const { send, requests } = fakeSend("admin");
    const root = mount(<OpenConsoleButton send={send} userRole={role} />);
    await flush();
    expect(consoleButton(root) !== null).toBe(shown);
    expect(requests).toEqual([]);
  });

  it.each([
    ["admin", true],
    ["marketer", true],
    ["sales", false],
  ])("saved settings signed in as %s → shown: %s", async (role, shown) => {
    const { send, requests } = fakeSend(role);
    const root = mount(<OpenConsoleButton send={send} />);
    await flush();
    expect(consoleButton(root) !== null).toBe(shown);
    expect(requests.map((r) => r.type)).toEqual(["settings/get", "connection/test"]);
  });

  it("not configured, or the token refused → nothing", async () => {
    const unconfigured = fakeSend("admin", { configured: false });
    const a = mount(<OpenConsoleButton send={unconfigured.send} />);
    const refused = fakeSend(null);
    const b = mount(<OpenConsoleButton send={refused.send} />);
    await flush();
    expect(consoleButton(a)).toBeNull();
    expect(unconfigured.requests.map((r) => r.type)).toEqual(["settings/get"]);
    expect(consoleButton(b)).toBeNull();
  });

  it("opens the console page in a new tab; the label follows the UI language", async () => {
    const create = vi.spyOn(fakeBrowser.tabs, "create").mockResolvedValue({} as any);
    const { send } = fakeSend("marketer");
    const root = mount(<OpenConsoleButton send={send} userRole="marketer" />);
    await flush();
    expect(consoleButton(root)?.textContent).toBe("Open admin console");
    act(() => consoleButton(root)!.click());
    expect(create).toHaveBeenCalledWith({ url: fakeBrowser.runtime.getURL("/admin.html") });
    language.value = "nl";
    await flush();
    expect(consoleButton(root)?.textContent).toBe("Beheerconsole openen");
    language.value = "fr";
    await flush();
    expect(consoleButton(root)?.textContent).toBe("Ouvrir la console d'administration");
  });
});

describe("entry points", () => {
  /** Types a server address and clicks Test connection (fakeBrowser grants nothing: the origin check is stubbed). */
  async function testConnection(root: Element) {
    vi.spyOn(fakeBrowser.permissions, "contains").mockResolvedValue(true);
    const server = root.querySelector<HTMLInputElement>('input[name="serverUrl"]')!;
    const token = root.querySelector<HTMLInputElement>('input[name="token"]')!;
    act(() => {
      server.value = "http://127.0.0.1:8787";
      server.dispatchEvent(new Event("input", { bubbles: true }));
    });
    act(() => {
      token.value = "qrm_typed_token";
      token.dispatchEvent(new Event("input", { bubbles: true }));
    });
    act(() => [...root.querySelectorAll("button")].find((b) => b.textContent === "Test connection")!.click());
    await flush();
  }

  it("options page: no button before a test; shown after a successful test as marketer, not as sales", async () => {
    const marketer = fakeSend("marketer", { configured: false });
    const root = mount(<OptionsApp send={marketer.send} />);
    await flush();
    expect(consoleButton(root)).toBeNull();
    await testConnection(root);
    expect(root.querySelector('[data-testid="connection-result"]')?.textContent).toContain("Pat");
    expect(consoleButton(root)).not.toBeNull();

    document.body.replaceChildren();
    const sales = fakeSend("sales", { configured: false });
    const other = mount(<OptionsApp send={sales.send} />);
    await flush();
    await testConnection(other);
    expect(other.querySelector('[data-testid="connection-result"]')?.textContent).toContain("Pat");
    expect(consoleButton(other)).toBeNull();
  });

  it("options page: configured settings of an admin → shown without a test", async () => {
    const { send } = fakeSend("admin");
    const root = mount(<OptionsApp send={send} />);
    await flush();
    expect(consoleButton(root)).not.toBeNull();
  });

  it.each([
    ["admin", true],
    ["marketer", true],
    ["sales", false],
  ])("side panel (%s): shown %s on a page that is not an account", async (role, shown) => {
    const { send } = fakeSend(role);
    const model = createPanelModel(send);
    model.status.value = { kind: "not-account" };
    const root = mount(<PanelApp model={model} />);
    await flush();
    expect(root.textContent).toContain("Open an account to see its buying group");
    expect(consoleButton(root) !== null).toBe(shown);
  });
});
