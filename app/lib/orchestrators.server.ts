// Orchestrators: every address that has a Transcoder row, has earned fees, or has logged jobs (one
// with fees or jobs but no Transcoder row still appears, with null on-chain fields). Fees come from
// the exact fee_day_orchestrator rollup: 30 days = the 30 days ending at the latest indexed day.
// Job columns (jobs, success rate, latency, expected fees, cost per video second) come from the job
// rollups over the job range for one pipeline and model pair (jobs.server.ts choosePair: the one
// asked for, else the busiest in the window), so percentiles and costs never mix scales; with a
// pipeline or model asked for, only orchestrators with matching jobs are listed. GPUs and the live
// video price come from the newest capabilities poll (orchestrator-advertised.server.ts); the probe
// columns (score, success, round trip) from the public AI leaderboard probes (probe-figures.server.ts).
// The rows come from db/queries/orchestrators.ts and db/queries/jobs.ts; this module parses the sort,
// merges and sorts.
import type { Querier } from "../../db/client";
import { hasJobs, jobOrchestrators, orchestratorJobs } from "../../db/queries/jobs";
import { orchestratorRow, orchestratorRows, type OrchestratorRow } from "../../db/queries/orchestrators";
import { orchestratorVideoCosts, type OrchestratorCost } from "./cost.server";
import { addDays } from "./dates";
import { compareDecimal } from "./decimal";
import { badRequest } from "./http.server";
import { EMPTY_JOB_STATS, jobFilter, mixesPairs, toJobStats, withoutPercentiles, type ChosenPair, type JobStats } from "./jobs.server";
import { advertisedIndex, NOT_ADVERTISED, type AdvertisedColumns, type AdvertisedIndex } from "./orchestrator-advertised.server";
import { defaultDir, ORCHESTRATOR_SORTS, type OrchestratorSort, type SortDir } from "./orchestrator-sort";
import { LIVE_VIDEO_PIPELINE } from "./network.server";
import { param, type DayRange } from "./params.server";
import { NO_PROBES, type ProbeColumns } from "./probe-figures.server";

export { defaultDir, ORCHESTRATOR_SORTS, type OrchestratorRow, type OrchestratorSort, type SortDir };

/** Cost per video second over the orchestrator's video jobs in the job range (decision 009). */
export interface VideoCostStats {
  usdPerVideoSecond: string | null;
  ethPerVideoSecond: string | null;
  /** Successful priced video jobs behind the figure, and their seconds. */
  videoJobs: number;
  videoSeconds: string;
}

export const NO_VIDEO_COST: VideoCostStats = { usdPerVideoSecond: null, ethPerVideoSecond: null, videoJobs: 0, videoSeconds: "0" };

export const videoCostStats = (c: OrchestratorCost | undefined): VideoCostStats =>
  c ? { usdPerVideoSecond: c.usdPerVideoSecond, ethPerVideoSecond: c.ethPerVideoSecond, videoJobs: c.jobs, videoSeconds: c.outputSeconds } : NO_VIDEO_COST;

export type OrchestratorJobRow = OrchestratorRow & JobStats & VideoCostStats & AdvertisedColumns & ProbeColumns;

export function parseSort(url: URL): { sort: OrchestratorSort; dir: SortDir } {
  const s = param(url, "sort") ?? "feesEth30d";
  if (!Object.prototype.hasOwnProperty.call(ORCHESTRATOR_SORTS, s))
    throw badRequest(`unknown sort key "${s.slice(0, 24)}" (use ${Object.keys(ORCHESTRATOR_SORTS).join(", ")})`);
  const sort = s as OrchestratorSort;
  const d = param(url, "dir");
  if (d !== null && d !== "asc" && d !== "desc") throw badRequest(`unknown dir "${d.slice(0, 24)}" (use asc or desc)`);
  return { sort, dir: (d as SortDir | null) ?? defaultDir(sort) };
}

export const thirtyDayWindow = (latestDay: string): DayRange => ({ from: addDays(latestDay, -29), to: latestDay });

/** An orchestrator known only from job logs: no on-chain fields, no realized fees. */
const logOnlyRow = (address: string): OrchestratorRow => ({
  address,
  serviceUri: null,
  active: null,
  status: null,
  totalStake: null,
  feeSharePct: null,
  rewardCutPct: null,
  feesEth30d: "0",
  feesEthTotal: "0",
});

function sortValue(r: OrchestratorJobRow, key: OrchestratorSort): string | number | boolean | null {
  switch (key) {
    case "latencyP50":
      return r.latencyMs.p50;
    case "latencyP95":
      return r.latencyMs.p95;
    case "latencyP99":
      return r.latencyMs.p99;
    case "livePrice":
      return r.livePrice?.weiPerPixel ?? null;
    case "gpuCount":
      return r.gpuCount;
    case "probeRoundTripP95":
      return r.probeRoundTripS.p95;
    default:
      return r[key];
  }
}

/** Sorts by one column in either direction, nulls last, ties by address (A-Z). Exact for decimals. */
export function sortOrchestrators<T extends OrchestratorJobRow>(rows: T[], sort: OrchestratorSort, dir: SortDir): T[] {
  const kind = ORCHESTRATOR_SORTS[sort];
  const sign = dir === "asc" ? 1 : -1;
  const cmp = (a: string | number | boolean, b: string | number | boolean): number => {
    if (kind === "decimal") return compareDecimal(a as string, b as string);
    if (kind === "text") {
      const x = (a as string).toLowerCase();
      const y = (b as string).toLowerCase();
      return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
    }
    return Number(a) - Number(b);
  };
  return [...rows].sort((a, b) => {
    const x = sortValue(a, sort);
    const y = sortValue(b, sort);
    if (x === null || y === null) {
      if (x !== y) return x === null ? 1 : -1;
    } else {
      const c = cmp(x, y);
      if (c !== 0) return sign * c;
    }
    return a.address < b.address ? -1 : a.address > b.address ? 1 : 0;
  });
}

/**
 * The table: on-chain rows and fees, the job figures of one pair (`pair`; with `narrow`, only
 * orchestrators that have its jobs), what each advertises at the newest poll, and its public-probe
 * columns (`probes`, computed for every orchestrator at once by probe-figures.server.ts).
 */
export async function listOrchestrators(
  q: Querier,
  p: { latestDay: string; sort: OrchestratorSort; dir: SortDir; range: DayRange; pair: ChosenPair; narrow: boolean; probes?: Map<string, ProbeColumns> },
): Promise<{ rows: OrchestratorJobRow[]; advertised: Omit<AdvertisedIndex, "byAddress"> }> {
  const mixed = mixesPairs(p.pair);
  const f = jobFilter(p.range, p.pair);
  const [chain, jobs, costs, withJobs, advertised] = await Promise.all([
    orchestratorRows(q, thirtyDayWindow(p.latestDay)),
    orchestratorJobs(q, f),
    mixed ? Promise.resolve(new Map()) : orchestratorVideoCosts(q, f),
    p.narrow || mixed ? Promise.resolve([]) : jobOrchestrators(q, p.range),
    advertisedIndex(q, p.pair.pipeline === LIVE_VIDEO_PIPELINE ? p.pair.model : null),
  ]);
  const stats = new Map(jobs.map((j) => [j.orchestrator, mixed ? withoutPercentiles(toJobStats(j)) : toJobStats(j)]));
  // Orchestrators known only from logs, with jobs in other pairs than the chosen one.
  for (const a of withJobs) if (!stats.has(a)) stats.set(a, EMPTY_JOB_STATS);
  const extra = (address: string) => ({
    ...videoCostStats(costs.get(address)),
    ...(advertised.byAddress.get(address) ?? NOT_ADVERTISED),
    ...(p.probes?.get(address) ?? NO_PROBES),
  });
  const rows: OrchestratorJobRow[] = [];
  const seen = new Set<string>();
  for (const r of chain) {
    seen.add(r.address);
    const s = stats.get(r.address);
    if (p.narrow && !s) continue;
    rows.push({ ...r, ...(s ?? EMPTY_JOB_STATS), ...extra(r.address) });
  }
  for (const [address, s] of stats) if (!seen.has(address)) rows.push({ ...logOnlyRow(address), ...s, ...extra(address) });
  return { rows: sortOrchestrators(rows, p.sort, p.dir), advertised: { asOf: advertised.asOf, usdRate: advertised.usdRate } };
}

/** One orchestrator's on-chain row and fees; a row of nulls when it is known only from job logs; null when unknown. */
export async function getOrchestrator(q: Querier, address: string, latestDay: string): Promise<OrchestratorRow | null> {
  const row = await orchestratorRow(q, address, thirtyDayWindow(latestDay));
  if (row) return row;
  return (await hasJobs(q, address)) ? logOnlyRow(address) : null;
}
