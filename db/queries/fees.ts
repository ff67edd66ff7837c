// Fee queries over the exact per-day rollups (fee_day_gateway / fee_day_orchestrator), never over raw
// tickets: totals, periods (day, ISO week, month, cumulative), growth against a baseline, the KPI
// windows and the breakdowns by gateway and orchestrator. Every sum, ratio and share is computed in
// SQL numeric and leaves as a decimal string; counts are ints; the only JS numbers are ratios
// (multiples, percentages) rounded in SQL. Any Querier; no driver.
import type { Querier } from "../client";
import type { DayRange, Interval } from "./params";

/** Fees from gateways tagged `subsidized` are "subsidised"; all others are "organic". */
export const SUBSIDIZED_TAG = "subsidized";

export interface Split {
  subsidizedEth: string;
  organicEth: string;
  subsidizedUsd: string;
  organicUsd: string;
}

export interface FeeTotals {
  volumeEth: string;
  volumeUsd: string;
  tickets: number;
  split: Split;
}

export interface FeeRow extends FeeTotals {
  period: string;
  /** Running totals from the first period of the range (only when asked for). */
  cumulative?: FeeTotals;
}

interface FeeSqlRow {
  period: string;
  tickets: number;
  eth: string;
  usd: string;
  sub_eth: string;
  org_eth: string;
  sub_usd: string;
  org_usd: string;
}

// Sums over fee_day_gateway `g` joined to its subsidised tag `t` (one tag per address).
const SUMS = `
  sum(g.tickets) as tickets,
  sum(g.volume_eth) as eth,
  sum(g.volume_usd) as usd,
  sum(g.volume_eth) filter (where t.address is not null) as sub_eth,
  sum(g.volume_eth) filter (where t.address is null) as org_eth,
  sum(g.volume_usd) filter (where t.address is not null) as sub_usd,
  sum(g.volume_usd) filter (where t.address is null) as org_usd`;
const TAG_JOIN = `left join gateway_tags t on t.address = g.gateway and t.tag = '${SUBSIDIZED_TAG}'`;
const VALUE_COLS = ["tickets", "eth", "usd", "sub_eth", "org_eth", "sub_usd", "org_usd"] as const;

function totalsOf(r: Omit<FeeSqlRow, "period">): FeeTotals {
  return {
    volumeEth: r.eth,
    volumeUsd: r.usd,
    tickets: r.tickets,
    split: { subsidizedEth: r.sub_eth, organicEth: r.org_eth, subsidizedUsd: r.sub_usd, organicUsd: r.org_usd },
  };
}

/** Exact totals over [from, to]. */
export async function feeTotals(q: Querier, r: DayRange): Promise<FeeTotals> {
  const [row] = await q.query<Omit<FeeSqlRow, "period">>(
    `with a as (select ${SUMS} from fee_day_gateway g ${TAG_JOIN} where g.day between $1::date and $2::date)
     select coalesce(tickets, 0)::int as tickets,
            ${VALUE_COLS.slice(1).map((c) => `trim_scale(coalesce(${c}, 0))::text as ${c}`).join(", ")}
       from a`,
    [r.from, r.to],
  );
  return totalsOf(row);
}

/**
 * One row per day, ISO week (labelled by its Monday) or month (labelled by its first day) that
 * meets [from, to]; edge periods count only days inside the range; empty periods are "0".
 */
export async function feesByPeriod(
  q: Querier,
  p: DayRange & { interval: Interval; cumulative?: boolean },
): Promise<{ rows: FeeRow[]; totals: FeeTotals }> {
  const rows = await q.query<FeeSqlRow & { [k: `cum_${string}`]: string | number }>(
    `with periods as (
       select gs::date as period
         from generate_series(date_trunc($3::text, $1::date::timestamp), $2::date::timestamp, ('1 ' || $3::text)::interval) as gs
     ),
     agg as (
       select date_trunc($3::text, g.day::timestamp)::date as period, ${SUMS}
         from fee_day_gateway g ${TAG_JOIN}
        where g.day between $1::date and $2::date
        group by 1
     ),
     j as (
       select p.period, ${VALUE_COLS.map((c) => `coalesce(a.${c}, 0) as ${c}`).join(", ")}
         from periods p left join agg a on a.period = p.period
     )
     select to_char(period, 'YYYY-MM-DD') as period, tickets::int as tickets,
            ${VALUE_COLS.slice(1).map((c) => `trim_scale(${c})::text as ${c}`).join(", ")},
            (sum(tickets) over w)::int as cum_tickets,
            ${VALUE_COLS.slice(1).map((c) => `trim_scale(sum(${c}) over w)::text as cum_${c}`).join(", ")}
       from j
     window w as (order by period rows between unbounded preceding and current row)
      order by period`,
    [p.from, p.to, p.interval],
  );
  const totals = await feeTotals(q, p);
  return {
    rows: rows.map((r) => {
      const row: FeeRow = { period: r.period, ...totalsOf(r) };
      if (p.cumulative) {
        row.cumulative = totalsOf({
          tickets: r.cum_tickets as number,
          eth: r.cum_eth as string,
          usd: r.cum_usd as string,
          sub_eth: r.cum_sub_eth as string,
          org_eth: r.cum_org_eth as string,
          sub_usd: r.cum_sub_usd as string,
          org_usd: r.cum_org_usd as string,
        });
      }
      return row;
    }),
    totals,
  };
}

// ---------------------------------------------------------------------------------------------
// Growth: daily average over a period vs a baseline.

export interface SubsidyWindow {
  address: string;
  label: string | null;
  from: string;
  /** null while the window is open. */
  to: string | null;
}

/** Subsidised gateways' tag windows, the latest first. */
export async function subsidyWindows(q: Querier): Promise<SubsidyWindow[]> {
  return q.query<SubsidyWindow>(
    `select address, label, to_char(period_from, 'YYYY-MM-DD') as "from", to_char(period_to, 'YYYY-MM-DD') as "to"
       from gateway_tags where tag = $1 and period_from is not null order by period_from desc, address`,
    [SUBSIDIZED_TAG],
  );
}

export interface GrowthWindow extends DayRange {
  days: number;
  volumeEth: string;
  dailyAvgEth: string;
  subsidizedEth: string;
  organicEth: string;
  organicDailyAvgEth: string;
}

export interface Growth {
  baseline: GrowthWindow;
  period: GrowthWindow;
  /** period daily average / baseline daily average, 3 decimals; null when the baseline is zero. */
  multiple: number | null;
  organicMultiple: number | null;
}

// Divide with 40 decimals before rounding to 18, so the rounding is exact for day counts.
const avg = (x: string, d: string) => `trim_scale(round(${x}::numeric(1000, 40) / ${d}, 18))::text`;
const ratio = (pe: string, pd: string, be: string, bd: string) =>
  `trim_scale(round((${pe} * ${bd})::numeric(1000, 40) / nullif(${be} * ${pd}, 0), 3))::text`;

export async function growth(q: Querier, w: { baseline: DayRange; period: DayRange }): Promise<Growth> {
  type S = { days: number; eth: string; avg: string; sub_eth: string; org_eth: string; org_avg: string };
  const [r] = await q.query<{ b: S; p: S; multiple: string | null; organic_multiple: string | null }>(
    `with w(name, f, t) as (values ('baseline', $1::date, $2::date), ('period', $3::date, $4::date)),
     s as (
       select w.name, (w.t - w.f + 1) as days,
              coalesce(sum(g.volume_eth), 0) as eth,
              coalesce(sum(g.volume_eth) filter (where t.address is not null), 0) as sub_eth,
              coalesce(sum(g.volume_eth) filter (where g.gateway is not null and t.address is null), 0) as org_eth
         from w
         left join fee_day_gateway g on g.day between w.f and w.t
         ${TAG_JOIN}
        group by w.name, w.f, w.t
     )
     select json_build_object('days', b.days, 'eth', trim_scale(b.eth)::text, 'avg', ${avg("b.eth", "b.days")},
                              'sub_eth', trim_scale(b.sub_eth)::text, 'org_eth', trim_scale(b.org_eth)::text,
                              'org_avg', ${avg("b.org_eth", "b.days")}) as b,
            json_build_object('days', p.days, 'eth', trim_scale(p.eth)::text, 'avg', ${avg("p.eth", "p.days")},
                              'sub_eth', trim_scale(p.sub_eth)::text, 'org_eth', trim_scale(p.org_eth)::text,
                              'org_avg', ${avg("p.org_eth", "p.days")}) as p,
            ${ratio("p.eth", "p.days", "b.eth", "b.days")} as multiple,
            ${ratio("p.org_eth", "p.days", "b.org_eth", "b.days")} as organic_multiple
       from s b join s p on b.name = 'baseline' and p.name = 'period'`,
    [w.baseline.from, w.baseline.to, w.period.from, w.period.to],
  );
  const win = (range: DayRange, s: S): GrowthWindow => ({
    from: range.from,
    to: range.to,
    days: Number(s.days),
    volumeEth: s.eth,
    dailyAvgEth: s.avg,
    subsidizedEth: s.sub_eth,
    organicEth: s.org_eth,
    organicDailyAvgEth: s.org_avg,
  });
  return {
    baseline: win(w.baseline, r.b),
    period: win(w.period, r.p),
    multiple: r.multiple === null ? null : Number(r.multiple),
    organicMultiple: r.organic_multiple === null ? null : Number(r.organic_multiple),
  };
}

// ---------------------------------------------------------------------------------------------
// KPI cards: the last 7 and 30 days vs the window of equal length just before.

export interface KpiWindow extends DayRange {
  days: number;
  volumeEth: string;
  volumeUsd: string;
  tickets: number;
  previous: DayRange & { volumeEth: string; volumeUsd: string; tickets: number };
  /** % change vs previous, 1 decimal; null when the previous window is zero. */
  changePct: { volumeEth: number | null; volumeUsd: number | null; tickets: number | null };
}

export async function feeSummary(q: Querier, latestDay: string): Promise<KpiWindow[]> {
  const rows = await q.query<{
    days: number; f: string; t: string; tickets: number; eth: string; usd: string;
    pf: string; pt: string; p_tickets: number; p_eth: string; p_usd: string;
    eth_pct: string | null; usd_pct: string | null; tickets_pct: string | null;
  }>(
    `with w(days, prev, f, t) as (
       values (7, false, $1::date - 6, $1::date), (7, true, $1::date - 13, $1::date - 7),
              (30, false, $1::date - 29, $1::date), (30, true, $1::date - 59, $1::date - 30)
     ),
     s as (
       select w.days, w.prev, w.f, w.t, coalesce(sum(g.tickets), 0) as tickets,
              coalesce(sum(g.volume_eth), 0) as eth, coalesce(sum(g.volume_usd), 0) as usd
         from w left join fee_day_gateway g on g.day between w.f and w.t
        group by w.days, w.prev, w.f, w.t
     )
     select c.days, to_char(c.f, 'YYYY-MM-DD') as f, to_char(c.t, 'YYYY-MM-DD') as t, c.tickets::int as tickets,
            trim_scale(c.eth)::text as eth, trim_scale(c.usd)::text as usd,
            to_char(p.f, 'YYYY-MM-DD') as pf, to_char(p.t, 'YYYY-MM-DD') as pt, p.tickets::int as p_tickets,
            trim_scale(p.eth)::text as p_eth, trim_scale(p.usd)::text as p_usd,
            trim_scale(round((c.eth - p.eth) * 100 / nullif(p.eth, 0), 1))::text as eth_pct,
            trim_scale(round((c.usd - p.usd) * 100 / nullif(p.usd, 0), 1))::text as usd_pct,
            trim_scale(round((c.tickets - p.tickets)::numeric * 100 / nullif(p.tickets, 0), 1))::text as tickets_pct
       from s c join s p on p.days = c.days and p.prev and not c.prev
      order by c.days`,
    [latestDay],
  );
  const num = (x: string | null) => (x === null ? null : Number(x));
  return rows.map((r) => ({
    days: r.days,
    from: r.f,
    to: r.t,
    volumeEth: r.eth,
    volumeUsd: r.usd,
    tickets: r.tickets,
    previous: { from: r.pf, to: r.pt, volumeEth: r.p_eth, volumeUsd: r.p_usd, tickets: r.p_tickets },
    changePct: { volumeEth: num(r.eth_pct), volumeUsd: num(r.usd_pct), tickets: num(r.tickets_pct) },
  }));
}

// ---------------------------------------------------------------------------------------------
// Fees by gateway and by orchestrator over a range.

export interface GatewayFees {
  address: string;
  tag: string | null;
  label: string | null;
  subsidized: boolean;
  tickets: number;
  volumeEth: string;
  volumeUsd: string;
  /** Share of the range's ETH volume in %, 2 decimals; null when the total is zero. */
  sharePct: number | null;
}

export async function feesByGateway(q: Querier, r: DayRange): Promise<GatewayFees[]> {
  const rows = await q.query<{ address: string; tag: string | null; label: string | null; tickets: number; eth: string; usd: string; share: string | null }>(
    `with f as (
       select gateway, sum(tickets) as tickets, sum(volume_eth) as eth, sum(volume_usd) as usd
         from fee_day_gateway where day between $1::date and $2::date group by gateway
     ), tot as (select sum(eth) as eth from f)
     select f.gateway as address, t.tag, t.label, f.tickets::int as tickets,
            trim_scale(f.eth)::text as eth, trim_scale(f.usd)::text as usd,
            trim_scale(round(f.eth * 100 / nullif(tot.eth, 0), 2))::text as share
       from f cross join tot left join gateway_tags t on t.address = f.gateway
      order by f.eth desc, f.gateway`,
    [r.from, r.to],
  );
  return rows.map((x) => ({
    address: x.address,
    tag: x.tag,
    label: x.label,
    subsidized: x.tag === SUBSIDIZED_TAG,
    tickets: x.tickets,
    volumeEth: x.eth,
    volumeUsd: x.usd,
    sharePct: x.share === null ? null : Number(x.share),
  }));
}

export interface OrchestratorFees {
  address: string;
  serviceUri: string | null;
  tickets: number;
  volumeEth: string;
  volumeUsd: string;
  sharePct: number | null;
}

export async function feesByOrchestrator(q: Querier, r: DayRange): Promise<OrchestratorFees[]> {
  const rows = await q.query<{ address: string; service_uri: string | null; tickets: number; eth: string; usd: string; share: string | null }>(
    `with f as (
       select orchestrator, sum(tickets) as tickets, sum(volume_eth) as eth, sum(volume_usd) as usd
         from fee_day_orchestrator where day between $1::date and $2::date group by orchestrator
     ), tot as (select sum(eth) as eth from f)
     select f.orchestrator as address, tr.service_uri, f.tickets::int as tickets,
            trim_scale(f.eth)::text as eth, trim_scale(f.usd)::text as usd,
            trim_scale(round(f.eth * 100 / nullif(tot.eth, 0), 2))::text as share
       from f cross join tot left join transcoders tr on tr.address = f.orchestrator
      order by f.eth desc, f.orchestrator`,
    [r.from, r.to],
  );
  return rows.map((x) => ({
    address: x.address,
    serviceUri: x.service_uri,
    tickets: x.tickets,
    volumeEth: x.eth,
    volumeUsd: x.usd,
    sharePct: x.share === null ? null : Number(x.share),
  }));
}
