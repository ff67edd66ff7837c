// Public probes shaped for /leaderboard, GET /api/leaderboard and GET /api/probes/<address>: the
// official score reproduced (core/probes/score.ts) over any window and filter, its daily history,
// round-trip percentiles (1% histograms, the job latencies' minimum samples), success and warm ratio.
// The score exists per pipeline and model, as in the API: without both, score and roundTripScore are
// null and the other figures cover every pipeline. With a region, a row is that region's figures
// with that region's median (aggregated_stats?region=); without one, score, successRate,
// roundTripScore and avgRoundTripS are means over the orchestrator's regions of the per-region
// figures aggregated_stats (no region) gives, which use the median over all regions (the explorer's
// GLOBAL). Windows are on each probe's own timestamp, both ends included.
import { percentilesFromHistogram } from "../../core/latency-histogram";
import { pipelineSlug } from "../../core/probes/raw";
import { finiteOrNull, meanOf, officialScore } from "../../core/probes/score";
import type { Querier } from "../../db/client";
import { horizonOf } from "../../db/partitions";
import {
  dailySums,
  failingOrchestrators,
  latestProbeAt,
  periodMedians,
  periodSums,
  probedPairs,
  probedRegions,
  windowHistograms,
  windowMedians,
  windowSums,
  type ProbeFailure,
  type ProbeFilter,
  type ProbeSums,
} from "../../db/queries/probes";
import { badRequest } from "./http.server";
import { shownLatency } from "./latency";
import { param } from "./params.server";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
export const MAX_WINDOW_DAYS = 366;
export const MAX_HOURLY_DAYS = 31;
/** Days of score history behind each sparkline. */
export const HISTORY_DAYS = 30;

export interface LeaderboardQuery {
  from: string;
  to: string;
  region: string | null;
  pipeline: string | null;
  model: string | null;
}

export interface RoundTripS {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface LeaderboardRow {
  address: string;
  score: number | null;
  successRate: number | null;
  roundTripScore: number | null;
  avgRoundTripS: number | null;
  roundTripS: RoundTripS;
  probes: number;
  warmRatio: number | null;
}

export interface LeaderboardAnswer {
  rows: LeaderboardRow[];
  medianRoundTripS: number | null;
  window: { from: string; to: string };
}

const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}...` : s);

/** An ISO instant, or a UTC day (its first second for `from`, its last for `to`). */
function parseInstant(url: URL, name: "from" | "to"): number | null {
  const v = param(url, name);
  if (v === null) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const ms = Date.parse(`${v}T00:00:00Z`);
    if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== v) throw badRequest(`impossible date ${name}=${v}`);
    return name === "from" ? ms : ms + DAY_MS - 1000;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.test(v)) throw badRequest(`malformed ${name}="${clip(v)}" (use an ISO instant such as 2026-01-31T12:00:00Z, or YYYY-MM-DD)`);
  const ms = Date.parse(v);
  if (!Number.isFinite(ms)) throw badRequest(`impossible instant ${name}=${clip(v)}`);
  return ms;
}

/** from/to with their defaults: `span` ending at `latest` (the newest probe, else now). */
export function parseWindow(url: URL, latest: string | null, spanMs: number, maxDays: number): { from: string; to: string } {
  let from = parseInstant(url, "from");
  let to = parseInstant(url, "to");
  if (to === null) to = from !== null ? from + spanMs : Date.parse(latest ?? new Date().toISOString());
  if (from === null) from = to - spanMs;
  if (from > to) throw badRequest(`reversed window: from is after to`);
  if (to - from > maxDays * DAY_MS) throw badRequest(`window too long (at most ${maxDays} days)`);
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/** region (uppercased), pipeline (a slug; a name such as "Text to image" is slugged) and model, both or neither. */
export function parseSelection(url: URL): { region: string | null; pipeline: string | null; model: string | null } {
  const r = param(url, "region");
  const region = r === null ? null : r.toUpperCase();
  if (region !== null && !/^[A-Z0-9_-]{1,32}$/.test(region)) throw badRequest(`malformed region "${clip(r!)}" (a region id such as FRA)`);
  const p = param(url, "pipeline");
  const model = param(url, "model");
  if (p !== null && model === null) throw badRequest("model required: pipeline and model go together");
  if (model !== null && p === null) throw badRequest("pipeline required: pipeline and model go together");
  if (model !== null && model.length > 512) throw badRequest("model is too long");
  const pipeline = p === null ? null : pipelineSlug(p);
  if (p !== null && !pipeline) throw badRequest(`malformed pipeline "${clip(p)}"`);
  return { region, pipeline, model };
}

export async function parseLeaderboardQuery(q: Querier, url: URL): Promise<LeaderboardQuery> {
  const sel = parseSelection(url);
  return { ...parseWindow(url, await latestProbeAt(q), DAY_MS, MAX_WINDOW_DAYS), ...sel };
}

/** Per-region official figures of one orchestrator. */
export interface RegionFigures {
  region: string;
  probes: number;
  successRate: number;
  avgRoundTripS: number;
  /** null without pipeline and model (no score), or when the API's arithmetic gives NaN. */
  roundTripScore: number | null;
  score: number | null;
  warm: number;
  okProbes: number;
}

function regionFigures(s: ProbeSums, median: number | null, scored: boolean): RegionFigures {
  const successRate = s.successSum / s.probes;
  const avgRoundTripS = s.rttSum / s.probes;
  const o = scored ? officialScore(successRate, avgRoundTripS, median) : null;
  return {
    region: s.region,
    probes: s.probes,
    successRate,
    avgRoundTripS,
    roundTripScore: o ? finiteOrNull(o.roundTripScore) : null,
    score: o ? finiteOrNull(o.score) : null,
    warm: s.warm,
    okProbes: s.okProbes,
  };
}

/**
 * What aggregated_stats answers for the window and filter: per orchestrator, per region, the official
 * figures with the median it uses (the region's with a region filter, else all regions').
 */
export async function officialFigures(q: Querier, query: LeaderboardQuery): Promise<{ median: number | null; byOrchestrator: Map<string, RegionFigures[]> }> {
  const f: ProbeFilter = query;
  const scored = Boolean(query.pipeline && query.model);
  // The median is taken over raw probes: over a window reaching where RAW_RETENTION_DAYS dropped
  // them it would be a median of part of its probes, so there is none (and no score); the
  // leaderboard itself refuses such a window with the reason (loadLeaderboard).
  const cut = scored && Date.parse(query.from) < (await horizonOf(q, "probes"));
  const [sums, medians] = await Promise.all([windowSums(q, f), scored && !cut ? windowMedians(q, f) : Promise.resolve(null)]);
  const median = medians ? (medians.get(query.region ?? "")?.median ?? null) : null;
  const byOrchestrator = new Map<string, RegionFigures[]>();
  for (const s of sums) {
    const list = byOrchestrator.get(s.orchestrator) ?? [];
    list.push(regionFigures(s, median, scored && !cut));
    byOrchestrator.set(s.orchestrator, list);
  }
  for (const list of byOrchestrator.values()) list.sort((a, b) => (a.region < b.region ? -1 : 1));
  return { median, byOrchestrator };
}

const seconds = (p: { n: number; p50: number | null; p95: number | null; p99: number | null }): RoundTripS => {
  const ms = shownLatency(p);
  const s = (v: number | null) => (v === null ? null : Math.round(v) / 1000);
  return { p50: s(ms.p50), p95: s(ms.p95), p99: s(ms.p99) };
};

/** Combines an orchestrator's regions into one row (means over regions; probes and warm pooled). */
export function combine(address: string, regions: RegionFigures[], hist: Map<number, number> | undefined, scored: boolean): LeaderboardRow {
  const probes = regions.reduce((n, r) => n + r.probes, 0);
  const warm = regions.reduce((n, r) => n + r.warm, 0);
  const mean = (k: "successRate" | "avgRoundTripS" | "roundTripScore" | "score") =>
    regions.some((r) => r[k] === null) ? null : meanOf(regions.map((r) => r[k] as number));
  return {
    address,
    score: scored ? mean("score") : null,
    successRate: mean("successRate"),
    roundTripScore: scored ? mean("roundTripScore") : null,
    avgRoundTripS: mean("avgRoundTripS"),
    roundTripS: seconds(percentilesFromHistogram(hist ?? new Map())),
    probes,
    warmRatio: probes ? warm / probes : null,
  };
}

const desc = (a: number | null, b: number | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : b - a);

export async function loadLeaderboard(q: Querier, query: LeaderboardQuery): Promise<LeaderboardAnswer> {
  const scored = Boolean(query.pipeline && query.model);
  const horizon = scored ? await horizonOf(q, "probes") : -Infinity;
  if (Date.parse(query.from) < horizon)
    throw badRequest(
      `no score for a window starting before ${new Date(horizon).toISOString()}: raw probes before then were dropped (RAW_RETENTION_DAYS) and the official median needs them; the daily history keeps each day's score`,
    );
  const [official, hists] = await Promise.all([officialFigures(q, query), windowHistograms(q, query, "orchestrator")]);
  const rows = [...official.byOrchestrator].map(([address, regions]) => combine(address, regions, hists.get(address), scored));
  rows.sort((a, b) => desc(a.score, b.score) || desc(a.successRate, b.successRate) || b.probes - a.probes || (a.address < b.address ? -1 : 1));
  return { rows, medianRoundTripS: official.median, window: { from: query.from, to: query.to } };
}

// ---------------------------------------------------------------------------------------------
// Series: per day or hour, for one orchestrator (/api/probes/<address>) or all (the sparklines).

export interface SeriesPoint {
  t: string;
  probes: number;
  okProbes: number;
  successRate: number | null;
  avgRoundTripS: number | null;
  roundTripS: RoundTripS;
  warmRatio: number | null;
  score: number | null;
  roundTripScore: number | null;
  medianRoundTripS: number | null;
}

export interface ProbeSeries {
  /** The selection (region given: that region; else means over regions as the leaderboard). */
  series: SeriesPoint[];
  /** Per region (with the same median as `series`: the region's own when a region is given, else all regions'). */
  regions: Record<string, SeriesPoint[]>;
}

/** Points per period for each orchestrator in the filter (one when f.orchestrator is set). */
export async function seriesByOrchestrator(
  q: Querier,
  query: LeaderboardQuery & { orchestrator?: string },
  interval: "day" | "hour",
  withPercentiles = true,
): Promise<Map<string, ProbeSeries>> {
  const scored = Boolean(query.pipeline && query.model);
  const [sums, medians] = await Promise.all([periodSums(q, query, interval, withPercentiles), periodMedians(q, query, interval)]);
  const byOrch = new Map<string, Map<string, { regions: RegionFigures[]; hists: Map<string, Map<number, number>> }>>();
  for (const s of sums) {
    const median = medians.get(s.period)?.get(query.region ?? "") ?? null;
    const periods = byOrch.get(s.orchestrator) ?? new Map();
    const e = periods.get(s.period) ?? { regions: [], hists: new Map() };
    e.regions.push(regionFigures(s, median, scored));
    e.hists.set(s.region, s.hist);
    periods.set(s.period, e);
    byOrch.set(s.orchestrator, periods);
  }
  const point = (t: string, regions: RegionFigures[], hist: Map<number, number>): SeriesPoint => {
    const row = combine("", regions, hist, scored);
    return {
      t,
      probes: row.probes,
      okProbes: regions.reduce((n, r) => n + r.okProbes, 0),
      successRate: row.successRate,
      avgRoundTripS: row.avgRoundTripS,
      roundTripS: row.roundTripS,
      warmRatio: row.warmRatio,
      score: row.score,
      roundTripScore: row.roundTripScore,
      medianRoundTripS: scored ? (medians.get(t)?.get(query.region ?? "") ?? null) : null,
    };
  };
  const out = new Map<string, ProbeSeries>();
  for (const [address, periods] of byOrch) {
    const keys = [...periods.keys()].sort();
    const series: SeriesPoint[] = [];
    const regions: Record<string, SeriesPoint[]> = {};
    for (const t of keys) {
      const e = periods.get(t)!;
      const pooled = new Map<number, number>();
      for (const h of e.hists.values()) for (const [b, c] of h) pooled.set(b, (pooled.get(b) ?? 0) + c);
      series.push(point(t, e.regions, pooled));
      for (const r of e.regions) (regions[r.region] ??= []).push(point(t, [r], e.hists.get(r.region) ?? new Map()));
    }
    out.set(address, { series, regions: Object.fromEntries(Object.entries(regions).sort(([a], [b]) => (a < b ? -1 : 1))) });
  }
  return out;
}

export interface ProbesQuery extends LeaderboardQuery {
  address: string;
  interval: "day" | "hour";
}

/** GET /api/probes/<address>: window default 30 days (day) or 48 hours (hour) up to the newest probe. */
export async function parseProbesQuery(q: Querier, url: URL, address: string): Promise<ProbesQuery> {
  const iv = param(url, "interval") ?? "day";
  if (iv !== "day" && iv !== "hour") throw badRequest(`unknown interval "${clip(iv)}" (use day or hour)`);
  const sel = parseSelection(url);
  const span = iv === "day" ? HISTORY_DAYS * DAY_MS - 1000 : 48 * HOUR_MS - 1000;
  const w = parseWindow(url, await latestProbeAt(q), span, iv === "day" ? MAX_WINDOW_DAYS : MAX_HOURLY_DAYS);
  return { ...w, ...sel, address, interval: iv };
}

export async function loadProbeSeries(q: Querier, query: ProbesQuery): Promise<ProbeSeries> {
  if (query.interval === "hour") {
    // Hourly figures are read from the raw probes (there is no hourly rollup: db/schema-probes.ts).
    const horizon = await horizonOf(q, "probes");
    if (Date.parse(query.from) < horizon)
      throw badRequest(
        `no hourly figures for a window starting before ${new Date(horizon).toISOString()}: raw probes before then were dropped (RAW_RETENTION_DAYS); interval=day keeps every day`,
      );
  }
  const all = await seriesByOrchestrator(q, { ...query, orchestrator: query.address }, query.interval);
  return all.get(query.address) ?? { series: [], regions: {} };
}

// ---------------------------------------------------------------------------------------------
// The page: the ranking, its filters' choices, each row's score history and what failed.

export interface LeaderboardPage extends LeaderboardAnswer {
  query: LeaderboardQuery;
  /** How the pipeline and model were chosen: given, the busiest on the window's days (default) or all (no score). */
  pairChoice: "requested" | "busiest" | "all";
  pairs: { pipeline: string; model: string; probes: number }[];
  regions: { id: string; name: string }[];
  /** Per address, the daily score (with a pair) or success rate (without) of the HISTORY_DAYS to the window's end. */
  history: Record<string, (number | null)[]>;
  historyDays: string[];
  failing: ProbeFailure[];
  latest: string | null;
}

export async function loadLeaderboardPage(q: Querier, url: URL): Promise<LeaderboardPage> {
  const latest = await latestProbeAt(q);
  const window = parseWindow(url, latest, DAY_MS, MAX_WINDOW_DAYS);
  const pairParam = param(url, "pair");
  let sel = parseSelection(url);
  const pairs = await probedPairs(q, { ...window, region: sel.region });
  let pairChoice: LeaderboardPage["pairChoice"] = sel.pipeline ? "requested" : "busiest";
  if (!sel.pipeline && pairParam === "all") pairChoice = "all";
  else if (!sel.pipeline && pairParam) {
    const cut = pairParam.indexOf(" ");
    if (cut <= 0) throw badRequest(`malformed pair "${clip(pairParam)}" (pipeline and model separated by a space, or all)`);
    sel = { ...sel, pipeline: pipelineSlug(pairParam.slice(0, cut)), model: pairParam.slice(cut + 1) };
    pairChoice = "requested";
  } else if (!sel.pipeline && pairs.length) sel = { ...sel, pipeline: pairs[0].pipeline, model: pairs[0].model };
  const query: LeaderboardQuery = { ...window, ...sel };
  const endDay = query.to.slice(0, 10);
  const historyFrom = new Date(Date.parse(`${endDay}T00:00:00Z`) - (HISTORY_DAYS - 1) * DAY_MS).toISOString();
  const historyDays = Array.from({ length: HISTORY_DAYS }, (_, i) => new Date(Date.parse(historyFrom) + i * DAY_MS).toISOString().slice(0, 10));
  const [board, regions, history, failing] = await Promise.all([
    loadLeaderboard(q, query),
    probedRegions(q, window),
    dailyHistory(q, { ...query, from: historyFrom, to: `${endDay}T23:59:59.000Z` }, historyDays),
    failingOrchestrators(q),
  ]);
  return { ...board, query, pairChoice, pairs, regions, history, historyDays, failing, latest };
}

/**
 * Per orchestrator, the score of each day (with a pipeline and model; else the success rate), as
 * seriesByOrchestrator's `series` gives it (the day's stored median; the mean over regions without
 * a region), read lean for the sparklines: daily sums only, no histograms.
 */
export async function dailyHistory(q: Querier, query: LeaderboardQuery, days: string[]): Promise<Record<string, (number | null)[]>> {
  const scored = Boolean(query.pipeline && query.model);
  const [sums, medians] = await Promise.all([dailySums(q, query), periodMedians(q, query, "day")]);
  const index = new Map(days.map((d, i) => [d, i]));
  const perOrch = new Map<string, (number | null)[][]>(); // day index -> per-region values
  for (const r of sums) {
    let cells = perOrch.get(r.orchestrator);
    if (!cells) perOrch.set(r.orchestrator, (cells = days.map(() => [])));
    r.days.forEach((day, k) => {
      const i = index.get(day);
      if (i === undefined || !r.probes[k]) return;
      const success = r.successSum[k] / r.probes[k];
      if (!scored) return cells![i].push(success);
      const o = officialScore(success, r.rttSum[k] / r.probes[k], medians.get(day)?.get(query.region ?? "") ?? null);
      cells![i].push(finiteOrNull(o.score));
    });
  }
  const out: Record<string, (number | null)[]> = {};
  for (const [address, cells] of perOrch) out[address] = cells.map((vals) => (vals.length && !vals.includes(null) ? meanOf(vals as number[]) : null));
  return out;
}
