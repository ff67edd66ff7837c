// Horizontal stacked bars, one per category (jobs per pipeline and model: succeeded and failed).
// Category names ("pipeline · model") are drawn on two lines, pipeline above model, in an axis as
// wide as the longest line needs (at most 40% of the chart), and shortened in the middle only when
// they still do not fit; the full name is the tick's SVG title and the tooltip's heading.
import { useEffect, useRef, useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { AXIS_TICK, CHART_STYLE, ChartBox, LinesTooltip, tick } from "./chart-parts";
import { seriesPoints, type SeriesDatum, type SeriesSpec } from "./series";

/** Average width of a 12 px axis character (sans-serif; digits and hyphens are about this wide). */
const CHAR_PX = 6.6;
const MIN_AXIS = 110;
const MAX_AXIS_SHARE = 0.4;

/** The two lines of a category: before and after " · " (one line when there is none). */
export function categoryLines(category: string): [string, string | null] {
  const i = category.indexOf(" · ");
  return i < 0 ? [category, null] : [category.slice(0, i), category.slice(i + 3)];
}

/** Shortens a name in the middle to at most `max` characters ("stable-video…xt-1-1"). */
export function fitMiddle(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max < 5) return `${s.slice(0, Math.max(1, max - 1))}…`;
  const tail = Math.ceil((max - 1) / 2);
  return `${s.slice(0, max - 1 - tail)}…${s.slice(s.length - tail)}`;
}

/** Axis width for these categories: the longest line, within [MIN_AXIS, 40% of the chart]. */
export function categoryAxisWidth(categories: string[], chartWidth: number | null): number {
  const longest = Math.max(0, ...categories.flatMap((c) => categoryLines(c).map((l) => l?.length ?? 0)));
  const wanted = Math.ceil(longest * CHAR_PX) + 12;
  const cap = chartWidth ? Math.max(MIN_AXIS, Math.floor(chartWidth * MAX_AXIS_SHARE)) : 240;
  return Math.max(MIN_AXIS, Math.min(wanted, cap));
}

function CategoryTick({ x, y, payload, width, full }: { x?: number | string; y?: number | string; payload?: { value?: unknown }; width: number; full: (c: string) => string }) {
  const value = String(payload?.value ?? "");
  const [top, bottom] = categoryLines(value);
  const max = Math.max(4, Math.floor((width - 12) / CHAR_PX));
  return (
    <g transform={`translate(${x ?? 0},${y ?? 0})`} className="category-tick">
      <title>{full(value)}</title>
      <text textAnchor="end" fill={AXIS_TICK.fill} fontSize={AXIS_TICK.fontSize}>
        {bottom === null ? (
          <tspan x={-4} dy={4}>
            {fitMiddle(top, max)}
          </tspan>
        ) : (
          <>
            <tspan x={-4} dy={-3}>
              {fitMiddle(top, max)}
            </tspan>
            <tspan x={-4} dy={14}>
              {fitMiddle(bottom, max)}
            </tspan>
          </>
        )}
      </text>
    </g>
  );
}

/** Horizontal stacked bars, one per category (jobs per pipeline and model: succeeded and failed). */
export function CategoryStackedBars({ data, series, label }: { data: SeriesDatum[]; series: SeriesSpec[]; label: string }) {
  const height = Math.max(140, 60 + data.length * 32);
  const box = useRef<HTMLDivElement>(null);
  const [chartWidth, setChartWidth] = useState<number | null>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setChartWidth(el.clientWidth || null);
    measure();
    if (typeof ResizeObserver === "undefined") return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const axisWidth = categoryAxisWidth(
    data.map((d) => d.period),
    chartWidth,
  );
  const fullNames = new Map(data.map((d) => [d.period, d.label ?? d.period]));
  const full = (c: string) => fullNames.get(c) ?? c;
  return (
    <div ref={box}>
      <ChartBox height={height} label={label}>
        {() => (
          <BarChart layout="vertical" data={seriesPoints(data, series)} responsive style={CHART_STYLE(height)} margin={{ top: 4, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--chart-grid)" strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" tickFormatter={tick} tick={AXIS_TICK} stroke="var(--chart-axis)" />
            <YAxis
              type="category"
              dataKey="period"
              width={axisWidth}
              interval={0}
              tick={(p: { x?: number | string; y?: number | string; payload?: { value?: unknown } }) => (
                <CategoryTick x={p.x} y={p.y} payload={p.payload} width={axisWidth} full={full} />
              )}
              stroke="var(--chart-axis)"
            />
            <Tooltip content={LinesTooltip} cursor={{ fill: "var(--chart-cursor)" }} isAnimationActive={false} />
            <Legend wrapperStyle={{ fontSize: 13 }} />
            {series.map((s) => (
              <Bar key={s.key} dataKey={s.key} name={s.name} fill={s.color} stackId="stack" isAnimationActive={false} />
            ))}
          </BarChart>
        )}
      </ChartBox>
    </div>
  );
}
