// One orchestrator: its on-chain row, realized fees per day (tickets), and its job statistics from
// the logs over a range by day or hour (latency, success rate, expected fees, errors by type), with
// the network's figures for the same range and pipeline/model pair as a reference; what it
// advertises at the newest capabilities poll (GPUs, models with price, warm state and capacity, and
// its price history: orchestrator-advertised.server.ts); and its live video figures from gateway
// events next to the network's for the same model (live.server.ts); and its public probes from the AI
// leaderboard over the same range, per region and per day (probe-figures.server.ts). Shared by the
// page and GET /api/orchestrators/<address>.
//
// Job figures are for one pipeline and model pair (jobs.server.ts choosePair): the one asked for,
// else this orchestrator's busiest in the range, so its percentiles and costs never mix scales;
// `pipeline=all` covers every pair without percentiles or cost. Realized fees exist per UTC day only
// (fee_day_orchestrator; tickets are lottery-noisy and carry no pipeline), so hourly points carry
// null realized fees and the pair never applies to them. The figures come from db/queries/jobs.ts
// and db/queries/orchestrators.ts.
import type { Db, Querier } from "../../db/client";
import { D, fmt } from "../../core/units";
import { errorsByType, jobSeries, jobTotals } from "../../db/queries/jobs";
import { orchestratorSeries, type OrchestratorRow } from "../../db/queries/orchestrators";
import type { DayRange, JobInterval } from "../../db/queries/params";
import { networkVideoCost, orchestratorVideoCosts, type OrchestratorCost } from "./cost.server";
import { notFound } from "./http.server";
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
import { LIVE_PIPELINE, loadLive, type LiveFigures } from "./live.server";
import { orchestratorAdvertised } from "./orchestrator-advertised.server";
import { getOrchestrator, thirtyDayWindow, videoCostStats } from "./orchestrators.server";
import { orchestratorProbes } from "./probe-figures.server";
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
  const request = parsePairRequest(url);
  const state = await getIndexState(db);
  const range = parseSeriesRange(url, await jobsLatestDay(db, state), interval, DEFAULT_RANGE_DAYS);
  const row = await getOrchestrator(db, address, state.latestDay);
  if (!row) throw notFound(unknown(address));
  const pair = await choosePair(db, range, request, [address]);
  return orchestratorDetail(db, { address, row, state, range, interval, pair });
}

/** Live figures as GET /api/live shows them (a row there has these fields, plus address and resolved). */
export type LiveFiguresShown = Pick<
  LiveFigures,
  | "sessions" | "startupMs" | "startupSamples" | "incompleteSessions" | "fpsRatio" | "fpsSamples" | "swaps" | "errors"
  | "billableSeconds" | "feesEth" | "ethPerSecond" | "usdPerSecond"
>;

const shown = (f: LiveFigures): LiveFiguresShown => ({
  sessions: f.sessions,
  startupMs: f.startupMs,
  startupSamples: f.startupSamples,
  incompleteSessions: f.incompleteSessions,
  fpsRatio: f.fpsRatio,
  fpsSamples: f.fpsSamples,
  swaps: f.swaps,
  errors: f.errors,
  billableSeconds: f.billableSeconds,
  feesEth: f.feesEth,
  ethPerSecond: f.ethPerSecond,
  usdPerSecond: f.usdPerSecond,
});

/** Live video figures of one orchestrator next to the network's, for one model (the busiest unless the pair names one). */
export interface OrchestratorLive {
  window: DayRange;
  pipeline: string;
  model: string | null;
  modelChoice: "requested" | "busiest" | "all";
  /** Live models over the window, busiest first (the network's). */
  models: { modelId: string; sessions: number }[];
  /** This orchestrator's figures (a GET /api/live row); null when gateway events name it in no session or payment of the model. */
  row: (LiveFiguresShown & { address: string; resolved: boolean }) | null;
  network: LiveFiguresShown;
  /** usdPerSecond x 3600, exact: what an hour of live video was paid, this orchestrator's and the network's. */
  usdPerHour: { row: string | null; network: string | null };
}

const perHour = (usdPerSecond: string | null | undefined) => (usdPerSecond ? fmt(new D(usdPerSecond).times(3600)) : null);

async function liveOf(q: Querier, address: string, range: DayRange, pair: ChosenPair): Promise<OrchestratorLive> {
  const model = pair.pipeline === LIVE_PIPELINE ? pair.model : null;
  // The network's answer already holds this orchestrator's row (same model choice, same figures).
  const net = await loadLive(q, { range, model });
  const mine = net.rows.find((r) => r.address === address);
  const row = mine ? { address: mine.address, ...shown(mine), resolved: mine.resolved } : null;
  return {
    window: range,
    pipeline: net.pipeline,
    model: net.model,
    modelChoice: net.modelChoice,
    models: net.models,
    row,
    network: shown(net.network),
    usdPerHour: { row: perHour(row?.usdPerSecond), network: perHour(net.network.usdPerSecond) },
  };
}

/** One known orchestrator's figures over a range, by day or hour, with the network's for the same pair. */
export async function orchestratorDetail(
  q: Querier,
  p: { address: string; row: OrchestratorRow; state: IndexState; range: DayRange; interval: JobInterval; pair: ChosenPair },
) {
  const { address, row, state, range, interval, pair } = p;
  const mixed = mixesPairs(pair);
  const stats = <T extends JobStats>(s: T): T => (mixed ? withoutPercentiles(s) : s);
  const f = jobFilter(range, pair, address);
  const realized = await orchestratorSeries(q, address, range);
  const daily = fillSeries(await jobSeries(q, f, "day"), range, "day").map(stats);
  const dailyPoints: DetailPoint[] = daily.map((j, i) => {
    const r = realized.series[i];
    return { ...j, realizedFeesEth: r.volumeEth, volumeEth: r.volumeEth, volumeUsd: r.volumeUsd, tickets: r.tickets };
  });
  const series: DetailPoint[] =
    interval === "day"
      ? dailyPoints
      : fillSeries(await jobSeries(q, f, "hour"), range, "hour").map((j) => ({ ...stats(j), realizedFeesEth: null, volumeEth: null, volumeUsd: null, tickets: null }));
  const jobs = stats(toJobStats(await jobTotals(q, f)));
  const network = stats(await networkStats(q, range, pair));
  const errors = await errorsByType(q, f);
  // Cost per video second: this orchestrator's priced video jobs of the pair, and the network's (none over every pipeline).
  const [own, net] = mixed
    ? [new Map<string, OrchestratorCost>(), null]
    : await Promise.all([orchestratorVideoCosts(q, f), networkVideoCost(q, jobFilter(range, pair))]);
  const cost = { ...videoCostStats(own.get(address)), network: net ? { ...videoCostStats(net), rates: net.rates } : { ...videoCostStats(undefined), rates: null } };
  const [advertised, live, probes] = await Promise.all([
    orchestratorAdvertised(q, address),
    liveOf(q, address, range, pair),
    orchestratorProbes(q, address, range, pair.choice === "requested" ? pair : { pipeline: null, model: null }),
  ]);
  return {
    row,
    state,
    window30d: thirtyDayWindow(state.latestDay),
    range,
    interval,
    /** The pair the job figures are for (both null over every pipeline). */
    filter: { pipeline: pair.pipeline, model: pair.model },
    pair,
    /** Realized fees over the range (all pipelines: tickets have none). */
    totals: realized.totals,
    jobs,
    network,
    errors,
    cost,
    series,
    daily: dailyPoints,
    advertised,
    live,
    /** Public probes (the AI leaderboard) over the same range, for one probed pipeline and model (probe-figures.server.ts). */
    probes,
  };
}
