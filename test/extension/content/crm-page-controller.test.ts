// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { createCustomAdapter, OWN_UI_ATTRIBUTE, pipedriveAdapter, salesforceAdapter } from "../../../extension/crm";
import { hostTakenOver, readWith, startCrmPageController } from "../../../extension/utils/content/crm-page-controller";
import { fixtureHtml } from "../crm/fixture";

const URL_731 = "https://dundermifflin.pipedrive.com/organization/731";

function setPage(url: string, fixture: string) {
  (window as any).happyDOM.setURL(url);
  const doc = new DOMParser().parseFromString(fixtureHtml(fixture), "text/html");
  document.body.replaceWith(document.adoptNode(doc.body));
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("CRM page controller (content script)", () => {
  let stop: (() => void) | undefined;
  afterEach(() => stop?.());

  it("reports the page, injects one shadow-root control per contact, assigns on click, follows SPA navigation", async () => {
    setPage(URL_731, "pipedrive-organization.html");
    const requests: any[] = [];
    const send = (async (req: any) => {
      requests.push(req);
      if (req.type === "content/config") return { ok: true, data: { customCrms: [], texts: null } };
      if (req.type === "page/report") return { ok: true, data: [] };
      if (req.type === "contact/assign")
        return {
          ok: true,
          data: { state: { key: req.contactKey, member: { personId: "p", roleKey: "x", roleName: "Influencer" } }, roles: null },
        };
      return { ok: false, error: { kind: "rejected", message: "?" } };
    }) as any;
    const c = startCrmPageController({
      window: window as unknown as Window,
      send,
      debounceMs: 10,
      adapters: () => [pipedriveAdapter],
    });
    stop = c.stop;
    await c.rescan();
    const report = requests.find((r) => r.type === "page/report");
    expect(report.page).toMatchObject({ crm: "pipedrive", recordId: "731", name: "Dunder Mifflin Paper Company" });
    expect(report.page.contacts.map((x: any) => x.name)).toEqual(["Michael Scott", "Dwight K. Schrute", "Pam Beesly"]);
    expect(JSON.stringify(report)).not.toContain("anchor");

    const hosts = document.querySelectorAll(`[${OWN_UI_ATTRIBUTE}]`);
    expect(hosts).toHaveLength(3);
    const button = hosts[0]!.shadowRoot!.querySelector("button")!;
    expect(button.getAttribute("aria-label")).toBe("Add to buying group: Michael Scott");
    button.click();
    await wait(0);
    expect(requests.at(-1)).toEqual({ type: "contact/assign", contactKey: "1201" });
    expect(hosts[0]!.shadowRoot!.textContent).toContain("In group: Influencer");

    // single-page navigation to another organization
    history.pushState(null, "", "/organization/732");
    setPage("https://dundermifflin.pipedrive.com/organization/732", "pipedrive-organization-classless.html");
    await wait(400);
    const last = requests.filter((r) => r.type === "page/report").at(-1);
    expect(last.page.recordId).toBe("732");
  });

  it("reads a page only with the adapters it is given (each CRM's content script bundles only its own)", async () => {
    setPage(URL_731, "pipedrive-organization.html");
    expect(readWith([salesforceAdapter], URL_731, document)).toBeNull();
    expect(readWith([salesforceAdapter, pipedriveAdapter], URL_731, document)?.recordId).toBe("731");
    expect(readWith([pipedriveAdapter], "not a url", document)).toBeNull();
  });

  it("builds the self-hosted CRMs' adapters from the background's configurations; until then only its own", async () => {
    const url = "https://crm.example.org/accounts/42";
    (window as any).happyDOM.setURL(url);
    document.body.replaceChildren();
    const h1 = document.createElement("h1");
    h1.textContent = "Initech";
    document.body.append(h1);
    const config = { host: "crm.example.org", accountPathPattern: "/accounts/:id", contactLinkPattern: "/contacts/:id" };
    const requests: any[] = [];
    const seen: unknown[] = [];
    const send = (async (req: any) => {
      requests.push(req);
      if (req.type === "content/config") return { ok: true, data: { customCrms: [config], texts: null } };
      return { ok: true, data: [] };
    }) as any;
    const c = startCrmPageController({
      window: window as unknown as Window,
      send,
      debounceMs: 10,
      adapters: (configs) => {
        seen.push(configs);
        return configs.map((x) => createCustomAdapter(x));
      },
    });
    stop = c.stop;
    await c.rescan();
    expect(seen).toEqual([[], [config]]);
    const report = requests.find((r) => r.type === "page/report");
    expect(report.page).toMatchObject({ crm: "custom:crm.example.org", recordId: "42", name: "Initech" });
  });

  it("a self-hosted configuration takes over its host from the built-in script", () => {
    const configs = [{ host: "acme.pipedrive.com", accountPathPattern: "/o/:id", contactLinkPattern: "/p/:id" }];
    expect(hostTakenOver(configs, new URL("https://acme.pipedrive.com/organization/1"))).toBe(true);
    expect(hostTakenOver(configs, new URL("https://other.pipedrive.com/organization/1"))).toBe(false);
    const withPort = [{ ...configs[0]!, host: "crm.local:8443" }];
    expect(hostTakenOver(withPort, new URL("https://crm.local:8443/x"))).toBe(true);
    expect(hostTakenOver(withPort, new URL("https://crm.local/x"))).toBe(false);
  });
});
