// Job statistics from the gateway job logs, shaped for the pages and the API: the pipeline/model and
// interval parameters, the job range's default end, and series filled to every period. The rollups
// are read by db/queries/jobs.ts (never raw jobs). Amounts leave as exact decimal strings (ETH from
// wei with BigInt, seconds as logged); latency as milliseconds with the sample-size rule of latency.ts.
import type { Querier } from "../../db/client";
import { weiToEth } from "../../core/units";
import { busiestPairs, jobTotals, latestJobDay, type JobTotals, type SeriesPoint } from "../../db/queries/jobs";
import type { JobFilter, JobInterval } from "../../db/queries/params";
import { addDays, dayNumber, daysBetween, defaultEndDay } from "./dates";
import { badRequest } from "./http.server";
import type { IndexState } from "./index-state.server";
import { DEFAULT_HOURLY_DAYS, MAX_HOURLY_DAYS } from "./job-limits";
import { shownLatency, type LatencyMs } from "./latency";
import { checkRange, param, parseChoice, parseRange, type DayRange } from "./params.server";

export interface JobStats {
  jobs: number;
  successes: number;
  /** successes / jobs (0..1), null without jobs. */
  successRate: number | null;
  /** p50/p95/p99 of successful jobs' duration_ms; null below the sample thresholds (latency.ts). */
  latencyMs: LatencyMs;
  /** Successful jobs behind the percentiles. */
  latencySamples: number;
  /** Expected fees from the logs (sum over priced jobs), exact decimal ETH. */
  expectedFeesEth: string;
  /** Sum of output seconds over jobs that have them, exact decimal. */
  outputSeconds: string;
}

export const EMPTY_JOB_STATS: JobStats = {
  jobs: 0,
  successes: 0,
  successRate: null,
  latencyMs: { p50: null, p95: null, p99: null },
  latencySamples: 0,
  expectedFeesEth: "0",
  outputSeconds: "0",
};

export function toJobStats(t: JobTotals): JobStats {
  return {
    jobs: t.jobs,
    successes: t.successes,
    successRate: t.successRate,
    latencyMs: shownLatency(t.latency),
    latencySamples: t.latency.n,
    expectedFeesEth: weiToEth(t.expectedFeeWei),
    outputSeconds: t.outputSeconds,
  };
}

/** CSV cells of JobStats, in the order of JOB_CSV_HEADER. */
export const JOB_CSV_HEADER = ["jobs", "successes", "success_rate", "latency_p50_ms", "latency_p95_ms", "latency_p99_ms", "latency_samples", "expected_fees_eth"];
export const jobCsvCells = (s: JobStats) => [
  s.jobs, s.successes, s.successRate, s.latencyMs.p50, s.latencyMs.p95, s.latencyMs.p99, s.latencySamples, s.expectedFeesEth,
];

// ---------------------------------------------------------------------------------------------
// Parameters

export interface PipelineModel {
  pipeline: string | null;
  model: string | null;
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** `pipeline` (a slug such as image-to-video) and `model` (a model id) filters; absent = all. */
export function parsePipelineModel(url: URL): PipelineModel {
  const pipeline = param(url, "pipeline");
  const model = param(url, "model");
  if (pipeline !== null && !SLUG.test(pipeline)) throw badRequest(`malformed pipeline "${pipeline.slice(0, 24)}" (a slug such as image-to-video)`);
  if (model !== null && (model.length > 256 || CONTROL.test(model))) throw badRequest("malformed model (at most 256 characters, no control characters)");
  return { pipeline, model };
}

// ---------------------------------------------------------------------------------------------
// One pipeline and model at a time
//
// Latency percentiles and costs never mix pipelines or models: a 1-second image job and a 30-second
// video job have nothing to share in a p95. So the job figures of the orchestrator pages and
// their API are always for one pipeline and model pair: the one asked for, else the busiest (most
// jobs) in the window, in the page's scope (an orchestrator, the compared orchestrators, else the
// network; ties: pipeline, then model, A-Z). A pipeline without a model gets its busiest model, a
// model without a pipeline its busiest pipeline. `pipeline=all` sums jobs, successes and fees over
// every pipeline and model, and gives no percentile and no cost.

/** What the request asked for: a pipeline and/or a model (null: choose the busiest), or every pipeline. */
export interface PairRequest extends PipelineModel {
  all: boolean;
}

/** How the pair was chosen: as requested, the busiest in the window (for what was not given), or all pipelines. */
export type PairChoice = "requested" | "busiest" | "all";

/** The pair the job figures are for (both null with `all`, or when the window has no jobs). */
export interface ChosenPair extends PipelineModel {
  choice: PairChoice;
  requested: PipelineModel;
}

/** `pipeline` and `model` as parsePipelineModel reads them, plus `pipeline=all` (which takes no model). */
export function parsePairRequest(url: URL): PairRequest {
  const pm = parsePipelineModel(url);
  if (pm.pipeline === "all") {
    if (pm.model !== null) throw badRequest("pipeline=all covers every model: leave model out");
    return { pipeline: null, model: null, all: true };
  }
  return { ...pm, all: false };
}

/**
 * The pair of a request over a range: as requested when both are given, else the busiest in the
 * scope (orchestrators; none: the network), falling back to the network's busiest when the scope
 * has no matching jobs.
 */
export async function choosePair(q: Querier, range: DayRange, req: PairRequest, scope: string[] = []): Promise<ChosenPair> {
  const requested = { pipeline: req.pipeline, model: req.model };
  if (req.all) return { pipeline: null, model: null, choice: "all", requested };
  if (req.pipeline !== null && req.model !== null) return { ...requested, choice: "requested", requested };
  const f: JobFilter = { ...range, ...(req.pipeline ? { pipeline: req.pipeline } : {}), ...(req.model ? { modelId: req.model } : {}) };
  let [top] = scope.length ? await busiestPairs(q, { ...f, orchestrators: scope }) : [];
  if (!top) [top] = await busiestPairs(q, f);
  return { pipeline: top?.pipeline ?? req.pipeline, model: top?.modelId ?? req.model, choice: "busiest", requested };
}

/** True when the figures cover every pipeline: percentiles and costs are withheld. */
export const mixesPairs = (p: ChosenPair): boolean => p.choice === "all";

/** Job figures without percentiles (every pipeline together: a percentile would mix scales). */
export const withoutPercentiles = <T extends JobStats>(s: T): T => ({ ...s, latencyMs: { p50: null, p95: null, p99: null } });

export const jobFilter = (range: DayRange, pm: PipelineModel, orchestrator?: string): JobFilter => ({
  from: range.from,
  to: range.to,
  ...(orchestrator ? { orchestrator } : {}),
  ...(pm.pipeline ? { pipeline: pm.pipeline } : {}),
  ...(pm.model ? { modelId: pm.model } : {}),
});

export type { JobInterval };
export const JOB_INTERVALS = ["day", "hour"] as const satisfies readonly JobInterval[];


export const parseJobInterval = (url: URL): JobInterval => parseChoice(url, "interval", JOB_INTERVALS, "day");

/** from/to for a job series: `defaultDays` by day, 7 days by hour; an hourly range over 14 days is a 400. */
export function parseSeriesRange(url: URL, latestDay: string, interval: JobInterval, defaultDays: number): DayRange {
  const range = parseRange(url, { latestDay, defaultDays: interval === "hour" ? DEFAULT_HOURLY_DAYS : defaultDays });
  const days = daysBetween(range.from, range.to);
  if (interval === "hour" && days > MAX_HOURLY_DAYS)
    throw badRequest(`hourly series cover at most ${MAX_HOURLY_DAYS} days; ${range.from} – ${range.to} is ${days} days (use interval=day or a shorter range)`);
  return checkRange(range);
}

/**
 * The latest day any ledger has data for: the subgraph's latest indexed day, or the latest day with
 * logged jobs when the logs run ahead of it; never after today (defaultEndDay), whatever day a
 * stored job has. Default job ranges end here.
 */
export async function jobsLatestDay(q: Querier, state: IndexState): Promise<string> {
  const d = await latestJobDay(q);
  if (d && (state.blockTimestamp === null || d > state.latestDay)) return defaultEndDay(d);
  return state.latestDay;
}

// ---------------------------------------------------------------------------------------------
// Series

/** Every period label of a range: 'YYYY-MM-DD' days, or ISO hours ('2025-03-01T05:00:00.000Z'). */
export function periodsOf(range: DayRange, interval: JobInterval): string[] {
  const first = dayNumber(range.from) as number;
  const days = daysBetween(range.from, range.to);
  if (interval === "day") return Array.from({ length: days }, (_, i) => addDays(range.from, i));
  return Array.from({ length: days * 24 }, (_, i) => new Date((first * 24 + i) * 3_600_000).toISOString());
}

const normalisePeriod = (p: string, interval: JobInterval) => (interval === "day" ? p.slice(0, 10) : new Date(p).toISOString());

/** One JobStats per period of the range (periods without jobs are empty, not missing). */
export function fillSeries(points: SeriesPoint[], range: DayRange, interval: JobInterval): ({ period: string } & JobStats)[] {
  const by = new Map(points.map((p) => [normalisePeriod(p.period, interval), p]));
  return periodsOf(range, interval).map((period) => {
    const p = by.get(period);
    return { period, ...(p ? toJobStats(p) : EMPTY_JOB_STATS) };
  });
}

/** Network-wide figures for the same range and pipeline/model filter (the reference line). */
export async function networkStats(q: Querier, range: DayRange, pm: PipelineModel): Promise<JobStats> {
  return toJobStats(await jobTotals(q, jobFilter(range, pm)));
}
