// @vitest-environment happy-dom
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { TemplatesScreen } from "../../../extension/admin/screens/templates/TemplatesScreen";
import { language } from "../../../extension/models/locale";
import { account, person } from "../../helpers/factories";
import { type AdminHarness, createAdminHarness } from "./admin-session";

// The editor checks drafts with the shared schema before sending. To prove that the SERVER's 400 issues are placed
// next to the right inputs too, one test switches that client-side check off and lets the server answer.
const precheck = vi.hoisted(() => ({ on: true }));
vi.mock("../../../extension/admin/screens/templates/template-form", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../../extension/admin/screens/templates/template-form")>();
  return {
    ...real,
    validateTemplateDraft: (d: Parameters<typeof real.validateTemplateDraft>[0]) =>
      precheck.on ? real.validateTemplateDraft(d) : [],
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

/** The input inside `<label><span>{text}</span>…</label>` within `scope`. */
function field<T extends HTMLElement = HTMLInputElement>(scope: ParentNode, text: string, nth = 0): T {
  const labels = [...scope.querySelectorAll("label")].filter(
    (l) => (l.htmlFor ? l.textContent : l.querySelector("span")?.textContent) === text,
  );
  const l = labels[nth];
  const el = l?.htmlFor ? document.getElementById(l.htmlFor) : l?.querySelector("input, select, textarea");
  if (!el) throw new Error(`no field "${text}" #${nth}`);
  return el as unknown as T;
}
function button(scope: ParentNode, text: string, nth = 0): HTMLButtonElement {
  const b = [...scope.querySelectorAll("button")].filter(
    (x) => x.textContent?.trim() === text || x.getAttribute("aria-label") === text,
  )[nth];
  if (!b) throw new Error(`no button "${text}" #${nth}`);
  return b as HTMLButtonElement;
}
function type(el: HTMLInputElement | HTMLTextAreaElement, value: string) {
  act(() => {
    el.value = value;
    el.dispatchEvent(new Event("input", { bubbles: true }));
  });
}
function choose(el: HTMLSelectElement, value: string) {
  act(() => {
    el.value = value;
    el.dispatchEvent(new Event("change", { bubbles: true }));
  });
}
function click(el: HTMLElement) {
  act(() => el.click());
}
const roleCards = () => [...h.root.querySelectorAll<HTMLElement>("li.tpl-role")];
const errorOf = (input: HTMLElement) => {
  const id = input
    .getAttribute("aria-describedby")
    ?.split(" ")
    .find((x) => x.endsWith("-error"));
  return id ? document.getElementById(id)?.textContent : undefined;
};

async function openNew() {
  h.mount(<TemplatesScreen route={h.route("#/templates/new")} />);
  await h.settle();
}

/** Name, one role "Buyer" with jobTitle contains CIO AND (any: score gte <scoreValue>). */
async function fillNestedTemplate(scoreValue: string) {
  type(field(h.root, "Name"), "Security buyers");
  const card = roleCards()[0]!;
  type(field(card, "Role name"), "Buyer");
  expect(field(card, "Key").value).toBe("buyer");
  type(field(card, "Value"), "CIO");
  click(button(card, "Add group"));
  await h.settle(2);
  // the new group's first condition has focus, ready to fill in from the keyboard
  expect(document.activeElement?.id).toBe("tpl-roles-0-conditions-all-1-any-0-field");
  const group = card.querySelector("fieldset fieldset")!;
  expect(group.querySelector("legend select")?.getAttribute("id")).toBe("tpl-roles-0-conditions-all-1-mode");
  choose(field<HTMLSelectElement>(group, "Field"), "score");
  choose(field<HTMLSelectElement>(group, "Operator"), "gte");
  type(field(group, "Value"), scoreValue);
}

describe("role templates screen", () => {
  it("creates a template with a nested condition; a server 400 lands next to the right input; publishes when fixed", async () => {
    precheck.on = false;
    await openNew();
    await fillNestedTemplate("lots");
    click(button(h.root, "Publish"));
    const value = field(roleCards()[0]!.querySelector("fieldset fieldset")!, "Value");
    await h.waitFor(() => expect(errorOf(value)).toBe("gte needs a number"));
    expect(value.getAttribute("aria-invalid")).toBe("true");
    expect(h.root.querySelector('[role="alert"]')?.textContent).toContain(
      "Not saved: Invalid request body: roles.0.conditions.all.1.any.0.value",
    );
    // nothing typed is lost, nothing was stored
    expect(field(h.root, "Name").value).toBe("Security buyers");
    expect((await h.ctx.call("GET", "/api/role-templates")).body.items).toHaveLength(0);

    type(value, "40");
    click(button(h.root, "Publish"));
    await h.waitFor(() => expect(h.root.textContent).toContain("Version 1 is live."));
    const items = (await h.ctx.call("GET", "/api/role-templates")).body.items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ name: "Security buyers", status: "live" });
    expect(items[0].roles[0].conditions).toEqual({
      all: [{ field: "jobTitle", op: "contains", value: "CIO" }, { any: [{ field: "score", op: "gte", value: 40 }] }],
    });
    expect(location.hash).toBe(`#/templates/${items[0].id}`);
  });

  it("checks the draft with the shared schema before sending and shows each problem at its field", async () => {
    await openNew();
    await fillNestedTemplate("lots");
    click(button(h.root, "Add role"));
    const second = roleCards()[1]!;
    type(field(second, "Key"), "buyer");
    click(button(h.root, "Save draft"));
    await h.settle();
    const value = field(roleCards()[0]!.querySelector("fieldset fieldset")!, "Value");
    expect(errorOf(value)).toBe("gte needs a number");
    expect(errorOf(field(second, "Key"))).toBe("role key 'buyer' is used twice");
    expect(errorOf(field(second, "Role name"))).toBe("must not be empty");
    expect(errorOf(field(second, "Value"))).toBe("Enter a value.");
    expect(h.root.querySelector('[role="alert"]')?.textContent).toContain("Fix the highlighted problems first (4)");
    // focus goes to the first problem
    expect(document.activeElement).toBe(value);
    expect((await h.ctx.call("GET", "/api/role-templates")).body.items).toHaveLength(0);
    // fixing a field clears its message as you type
    type(value, "10");
    expect(errorOf(value)).toBeUndefined();
  });

  it("switches groups between all (AND) and any (OR) and removes them", async () => {
    await openNew();
    type(field(h.root, "Name"), "Groups");
    const card = () => roleCards()[0]!;
    type(field(card(), "Role name"), "Buyer");
    type(field(card(), "Value"), "CIO");
    click(button(card(), "Add group"));
    await h.settle(2);
    type(field(card().querySelector("fieldset fieldset")!, "Value"), "CTO");
    click(button(card().querySelector("fieldset fieldset")!, "Add group"));
    await h.settle(2);
    const inner = card().querySelector("fieldset fieldset fieldset")!;
    type(field(inner, "Value"), "VP");
    choose(inner.querySelector("legend select")!, "all");
    choose(card().querySelector<HTMLSelectElement>("legend select")!, "any");
    click(button(h.root, "Save draft"));
    await h.waitFor(() => expect(h.root.textContent).toContain("Draft saved"));
    const saved = async () => (await h.ctx.call("GET", "/api/role-templates")).body.items[0].roles[0].conditions;
    const leaf = (value: string) => ({ field: "jobTitle", op: "contains", value });
    expect(await saved()).toEqual({ any: [leaf("CIO"), { any: [leaf("CTO"), { all: [leaf("VP")] }] }] });
    // the outer nested group (its own button comes after the inner group's)
    click(button(card().querySelector("fieldset fieldset")!, "Remove group", 1));
    await h.settle(2);
    expect(document.activeElement?.id).toBe("tpl-roles-0-conditions");
    click(button(card(), "Remove all conditions"));
    expect(card().textContent).toContain("Never assigned automatically.");
    click(button(h.root, "Save draft"));
    await h.settle(20);
    expect(h.root.textContent).toContain("Draft saved");
    expect(await saved()).toBeNull();
  });

  it("shows each role's share live as weightings change (the seeds' 41.67 / 33.33 / 25 %)", async () => {
    await openNew();
    const shares = () => roleCards().map((c) => c.querySelector(".tpl-share span")?.textContent);
    expect(shares()).toEqual(["Share of engagement: 100%"]);
    click(button(h.root, "Add role"));
    click(button(h.root, "Add role"));
    choose(field<HTMLSelectElement>(roleCards()[0]!, "Weighting"), "vital");
    choose(field<HTMLSelectElement>(roleCards()[1]!, "Weighting"), "important");
    expect(shares()).toEqual(["Share of engagement: 41.67%", "Share of engagement: 33.33%", "Share of engagement: 25%"]);
    choose(field<HTMLSelectElement>(roleCards()[2]!, "Weighting"), "trivial");
    expect(shares()).toEqual(["Share of engagement: 50%", "Share of engagement: 40%", "Share of engagement: 10%"]);
    act(() => {
      language.value = "fr";
    });
    expect(roleCards()[0]!.querySelector(".tpl-share span")?.textContent).toMatch(/^Part de l’engagement : 50\s%$/);
  });

  it("reorders roles with keyboard-operable buttons, keeps focus on the moved role and saves that priority", async () => {
    await openNew();
    type(field(h.root, "Name"), "Order");
    for (const [i, name] of ["A", "B", "C"].entries()) {
      if (i > 0) click(button(h.root, "Add role"));
      const card = roleCards()[i]!;
      type(field(card, "Role name"), name);
      click(button(card, "Remove all conditions"));
    }
    click(button(h.root, "Move C up"));
    await h.settle(2);
    expect(document.activeElement?.getAttribute("aria-label")).toBe("Move C up");
    click(button(h.root, "Move C up"));
    await h.settle(2);
    // at the top, "up" is disabled: focus moves to its "down"
    expect(document.activeElement?.getAttribute("aria-label")).toBe("Move C down");
    expect(roleCards().map((c) => c.querySelector("h3")?.textContent)).toEqual(["1. C", "2. A", "3. B"]);
    click(button(h.root, "Remove role B"));
    click(button(h.root, "Save draft"));
    await h.waitFor(() => expect(h.root.textContent).toContain("Draft saved (version 1)."));
    const [tpl] = (await h.ctx.call("GET", "/api/role-templates")).body.items;
    expect(tpl.roles.map((r: { key: string; priority: number }) => [r.key, r.priority])).toEqual([
      ["c", 1],
      ["a", 2],
    ]);
    expect(tpl.roles[0].conditions).toBeNull();
  });

  it("lists and searches templates; editing a live one saves the next draft version", async () => {
    const live = await h.ctx.call("POST", "/api/role-templates", {
      name: "Enterprise deal",
      roles: [
        {
          key: "cio",
          name: "CIO",
          weighting: "vital",
          conditions: { any: [{ field: "seniority", op: "in", value: ["C-Level"] }] },
        },
      ],
    });
    await h.ctx.call("POST", `/api/role-templates/${live.body.id}/publish`);
    await h.ctx.call("POST", "/api/role-templates", {
      name: "SMB deal",
      roles: [{ key: "owner", name: "Owner", weighting: "normal" }],
    });
    h.mount(<TemplatesScreen route={h.route("#/templates")} />);
    await h.waitFor(() => expect(h.root.querySelectorAll("tbody tr")).toHaveLength(2));
    type(field(h.root, "Search by name"), "enterp");
    await h.waitFor(() => expect(h.root.querySelectorAll("tbody tr")).toHaveLength(1));
    expect(h.root.querySelector("tbody")?.textContent).toContain("Enterprise dealLive1CIO");
    expect(h.root.textContent).toContain("1 template");
    expect(h.root.textContent).not.toContain("1 templates");
    expect(location.hash).toBe("#/templates?q=enterp");

    h.mount(<TemplatesScreen route={h.route(`#/templates/${live.body.id}`)} />);
    await h.waitFor(() => expect(h.root.querySelector("h1")?.textContent).toContain("Live · version 1"));
    expect(button(h.root, "Publish").disabled).toBe(true);
    expect(field(roleCards()[0]!, "Value").value).toBe("C-Level");
    choose(field<HTMLSelectElement>(roleCards()[0]!, "Weighting"), "important");
    click(button(h.root, "Save draft"));
    await h.waitFor(() => expect(h.root.textContent).toContain("Saved as draft version 2"));
    const versions = (await h.ctx.call("GET", "/api/role-templates?q=Enterprise")).body.items;
    expect(versions.map((v: { status: string; version: number }) => `${v.status}${v.version}`)).toEqual(["draft2", "live1"]);
    expect(location.hash).toBe(`#/templates/${versions[0].id}`);
  });

  it("previews against an account: who would fill which role and why", async () => {
    const acc = await account(h.ctx, { name: "Globex" });
    await person(h.ctx, acc.id, "Ada", { jobTitle: "Chief Information Officer", seniority: "C-Level" });
    await person(h.ctx, acc.id, "Bob", { jobTitle: "IT Manager", department: "IT", seniority: "Manager" });
    await person(h.ctx, acc.id, "Cleo", { jobTitle: "Receptionist" });
    const tpl = await h.ctx.call("POST", "/api/role-templates", {
      name: "Preview me",
      roles: [
        {
          key: "dm",
          name: "Decision maker",
          weighting: "vital",
          conditions: { any: [{ field: "seniority", op: "in", value: ["C-Level", "VP"] }] },
        },
        {
          key: "user",
          name: "User",
          weighting: "normal",
          conditions: { all: [{ field: "department", op: "equals", value: "IT" }] },
        },
        {
          key: "legal",
          name: "Legal",
          weighting: "minor",
          conditions: { all: [{ field: "department", op: "equals", value: "Legal" }] },
        },
      ],
    });
    h.mount(<TemplatesScreen route={h.route(`#/templates/${tpl.body.id}`)} />);
    await h.waitFor(() => expect(h.root.querySelector(".tpl-preview")).not.toBeNull());
    const preview = h.root.querySelector<HTMLElement>(".tpl-preview")!;
    type(field(preview, "Account"), "glob");
    await h.waitFor(() => expect(button(preview, "Globex")).toBeTruthy());
    click(button(preview, "Globex"));
    await h.waitFor(() => expect(preview.textContent).toContain("Globex: completeness would be 67 %"));
    const role = (name: string) => preview.querySelector<HTMLElement>(`section[aria-label="${name}"]`)!.textContent;
    expect(role("Decision maker")).toContain("Ada Tester");
    expect(role("Decision maker")).toContain("Because Seniority is one of “C-Level, VP”");
    expect(role("User")).toContain("Bob Tester");
    expect(role("User")).toContain("Department equals “IT”");
    expect(role("Legal")).toContain("Nobody matches this role.");
    expect(preview.querySelector("tbody")?.textContent).toContain("Legal10Missing");
    expect(preview.querySelector(".tpl-unmatched")?.textContent).toContain("Cleo Tester");
  });

  it("deletes a template, and shows the server's refusal when it is in use", async () => {
    const tpl = await h.ctx.call("POST", "/api/role-templates", {
      name: "Used",
      roles: [{ key: "a", name: "A", weighting: "normal" }],
    });
    await h.ctx.call("POST", `/api/role-templates/${tpl.body.id}/publish`);
    await h.ctx.call("POST", "/api/solution-interests", { name: "Interest", roleTemplateId: tpl.body.id });
    h.mount(<TemplatesScreen route={h.route(`#/templates/${tpl.body.id}`)} />);
    await h.waitFor(() => expect(button(h.root, "Delete")).toBeTruthy());
    click(button(h.root, "Delete"));
    click(button(h.root, "Yes, delete"));
    await h.waitFor(() => expect(h.root.querySelector('[role="alert"]')?.textContent).toContain("This role template is in use"));
    expect((await h.ctx.call("GET", `/api/role-templates/${tpl.body.id}`)).status).toBe(200);
  });
});
