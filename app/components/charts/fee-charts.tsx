// The one file that owns recharts (fee charts, and the job charts: latency lines, rates, paired and
// stacked bars). Charts draw only in the browser (after hydration) inside a box of
// fixed height, sized by recharts' own `responsive` mode (no ResponsiveContainer). Series colours are
// CSS variables (light and dark themes in app/styles). Values arrive as exact decimal strings; they
// become numbers here only as y coordinates, and every figure shown as text (tooltips included) is
// the formatted string.
import { useSyncExternalStore, type ReactNode } from "react";
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Cell, Legend, Line, LineChart, ReferenceArea, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";

const noSubscribe = () => () => {};

/** false during server render and hydration, true once React runs in the browser. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscribe,
    () => true,
    () => false,
  );
}

/** y coordinate of a decimal string (plotting only). */
export const plot = (decimal: string): number => Number(decimal);

const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 2 });
const tick = (v: number) => compact.format(v);
const AXIS_TICK = { fill: "var(--text-muted)", fontSize: 12 };

function ChartFrame({ height, label, children }: { height: number; label: string; children: () => ReactNode }) {
  const hydrated = useHydrated();
  return (
    <figure className="chart" style={{ height }} aria-label={label} role="img">
      {hydrated ? children() : <div className="chart-placeholder">Chart draws in the browser; the figures are in the text and table.</div>}
    </figure>
  );
}

interface TooltipLine {
  name: string;
  text: string;
  color: string;
}

function LinesTooltip({ active, payload }: { active?: boolean; payload?: ReadonlyArray<{ payload?: unknown }> }) {
  if (!active || !payload?.length) return null;
  const row = payload[0]?.payload as { label: string; lines: TooltipLine[] } | undefined;
  if (!row) return null;
  return (
    <div className="chart-tooltip">
      <strong>{row.label}</strong>
      {row.lines.map((l) => (
        <div key={l.name}>
          <span className="swatch" style={{ background: l.color }} aria-hidden="true" />
          {l.name}: {l.text}
        </div>
      ))}
    </div>
  );
}

const SUB = "var(--series-subsidized)";
const ORG = "var(--series-organic)";
const PRIMARY = "var(--series-primary)";
const CHART_STYLE = (height: number) => ({ width: "100%", height });

export interface StackedDatum {
  period: string;
  subsidized: string;
  organic: string;
  /** Formatted strings for the tooltip. */
  subsidizedText: string;
  organicText: string;
  totalText: string;
}

export interface Shade {
  x1: string;
  x2: string;
  label: string;
}

/** Subsidised vs organic fees per period: stacked bars (per period) or stacked areas (cumulative). */
export function StackedFeeChart({
  data,
  kind,
  shade,
  label,
  height = 300,
}: {
  data: StackedDatum[];
  kind: "bar" | "area";
  shade?: Shade | null;
  label: string;
  height?: number;
}) {
  return (
    <ChartFrame height={height} label={label}>
      {() => {
        const points = data.map((d) => ({
          period: d.period,
          subsidized: plot(d.subsidized),
          organic: plot(d.organic),
          label: `${d.period}: ${d.totalText}`,
          lines: [
            { name: "Organic", text: d.organicText, color: ORG },
            { name: "Subsidised", text: d.subsidizedText, color: SUB },
          ],
        }));
        const common = (
          <>
            <CartesianGrid stroke="var(--chart-grid)" strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="period" tick={AXIS_TICK} minTickGap={24} stroke="var(--chart-axis)" />
            <YAxis tickFormatter={tick} tick={AXIS_TICK} width={56} stroke="var(--chart-axis)" />
            <Tooltip content={LinesTooltip} cursor={{ fill: "var(--chart-cursor)", stroke: "var(--chart-axis)" }} isAnimationActive={false} />
            <Legend wrapperStyle={{ fontSize: 13 }} />
            {shade ? (
              <ReferenceArea
                x1={shade.x1}
                x2={shade.x2}
                fill="var(--series-shade)"
                fillOpacity={0.35}
                stroke="var(--series-subsidized)"
                strokeOpacity={0.5}
                ifOverflow="extendDomain"
                label={{ value: shade.label, position: "insideTop", fill: "var(--text)", fontSize: 12 }}
              />
            ) : null}
          </>
        );
        return kind === "bar" ? (
          <BarChart data={points} responsive style={CHART_STYLE(height)} margin={{ top: 20, right: 8, bottom: 0, left: 0 }}>
            {common}
            <Bar dataKey="organic" name="Organic" stackId="fees" fill={ORG} isAnimationActive={false} />
            <Bar dataKey="subsidized" name="Subsidised" stackId="fees" fill={SUB} isAnimationActive={false} />
          </BarChart>
        ) : (
          <AreaChart data={points} responsive style={CHART_STYLE(height)} margin={{ top: 20, right: 8, bottom: 0, left: 0 }}>
            {common}
            <Area dataKey="organic" name="Organic" stackId="fees" type="monotone" stroke={ORG} fill={ORG} fillOpacity={0.6} isAnimationActive={false} />
            <Area dataKey="subsidized" name="Subsidised" stackId="fees" type="monotone" stroke={SUB} fill={SUB} fillOpacity={0.6} isAnimationActive={false} />
          </AreaChart>
        );
      }}
    </ChartFrame>
  );
}

export interface BarDatum {
  name: string;
  value: string;
  text: string;
  series: "subsidized" | "organic" | "primary" | "failed";
}

/** Horizontal bars, one per item (fees by gateway or orchestrator, failed jobs by error type). */
export function HorizontalBars({
  data,
  label,
  valueName = "Fees",
  nameWidth = 120,
}: {
  data: BarDatum[];
  label: string;
  valueName?: string;
  nameWidth?: number;
}) {
  const height = Math.max(120, 36 + data.length * 30);
  return (
    <ChartFrame height={height} label={label}>
      {() => (
        <BarChart
          layout="vertical"
          data={data.map((d) => ({ name: d.name, value: plot(d.value), label: d.name, series: d.series, lines: [{ name: valueName, text: d.text, color: `var(--series-${d.series})` }] }))}
          responsive
          style={CHART_STYLE(height)}
          margin={{ top: 4, right: 16, bottom: 0, left: 0 }}
        >
          <CartesianGrid stroke="var(--chart-grid)" strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" tickFormatter={tick} tick={AXIS_TICK} stroke="var(--chart-axis)" />
          <YAxis type="category" dataKey="name" width={nameWidth} tick={AXIS_TICK} stroke="var(--chart-axis)" />
          <Tooltip content={LinesTooltip} cursor={{ fill: "var(--chart-cursor)" }} isAnimationActive={false} />
          <Bar dataKey="value" name={valueName} isAnimationActive={false}>
            {data.map((d, i) => (
              <Cell key={i} fill={`var(--series-${d.series})`} />
            ))}
          </Bar>
        </BarChart>
      )}
    </ChartFrame>
  );
}

export interface DailyDatum {
  period: string;
  value: string;
  text: string;
}

/** One series per day (an orchestrator's daily fees). */
export function DailyBars({ data, label, height = 260 }: { data: DailyDatum[]; label: string; height?: number }) {
  return (
    <ChartFrame height={height} label={label}>
      {() => (
        <BarChart
          data={data.map((d) => ({ period: d.period, value: plot(d.value), label: d.period, lines: [{ name: "Fees", text: d.text, color: PRIMARY }] }))}
          responsive
          style={CHART_STYLE(height)}
          margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
        >
          <CartesianGrid stroke="var(--chart-grid)" strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="period" tick={AXIS_TICK} minTickGap={24} stroke="var(--chart-axis)" />
          <YAxis tickFormatter={tick} tick={AXIS_TICK} width={56} stroke="var(--chart-axis)" />
          <Tooltip content={LinesTooltip} cursor={{ fill: "var(--chart-cursor)" }} isAnimationActive={false} />
          <Bar dataKey="value" name="Fees" fill={PRIMARY} isAnimationActive={false} />
        </BarChart>
      )}
    </ChartFrame>
  );
}

// ---------------------------------------------------------------------------------------------
// Job charts

/** One line or bar series: its key in the data, legend name and CSS colour variable. */
export interface SeriesSpec {
  key: string;
  name: string;
  color: string;
}

/**
 * A point of a multi-series chart. values are y coordinates (null = no value: a gap, never a zero);
 * texts are what the tooltip shows for each series (formatted exact figures).
 */
export interface SeriesDatum {
  period: string;
  values: Record<string, number | string | null>;
  texts: Record<string, string>;
  /** Tooltip title; the period when absent. */
  label?: string;
}

const ISO_HOUR = /^\d{4}-\d{2}-\d{2}T\d{2}:/;
/** An ISO hour becomes 'MM-DD HH:00' on the axis and 'YYYY-MM-DD HH:00 UTC' in the tooltip; anything else stays. */
const periodTick = (p: string) => (ISO_HOUR.test(p) ? `${p.slice(5, 10)} ${p.slice(11, 13)}:00` : p);
const periodLabel = (p: string) => (ISO_HOUR.test(p) ? `${p.slice(0, 10)} ${p.slice(11, 16)} UTC` : p);

export type YFormat = "ms" | "percent" | "number";
const msTick = (v: number) => (v >= 1000 ? `${compact.format(v / 1000)} s` : `${compact.format(v)} ms`);
const Y_TICK: Record<YFormat, (v: number) => string> = { ms: msTick, percent: (v) => `${v}%`, number: tick };

function seriesPoints(data: SeriesDatum[], series: SeriesSpec[]) {
  return data.map((d) => {
    const point: Record<string, unknown> = {
      period: d.period,
      label: d.label ?? periodLabel(d.period),
      lines: series.map((s) => ({ name: s.name, text: d.texts[s.key] ?? "—", color: s.color })),
    };
    for (const s of series) {
      const v = d.values[s.key];
      point[s.key] = v === null || v === undefined ? null : typeof v === "string" ? plot(v) : v;
    }
    return point;
  });
}

export interface Reference {
  y: number;
  label: string;
}

/**
 * Lines over periods (latency percentiles, success rate, one line per orchestrator). Missing values
 * are gaps; an optional horizontal reference line (e.g. the network median).
 */
export function SeriesLines({
  data,
  series,
  label,
  y = "number",
  reference,
  yMax,
  height = 280,
}: {
  data: SeriesDatum[];
  series: SeriesSpec[];
  label: string;
  y?: YFormat;
  reference?: Reference | null;
  yMax?: number;
  height?: number;
}) {
  return (
    <ChartFrame height={height} label={label}>
      {() => (
        <LineChart data={seriesPoints(data, series)} responsive style={CHART_STYLE(height)} margin={{ top: 16, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--chart-grid)" strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="period" tickFormatter={periodTick} tick={AXIS_TICK} minTickGap={24} stroke="var(--chart-axis)" />
          <YAxis tickFormatter={Y_TICK[y]} tick={AXIS_TICK} width={64} stroke="var(--chart-axis)" domain={[0, yMax ?? "auto"]} />
          <Tooltip content={LinesTooltip} cursor={{ stroke: "var(--chart-axis)" }} isAnimationActive={false} />
          <Legend wrapperStyle={{ fontSize: 13 }} />
          {reference ? (
            <ReferenceLine
              y={reference.y}
              stroke="var(--series-reference)"
              strokeDasharray="6 4"
              ifOverflow="extendDomain"
              label={{ value: reference.label, position: "insideTopLeft", fill: "var(--text-muted)", fontSize: 12 }}
            />
          ) : null}
          {series.map((s) => (
            <Line
              key={s.key}
              dataKey={s.key}
              name={s.name}
              type="linear"
              stroke={s.color}
              strokeWidth={2}
              dot={{ r: 2, fill: s.color, strokeWidth: 0 }}
              activeDot={{ r: 4 }}
              connectNulls={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      )}
    </ChartFrame>
  );
}

/** Bars per period, side by side (expected vs realized fees) or stacked. */
export function SeriesBars({
  data,
  series,
  label,
  stacked = false,
  y = "number",
  height = 260,
}: {
  data: SeriesDatum[];
  series: SeriesSpec[];
  label: string;
  stacked?: boolean;
  y?: YFormat;
  height?: number;
}) {
  return (
    <ChartFrame height={height} label={label}>
      {() => (
        <BarChart data={seriesPoints(data, series)} responsive style={CHART_STYLE(height)} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--chart-grid)" strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="period" tickFormatter={periodTick} tick={AXIS_TICK} minTickGap={24} stroke="var(--chart-axis)" />
          <YAxis tickFormatter={Y_TICK[y]} tick={AXIS_TICK} width={56} stroke="var(--chart-axis)" />
          <Tooltip content={LinesTooltip} cursor={{ fill: "var(--chart-cursor)" }} isAnimationActive={false} />
          <Legend wrapperStyle={{ fontSize: 13 }} />
          {series.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.name} fill={s.color} stackId={stacked ? "stack" : undefined} isAnimationActive={false} />
          ))}
        </BarChart>
      )}
    </ChartFrame>
  );
}

/** Horizontal stacked bars, one per category (jobs per pipeline and model: succeeded and failed). */
export function CategoryStackedBars({ data, series, label }: { data: SeriesDatum[]; series: SeriesSpec[]; label: string }) {
  const height = Math.max(140, 60 + data.length * 32);
  return (
    <ChartFrame height={height} label={label}>
      {() => (
        <BarChart layout="vertical" data={seriesPoints(data, series)} responsive style={CHART_STYLE(height)} margin={{ top: 4, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--chart-grid)" strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" tickFormatter={tick} tick={AXIS_TICK} stroke="var(--chart-axis)" />
          <YAxis type="category" dataKey="period" width={170} tick={AXIS_TICK} stroke="var(--chart-axis)" />
          <Tooltip content={LinesTooltip} cursor={{ fill: "var(--chart-cursor)" }} isAnimationActive={false} />
          <Legend wrapperStyle={{ fontSize: 13 }} />
          {series.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.name} fill={s.color} stackId="stack" isAnimationActive={false} />
          ))}
        </BarChart>
      )}
    </ChartFrame>
  );
}
