/**
 * Hand-written SVG charts for the dashboard: vertical bars, horizontal bars, a stacked bar and a heat map. Each is a
 * <figure> whose SVG has a <title> and an aria-label summary; the exact numbers are also in a visually hidden table
 * for screen readers. Charts draw at the width of their container (text stays 12 px) and label every value.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import {
  bandScale,
  charsFor,
  colourRamp,
  HEAT_STOPS,
  linearScale,
  niceTicks,
  stackRuns,
  textOn,
  truncate,
} from "./chart-geometry";

let nextId = 0;
const useId = (prefix: string) => {
  const ref = useRef<string>("");
  if (!ref.current) ref.current = `${prefix}-${++nextId}`;
  return ref.current;
};

/** The container's width in px (ResizeObserver; a default where there is none, e.g. in tests). */
function useWidth(fallback = 560): [preact.RefObject<HTMLDivElement>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const measure = () => {
      const w = Math.floor(el.getBoundingClientRect().width);
      if (w > 0) setWidth(w);
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

export interface Datum {
  label: string;
  value: number;
  colour?: string;
}

interface Common {
  /** Heading of the figure and <title> of the SVG. */
  title: string;
  /** One-sentence summary read out for the SVG (e.g. "69 groups in 4 bands"). */
  summary: string;
  /** Number formatting in the UI language. */
  format: (n: number) => string;
  /** Column headers of the hidden data table. */
  columns: [string, string];
  testId?: string;
}

function Figure(props: { title: string; testId?: string | undefined; children: ComponentChildren; table: ComponentChildren }) {
  return (
    <figure class="chart" data-testid={props.testId}>
      <figcaption>{props.title}</figcaption>
      {props.children}
      {props.table}
    </figure>
  );
}

function DataTable({ caption, columns, rows }: { caption: string; columns: string[]; rows: Array<Array<string>> }) {
  // Tables ignore a 1 px width: the hidden wrapper (overflow hidden) keeps the table from widening the page.
  return (
    <div class="sr-only">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.join("|")}>{r.map((c, i) => (i === 0 ? <th scope="row">{c}</th> : <td>{c}</td>))}</tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const BAR = "#6366f1";
const AXIS = "#9ca3af";
const GRID = "#e5e7eb";
const FONT = 12;

/** Vertical bars with a value axis, gridlines, a value on top of each bar and the category under it. */
export function BarChart(props: Common & { data: Datum[]; height?: number }) {
  const [ref, width] = useWidth();
  const titleId = useId("chart-title");
  const height = props.height ?? 220;
  const max = Math.max(0, ...props.data.map((d) => d.value));
  const ticks = niceTicks(max, 4);
  const top = ticks[ticks.length - 1] ?? 1;
  const tickWidth = Math.max(...ticks.map((t) => props.format(t).length)) * 7 + 10;
  const left = Math.max(28, tickWidth);
  const firstBand = bandScale(props.data.length, Math.max(40, width - left - 8), 0.3);
  // Category labels that do not fit under their bar are drawn slanted (and the chart grows to keep its plot height).
  const slanted = props.data.some((d) => d.label.length * 7 > firstBand.step - 4);
  const longest = Math.max(0, ...props.data.map((d) => Math.min(d.label.length, 16)));
  const bottom = slanted ? Math.min(110, Math.round(longest * 7 * 0.64) + 22) : 34;
  const m = { top: 18, right: 8, bottom, left };
  const plotW = Math.max(40, width - m.left - m.right);
  const plotH = height - 34 - m.top;
  const totalH = plotH + m.top + m.bottom;
  const y = linearScale(top, plotH);
  const band = bandScale(props.data.length, plotW, 0.3);
  const maxChars = slanted ? 16 : charsFor(band.step);
  return (
    <Figure
      title={props.title}
      testId={props.testId}
      table={
        <DataTable caption={props.title} columns={props.columns} rows={props.data.map((d) => [d.label, props.format(d.value)])} />
      }
    >
      <div ref={ref} class="chart-box">
        <svg
          width={width}
          height={totalH}
          viewBox={`0 0 ${width} ${totalH}`}
          role="img"
          aria-labelledby={titleId}
          class="bar-chart"
        >
          <title id={titleId}>{`${props.title}: ${props.summary}`}</title>
          <g transform={`translate(${m.left},${m.top})`} font-size={FONT}>
            {ticks.map((t) => (
              <g key={t} transform={`translate(0,${plotH - y(t)})`}>
                <line x1={0} x2={plotW} stroke={t === 0 ? AXIS : GRID} />
                <text x={-6} dy="0.32em" text-anchor="end" fill="#4b5563">
                  {props.format(t)}
                </text>
              </g>
            ))}
            {props.data.map((d, i) => {
              const h = y(d.value);
              return (
                <g key={d.label} class="bar" data-label={d.label} data-value={d.value}>
                  <rect x={band.start(i)} y={plotH - h} width={band.width} height={h} fill={d.colour ?? BAR} rx={2}>
                    <title>{`${d.label}: ${props.format(d.value)}`}</title>
                  </rect>
                  <text
                    x={band.centre(i)}
                    y={plotH - h - 4}
                    text-anchor="middle"
                    font-weight="600"
                    fill="#111827"
                    class="bar-value"
                  >
                    {props.format(d.value)}
                  </text>
                  {slanted ? (
                    <text
                      transform={`translate(${band.centre(i)},${plotH + 12}) rotate(-40)`}
                      text-anchor="end"
                      dy="0.32em"
                      fill="#374151"
                    >
                      {truncate(d.label, maxChars)}
                    </text>
                  ) : (
                    <text x={band.centre(i)} y={plotH + 16} text-anchor="middle" fill="#374151">
                      {truncate(d.label, maxChars)}
                    </text>
                  )}
                </g>
              );
            })}
          </g>
        </svg>
      </div>
    </Figure>
  );
}

/** Horizontal bars: long category names (solution interests, stages) on the left, the value after each bar. */
export function HBarChart(props: Common & { data: Datum[] }) {
  const [ref, width] = useWidth();
  const titleId = useId("chart-title");
  const row = 28;
  const longest = Math.max(4, ...props.data.map((d) => d.label.length));
  const labelW = Math.min(Math.round(width * 0.4), longest * 7 + 12);
  const valueW = Math.max(...props.data.map((d) => props.format(d.value).length), 1) * 8 + 10;
  const plotW = Math.max(30, width - labelW - valueW);
  const height = Math.max(row, props.data.length * row) + 4;
  const max = Math.max(0, ...props.data.map((d) => d.value));
  const x = linearScale(max, plotW);
  return (
    <Figure
      title={props.title}
      testId={props.testId}
      table={
        <DataTable caption={props.title} columns={props.columns} rows={props.data.map((d) => [d.label, props.format(d.value)])} />
      }
    >
      <div ref={ref} class="chart-box">
        <svg
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          role="img"
          aria-labelledby={titleId}
          class="hbar-chart"
        >
          <title id={titleId}>{`${props.title}: ${props.summary}`}</title>
          <g font-size={FONT}>
            {props.data.map((d, i) => (
              <g key={d.label} transform={`translate(0,${i * row + 2})`} class="bar" data-label={d.label} data-value={d.value}>
                <text x={labelW - 8} y={row / 2} dy="0.32em" text-anchor="end" fill="#374151">
                  {truncate(d.label, charsFor(labelW - 8))}
                  <title>{d.label}</title>
                </text>
                <rect
                  x={labelW}
                  y={5}
                  width={Math.max(d.value > 0 ? 2 : 0, x(d.value))}
                  height={row - 10}
                  fill={d.colour ?? BAR}
                  rx={2}
                />
                <text x={labelW + x(d.value) + 6} y={row / 2} dy="0.32em" font-weight="600" fill="#111827" class="bar-value">
                  {props.format(d.value)}
                </text>
              </g>
            ))}
            <line x1={labelW} x2={labelW} y1={0} y2={height} stroke={AXIS} />
          </g>
        </svg>
      </div>
    </Figure>
  );
}

/** One bar split into parts of a whole (e.g. groups per stage), with a legend holding each count and share. */
export function StackedBar(props: Common & { data: Datum[]; percent: (share: number) => string }) {
  const [ref, width] = useWidth();
  const titleId = useId("chart-title");
  const barH = 34;
  const runs = stackRuns(
    props.data.map((d) => d.value),
    width,
  );
  return (
    <Figure
      title={props.title}
      testId={props.testId}
      table={
        <DataTable
          caption={props.title}
          columns={[...props.columns, "%"]}
          rows={props.data.map((d, i) => [d.label, props.format(d.value), props.percent(runs[i]?.share ?? 0)])}
        />
      }
    >
      <div ref={ref} class="chart-box">
        <svg
          width={width}
          height={barH}
          viewBox={`0 0 ${width} ${barH}`}
          role="img"
          aria-labelledby={titleId}
          class="stacked-bar"
        >
          <title id={titleId}>{`${props.title}: ${props.summary}`}</title>
          <g font-size={FONT}>
            {props.data.map((d, i) => {
              const r = runs[i]!;
              const fill = d.colour ?? colourRamp(i / Math.max(1, props.data.length - 1));
              const text = props.format(d.value);
              return (
                <g key={d.label} class="bar" data-label={d.label} data-value={d.value}>
                  <rect x={r.start} y={0} width={r.size} height={barH} fill={fill} stroke="#fff">
                    <title>{`${d.label}: ${text} (${props.percent(r.share)})`}</title>
                  </rect>
                  {r.size >= text.length * 8 + 6 && (
                    <text
                      x={r.start + r.size / 2}
                      y={barH / 2}
                      dy="0.32em"
                      text-anchor="middle"
                      font-weight="600"
                      fill={textOn(fill)}
                    >
                      {text}
                    </text>
                  )}
                </g>
              );
            })}
          </g>
        </svg>
      </div>
      <ul class="legend plain" aria-hidden="true">
        {props.data.map((d, i) => (
          <li key={d.label}>
            <span class="swatch" style={{ background: d.colour ?? colourRamp(i / Math.max(1, props.data.length - 1)) }} />
            {d.label}: <strong>{props.format(d.value)}</strong> <span class="muted">({props.percent(runs[i]?.share ?? 0)})</span>
          </li>
        ))}
      </ul>
    </Figure>
  );
}

export interface HeatCell {
  /** 0–100: the colour. */
  share: number;
  /** Shown in the cell ("64 %"). */
  label: string;
  /** Tooltip / table ("23 of 36 groups"). */
  detail: string;
}

/** Rows × columns of shares, coloured on a ramp, every cell labelled, with a legend of the ramp. */
export function HeatMap(props: {
  title: string;
  summary: string;
  rows: Array<{ key: string; label: string }>;
  columns: Array<{ key: string; label: string }>;
  cell: (row: string, column: string) => HeatCell | null;
  /** Legend labels at 0, 25, 50, 75, 100. */
  legendLabel: (share: number) => string;
  legendTitle: string;
  corner: string;
  empty: string;
  testId?: string;
}) {
  const [ref, width] = useWidth();
  const titleId = useId("chart-title");
  const longest = Math.max(4, ...props.rows.map((r) => r.label.length));
  const labelW = Math.min(200, longest * 7 + 12, Math.round(width * 0.4));
  const cellW = Math.max(64, Math.floor((width - labelW) / Math.max(1, props.columns.length)));
  const cellH = 36;
  const headH = 40;
  const legendH = 44;
  const svgW = labelW + cellW * props.columns.length;
  const height = headH + cellH * props.rows.length + legendH;
  const legendW = Math.min(260, svgW - labelW);
  const headChars = charsFor(cellW - 4);
  return (
    <Figure
      title={props.title}
      testId={props.testId}
      table={
        <DataTable
          caption={props.title}
          columns={[props.corner, ...props.columns.map((c) => c.label)]}
          rows={props.rows.map((r) => [
            r.label,
            ...props.columns.map((c) => {
              const v = props.cell(r.key, c.key);
              return v ? `${v.label} (${v.detail})` : props.empty;
            }),
          ])}
        />
      }
    >
      <div ref={ref} class="chart-box chart-scroll">
        <svg width={svgW} height={height} viewBox={`0 0 ${svgW} ${height}`} role="img" aria-labelledby={titleId} class="heat-map">
          <title id={titleId}>{`${props.title}: ${props.summary}`}</title>
          <defs>
            <linearGradient id={`${titleId}-ramp`} x1="0" x2="1" y1="0" y2="0">
              {HEAT_STOPS.map((c, i) => (
                <stop key={c} offset={`${(i / (HEAT_STOPS.length - 1)) * 100}%`} stop-color={c} />
              ))}
            </linearGradient>
          </defs>
          <g font-size={FONT}>
            {props.columns.map((c, j) => (
              <text
                key={c.key}
                x={labelW + j * cellW + cellW / 2}
                y={headH - 10}
                text-anchor="middle"
                font-weight="600"
                fill="#374151"
              >
                {truncate(c.label, headChars)}
                <title>{c.label}</title>
              </text>
            ))}
            {props.rows.map((r, i) => (
              <g key={r.key} transform={`translate(0,${headH + i * cellH})`}>
                <text x={labelW - 8} y={cellH / 2} dy="0.32em" text-anchor="end" fill="#374151">
                  {truncate(r.label, charsFor(labelW - 8))}
                  <title>{r.label}</title>
                </text>
                {props.columns.map((c, j) => {
                  const v = props.cell(r.key, c.key);
                  const fill = v ? colourRamp(v.share / 100) : "#f9fafb";
                  return (
                    <g key={c.key} class="heat-cell" data-row={r.key} data-column={c.key} data-share={v?.share ?? ""}>
                      <rect x={labelW + j * cellW} y={0} width={cellW} height={cellH} fill={fill} stroke="#fff" stroke-width={2}>
                        <title>{`${r.label} · ${c.label}: ${v ? `${v.label} (${v.detail})` : props.empty}`}</title>
                      </rect>
                      <text
                        x={labelW + j * cellW + cellW / 2}
                        y={cellH / 2}
                        dy="0.32em"
                        text-anchor="middle"
                        font-weight="600"
                        fill={v ? textOn(fill) : "#6b7280"}
                      >
                        {v ? v.label : props.empty}
                      </text>
                    </g>
                  );
                })}
              </g>
            ))}
            <g transform={`translate(${labelW},${headH + props.rows.length * cellH + 12})`} class="legend">
              <text x={-8} y={6} dy="0.32em" text-anchor="end" fill="#4b5563">
                {props.legendTitle}
              </text>
              <rect x={0} y={0} width={legendW} height={12} fill={`url(#${titleId}-ramp)`} stroke={GRID} />
              {[0, 25, 50, 75, 100].map((s) => (
                <text
                  key={s}
                  x={(s / 100) * legendW}
                  y={26}
                  text-anchor={s === 0 ? "start" : s === 100 ? "end" : "middle"}
                  fill="#4b5563"
                >
                  {props.legendLabel(s)}
                </text>
              ))}
            </g>
          </g>
        </svg>
      </div>
    </Figure>
  );
}
