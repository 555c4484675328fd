// @vitest-environment happy-dom
import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";

vi.mock("wxt/browser", () => ({ browser: fakeBrowser }));

const { PanelApp } = await import("../../../extension/components/PanelApp");
const { createPanelModel } = await import("../../../extension/models/panel-model");
const { language, setLanguage } = await import("../../../extension/models/locale");
const { details, group, member } = await import("../models/fixtures");

function mount(answer: (req: any) => unknown, timers?: { setTimeout: any; clearTimeout: any }) {
  const requests: any[] = [];
  const send = (async (req: any) => {
    requests.push(req);
    return answer(req) ?? { ok: true, data: null };
  }) as any;
  const model = createPanelModel(send, timers);
  const root = document.createElement("div");
  document.body.append(root);
  act(() => render(<PanelApp model={model} />, root));
  return { model, root, requests };
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await act(async () => await new Promise((r) => setTimeout(r, 0)));
};

function button(root: Element, name: string): HTMLButtonElement {
  const b = [...root.querySelectorAll("button")].find((x) => x.textContent?.trim() === name);
  if (!b) throw new Error(`no button "${name}" in: ${root.textContent}`);
  return b;
}

afterEach(() => {
  document.body.replaceChildren();
  language.value = "en";
});

describe("PanelApp", () => {
  it("shows each state with its action", async () => {
    const { model, root } = mount(() => null);
    model.status.value = { kind: "unauthorized" };
    await flush();
    expect(root.textContent).toContain("Your API token was refused");
    expect(root.textContent).toContain("Ask your Quorum admin for a new token");
    expect(root.textContent).not.toContain("401");
    expect(button(root, "Open settings")).toBeTruthy();
    model.status.value = { kind: "unreachable", serverUrl: "http://q.example" };
    await flush();
    expect(root.querySelector('[role="alert"]')?.textContent).toContain("http://q.example");
    await setLanguage("sv");
    await flush();
    expect(root.textContent).toContain("Det går inte att nå Quorum-servern");
  });

  it("ready: group as h1, scores with trend, a breakdown in sentences, and a confirmed bulk removal naming the people", async () => {
    const g = group("g1");
    const d = details(g, [member("p1", "Ann Decider", "decision-maker"), member("p2", "Bo Builder"), member("p3", "Cy Coder")]);
    d.group.weekAgo = { day: "2026-11-13", engagement: 4, completeness: 33 };
    let removeFails = true;
    const { model, root, requests } = mount((req) =>
      req.type === "members/remove"
        ? removeFails
          ? { ok: false, error: { kind: "unreachable", message: "fetch failed" } }
          : {
              ok: true,
              data: {
                applied: req.personIds.map((personId: string) => ({
                  personId,
                  action: "remove",
                  roleKey: "",
                  effect: "removed",
                })),
                skipped: [],
                completeness: 33,
              },
            }
        : req.type === "members/assign"
          ? { ok: true, data: { applied: [], skipped: [], completeness: 67 } }
          : { ok: true, data: req.type === "group/details" ? d : null },
    );
    model.groups.value = [g];
    model.groupId.value = "g1";
    model.details.value = d;
    model.status.value = { kind: "ready" };
    await flush();
    expect(root.querySelector("h1")?.textContent).toBe("Group g1");
    expect(root.querySelector('[data-testid="score-completeness"] .tile-value')?.textContent).toBe("67 %");
    expect(root.querySelector('[data-testid="engagement-sub"]')?.textContent).toBe("+8 this week");
    expect(root.querySelector('[data-testid="decision-makers"]')?.textContent).toContain("Ann Decider");
    expect(root.querySelector('[data-testid="intent"]')?.textContent).toContain("KeywordHigh");
    // every "View details" button has its own name
    const names = [...root.querySelectorAll('[data-testid="member-card"] button')].map((b) => b.getAttribute("aria-label"));
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain("View details for Ann Decider");

    act(() =>
      [...root.querySelectorAll<HTMLButtonElement>('[role="tab"]')].find((b) => b.textContent === "Members (3)")!.click(),
    );
    await flush();
    expect(root.querySelector('[data-person-id="p2"] [data-testid="member-score"]')?.textContent).toBe("Score 33");
    for (const who of ["Bo Builder", "Cy Coder"]) {
      act(() => root.querySelector<HTMLInputElement>(`input[aria-label="Select ${who}"]`)!.click());
      await flush();
    }
    const remove = button(root, "Remove");
    remove.focus();
    act(() => remove.click());
    await flush();
    expect(root.querySelector('[role="alertdialog"]')?.textContent).toContain(
      "Remove Bo Builder and Cy Coder from the buying group?",
    );
    // focus moved into the confirmation; Escape closes it and gives focus back
    expect(document.activeElement?.textContent).toBe("Yes, remove");
    act(() => {
      document.activeElement!.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    });
    await flush();
    expect(root.querySelector('[role="alertdialog"]')).toBeNull();
    expect(document.activeElement?.textContent).toBe("Remove");

    act(() => button(root, "Remove").click());
    await flush();
    act(() => button(root, "Yes, remove").click());
    await flush();
    expect(requests.filter((r) => r.type === "members/remove")).toEqual([
      { type: "members/remove", groupId: "g1", personIds: ["p2", "p3"] },
    ]);
    expect(root.querySelector('[data-testid="action-outcome"]')?.textContent).toBe(
      "The Quorum server does not answer. Try again in a moment.",
    );
    // the failed action kept the selection
    expect(root.querySelector<HTMLInputElement>('input[aria-label="Select Bo Builder"]')!.checked).toBe(true);
    removeFails = false;
    act(() => button(root, "Remove").click());
    await flush();
    act(() => button(root, "Yes, remove").click());
    await flush();
    const outcome = root.querySelector('[data-testid="action-outcome"]')!;
    expect(outcome.textContent).toContain("Bo Builder and Cy Coder removed from the buying group.");
    act(() => [...outcome.querySelectorAll("button")].find((b) => b.textContent === "Undo")!.click());
    await flush();
    expect(requests.filter((r) => r.type === "members/assign").at(-1)).toEqual({
      type: "members/assign",
      groupId: "g1",
      members: [
        { personId: "p2", roleKey: "practitioner" },
        { personId: "p3", roleKey: "practitioner" },
      ],
    });
  });

  it("keeps the last data on screen while the server is down, says Reconnecting…, and refreshes when it is back", async () => {
    // The model's retry timer, run by hand: each entry is [delay, callback].
    const scheduled: Array<[number, () => void]> = [];
    const timers = {
      setTimeout: (fn: () => void, ms: number) => scheduled.push([ms, fn]),
      clearTimeout: () => {},
    };
    const fire = async () => {
      const [ms, fn] = scheduled.shift()!;
      fn();
      await flush();
      return ms;
    };
    {
      const g = group("g1");
      let down = false;
      let detailsCalls = 0;
      const page = { url: "https://x", crm: "salesforce", recordId: "001", name: "Globex", domain: null, contacts: [] };
      const { model, root } = mount((req) => {
        if (req.type === "settings/get")
          return { ok: true, data: { serverUrl: "http://q", token: "t", language: "en", customCrms: [] } };
        if (req.type === "panel/context") return { ok: true, data: { tabId: 1, page } };
        if (down) return { ok: false, error: { kind: "unreachable", message: "fetch failed" } };
        if (req.type === "connection/test")
          return { ok: true, data: { id: "u", name: "Rep", role: "sales", apiVersion: "1.0.0" } };
        if (req.type === "account/resolve")
          return { ok: true, data: { lookup: { matchedBy: "crm", accounts: [{ id: "a1", name: "Globex" }] }, groups: [g] } };
        if (req.type === "group/details") {
          detailsCalls++;
          return { ok: true, data: details(g) };
        }
        return { ok: false, error: { kind: "not-found", message: "" } };
      }, timers);
      await model.load();
      await flush();
      expect(root.querySelector("h1")?.textContent).toBe("Group g1");
      down = true;
      await model.load();
      await flush();
      expect(root.querySelector("h1")?.textContent).toBe("Group g1");
      expect(root.querySelector('[data-testid="reconnecting"]')?.textContent).toMatch(/^Reconnecting…/);
      const before = detailsCalls;
      expect(await fire()).toBe(1000); // first retry: still down
      expect(root.querySelector('[data-testid="reconnecting"]')).not.toBeNull();
      expect(root.querySelector("h1")?.textContent).toBe("Group g1");
      down = false;
      expect(await fire()).toBe(2000); // the next one waits longer; the server is back
      expect(root.querySelector('[data-testid="reconnecting"]')).toBeNull();
      expect(detailsCalls).toBe(before + 1);
      expect(scheduled).toEqual([]); // no more retries once it answers
      model.dispose();
    }
  });
});
