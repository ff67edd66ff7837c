// Public-probe figures next to the gateway figures: the probe columns of the orchestrators table and
// the compare page (set-based: one pass over the rollups for every listed orchestrator, never a query
// per row) and the probe panel of an orchestrator's page (its figures per region over the page's
// range and its history per day). Everything is composed from leaderboard.server.ts, so a figure here
// is the figure /leaderboard, GET /api/leaderboard and GET /api/probes/<address> give for the same
// window and pair: the official score (core/probes/score.ts) exists per pipeline and model only, so
// the columns are for one pair (the one asked for when it is probed, else the busiest probed one in
// the scope, said on the page); each region's figures use the median over all regions, and an
// orchestrator's figure is the mean over its regions (the explorer's GLOBAL). Round trips come from
// the 1% histograms, with the job latencies' minimum samples (p95 from 20 ok probes).
import type { Querier } from "../../db/client";
import { hasProbes, probedPairs, windowHistograms } from "../../db/queries/probes";
import type { DayRange } from "../../db/queries/params";
import { combine, officialFigures, seriesByOrchestrator, type RoundTripS, type SeriesPoint } from "./leaderboard.server";

/** The probe window of a range of UTC days: its first second to its last, both included. */
export const probeWindow = (range: DayRange) => ({ from: `${range.from}T00:00:00.000Z`, to: `${range.to}T23:59:59.000Z` });

export interface ProbePairChoice {
  pipeline: string | null;
  model: string | null;
  /** "requested": the page's pipeline and model, which are probed in scope; "busiest": the most probed in scope; "none": no probe in scope. */
  choice: "requested" | "busiest" | "none";
  /** Pairs probed in the scope and window, most probed first. */
  pairs: { pipeline: string; model: string; probes: number }[];
  window: { from: string; to: string };
}

/**
 * The pair the probe figures are for: the requested pipeline and model when the scope has probes of
 * them, else the scope's most probed pair on the window's days. Scope: some orchestrators, or the network.
 */
export async function chooseProbePair(
  q: Querier,
  range: DayRange,
  requested: { pipeline: string | null; model: string | null },
  scope: readonly string[] = [],
): Promise<ProbePairChoice> {
  const window = probeWindow(range);
  const pairs = await probedPairs(q, { ...window, orchestrators: scope.length ? scope : null });
  const asked = pairs.find((p) => p.pipeline === requested.pipeline && p.model === requested.model);
  if (asked) return { pipeline: asked.pipeline, model: asked.model, choice: "requested", pairs, window };
  if (pairs.length) return { pipeline: pairs[0].pipeline, model: pairs[0].model, choice: "busiest", pairs, window };
  return { pipeline: null, model: null, choice: "none", pairs, window };
}

/** The probe columns of one orchestrator for the chosen pair over the window. */
export interface ProbeColumns {
  /** Probes of the pair in the window (every region). */
  probeCount: number;
  /** Mean over its regions of each region's mean success_rate. */
  probeSuccessRate: number | null;
  /** Round-trip percentiles of its successful probes (all regions pooled), seconds; null below 1/20/100 such probes. */
  probeRoundTripS: RoundTripS;
  /** Successful probes with a round trip behind the percentiles (n). */
  probeRoundTripSamples: number;
  /** The official score, mean over its regions (GLOBAL); null without a pair or when the API's arithmetic gives NaN. */
  probeScore: number | null;
}

export const NO_PROBES: ProbeColumns = {
  probeCount: 0,
  probeSuccessRate: null,
  probeRoundTripS: { p50: null, p95: null, p99: null },
  probeRoundTripSamples: 0,
  probeScore: null,
};

const histCount = (h: Map<number, number> | undefined) => {
  let n = 0;
  for (const c of h?.values() ?? []) n += c;
  return n;
};

/**
 * Probe columns for every orchestrator with probes of the pair in the window (or only `scope`'s):
 * three set-based queries over the rollups (sums, histograms) and the probes (the exact median).
 */
export async function probeColumns(q: Querier, pair: ProbePairChoice, scope: readonly string[] = []): Promise<Map<string, ProbeColumns>> {
  const out = new Map<string, ProbeColumns>();
  if (!pair.pipeline || !pair.model) return out;
  const query = { ...pair.window, region: null, pipeline: pair.pipeline, model: pair.model, orchestrators: scope.length ? scope : null };
  const [official, hists] = await Promise.all([officialFigures(q, query), windowHistograms(q, query, "orchestrator")]);
  for (const [address, regions] of official.byOrchestrator) {
    const row = combine(address, regions, hists.get(address), true);
    out.set(address, {
      probeCount: row.probes,
      probeSuccessRate: row.successRate,
      probeRoundTripS: row.roundTripS,
      probeRoundTripSamples: histCount(hists.get(address)),
      probeScore: row.score,
    });
  }
  return out;
}

/** One region's figures over the window (or the mean over regions: region null). */
export interface ProbeRegionRow extends ProbeColumns {
  region: string | null;
  avgRoundTripS: number | null;
  warmRatio: number | null;
}

/** One orchestrator's probes for its page: figures per region over the range and their daily history. */
export interface OrchestratorProbes {
  pair: ProbePairChoice;
  /** Whether any probe of this orchestrator is stored at all (outside this range too). */
  stored: boolean;
  /** The median over all regions and orchestrators used for every score here (null: no successful probe). */
  medianRoundTripS: number | null;
  /** The mean over regions (GLOBAL) first, then each region. Empty without probes in the window. */
  rows: ProbeRegionRow[];
  /** Per day: the mean over regions (`series`) and each region's points (`regions`), as GET /api/probes/<address> gives them. */
  series: SeriesPoint[];
  regions: Record<string, SeriesPoint[]>;
}

export async function orchestratorProbes(
  q: Querier,
  address: string,
  range: DayRange,
  requested: { pipeline: string | null; model: string | null },
): Promise<OrchestratorProbes> {
  const [pair, stored] = await Promise.all([chooseProbePair(q, range, requested, [address]), hasProbes(q, address)]);
  if (!pair.pipeline || !pair.model) return { pair, stored, medianRoundTripS: null, rows: [], series: [], regions: {} };
  const query = { ...pair.window, region: null, pipeline: pair.pipeline, model: pair.model, orchestrator: address };
  const [official, hists, days] = await Promise.all([
    officialFigures(q, query),
    windowHistograms(q, query, "orchestrator-region"),
    seriesByOrchestrator(q, query, "day"),
  ]);
  const regions = official.byOrchestrator.get(address) ?? [];
  const pooled = new Map<number, number>();
  for (const r of regions) for (const [b, c] of hists.get(`${address} ${r.region}`) ?? []) pooled.set(b, (pooled.get(b) ?? 0) + c);
  const rowOf = (region: string | null, figures: typeof regions, hist: Map<number, number>): ProbeRegionRow => {
    const row = combine(address, figures, hist, true);
    return {
      region,
      probeCount: row.probes,
      probeSuccessRate: row.successRate,
      probeRoundTripS: row.roundTripS,
      probeRoundTripSamples: histCount(hist),
      probeScore: row.score,
      avgRoundTripS: row.avgRoundTripS,
      warmRatio: row.warmRatio,
    };
  };
  const rows = regions.length
    ? [rowOf(null, regions, pooled), ...regions.map((r) => rowOf(r.region, [r], hists.get(`${address} ${r.region}`) ?? new Map()))]
    : [];
  const s = days.get(address) ?? { series: [], regions: {} };
  return { pair, stored, medianRoundTripS: official.median, rows, series: s.series, regions: s.regions };
}
