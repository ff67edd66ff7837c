// The data of the multi-series charts (SeriesLines, SeriesBars, CategoryStackedBars): one point per
// period or category with a value and a tooltip text per series, mapped to recharts points here.
import { compact, plot, tick } from "./chart-parts";

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
export const periodTick = (p: string) => (ISO_HOUR.test(p) ? `${p.slice(5, 10)} ${p.slice(11, 13)}:00` : p);
const periodLabel = (p: string) => (ISO_HOUR.test(p) ? `${p.slice(0, 10)} ${p.slice(11, 16)} UTC` : p);

export type YFormat = "ms" | "percent" | "number";
const msTick = (v: number) => (v >= 1000 ? `${compact.format(v / 1000)} s` : `${compact.format(v)} ms`);
export const Y_TICK: Record<YFormat, (v: number) => string> = { ms: msTick, percent: (v) => `${v}%`, number: tick };

/** recharts points: period, tooltip label and lines, and one y coordinate per series (null stays a gap). */
export function seriesPoints(data: SeriesDatum[], series: SeriesSpec[]) {
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
