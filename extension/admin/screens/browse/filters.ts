/**
 * The browse/dashboard filters as they live in the route query (`#/browse?solutionInterestId=…&completenessMax=50`):
 * parsing, validation (the same limits as the server's GroupFilterQuery) and the query sent to the API.
 * Pure functions, unit-tested.
 */

/** Every filter of GET /api/groups (shared/api/groups.ts GroupFilterQuery), in the order the form shows them. */
export const FILTER_KEYS = [
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
] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
/** Filter values as typed (strings; "" = not set). */
export type Filters = Partial<Record<FilterKey, string>>;

export const SORTS = ["name", "-updatedAt", "-engagement", "-completeness"] as const;
export type Sort = (typeof SORTS)[number];
export const DEFAULT_SORT: Sort = "name";
export const PAGE_SIZES = [25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 25;

const NUMERIC: ReadonlySet<FilterKey> = new Set(["completenessMin", "completenessMax", "engagementMin", "engagementMax"]);

export function filtersFromQuery(query: URLSearchParams): Filters {
  const f: Filters = {};
  for (const k of FILTER_KEYS) {
    const v = query.get(k);
    if (v !== null && v.trim() !== "") f[k] = v;
  }
  return f;
}

export function sortFromQuery(query: URLSearchParams): Sort {
  const s = query.get("sort");
  return (SORTS as readonly string[]).includes(s ?? "") ? (s as Sort) : DEFAULT_SORT;
}

export function pageSizeFromQuery(query: URLSearchParams): number {
  const n = Number(query.get("limit"));
  return (PAGE_SIZES as readonly number[]).includes(n) ? n : DEFAULT_PAGE_SIZE;
}

/** The route query for these filters (+ sort and page size when not the defaults); empty values are left out. */
export function filtersToQuery(f: Filters, extra: { sort?: Sort; limit?: number } = {}): URLSearchParams {
  const q = new URLSearchParams();
  for (const k of FILTER_KEYS) {
    const v = f[k]?.trim();
    if (v) q.set(k, v);
  }
  if (extra.sort && extra.sort !== DEFAULT_SORT) q.set("sort", extra.sort);
  if (extra.limit && extra.limit !== DEFAULT_PAGE_SIZE) q.set("limit", String(extra.limit));
  return q;
}

export type FilterProblem = "range0to100" | "notNegative" | "minAboveMax" | "country" | "notANumber";

/** Problems by field (nothing is sent for a field with a problem; the message is shown next to it). */
export function validateFilters(f: Filters): Partial<Record<FilterKey, FilterProblem>> {
  const out: Partial<Record<FilterKey, FilterProblem>> = {};
  for (const k of NUMERIC) {
    const raw = f[k]?.trim();
    if (!raw) continue;
    const n = Number(raw);
    if (!Number.isFinite(n)) out[k] = "notANumber";
    else if (k.startsWith("completeness") && (n < 0 || n > 100)) out[k] = "range0to100";
    else if (n < 0) out[k] = "notNegative";
  }
  for (const [min, max] of [
    ["completenessMin", "completenessMax"],
    ["engagementMin", "engagementMax"],
  ] as const) {
    const a = f[min]?.trim();
    const b = f[max]?.trim();
    if (a && b && !out[min] && !out[max] && Number(a) > Number(b)) out[max] = "minAboveMax";
  }
  const country = f.country?.trim();
  if (country && !/^[A-Za-z]{2}$/.test(country)) out.country = "country";
  return out;
}

/** The API query (strings, as the typed client sends them) with only the valid, non-empty filters. */
export function apiFilterQuery(f: Filters): Record<string, string> {
  const problems = validateFilters(f);
  const q: Record<string, string> = {};
  for (const k of FILTER_KEYS) {
    const v = f[k]?.trim();
    if (!v || problems[k]) continue;
    q[k] = k === "country" ? v.toUpperCase() : v;
  }
  return q;
}

/** How many filters are set (for "3 filters" and a Clear button). */
export const activeFilterCount = (f: Filters): number => FILTER_KEYS.filter((k) => (f[k]?.trim() ?? "") !== "").length;

export const sameFilters = (a: Filters, b: Filters): boolean =>
  FILTER_KEYS.every((k) => (a[k]?.trim() ?? "") === (b[k]?.trim() ?? ""));

/** aria-sort of a column: the API sorts name ascending and the other columns descending. */
export function ariaSort(column: Sort, current: Sort): "ascending" | "descending" | "none" {
  if (column !== current) return "none";
  return column.startsWith("-") ? "descending" : "ascending";
}
