// Live video-to-video figures from gateway events (db/schema-gateway.ts): sessions and their startup
// latency (live_sessions), delivered/input frame-rate ratio (live_fps_day) and what was paid per
// second of video (live_tickets). Every orchestrator is named by its canonical address where
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
  startupP50: number | null;
  startupP95: number | null;
  startupP99: number | null;
  swaps: number;
  errors: number;
  noOrchestrator: number;
  restarts: number;
}

const RESOLVE = `left join orch_aliases a on a.alias = s.orch`;
const ORCH = `coalesce(a.address, s.orch)`;

function sessionWhere(f: LiveFilter): { sql: string; params: unknown[] } {
  const params: unknown[] = [f.from, f.to];
  let sql = `s.first_at >= $1::date and s.first_at < $2::date + 1`;
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

/** Per orchestrator, and the network as the row whose orchestrator is null (grouping sets). */
export async function liveSessions(q: Querier, f: LiveFilter): Promise<{ rows: LiveSessionRow[]; network: LiveSessionRow }> {
  const w = sessionWhere(f);
  const rows = await q.query<{
    orchestrator: string | null;
    sessions: string;
    samples: string;
    p: number[] | null;
    swaps: string;
    errors: string;
    no_orch: string;
    restarts: string;
    grp: number;
  }>(
    `select ${ORCH} as orchestrator, count(*) as sessions, count(s.startup_ms) as samples,
            percentile_cont(array[0.5, 0.95, 0.99]) within group (order by s.startup_ms) as p,
            sum(s.swaps) as swaps, sum(s.errors) as errors, sum(s.no_orchestrator) as no_orch, sum(s.restarts) as restarts,
            grouping(${ORCH}) as grp
       from live_sessions s ${RESOLVE}
      where ${w.sql}
      group by grouping sets ((${ORCH}), ())`,
    w.params,
  );
  const toRow = (r: (typeof rows)[number]): LiveSessionRow => ({
    orchestrator: r.orchestrator ?? "",
    sessions: Number(r.sessions),
    startupSamples: Number(r.samples),
    startupP50: r.p?.[0] ?? null,
    startupP95: r.p?.[1] ?? null,
    startupP99: r.p?.[2] ?? null,
    swaps: Number(r.swaps ?? 0),
    errors: Number(r.errors ?? 0),
    noOrchestrator: Number(r.no_orch ?? 0),
    restarts: Number(r.restarts ?? 0),
  });
  const net = rows.find((r) => Number(r.grp) === 1);
  const empty: LiveSessionRow = { orchestrator: "", sessions: 0, startupSamples: 0, startupP50: null, startupP95: null, startupP99: null, swaps: 0, errors: 0, noOrchestrator: 0, restarts: 0 };
  return { rows: rows.filter((r) => Number(r.grp) === 0).map(toRow), network: net ? { ...toRow(net), orchestrator: "" } : empty };
}

/** Frame-rate ratio histogram (hundredths) per orchestrator over the range. */
export async function liveFpsHistogram(q: Querier, f: LiveFilter): Promise<{ orchestrator: string; ratioCenti: number; samples: number }[]> {
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
  const rows = await q.query<{ orchestrator: string; ratio_centi: number; samples: string }>(
    `select ${ORCH} as orchestrator, s.ratio_centi, sum(s.samples) as samples
       from live_fps_day s ${RESOLVE} where ${sql} group by 1, 2 order by 1, 2`,
    params,
  );
  return rows.map((r) => ({ orchestrator: r.orchestrator, ratioCenti: Number(r.ratio_centi), samples: Number(r.samples) }));
}

/**
 * Payments of live sessions (create_signed_ticket) per orchestrator and UTC day: exact fee (wei)
 * and billable seconds. A payment's model is its session's (by request id); payments whose session
 * was never seen count under every-model figures only and are reported as unmatched.
 */
export async function livePayments(
  q: Querier,
  f: LiveFilter,
): Promise<{ orchestrator: string; day: string; feeWei: string; billableSecs: string; payments: number; unmatched: number }[]> {
  const params: unknown[] = [f.from, f.to];
  let sql = `s.day between $1::date and $2::date`;
  if (f.modelId !== null) {
    params.push(f.modelId);
    sql += ` and ls.model_id = $${params.length}`;
  }
  if (f.orchestrator) {
    params.push(f.orchestrator.toLowerCase());
    sql += ` and ${ORCH} = $${params.length}`;
  }
  const rows = await q.query<{ orchestrator: string; day: string; fee: string; secs: string; payments: string; unmatched: string }>(
    `select ${ORCH} as orchestrator, s.day::text as day, sum(s.computed_fee_wei)::text as fee, sum(s.billable_secs)::text as secs,
            count(*) as payments, count(*) filter (where ls.stream_id is null) as unmatched
       from live_tickets s ${RESOLVE}
       left join lateral (select x.stream_id, x.model_id from live_sessions x where x.request_id = s.request_id limit 1) ls on true
      where ${sql}
      group by 1, 2 order by 1, 2`,
    params,
  );
  return rows.map((r) => ({ orchestrator: r.orchestrator, day: r.day, feeWei: r.fee, billableSecs: r.secs, payments: Number(r.payments), unmatched: Number(r.unmatched) }));
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
    `select model_id, count(*) as sessions from live_sessions
      where first_at >= $1::date and first_at < $2::date + 1 and model_id is not null
      group by 1 order by 2 desc, 1`,
    [range.from, range.to],
  );
  return rows.map((r) => ({ modelId: r.model_id, sessions: Number(r.sessions) }));
}

/** The newest day with live events, for default windows. */
export async function latestLiveDay(q: Querier): Promise<string | null> {
  const [r] = await q.query<{ day: string | null }>(`select ((max(first_at) at time zone 'UTC')::date)::text as day from live_sessions`);
  return r?.day ?? null;
}
