// Public probes (db/schema-probes.ts) for the leaderboard and an orchestrator's probe history. Windows
// are on each probe's own timestamp, inclusive at both ends, in whole seconds. Sums over a window are
// exact: whole UTC days inside it come from probe_day, the partial days at its edges from the probes
// themselves, so a window of any two instants gives the same sums as a scan of every probe in it.
// The official median is always percentile_cont over the probes in the window (exact); a day's
// median comes from probe_median_day (kept exact at ingest). Round-trip percentiles come from the
// histograms (buckets of core/latency-histogram.ts: within 1%). Large answers come back as one text
// value: PGlite materialises many rows far slower than it runs the query.
import type { Querier } from "../client";

/** Probes in [from, to] (ISO instants, inclusive), narrowed by what is given. pipeline and model go together. */
export interface ProbeFilter {
  from: string;
  to: string;
  region?: string | null;
  pipeline?: string | null;
  model?: string | null;
  orchestrator?: string | null;
  /** Several orchestrators at once (the compare page); with `orchestrator`, both apply. */
  orchestrators?: readonly string[] | null;
}

/** Sums of one orchestrator in one region over a window or a period. */
export interface ProbeSums {
  orchestrator: string;
  region: string;
  probes: number;
  successSum: number;
  rttSum: number;
  warm: number;
  okProbes: number;
}

const DAY_MS = 86_400_000;

/** The UTC days [from, to] touches, as a probe_day condition on alias d ($1, $2). */
const TOUCHED_DAYS = `d.day >= ($1::timestamptz at time zone 'UTC')::date and d.day <= ($2::timestamptz at time zone 'UTC')::date`;

/** The whole UTC days inside [from, to] ([d0, d1) as 'YYYY-MM-DD', or null) and the instants where they start and end. */
export function splitWindow(from: string, to: string): { d0: string; d1: string; d0At: string; d1At: string } | null {
  const f = Date.parse(from);
  const t = Date.parse(to) + 1000; // the last second counts whole
  const d0 = Math.ceil(f / DAY_MS) * DAY_MS;
  const d1 = Math.floor(t / DAY_MS) * DAY_MS;
  if (d0 >= d1) return null;
  const iso = (ms: number) => new Date(ms).toISOString();
  return { d0: iso(d0).slice(0, 10), d1: iso(d1).slice(0, 10), d0At: iso(d0), d1At: iso(d1) };
}

/** `and ...` conditions on region, pipeline, model and orchestrator of table alias `t`, appending to params. */
function narrow(f: ProbeFilter, params: unknown[], t: string): string {
  let sql = "";
  const add = (col: string, v: unknown) => {
    params.push(v);
    sql += ` and ${t}.${col} = $${params.length}`;
  };
  if (f.region) add("region", f.region);
  if (f.pipeline && f.model) {
    add("pipeline", f.pipeline);
    add("model", f.model);
  }
  if (f.orchestrator) add("orchestrator", f.orchestrator.toLowerCase());
  if (f.orchestrators) {
    params.push(f.orchestrators.map((o) => o.toLowerCase()));
    sql += ` and ${t}.orchestrator = any($${params.length}::text[])`;
  }
  return sql;
}

/** Rows of the window: probe_day for its whole days (alias d), probes for its edges (alias p); `rawOnly` reads probes alone. */
function parts(f: ProbeFilter, params: unknown[]): { days: string | null; raw: string } {
  const split = splitWindow(f.from, f.to);
  params.push(f.from, f.to);
  const [pf, pt] = [params.length - 1, params.length];
  if (!split) return { days: null, raw: `p.at >= $${pf}::timestamptz and p.at <= $${pt}::timestamptz${narrow(f, params, "p")}` };
  params.push(split.d0, split.d1, split.d0At, split.d1At);
  const n = params.length;
  const days = `d.day >= $${n - 3}::date and d.day < $${n - 2}::date${narrow(f, params, "d")}`;
  const raw = `((p.at >= $${pf}::timestamptz and p.at < $${n - 1}::timestamptz) or (p.at >= $${n}::timestamptz and p.at <= $${pt}::timestamptz))${narrow(f, params, "p")}`;
  return { days, raw };
}

/** Sums per orchestrator and region over the window (exact). */
export async function windowSums(q: Querier, f: ProbeFilter): Promise<ProbeSums[]> {
  const params: unknown[] = [];
  const w = parts(f, params);
  const dayPart = w.days
    ? `select d.orchestrator, d.region, d.probes::bigint as n, d.success_sum as s, d.rtt_sum as rt, d.warm::bigint as warm, d.ok_probes::bigint as ok
         from probe_day d where ${w.days}
       union all`
    : "";
  const [r] = await q.query<{ t: string | null }>(
    `select string_agg(concat_ws(' ', orchestrator, region, n, s::text, rt::text, warm, ok), '|') as t from (
       select orchestrator, region, sum(n)::bigint as n, sum(s) as s, sum(rt) as rt, sum(warm)::bigint as warm, sum(ok)::bigint as ok from (
         ${dayPart}
         select p.orchestrator, p.region, count(*) as n, sum(p.success_rate) as s, sum(p.round_trip_s) as rt, count(*) filter (where p.warm) as warm,
                count(p.rtt_bucket) as ok
           from probes p where ${w.raw} group by 1, 2) x
       group by 1, 2) y`,
    params,
  );
  if (!r?.t) return [];
  // Orchestrators are hex addresses and regions short ids (checked at ingest): no separator inside a field.
  return r.t.split("|").map((rec) => {
    const [orchestrator, region, n, s, rt, warm, ok] = rec.split(" ");
    return { orchestrator, region, probes: Number(n), successSum: Number(s), rttSum: Number(rt), warm: Number(warm), okProbes: Number(ok) };
  });
}

/** Round-trip histograms (ms buckets) of the ok probes over the window, per orchestrator (regions pooled) or per orchestrator and region. */
export async function windowHistograms(q: Querier, f: ProbeFilter, by: "orchestrator" | "orchestrator-region"): Promise<Map<string, Map<number, number>>> {
  const params: unknown[] = [];
  const w = parts(f, params);
  const key = by === "orchestrator" ? `orchestrator` : `orchestrator || ' ' || region`;
  const dayPart = w.days
    ? `select ${key.replace(/orchestrator|region/g, (c) => `d.${c}`)} as k, u.b, u.n::bigint as n
         from probe_day d, unnest(d.rtt_buckets, d.rtt_counts) as u(b, n) where ${w.days}
       union all`
    : "";
  const rows = await q.query<{ k: string; h: string }>(
    `select k, string_agg(b || ':' || n, ',') as h from (
       select k, b, sum(n)::bigint as n from (
         ${dayPart}
         select ${key.replace(/orchestrator|region/g, (c) => `p.${c}`)} as k, p.rtt_bucket as b, count(*) as n from probes p where ${w.raw} and p.rtt_bucket is not null group by 1, 2) x
       group by 1, 2) y group by k`,
    params,
  );
  const out = new Map<string, Map<number, number>>();
  for (const r of rows) {
    const h = new Map<number, number>();
    for (const pair of r.h.split(",")) {
      const [b, n] = pair.split(":");
      h.set(Number(b), Number(n));
    }
    out.set(r.k, h);
  }
  return out;
}

/**
 * The official median over the window: percentile_cont(0.5) of round_trip_time of every
 * orchestrator's probes with success_rate = 1 and round_trip_time <> 0, for the pipeline and model,
 * per region and over all regions (key ''). null where there is no such probe.
 */
export async function windowMedians(q: Querier, f: ProbeFilter): Promise<Map<string, { median: number | null; n: number }>> {
  const params: unknown[] = [f.from, f.to];
  const cond = narrow({ ...f, orchestrator: null, orchestrators: null }, params, "p");
  const rows = await q.query<{ region: string | null; median: number | null; n: number }>(
    `select p.region, percentile_cont(0.5) within group (order by p.round_trip_s) as median, count(*)::int as n
       from probes p
      where p.at >= $1::timestamptz and p.at <= $2::timestamptz and p.success_rate = 1 and p.round_trip_s <> 0${cond}
      group by grouping sets ((p.region), ())`,
    params,
  );
  const out = new Map<string, { median: number | null; n: number }>([["", { median: null, n: 0 }]]);
  for (const r of rows) out.set(r.region ?? "", { median: r.median === null ? null : Number(r.median), n: r.n });
  return out;
}

/** Whether any probe of this orchestrator is stored (its cursor counts them). */
export async function hasProbes(q: Querier, orchestrator: string): Promise<boolean> {
  const [r] = await q.query<{ n: number }>(`select count(*)::int as n from probe_cursors where orchestrator = $1 and probes > 0`, [orchestrator.toLowerCase()]);
  return r.n > 0;
}

/** The newest probe's timestamp (ISO), null without probes. */
export async function latestProbeAt(q: Querier): Promise<string | null> {
  const [r] = await q.query<{ at: string | null }>(`select max(at) as at from probes`);
  return r?.at ? new Date(r.at).toISOString() : null;
}

export interface PeriodSums extends ProbeSums {
  /** 'YYYY-MM-DD' (day) or an ISO instant (hour). */
  period: string;
  /** Round-trip histogram of the ok probes. */
  hist: Map<number, number>;
}

/**
 * Sums and histograms per day or hour, orchestrator and region, over whole periods whose start is in
 * [from, to]: days from probe_day, hours from the probes themselves (one probe per hour and group at
 * the testers' pace, so an hourly table would only copy them; schema-probes.ts).
 */
export async function periodSums(q: Querier, f: ProbeFilter, interval: "day" | "hour", withHistograms = true): Promise<PeriodSums[]> {
  const params: unknown[] = [f.from, f.to];
  let rows: string;
  if (interval === "day") {
    const cond = narrow(f, params, "t");
    rows = `select to_char(t.day, 'YYYY-MM-DD') as p, t.orchestrator, t.region, t.probes, t.success_sum, t.rtt_sum, t.warm, t.ok_probes,
                   ${withHistograms ? "t.rtt_buckets, t.rtt_counts" : "null::smallint[] as rtt_buckets, null::int[] as rtt_counts"}
              from probe_day t
             where t.day >= ($1::timestamptz at time zone 'UTC')::date and t.day <= ($2::timestamptz at time zone 'UTC')::date${cond}`;
  } else {
    const cond = narrow(f, params, "t");
    // One row per hour, orchestrator, region and round-trip bucket (null for probes that were not ok).
    rows = `select to_char(to_timestamp(floor(extract(epoch from t.at) / 3600) * 3600) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as p,
                   t.orchestrator, t.region, count(*)::int as probes, sum(t.success_rate) as success_sum, sum(t.round_trip_s) as rtt_sum,
                   (count(*) filter (where t.warm))::int as warm, count(t.rtt_bucket)::int as ok_probes,
                   case when ${withHistograms} and t.rtt_bucket is not null then array[t.rtt_bucket] else '{}'::smallint[] end as rtt_buckets,
                   case when ${withHistograms} and t.rtt_bucket is not null then array[count(*)::int] else '{}'::int[] end as rtt_counts
              from probes t
             where t.at >= to_timestamp(floor(extract(epoch from $1::timestamptz) / 3600) * 3600)
               and t.at < to_timestamp(floor(extract(epoch from $2::timestamptz) / 3600) * 3600 + 3600)${cond}
             group by 1, 2, 3, t.rtt_bucket`;
  }
  const [r] = await q.query<{ t: string | null }>(
    `with t as (${rows}),
          s as (select p, orchestrator, region, sum(probes)::bigint as n, sum(success_sum) as s, sum(rtt_sum) as rt, sum(warm)::bigint as warm,
                       sum(ok_probes)::bigint as ok from t group by 1, 2, 3),
          h as (select p, orchestrator, region, string_agg(b || ':' || c, ',') as h
                  from (select p, orchestrator, region, u.b, sum(u.c)::bigint as c from t, unnest(t.rtt_buckets, t.rtt_counts) as u(b, c)
                         where ${withHistograms} group by 1, 2, 3, 4) z
                 group by 1, 2, 3)
     select string_agg(concat_ws(' ', s.p, s.orchestrator, s.region, s.n, s.s::text, s.rt::text, s.warm, s.ok, coalesce(h.h, '')), '|') as t
       from s left join h using (p, orchestrator, region)`,
    params,
  );
  if (!r?.t) return [];
  return r.t.split("|").map((rec) => {
    const [period, orchestrator, region, n, s, rt, warm, ok, h] = rec.split(" ");
    const hist = new Map<number, number>();
    if (h) for (const pair of h.split(",")) hist.set(Number(pair.split(":")[0]), Number(pair.split(":")[1]));
    return { period, orchestrator, region, probes: Number(n), successSum: Number(s), rttSum: Number(rt), warm: Number(warm), okProbes: Number(ok), hist };
  });
}

/** Daily sums of one orchestrator in one region (arrays in day order). */
export interface DailySums {
  orchestrator: string;
  region: string;
  days: string[];
  probes: number[];
  successSum: number[];
  rttSum: number[];
}

/**
 * Daily sums per orchestrator and region over the UTC days [from, to] touches (probe_day), one row
 * per orchestrator and region with its days as arrays: what the sparklines need, without
 * histograms, in a few hundred rows rather than one per day.
 */
export async function dailySums(q: Querier, f: ProbeFilter): Promise<DailySums[]> {
  const params: unknown[] = [f.from, f.to];
  const cond = narrow(f, params, "d");
  const rows = await q.query<{ orchestrator: string; region: string; days: string; n: string; s: string; rt: string }>(
    `select orchestrator, region, array_agg(day order by day)::text as days, array_agg(n order by day)::text as n,
            array_agg(s order by day)::text as s, array_agg(rt order by day)::text as rt
       from (${
         f.pipeline && f.model // one row per day, orchestrator and region already
           ? `select d.day, d.orchestrator, d.region, d.probes as n, d.success_sum as s, d.rtt_sum as rt from probe_day d where ${TOUCHED_DAYS}${cond}`
           : `select d.day, d.orchestrator, d.region, sum(d.probes)::bigint as n, sum(d.success_sum) as s, sum(d.rtt_sum) as rt
                from probe_day d where ${TOUCHED_DAYS}${cond} group by 1, 2, 3`
       }) x
      group by 1, 2`,
    params,
  );
  const list = (t: string) => (t.length > 2 ? t.slice(1, -1).split(",") : []);
  return rows.map((r) => ({
    orchestrator: r.orchestrator,
    region: r.region,
    days: list(r.days),
    probes: list(r.n).map(Number),
    successSum: list(r.s).map(Number),
    rttSum: list(r.rt).map(Number),
  }));
}

/** The official median per day (stored, exact) or per hour (percentile_cont over the probes), per region and all regions (''). */
export async function periodMedians(q: Querier, f: ProbeFilter, interval: "day" | "hour"): Promise<Map<string, Map<string, number | null>>> {
  if (!(f.pipeline && f.model)) return new Map();
  const rows =
    interval === "day"
      ? await q.query<{ p: string; region: string; median: number | null }>(
          `select to_char(day, 'YYYY-MM-DD') as p, region, median from probe_median_day
            where day >= ($1::timestamptz at time zone 'UTC')::date and day <= ($2::timestamptz at time zone 'UTC')::date and pipeline = $3 and model = $4`,
          [f.from, f.to, f.pipeline, f.model],
        )
      : await q.query<{ p: string; region: string | null; median: number | null }>(
          `select to_char(to_timestamp(floor(extract(epoch from at) / 3600) * 3600) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as p, region,
                  percentile_cont(0.5) within group (order by round_trip_s) as median
             from probes
            where at >= to_timestamp(floor(extract(epoch from $1::timestamptz) / 3600) * 3600) and at < to_timestamp(floor(extract(epoch from $2::timestamptz) / 3600) * 3600 + 3600)
              and pipeline = $3 and model = $4 and success_rate = 1 and round_trip_s <> 0
            group by grouping sets ((1, region), (1))`,
          [f.from, f.to, f.pipeline, f.model],
        );
  const out = new Map<string, Map<string, number | null>>();
  for (const r of rows) {
    const m = out.get(r.p) ?? new Map<string, number | null>();
    m.set(r.region ?? "", r.median === null ? null : Number(r.median));
    out.set(r.p, m);
  }
  return out;
}

/**
 * Pipeline-model pairs probed on the days the window touches (probe_day: a few thousand rows where
 * the probes of a day are tens of thousands), busiest first: the choices of the page's filter. With
 * `orchestrator` or `orchestrators`, the pairs of those orchestrators' probes only.
 */
export async function probedPairs(q: Querier, f: ProbeFilter): Promise<{ pipeline: string; model: string; probes: number }[]> {
  const params: unknown[] = [f.from, f.to];
  const cond = narrow({ from: f.from, to: f.to, region: f.region, orchestrator: f.orchestrator, orchestrators: f.orchestrators }, params, "d");
  const rows = await q.query<{ pipeline: string; model: string; n: number }>(
    `select d.pipeline, d.model, sum(d.probes)::bigint as n from probe_day d where ${TOUCHED_DAYS}${cond} group by 1, 2 order by 3 desc, 1, 2`,
    params,
  );
  return rows.map((r) => ({ pipeline: r.pipeline, model: r.model, probes: Number(r.n) }));
}

/** Regions probed on the days the window touches, and the names /api/regions gives them. */
export async function probedRegions(q: Querier, f: ProbeFilter): Promise<{ id: string; name: string }[]> {
  const rows = await q.query<{ id: string; name: string | null }>(
    `select x.region as id, (select min(name) from probe_regions r where r.id = x.region) as name
       from (select distinct d.region from probe_day d where ${TOUCHED_DAYS}) x order by 1`,
    [f.from, f.to],
  );
  return rows.map((r) => ({ id: r.id, name: r.name ?? r.id }));
}

export interface ProbeFailure {
  orchestrator: string;
  lastError: string;
  lastErrorAt: string;
  failures: number;
  polledUntil: string | null;
}

/** Orchestrators whose last probe query failed (their cursors wait), newest first, at most `limit`. */
export async function failingOrchestrators(q: Querier, limit = 200): Promise<ProbeFailure[]> {
  const rows = await q.query<{ orchestrator: string; last_error: string; last_error_at: string; failures: number; polled_until: string | null }>(
    `select orchestrator, last_error, last_error_at, failures, polled_until from probe_cursors where last_error is not null order by last_error_at desc, orchestrator limit $1`,
    [limit],
  );
  return rows.map((r) => ({
    orchestrator: r.orchestrator,
    lastError: r.last_error,
    lastErrorAt: new Date(r.last_error_at).toISOString(),
    failures: r.failures,
    polledUntil: r.polled_until ? new Date(r.polled_until).toISOString() : null,
  }));
}
