// @vitest-environment happy-dom
import { act } from "preact/test-utils";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { navigate, route } from "../../../extension/admin/router";
import { DashboardScreen, downloadName, exportUrl } from "../../../extension/admin/screens/dashboard/DashboardScreen";
import { language } from "../../../extension/models/locale";
import { seedDemoData } from "../../../server/seed/demo";
import type { Dashboard } from "../../../shared/api/dashboard";
import { type AdminHarness, createAdminHarness } from "./admin-session";

let mounts = 0;
function Live() {
  return <DashboardScreen route={route.value} />;
}

const bars = (root: Element, chart: string) =>
  [...root.querySelectorAll(`[data-testid=${chart}] .bar`)].map((b) => ({
    label: b.getAttribute("data-label"),
    value: Number(b.getAttribute("data-value")),
    text: b.querySelector(".bar-value")?.textContent ?? null,
  }));

describe("DashboardScreen against the real server (demo data)", () => {
  let h: AdminHarness;
  let all: Dashboard;
  beforeAll(async () => {
    h = await createAdminHarness();
    await seedDemoData(h.ctx.deps);
    all = (await h.ctx.call("GET", "/api/dashboard")).body;
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    language.value = "en";
  });
  afterAll(async () => {
    await h.close();
  });
  const mount = (hash: string) => {
    act(() => navigate(hash, { replace: true }));
    h.mount(<Live key={++mounts} />);
  };

  it("draws every chart as SVG with the API's numbers, a title and a hidden data table", async () => {
    mount("#/dashboard");
    await h.waitFor(() => expect(bars(h.root, "chart-completeness")).toHaveLength(4));
    expect(h.root.querySelector("[data-testid=total-groups]")?.textContent).toContain(String(all.groups));
    expect(bars(h.root, "chart-completeness")).toEqual(
      all.completenessBands.map((b) => ({ label: `${b.band} %`, value: b.groups, text: String(b.groups) })),
    );
    expect(bars(h.root, "chart-engagement").map((b) => b.value)).toEqual(all.engagement.buckets.map((b) => b.groups));
    expect(bars(h.root, "chart-engagement").map((b) => b.label)).toEqual([
      "0",
      "1–10",
      "11–25",
      "26–50",
      "51–100",
      "101–250",
      "251+",
    ]);
    expect(bars(h.root, "chart-interests")).toEqual(
      all.bySolutionInterest.map((s) => ({ label: s.name, value: s.groups, text: String(s.groups) })),
    );
    expect(bars(h.root, "chart-stages").map((b) => [b.label, b.value])).toEqual(all.byStage.map((s) => [s.name, s.groups]));
    expect(bars(h.root, "chart-overlap").map((b) => b.value)).toEqual(all.contactOverlap.distribution.map((o) => o.people));
    // role coverage heat map: one labelled cell per (interest, role)
    const cells = [...h.root.querySelectorAll("[data-testid=chart-coverage] .heat-cell")];
    const filled = cells.filter((c) => c.getAttribute("data-share") !== "");
    expect(filled).toHaveLength(all.roleCoverage.length);
    for (const c of all.roleCoverage) {
      const cell = h.root.querySelector(
        `[data-testid=chart-coverage] .heat-cell[data-row="${c.solutionInterestId}"][data-column="${c.roleKey}"]`,
      )!;
      expect(Number(cell.getAttribute("data-share"))).toBe(c.share);
      expect(cell.querySelector("text")?.textContent).toBe(`${Math.round(c.share)}%`);
    }
    expect(h.root.querySelector("[data-testid=chart-coverage] linearGradient")).not.toBeNull();
    // accessible: every SVG is an image with a title; the numbers are in a table too
    const svgs = [...h.root.querySelectorAll("figure.chart svg")];
    expect(svgs).toHaveLength(6);
    for (const svg of svgs) {
      expect(svg.getAttribute("role")).toBe("img");
      const title = svg.querySelector("title");
      expect(title?.id).toBe(svg.getAttribute("aria-labelledby"));
      expect(title?.textContent?.length).toBeGreaterThan(5);
    }
    const table = h.root.querySelector("[data-testid=chart-interests] .sr-only table")!;
    expect(table.textContent).toContain(`${all.bySolutionInterest[0]!.name}${all.bySolutionInterest[0]!.groups}`);
  });

  it("the browse filters narrow the dashboard exactly like the API", async () => {
    const si = all.bySolutionInterest[0]!;
    mount(`#/dashboard?solutionInterestId=${si.id}&completenessMin=50`);
    const expected = (await h.ctx.call("GET", `/api/dashboard?solutionInterestId=${si.id}&completenessMin=50`)).body as Dashboard;
    expect(expected.groups).toBeLessThan(all.groups);
    await h.waitFor(() =>
      expect(bars(h.root, "chart-completeness").map((b) => b.value)).toEqual(expected.completenessBands.map((b) => b.groups)),
    );
    expect(h.root.querySelector("[data-testid=total-groups]")?.textContent).toContain(String(expected.groups));
    expect(bars(h.root, "chart-interests").map((b) => b.label)).toEqual([si.name]);
    expect(h.root.querySelector<HTMLSelectElement>("select[name=solutionInterestId]")?.value).toBe(si.id);
    // the form changes the route (and so the charts)
    const min = h.root.querySelector<HTMLInputElement>("input[name=completenessMin]")!;
    act(() => {
      min.value = "";
      min.dispatchEvent(new Event("input", { bubbles: true }));
    });
    const bySi = (await h.ctx.call("GET", `/api/dashboard?solutionInterestId=${si.id}`)).body as Dashboard;
    await h.waitFor(
      () => expect(h.root.querySelector("[data-testid=total-groups]")?.textContent).toContain(String(bySi.groups)),
      2000,
    );
    expect(route.value.query.get("completenessMin")).toBeNull();
  });

  it("exports the CSV with the current filters and the token, and downloads it through a Blob URL", async () => {
    const si = all.bySolutionInterest[1]!;
    mount(`#/dashboard?solutionInterestId=${si.id}&country=nl`);
    await h.waitFor(() => expect(h.root.querySelector("[data-testid=total-groups]")).not.toBeNull());
    const requests: Request[] = [];
    const fetchStub = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = new Request(String(input), init);
      requests.push(req.clone());
      return h.ctx.app.fetch(req);
    });
    vi.stubGlobal("fetch", fetchStub);
    const blobs: Blob[] = [];
    const createObjectURL = vi.fn((b: Blob) => {
      blobs.push(b);
      return "blob:quorum-test";
    });
    vi.stubGlobal("URL", Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() }));
    const clicked: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(`${this.getAttribute("href")} ${this.download}`);
    });
    await act(() => h.root.querySelector<HTMLButtonElement>("[data-testid=export-csv]")!.click());
    await h.waitFor(() => expect(h.root.querySelector("[data-testid=export-status]")?.textContent).toContain("Downloaded"));
    click.mockRestore();
    expect(requests).toHaveLength(1);
    const url = new URL(requests[0]!.url);
    expect(url.pathname).toBe("/api/dashboard/export.csv");
    expect(url.searchParams.get("solutionInterestId")).toBe(si.id);
    expect(url.searchParams.get("country")).toBe("NL");
    expect(requests[0]!.headers.get("authorization")).toBe(`Bearer ${h.session.token}`);
    expect(clicked).toEqual(["blob:quorum-test quorum-dashboard-2026-11-23.csv"]);
    const csv = await blobs[0]!.text();
    expect(csv.startsWith("section,key,detail,value")).toBe(true);
    expect(h.root.querySelector("[data-testid=export-status]")?.textContent).toBe("Downloaded quorum-dashboard-2026-11-23.csv.");
  });

  it("numbers and labels follow the UI language", async () => {
    act(() => {
      language.value = "fr";
    });
    mount("#/dashboard");
    await h.waitFor(() => expect(h.root.querySelector("figure.chart figcaption")?.textContent).toBe("Exhaustivité"));
    expect(h.root.textContent).toContain("Couverture des rôles");
    expect(h.root.textContent).toContain("Exporter en CSV");
    const avg = new Intl.NumberFormat("fr", { maximumFractionDigits: 1 }).format(all.engagement.average);
    expect(h.root.textContent).toContain(avg);
  });

  it("helpers: export URL and file name", () => {
    expect(exportUrl("http://x:1/", { q: "a b", completenessMin: "500", country: "se" })).toBe(
      "http://x:1/api/dashboard/export.csv?q=a+b&country=SE",
    );
    expect(exportUrl("http://x:1", {})).toBe("http://x:1/api/dashboard/export.csv");
    expect(downloadName('attachment; filename="quorum-dashboard-2026-01-02.csv"')).toBe("quorum-dashboard-2026-01-02.csv");
    expect(downloadName(null)).toMatch(/^quorum-dashboard-\d{4}-\d\d-\d\d\.csv$/);
  });
});
