// One batch of parsed event lines made ready for the database, with no database at hand: envelopes
// grouped by type in write order, each typed group's rows already encoded as the JSON parameter of
// its insert, rejects encoded, and what the counts need (ids, types, newest instants). Runs in the
// events reader thread for files (reader-worker.ts) and inline for pushes and standard input; only
// strings and small arrays cross the thread boundary.
import type { CompletionRecord, EventRecord, ParsedEvent } from "../../../core/gateway/events";
import { isKnownType } from "../../../core/gateway/events";
import { MonthSet } from "../../../db/partitions";
import type { OrchState } from "../../../core/gateway/capabilities";

export interface EventLine {
  /** Byte offset of the line in its file, push body or stdin stream. */
  offset: number;
  /** 1-based. */
  lineNumber: number;
  parsed: ParsedEvent;
  /** The line's first characters, kept with a reject. */
  excerpt: string;
}

/** One group of valid envelopes, written by one statement (store.ts). */
export interface PreparedGroup {
  /** A known type, or "" for every envelope of a type this version does not read. */
  type: string;
  ids: string[];
  /** Each envelope's own type (the unknown group mixes types). */
  types: string[];
  /** The insert's rows as JSON (typed tables and discovery latencies). */
  rowsJson?: string;
  /** network_capabilities: each envelope's instant and orchestrators, aligned with ids. */
  capabilities?: { atMs: number; orchestrators: OrchState[] }[];
  /** Batch and LLM completions, aligned with ids (they become jobs). */
  completions?: CompletionRecord[];
  /** Each envelope's feed (its `gateway` field), aligned with ids, for completions. */
  feeds?: string[];
}

export interface PreparedEventBatch {
  read: number;
  groups: PreparedGroup[];
  rejected: { line: number; reason: string }[];
  /** Rejects as the JSON rows of gateway_event_rejects. */
  rejectsJson: string;
  /** Per type: rejected lines and the newest instant seen. */
  typeStats: Record<string, { known: boolean; rejected: number; lastAtMs: number }>;
  /** Request ids of live sessions this batch touches (their payments may now learn their model). */
  sessionRequests: string[];
  /** Month starts (ms) of the stored instants: their partitions are made before the batch (db/partitions.ts). */
  months: number[];
}

/** Write order: sessions before payments (a payment takes its session's model). */
const ORDER = ["stream_trace", "ai_stream_status", "create_signed_ticket", "create_new_payment", "discovery_results", "network_capabilities", "completion", ""];

const iso = (ms: number) => new Date(ms).toISOString();

export function prepareEventBatch(lines: EventLine[]): PreparedEventBatch {
  const groups = new Map<string, { ids: string[]; types: string[]; rows: unknown[]; records: EventRecord[]; feeds: string[] }>();
  const typeStats: PreparedEventBatch["typeStats"] = {};
  const stats = (t: string, known: boolean) => (typeStats[t] ??= { known, rejected: 0, lastAtMs: 0 });
  const rejects: unknown[] = [];
  const rejected: { line: number; reason: string }[] = [];
  const sessionRequests = new Set<string>();
  const months = new MonthSet();
  for (const l of lines) {
    const p = l.parsed;
    if (!p.ok) {
      const reason = p.reason.slice(0, 500);
      if (p.type) stats(p.type.slice(0, 100), isKnownType(p.type)).rejected++;
      rejects.push({ byte_offset: l.offset, line_number: l.lineNumber, reason, excerpt: l.excerpt });
      rejected.push({ line: l.lineNumber, reason });
      continue;
    }
    const { envelope: env, record } = p;
    // The three completion types share one group: they all become jobs.
    const key = record ? (record.kind === "completion" ? "completion" : env.type) : "";
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ids: [], types: [], rows: [], records: [], feeds: [] }));
    g.ids.push(env.id);
    g.types.push(env.type);
    g.feeds.push(env.feed);
    const s = stats(env.type, record !== null);
    if (env.atMs > s.lastAtMs) s.lastAtMs = env.atMs;
    if (!record) continue;
    g.records.push(record);
    months.add(record.atMs);
    switch (record.kind) {
      case "stream_trace":
        g.rows.push({ event_id: env.id, at: iso(record.atMs), stream_id: record.streamId, request_id: record.requestId, kind: record.traceType, orch: record.orch, pipeline: record.pipeline, feed: env.feed });
        if (record.requestId) sessionRequests.add(record.requestId);
        break;
      case "ai_stream_status":
        g.rows.push({
          event_id: env.id, at: iso(record.atMs), stream_id: record.streamId, request_id: record.requestId, model_id: record.modelId, state: record.state,
          orch: record.orch, input_fps: record.inputFps, output_fps: record.outputFps, restart_count: record.restartCount, last_error: record.lastError,
        });
        if (record.requestId) sessionRequests.add(record.requestId);
        break;
      case "create_signed_ticket":
        g.rows.push({
          event_id: env.id, at: iso(record.atMs), session_id: record.sessionId, request_id: record.requestId, pipeline: record.pipeline, orch: record.orch,
          billable_secs: record.billableSecs, pixels: record.pixels, computed_fee_wei: record.computedFeeWei,
        });
        break;
      case "create_new_payment":
        g.rows.push({
          event_id: env.id, at: iso(record.atMs), request_id: record.requestId, session_id: record.sessionId, manifest_id: record.manifestId,
          sender: record.sender, recipient: record.recipient, orch_url: record.orchUrl, face_value_wei: record.faceValueWei, win_prob: record.winProb,
          num_tickets: record.numTickets, expected_value_wei: record.expectedValueWei, price: record.price,
        });
        break;
      case "discovery_results":
        record.results.forEach((r, idx) => g!.rows.push({ event_id: env.id, idx, at: iso(record.atMs), orch: r.orch, latency_ms: r.latencyMs }));
        break;
      case "network_capabilities":
      case "completion":
        break;
    }
  }
  const prepared: PreparedGroup[] = [...groups]
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([type, g]) => ({
      type,
      ids: g.ids,
      types: g.types,
      ...(g.rows.length ? { rowsJson: JSON.stringify(g.rows) } : {}),
      ...(type === "network_capabilities"
        ? { capabilities: g.records.map((r) => (r.kind === "network_capabilities" ? { atMs: r.atMs, orchestrators: r.orchestrators } : { atMs: 0, orchestrators: [] })) }
        : {}),
      ...(type === "completion" ? { completions: g.records as CompletionRecord[], feeds: g.feeds } : {}),
    }));
  return { read: lines.length, groups: prepared, rejected, rejectsJson: JSON.stringify(rejects), typeStats, sessionRequests: [...sessionRequests], months: months.values() };
}

function rank(t: string): number {
  const i = ORDER.indexOf(t);
  return i === -1 ? ORDER.length : i;
}
