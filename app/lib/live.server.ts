// Live video-to-video figures from gateway events, shaped for /live, /api/live and the orchestrator
// page: sessions, startup latency p50/p95/p99 (with n, the job latencies' sample rules), delivered/
// input frame-rate ratio (median and 5th percentile of status samples), swaps and errors per
// session, billable seconds, fees, and ETH and USD per second of live video = sum(computed_fee) /
// sum(billable_secs), exact, USD at each payment day's rate (the subgraph's own, nearest day).
// Figures are for one model at a time (default: the busiest in the window), so percentiles and
// prices never mix models of different cost.
import type { Querier } from "../../db/client";
import { indexRates } from "../../core/cost/usd-rates";
import { percentilesFromHistogram } from "../../core/latency-histogram";
import { D, fmt, WEI_PER_ETH } from "../../core/units";
import { dayRates } from "../../db/queries/cost";
import { canonicalNames, latestLiveDay, liveModels, livePayments, liveSessions, type LiveFilter, type LivePaymentRow, type LiveSessionRow } from "../../db/queries/live";
import { addDays, daysBetween, defaultEndDay, todayUtc } from "./dates";
import { badRequest } from "./http.server";
import { shownLatency, type LatencyMs } from "./latency";
import { parsePipelineModel } from "./jobs.server";
import { parseRange, type DayRange } from "./params.server";

export const LIVE_PIPELINE = "live-video-to-video";
export const DEFAULT_LIVE_DAYS = 7;

export interface LiveFigures {
  sessions: number;
  startupMs: LatencyMs;
  startupSamples: number;
  /** Sessions without both a stream request and a first processed segment (at-most-once delivery). */
  incompleteSessions: number;
  /** delivered fps / input fps over status samples; null without samples. */
  fpsRatio: { p50: number | null; p5: number | null };
  fpsSamples: number;
  /** Per session (mean), and in total. */
  swaps: number | null;
  errors: number | null;
  swapsTotal: number;
  errorsTotal: number;
  noOrchestratorEvents: number;
  billableSeconds: string;
  feesEth: string;
  ethPerSecond: string | null;
  usdPerSecond: string | null;
  payments: number;
}

export interface LiveRow extends LiveFigures {
  address: string;
  /** false when the name is a hot wallet or URL no capabilities or subgraph data resolved. */
  resolved: boolean;
}

export interface LiveAnswer {
  window: DayRange;
  pipeline: string;
  /** The model the figures are for; null = every model (only when asked with model=all). */
  model: string | null;
  /** Why that model: "requested" or "busiest" (the default). */
  modelChoice: "requested" | "busiest" | "all";
  models: { modelId: string; sessions: number }[];
  rows: LiveRow[];
  network: LiveFigures;
  /** Payments whose session (by request id) was never seen: in every-model figures only. */
  unmatchedPayments: number;
}

export interface LiveQuery {
  range: DayRange;
  /** null: default to the busiest model; "all": every model. */
  model: string | null;
  orchestrator?: string;
}

export function parseLiveQuery(url: URL, latestDay: string): LiveQuery {
  const pm = parsePipelineModel(url);
  if (pm.pipeline !== null && pm.pipeline !== LIVE_PIPELINE) throw badRequest(`live figures are for pipeline=${LIVE_PIPELINE} only`);
  return { range: parseRange(url, { latestDay, defaultDays: DEFAULT_LIVE_DAYS }), model: pm.model };
}

export async function liveLatestDay(q: Querier): Promise<string> {
  const d = await latestLiveDay(q);
  return d ? defaultEndDay(d) : todayUtc();
}

export async function loadLive(q: Querier, query: LiveQuery): Promise<LiveAnswer> {
  // Independent reads run together (on Postgres each takes its own pooled connection).
  const [models, rates] = await Promise.all([liveModels(q, query.range), dayRates(q)]);
  const all = query.model === "all";
  const model = all ? null : (query.model ?? models[0]?.modelId ?? null);
  const modelChoice = all ? "all" : query.model ? "requested" : "busiest";
  const filter: LiveFilter = { ...query.range, modelId: model, ...(query.orchestrator ? { orchestrator: query.orchestrator } : {}) };
  if (!all && model === null) {
    return { window: query.range, pipeline: LIVE_PIPELINE, model, modelChoice, models, rows: [], network: figures(emptySessions(), undefined), unmatchedPayments: 0 };
  }
  // USD per ETH of each day of the range (the subgraph's own, nearest day with one): fees convert in SQL.
  const index = indexRates(rates);
  const usdPerEth = Array.from({ length: daysBetween(query.range.from, query.range.to) }, (_, i) => {
    const day = addDays(query.range.from, i);
    const r = index.lookup(day);
    return { day, rate: r ? fmt(r.exact) : null };
  });
  const [sessions, payments] = await Promise.all([liveSessions(q, filter), livePayments(q, filter, usdPerEth)]);
  const paid = new Map(payments.map((p) => [p.orchestrator, p]));
  const names = new Set([...sessions.rows.map((r) => r.orchestrator), ...payments.flatMap((p) => (p.orchestrator === null ? [] : [p.orchestrator]))]);
  names.delete("");
  const canonical = await canonicalNames(q, [...names]);
  const rows: LiveRow[] = [...names].map((address) => ({
    address,
    resolved: canonical.has(address),
    ...figures(sessions.rows.find((r) => r.orchestrator === address) ?? { ...emptySessions(), orchestrator: address }, paid.get(address)),
  }));
  rows.sort((a, b) => b.sessions - a.sessions || (a.address < b.address ? -1 : 1));
  const network = paid.get(null);
  return {
    window: query.range,
    pipeline: LIVE_PIPELINE,
    model,
    modelChoice,
    models,
    rows,
    network: figures(sessions.network, network),
    unmatchedPayments: network?.unmatched ?? 0,
  };
}

function emptySessions(): LiveSessionRow {
  return { orchestrator: "", sessions: 0, startupSamples: 0, startup: new Map(), fps: new Map(), swaps: 0, errors: 0, noOrchestrator: 0 };
}

function figures(s: LiveSessionRow, p: LivePaymentRow | undefined): LiveFigures {
  const secs = new D(p?.billableSecs ?? 0);
  const feeEth = new D(p?.feeWei ?? 0).div(WEI_PER_ETH.toString());
  const fps = [...s.fps].map(([ratioCenti, samples]) => ({ ratioCenti, samples }));
  return {
    sessions: s.sessions,
    startupMs: shownLatency(percentilesFromHistogram(s.startup)),
    startupSamples: s.startupSamples,
    incompleteSessions: s.sessions - s.startupSamples,
    fpsRatio: { p50: histogramQuantile(fps, 0.5), p5: histogramQuantile(fps, 0.05) },
    fpsSamples: fps.reduce((n, f) => n + f.samples, 0),
    swaps: s.sessions ? s.swaps / s.sessions : null,
    errors: s.sessions ? s.errors / s.sessions : null,
    swapsTotal: s.swaps,
    errorsTotal: s.errors,
    noOrchestratorEvents: s.noOrchestrator,
    billableSeconds: fmt(secs),
    feesEth: fmt(feeEth),
    ethPerSecond: secs.gt(0) ? fmt(feeEth.div(secs), 20) : null,
    usdPerSecond: secs.gt(0) && p?.usdWei ? fmt(new D(p.usdWei).div(WEI_PER_ETH.toString()).div(secs), 20) : null,
    payments: p?.payments ?? 0,
  };
}

/** The q-quantile of a hundredths histogram (nearest rank), as a ratio; null without samples. */
function histogramQuantile(h: { ratioCenti: number; samples: number }[], q: number): number | null {
  const sorted = [...h].sort((a, b) => a.ratioCenti - b.ratioCenti);
  const total = sorted.reduce((n, b) => n + b.samples, 0);
  if (!total) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const b of sorted) {
    seen += b.samples;
    if (seen >= rank) return b.ratioCenti / 100;
  }
  return sorted[sorted.length - 1].ratioCenti / 100;
}
