// Orchestrators: every address that has a Transcoder row or has earned fees (an orchestrator with
// fees but no Transcoder row still appears, with null on-chain fields). Fees come from the exact
// fee_day_orchestrator rollup: 30 days = the 30 days ending at the latest indexed day.
import type { Db } from "../../db/client";
import { addDays } from "./dates";
import { badRequest } from "./http.server";
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

function listSql(where: string, order: string): string {
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
      from r ${order}`;
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

export async function listOrchestrators(
  db: Db,
  q: { latestDay: string; sort: OrchestratorSort; dir: SortDir },
): Promise<OrchestratorRow[]> {
  const w = thirtyDayWindow(q.latestDay);
  // The sort column comes from a fixed map, never from the request text.
  const col = ORCHESTRATOR_SORTS[q.sort];
  const dir = q.dir === "asc" ? "asc" : "desc";
  const rows = await db.query<SqlRow>(listSql("", `order by r.${col} ${dir} nulls last, r.address asc`), [w.from, w.to]);
  return rows.map(toRow);
}

export async function getOrchestrator(db: Db, address: string, latestDay: string): Promise<OrchestratorRow | null> {
  const w = thirtyDayWindow(latestDay);
  const rows = await db.query<SqlRow>(listSql("one", ""), [w.from, w.to, address]);
  return rows[0] ? toRow(rows[0]) : null;
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
