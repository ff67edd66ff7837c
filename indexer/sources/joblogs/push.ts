// HTTP push of gateway job logs: `POST /api/ingest/jobs` with an NDJSON body. The same validation,
// staging, insert and rollups as the file source, one transaction per request. The Remix route calls
// the handler through the load context (server.ts), so the app never imports indexer code.
import type { Db } from "../../../db/client";
import { ensureMonths, horizonOf } from "../../../db/partitions";
import type { IngestConfig } from "../../config";
import { splitLines } from "../../log-files";
import { GarbageBatchError, isMostlyGarbage, prepareBatch, writeJobBatch } from "./batch";
import { addStats } from "../../source-stats";
import { createIngestHandler, type IngestHandler } from "../../ingest-endpoint";

/** source_state row that counts pushed lines (stats) and when the last push arrived. */
export const PUSH_SOURCE = "joblogs-push";

export interface PushResult {
  accepted: number;
  duplicates: number;
  /** 1-based line numbers in the body. */
  rejected: { line: number; reason: string }[];
}

/**
 * Stores the valid lines of an NDJSON body and reports every other one, all in one transaction:
 * a request is stored entirely or not at all. Throws GarbageBatchError (nothing stored) when the
 * body is mostly garbage, by the same rule as a file batch.
 */
export async function ingestNdjson(db: Db, body: Uint8Array | string, opts: { maxLineBytes: number }): Promise<PushResult> {
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  const prepared = await prepareBatch(splitLines(Buffer.from(bytes), opts.maxLineBytes), opts.maxLineBytes, { notBeforeMs: await horizonOf(db, "jobs") });
  if (isMostlyGarbage(prepared.read, prepared.rejects.length))
    throw new GarbageBatchError(
      `${prepared.rejects.length} of ${prepared.read} lines are not valid job records (first: line ${prepared.rejects[0].lineNumber}, ${prepared.rejects[0].reason}); nothing was stored`,
    );
  await ensureMonths(db, "jobs", prepared.months); // before the transaction (db/partitions.ts)
  const counts = await db.tx(async (q) => {
    const c = await writeJobBatch(q, prepared, { source: "http" });
    await addStats(q, PUSH_SOURCE, c);
    await q.query(`update source_state set last_run_at = now(), last_success_at = now() where name = $1`, [PUSH_SOURCE]);
    return c;
  });
  return {
    accepted: counts.accepted,
    duplicates: counts.duplicates,
    rejected: prepared.rejects.map((r) => ({ line: r.lineNumber, reason: r.reason })),
  };
}

export type JobIngestHandler = IngestHandler;

/**
 * The whole contract of POST /api/ingest/jobs (README, "Push job logs"): indexer/ingest-endpoint.ts
 * (404 without INGEST_TOKEN, 401, 413, 405), 422 when the body is mostly garbage (nothing stored),
 * 200 with {accepted, duplicates, rejected: [{line, reason}]} otherwise.
 */
export function createJobIngestHandler(db: Db, config: IngestConfig, log: (line: string) => void = () => {}): JobIngestHandler {
  return createIngestHandler(db, config, { source: PUSH_SOURCE, log, ingest: (body) => ingestNdjson(db, body, { maxLineBytes: config.maxLineBytes }) });
}
