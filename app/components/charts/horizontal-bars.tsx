// Horizontal bars, one per item (fees by gateway or orchestrator, failed jobs by error type), each
// coloured by its series. The chart owns its fee mappings: gatewayFeeBars() and orchestratorFeeBars(),
// for /fees and reports.
import { Bar, BarChart, CartesianGrid, Cell, Tooltip, XAxis, YAxis } from "recharts";
import { formatEth, shortAddress } from "~/lib/format";
import { AXIS_TICK, CHART_STYLE, ChartBox, LinesTooltip, plot, tick } from "./chart-parts";

export interface BarDatum {
  name: string;
  value: string;
  text: string;
  series: "subsidized" | "organic" | "primary" | "failed";
}

/** Fees by gateway as bars: named by label or short address, coloured subsidised or organic. */
export function gatewayFeeBars(rows: { address: string; label: string | null; subsidized: boolean; volumeEth: string }[]): BarDatum[] {
  return rows.map((g) => ({
    name: g.label ?? shortAddress(g.address),
    value: g.volumeEth,
    text: `${formatEth(g.volumeEth)} ETH`,
    series: g.subsidized ? "subsidized" : "organic",
  }));
}

/** Fees by orchestrator as bars, named by short address. */
export function orchestratorFeeBars(rows: { address: string; volumeEth: string }[]): BarDatum[] {
  return rows.map((o) => ({ name: shortAddress(o.address), value: o.volumeEth, text: `${formatEth(o.volumeEth)} ETH`, series: "primary" }));
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
    <ChartBox height={height} label={label}>
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
    </ChartBox>
  );
}
