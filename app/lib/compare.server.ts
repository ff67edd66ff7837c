// Side by side comparison of 2 to 4 orchestrators (page /compare and GET /api/compare): job figures
// over a range for one pipeline and model pair (the one asked for, else the busiest of the compared
// orchestrators together, so percentiles never mix scales; `pipeline=all`: every pair, without
// percentiles), realized fees over the same range and over 30 days, and a latency series per
// orchestrator (by day, or by hour for ranges of at most 14 days); and their public AI leaderboard
// probes over the same days for one probed pair (probe-figures.server.ts). Queries:
// db/queries/jobs.ts, db/queries/orchestrators.ts and db/queries/probes.ts.
import type { Db, Querier } from "../../db/client";
import { jobSeries, jobTotals } from "../../db/queries/jobs";
import { orchestratorSeries } from "../../db/queries/orchestrators";
import type { DayRange, JobInterval } from "../../db/queries/params";
import { MAX_COMPARE, MIN_COMPARE } from "./job-limits";
import { badRequest, notFound } from "./http.server";
import { getIndexState, type IndexState } from "./index-state.server";
import {
  choosePair,
  fillSeries,
  jobFilter,
  jobsLatestDay,
  mixesPairs,
  networkStats,
  parseJobInterval,
  parsePairRequest,
  parseSeriesRange,
  toJobStats,
  withoutPercentiles,
  type ChosenPair,
  type JobStats,
} from "./jobs.server";
import { JOB_TABLE_DAYS } from "./orchestrator-list.server";
import { getOrchestrator, thirtyDayWindow, type OrchestratorRow } from "./orchestrators.server";
import { parseAddress } from "./params.server";
import { chooseProbePair, NO_PROBES, probeColumns, type ProbeColumns } from "./probe-figures.server";

export { MAX_COMPARE, MIN_COMPARE };

/** `address` repeated 2 to 4 times (duplicates count once), each 0x + 40 hex digits. */
export function parseCompareAddresses(url: URL): string[] {
  const raw = url.searchParams.getAll("address").map((a) => a.trim()).filter((a) => a !== "");
  const addresses = [...new Set(raw.map((a) => parseAddress(a)))];
  if (addresses.length < MIN_COMPARE || addresses.length > MAX_COMPARE)
    throw badRequest(`compare needs ${MIN_COMPARE} to ${MAX_COMPARE} different orchestrators (address=0x…&address=0x…); got ${addresses.length}`);
  return addresses;
}

export interface ComparedOrchestrator extends OrchestratorRow, JobStats, ProbeColumns {
  /** Realized fees (tickets) over the range, all pipelines. */
  realizedFeesEth: string;
  series: ({ period: string } & JobStats)[];
}

/** The request: addresses, interval, pipeline/model and range (400 when malformed). */
export async function loadCompare(db: Db, url: URL) {
  const addresses = parseCompareAddresses(url);
  const interval = parseJobInterval(url);
  const request = parsePairRequest(url);
  const state = await getIndexState(db);
  const range = parseSeriesRange(url, await jobsLatestDay(db, state), interval, JOB_TABLE_DAYS);
  const pair = await choosePair(db, range, request, addresses);
  return compareOrchestrators(db, { addresses, state, range, interval, pair });
}

/** The orchestrators' figures side by side, in the order given; 404 for one that is not indexed. */
export async function compareOrchestrators(
  q: Querier,
  p: { addresses: string[]; state: IndexState; range: DayRange; interval: JobInterval; pair: ChosenPair },
) {
  const { state, range, interval, pair } = p;
  const stats = <T extends JobStats>(s: T): T => (mixesPairs(pair) ? withoutPercentiles(s) : s);
  // Public probes of one probed pair (the requested one when these orchestrators have its probes, else their most probed), all at once.
  const probePair = await chooseProbePair(q, range, pair.choice === "requested" ? pair : { pipeline: null, model: null }, p.addresses);
  const probes = await probeColumns(q, probePair, p.addresses);
  const orchestrators: ComparedOrchestrator[] = [];
  for (const address of p.addresses) {
    const row = await getOrchestrator(q, address, state.latestDay);
    if (!row) throw notFound(`unknown orchestrator ${address}: it has no Transcoder row, no fees and no logged jobs`);
    const f = jobFilter(range, pair, address);
    const totals = stats(toJobStats(await jobTotals(q, f)));
    const realized = (await orchestratorSeries(q, address, range)).totals;
    const series = fillSeries(await jobSeries(q, f, interval), range, interval).map(stats);
    orchestrators.push({ ...row, ...totals, realizedFeesEth: realized.volumeEth, ...(probes.get(address) ?? NO_PROBES), series });
  }
  const network = stats(await networkStats(q, range, pair));
  const filter = { pipeline: pair.pipeline, model: pair.model };
  const { pairs: _pairs, ...probeInfo } = probePair;
  return { state, range, interval, pair, filter, orchestrators, network, probes: probeInfo, window30d: thirtyDayWindow(state.latestDay) };
}
