import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminE2E, startAdminE2E } from "./admin-harness";

const TEMPLATE = "Security buying group";

describe("admin console: role templates and stage models in Chromium (demo data)", () => {
  let e2e: AdminE2E;
  beforeAll(async () => {
    e2e = await startAdminE2E({ demoData: true });
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it("creates a role template with nested conditions in the UI and publishes it", async () => {
    const { page } = e2e;
    await e2e.open("#/templates");
    await page.getByRole("link", { name: "Default B2B buying group" }).waitFor();
    await e2e.shot("templates-list");

    await page.getByRole("button", { name: "New role template" }).click();
    await page.getByRole("heading", { name: "New role template" }).waitFor();
    await page.getByLabel("Name", { exact: true }).fill(TEMPLATE);

    const leader = page.locator("li.tpl-role").nth(0);
    await leader.getByLabel("Role name").fill("Security leader");
    expect(await leader.getByLabel("Key").inputValue()).toBe("security-leader");
    await leader.getByLabel("Weighting").selectOption("vital");
    await leader.getByLabel("Operator").selectOption("not_contains");
    await leader.getByLabel("Value").fill("Assistant");
    await leader.getByRole("button", { name: "Add group" }).click();
    const nested = leader.locator("fieldset fieldset");
    // the new condition's field has focus: the builder is usable from the keyboard alone
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("tpl-roles-0-conditions-all-1-any-0-field");
    await nested.getByLabel("Field").selectOption("seniority");
    await nested.getByLabel("Operator").selectOption("in");
    await nested.getByLabel("Value").fill("C-Level, VP");
    await nested.getByRole("button", { name: "Add condition" }).click();
    await nested.getByLabel("Value").nth(1).fill("Chief");

    await page.getByRole("button", { name: "Add role" }).click();
    const practitioner = page.locator("li.tpl-role").nth(1);
    await practitioner.getByLabel("Role name").fill("Security practitioner");
    await practitioner.getByLabel("Field").selectOption("department");
    await practitioner.getByLabel("Operator").selectOption("in");
    await practitioner.getByLabel("Value").fill("IT, Security, Engineering");
    // shares follow the weightings live: Vital 100 and Normal 60 of 160
    expect(await leader.locator(".tpl-share span").first().textContent()).toBe("Share of engagement: 62.5%");
    expect(await practitioner.locator(".tpl-share span").first().textContent()).toBe("Share of engagement: 37.5%");
    await practitioner.getByLabel("Members required").fill("2");
    await e2e.shot("template-editor");

    await page.getByRole("button", { name: "Publish" }).click();
    await page.getByText("Version 1 is live.").waitFor();
    const { items } = await e2e.quorum.call("GET", `/api/role-templates?q=${encodeURIComponent(TEMPLATE)}`);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ name: TEMPLATE, status: "live", version: 1 });
    expect(
      items[0].roles.map((r: { key: string; weighting: string; membersRequired: number }) => [
        r.key,
        r.weighting,
        r.membersRequired,
      ]),
    ).toEqual([
      ["security-leader", "vital", 1],
      ["security-practitioner", "normal", 2],
    ]);
    expect(items[0].roles[0].conditions).toEqual({
      all: [
        { field: "jobTitle", op: "not_contains", value: "Assistant" },
        {
          any: [
            { field: "seniority", op: "in", value: ["C-Level", "VP"] },
            { field: "jobTitle", op: "contains", value: "Chief" },
          ],
        },
      ],
    });
    expect(items[0].roles[1].conditions).toEqual({
      all: [{ field: "department", op: "in", value: ["IT", "Security", "Engineering"] }],
    });
    expect(page.url()).toContain(`#/templates/${items[0].id}`);
  });

  it("previews the template against a demo account: who fills which role and why", async () => {
    const { page } = e2e;
    const { items } = await e2e.quorum.call("GET", `/api/role-templates?q=${encodeURIComponent(TEMPLATE)}`);
    const templateId = items[0].id as string;
    // a demo account where both roles find someone (server-side, to pick a telling example)
    const accounts = (await e2e.quorum.call("GET", "/api/accounts?limit=50")).items as Array<{ id: string; name: string }>;
    let target: { id: string; name: string } | undefined;
    for (const a of accounts) {
      const p = await e2e.quorum.call("POST", `/api/role-templates/${templateId}/preview`, { accountId: a.id });
      if (p.roles.every((r: { matches: number }) => r.matches > 0)) {
        target = a;
        break;
      }
    }
    expect(target).toBeDefined();
    const preview = page.locator("section.tpl-preview");
    await preview.getByLabel("Account").fill(target!.name);
    await preview.getByRole("button", { name: target!.name, exact: true }).click();
    await preview.getByText(`${target!.name}: completeness would be`).waitFor();
    const leader = preview.getByRole("region", { name: "Security leader" });
    expect(await leader.locator("li").count()).toBeGreaterThan(0);
    expect(await leader.textContent()).toMatch(
      /Because Job title does not contain “Assistant” and (Seniority is one of “C-Level, VP”|Job title contains “Chief”)/,
    );
    const practitioner = preview.getByRole("region", { name: "Security practitioner" });
    expect(await practitioner.textContent()).toContain("Department is one of “IT, Security, Engineering”");
    await preview.scrollIntoViewIfNeeded();
    await e2e.shot("template-preview");
  });

  it("edits the live stage model as a new draft (adds a stage and a transition) and publishes it", async () => {
    const { page } = e2e;
    await e2e.open("#/stages");
    await page.getByRole("link", { name: "Buying group stages" }).click();
    await page.getByText("This model is live").waitFor();
    await page.getByRole("button", { name: "Edit as a new draft" }).click();
    await page.getByRole("button", { name: "Add stage" }).click();
    await page.getByLabel("Name of stage 6").fill("Negotiating");
    // keyboard: move the new stage before the outcomes
    await page.getByRole("button", { name: "Move Negotiating up" }).focus();
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    expect(await page.getByLabel("Name of stage 4").inputValue()).toBe("Negotiating");
    await page.getByRole("checkbox", { name: "Allow Evaluating → Negotiating" }).check();
    const toWon = page.getByRole("checkbox", { name: "Allow Negotiating → Closed won" });
    await toWon.focus();
    await page.keyboard.press("Space");
    expect(await toWon.isChecked()).toBe(true);
    await page.getByRole("button", { name: "Add rule" }).click();
    await page.getByLabel("From", { exact: true }).selectOption({ label: "Negotiating" });
    await page.getByLabel("Completeness at least (%)").fill("80");
    await page.getByLabel("Account has an open opportunity").check();
    await e2e.shot("stage-editor");

    await page.getByRole("button", { name: "Publish" }).click();
    await page.getByText("The stage model is live.").waitFor();
    const models = (await e2e.quorum.call("GET", "/api/stage-models")).items as Array<{
      id: string;
      name: string;
      status: string;
      stages: Array<{ id: string; name: string; kind: string }>;
      transitions: Array<{ fromStageId: string; toStageId: string }>;
      rules: Array<{ fromStageId: string | null; toStageId: string; minCompleteness: number | null; openOpportunity: boolean }>;
    }>;
    const next = models.find((m) => m.name === "Buying group stages (new version)");
    expect(next?.status).toBe("live");
    const name = (id: string | null) => next!.stages.find((s) => s.id === id)?.name;
    expect(next!.stages.map((s) => s.name)).toEqual([
      "Identified",
      "Engaged",
      "Evaluating",
      "Negotiating",
      "Closed won",
      "Closed lost",
    ]);
    expect(next!.transitions.map((t) => `${name(t.fromStageId)} → ${name(t.toStageId)}`)).toEqual(
      expect.arrayContaining(["Evaluating → Negotiating", "Negotiating → Closed won", "Identified → Engaged"]),
    );
    expect(next!.rules.map((r) => [name(r.fromStageId), name(r.toStageId), r.minCompleteness, r.openOpportunity])).toEqual([
      ["Negotiating", "Closed won", 80, true],
    ]);
    expect(page.url()).toContain(`#/stages/${next!.id}`);
    // the model the demo groups are in is unchanged
    const original = models.find((m) => m.name === "Buying group stages");
    expect(original?.stages).toHaveLength(5);
  });
});
