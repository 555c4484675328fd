import { useEffect, useRef, useState } from "preact/hooks";
import type { Dashboard } from "../../../../shared/api/dashboard";
import { language } from "../../../models/locale";
import { formatDateTime, formatNumber } from "../../../utils/i18n";
import type { ScreenProps } from "../../AdminApp";
import { errorMessage, expectOk } from "../../api";
import { useT } from "../../i18n";
import { navigate, routeHref } from "../../router";
import { useSession } from "../../session";
import "../browse/browse.css";
import { useFilterOptions } from "../browse/filter-options";
import { apiFilterQuery, type Filters, filtersFromQuery, filtersToQuery } from "../browse/filters";
import { GroupFilters } from "../browse/GroupFilters";
import { colourRamp } from "./chart-geometry";
import { BarChart, HBarChart, HeatMap, StackedBar } from "./charts";
import "./dashboard.css";
import { messages } from "./messages";

const STAGE_COLOURS: Record<string, readonly string[]> = {
  entry: ["#93c5fd", "#60a5fa"],
  in_progress: ["#818cf8", "#6366f1", "#4f46e5", "#4338ca"],
  success: ["#059669", "#047857"],
  failure: ["#dc2626", "#b91c1c"],
};
const BAND_COLOURS = ["#fca5a5", "#fcd34d", "#93c5fd", "#34d399"];

/** "0", "1–10", "251+" */
export const bucketLabel = (b: { from: number; to: number | null }, format: (n: number) => string): string =>
  b.to === null ? `${format(b.from)}+` : b.to === b.from ? format(b.from) : `${format(b.from)}–${format(b.to)}`;

/** The file name the server gives in Content-Disposition (or a dated default). */
export function downloadName(disposition: string | null): string {
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition ?? "");
  return m?.[1] ? decodeURIComponent(m[1]) : `quorum-dashboard-${new Date().toISOString().slice(0, 10)}.csv`;
}

/** The CSV export URL for these filters (the same query as the dashboard). */
export function exportUrl(serverUrl: string, filters: Filters): string {
  const qs = new URLSearchParams(apiFilterQuery(filters)).toString();
  return `${serverUrl.replace(/\/+$/, "")}/api/dashboard/export.csv${qs ? `?${qs}` : ""}`;
}

/** Completeness and engagement distributions, groups by interest and stage, role coverage, contact overlap; CSV. */
export function DashboardScreen({ route }: ScreenProps) {
  const t = useT(messages);
  const { api, serverUrl, token } = useSession();
  const lang = language.value;
  const filters = filtersFromQuery(route.query);
  const apiQuery = apiFilterQuery(filters);
  const key = JSON.stringify(apiQuery);
  const { options, error: optionsError } = useFilterOptions(api);
  const [data, setData] = useState<Dashboard | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [reloads, setReloads] = useState(0);
  const [exportState, setExportState] = useState<{ busy: boolean; ok?: boolean; text?: string }>({ busy: false });
  const seq = useRef(0);

  useEffect(() => {
    const id = ++seq.current;
    setLoading(true);
    expectOk<Dashboard>(api.dashboard.$get({ query: apiQuery })).then(
      (d) => {
        if (id !== seq.current) return;
        setData(d);
        setError(null);
        setLoading(false);
      },
      (e) => {
        if (id !== seq.current) return;
        setError(errorMessage(e));
        setLoading(false);
      },
    );
  }, [key, reloads]);

  const fmt = (n: number) => formatNumber(lang, n);
  const pct = (share: number) => new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 0 }).format(share);

  async function exportCsv() {
    setExportState({ busy: true });
    try {
      let res: Response;
      try {
        res = await fetch(exportUrl(serverUrl, filters), { headers: { authorization: `Bearer ${token}` } });
      } catch (e) {
        throw new Error(errorMessage(e));
      }
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
        throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
      }
      const file = downloadName(res.headers.get("content-disposition"));
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement("a");
      a.href = url;
      a.download = file;
      a.hidden = true;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setExportState({ busy: false, ok: true, text: t("exported", { file }) });
    } catch (e) {
      setExportState({ busy: false, ok: false, text: t("exportFailed", { message: errorMessage(e) }) });
    }
  }

  const d = data;
  const stageKindIndex = new Map<string, number>();
  const stageColour = (kind: string | null) => {
    if (!kind) return "#d1d5db";
    const shades = STAGE_COLOURS[kind] ?? ["#9ca3af"];
    const i = stageKindIndex.get(kind) ?? 0;
    stageKindIndex.set(kind, i + 1);
    return shades[i % shades.length]!;
  };
  const heatRows = d ? [...new Map(d.roleCoverage.map((c) => [c.solutionInterestId, c.solutionInterestName]))] : [];
  const heatColumns = d ? [...new Map(d.roleCoverage.map((c) => [c.roleKey, c.roleName]))] : [];
  const coverage = new Map(d?.roleCoverage.map((c) => [`${c.solutionInterestId}\u0000${c.roleKey}`, c]) ?? []);

  return (
    <div class="dashboard">
      <h1>{t("title")}</h1>
      <GroupFilters
        value={filters}
        onChange={(f) => navigate(routeHref("dashboard", null, filtersToQuery(f)), { replace: true })}
        options={options}
        optionsError={optionsError}
        idPrefix="dashboard-filters"
      />
      <div class="dashboard-bar">
        <span role="status" aria-live="polite" class="muted">
          {loading ? t("loading") : d ? t("computedAt", { when: formatDateTime(lang, d.computedAt) }) : ""}
        </span>
        <button
          type="button"
          class="primary"
          onClick={() => void exportCsv()}
          disabled={exportState.busy}
          data-testid="export-csv"
        >
          {exportState.busy ? t("exporting") : t("exportCsv")}
        </button>
        <span
          role="status"
          aria-live="polite"
          class={exportState.ok === false ? "field-error" : "ok"}
          data-testid="export-status"
        >
          {exportState.text ?? ""}
        </span>
      </div>
      {error && (
        <p role="alert" class="field-error">
          {t("loadFailed", { message: error })}{" "}
          <button type="button" onClick={() => setReloads((n) => n + 1)}>
            {t("retry")}
          </button>
        </p>
      )}
      {d && (
        <div aria-busy={loading}>
          <div class="tiles dashboard-tiles">
            <div class="tile" data-testid="total-groups">
              <div class="tile-label">{t("groups")}</div>
              <div class="tile-value">{fmt(d.groups)}</div>
            </div>
            <div class="tile">
              <div class="tile-label">{t("averageEngagement")}</div>
              <div class="tile-value">{fmt(d.engagement.average)}</div>
            </div>
            <div class="tile">
              <div class="tile-label">{t("maxEngagement")}</div>
              <div class="tile-value">{fmt(d.engagement.max)}</div>
            </div>
            <div class="tile">
              <div class="tile-label">{t("peopleInSeveral")}</div>
              <div class="tile-value">
                {fmt(d.contactOverlap.inSeveralGroups)} <span class="muted">/ {fmt(d.contactOverlap.people)}</span>
              </div>
            </div>
          </div>
          {d.groups === 0 && <p class="muted">{t("noData")}</p>}
          <div class="chart-grid">
            <BarChart
              testId="chart-completeness"
              title={t("completenessBands")}
              summary={t("completenessSummary", { count: d.groups })}
              columns={[t("band"), t("groupCount")]}
              format={fmt}
              data={d.completenessBands.map((b, i) => ({
                label: `${b.band} %`,
                value: b.groups,
                colour: BAND_COLOURS[i] ?? colourRamp(i / 3),
              }))}
            />
            <BarChart
              testId="chart-engagement"
              title={t("engagementDistribution")}
              summary={t("engagementSummary", { count: d.groups, average: d.engagement.average, max: d.engagement.max })}
              columns={[t("engagementRange"), t("groupCount")]}
              format={fmt}
              data={d.engagement.buckets.map((b) => ({ label: bucketLabel(b, fmt), value: b.groups }))}
            />
            <HBarChart
              testId="chart-interests"
              title={t("bySolutionInterest")}
              summary={t("bySolutionInterestSummary", { count: d.bySolutionInterest.length })}
              columns={[t("solutionInterest"), t("groupCount")]}
              format={fmt}
              data={d.bySolutionInterest.map((s) => ({ label: s.name, value: s.groups }))}
            />
            <StackedBar
              testId="chart-stages"
              title={t("byStage")}
              summary={t("byStageSummary", { count: d.groups, stages: d.byStage.length })}
              columns={[t("stage"), t("groupCount")]}
              format={fmt}
              percent={pct}
              data={d.byStage.map((s) => ({
                label: s.id === null ? t("noStage") : s.name,
                value: s.groups,
                colour: stageColour(s.kind),
              }))}
            />
            <div class="chart-wide">
              <HeatMap
                testId="chart-coverage"
                title={t("roleCoverage")}
                summary={t("roleCoverageSummary", { rows: heatRows.length, columns: heatColumns.length })}
                rows={heatRows.map(([key, label]) => ({ key, label }))}
                columns={heatColumns.map(([key, label]) => ({ key, label }))}
                corner={`${t("solutionInterest")} / ${t("role")}`}
                empty={t("notInTemplate")}
                legendTitle={t("legend")}
                legendLabel={(s) => pct(s / 100)}
                cell={(row, column) => {
                  const c = coverage.get(`${row}\u0000${column}`);
                  return c
                    ? { share: c.share, label: pct(c.share / 100), detail: t("filledOf", { filled: c.filled, groups: c.groups }) }
                    : null;
                }}
              />
              <p class="muted chart-hint">{t("roleCoverageHint")}</p>
            </div>
            <div>
              <BarChart
                testId="chart-overlap"
                title={t("contactOverlap")}
                summary={t("contactOverlapSummary", {
                  people: d.contactOverlap.people,
                  several: d.contactOverlap.inSeveralGroups,
                })}
                columns={[t("groupsPerPerson"), t("people")]}
                format={fmt}
                data={d.contactOverlap.distribution.map((o) => ({
                  label: o.groups === 1 ? t("inOneGroup") : t("inGroups", { count: o.groups }),
                  value: o.people,
                  colour: o.groups > 1 ? "#f59e0b" : undefined,
                }))}
              />
              <p class="muted chart-hint">{t("contactOverlapHint")}</p>
            </div>
          </div>
        </div>
      )}
    </div>
  );
}
