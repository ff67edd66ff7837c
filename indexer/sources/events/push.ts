// POST /api/ingest/events: gateway event envelopes as NDJSON (one Kafka message value per line),
// with the job push's token rules (indexer/ingest-endpoint.ts). One transaction per request. Answers
// {"accepted", "duplicates", "unknownTypes": {"<type>": n}, "rejected": [{"line", "reason"}]}:
// accepted counts every envelope stored for the first time, unknown types included (they are
// counted, not rejected); a repeat of a stored id is a duplicate.
import { EVENT_TABLES, ensureMonths, horizonOf } from "../../../db/partitions";
import type { Db } from "../../../db/client";
import type { IngestConfig } from "../../config";
import { createIngestHandler, type IngestHandler } from "../../ingest-endpoint";
import { splitLines } from "../../log-files";
import { addStats } from "../../source-stats";
import { toEventLines } from "./lines";
import { prepareEventBatch } from "./prepare";
import { writeEventBatch } from "./store";
import { randomUUID } from "node:crypto";

export const EVENTS_PUSH_SOURCE = "events-push";

export interface EventPushResult {
  accepted: number;
  duplicates: number;
  unknownTypes: Record<string, number>;
  rejected: { line: number; reason: string }[];
}

export async function ingestEventBody(db: Db, body: Uint8Array, maxLineBytes: number): Promise<EventPushResult> {
  const raw = splitLines(Buffer.from(body.buffer, body.byteOffset, body.byteLength), maxLineBytes);
  const batch = prepareEventBatch(toEventLines(raw, Date.now(), maxLineBytes, await horizonOf(db, EVENT_TABLES)));
  await ensureMonths(db, EVENT_TABLES, batch.months); // before the transaction (db/partitions.ts)
  const c = await db.tx(async (q) => {
    const c = await writeEventBatch(q, batch, { origin: "http", fingerprint: `push:${randomUUID()}` });
    await addStats(q, EVENTS_PUSH_SOURCE, c);
    await q.query(`update source_state set last_run_at = now(), last_success_at = now(), last_error = null where name = $1`, [EVENTS_PUSH_SOURCE]);
    return c;
  });
  return {
    accepted: c.accepted,
    duplicates: c.duplicates,
    unknownTypes: c.unknownTypes,
    rejected: batch.rejected,
  };
}

export function createEventIngestHandler(db: Db, config: IngestConfig, log: (line: string) => void = () => {}): IngestHandler {
  return createIngestHandler(db, config, { source: EVENTS_PUSH_SOURCE, log, ingest: (body) => ingestEventBody(db, body, config.maxLineBytes) });
}
