// Subsidised and organic fees per period: stacked bars (per period) or stacked areas (cumulative),
// with an optional shaded window (the subsidy window, or a report's period). The chart owns its data
// mapping: feePoints() turns fee rows into its points, for the overview, /embed/fees and reports.
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, ReferenceArea, Tooltip, XAxis, YAxis } from "recharts";
import { formatEth, formatUsd } from "~/lib/format";
import { AXIS_TICK, CHART_STYLE, ChartBox, LinesTooltip, ORG, SUB, plot, tick } from "./chart-parts";

export interface StackedDatum {
  period: string;
  subsidized: string;
  organic: string;
  /** Formatted strings for the tooltip. */
  subsidizedText: string;
  organicText: string;
  totalText: string;
}

/** Fees of one period or of a running total (a fee row's own figures, or its `cumulative`). */
interface FeeFigures {
  volumeEth: string;
  volumeUsd: string;
  split: { subsidizedEth: string; organicEth: string; subsidizedUsd: string; organicUsd: string };
}

/** One period of fees as the fee queries return it. */
export interface FeePointRow extends FeeFigures {
  period: string;
  cumulative?: FeeFigures | null;
}

/**
 * Subsidised and organic fees per period, in ETH or USD. `cumulative` plots each row's running total
 * (when the query computed it); `usdInTotal` adds the USD total to an ETH tooltip ("1.2 ETH ($3,400)").
 */
export function feePoints(rows: FeePointRow[], opts: { unit: "eth" | "usd"; cumulative?: boolean; usdInTotal?: boolean }): StackedDatum[] {
  const eth = opts.unit === "eth";
  const fmt = (s: string) => (eth ? `${formatEth(s)} ETH` : formatUsd(s));
  return rows.map((r) => {
    const src = opts.cumulative && r.cumulative ? r.cumulative : r;
    const sub = eth ? src.split.subsidizedEth : src.split.subsidizedUsd;
    const org = eth ? src.split.organicEth : src.split.organicUsd;
    const total = fmt(eth ? src.volumeEth : src.volumeUsd);
    return {
      period: r.period,
      subsidized: sub,
      organic: org,
      subsidizedText: fmt(sub),
      organicText: fmt(org),
      totalText: eth && opts.usdInTotal ? `${total} (${formatUsd(src.volumeUsd)})` : total,
    };
  });
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
    <ChartBox height={height} label={label}>
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
    </ChartBox>
  );
}
