// Side by side comparison of 2 to 4 orchestrators (page /compare and GET /api/compare): job figures
// over a range and filter, realized fees over the same range and over 30 days, and a latency series
// per orchestrator (by day, or by hour for ranges of at most 14 days). Queries: db/queries/jobs.ts
// and db/queries/orchestrators.ts.
import type { Db, Querier } from "../../db/client";
import { jobSeries, jobTotals } from "../../db/queries/jobs";
import { orchestratorSeries } from "../../db/queries/orchestrators";
import type { DayRange, JobInterval } from "../../db/queries/params";
import { MAX_COMPARE, MIN_COMPARE } from "./job-limits";
import { badRequest, notFound } from "./http.server";
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
import { JOB_TABLE_DAYS } from "./orchestrator-list.server";
import { getOrchestrator, thirtyDayWindow, type OrchestratorRow } from "./orchestrators.server";
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

/** The request: addresses, interval, pipeline/model and range (400 when malformed). */
export async function loadCompare(db: Db, url: URL) {
  const addresses = parseCompareAddresses(url);
  const interval = parseJobInterval(url);
  const filter = parsePipelineModel(url);
  const state = await getIndexState(db);
  const range = parseSeriesRange(url, await jobsLatestDay(db, state), interval, JOB_TABLE_DAYS);
  return compareOrchestrators(db, { addresses, state, range, interval, filter });
}

/** The orchestrators' figures side by side, in the order given; 404 for one that is not indexed. */
export async function compareOrchestrators(
  q: Querier,
  p: { addresses: string[]; state: IndexState; range: DayRange; interval: JobInterval; filter: PipelineModel },
) {
  const { state, range, interval, filter } = p;
  const orchestrators: ComparedOrchestrator[] = [];
  for (const address of p.addresses) {
    const row = await getOrchestrator(q, address, state.latestDay);
    if (!row) throw notFound(`unknown orchestrator ${address}: it has no Transcoder row, no fees and no logged jobs`);
    const f = jobFilter(range, filter, address);
    const stats = toJobStats(await jobTotals(q, f));
    const realized = (await orchestratorSeries(q, address, range)).totals;
    const series = fillSeries(await jobSeries(q, f, interval), range, interval);
    orchestrators.push({ ...row, ...stats, realizedFeesEth: realized.volumeEth, series });
  }
  const network = await networkStats(q, range, filter);
  return { state, range, interval, filter, orchestrators, network, window30d: thirtyDayWindow(state.latestDay) };
}
