// The one file that owns recharts. Charts draw only in the browser (after hydration) inside a box of
// fixed height, sized by recharts' own `responsive` mode (no ResponsiveContainer). Series colours are
// CSS variables (light and dark themes in app/styles). Values arrive as exact decimal strings; they
// become numbers here only as y coordinates, and every figure shown as text (tooltips included) is
// the formatted string.
import { useSyncExternalStore, type ReactNode } from "react";
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Cell, Legend, ReferenceArea, Tooltip, XAxis, YAxis } from "recharts";

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
  series: "subsidized" | "organic" | "primary";
}

/** Horizontal bars, one per item (fees by gateway or orchestrator). */
export function HorizontalBars({ data, label }: { data: BarDatum[]; label: string }) {
  const height = Math.max(120, 36 + data.length * 30);
  return (
    <ChartFrame height={height} label={label}>
      {() => (
        <BarChart
          layout="vertical"
          data={data.map((d) => ({ name: d.name, value: plot(d.value), label: d.name, series: d.series, lines: [{ name: "Fees", text: d.text, color: `var(--series-${d.series})` }] }))}
          responsive
          style={CHART_STYLE(height)}
          margin={{ top: 4, right: 16, bottom: 0, left: 0 }}
        >
          <CartesianGrid stroke="var(--chart-grid)" strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" tickFormatter={tick} tick={AXIS_TICK} stroke="var(--chart-axis)" />
          <YAxis type="category" dataKey="name" width={120} tick={AXIS_TICK} stroke="var(--chart-axis)" />
          <Tooltip content={LinesTooltip} cursor={{ fill: "var(--chart-cursor)" }} isAnimationActive={false} />
          <Bar dataKey="value" name="Fees" isAnimationActive={false}>
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
