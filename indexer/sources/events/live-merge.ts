// Live sessions from gateway events: each batch's new stream traces and status samples are merged
// into live_sessions, and the daily rollups the pages read (live_session_day, with its startup
// histogram, and live_fps_day) move
// by exactly the difference the merge made: the merged sessions' new contributions are added and
// their old ones taken out, in one statement whose CTEs all see the rows as they were before it.
// Payments (live_tickets) carry their session's model, filled by whichever of the two arrives second,
// and live_pay_day follows. Merges are commutative (earliest, latest, sums, the orchestrator seen
// latest wins), so events may arrive in any order and in any batch. Batches from different writers
// (a file run, a push, standard input) take one transaction-level lock, so old values are never stale.
import type { TxQuerier } from "../../../db/client";

/** Serialises live merges across connections and processes (Postgres; PGlite has one connection). */
const LIVE_MERGE_LOCK = 7217702;

export async function lockLiveMerges(q: TxQuerier): Promise<void> {
  await q.query(`select pg_advisory_xact_lock(${LIVE_MERGE_LOCK})`);
}

/** Adds two sparse (key, count) histograms: keys united, counts summed, zero counts dropped, keys ascending. */
function mergeSparse(table: string, keys: string, counts: string): string {
  return `(${keys}, ${counts}) = (
        select coalesce(array_agg(k order by k), '{}'), coalesce(array_agg(n order by k), '{}')
          from (select k, sum(n)::int as n from unnest(${table}.${keys} || excluded.${keys}, ${table}.${counts} || excluded.${counts}) as u(k, n)
                 group by k having sum(n) <> 0) as merged)`;
}

const SESSION_COLUMNS = `stream_id, request_id, feed, first_at, last_at, requested_at, first_processed_at, startup_ms, orch, orch_at,
                         model_id, swaps, errors, no_orchestrator, closed, status_samples, restarts`;

const SESSION_UPSERT = `
  on conflict (stream_id) do update set
    request_id = coalesce(live_sessions.request_id, excluded.request_id),
    feed = case when live_sessions.feed = '' then excluded.feed else live_sessions.feed end,
    first_at = least(live_sessions.first_at, excluded.first_at),
    last_at = greatest(live_sessions.last_at, excluded.last_at),
    requested_at = least(live_sessions.requested_at, excluded.requested_at),
    first_processed_at = least(live_sessions.first_processed_at, excluded.first_processed_at),
    startup_ms = case when least(live_sessions.requested_at, excluded.requested_at) is not null
                       and least(live_sessions.first_processed_at, excluded.first_processed_at) >= least(live_sessions.requested_at, excluded.requested_at)
                      then round(extract(epoch from least(live_sessions.first_processed_at, excluded.first_processed_at)
                                                 - least(live_sessions.requested_at, excluded.requested_at)) * 1000)::int end,
    orch = case when excluded.orch_at is not null and (live_sessions.orch_at is null or excluded.orch_at >= live_sessions.orch_at)
                then excluded.orch else live_sessions.orch end,
    orch_at = greatest(live_sessions.orch_at, excluded.orch_at),
    model_id = coalesce(excluded.model_id, live_sessions.model_id),
    swaps = live_sessions.swaps + excluded.swaps,
    errors = live_sessions.errors + excluded.errors,
    no_orchestrator = live_sessions.no_orchestrator + excluded.no_orchestrator,
    closed = live_sessions.closed or excluded.closed,
    status_samples = live_sessions.status_samples + excluded.status_samples,
    restarts = greatest(live_sessions.restarts, excluded.restarts)
  returning *`;

/**
 * The rollups' delta from `old` (sessions before the merge) to `up` (after): CTE text that follows
 * `old as (...)` and `up as (insert ... returning *)`, and ends the statement's WITH list.
 */
const ROLLUP_DELTA = `
  delta as (
    select (first_at at time zone 'UTC')::date as day, orch, coalesce(model_id, '') as model_id, 1 as sign, startup_ms, swaps, errors, no_orchestrator, restarts from up
    union all
    select (first_at at time zone 'UTC')::date, orch, coalesce(model_id, ''), -1, startup_ms, swaps, errors, no_orchestrator, restarts from old
  ),
  session_day as (
    insert into live_session_day (day, orch, model_id, sessions, startups, swaps, errors, no_orchestrator, restarts, startup_buckets, startup_counts)
    select d.day, d.orch, d.model_id, d.sessions, d.startups, d.swaps, d.errors, d.no_orchestrator, d.restarts,
           coalesce(h.buckets, '{}'), coalesce(h.counts, '{}')
      from (select day, orch, model_id, sum(sign) as sessions, sum(sign * (startup_ms is not null)::int) as startups, sum(sign * swaps) as swaps,
                   sum(sign * errors) as errors, sum(sign * no_orchestrator) as no_orchestrator, sum(sign * restarts) as restarts
              from delta group by day, orch, model_id) d
      left join (select day, orch, model_id, array_agg(bucket order by bucket) as buckets, array_agg(n order by bucket) as counts
                   from (select day, orch, model_id, latency_bucket(startup_ms) as bucket, sum(sign)::int as n
                           from delta where startup_ms is not null group by 1, 2, 3, 4 having sum(sign) <> 0) b
                  group by 1, 2, 3) h using (day, orch, model_id)
     order by d.day, d.orch collate "C", d.model_id collate "C"
    on conflict (day, orch, model_id) do update set
      sessions = live_session_day.sessions + excluded.sessions, startups = live_session_day.startups + excluded.startups,
      swaps = live_session_day.swaps + excluded.swaps, errors = live_session_day.errors + excluded.errors,
      no_orchestrator = live_session_day.no_orchestrator + excluded.no_orchestrator, restarts = live_session_day.restarts + excluded.restarts,
      ${mergeSparse("live_session_day", "startup_buckets", "startup_counts")}
    returning 1
  )`;

/** Merges new trace rows (JSON of live_traces rows) into sessions and rollups; returns the inserted event ids. */
export async function insertTraces(q: TxQuerier, json: string): Promise<{ event_id: string }[]> {
  return q.query(
    `with ins as (
       insert into live_traces (event_id, at, stream_id, request_id, kind, orch, pipeline, feed)
       select r.event_id, r.at, r.stream_id, r.request_id, r.kind, r.orch, r.pipeline, r.feed
         from json_to_recordset($1::json) as r(event_id uuid, at timestamptz, stream_id text, request_id text, kind text, orch text, pipeline text, feed text)
       on conflict do nothing returning *),
     agg as (
       select stream_id,
              max(request_id) filter (where request_id <> '') as request_id,
              coalesce(max(feed) filter (where feed <> ''), '') as feed,
              min(at) as first_at, max(at) as last_at,
              min(at) filter (where kind = 'gateway_receive_stream_request') as requested_at,
              min(at) filter (where kind = 'gateway_receive_first_processed_segment') as first_processed_at,
              (array_agg(orch order by at desc) filter (where orch <> ''))[1] as orch,
              max(at) filter (where orch <> '') as orch_at,
              max(pipeline) filter (where pipeline is not null and pipeline <> '' and pipeline <> 'live-video-to-video') as model_id,
              (count(*) filter (where kind = 'orchestrator_swap'))::int as swaps,
              (count(*) filter (where kind = 'error'))::int as errors,
              (count(*) filter (where kind = 'gateway_no_orchestrators_available'))::int as no_orchestrator,
              bool_or(kind = 'gateway_ingest_stream_closed') as closed
         from ins group by stream_id),
     old as (select * from live_sessions where stream_id in (select stream_id from agg)),
     up as (
       insert into live_sessions (${SESSION_COLUMNS})
       select stream_id, request_id, feed, first_at, last_at, requested_at, first_processed_at,
              case when first_processed_at >= requested_at then round(extract(epoch from first_processed_at - requested_at) * 1000)::int end,
              coalesce(orch, ''), orch_at, model_id, swaps, errors, no_orchestrator, closed, 0, 0
         from agg
       ${SESSION_UPSERT}),
     ${ROLLUP_DELTA}
     select event_id::text from ins`,
    [json],
  );
}

/** Merges new status rows into sessions, rollups and the frame-rate histogram; returns the inserted event ids. */
export async function insertStatuses(q: TxQuerier, json: string): Promise<{ event_id: string }[]> {
  return q.query(
    `with ins as (
       insert into live_statuses (event_id, at, stream_id, request_id, model_id, state, orch, input_fps, output_fps, restart_count, last_error)
       select r.event_id, r.at, r.stream_id, r.request_id, r.model_id, r.state, r.orch, r.input_fps, r.output_fps, r.restart_count, r.last_error
         from json_to_recordset($1::json) as r(event_id uuid, at timestamptz, stream_id text, request_id text, model_id text, state text, orch text,
              input_fps float8, output_fps float8, restart_count integer, last_error text)
       on conflict do nothing returning *),
     agg as (
       select stream_id,
              max(request_id) filter (where request_id <> '') as request_id,
              min(at) as first_at, max(at) as last_at,
              (array_agg(orch order by at desc) filter (where orch <> ''))[1] as orch,
              max(at) filter (where orch <> '') as orch_at,
              max(model_id) filter (where model_id <> '') as model_id,
              count(*)::int as samples,
              coalesce(max(restart_count), 0) as restarts
         from ins group by stream_id),
     old as (select * from live_sessions where stream_id in (select stream_id from agg)),
     up as (
       insert into live_sessions (${SESSION_COLUMNS})
       select stream_id, request_id, '', first_at, last_at, null, null, null, coalesce(orch, ''), orch_at, model_id, 0, 0, 0, false, samples, restarts
         from agg
       ${SESSION_UPSERT}),
     ${ROLLUP_DELTA},
     fps as (
       -- Ratio of delivered to input frame rate per status sample, in hundredths, capped at 4.00.
       insert into live_fps_day (day, orch, model_id, samples, ratio_centis, ratio_counts)
       select day, orch, model_id, sum(n), array_agg(r order by r), array_agg(n order by r)
         from (select (at at time zone 'UTC')::date as day, orch, model_id, least(400, round(output_fps / input_fps * 100))::smallint as r, count(*)::int as n
                 from ins where input_fps > 0 and output_fps is not null group by 1, 2, 3, 4) x
        group by 1, 2, 3
        order by day, orch collate "C", model_id collate "C"
       on conflict (day, orch, model_id) do update set samples = live_fps_day.samples + excluded.samples,
         ${mergeSparse("live_fps_day", "ratio_centis", "ratio_counts")}
       returning 1)
     select event_id::text from ins`,
    [json],
  );
}

/** Stores new payments with their session's model when it is known, and adds them to live_pay_day. */
export async function insertPayments(q: TxQuerier, json: string): Promise<{ event_id: string }[]> {
  return q.query(
    `with ins as (
       insert into live_tickets (event_id, at, day, session_id, request_id, pipeline, orch, billable_secs, pixels, computed_fee_wei, model_id)
       select r.event_id, r.at, (r.at at time zone 'UTC')::date, r.session_id, r.request_id, r.pipeline, r.orch, r.billable_secs::numeric, r.pixels::numeric,
              r.computed_fee_wei::numeric,
              (select s.model_id from live_sessions s where s.request_id = r.request_id and s.model_id is not null limit 1)
         from json_to_recordset($1::json) as r(event_id uuid, at timestamptz, session_id text, request_id text, pipeline text, orch text,
              billable_secs text, pixels text, computed_fee_wei text)
       on conflict do nothing returning *),
     pay as (
       insert into live_pay_day (day, orch, model_id, payments, fee_wei, billable_secs)
       select day, orch, coalesce(model_id, ''), count(*), sum(computed_fee_wei), sum(billable_secs) from ins group by 1, 2, 3
       on conflict (day, orch, model_id) do update set payments = live_pay_day.payments + excluded.payments,
         fee_wei = live_pay_day.fee_wei + excluded.fee_wei, billable_secs = live_pay_day.billable_secs + excluded.billable_secs
       returning 1)
     select event_id::text from ins`,
    [json],
  );
}

/**
 * Payments stored before their session's model was known: once it is (this batch merged sessions
 * with these request ids), they take it, and move in live_pay_day from model '' to it.
 */
export async function assignPaymentModels(q: TxQuerier, requestIds: string[]): Promise<void> {
  if (!requestIds.length) return;
  await q.query(
    `with fixed as (
       update live_tickets t set model_id = s.model_id
         from (select distinct on (request_id) request_id, model_id from live_sessions
                where request_id = any($1::text[]) and model_id is not null order by request_id, first_at) s
        where t.request_id = s.request_id and t.model_id is null
       returning t.day, t.orch, t.model_id, t.computed_fee_wei, t.billable_secs),
     agg as (select day, orch, model_id, count(*)::int as n, sum(computed_fee_wei) as fee, sum(billable_secs) as secs from fixed group by 1, 2, 3),
     moved_out as (
       update live_pay_day p set payments = p.payments - a.n, fee_wei = p.fee_wei - a.fee, billable_secs = p.billable_secs - a.secs
         from (select day, orch, sum(n) as n, sum(fee) as fee, sum(secs) as secs from agg group by 1, 2) a
        where p.day = a.day and p.orch = a.orch and p.model_id = ''
       returning 1)
     insert into live_pay_day (day, orch, model_id, payments, fee_wei, billable_secs)
     select day, orch, model_id, n, fee, secs from agg
     on conflict (day, orch, model_id) do update set payments = live_pay_day.payments + excluded.payments,
       fee_wei = live_pay_day.fee_wei + excluded.fee_wei, billable_secs = live_pay_day.billable_secs + excluded.billable_secs`,
    [requestIds],
  );
}
