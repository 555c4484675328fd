// @vitest-environment happy-dom
/**
 * The whole fixture set against its ground truth (see page-measure.ts): the goals of reading CRM pages as they really
 * are. `npm run measure:pages` prints the same figures per CRM.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { measurePage, type PageResult, percent, totals, truthFiles } from "./page-measure";

const files = truthFiles();
const results: PageResult[] = [];

beforeAll(async () => {
  for (const file of files) results.push(await measurePage(file));
});

describe("every saved CRM page against its ground truth", () => {
  it("has a ground truth for every saved page", async () => {
    const { readdirSync } = await import("node:fs");
    const { dirname, join } = await import("node:path");
    const { fileURLToPath } = await import("node:url");
    const dir = join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/crm");
    const pages = readdirSync(dir).filter((f) => f.endsWith(".html"));
    expect(pages.map((p) => p.replace(/\.html$/, ".truth.json")).sort()).toEqual(files);
  });

  it("detects every account page, and nothing else, on every CRM", () => {
    expect(results.filter((r) => !r.detected).map((r) => r.fixture)).toEqual([]);
  });

  it("places no control outside the account's contacts", () => {
    expect(results.flatMap((r) => r.outside.map((o) => `${r.fixture}: ${o}`))).toEqual([]);
  });

  it("finds at least 95 % of the account's contacts", () => {
    expect(percent(totals(results).contacts)).toBeGreaterThanOrEqual(95);
  });

  it.each(["names", "websites", "titles", "emails"] as const)("reads at least 90 %% of the %s the pages show", (what) => {
    expect(percent(totals(results)[what])).toBeGreaterThanOrEqual(90);
  });

  it("pre-chooses a role (default template) for at least 90 % of the contacts with a title", () => {
    expect(percent(totals(results).rolePreChosen)).toBeGreaterThanOrEqual(90);
  });

  it("covers each situation the pages must be read in", () => {
    const situations = new Set(results.flatMap((r) => r.truth.situations));
    for (const s of [
      "console-tabs",
      "timeline-mention",
      "error-page",
      "legacy-hash-url",
      "heading-name",
      "title-name",
      "highlights-website",
      "labelled-website",
      "datatable-headers",
      "colon-labels",
      "card-lines",
      "plain-text-email",
    ])
      expect(situations).toContain(s);
  });
});
