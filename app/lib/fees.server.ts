// The growth panel's windows from a request (page, embed and GET /api/fees/growth): the period and
// the baseline it is compared with, with the defaults decision 004 sets. The fee figures themselves
// come from db/queries/fees.ts.
import type { Querier } from "../../db/client";
import { subsidyWindows } from "../../db/queries/fees";
import { addDays, daysBetween } from "./dates";
import { parseRange, type DayRange } from "./params.server";

export interface GrowthWindows {
  baseline: DayRange;
  period: DayRange;
  /** Where the period default came from. */
  periodSource: "query" | "subsidy-window" | "last-30-days";
}

/**
 * Period: `from`/`to`, else the latest subsidised tag window (its end clamped to the latest indexed
 * day while the window is open or in the future), else the last 30 days. Baseline:
 * `baselineFrom`/`baselineTo`, else the same number of days just before the period.
 */
export async function resolveGrowthWindows(q: Querier, url: URL, latestDay: string): Promise<GrowthWindows> {
  let period: DayRange;
  let periodSource: GrowthWindows["periodSource"];
  if (url.searchParams.get("from") || url.searchParams.get("to")) {
    period = parseRange(url, { latestDay, defaultDays: 30, what: "period" });
    periodSource = "query";
  } else {
    const [w] = await subsidyWindows(q);
    if (w) {
      let to = w.to ?? latestDay;
      if (to > latestDay && latestDay >= w.from) to = latestDay;
      period = { from: w.from, to };
      periodSource = "subsidy-window";
    } else {
      period = { from: addDays(latestDay, -29), to: latestDay };
      periodSource = "last-30-days";
    }
  }
  const n = daysBetween(period.from, period.to);
  const baseline = parseRange(url, {
    latestDay: addDays(period.from, -1),
    defaultDays: n,
    fromName: "baselineFrom",
    toName: "baselineTo",
    what: "baseline",
  });
  return { baseline, period, periodSource };
}

