// Writes one batch of parsed gateway events, from a file, a push or stdin, the same way: each type
// into its table keyed by the envelope id (`ON CONFLICT DO NOTHING RETURNING`), so a repeat is
// counted as a duplicate and never stored twice; then exactly the rows really inserted are merged
// into live_sessions and live_fps_day. The caller runs this inside the transaction that also saves
// its checkpoint, so rows, merges, counts, rejects and checkpoint commit together or not at all.
import type { TxQuerier } from "../../../db/client";
import { isKnownType, type EventRecord, type ParsedEvent } from "../../../core/gateway/events";
import { applyCapabilities } from "../capabilities/store";

/** Where rejects came from: a file (path and identity), a push or stdin (the batch's own key). */
export type EventOrigin = { origin: "file"; file: string; fingerprint: string } | { origin: "http" | "stdin"; fingerprint: string };

export interface EventLine {
  /** Byte offset of the line in its file, push body or stdin stream. */
  offset: number;
  /** 1-based. */
  lineNumber: number;
  parsed: ParsedEvent;
  /** The line's first characters, kept with a reject. */
  excerpt: string;
}

export interface EventCounts {
  read: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  /** Envelopes of types this version does not read, newly seen, by type. */
  unknownTypes: Record<string, number>;
}

const TABLE_OF: Record<string, string> = {
  stream_trace: "live_traces",
  ai_stream_status: "live_statuses",
  create_signed_ticket: "live_tickets",
  create_new_payment: "payments_sent",
};

type Row = Record<string, unknown>;
/** A valid envelope waiting to be written; record is null for a type this version does not read. */
interface Pending {
  id: string;
  type: string;
  feed: string;
  record: EventRecord | null;
}
const iso = (ms: number) => new Date(ms).toISOString();

export async function writeEventBatch(q: TxQuerier, lines: EventLine[], from: EventOrigin): Promise<EventCounts> {
  const counts: EventCounts = { read: lines.length, accepted: 0, duplicates: 0, rejected: 0, unknownTypes: {} };
  const byType = new Map<string, Pending[]>();
  const perType = new Map<string, { accepted: number; duplicates: number; rejected: number; lastAt: number; known: boolean }>();
  const typeStats = (t: string, known: boolean) => {
    let s = perType.get(t);
    if (!s) perType.set(t, (s = { accepted: 0, duplicates: 0, rejected: 0, lastAt: 0, known }));
    return s;
  };
  const rejects: Row[] = [];
  for (const l of lines) {
    const p = l.parsed;
    if (!p.ok) {
      counts.rejected++;
      if (p.type) typeStats(p.type.slice(0, 100), isKnownType(p.type)).rejected++;
      rejects.push({ byte_offset: l.offset, line_number: l.lineNumber, reason: p.reason.slice(0, 500), excerpt: l.excerpt });
      continue;
    }
    const t = p.envelope.type;
    const group = p.record ? t : "\u0000unknown";
    let g = byType.get(group);
    if (!g) byType.set(group, (g = []));
    g.push({ id: p.envelope.id, type: t, feed: p.envelope.feed, record: p.record });
    const s = typeStats(t, p.record !== null);
    s.lastAt = Math.max(s.lastAt, p.envelope.atMs);
  }

  for (const [type, events] of byType) {
    const fresh = await insertGroup(q, type, events);
    // Which ids were new, per type, for the counts.
    for (const e of events) {
      const t = e.type;
      const s = typeStats(t, e.record !== null);
      if (fresh.has(e.id)) {
        fresh.delete(e.id); // a repeat within the batch is a duplicate
        s.accepted++;
        counts.accepted++;
        if (!e.record) counts.unknownTypes[t] = (counts.unknownTypes[t] ?? 0) + 1;
      } else {
        s.duplicates++;
        counts.duplicates++;
      }
    }
  }

  if (rejects.length)
    await q.query(
      `insert into gateway_event_rejects (origin, file, fingerprint, byte_offset, line_number, reason, excerpt)
       select $1, $2, $3, r.byte_offset, r.line_number, r.reason, r.excerpt
         from json_to_recordset($4::json) as r(byte_offset bigint, line_number bigint, reason text, excerpt text)
       on conflict (fingerprint, byte_offset) do nothing`,
      [from.origin, from.origin === "file" ? from.file : null, from.fingerprint, JSON.stringify(rejects)],
    );
  if (perType.size)
    await q.query(
      `insert into gateway_event_counts (type, known, accepted, duplicates, rejected, last_at)
       select c.type, c.known, c.accepted, c.duplicates, c.rejected, case when c.last_ms > 0 then to_timestamp(c.last_ms / 1000.0) end
         from json_to_recordset($1::json) as c(type text, known boolean, accepted bigint, duplicates bigint, rejected bigint, last_ms bigint)
       on conflict (type) do update set accepted = gateway_event_counts.accepted + excluded.accepted,
         duplicates = gateway_event_counts.duplicates + excluded.duplicates, rejected = gateway_event_counts.rejected + excluded.rejected,
         last_at = greatest(gateway_event_counts.last_at, excluded.last_at)`,
      [JSON.stringify([...perType].map(([type, s]) => ({ type, known: s.known, accepted: s.accepted, duplicates: s.duplicates, rejected: s.rejected, last_ms: s.lastAt })))],
    );
  return counts;
}

/** Inserts one type's events; returns the ids that were new (a multiset: repeats in the batch count once). */
async function insertGroup(q: TxQuerier, type: string, events: Pending[]): Promise<Set<string>> {
  if (type in TABLE_OF) return insertTyped(q, type, events);
  if (type === "discovery_results") {
    const rows: Row[] = [];
    for (const e of events)
      if (e.record?.kind === "discovery_results")
        e.record.results.forEach((r, idx) => rows.push({ event_id: e.id, idx, at: iso(e.record!.atMs), orch: r.orch, latency_ms: r.latencyMs }));
    const ids = await insertIds(q, "discovery_results", events);
    const newRows = rows.filter((r) => ids.has(r.event_id as string));
    if (newRows.length)
      await q.query(
        `insert into discovery_latencies (event_id, idx, at, orch, latency_ms)
         select r.event_id, r.idx, r.at, r.orch, r.latency_ms from json_to_recordset($1::json) as r(event_id uuid, idx smallint, at timestamptz, orch text, latency_ms integer)
         on conflict do nothing`,
        [JSON.stringify(newRows)],
      );
    return ids;
  }
  if (type === "network_capabilities") {
    const ids = await insertIds(q, type, events);
    // Applied in time order so history moves forward; only events not stored before.
    const fresh = events.filter((e) => ids.has(e.id) && e.record?.kind === "network_capabilities");
    fresh.sort((a, b) => a.record!.atMs - b.record!.atMs);
    for (const e of fresh)
      if (e.record?.kind === "network_capabilities") await applyCapabilities(q, e.record.orchestrators, iso(e.record.atMs), { origin: "event", complete: false });
    return ids;
  }
  // Unknown types: only their ids, so they are counted once.
  return insertIds(q, "unknown", events);
}

async function insertIds(q: TxQuerier, type: string, events: { id: string }[]): Promise<Set<string>> {
  const rows = await q.query<{ event_id: string }>(
    `insert into gateway_event_ids (event_id, type) select unnest($1::uuid[]), $2 on conflict do nothing returning event_id::text`,
    [events.map((e) => e.id), type],
  );
  return new Set(rows.map((r) => r.event_id));
}

async function insertTyped(q: TxQuerier, type: string, events: Pending[]): Promise<Set<string>> {
  const rows = events.map((e) => rowOf(e.id, e.feed, e.record!));
  const json = JSON.stringify(rows);
  let inserted: { event_id: string }[];
  switch (type) {
    case "stream_trace":
      inserted = await q.query(
        `with ins as (
           insert into live_traces (event_id, at, stream_id, request_id, kind, orch, pipeline, feed)
           select r.event_id, r.at, r.stream_id, r.request_id, r.kind, r.orch, r.pipeline, r.feed
             from json_to_recordset($1::json) as r(event_id uuid, at timestamptz, stream_id text, request_id text, kind text, orch text, pipeline text, feed text)
           on conflict do nothing returning *),
         merged as (${SESSION_MERGE_FROM_TRACES})
         select event_id::text from ins`,
        [json],
      );
      break;
    case "ai_stream_status":
      inserted = await q.query(
        `with ins as (
           insert into live_statuses (event_id, at, stream_id, request_id, model_id, state, orch, input_fps, output_fps, restart_count, last_error)
           select r.event_id, r.at, r.stream_id, r.request_id, r.model_id, r.state, r.orch, r.input_fps, r.output_fps, r.restart_count, r.last_error
             from json_to_recordset($1::json) as r(event_id uuid, at timestamptz, stream_id text, request_id text, model_id text, state text, orch text,
                  input_fps float8, output_fps float8, restart_count integer, last_error text)
           on conflict do nothing returning *),
         merged as (${SESSION_MERGE_FROM_STATUSES}),
         fps as (${FPS_ROLLUP_FROM_STATUSES})
         select event_id::text from ins`,
        [json],
      );
      break;
    case "create_signed_ticket":
      inserted = await q.query(
        `insert into live_tickets (event_id, at, day, session_id, request_id, pipeline, orch, billable_secs, pixels, computed_fee_wei)
         select r.event_id, r.at, (r.at at time zone 'UTC')::date, r.session_id, r.request_id, r.pipeline, r.orch, r.billable_secs::numeric, r.pixels::numeric, r.computed_fee_wei::numeric
           from json_to_recordset($1::json) as r(event_id uuid, at timestamptz, session_id text, request_id text, pipeline text, orch text,
                billable_secs text, pixels text, computed_fee_wei text)
         on conflict do nothing returning event_id::text`,
        [json],
      );
      break;
    case "create_new_payment":
      inserted = await q.query(
        `insert into payments_sent (event_id, at, day, request_id, session_id, manifest_id, sender, recipient, orch_url, face_value_wei, win_prob, num_tickets, expected_value_wei, price)
         select r.event_id, r.at, (r.at at time zone 'UTC')::date, r.request_id, r.session_id, r.manifest_id, r.sender, r.recipient, r.orch_url,
                r.face_value_wei::numeric, r.win_prob::numeric, r.num_tickets, r.expected_value_wei::numeric, r.price
           from json_to_recordset($1::json) as r(event_id uuid, at timestamptz, request_id text, session_id text, manifest_id text, sender text, recipient text,
                orch_url text, face_value_wei text, win_prob text, num_tickets integer, expected_value_wei text, price text)
         on conflict do nothing returning event_id::text`,
        [json],
      );
      break;
    default:
      throw new Error(`no table for ${type}`);
  }
  return new Set(inserted.map((r) => r.event_id));
}

function rowOf(id: string, feed: string, r: EventRecord): Row {
  switch (r.kind) {
    case "stream_trace":
      return { event_id: id, at: iso(r.atMs), stream_id: r.streamId, request_id: r.requestId, kind: r.traceType, orch: r.orch, pipeline: r.pipeline, feed };
    case "ai_stream_status":
      return {
        event_id: id,
        at: iso(r.atMs),
        stream_id: r.streamId,
        request_id: r.requestId,
        model_id: r.modelId,
        state: r.state,
        orch: r.orch,
        input_fps: r.inputFps,
        output_fps: r.outputFps,
        restart_count: r.restartCount,
        last_error: r.lastError,
      };
    case "create_signed_ticket":
      return {
        event_id: id,
        at: iso(r.atMs),
        session_id: r.sessionId,
        request_id: r.requestId,
        pipeline: r.pipeline,
        orch: r.orch,
        billable_secs: r.billableSecs,
        pixels: r.pixels,
        computed_fee_wei: r.computedFeeWei,
      };
    case "create_new_payment":
      return {
        event_id: id,
        at: iso(r.atMs),
        request_id: r.requestId,
        session_id: r.sessionId,
        manifest_id: r.manifestId,
        sender: r.sender,
        recipient: r.recipient,
        orch_url: r.orchUrl,
        face_value_wei: r.faceValueWei,
        win_prob: r.winProb,
        num_tickets: r.numTickets,
        expected_value_wei: r.expectedValueWei,
        price: r.price,
      };
    default:
      throw new Error(`no row shape for ${r.kind}`);
  }
}

// Session merges. Commutative: earliest and latest by least()/greatest() (which skip nulls), counts
// added, the orchestrator seen latest wins, so events may arrive in any order and in any batch.
const SESSION_UPSERT = `
  on conflict (stream_id) do update set
    request_id = coalesce(live_sessions.request_id, excluded.request_id),
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
    restarts = greatest(live_sessions.restarts, excluded.restarts)`;

const SESSION_MERGE_FROM_TRACES = `
  insert into live_sessions (stream_id, request_id, feed, first_at, last_at, requested_at, first_processed_at, startup_ms, orch, orch_at,
                             model_id, swaps, errors, no_orchestrator, closed, status_samples, restarts)
  select stream_id, request_id, feed, first_at, last_at, requested_at, first_processed_at,
         case when first_processed_at >= requested_at then round(extract(epoch from first_processed_at - requested_at) * 1000)::int end,
         coalesce(orch, ''), orch_at, model_id, swaps, errors, no_orchestrator, closed, 0, 0
    from (select stream_id,
                 max(request_id) filter (where request_id <> '') as request_id,
                 min(feed) as feed,
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
            from ins group by stream_id) s
  ${SESSION_UPSERT}
  returning 1`;

const SESSION_MERGE_FROM_STATUSES = `
  insert into live_sessions (stream_id, request_id, feed, first_at, last_at, requested_at, first_processed_at, startup_ms, orch, orch_at,
                             model_id, swaps, errors, no_orchestrator, closed, status_samples, restarts)
  select stream_id, request_id, '', first_at, last_at, null, null, null, coalesce(orch, ''), orch_at, model_id, 0, 0, 0, false, samples, restarts
    from (select stream_id,
                 max(request_id) filter (where request_id <> '') as request_id,
                 min(at) as first_at, max(at) as last_at,
                 (array_agg(orch order by at desc) filter (where orch <> ''))[1] as orch,
                 max(at) filter (where orch <> '') as orch_at,
                 max(model_id) filter (where model_id <> '') as model_id,
                 count(*)::int as samples,
                 coalesce(max(restart_count), 0) as restarts
            from ins group by stream_id) s
  ${SESSION_UPSERT}
  returning 1`;

/** Ratio of delivered to input frame rate per status sample, in hundredths, capped at 4.00. */
const FPS_ROLLUP_FROM_STATUSES = `
  insert into live_fps_day (day, orch, model_id, ratio_centi, samples)
  select (at at time zone 'UTC')::date, orch, model_id, least(400, round(output_fps / input_fps * 100))::smallint, count(*)::int
    from ins where input_fps > 0 and output_fps is not null
   group by 1, 2, 3, 4
  on conflict (day, orch, model_id, ratio_centi) do update set samples = live_fps_day.samples + excluded.samples
  returning 1`;
