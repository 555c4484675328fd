// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { createCustomAdapter, OWN_UI_ATTRIBUTE, pipedriveAdapter, salesforceAdapter } from "../../../extension/crm";
import { contentTexts } from "../../../extension/utils/background/create-background";
import { hostTakenOver, readWith, startCrmPageController } from "../../../extension/utils/content/crm-page-controller";
import { fixtureHtml } from "../crm/fixture";

const URL_731 = "https://dundermifflin.pipedrive.com/organization/731";

function setPage(url: string, fixture: string) {
  (window as any).happyDOM.setURL(url);
  const doc = new DOMParser().parseFromString(fixtureHtml(fixture), "text/html");
  document.body.replaceWith(document.adoptNode(doc.body));
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const READY = { status: "ready", groupId: "g1", groupName: "Data Platform for Dunder Mifflin", label: null };

/** The visible text of each of the extension's elements on the page (controls and notices, in page order). */
const ownTexts = () =>
  Array.from(document.querySelectorAll(`[${OWN_UI_ATTRIBUTE}]`)).map((h) =>
    Array.from(h.shadowRoot!.querySelectorAll("button, span.member, span.note, span.error"))
      .map((e) => e.textContent)
      .join(" | "),
  );

/** A fake background: page reports answer with `report()`; assign/undo echo what a server would do. */
function fakeBackground(report: () => unknown) {
  const requests: any[] = [];
  const send = (async (req: any) => {
    requests.push(req);
    if (req.type === "content/config") return { ok: true, data: { customCrms: [], texts: contentTexts("en") } };
    if (req.type === "page/report") return report();
    if (req.type === "contact/assign")
      return {
        ok: true,
        data: {
          state: { key: req.contactKey, member: { personId: "p", roleKey: req.roleKey, roleName: "Decision maker" } },
          roles: null,
        },
      };
    if (req.type === "contact/undo") return { ok: true, data: { key: req.contactKey, member: null } };
    return { ok: false, error: { kind: "rejected", message: "?" } };
  }) as any;
  return { requests, send };
}

describe("CRM page controller (content script)", () => {
  let stop: (() => void) | undefined;
  afterEach(() => stop?.());

  it("reports the page, injects one shadow-root control per contact, assigns on click, follows SPA navigation", async () => {
    setPage(URL_731, "pipedrive-organization.html");
    const requests: any[] = [];
    const send = (async (req: any) => {
      requests.push(req);
      if (req.type === "content/config") return { ok: true, data: { customCrms: [], texts: contentTexts("en") } };
      if (req.type === "page/report") return { ok: true, data: { target: READY, states: [] } };
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

  it("the button says the pre-chosen role and adds with it in one click; undo is inline", async () => {
    setPage(URL_731, "pipedrive-organization.html");
    const { requests, send } = fakeBackground(() => ({
      ok: true,
      data: {
        target: READY,
        states: [
          { key: "1201", member: null, suggested: { key: "practitioner", name: "Practitioner" } },
          { key: "1202", member: null, suggested: null },
          { key: "1203", member: null, suggested: null },
        ],
      },
    }));
    const c = startCrmPageController({
      window: window as unknown as Window,
      send,
      debounceMs: 10,
      adapters: () => [pipedriveAdapter],
    });
    stop = c.stop;
    await c.rescan();
    expect(ownTexts()).toEqual(["+ Add as Practitioner", "+ Add to buying group", "+ Add to buying group"]);
    const host = document.querySelector(`[data-quorum-contact="1201"]`)!;
    const add = host.shadowRoot!.querySelector("button")!;
    expect(add.getAttribute("aria-label")).toBe("Add as Practitioner: Michael Scott");
    add.click();
    await wait(0);
    expect(requests.at(-1)).toEqual({ type: "contact/assign", contactKey: "1201", roleKey: "practitioner" });
    expect(ownTexts()[0]).toBe("✓ In group: Decision maker | Undo");
    host.shadowRoot!.querySelector("button")!.click();
    await wait(0);
    expect(requests.at(-1)).toEqual({ type: "contact/undo", contactKey: "1201" });
    expect(ownTexts()[0]).toBe("+ Add as Practitioner");
  });

  it("on an account with several groups, each control names the group it adds to", async () => {
    setPage(URL_731, "pipedrive-organization.html");
    const { send } = fakeBackground(() => ({
      ok: true,
      data: {
        target: { ...READY, label: "Security" },
        states: [{ key: "1201", member: null, suggested: { key: "influencer", name: "Influencer" } }],
      },
    }));
    const c = startCrmPageController({
      window: window as unknown as Window,
      send,
      debounceMs: 10,
      adapters: () => [pipedriveAdapter],
    });
    stop = c.stop;
    await c.rescan();
    expect(ownTexts()).toEqual(["+ Add to Security as Influencer", "+ Add to Security", "+ Add to Security"]);
  });

  it("where the buttons cannot work: no controls, one line saying why; nothing when there is nothing to do", async () => {
    setPage(URL_731, "pipedrive-organization.html");
    let message: string | null = "The API token was refused. Ask your Quorum admin for a new token.";
    const { send } = fakeBackground(() => ({
      ok: true,
      data: { target: { status: "unavailable", message, retry: false }, states: [] },
    }));
    let refresh: (() => void) | undefined;
    const c = startCrmPageController({
      window: window as unknown as Window,
      send,
      debounceMs: 10,
      adapters: () => [pipedriveAdapter],
      onRefresh: (listener) => {
        refresh = listener;
        return () => {};
      },
    });
    stop = c.stop;
    await c.rescan();
    expect(ownTexts()).toEqual(["Quorum: The API token was refused. Ask your Quorum admin for a new token."]);
    // the notice sits right after the first contact's link
    const nameLink = Array.from(document.querySelectorAll('a[href="/person/1201"]')).find(
      (a) => a.textContent === "Michael Scott",
    );
    expect(nameLink?.nextElementSibling?.getAttribute(OWN_UI_ATTRIBUTE)).toBe("page-notice");
    message = null; // e.g. no group, and no right to create one
    refresh!();
    await wait(20);
    expect(ownTexts()).toEqual([]);
  });

  it("while the server is unreachable, asks again with growing delays and shows the controls once it answers", async () => {
    setPage(URL_731, "pipedrive-organization.html");
    let up = false;
    const { requests, send } = fakeBackground(() =>
      up
        ? { ok: true, data: { target: READY, states: [] } }
        : {
            ok: true,
            data: { target: { status: "unavailable", message: "The Quorum server cannot be reached.", retry: true }, states: [] },
          },
    );
    const c = startCrmPageController({
      window: window as unknown as Window,
      send,
      debounceMs: 10,
      retryMs: 20,
      adapters: () => [pipedriveAdapter],
    });
    stop = c.stop;
    await c.rescan();
    expect(ownTexts()).toEqual(["Quorum: The Quorum server cannot be reached."]);
    const reports = () => requests.filter((r) => r.type === "page/report").length;
    await expect.poll(reports, { timeout: 10_000 }).toBeGreaterThanOrEqual(3); // asked again after 20, 40 … ms
    up = true;
    await expect
      .poll(ownTexts, { timeout: 10_000 })
      .toEqual(["+ Add to buying group", "+ Add to buying group", "+ Add to buying group"]);
    const settled = reports();
    await wait(300);
    expect(reports()).toBe(settled); // no more retries once it works
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
      if (req.type === "content/config") return { ok: true, data: { customCrms: [config], texts: contentTexts("en") } };
      return { ok: true, data: { target: READY, states: [] } };
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
