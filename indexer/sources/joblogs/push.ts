// HTTP push of gateway job logs: `POST /api/ingest/jobs` with an NDJSON body. The same validation,
// staging, insert and rollups as the file source, one transaction per request. The Remix route calls
// the handler through the load context (server.ts), so the app never imports indexer code.
import { createHash, timingSafeEqual } from "node:crypto";
import type { Db } from "../../../db/client";
import type { IngestConfig } from "../../config";
import type { RawLine } from "./log-files";
import { addStats, GarbageBatchError, isMostlyGarbage, prepareBatch, writeJobBatch } from "./batch";

/** source_state row that counts pushed lines (stats) and when the last push arrived. */
export const PUSH_SOURCE = "joblogs-push";

export interface PushResult {
  accepted: number;
  duplicates: number;
  /** 1-based line numbers in the body. */
  rejected: { line: number; reason: string }[];
}

/** Splits a body into lines with their byte offsets; the last line needs no newline. */
function bodyLines(body: Uint8Array, maxLineBytes: number): RawLine[] {
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const lines: RawLine[] = [];
  for (let start = 0, lineNumber = 1; start < buf.length; lineNumber++) {
    const nl = buf.indexOf(10, start);
    const end = nl === -1 ? buf.length : nl;
    const length = end - start;
    const bytes = buf.subarray(start, end);
    lines.push(
      length > maxLineBytes
        ? { offset: start, lineNumber, bytes: null, length, head: bytes.subarray(0, 160) }
        : { offset: start, lineNumber, bytes, length },
    );
    start = end + 1;
  }
  return lines;
}

/**
 * Stores the valid lines of an NDJSON body and reports every other one, all in one transaction:
 * a request is stored entirely or not at all. Throws GarbageBatchError (nothing stored) when the
 * body is mostly garbage, by the same rule as a file batch.
 */
export async function ingestNdjson(db: Db, body: Uint8Array | string, opts: { maxLineBytes: number }): Promise<PushResult> {
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  const prepared = await prepareBatch(bodyLines(bytes, opts.maxLineBytes), opts.maxLineBytes);
  if (isMostlyGarbage(prepared.read, prepared.rejects.length))
    throw new GarbageBatchError(
      `${prepared.rejects.length} of ${prepared.read} lines are not valid job records (first: line ${prepared.rejects[0].lineNumber}, ${prepared.rejects[0].reason}); nothing was stored`,
    );
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

export type JobIngestHandler = (request: Request) => Promise<Response>;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", ...headers } });

const digest = (s: string) => createHash("sha256").update(s).digest();

/**
 * The whole contract of POST /api/ingest/jobs (README, "Push job logs"): 404 when no INGEST_TOKEN is
 * configured, 401 without `Authorization: Bearer <token>`, 413 over INGEST_MAX_BYTES (checked on
 * Content-Length and while reading, so a large body is never buffered), 422 when the body is mostly
 * garbage (nothing stored), 200 with {accepted, duplicates, rejected: [{line, reason}]} otherwise.
 */
export function createJobIngestHandler(db: Db, config: IngestConfig, log: (line: string) => void = () => {}): JobIngestHandler {
  const expected = config.token ? digest(config.token) : null;
  return async (request) => {
    if (!expected) return json(404, { error: "Not found" });
    if (request.method !== "POST") return json(405, { error: "Use POST" }, { allow: "POST" });
    const auth = /^Bearer\s+(.+)$/i.exec(request.headers.get("authorization") ?? "");
    // Compare digests: equal lengths, and the time taken says nothing about the token.
    if (!auth || !timingSafeEqual(digest(auth[1].trim()), expected))
      return json(401, { error: "A valid 'Authorization: Bearer <token>' header is required" }, { "www-authenticate": "Bearer" });
    const tooLarge = json(413, { error: `The body is larger than ${config.maxBytes} bytes; send smaller batches` });
    if (Number(request.headers.get("content-length") ?? 0) > config.maxBytes) return tooLarge;
    const body = await readCapped(request, config.maxBytes);
    if (!body) return tooLarge;
    try {
      return json(200, await ingestNdjson(db, body, { maxLineBytes: config.maxLineBytes }));
    } catch (e) {
      if (e instanceof GarbageBatchError) return json(e.httpStatus, { error: e.message });
      log(`[${PUSH_SOURCE}] push failed: ${(e as Error).message}`);
      await db
        .query(
          `insert into source_state (name, last_error, last_error_at) values ($1, $2, now())
                on conflict (name) do update set last_error = excluded.last_error, last_error_at = now()`,
          [PUSH_SOURCE, (e as Error).message],
        )
        .catch(() => {});
      return json(500, { error: "The batch could not be stored; nothing was written. Retry later." });
    }
  };
}

/** The request body, or null as soon as it exceeds maxBytes (the rest is not read). */
async function readCapped(request: Request, maxBytes: number): Promise<Uint8Array | null> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    parts.push(value);
  }
  return Buffer.concat(parts);
}
