import { useEffect, useRef, useState } from "preact/hooks";
import type { GroupSummary } from "../../../../shared/api/groups";
import { language } from "../../../models/locale";
import { formatDate, formatNumber } from "../../../utils/i18n";
import type { ScreenProps } from "../../AdminApp";
import { errorMessage, expectOk } from "../../api";
import { useT } from "../../i18n";
import { navigate, routeHref } from "../../router";
import { useSession } from "../../session";
import "./browse.css";
import { useFilterOptions } from "./filter-options";
import {
  apiFilterQuery,
  ariaSort,
  type Filters,
  filtersFromQuery,
  filtersToQuery,
  PAGE_SIZES,
  pageSizeFromQuery,
  type Sort,
  sortFromQuery,
} from "./filters";
import { GroupFilters } from "./GroupFilters";
import { messages } from "./messages";

export interface GroupPage {
  items: GroupSummary[];
  total: number;
  limit: number;
  offset: number | null;
  nextCursor: string | null;
}

interface Load {
  page: GroupPage | null;
  /** The list (filters, sort, page size) and cursor the page answers. */
  key: string;
  loading: boolean;
  error: string | null;
}

const COLUMNS: Array<{ sort: Sort | null; key: "name" | "account" | "solutionInterest" | "stage" | "members" | Sort }> = [
  { sort: "name", key: "name" },
  { sort: null, key: "account" },
  { sort: null, key: "solutionInterest" },
  { sort: null, key: "stage" },
  { sort: null, key: "members" },
  { sort: "-completeness", key: "-completeness" },
  { sort: "-engagement", key: "-engagement" },
  { sort: "-updatedAt", key: "-updatedAt" },
];

/** Every buying group: name search, all the browse API's filters (kept in the route), sortable, keyset-paginated. */
export function BrowseScreen({ route }: ScreenProps) {
  const t = useT(messages);
  const { api } = useSession();
  const lang = language.value;
  const filters = filtersFromQuery(route.query);
  const sort = sortFromQuery(route.query);
  const limit = pageSizeFromQuery(route.query);
  const apiQuery = apiFilterQuery(filters);
  const listKey = JSON.stringify([apiQuery, sort, limit]);
  const { options, error: optionsError } = useFilterOptions(api);

  // Cursors of the pages walked so far: the last is the current page ("previous" pops it).
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [cursorsKey, setCursorsKey] = useState(listKey);
  const [load, setLoad] = useState<Load>({ page: null, key: "", loading: true, error: null });
  const [reloads, setReloads] = useState(0);
  const requestId = useRef(0);

  // New filters, sort or page size start again at the first page.
  let current = cursors;
  if (cursorsKey !== listKey) {
    current = [null];
    setCursors(current);
    setCursorsKey(listKey);
  }
  const cursor = current[current.length - 1] ?? null;
  const pageIndex = current.length - 1;

  useEffect(() => {
    const id = ++requestId.current;
    const pageKey = `${listKey}|${cursor ?? ""}`;
    setLoad((l) => ({ ...l, loading: true, error: null }));
    const query: Record<string, string> = { ...apiQuery, sort, limit: String(limit) };
    if (cursor) query.cursor = cursor;
    expectOk<GroupPage>(api.groups.$get({ query })).then(
      (page) => id === requestId.current && setLoad({ page, key: pageKey, loading: false, error: null }),
      (e) => id === requestId.current && setLoad((l) => ({ ...l, loading: false, error: errorMessage(e) })),
    );
  }, [listKey, cursor, reloads]);

  const go = (next: Filters, nextSort: Sort = sort, nextLimit: number = limit) =>
    navigate(routeHref("browse", null, filtersToQuery(next, { sort: nextSort, limit: nextLimit })), { replace: true });

  const sortLabel = (s: Sort) =>
    s === "name" ? t("sortedAscending") : s === "-updatedAt" ? t("sortedNewest") : t("sortedDescending");
  const columnName = (key: (typeof COLUMNS)[number]["key"]) =>
    key === "-completeness"
      ? t("completeness")
      : key === "-engagement"
        ? t("engagement")
        : key === "-updatedAt"
          ? t("updated")
          : t(key);

  const page = load.error ? null : load.page;
  // While another list or page loads, the one shown stays (no flicker) but its cursor must not be followed.
  const busy = load.loading || load.key !== `${listKey}|${cursor ?? ""}`;
  const from = page && page.items.length > 0 ? pageIndex * limit + 1 : 0;
  const to = page ? pageIndex * limit + page.items.length : 0;

  return (
    <div class="browse">
      <h1>{t("title")}</h1>
      <GroupFilters
        value={filters}
        onChange={(f) => go(f)}
        options={options}
        optionsError={optionsError}
        idPrefix="browse-filters"
      />
      <div class="browse-status" aria-live="polite" role="status">
        {busy && !page && <span>{t("loading")}</span>}
        {page && (
          <span data-testid="browse-count">{page.total === 0 ? t("none") : t("showing", { from, to, total: page.total })}</span>
        )}
      </div>
      {load.error && (
        <p role="alert" class="field-error">
          {t("loadFailed", { message: load.error })}{" "}
          <button type="button" onClick={() => setReloads((n) => n + 1)}>
            {t("retry")}
          </button>
        </p>
      )}
      {page && page.items.length > 0 && (
        <div class="table-scroll">
          <table class="admin-table browse-table" aria-busy={busy}>
            <caption class="sr-only">{t("tableCaption", { sort: `${columnName(sort)}, ${sortLabel(sort)}` })}</caption>
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <th
                    key={c.key}
                    scope="col"
                    aria-sort={c.sort ? ariaSort(c.sort, sort) : undefined}
                    class={`col-${c.key.replace("-", "")}`}
                  >
                    {c.sort ? (
                      <button
                        type="button"
                        onClick={() => c.sort && go(filters, c.sort)}
                        aria-label={
                          c.sort === sort
                            ? `${columnName(c.key)}, ${sortLabel(c.sort)}`
                            : t("sortBy", { column: columnName(c.key) })
                        }
                      >
                        {columnName(c.key)}
                        <span aria-hidden="true" class="sort-mark">
                          {c.sort === sort ? (c.sort === "name" ? " ▲" : " ▼") : " ⇅"}
                        </span>
                      </button>
                    ) : (
                      columnName(c.key)
                    )}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {page.items.map((g) => (
                <tr key={g.id} data-group-id={g.id}>
                  <td class="col-name">
                    <a href={routeHref("groups", g.id)}>{g.name}</a>
                  </td>
                  <td>{g.accountName}</td>
                  <td>{g.solutionInterestName}</td>
                  <td class="col-stage">{g.stage?.name ?? t("noStage")}</td>
                  <td class="num">{formatNumber(lang, g.memberCount)}</td>
                  <td class="num" data-testid="completeness">
                    {formatNumber(lang, g.completeness, 0)} %
                  </td>
                  <td class="num" data-testid="engagement">
                    {formatNumber(lang, g.engagement, 0)}
                  </td>
                  <td>{formatDate(lang, g.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page && (page.total > 0 || pageIndex > 0) && (
        <nav class="pager" aria-label={t("pagination")}>
          <button type="button" disabled={pageIndex === 0} onClick={() => setCursors(current.slice(0, -1))}>
            ← {t("previous")}
          </button>
          <span class="muted">{t("page", { page: pageIndex + 1 })}</span>
          <button
            type="button"
            disabled={busy || !page.nextCursor || to >= page.total}
            onClick={() => !busy && page.nextCursor && to < page.total && setCursors([...current, page.nextCursor])}
          >
            {t("next")} →
          </button>
          <label class="page-size">
            {t("pageSize")}{" "}
            <select value={String(limit)} onChange={(e) => go(filters, sort, Number(e.currentTarget.value))}>
              {PAGE_SIZES.map((n) => (
                <option key={n} value={String(n)}>
                  {formatNumber(lang, n)}
                </option>
              ))}
            </select>
          </label>
        </nav>
      )}
    </div>
  );
}
