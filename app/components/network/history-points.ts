// The /network chart's rows to points (app/components/charts/series.ts): one point per UTC day (the
// day's last capabilities poll), orchestrators and GPUs on one chart, the live video price's min,
// median and max (wei per pixel, every live model's offers) on the other. Tooltips show the exact
// figures; the y coordinates are plotting only.
import type { SeriesDatum, SeriesSpec } from "~/components/charts/series";
import { formatUsdPrecise } from "~/lib/cost-format";
import { formatInt } from "~/lib/format";
import type { HistoryPoint } from "~/lib/network.server";
import { formatWei } from "./format";

export const COUNT_SERIES: SeriesSpec[] = [
  { key: "orchestrators", name: "Orchestrators", color: "var(--series-1)" },
  { key: "gpus", name: "GPUs", color: "var(--series-2)" },
];

export const PRICE_SERIES: SeriesSpec[] = [
  { key: "min", name: "Min", color: "var(--series-3)" },
  { key: "median", name: "Median", color: "var(--series-1)" },
  { key: "max", name: "Max", color: "var(--series-2)" },
];

export function countPoints(history: HistoryPoint[]): SeriesDatum[] {
  return history.map((h) => ({
    period: h.day,
    label: `${h.day} (poll ${h.at.slice(11, 16)} UTC)`,
    values: { orchestrators: h.orchestrators, gpus: h.gpus },
    texts: { orchestrators: formatInt(h.orchestrators), gpus: formatInt(h.gpus) },
  }));
}

export function pricePoints(history: HistoryPoint[]): SeriesDatum[] {
  return history.map((h) => {
    const p = h.livePriceWeiPerPixel;
    const usd = h.liveUsdPerVideoHour;
    const text = (k: "min" | "median" | "max") =>
      p[k] === null ? "—" : `${formatWei(p[k])} wei/pixel${usd ? ` (${formatUsdPrecise(usd[k])} per video hour)` : ""}`;
    return {
      period: h.day,
      label: `${h.day}: ${formatInt(h.liveOffers)} live video offers`,
      values: { min: p.min, median: p.median, max: p.max },
      texts: { min: text("min"), median: text("median"), max: text("max") },
    };
  });
}
