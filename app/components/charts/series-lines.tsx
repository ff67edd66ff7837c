// Lines over periods (latency percentiles, success rate, one line per orchestrator): missing values
// are gaps, never zeros; an optional horizontal reference line (e.g. the network median).
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { AXIS_TICK, CHART_STYLE, ChartBox, LinesTooltip } from "./chart-parts";
import { periodTick, seriesPoints, Y_TICK, type SeriesDatum, type SeriesSpec, type YFormat } from "./series";

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
    <ChartBox height={height} label={label}>
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
    </ChartBox>
  );
}
