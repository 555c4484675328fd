// @vitest-environment happy-dom
import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";

vi.mock("wxt/browser", () => ({ browser: fakeBrowser }));

const { PanelApp } = await import("../../../extension/components/PanelApp");
const { createPanelModel } = await import("../../../extension/models/panel-model");
const { language } = await import("../../../extension/models/locale");
const { details, group } = await import("../models/fixtures");

function mount(answer: (req: any) => unknown) {
  const requests: any[] = [];
  const send = (async (req: any) => {
    requests.push(req);
    return answer(req) ?? { ok: true, data: null };
  }) as any;
  const model = createPanelModel(send);
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
    expect(root.textContent).toContain("The API token was refused");
    expect(button(root, "Open settings")).toBeTruthy();
    model.status.value = { kind: "unreachable", serverUrl: "http://q.example" };
    await flush();
    expect(root.querySelector('[role="alert"]')?.textContent).toContain("http://q.example");
    language.value = "sv";
    await flush();
    expect(root.textContent).toContain("Det går inte att nå Quorum-servern");
  });

  it("ready: overview with scores, a breakdown one click away, and members with confirmed bulk removal", async () => {
    const g = group("g1");
    const d = details(g);
    const { model, root, requests } = mount((req) =>
      req.type === "members/remove"
        ? { ok: false, error: { kind: "unreachable", message: "server down" } }
        : { ok: true, data: req.type === "group/details" ? d : null },
    );
    model.groups.value = [g];
    model.groupId.value = "g1";
    model.details.value = d;
    model.status.value = { kind: "ready" };
    await flush();
    expect(root.querySelector('[data-testid="group-summary"] h2')?.textContent).toBe("Group g1");
    expect(root.querySelector('[data-testid="score-completeness"] .tile-value')?.textContent).toBe("67 %");
    expect(root.querySelector('[data-testid="decision-makers"]')?.textContent).toContain("Ann Decider");
    expect(root.querySelector('[data-testid="intent"]')?.textContent).toContain("KeywordHigh");

    act(() => button(root, "Members").click());
    await flush();
    const box = root.querySelector<HTMLInputElement>('input[aria-label="Select Bo Builder"]')!;
    act(() => box.click());
    await flush();
    act(() => button(root, "Remove").click());
    await flush();
    expect(root.textContent).toContain("Remove 1 members from the buying group?");
    act(() => button(root, "Yes, remove").click());
    await flush();
    expect(requests.filter((r) => r.type === "members/remove")).toEqual([
      { type: "members/remove", groupId: "g1", personIds: ["p2"] },
    ]);
    expect(root.querySelector('[data-testid="action-outcome"]')?.textContent).toContain("server down");
    // the failed action kept the selection
    expect(root.querySelector<HTMLInputElement>('input[aria-label="Select Bo Builder"]')!.checked).toBe(true);
  });
});
