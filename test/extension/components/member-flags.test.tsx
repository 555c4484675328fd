// @vitest-environment happy-dom
import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";

vi.mock("wxt/browser", () => ({ browser: fakeBrowser }));

const { PanelApp } = await import("../../../extension/components/PanelApp");
const { createPanelModel } = await import("../../../extension/models/panel-model");
const { language, setLanguage } = await import("../../../extension/models/locale");
const { flagsByPerson, stalePersonIds } = await import("../../../extension/utils/member-flags");
const { details, group, member } = await import("../models/fixtures");

const members = [
  member("p1", "Ann Decider", "decision-maker"),
  member("p2", "Bo Builder"),
  member("p3", "Bo Builder"),
  member("p4", "Cy Coder"),
];
const FLAGS = {
  groupId: "g1",
  stale: {
    groupId: "g1",
    window: { from: "2026-10-24", to: "2026-11-22" },
    items: [
      { personId: "p2", name: "Bo Builder", roleKey: "practitioner", reasons: ["left_company", "no_activity_in_window"] },
      { personId: "p4", name: "Cy Coder", roleKey: "practitioner", reasons: ["bounced"] },
    ],
  },
  duplicates: {
    groupId: "g1",
    items: [
      { reason: "same_name", key: "bo builder", personIds: ["p2", "p3"] },
      { reason: "same_email", key: "bo@globex.com", personIds: ["p2", "p3"] },
    ],
  },
} as const;

function mount() {
  const requests: any[] = [];
  const send = (async (req: any) => {
    requests.push(req);
    return { ok: true, data: null };
  }) as any;
  const model = createPanelModel(send);
  const root = document.createElement("div");
  document.body.append(root);
  act(() => render(<PanelApp model={model} />, root));
  model.groups.value = [group("g1")];
  model.groupId.value = "g1";
  model.details.value = details(group("g1"), members);
  model.status.value = { kind: "ready" };
  return { model, root, requests };
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await act(async () => await new Promise((r) => setTimeout(r, 0)));
};

afterEach(() => {
  document.body.replaceChildren();
  language.value = "en";
});

describe("stale and duplicate flags", () => {
  it("per person: stale reasons and the other members of each duplicate set", () => {
    const by = flagsByPerson(FLAGS as any);
    expect(by.get("p2")).toEqual({ stale: ["left_company", "no_activity_in_window"], duplicateOf: ["p3"] });
    expect(by.get("p3")).toEqual({ stale: [], duplicateOf: ["p2"] });
    expect(by.get("p1")).toBeUndefined();
    expect(stalePersonIds(FLAGS as any)).toEqual(["p2", "p4"]);
    expect(flagsByPerson(null).size).toBe(0);
  });

  it("Overview lists stale members with reasons and the duplicate sets, in the chosen language", async () => {
    const { model, root } = mount();
    await flush();
    expect(root.querySelector('[data-testid="member-flags"]')).toBeNull(); // not loaded yet: nothing shown
    model.flags.value = FLAGS as any;
    await flush();
    const section = root.querySelector('[data-testid="member-flags"]')!;
    expect(section.querySelector("h2")?.textContent).toBe("Member checks");
    const stale = [...section.querySelectorAll('[data-testid="stale-members"] li')].map((li) => li.textContent);
    expect(stale[0]).toMatch(/^Bo Builder: left the company, did nothing from .*2026 to .*2026$/);
    expect(stale[1]).toBe("Cy Coder: email bounced");
    const dups = [...section.querySelectorAll('[data-testid="duplicate-members"] li')].map((li) => li.textContent);
    expect(dups).toEqual(["Same name: Bo Builder, Bo Builder", "Same email bo@globex.com: Bo Builder, Bo Builder"]);
    expect(section.textContent).toContain("2 stale members");

    await setLanguage("nl");
    await flush();
    expect(section.textContent).toContain("2 inactieve leden");
    expect(section.textContent).toContain("heeft het bedrijf verlaten");
    await setLanguage("fr");
    await flush();
    expect(section.textContent).toContain("2 doublons possibles");
  });

  it("flags of another group are not shown; without anything to look at there is no section", async () => {
    const { model, root } = mount();
    model.flags.value = { ...FLAGS, groupId: "other" } as any;
    await flush();
    expect(root.querySelector('[data-testid="member-flags"]')).toBeNull();
    model.flags.value = {
      groupId: "g1",
      stale: { ...FLAGS.stale, items: [] },
      duplicates: { groupId: "g1", items: [] },
    } as any;
    await flush();
    expect(root.querySelector('[data-testid="member-flags"]')).toBeNull();
    expect(root.textContent).toContain("Decision makers");
  });

  it("Members tab: a flag on each flagged row, and 'Select stale members' selects them for removal", async () => {
    const { model, root } = mount();
    model.flags.value = FLAGS as any;
    await flush();
    act(() =>
      [...root.querySelectorAll<HTMLButtonElement>('[role="tab"]')].find((b) => b.textContent?.startsWith("Members"))!.click(),
    );
    await flush();
    const row = (id: string) => root.querySelector(`[data-person-id="${id}"]`)!;
    expect(row("p2").querySelector('[data-testid="flag-stale"]')?.textContent).toMatch(/^Stale: left the company, did nothing/);
    expect(row("p2").querySelector('[data-testid="flag-duplicate"]')?.textContent).toBe("Possible duplicate of Bo Builder");
    expect(row("p4").querySelector('[data-testid="flag-stale"]')?.textContent).toBe("Stale: email bounced");
    expect(row("p1").querySelector(".flag")).toBeNull();
    const select = [...root.querySelectorAll("button")].find((b) => b.textContent === "Select stale members")!;
    act(() => select.click());
    await flush();
    const checked = [...root.querySelectorAll<HTMLInputElement>('[data-testid="member-list"] input[type="checkbox"]')]
      .filter((b) => b.checked)
      .map((b) => b.getAttribute("aria-label"));
    expect(checked).toEqual(["Select Bo Builder", "Select Cy Coder"]);
    expect(root.querySelector('[data-testid="selected-count"]')?.textContent).toBe("2 selected");
  });
});
