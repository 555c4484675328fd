// @vitest-environment happy-dom
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { StagesScreen } from "../../../extension/admin/screens/stages/StagesScreen";
import { language } from "../../../extension/models/locale";
import { type AdminHarness, createAdminHarness } from "./admin-session";

// One test switches the client-side errors off so the SERVER's 400 issues must reach the right inputs.
const precheck = vi.hoisted(() => ({ on: true }));
vi.mock("../../../extension/admin/screens/stages/stage-form", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../../extension/admin/screens/stages/stage-form")>();
  return {
    ...real,
    validateStageModel: (d: Parameters<typeof real.validateStageModel>[0]) => {
      const r = real.validateStageModel(d);
      return precheck.on ? r : { ...r, errors: [] };
    },
  };
});

let h: AdminHarness;
beforeEach(async () => {
  precheck.on = true;
  h = await createAdminHarness();
});
afterEach(async () => {
  language.value = "en";
  await h.close();
});

const q = <T extends Element = HTMLElement>(sel: string, scope: ParentNode = h.root) => {
  const el = scope.querySelector<T>(sel);
  if (!el) throw new Error(`nothing matches ${sel}`);
  return el;
};
const byLabel = <T extends HTMLElement = HTMLInputElement>(label: string, scope: ParentNode = h.root): T => {
  const aria = scope.querySelector<T>(`[aria-label="${label}"]`);
  if (aria) return aria;
  const l = [...scope.querySelectorAll("label")].find(
    (x) => (x.htmlFor ? x.textContent : x.querySelector("span")?.textContent) === label,
  );
  const el = (l?.htmlFor ? document.getElementById(l.htmlFor) : l?.querySelector("input, select")) as T | null;
  if (!el) throw new Error(`no control labelled ${label}`);
  return el as T;
};
const button = (text: string, scope: ParentNode = h.root) => {
  const b = [...scope.querySelectorAll("button")].find(
    (x) => x.textContent?.trim() === text || x.getAttribute("aria-label") === text,
  );
  if (!b) throw new Error(`no button ${text}`);
  return b;
};
const type = (el: HTMLInputElement, v: string) =>
  act(() => {
    el.value = v;
    el.dispatchEvent(new Event("input", { bubbles: true }));
  });
const choose = (el: HTMLSelectElement, v: string) =>
  act(() => {
    el.value = v;
    el.dispatchEvent(new Event("change", { bubbles: true }));
  });
const click = (el: HTMLElement) => act(() => el.click());
const errorOf = (el: HTMLElement) => {
  const id = el
    .getAttribute("aria-describedby")
    ?.split(" ")
    .find((x) => x.endsWith("-error"));
  return id ? document.getElementById(id)?.textContent : undefined;
};

async function liveModel() {
  const created = await h.ctx.call("POST", "/api/stage-models", {
    name: "Buying group stages",
    stages: [
      { name: "Identified", kind: "entry" },
      { name: "Engaged", kind: "in_progress" },
      { name: "Evaluating", kind: "in_progress" },
      { name: "Closed won", kind: "success" },
      { name: "Closed lost", kind: "failure" },
    ],
    transitions: [
      { from: "Identified", to: "Engaged" },
      { from: "Engaged", to: "Evaluating" },
      { from: "Evaluating", to: "Closed won" },
      { from: "Evaluating", to: "Closed lost" },
    ],
  });
  expect(created.status).toBe(201);
  await h.ctx.call("POST", `/api/stage-models/${created.body.id}/publish`);
  return created.body as { id: string };
}

describe("stage models screen", () => {
  it("lists models with their stages", async () => {
    await liveModel();
    h.mount(<StagesScreen route={h.route("#/stages")} />);
    await h.waitFor(() => expect(h.root.querySelectorAll("tbody tr")).toHaveLength(1));
    expect(q("tbody").textContent).toContain("Buying group stagesLiveIdentified (Entry) · Engaged (In progress)");
  });

  it("creates a model: stages, a transition ticked in the matrix, an automatic rule; save draft and publish round-trip", async () => {
    h.mount(<StagesScreen route={h.route("#/stages/new")} />);
    await h.settle();
    type(byLabel("Name"), "Simple pipeline");
    click(button("Add stage"));
    await h.settle(2);
    const nameInput = byLabel("Name of stage 5");
    expect(document.activeElement).toBe(nameInput);
    type(nameInput, "Negotiating");
    // new stage: warned until it can be reached and left
    expect(h.root.textContent).toContain("No group can reach Negotiating from an entry stage.");
    click(byLabel("Allow Engaged → Negotiating"));
    click(byLabel("Allow Negotiating → Closed won"));
    expect(h.root.textContent).not.toContain("No group can reach Negotiating");
    click(button("Add rule"));
    const from = byLabel<HTMLSelectElement>("From");
    choose(from, [...from.options].find((o) => o.text === "Negotiating")!.value);
    type(byLabel("Completeness at least (%)"), "75");
    click(button("Save draft"));
    await h.waitFor(() => expect(h.root.textContent).toContain("Draft saved."));
    const [draft] = (await h.ctx.call("GET", "/api/stage-models")).body.items;
    expect(draft.status).toBe("draft");
    expect(location.hash).toBe(`#/stages/${draft.id}`);
    click(button("Publish"));
    await h.waitFor(() => expect(h.root.textContent).toContain("The stage model is live."));
    const m = (await h.ctx.call("GET", `/api/stage-models/${draft.id}`)).body;
    const name = (id: string) => m.stages.find((s: { id: string }) => s.id === id).name;
    expect(m.status).toBe("live");
    expect(m.stages.map((s: { name: string; kind: string }) => `${s.name}:${s.kind}`)).toEqual([
      "Identified:entry",
      "Engaged:in_progress",
      "Closed won:success",
      "Closed lost:failure",
      "Negotiating:in_progress",
    ]);
    expect(
      m.transitions.map((t: { fromStageId: string; toStageId: string }) => `${name(t.fromStageId)}>${name(t.toStageId)}`),
    ).toEqual(expect.arrayContaining(["Engaged>Negotiating", "Negotiating>Closed won"]));
    expect(m.rules).toEqual([
      {
        fromStageId: expect.any(String),
        toStageId: expect.any(String),
        minCompleteness: 75,
        minEngagement: null,
        openOpportunity: false,
      },
    ]);
    expect(name(m.rules[0].fromStageId)).toBe("Negotiating");
    expect(name(m.rules[0].toStageId)).toBe("Closed won");
  });

  it("a live model is read-only; editing it as a new draft (add a stage and a transition) publishes a new model", async () => {
    const live = await liveModel();
    h.mount(<StagesScreen route={h.route(`#/stages/${live.id}`)} />);
    await h.waitFor(() => expect(h.root.textContent).toContain("This model is live"));
    expect(byLabel("Allow Identified → Engaged").checked).toBe(true);
    expect(q<HTMLFieldSetElement>("fieldset.stg-fieldset").disabled).toBe(true);
    click(button("Edit as a new draft"));
    await h.settle(2);
    expect(byLabel("Name").value).toBe("Buying group stages (new version)");
    click(button("Add stage"));
    type(byLabel("Name of stage 6"), "Negotiating");
    click(button("Move Negotiating up"));
    click(button("Move Negotiating up"));
    click(byLabel("Allow Evaluating → Negotiating"));
    click(byLabel("Allow Negotiating → Closed won"));
    click(button("Publish"));
    await h.waitFor(() => expect(h.root.textContent).toContain("The stage model is live."));
    const models = (await h.ctx.call("GET", "/api/stage-models")).body.items;
    expect(models.map((m: { name: string; status: string }) => `${m.name}:${m.status}`)).toEqual([
      "Buying group stages:live",
      "Buying group stages (new version):live",
    ]);
    const next = models[1];
    expect(next.stages.map((s: { name: string }) => s.name)).toEqual([
      "Identified",
      "Engaged",
      "Evaluating",
      "Negotiating",
      "Closed won",
      "Closed lost",
    ]);
    expect(next.transitions).toHaveLength(6);
    // the original is untouched
    expect((await h.ctx.call("GET", `/api/stage-models/${live.id}`)).body.stages).toHaveLength(5);
  });

  it("checks like the server before sending: an entry stage, rules pointing at removed stages", async () => {
    h.mount(<StagesScreen route={h.route("#/stages/new")} />);
    await h.settle();
    type(byLabel("Name"), "Broken");
    click(button("Add rule"));
    const to = byLabel<HTMLSelectElement>("To");
    expect(to.options[to.selectedIndex]?.text).toBe("Closed won");
    type(byLabel("Completeness at least (%)"), "50");
    click(button("Remove stage Closed won"));
    choose(byLabel<HTMLSelectElement>("Kind of Identified"), "in_progress");
    click(button("Save draft"));
    await h.settle();
    expect(errorOf(byLabel("To"))).toBe("Refers to a stage that was removed; choose another stage or remove the rule.");
    expect(q("#stg-stages-error").textContent).toBe("needs an entry stage (kind: entry)");
    expect(h.root.querySelector('[role="alert"]')?.textContent).toContain("Fix the highlighted problems first (2)");
    expect((await h.ctx.call("GET", "/api/stage-models")).body.items).toHaveLength(0);
  });

  it("shows the server's 400 next to the rule it names", async () => {
    precheck.on = false;
    h.mount(<StagesScreen route={h.route("#/stages/new")} />);
    await h.settle();
    type(byLabel("Name"), "No thresholds");
    click(button("Add rule"));
    click(button("Save draft"));
    await h.waitFor(() =>
      expect(q("#stg-rules-0-error").textContent).toBe("give at least one of minCompleteness, minEngagement or openOpportunity"),
    );
    expect(h.root.querySelector('[role="alert"]')?.textContent).toContain("Not saved: Invalid request body: rules.0");
    click(q("#stg-rules-0-openOpportunity"));
    click(button("Save draft"));
    await h.waitFor(() => expect(h.root.textContent).toContain("Draft saved."));
  });

  it("the transition matrix is keyboard operable: arrow keys move between boxes, skipping the diagonal", async () => {
    h.mount(<StagesScreen route={h.route("#/stages/new")} />);
    await h.settle();
    const start = byLabel("Allow Identified → Engaged");
    act(() => start.focus());
    act(() => {
      start.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }));
    });
    // row Engaged, column Engaged is the diagonal: skipped to row Closed won
    expect(document.activeElement?.getAttribute("aria-label")).toBe("Allow Closed won → Engaged");
    act(() => {
      document.activeElement!.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight", bubbles: true }));
    });
    expect(document.activeElement?.getAttribute("aria-label")).toBe("Allow Closed won → Closed lost");
  });
});
