// The cloud comparison chart: USD per video second of Livepeer and of each compared offer, one
// horizontal bar each, coloured by class, optionally on a log scale (offers span three orders of
// magnitude). Like the other charts, it draws only in the browser; every figure is also in the table.
import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { useHydrated } from "./use-hydrated";

export interface CostBar {
  name: string;
  /** Decimal string, USD per video second (plotting only). */
  usd: string;
  text: string;
  detail: string;
  color: string;
}

function CostTooltip({ active, payload }: { active?: boolean; payload?: ReadonlyArray<{ payload?: unknown }> }) {
  if (!active || !payload?.length) return null;
  const b = payload[0]?.payload as (CostBar & { value: number }) | undefined;
  if (!b) return null;
  return (
    <div className="chart-tooltip">
      <strong>{b.name}</strong>
      <div>{b.text} per video second</div>
      <div>{b.detail}</div>
    </div>
  );
}

const compact = new Intl.NumberFormat("en", { maximumSignificantDigits: 2 });

export function CostBars({ bars, livepeer, log, label }: { bars: CostBar[]; livepeer: string | null; log: boolean; label: string }) {
  const hydrated = useHydrated();
  const height = Math.max(160, bars.length * 26 + 70);
  const data = bars.map((b) => ({ ...b, value: Number(b.usd) })).filter((b) => b.value > 0);
  // A log axis starts a little below the smallest bar, so every bar has a visible length.
  const values = data.map((b) => b.value);
  const logDomain: [number, number] = values.length ? [Math.min(...values) / 2, Math.max(...values) * 1.5] : [1e-6, 1];
  return (
    <figure className="chart" style={{ height }} aria-label={label} role="img">
      {hydrated ? (
        <BarChart data={data} layout="vertical" style={{ width: "100%", height }} responsive margin={{ top: 8, right: 24, bottom: 24, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke="var(--border)" />
          <XAxis
            type="number"
            dataKey="value"
            scale={log ? "log" : "auto"}
            domain={log ? logDomain : [0, "auto"]}
            allowDataOverflow={log}
            tickFormatter={(v: number) => `$${compact.format(v)}`}
            tick={{ fill: "var(--text-muted)", fontSize: 12 }}
            label={{ value: `USD per video second${log ? " (log scale)" : ""}`, position: "insideBottom", offset: -12, fill: "var(--text-muted)", fontSize: 12 }}
          />
          <YAxis type="category" dataKey="name" width={280} tick={{ fill: "var(--text-muted)", fontSize: 11 }} interval={0} />
          <Tooltip content={<CostTooltip />} cursor={{ fill: "var(--border)" }} />
          {livepeer !== null ? <ReferenceLine x={Number(livepeer)} stroke="var(--series-primary)" strokeDasharray="4 3" /> : null}
          <Bar dataKey="value" isAnimationActive={false}>
            {data.map((b) => (
              <Cell key={b.name} fill={b.color} />
            ))}
          </Bar>
        </BarChart>
      ) : (
        <div className="chart-placeholder">Chart draws in the browser; the figures are in the table below.</div>
      )}
    </figure>
  );
}
