// The overview page's loader body: KPI cards, the fee chart and the growth panel, from the same
// query functions the API routes use (db/queries/fees.ts).
import type { Db } from "../../db/client";
import { feesByPeriod, feeSummary, growth, subsidyWindows, type SubsidyWindow } from "../../db/queries/fees";
import { addDays, periodStart, type Interval } from "./dates";
import { resolveGrowthWindows } from "./fees.server";
import { networkVideoCost } from "./cost.server";
import { getIndexState } from "./index-state.server";
import { jobsLatestDay } from "./jobs.server";
import { checkRange, DEFAULT_RANGE_DAYS, MAX_RANGE_DAYS, parseChoice, parseDay, parseInterval, type DayRange } from "./params.server";

const minDay = (a: string, b: string) => (a < b ? a : b);
const maxDay = (a: string, b: string) => (a > b ? a : b);

/** The subsidy window as a shaded band on the chart's period axis, when it overlaps the chart. */
export function shadeFor(w: SubsidyWindow | undefined, chart: DayRange, interval: Interval, latestDay: string) {
  if (!w) return null;
  const s = maxDay(w.from, chart.from);
  const e = minDay(w.to ?? maxDay(latestDay, w.from), chart.to);
  if (s > e) return null;
  return { x1: periodStart(s, interval), x2: periodStart(e, interval), label: "Subsidy window" };
}

export async function loadOverview(db: Db, url: URL) {
  const interval = parseInterval(url);
  const unit = parseChoice(url, "unit", ["eth", "usd"] as const, "eth");
  const view = parseChoice(url, "view", ["period", "cumulative"] as const, "period");
  const state = await getIndexState(db);
  const windows = await resolveGrowthWindows(db, url, state.latestDay);
  // Chart range: chartFrom/chartTo, else from the baseline's start (at least 90 days) to the latest day.
  const chartTo = parseDay(url, "chartTo") ?? state.latestDay;
  const chartFrom =
    parseDay(url, "chartFrom") ??
    maxDay(minDay(windows.baseline.from, addDays(chartTo, -(DEFAULT_RANGE_DAYS - 1))), addDays(chartTo, -(MAX_RANGE_DAYS - 1)));
  const chart = checkRange({ from: chartFrom, to: chartTo }, "chart range");
  const cumulative = view === "cumulative";
  const fees = await feesByPeriod(db, { ...chart, interval, cumulative });
  const g = await growth(db, windows);
  const kpis = await feeSummary(db, state.latestDay);
  const [subsidy] = await subsidyWindows(db);
  // Cost per video second over the 30 days ending at the latest day with job logs (decision 009).
  const jobsTo = await jobsLatestDay(db, state);
  const costRange = { from: addDays(jobsTo, -29), to: jobsTo };
  const videoCost = { ...costRange, ...(await networkVideoCost(db, costRange)) };
  return {
    latestDay: state.latestDay,
    indexed: state.blockTimestamp !== null,
    interval,
    unit,
    view,
    chart,
    fees,
    shade: shadeFor(subsidy, chart, interval, state.latestDay),
    subsidy: subsidy ?? null,
    growth: g,
    periodSource: windows.periodSource,
    kpis,
    videoCost,
  };
}
