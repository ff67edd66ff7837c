// What every recharts chart here shares (one file per chart kind sits next to this one). Charts draw
// only in the browser (after hydration) inside a box of fixed height, sized by recharts' own
// `responsive` mode (no ResponsiveContainer). Series colours are CSS variables (light and dark themes
// in app/styles). Values arrive as exact decimal strings; they become numbers here only as y
// coordinates, and every figure shown as text (tooltips included) is the formatted string.
import type { ReactNode } from "react";
import { useHydrated } from "./use-hydrated";

/** y coordinate of a decimal string (plotting only). */
export const plot = (decimal: string): number => Number(decimal);

export const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 2 });
export const tick = (v: number) => compact.format(v);
export const AXIS_TICK = { fill: "var(--text-muted)", fontSize: 12 };

export const SUB = "var(--series-subsidized)";
export const ORG = "var(--series-organic)";
export const CHART_STYLE = (height: number) => ({ width: "100%", height });

/** The chart's box: its fixed height and accessible label, and a placeholder until the browser draws. */
export function ChartBox({ height, label, children }: { height: number; label: string; children: () => ReactNode }) {
  const hydrated = useHydrated();
  return (
    <figure className="chart" style={{ height }} aria-label={label} role="img">
      {hydrated ? children() : <div className="chart-placeholder">Chart draws in the browser; the figures are in the text and table.</div>}
    </figure>
  );
}

/** One line of a tooltip: series name, formatted figure, colour. */
export interface TooltipLine {
  name: string;
  text: string;
  color: string;
}

/** The tooltip of every chart but the cost chart: the point's label, then one line per series. */
export function LinesTooltip({ active, payload }: { active?: boolean; payload?: ReadonlyArray<{ payload?: unknown }> }) {
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
