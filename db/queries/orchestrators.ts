// Orchestrator queries: the on-chain Transcoder rows with their realized fees (fee_day_orchestrator,
// over a 30-day window and all time), one orchestrator's daily fees, and service URIs by address.
// An address with fees but no Transcoder row still appears, with null on-chain fields. Decimals
// leave as exact strings. Any Querier; no driver.
import type { Querier } from "../client";
import type { DayRange } from "./params";

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

/** Every orchestrator with a Transcoder row or fees, by address; feesEth30d sums over `window30d`. */
export async function orchestratorRows(q: Querier, window30d: DayRange): Promise<OrchestratorRow[]> {
  const rows = await q.query<SqlRow>(listSql(""), [window30d.from, window30d.to]);
  return rows.map(toRow);
}

/** One orchestrator's row (address lower-case), or null when it has neither a Transcoder row nor fees. */
export async function orchestratorRow(q: Querier, address: string, window30d: DayRange): Promise<OrchestratorRow | null> {
  const rows = await q.query<SqlRow>(listSql("one"), [window30d.from, window30d.to, address]);
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
  q: Querier,
  address: string,
  r: DayRange,
): Promise<{ series: DailyFee[]; totals: Omit<DailyFee, "period"> }> {
  const series = await q.query<DailyFee>(
    `select to_char(d, 'YYYY-MM-DD') as period, trim_scale(coalesce(f.volume_eth, 0))::text as "volumeEth",
            trim_scale(coalesce(f.volume_usd, 0))::text as "volumeUsd", coalesce(f.tickets, 0)::int as tickets
       from generate_series($1::date::timestamp, $2::date::timestamp, interval '1 day') as d
       left join fee_day_orchestrator f on f.day = d::date and f.orchestrator = $3
      order by d`,
    [r.from, r.to, address],
  );
  const [totals] = await q.query<Omit<DailyFee, "period">>(
    `select trim_scale(coalesce(sum(volume_eth), 0))::text as "volumeEth", trim_scale(coalesce(sum(volume_usd), 0))::text as "volumeUsd",
            coalesce(sum(tickets), 0)::int as tickets
       from fee_day_orchestrator where orchestrator = $3 and day between $1::date and $2::date`,
    [r.from, r.to, address],
  );
  return { series, totals };
}

/** Service URIs of the given addresses that have a Transcoder row (no query for an empty list). */
export async function serviceUris(q: Querier, addresses: string[]): Promise<Map<string, string | null>> {
  const uris = new Map<string, string | null>();
  if (!addresses.length) return uris;
  const rows = await q.query<{ address: string; service_uri: string | null }>(
    `select address, service_uri from transcoders where address = any($1::text[])`,
    [addresses],
  );
  for (const r of rows) uris.set(r.address, r.service_uri);
  return uris;
}
