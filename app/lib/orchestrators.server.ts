// Orchestrators: every address that has a Transcoder row, has earned fees, or has logged jobs (one
// with fees or jobs but no Transcoder row still appears, with null on-chain fields). Fees come from
// the exact fee_day_orchestrator rollup: 30 days = the 30 days ending at the latest indexed day.
// Job columns (jobs, success rate, latency, expected fees) come from the job rollups over the job
// range and the pipeline/model filter; with a filter, only orchestrators with matching jobs are listed.
import type { Db } from "../../db/client";
import { orchestratorJobs } from "../../db/job-queries";
import { orchestratorVideoCosts, type OrchestratorCost } from "./cost.server";
import { addDays } from "./dates";
import { compareDecimal } from "./decimal";
import { badRequest } from "./http.server";
import { EMPTY_JOB_STATS, hasJobs, jobFilter, toJobStats, type JobStats, type PipelineModel } from "./jobs.server";
import { defaultDir, ORCHESTRATOR_SORTS, type OrchestratorSort, type SortDir } from "./orchestrator-sort";
import { param, type DayRange } from "./params.server";

export { defaultDir, ORCHESTRATOR_SORTS, type OrchestratorSort, type SortDir };

export interface OrchestratorRow {
  address: string;
  serviceUri: string | null;
  active: boolean | null;
  status: string | null;
  totalStake: string | null;
  feeSharePct: number | null;
  rewardCutPct: number | null;
  feesEth30d: string;
  feesEthTotal: string;
}

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

export type OrchestratorJobRow = OrchestratorRow & JobStats & VideoCostStats;

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

function listSql(where: string): string {
  return `with f as (
      select orchestrator, sum(volume_eth) as total,
             coalesce(sum(volume_eth) filter (where day between $1::date and $2::date), 0) as d30
        from fee_day_orchestrator ${where ? "where orchestrator = $3" : ""} group by orchestrator
    ), r as (
      select coalesce(t.address, f.orchestrator) as address, t.service_uri, t.active, t.status, t.total_stake,
             t.fee_share, t.reward_cut, coalesce(f.d30, 0) as fees_30d, coalesce(f.total, 0) as fees_total
        from (select * from transcoders ${where ? "where address = $3" : ""}) t
        full outer join f on f.orchestrator = t.address
    )
    select address, service_uri, active, status, trim_scale(total_stake)::text as total_stake,
           trim_scale(fee_share / 10000)::text as fee_share_pct, trim_scale(reward_cut / 10000)::text as reward_cut_pct,
           trim_scale(fees_30d)::text as fees_30d, trim_scale(fees_total)::text as fees_total
      from r order by address`;
}

type SqlRow = {
  address: string; service_uri: string | null; active: boolean | null; status: string | null; total_stake: string | null;
  fee_share_pct: string | null; reward_cut_pct: string | null; fees_30d: string; fees_total: string;
};

const toRow = (r: SqlRow): OrchestratorRow => ({
  address: r.address,
  serviceUri: r.service_uri,
  active: r.active,
  status: r.status,
  totalStake: r.total_stake,
  feeSharePct: r.fee_share_pct === null ? null : Number(r.fee_share_pct),
  rewardCutPct: r.reward_cut_pct === null ? null : Number(r.reward_cut_pct),
  feesEth30d: r.fees_30d,
  feesEthTotal: r.fees_total,
});

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

export async function listOrchestrators(
  db: Db,
  q: { latestDay: string; sort: OrchestratorSort; dir: SortDir; range: DayRange; filter: PipelineModel },
): Promise<OrchestratorJobRow[]> {
  const w = thirtyDayWindow(q.latestDay);
  const [chain, jobs, costs] = await Promise.all([
    db.query<SqlRow>(listSql(""), [w.from, w.to]),
    orchestratorJobs(db, jobFilter(q.range, q.filter)),
    orchestratorVideoCosts(db, jobFilter(q.range, q.filter)),
  ]);
  const stats = new Map(jobs.map((j) => [j.orchestrator, toJobStats(j)]));
  const filtered = q.filter.pipeline !== null || q.filter.model !== null;
  const rows: OrchestratorJobRow[] = [];
  const seen = new Set<string>();
  for (const r of chain) {
    seen.add(r.address);
    const s = stats.get(r.address);
    if (filtered && !s) continue;
    rows.push({ ...toRow(r), ...(s ?? EMPTY_JOB_STATS), ...videoCostStats(costs.get(r.address)) });
  }
  for (const [address, s] of stats) if (!seen.has(address)) rows.push({ ...logOnlyRow(address), ...s, ...videoCostStats(costs.get(address)) });
  return sortOrchestrators(rows, q.sort, q.dir);
}

/** One orchestrator's on-chain row and fees; a row of nulls when it is known only from job logs; null when unknown. */
export async function getOrchestrator(db: Db, address: string, latestDay: string): Promise<OrchestratorRow | null> {
  const w = thirtyDayWindow(latestDay);
  const rows = await db.query<SqlRow>(listSql("one"), [w.from, w.to, address]);
  if (rows[0]) return toRow(rows[0]);
  return (await hasJobs(db, address)) ? logOnlyRow(address) : null;
}

export interface DailyFee {
  period: string;
  volumeEth: string;
  volumeUsd: string;
  tickets: number;
}

/** Daily fees of one orchestrator over [from, to], zero-filled, plus exact totals. */
export async function orchestratorSeries(
  db: Db,
  address: string,
  r: DayRange,
): Promise<{ series: DailyFee[]; totals: Omit<DailyFee, "period"> }> {
  const series = await db.query<DailyFee>(
    `select to_char(d, 'YYYY-MM-DD') as period, trim_scale(coalesce(f.volume_eth, 0))::text as "volumeEth",
            trim_scale(coalesce(f.volume_usd, 0))::text as "volumeUsd", coalesce(f.tickets, 0)::int as tickets
       from generate_series($1::date::timestamp, $2::date::timestamp, interval '1 day') as d
       left join fee_day_orchestrator f on f.day = d::date and f.orchestrator = $3
      order by d`,
    [r.from, r.to, address],
  );
  const [totals] = await db.query<Omit<DailyFee, "period">>(
    `select trim_scale(coalesce(sum(volume_eth), 0))::text as "volumeEth", trim_scale(coalesce(sum(volume_usd), 0))::text as "volumeUsd",
            coalesce(sum(tickets), 0)::int as tickets
       from fee_day_orchestrator where orchestrator = $3 and day between $1::date and $2::date`,
    [r.from, r.to, address],
  );
  return { series, totals };
}
