import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminE2E, startAdminE2E } from "./admin-harness";

/**
 * Solution interests, their jobs and emails in the console, in Chromium against a real server with the demo data: a
 * new interest on a freshly published template, a creation job over every demo account watched to the end, its groups
 * in Browse, and an email approved.
 */
describe("admin console: solution interests, jobs, emails", () => {
  let e2e: AdminE2E;
  beforeAll(async () => {
    e2e = await startAdminE2E({ demoData: true });
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it("creates a solution interest on a published template and runs a creation job to the end; its groups show in Browse", async () => {
    const { page, quorum } = e2e;
    const draft = await quorum.call<{ id: string }>("POST", "/api/role-templates", {
      name: "E2E buying committee",
      roles: [
        { key: "decision-maker", name: "Decision maker", weighting: "vital", decisionMaker: true },
        { key: "influencer", name: "Influencer", weighting: "important" },
      ],
    });
    const live = await quorum.call<{ id: string; name: string; version: number }>(
      "POST",
      `/api/role-templates/${draft.id}/publish`,
    );
    const accounts = await quorum.call<{ total: number }>("GET", "/api/accounts?limit=1");

    await e2e.open("#/interests");
    await page.getByRole("link", { name: "New solution interest" }).click();
    await page.getByRole("heading", { name: "New solution interest" }).waitFor();
    await page.getByLabel("Name", { exact: true }).fill("E2E Data platform");
    await page.getByLabel("Description").fill("Warehouse and pipelines, created end to end");
    await page.getByLabel("Role template").selectOption(live.id);
    const keywords = page.getByRole("textbox", { name: "Intent keywords", exact: true });
    await keywords.fill("warehouse");
    await keywords.press("Enter");
    await keywords.fill("lakehouse,");
    await page.getByRole("textbox", { name: "Products", exact: true }).fill("Quorum Data");
    await page.getByRole("button", { name: "Create" }).click();
    await page.getByRole("heading", { name: "E2E Data platform", level: 1 }).waitFor();
    const id = decodeURIComponent(/#\/interests\/([^?]+)/.exec(page.url())?.[1] ?? "");
    expect(id).toMatch(/^si_/);
    const si = await quorum.call("GET", `/api/solution-interests/${id}`);
    expect(si).toMatchObject({
      roleTemplateId: live.id,
      keywords: ["warehouse", "lakehouse"],
      products: ["Quorum Data"],
      groupCount: 0,
    });

    // the audience builder counts matching accounts live
    await page.getByRole("button", { name: "New creation job…" }).click();
    const count = page.locator(".audience-count");
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe(`Matching accounts: ${accounts.total}`);
    const industries = page.getByRole("combobox", { name: "Industries", exact: true });
    const industry = (await quorum.call<{ items: Array<{ industry: string | null }> }>("GET", "/api/accounts?limit=1")).items[0]
      ?.industry;
    if (industry) {
      await industries.fill(industry);
      await industries.press("Enter");
      await expect
        .poll(async () => Number((await count.textContent())?.replace(/\D/g, "")), { timeout: 10_000 })
        .toBeLessThan(accounts.total);
      await page.getByRole("button", { name: `Remove ${industry}` }).click();
      await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe(`Matching accounts: ${accounts.total}`);
    }
    await e2e.shot("interests");

    // run it over every demo account and watch the progress bar finish
    await page.getByRole("button", { name: `Start creation job for ${accounts.total} accounts` }).click();
    const job = page.locator(".job-list [data-job-id]").first();
    await job.waitFor();
    await expect.poll(() => job.getAttribute("data-status"), { timeout: 45_000, interval: 250 }).toBe("done");
    expect(await job.locator(".job-progress-text").textContent()).toBe(`${accounts.total} of ${accounts.total} accounts`);
    expect(await job.locator("progress").evaluate((p: HTMLProgressElement) => p.value)).toBe(100);
    expect(await job.textContent()).toContain(`Groups created: ${accounts.total}`);
    await job.scrollIntoViewIfNeeded();
    await e2e.shot("job-progress");

    // the new groups, in Browse filtered by the solution interest
    const groups = await quorum.call<{ total: number; items: Array<{ name: string }> }>(
      "GET",
      `/api/groups?solutionInterestId=${id}&limit=5`,
    );
    expect(groups.total).toBe(accounts.total);
    await e2e.open(`#/browse?solutionInterestId=${id}`);
    const rows = page.locator("tbody tr[data-group-id]");
    await rows.first().waitFor({ timeout: 15_000 });
    await expect.poll(async () => (await rows.allTextContents()).every((r) => r.includes("E2E Data platform"))).toBe(true);
    expect(await rows.count()).toBeGreaterThan(0);
  });

  it("deletes an interest with groups only after the admin types its name", async () => {
    const { page, quorum } = e2e;
    const list = await quorum.call<{ items: Array<{ id: string; name: string; groupCount: number }> }>(
      "GET",
      "/api/solution-interests",
    );
    const busy = list.items.find((s) => s.groupCount > 0);
    expect(busy).toBeDefined();
    await e2e.open(`#/interests/${busy!.id}`);
    await page.getByRole("button", { name: `Delete with its buying groups (${busy!.groupCount})` }).click();
    const confirm = page.getByRole("button", { name: `Delete it and its buying groups (${busy!.groupCount})` });
    expect(await confirm.isDisabled()).toBe(true);
    await page.getByLabel(`Type “${busy!.name}” to delete it and its buying groups (${busy!.groupCount}):`).fill("wrong");
    expect(await confirm.isDisabled()).toBe(true);
    await page.getByRole("button", { name: "Keep it" }).click();
    expect((await quorum.call<{ id: string }>("GET", `/api/solution-interests/${busy!.id}`)).id).toBe(busy!.id);
  });

  it("previews and approves a draft email", async () => {
    const { page, quorum } = e2e;
    const drafts = await quorum.call<{ items: Array<{ id: string; name: string; workspaceId: string }> }>(
      "GET",
      "/api/emails?status=draft",
    );
    const draft = drafts.items[0];
    expect(draft).toBeDefined();
    await e2e.open("#/emails");
    const workspaces = await quorum.call<{ items: Array<{ id: string; name: string }> }>("GET", "/api/workspaces");
    const ws = workspaces.items.find((w) => w.id === draft!.workspaceId)!;
    await page
      .getByRole("navigation", { name: "Workspaces" })
      .getByRole("link", { name: new RegExp(ws.name) })
      .click();
    await page.getByRole("link", { name: draft!.name }).click();
    await page.getByRole("heading", { name: draft!.name, level: 1 }).waitFor();
    expect(await page.locator(".email-status").getAttribute("data-status")).toBe("draft");

    // preview for a member of a demo group
    const group = page.getByLabel("Buying group", { exact: true });
    await expect.poll(async () => (await group.locator("option").count()) > 1).toBe(true);
    const firstGroup = await group.locator("option").nth(1).getAttribute("value");
    await group.selectOption(firstGroup!);
    await expect.poll(() => page.getByLabel("Member", { exact: true }).inputValue()).not.toBe("");
    await page.getByRole("button", { name: "Show preview" }).click();
    await page.locator(".preview-text").waitFor();
    expect(await page.locator(".preview-text").textContent()).not.toContain("{{");

    await page.getByRole("button", { name: "Approve", exact: true }).click();
    await expect.poll(() => page.locator(".email-status").getAttribute("data-status")).toBe("approved");
    expect((await quorum.call<{ status: string }>("GET", `/api/emails/${draft!.id}`)).status).toBe("approved");
    await e2e.shot("emails");
  });
});
