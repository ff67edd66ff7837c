// Live video-to-video figures from gateway events (db/schema-gateway.ts), read from the daily rollups
// only: sessions and their startup latency histograms (live_session_day),
// delivered/input frame-rate ratio (live_fps_day) and what was paid per second of video (live_pay_day). Every orchestrator is named by its canonical address where
// orch_aliases resolves the hot wallet or URL an event carried, else by that name (kept visible).
import type { Querier } from "../client";
import type { DayRange } from "./params";

/** Live figures over a range of UTC days, for one model (null: every model). */
export interface LiveFilter extends DayRange {
  modelId: string | null;
  orchestrator?: string;
}

export interface LiveSessionRow {
  /** Canonical address, or the unresolved name ('' for sessions no orchestrator ever took). */
  orchestrator: string;
  sessions: number;
  startupSamples: number;
  /** Startup latency histogram (core/latency-histogram.ts buckets). */
  startup: Map<number, number>;
  /** Frame-rate ratio (delivered / input) histogram: status samples per hundredth. */
  fps: Map<number, number>;
  swaps: number;
  errors: number;
  noOrchestrator: number;
}

const RESOLVE = `left join orch_aliases a on a.alias = s.orch`;
const ORCH = `coalesce(a.address, s.orch)`;

/** Rollup rows of the range, model and orchestrator (all rollups share day, orch, model_id). */
function rollupWhere(f: LiveFilter): { sql: string; params: unknown[] } {
  const params: unknown[] = [f.from, f.to];
  let sql = `s.day between $1::date and $2::date`;
  if (f.modelId !== null) {
    params.push(f.modelId);
    sql += ` and s.model_id = $${params.length}`;
  }
  if (f.orchestrator) {
    params.push(f.orchestrator.toLowerCase());
    sql += ` and ${ORCH} = $${params.length}`;
  }
  return { sql, params };
}

/** "1,2,3" (array_to_string of an int array) to numbers. */
function ints(text: string): number[] {
  return text ? text.split(",").map(Number) : [];
}

/**
 * Sessions per orchestrator (resolved) with their startup and frame-rate ratio histograms, and the
 * network as their sum: one record per day, alias and model (the histograms are sparse arrays,
 * merged here). The records come back as one text value: on PGlite, materialising thousands of
 * result rows costs several times more than the query (measured: 3,000 rows 223 ms, one text 66 ms).
 */
export async function liveSessions(q: Querier, f: LiveFilter): Promise<{ rows: LiveSessionRow[]; network: LiveSessionRow }> {
  const w = rollupWhere(f);
  // Each side narrowed to the range and model before the join (the orchestrator needs the alias join).
  const inner = `s.day between $1::date and $2::date${f.modelId !== null ? " and s.model_id = $3" : ""}`;
  const [r] = await q.query<{ records: string | null }>(
    `select string_agg(concat_ws(';', replace(replace(replace(${ORCH}, '\\', '\\\\'), '|', '\\p'), ';', '\\s'), coalesce(s.sessions, 0), coalesce(s.startups, 0), coalesce(s.swaps, 0), coalesce(s.errors, 0),
                                 coalesce(s.no_orchestrator, 0), array_to_string(s.startup_buckets, ','), array_to_string(s.startup_counts, ','),
                                 array_to_string(s.ratio_centis, ','), array_to_string(s.ratio_counts, ',')), '|') as records
       from (select coalesce(d.day, p.day) as day, coalesce(d.orch, p.orch) as orch, coalesce(d.model_id, p.model_id) as model_id,
                    d.sessions, d.startups, d.swaps, d.errors, d.no_orchestrator,
                    coalesce(d.startup_buckets, '{}') as startup_buckets, coalesce(d.startup_counts, '{}') as startup_counts,
                    coalesce(p.ratio_centis, '{}') as ratio_centis, coalesce(p.ratio_counts, '{}') as ratio_counts
               from (select * from live_session_day s where ${inner}) d
               full join (select * from live_fps_day s where ${inner}) p on p.day = d.day and p.orch = d.orch and p.model_id = d.model_id) s
       ${RESOLVE} where ${w.sql}`,
    w.params,
  );
  const empty = (orchestrator: string): LiveSessionRow => ({
    orchestrator, sessions: 0, startupSamples: 0, startup: new Map(), fps: new Map(), swaps: 0, errors: 0, noOrchestrator: 0,
  });
  const network = empty("");
  const byOrch = new Map<string, LiveSessionRow>();
  // Names are escaped in SQL (\\ for a backslash, \\p for '|', \\s for ';'), so records and fields split plainly.
  for (const record of r?.records ? r.records.split("|") : []) {
    const f = record.split(";");
    const orchestrator = f[0].replace(/\\(.)/g, (_, c: string) => (c === "p" ? "|" : c === "s" ? ";" : c));
    const f9 = f.slice(1);
    let o = byOrch.get(orchestrator);
    if (!o) byOrch.set(orchestrator, (o = empty(orchestrator)));
    const [sessions, startups, swaps, errors, noOrch] = f9.slice(0, 5).map(Number);
    const buckets = ints(f9[5]);
    const counts = ints(f9[6]);
    const centis = ints(f9[7]);
    const samples = ints(f9[8]);
    for (const x of [o, network]) {
      x.sessions += sessions;
      x.startupSamples += startups;
      x.swaps += swaps;
      x.errors += errors;
      x.noOrchestrator += noOrch;
      for (let i = 0; i < buckets.length; i++) x.startup.set(buckets[i], (x.startup.get(buckets[i]) ?? 0) + counts[i]);
      for (let i = 0; i < centis.length; i++) x.fps.set(centis[i], (x.fps.get(centis[i]) ?? 0) + samples[i]);
    }
  }
  return { rows: [...byOrch.values()].filter((x) => x.orchestrator !== "" && (x.sessions > 0 || x.fps.size > 0)), network };
}

export interface LivePaymentRow {
  /** null: the network (every orchestrator). */
  orchestrator: string | null;
  payments: number;
  /** Payments whose session was never seen (model ''). */
  unmatched: number;
  feeWei: string;
  billableSecs: string;
  /** Sum of fee (wei) x that day's USD per ETH: USD x 1e18, exact. null when a day had no rate. */
  usdWei: string | null;
}

/**
 * Payments of live sessions (create_signed_ticket) per orchestrator and for the network: exact fees
 * (wei), billable seconds, and USD at each payment day's rate (`usdPerEth`: the rate of each day of
 * the range, decimal text; a day without one makes usdWei null). A payment's model is its session's
 * (by request id); payments whose session was never seen have model '' and count under every-model
 * figures only, reported as unmatched.
 */
export async function livePayments(q: Querier, f: LiveFilter, usdPerEth: { day: string; rate: string | null }[]): Promise<LivePaymentRow[]> {
  const w = rollupWhere(f);
  const n = w.params.length;
  const rows = await q.query<{ orchestrator: string | null; payments: string; unmatched: string; fee: string; secs: string; usd: string | null; missing: string; grp: number }>(
    `select ${ORCH} as orchestrator, sum(s.payments) as payments, coalesce(sum(s.payments) filter (where s.model_id = ''), 0) as unmatched,
            sum(s.fee_wei)::text as fee, sum(s.billable_secs)::text as secs, sum(s.fee_wei * r.rate)::text as usd,
            count(*) filter (where r.rate is null) as missing, grouping(${ORCH}) as grp
       from live_pay_day s ${RESOLVE}
       left join unnest($${n + 1}::date[], $${n + 2}::numeric[]) as r(day, rate) on r.day = s.day
      where ${w.sql}
      group by grouping sets ((${ORCH}), ()) having sum(s.payments) > 0`,
    [...w.params, usdPerEth.map((r) => r.day), usdPerEth.map((r) => r.rate)],
  );
  return rows.map((r) => ({
    orchestrator: Number(r.grp) === 1 ? null : r.orchestrator,
    payments: Number(r.payments),
    unmatched: Number(r.unmatched),
    feeWei: r.fee,
    billableSecs: r.secs,
    usdWei: Number(r.missing) > 0 ? null : r.usd,
  }));
}

/** Which of these names are canonical addresses (known to the capabilities or the subgraph). */
export async function canonicalNames(q: Querier, names: string[]): Promise<Set<string>> {
  if (!names.length) return new Set();
  const rows = await q.query<{ x: string }>(
    `select x from unnest($1::text[]) as x
      where exists (select 1 from orch_aliases where address = x) or exists (select 1 from transcoders where address = x)`,
    [names],
  );
  return new Set(rows.map((r) => r.x));
}

/** Models of live sessions over the range, busiest first (the page's default is the first). */
export async function liveModels(q: Querier, range: DayRange): Promise<{ modelId: string; sessions: number }[]> {
  const rows = await q.query<{ model_id: string; sessions: string }>(
    `select model_id, sum(sessions) as sessions from live_session_day
      where day between $1::date and $2::date and model_id <> ''
      group by 1 having sum(sessions) > 0 order by 2 desc, 1`,
    [range.from, range.to],
  );
  return rows.map((r) => ({ modelId: r.model_id, sessions: Number(r.sessions) }));
}

/** The newest day with live events, for default windows. */
export async function latestLiveDay(q: Querier): Promise<string | null> {
  const [r] = await q.query<{ day: string | null }>(`select ((max(first_at) at time zone 'UTC')::date)::text as day from live_sessions`);
  return r?.day ?? null;
}
