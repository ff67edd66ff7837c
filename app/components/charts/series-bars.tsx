// Bars per period, one series beside the other (expected vs realized fees) or stacked (jobs
// succeeded and failed).
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { AXIS_TICK, CHART_STYLE, ChartBox, LinesTooltip } from "./chart-parts";
import { periodTick, seriesPoints, Y_TICK, type SeriesDatum, type SeriesSpec, type YFormat } from "./series";

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
    <ChartBox height={height} label={label}>
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
    </ChartBox>
  );
}
