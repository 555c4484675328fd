// @vitest-environment happy-dom
import { act } from "preact/test-utils";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { navigate, route } from "../../../extension/admin/router";
import { BrowseScreen } from "../../../extension/admin/screens/browse/BrowseScreen";
import { buildFilterOptions } from "../../../extension/admin/screens/browse/filter-options";
import {
  apiFilterQuery,
  ariaSort,
  filtersFromQuery,
  filtersToQuery,
  validateFilters,
} from "../../../extension/admin/screens/browse/filters";
import { seedDemoData } from "../../../server/seed/demo";
import type { GroupSummary } from "../../../shared/api/groups";
import { type AdminHarness, createAdminHarness } from "./admin-session";

/** The screen as the console renders it: following the route signal (so filters typed into the form apply). */
let mounts = 0;
function Live() {
  return <BrowseScreen route={route.value} />;
}

const rows = (root: HTMLElement) => [...root.querySelectorAll<HTMLTableRowElement>("tbody tr[data-group-id]")];
const rowIds = (root: HTMLElement) => rows(root).map((r) => r.dataset.groupId ?? "");
const button = (root: HTMLElement, name: string | RegExp) => {
  const b = [...root.querySelectorAll("button")].find((x) =>
    typeof name === "string" ? x.textContent?.includes(name) : name.test(x.textContent ?? ""),
  );
  if (!b) throw new Error(`no button ${name}`);
  return b;
};
const setValue = (el: HTMLInputElement | HTMLSelectElement, value: string, event: "input" | "change") =>
  act(() => {
    el.value = value;
    el.dispatchEvent(new Event(event, { bubbles: true }));
  });

describe("browse filters (pure)", () => {
  it("reads, writes and validates the route query", () => {
    const q = new URLSearchParams("q=acme&completenessMax=50&country=nl&sort=-engagement&bogus=1");
    const f = filtersFromQuery(q);
    expect(f).toEqual({ q: "acme", completenessMax: "50", country: "nl" });
    expect(filtersToQuery(f, { sort: "-engagement", limit: 25 }).toString()).toBe(
      "q=acme&completenessMax=50&country=nl&sort=-engagement",
    );
    expect(apiFilterQuery(f)).toEqual({ q: "acme", completenessMax: "50", country: "NL" });
    expect(validateFilters({ completenessMin: "150", engagementMin: "-1", country: "NLD" })).toEqual({
      completenessMin: "range0to100",
      engagementMin: "notNegative",
      country: "country",
    });
    expect(validateFilters({ completenessMin: "60", completenessMax: "40" })).toEqual({ completenessMax: "minAboveMax" });
    // a field with a problem is not sent
    expect(apiFilterQuery({ completenessMin: "150", completenessMax: "40" })).toEqual({ completenessMax: "40" });
    expect(ariaSort("name", "name")).toBe("ascending");
    expect(ariaSort("-engagement", "-engagement")).toBe("descending");
    expect(ariaSort("-engagement", "name")).toBe("none");
  });

  it("builds the choices from the server's lists: stages of used models, roles by key, distinct account fields", () => {
    const o = buildFilterOptions(
      [
        {
          id: "si1",
          name: "B",
          description: "",
          roleTemplateId: "t2",
          stageModelId: "m1",
          keywords: [],
          products: [],
          groupCount: 0,
        },
      ],
      [
        {
          id: "m1",
          name: "Sales",
          status: "live",
          stages: [
            { id: "s2", name: "Two", kind: "in_progress", position: 2 },
            { id: "s1", name: "One", kind: "entry", position: 1 },
          ],
          transitions: [],
          rules: [],
          createdAt: "",
          updatedAt: "",
        },
        { id: "m2", name: "Unused", status: "draft", stages: [], transitions: [], rules: [], createdAt: "", updatedAt: "" },
      ],
      [
        {
          id: "t1",
          familyId: "f",
          version: 1,
          name: "Old",
          description: "",
          status: "retired",
          publishedAt: null,
          createdAt: "",
          updatedAt: "",
          roles: [
            {
              key: "dm",
              name: "Old DM",
              weighting: "vital",
              membersRequired: 1,
              countsTowardCompleteness: true,
              decisionMaker: true,
              conditions: null,
              priority: 1,
            },
            {
              key: "x",
              name: "Extra",
              weighting: "normal",
              membersRequired: 1,
              countsTowardCompleteness: true,
              decisionMaker: false,
              conditions: null,
              priority: 2,
            },
          ],
        },
        {
          id: "t2",
          familyId: "f",
          version: 2,
          name: "New",
          description: "",
          status: "live",
          publishedAt: null,
          createdAt: "",
          updatedAt: "",
          roles: [
            {
              key: "dm",
              name: "Decision maker",
              weighting: "vital",
              membersRequired: 1,
              countsTowardCompleteness: true,
              decisionMaker: true,
              conditions: null,
              priority: 1,
            },
          ],
        },
      ],
      [
        { id: "a1", name: "A", industry: "Retail", marketSegment: "SMB", country: "nl" } as never,
        { id: "a2", name: "B", industry: "retail", marketSegment: null, country: "SE" } as never,
      ],
    );
    expect(o.stageModels).toEqual([
      {
        id: "m1",
        name: "Sales",
        stages: [
          { id: "s1", name: "One" },
          { id: "s2", name: "Two" },
        ],
      },
    ]);
    expect(o.roles).toEqual([
      { key: "dm", name: "Decision maker" },
      { key: "x", name: "Extra" },
    ]);
    expect(o.industries).toHaveLength(1);
    expect(o.countries).toEqual(["NL", "SE"]);
  });
});

describe("BrowseScreen against the real server (demo data)", () => {
  let h: AdminHarness;
  let all: GroupSummary[];
  beforeAll(async () => {
    h = await createAdminHarness();
    await seedDemoData(h.ctx.deps);
    all = (await h.ctx.call("GET", "/api/groups?limit=200")).body.items;
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => {
    act(() => navigate("#/browse", { replace: true }));
  });

  it("lists the first page of every group, sorted by name, with the total and links to each group", async () => {
    h.mount(<Live key={++mounts} />);
    await h.waitFor(() => expect(rows(h.root)).toHaveLength(25));
    expect(h.root.querySelector("[data-testid=browse-count]")?.textContent).toBe(`Showing 1–25 of ${all.length}`);
    const names = rows(h.root).map((r) => r.querySelector("a")?.textContent ?? "");
    expect(names).toEqual(all.slice(0, 25).map((g) => g.name));
    const first = rows(h.root)[0]!;
    expect(first.querySelector("a")?.getAttribute("href")).toBe(`#/groups/${all[0]!.id}`);
    expect(h.root.querySelector("th[aria-sort=ascending]")?.textContent).toContain("Name");
  });

  it("filters chosen in the form narrow the list to exactly the server's answer and live in the route", async () => {
    h.mount(<Live key={++mounts} />);
    await h.waitFor(() => expect(rows(h.root)).toHaveLength(25));
    // choices come from the server
    const si = h.root.querySelector<HTMLSelectElement>("select[name=solutionInterestId]")!;
    await h.waitFor(() => expect(si.options.length).toBe(4));
    const interest = all.find((g) => g.solutionInterestName === "Data Platform")!;
    await setValue(si, interest.solutionInterestId, "change");
    const max = h.root.querySelector<HTMLInputElement>("input[name=completenessMax]")!;
    await setValue(max, "60", "input");
    await h.waitFor(() => expect(route.value.query.get("completenessMax")).toBe("60"), 2000);
    expect(route.value.query.get("solutionInterestId")).toBe(interest.solutionInterestId);
    const expected = (
      await h.ctx.call("GET", `/api/groups?limit=200&solutionInterestId=${interest.solutionInterestId}&completenessMax=60`)
    ).body as { items: GroupSummary[]; total: number };
    expect(expected.total).toBeGreaterThan(0);
    expect(expected.total).toBeLessThan(all.length);
    await h.waitFor(() => expect(rowIds(h.root)).toEqual(expected.items.map((g) => g.id)));
    for (const r of rows(h.root))
      expect(Number.parseInt(r.querySelector("[data-testid=completeness]")!.textContent!, 10)).toBeLessThanOrEqual(60);
    expect(h.root.textContent).toContain(`of ${expected.total}`);
    // Clear filters goes back to every group
    await act(() => button(h.root, "Clear filters").click());
    await h.waitFor(() => expect(h.root.querySelector("[data-testid=browse-count]")?.textContent).toContain(`of ${all.length}`));
    expect(route.value.query.toString()).toBe("");
  });

  it("every filter of the API is in the form; missing role, stage and account fields narrow like the server", async () => {
    const stage = all.find((g) => g.stage)!.stage!;
    act(() =>
      navigate(`#/browse?stageId=${stage.id}&missingRole=decision-maker&industry=${encodeURIComponent("")}`, { replace: true }),
    );
    h.mount(<Live key={++mounts} />);
    const expected = (await h.ctx.call("GET", `/api/groups?limit=200&stageId=${stage.id}&missingRole=decision-maker`)).body
      .items as GroupSummary[];
    await h.waitFor(() => expect(rowIds(h.root)).toEqual(expected.slice(0, 25).map((g) => g.id)));
    for (const name of [
      "q",
      "solutionInterestId",
      "stageId",
      "missingRole",
      "completenessMin",
      "completenessMax",
      "engagementMin",
      "engagementMax",
      "accountId",
      "industry",
      "marketSegment",
      "country",
    ])
      expect(h.root.querySelector(`[name=${name}]`), name).not.toBeNull();
    const roleSelect = h.root.querySelector<HTMLSelectElement>("select[name=missingRole]")!;
    await h.waitFor(() => expect([...roleSelect.options].map((o) => o.textContent)).toContain("Decision maker"));
    expect(roleSelect.value).toBe("decision-maker");
    // an account field: the industry of one account, typed (debounced)
    act(() => navigate("#/browse", { replace: true }));
    const account = (await h.ctx.call("GET", `/api/accounts/${all[0]!.accountId}`)).body as { industry: string };
    const industry = h.root.querySelector<HTMLInputElement>("input[name=industry]")!;
    await setValue(industry, account.industry, "input");
    const byIndustry = (await h.ctx.call("GET", `/api/groups?limit=200&industry=${encodeURIComponent(account.industry)}`)).body;
    await h.waitFor(
      () => expect(h.root.querySelector("[data-testid=browse-count]")?.textContent).toContain(`of ${byIndustry.total}`),
      2000,
    );
    expect(byIndustry.total).toBeLessThan(all.length);
  });

  it("the search box is debounced: one request after typing stops", async () => {
    h.mount(<Live key={++mounts} />);
    await h.waitFor(() => expect(rows(h.root)).toHaveLength(25));
    const search = h.root.querySelector<HTMLInputElement>("input[name=q]")!;
    await setValue(search, "Atl", "input");
    await setValue(search, "Atlas", "input");
    expect(route.value.query.get("q")).toBeNull(); // not yet
    await h.waitFor(() => expect(route.value.query.get("q")).toBe("Atlas"), 2000);
    const expected = all.filter((g) => g.name.toLowerCase().includes("atlas"));
    await h.waitFor(() => expect(rowIds(h.root)).toEqual(expected.map((g) => g.id)));
  });

  it("invalid ranges are shown next to the field and not sent", async () => {
    h.mount(<Live key={++mounts} />);
    await h.waitFor(() => expect(rows(h.root)).toHaveLength(25));
    const min = h.root.querySelector<HTMLInputElement>("input[name=completenessMin]")!;
    await setValue(min, "150", "input");
    await h.waitFor(() => expect(h.root.textContent).toContain("Enter a number from 0 to 100."));
    expect(min.getAttribute("aria-invalid")).toBe("true");
    await h.settle(20);
    expect(h.root.querySelector("[role=alert]")).toBeNull();
    expect(h.root.querySelector("[data-testid=browse-count]")?.textContent).toContain(`of ${all.length}`);
  });

  it("sorts by the column header buttons (aria-sort follows)", async () => {
    h.mount(<Live key={++mounts} />);
    await h.waitFor(() => expect(rows(h.root)).toHaveLength(25));
    await act(() => button(h.root, /^Engagement/).click());
    await h.waitFor(() => expect(route.value.query.get("sort")).toBe("-engagement"));
    const expected = (await h.ctx.call("GET", "/api/groups?limit=25&sort=-engagement")).body.items as GroupSummary[];
    await h.waitFor(() => expect(rowIds(h.root)).toEqual(expected.map((g) => g.id)));
    const shown = rows(h.root).map((r) => Number(r.querySelector("[data-testid=engagement]")!.textContent));
    expect(shown).toEqual([...shown].sort((a, b) => b - a));
    expect(h.root.querySelector("th[aria-sort=descending]")?.textContent).toContain("Engagement");
    expect(h.root.querySelector("th[aria-sort=ascending]")).toBeNull();
    await act(() => button(h.root, /^Completeness/).click());
    await h.waitFor(() => {
      const c = rows(h.root).map((r) => Number.parseInt(r.querySelector("[data-testid=completeness]")!.textContent!, 10));
      expect(c).toEqual([...c].sort((a, b) => b - a));
      expect(h.root.querySelector("th[aria-sort=descending]")?.textContent).toContain("Completeness");
    });
  });

  it("pagination walks every group exactly once with Next, and Previous goes back", async () => {
    h.mount(<Live key={++mounts} />);
    await h.waitFor(() => expect(rows(h.root)).toHaveLength(25));
    const firstPage = rowIds(h.root);
    const seen: string[] = [...firstPage];
    for (let page = 2; ; page++) {
      const next = button(h.root, "Next page");
      if (next.disabled) break;
      const before = rowIds(h.root)[0];
      await act(() => next.click());
      await h.waitFor(() => expect(rowIds(h.root)[0]).not.toBe(before));
      expect(h.root.textContent).toContain(`Page ${page}`);
      seen.push(...rowIds(h.root));
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(all.map((g) => g.id).sort());
    const lastStart = Math.floor((all.length - 1) / 25) * 25 + 1;
    expect(h.root.querySelector("[data-testid=browse-count]")?.textContent).toBe(
      `Showing ${lastStart}–${all.length} of ${all.length}`,
    );
    for (let page = Math.ceil(all.length / 25); page > 1; page--) {
      await act(() => button(h.root, "Previous page").click());
      await h.waitFor(() => expect(h.root.textContent).toContain(`Page ${page - 1}`));
    }
    await h.waitFor(() => expect(rowIds(h.root)).toEqual(firstPage));
    expect(button(h.root, "Previous page").disabled).toBe(true);
  });
});
