// Writes one batch of parsed gateway events, from a file, a push or stdin, the same way: each type
// into its table keyed by the envelope id (`ON CONFLICT DO NOTHING RETURNING`), so a repeat is
// counted as a duplicate and never stored twice; exactly the rows really inserted are merged into
// live sessions and their rollups (live-merge.ts). The caller runs this inside the transaction that also saves
// its checkpoint, so rows, merges, counts, rejects and checkpoint commit together or not at all.
import type { TxQuerier } from "../../../db/client";
import { isKnownType, type EventRecord, type ParsedEvent } from "../../../core/gateway/events";
import { applyCapabilities } from "../capabilities/store";
import { assignPaymentModels, insertPayments, insertStatuses, insertTraces, lockLiveMerges } from "./live-merge";

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

  // Sessions before payments (a payment takes its session's model), one live writer at a time.
  const order = ["stream_trace", "ai_stream_status", "create_signed_ticket"];
  const groups = [...byType].sort(([a], [b]) => rank(order, a) - rank(order, b));
  if (groups.some(([t]) => order.includes(t))) await lockLiveMerges(q);
  for (const [type, events] of groups) {
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

  const sessionRequests = new Set<string>();
  for (const [type, events] of groups)
    if (type === "stream_trace" || type === "ai_stream_status")
      for (const e of events) if (e.record && "requestId" in e.record && e.record.requestId) sessionRequests.add(e.record.requestId);
  await assignPaymentModels(q, [...sessionRequests]);

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
      inserted = await insertTraces(q, json);
      break;
    case "ai_stream_status":
      inserted = await insertStatuses(q, json);
      break;
    case "create_signed_ticket":
      inserted = await insertPayments(q, json);
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

const rank = (order: string[], t: string) => (order.includes(t) ? order.indexOf(t) : order.length);

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
