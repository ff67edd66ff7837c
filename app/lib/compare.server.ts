// Side by side comparison of 2 to 4 orchestrators (page /compare and GET /api/compare): job figures
// over a range and filter, realized fees over the same range and over 30 days, and a latency series
// per orchestrator (by day, or by hour for ranges of at most 14 days).
import type { Db } from "../../db/client";
import { jobSeries, jobTotals } from "../../db/job-queries";
import { MAX_COMPARE, MIN_COMPARE } from "./job-limits";
import { badRequest, notFound } from "./http.server";
import { getIndexState } from "./index-state.server";
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
} from "./jobs.server";
import { JOB_TABLE_DAYS } from "./orchestrator-list.server";
import { getOrchestrator, orchestratorSeries, thirtyDayWindow, type OrchestratorRow } from "./orchestrators.server";
import { parseAddress } from "./params.server";

export { MAX_COMPARE, MIN_COMPARE };

/** `address` repeated 2 to 4 times (duplicates count once), each 0x + 40 hex digits. */
export function parseCompareAddresses(url: URL): string[] {
  const raw = url.searchParams.getAll("address").map((a) => a.trim()).filter((a) => a !== "");
  const addresses = [...new Set(raw.map((a) => parseAddress(a)))];
  if (addresses.length < MIN_COMPARE || addresses.length > MAX_COMPARE)
    throw badRequest(`compare needs ${MIN_COMPARE} to ${MAX_COMPARE} different orchestrators (address=0x…&address=0x…); got ${addresses.length}`);
  return addresses;
}

export interface ComparedOrchestrator extends OrchestratorRow, JobStats {
  /** Realized fees (tickets) over the range, all pipelines. */
  realizedFeesEth: string;
  series: ({ period: string } & JobStats)[];
}

export async function loadCompare(db: Db, url: URL) {
  const addresses = parseCompareAddresses(url);
  const interval = parseJobInterval(url);
  const filter = parsePipelineModel(url);
  const state = await getIndexState(db);
  const range = parseSeriesRange(url, await jobsLatestDay(db, state), interval, JOB_TABLE_DAYS);
  const orchestrators: ComparedOrchestrator[] = [];
  for (const address of addresses) {
    const row = await getOrchestrator(db, address, state.latestDay);
    if (!row) throw notFound(`unknown orchestrator ${address}: it has no Transcoder row, no fees and no logged jobs`);
    const f = jobFilter(range, filter, address);
    const stats = toJobStats(await jobTotals(db, f));
    const realized = (await orchestratorSeries(db, address, range)).totals;
    const series = fillSeries(await jobSeries(db, f, interval), range, interval);
    orchestrators.push({ ...row, ...stats, realizedFeesEth: realized.volumeEth, series });
  }
  const network = await networkStats(db, range, filter);
  return { state, range, interval, filter, orchestrators, network, window30d: thirtyDayWindow(state.latestDay) };
}
