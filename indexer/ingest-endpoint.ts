// What every push endpoint (POST /api/ingest/jobs, POST /api/ingest/events) shares: 404 when no
// INGEST_TOKEN is configured, 405 for other methods, 401 without `Authorization: Bearer <token>`
// (compared as digests: the time taken says nothing about the token), 413 over INGEST_MAX_BYTES
// (checked on Content-Length and while reading, so a large body is never buffered), the error's own
// status for bad-input errors (e.g. 422 for a body that is mostly garbage), and 500 with nothing
// stored when the database fails, recorded on the status page.
import { createHash, timingSafeEqual } from "node:crypto";
import { BadInputError } from "../core/errors";
import type { Db } from "../db/client";
import type { IngestConfig } from "./config";
import { readCapped } from "./read-capped";

export type IngestHandler = (request: Request) => Promise<Response>;

export interface IngestEndpoint {
  /** source_state row that records the last push and its failures. */
  source: string;
  log: (line: string) => void;
  /** Stores a body; its answer is sent as JSON with status 200. */
  ingest: (body: Uint8Array) => Promise<unknown>;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", ...headers } });

const digest = (s: string) => createHash("sha256").update(s).digest();

export function createIngestHandler(db: Db, config: IngestConfig, endpoint: IngestEndpoint): IngestHandler {
  const expected = config.token ? digest(config.token) : null;
  return async (request) => {
    if (!expected) return json(404, { error: "Not found" });
    if (request.method !== "POST") return json(405, { error: "Use POST" }, { allow: "POST" });
    const auth = /^Bearer\s+(.+)$/i.exec(request.headers.get("authorization") ?? "");
    if (!auth || !timingSafeEqual(digest(auth[1].trim()), expected))
      return json(401, { error: "A valid 'Authorization: Bearer <token>' header is required" }, { "www-authenticate": "Bearer" });
    const tooLarge = json(413, { error: `The body is larger than ${config.maxBytes} bytes; send smaller batches` });
    if (Number(request.headers.get("content-length") ?? 0) > config.maxBytes) return tooLarge;
    const body = await readCapped(request.body, config.maxBytes);
    if (!body) return tooLarge;
    try {
      return json(200, await endpoint.ingest(body));
    } catch (e) {
      if (e instanceof BadInputError) return json(e.httpStatus, { error: e.message });
      endpoint.log(`[${endpoint.source}] push failed: ${(e as Error).message}`);
      await db
        .query(
          `insert into source_state (name, last_error, last_error_at) values ($1, $2, now())
                on conflict (name) do update set last_error = excluded.last_error, last_error_at = now()`,
          [endpoint.source, (e as Error).message],
        )
        .catch(() => {});
      return json(500, { error: "The batch could not be stored; nothing was written. Retry later." });
    }
  };
}
