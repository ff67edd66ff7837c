// Horizontal stacked bars, one per category (jobs per pipeline and model: succeeded and failed).
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { AXIS_TICK, CHART_STYLE, ChartBox, LinesTooltip, tick } from "./chart-parts";
import { seriesPoints, type SeriesDatum, type SeriesSpec } from "./series";

/** Horizontal stacked bars, one per category (jobs per pipeline and model: succeeded and failed). */
export function CategoryStackedBars({ data, series, label }: { data: SeriesDatum[]; series: SeriesSpec[]; label: string }) {
  const height = Math.max(140, 60 + data.length * 32);
  return (
    <ChartBox height={height} label={label}>
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
    </ChartBox>
  );
}
