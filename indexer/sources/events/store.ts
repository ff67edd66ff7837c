// Writes one prepared batch of gateway events (prepare.ts), from a file, a push or stdin, the same
// way: each type into its table keyed by the envelope id (`ON CONFLICT DO NOTHING RETURNING`), so a
// repeat is counted as a duplicate and never stored twice; exactly the rows really inserted are merged
// into live sessions and their rollups (live-merge.ts). The caller runs this inside the transaction
// that also saves its checkpoint, so rows, merges, counts, rejects and checkpoint commit together.
import type { TxQuerier } from "../../../db/client";
import { applyCapabilities } from "../capabilities/store";
import { assignPaymentModels, insertPayments, insertStatuses, insertTraces, lockLiveMerges } from "./live-merge";
import { writeCompletionJobs } from "./completions";
import type { PreparedEventBatch, PreparedGroup } from "./prepare";

export type { EventLine } from "./prepare";

/** Where rejects came from: a file (path and identity), a push or stdin (the batch's own key). */
export type EventOrigin = { origin: "file"; file: string; fingerprint: string } | { origin: "http" | "stdin"; fingerprint: string };

export interface EventCounts {
  read: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  /** Envelopes of types this version does not read, newly seen, by type. */
  unknownTypes: Record<string, number>;
}

const LIVE_TYPES = new Set(["stream_trace", "ai_stream_status", "create_signed_ticket"]);

export async function writeEventBatch(q: TxQuerier, batch: PreparedEventBatch, from: EventOrigin): Promise<EventCounts> {
  const counts: EventCounts = { read: batch.read, accepted: 0, duplicates: 0, rejected: batch.rejected.length, unknownTypes: {} };
  const perType = new Map<string, { known: boolean; accepted: number; duplicates: number; rejected: number; lastAtMs: number }>();
  for (const [t, s] of Object.entries(batch.typeStats)) perType.set(t, { known: s.known, accepted: 0, duplicates: 0, rejected: s.rejected, lastAtMs: s.lastAtMs });

  if (batch.groups.some((g) => LIVE_TYPES.has(g.type))) await lockLiveMerges(q); // one live writer at a time
  for (const g of batch.groups) {
    const fresh = await insertGroup(q, g);
    g.ids.forEach((id, i) => {
      const t = g.types[i];
      const s = perType.get(t)!;
      if (fresh.delete(id)) {
        // deleted: a repeat within the batch is a duplicate
        s.accepted++;
        counts.accepted++;
        if (g.type === "") counts.unknownTypes[t] = (counts.unknownTypes[t] ?? 0) + 1;
      } else {
        s.duplicates++;
        counts.duplicates++;
      }
    });
  }
  await assignPaymentModels(q, batch.sessionRequests);

  if (batch.rejected.length)
    await q.query(
      `insert into gateway_event_rejects (origin, file, fingerprint, byte_offset, line_number, reason, excerpt)
       select $1, $2, $3, r.byte_offset, r.line_number, r.reason, r.excerpt
         from json_to_recordset($4::json) as r(byte_offset bigint, line_number bigint, reason text, excerpt text)
       on conflict (fingerprint, byte_offset) do nothing`,
      [from.origin, from.origin === "file" ? from.file : null, from.fingerprint, batch.rejectsJson],
    );
  if (perType.size)
    await q.query(
      `insert into gateway_event_counts (type, known, accepted, duplicates, rejected, last_at)
       select c.type, c.known, c.accepted, c.duplicates, c.rejected, case when c.last_ms > 0 then to_timestamp(c.last_ms / 1000.0) end
         from json_to_recordset($1::json) as c(type text, known boolean, accepted bigint, duplicates bigint, rejected bigint, last_ms bigint)
       on conflict (type) do update set accepted = gateway_event_counts.accepted + excluded.accepted,
         duplicates = gateway_event_counts.duplicates + excluded.duplicates, rejected = gateway_event_counts.rejected + excluded.rejected,
         last_at = greatest(gateway_event_counts.last_at, excluded.last_at)`,
      [JSON.stringify([...perType].map(([type, s]) => ({ type, known: s.known, accepted: s.accepted, duplicates: s.duplicates, rejected: s.rejected, last_ms: s.lastAtMs })))],
    );
  return counts;
}

/** Inserts one group; returns the ids that were new. */
async function insertGroup(q: TxQuerier, g: PreparedGroup): Promise<Set<string>> {
  const ids = (rows: { event_id: string }[]) => new Set(rows.map((r) => r.event_id));
  switch (g.type) {
    case "stream_trace":
      return ids(await insertTraces(q, g.rowsJson!));
    case "ai_stream_status":
      return ids(await insertStatuses(q, g.rowsJson!));
    case "create_signed_ticket":
      return ids(await insertPayments(q, g.rowsJson!));
    case "create_new_payment":
      return ids(
        await q.query(
          `insert into payments_sent (event_id, at, day, request_id, session_id, manifest_id, sender, recipient, orch_url, face_value_wei, win_prob, num_tickets, expected_value_wei, price)
           select r.event_id, r.at, (r.at at time zone 'UTC')::date, r.request_id, r.session_id, r.manifest_id, r.sender, r.recipient, r.orch_url,
                  r.face_value_wei::numeric, r.win_prob::numeric, r.num_tickets, r.expected_value_wei::numeric, r.price
             from json_to_recordset($1::json) as r(event_id uuid, at timestamptz, request_id text, session_id text, manifest_id text, sender text, recipient text,
                  orch_url text, face_value_wei text, win_prob text, num_tickets integer, expected_value_wei text, price text)
           on conflict do nothing returning event_id::text`,
          [g.rowsJson],
        ),
      );
    case "discovery_results": {
      const fresh = await insertIds(q, g.type, g.ids);
      if (fresh.size && g.rowsJson)
        await q.query(
          `insert into discovery_latencies (event_id, idx, at, orch, latency_ms)
           select r.event_id, r.idx, r.at, r.orch, r.latency_ms
             from json_to_recordset($1::json) as r(event_id uuid, idx smallint, at timestamptz, orch text, latency_ms integer)
            where r.event_id = any($2::uuid[])
           on conflict do nothing`,
          [g.rowsJson, [...fresh]],
        );
      return fresh;
    }
    case "network_capabilities": {
      const fresh = await insertIds(q, g.type, g.ids);
      // Applied in time order so history moves forward; only envelopes not stored before.
      const applied = g.ids.map((id, i) => ({ id, c: g.capabilities![i] })).filter((x) => fresh.has(x.id));
      applied.sort((a, b) => a.c.atMs - b.c.atMs);
      for (const { c } of applied) await applyCapabilities(q, c.orchestrators, new Date(c.atMs).toISOString(), { origin: "event", complete: false });
      return fresh;
    }
    case "completion": {
      const fresh = await insertIds(q, "completion", g.ids);
      const jobs = g.ids.flatMap((id, i) => (fresh.has(id) ? [{ c: g.completions![i], feed: g.feeds![i] }] : []));
      if (jobs.length) await writeCompletionJobs(q, jobs);
      return fresh;
    }
    default:
      // Types this version does not read: only their ids, so they are counted once.
      return insertIds(q, "unknown", g.ids);
  }
}

async function insertIds(q: TxQuerier, type: string, ids: string[]): Promise<Set<string>> {
  const rows = await q.query<{ event_id: string }>(
    `insert into gateway_event_ids (event_id, type) select unnest($1::uuid[]), $2 on conflict do nothing returning event_id::text`,
    [ids, type],
  );
  return new Set(rows.map((r) => r.event_id));
}
