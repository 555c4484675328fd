import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dashboard } from "../../shared/api/dashboard";
import type { GroupSummary } from "../../shared/api/groups";
import { type AdminE2E, startAdminE2E } from "./admin-harness";

interface GroupPage {
  items: GroupSummary[];
  total: number;
  nextCursor: string | null;
}

describe("admin console: browse, group and dashboard in Chromium (demo data)", () => {
  let e2e: AdminE2E;
  beforeAll(async () => {
    e2e = await startAdminE2E({ demoData: true });
  });
  afterAll(async () => {
    await e2e?.close();
  });

  const shownIds = () =>
    e2e.page.locator("table.browse-table tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-group-id")));
  const countText = () => e2e.page.getByTestId("browse-count").textContent();

  it("browse lists the demo groups; a solution interest + completeness range narrows it to the server's answer", async () => {
    const { page, quorum } = e2e;
    const all = await quorum.call<GroupPage>("GET", "/api/groups?limit=25");
    expect(all.total).toBeGreaterThan(50);
    await e2e.open("#/browse");
    await page.locator("table.browse-table tbody tr").first().waitFor();
    expect(await shownIds()).toEqual(all.items.map((g) => g.id));
    expect(await countText()).toBe(`Showing 1–25 of ${all.total}`);

    // filters, by keyboard-reachable controls with labels
    const interests = await quorum.call<{ items: Array<{ id: string; name: string }> }>("GET", "/api/solution-interests");
    const si = interests.items.find((s) => s.name === "Cloud Security Suite") ?? interests.items[0]!;
    await page.getByLabel("Solution interest", { exact: true }).selectOption(si.id);
    const range = page.getByRole("group", { name: "Completeness (%)" });
    await range.getByLabel("Minimum").fill("50");
    await range.getByLabel("Maximum").fill("80");
    const expected = await quorum.call<GroupPage>(
      "GET",
      `/api/groups?limit=25&solutionInterestId=${si.id}&completenessMin=50&completenessMax=80`,
    );
    expect(expected.total).toBeGreaterThan(0);
    expect(expected.total).toBeLessThan(all.total);
    await page.waitForURL(/completenessMax=80/);
    await expect.poll(countText, { timeout: 10_000 }).toBe(`Showing 1–${expected.items.length} of ${expected.total}`);
    expect(await shownIds()).toEqual(expected.items.map((g) => g.id));
    expect(page.url()).toContain(`solutionInterestId=${si.id}`);

    // reload keeps the filters (they live in the route)
    await page.reload();
    await expect.poll(countText, { timeout: 10_000 }).toBe(`Showing 1–${expected.items.length} of ${expected.total}`);
    expect(await page.getByLabel("Solution interest", { exact: true }).inputValue()).toBe(si.id);

    // sort by engagement with the column header button
    await page.getByRole("button", { name: /Sort by Engagement/ }).click();
    const byEngagement = await quorum.call<GroupPage>(
      "GET",
      `/api/groups?limit=25&solutionInterestId=${si.id}&completenessMin=50&completenessMax=80&sort=-engagement`,
    );
    await expect.poll(shownIds, { timeout: 10_000 }).toEqual(byEngagement.items.map((g) => g.id));
    expect(await page.locator("th[aria-sort=descending]").textContent()).toContain("Engagement");
    await e2e.shot("browse");
  });

  it("opens a group from the list: members, scores, stage and insights in a wide layout", async () => {
    const { page, quorum } = e2e;
    await e2e.open("#/browse?sort=-engagement");
    const firstLink = page.locator("table.browse-table tbody tr a").first();
    await firstLink.waitFor();
    const name = (await firstLink.textContent()) ?? "";
    await firstLink.click();
    await page.waitForURL(/#\/groups\//);
    await page.getByRole("heading", { level: 1, name }).waitFor();
    const id = decodeURIComponent(page.url().split("#/groups/")[1] ?? "");
    const details = await quorum.call<{ members: Array<{ name: string }> }>("GET", `/api/groups/${id}`);
    const rows = page.getByTestId("members-table").locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(details.members.length);
    expect(await rows.first().textContent()).toContain(details.members[0]!.name);
    await page.getByTestId("timeline").locator("li").first().waitFor();
    await page
      .getByTestId("member-checks")
      .getByText(/Stale members/)
      .waitFor();
    await page.getByTestId("next-role").getByRole("heading").waitFor();
    // the completeness breakdown opens by keyboard
    const breakdown = page.getByTestId("score-completeness").getByRole("button");
    await breakdown.focus();
    await page.keyboard.press("Enter");
    await page.locator("#score-breakdown li").first().waitFor();
    await e2e.shot("group");
  });

  it("dashboard draws SVG charts with the API's numbers and exports the filtered CSV", async () => {
    const { page, quorum } = e2e;
    const all = await quorum.call<Dashboard>("GET", "/api/dashboard");
    await e2e.open("#/dashboard");
    await page.locator("[data-testid=chart-completeness] svg .bar").first().waitFor();
    expect(await page.locator("figure.chart svg[role=img]").count()).toBe(6);
    const values = await page
      .locator("[data-testid=chart-completeness] .bar")
      .evaluateAll((bars) => bars.map((b) => Number(b.getAttribute("data-value"))));
    expect(values).toEqual(all.completenessBands.map((b) => b.groups));
    expect(await page.locator("[data-testid=chart-coverage] .heat-cell[data-share]:not([data-share=''])").count()).toBe(
      all.roleCoverage.length,
    );
    // the charts are drawn at the page's width, not squeezed
    const box = await page.locator("[data-testid=chart-coverage] svg").boundingBox();
    expect(box?.width).toBeGreaterThan(500);
    await e2e.shot("dashboard");

    // filter, then export: the CSV has the filtered numbers
    const si = all.bySolutionInterest[0]!;
    await page.getByLabel("Solution interest", { exact: true }).selectOption(si.id);
    await expect.poll(() => page.getByTestId("total-groups").textContent(), { timeout: 10_000 }).toContain(String(si.groups));
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^quorum-dashboard-\d{4}-\d\d-\d\d\.csv$/);
    const path = await download.path();
    const csv = readFileSync(path, "utf8");
    expect(csv.split("\r\n")[0]).toBe("section,key,detail,value");
    expect(csv).toContain(`total,groups,,${si.groups}\r\n`);
    await page.getByText(/^Downloaded quorum-dashboard-/).waitFor();
  });

  it("stays usable at 320 px: nothing wider than the page except the scrollable tables and heat map", async () => {
    const { page } = e2e;
    await page.setViewportSize({ width: 320, height: 800 });
    try {
      for (const hash of ["#/browse", "#/dashboard"]) {
        await e2e.open(hash);
        await page
          .locator(hash === "#/browse" ? "table.browse-table" : "figure.chart svg")
          .first()
          .waitFor();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, hash).toBeLessThanOrEqual(0);
      }
      await e2e.shot("dashboard-narrow");
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });
});
