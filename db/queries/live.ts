// Live video-to-video figures from gateway events (db/schema-gateway.ts), read from the daily rollups
// only: sessions and their startup latency histograms (live_session_day, live_startup_day),
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
  swaps: number;
  errors: number;
  noOrchestrator: number;
  restarts: number;
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

/** Sessions per orchestrator (resolved), with their startup histograms; the network is their sum. */
export async function liveSessions(q: Querier, f: LiveFilter): Promise<{ rows: LiveSessionRow[]; network: LiveSessionRow }> {
  const w = rollupWhere(f);
  const [counts, hist] = await Promise.all([
    q.query<{ orchestrator: string; sessions: string; startups: string; swaps: string; errors: string; no_orch: string; restarts: string }>(
      `select ${ORCH} as orchestrator, sum(s.sessions) as sessions, sum(s.startups) as startups, sum(s.swaps) as swaps, sum(s.errors) as errors,
              sum(s.no_orchestrator) as no_orch, sum(s.restarts) as restarts
         from live_session_day s ${RESOLVE} where ${w.sql} group by 1`,
      w.params,
    ),
    q.query<{ orchestrator: string; bucket: number; sessions: string }>(
      `select ${ORCH} as orchestrator, s.bucket, sum(s.sessions) as sessions
         from live_startup_day s ${RESOLVE} where ${w.sql} group by 1, 2 having sum(s.sessions) > 0`,
      w.params,
    ),
  ]);
  const empty = (orchestrator: string): LiveSessionRow => ({
    orchestrator, sessions: 0, startupSamples: 0, startup: new Map(), swaps: 0, errors: 0, noOrchestrator: 0, restarts: 0,
  });
  const network = empty("");
  const byOrch = new Map<string, LiveSessionRow>();
  for (const c of counts) {
    const r = { ...empty(c.orchestrator), sessions: Number(c.sessions), startupSamples: Number(c.startups), swaps: Number(c.swaps), errors: Number(c.errors), noOrchestrator: Number(c.no_orch), restarts: Number(c.restarts) };
    if (r.sessions <= 0) continue;
    byOrch.set(c.orchestrator, r);
    network.sessions += r.sessions;
    network.startupSamples += r.startupSamples;
    network.swaps += r.swaps;
    network.errors += r.errors;
    network.noOrchestrator += r.noOrchestrator;
    network.restarts += r.restarts;
  }
  for (const h of hist) {
    const n = Number(h.sessions);
    const r = byOrch.get(h.orchestrator);
    if (r) r.startup.set(h.bucket, (r.startup.get(h.bucket) ?? 0) + n);
    network.startup.set(h.bucket, (network.startup.get(h.bucket) ?? 0) + n);
  }
  return { rows: [...byOrch.values()].filter((r) => r.orchestrator !== ""), network };
}

/** Frame-rate ratio histogram (hundredths) per orchestrator over the range. */
export async function liveFpsHistogram(q: Querier, f: LiveFilter): Promise<{ orchestrator: string; ratioCenti: number; samples: number }[]> {
  const w = rollupWhere(f);
  const rows = await q.query<{ orchestrator: string; ratio_centi: number; samples: string }>(
    `select ${ORCH} as orchestrator, s.ratio_centi, sum(s.samples) as samples
       from live_fps_day s ${RESOLVE} where ${w.sql} group by 1, 2 order by 1, 2`,
    w.params,
  );
  return rows.map((r) => ({ orchestrator: r.orchestrator, ratioCenti: Number(r.ratio_centi), samples: Number(r.samples) }));
}

/**
 * Payments of live sessions (create_signed_ticket) per orchestrator and UTC day: exact fee (wei)
 * and billable seconds. A payment's model is its session's (by request id); payments whose session
 * was never seen have model '' and count under every-model figures only, reported as unmatched.
 */
export async function livePayments(
  q: Querier,
  f: LiveFilter,
): Promise<{ orchestrator: string; day: string; feeWei: string; billableSecs: string; payments: number; unmatched: number }[]> {
  const w = rollupWhere(f);
  const rows = await q.query<{ orchestrator: string; day: string; fee: string; secs: string; payments: string; unmatched: string }>(
    `select ${ORCH} as orchestrator, s.day::text as day, sum(s.fee_wei)::text as fee, sum(s.billable_secs)::text as secs,
            sum(s.payments) as payments, coalesce(sum(s.payments) filter (where s.model_id = ''), 0) as unmatched
       from live_pay_day s ${RESOLVE} where ${w.sql}
      group by 1, 2 having sum(s.payments) > 0 order by 1, 2`,
    w.params,
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
