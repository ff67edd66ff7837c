// One orchestrator: its on-chain row, realized fees per day (tickets), and its job statistics from
// the logs over a range by day or hour (latency, success rate, expected fees, errors by type), with
// the network's figures for the same range and pipeline/model filter as a reference. Shared by the
// page and GET /api/orchestrators/<address>.
//
// Realized fees exist per UTC day only (fee_day_orchestrator; tickets are lottery-noisy and carry no
// pipeline), so hourly points carry null realized fees and the pipeline/model filter never applies
// to them. Expected fees are per job, so they follow every filter. The figures come from
// db/queries/jobs.ts and db/queries/orchestrators.ts.
import type { Db, Querier } from "../../db/client";
import { errorsByType, jobSeries, jobTotals } from "../../db/queries/jobs";
import { orchestratorSeries, type OrchestratorRow } from "../../db/queries/orchestrators";
import type { DayRange, JobInterval } from "../../db/queries/params";
import { networkVideoCost, orchestratorVideoCosts } from "./cost.server";
import { notFound } from "./http.server";
import { getIndexState, type IndexState } from "./index-state.server";
import {
  fillSeries,
  jobFilter,
  jobsLatestDay,
  networkStats,
  parseJobInterval,
  parsePipelineModel,
  parseSeriesRange,
  toJobStats,
  type JobStats,
  type PipelineModel,
} from "./jobs.server";
import { getOrchestrator, thirtyDayWindow, videoCostStats } from "./orchestrators.server";
import { DEFAULT_RANGE_DAYS, parseAddress } from "./params.server";

export interface DetailPoint extends JobStats {
  period: string;
  /** Realized fees (tickets) of the day; null on hourly points. volumeEth is the same figure. */
  realizedFeesEth: string | null;
  volumeEth: string | null;
  volumeUsd: string | null;
  tickets: number | null;
}

/** The request: address, interval, pipeline/model and range (400 when malformed; 404 when unknown). */
export async function loadOrchestratorDetail(db: Db, url: URL, rawAddress: string | undefined, unknown: (a: string) => string) {
  const address = parseAddress(rawAddress);
  const interval = parseJobInterval(url);
  const filter = parsePipelineModel(url);
  const state = await getIndexState(db);
  const range = parseSeriesRange(url, await jobsLatestDay(db, state), interval, DEFAULT_RANGE_DAYS);
  const row = await getOrchestrator(db, address, state.latestDay);
  if (!row) throw notFound(unknown(address));
  return orchestratorDetail(db, { address, row, state, range, interval, filter });
}

/** One known orchestrator's figures over a range, by day or hour, with the network's for the same filter. */
export async function orchestratorDetail(
  q: Querier,
  p: { address: string; row: OrchestratorRow; state: IndexState; range: DayRange; interval: JobInterval; filter: PipelineModel },
) {
  const { address, row, state, range, interval, filter } = p;
  const f = jobFilter(range, filter, address);
  const realized = await orchestratorSeries(q, address, range);
  const daily = fillSeries(await jobSeries(q, f, "day"), range, "day");
  const dailyPoints: DetailPoint[] = daily.map((j, i) => {
    const r = realized.series[i];
    return { ...j, realizedFeesEth: r.volumeEth, volumeEth: r.volumeEth, volumeUsd: r.volumeUsd, tickets: r.tickets };
  });
  const series: DetailPoint[] =
    interval === "day"
      ? dailyPoints
      : fillSeries(await jobSeries(q, f, "hour"), range, "hour").map((j) => ({ ...j, realizedFeesEth: null, volumeEth: null, volumeUsd: null, tickets: null }));
  const jobs = toJobStats(await jobTotals(q, f));
  const network = await networkStats(q, range, filter);
  const errors = await errorsByType(q, f);
  // Cost per video second: this orchestrator's priced video jobs, and the network's for the same filter.
  const [own, net] = await Promise.all([orchestratorVideoCosts(q, f), networkVideoCost(q, jobFilter(range, filter))]);
  const cost = { ...videoCostStats(own.get(address)), network: { ...videoCostStats(net), rates: net.rates } };
  return {
    row,
    state,
    window30d: thirtyDayWindow(state.latestDay),
    range,
    interval,
    filter,
    /** Realized fees over the range (all pipelines: tickets have none). */
    totals: realized.totals,
    jobs,
    network,
    errors,
    cost,
    series,
    daily: dailyPoints,
  };
}
