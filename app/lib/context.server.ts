// The load context every loader receives from server.ts: the database, opened once per process, and
// the push handlers (POST /api/ingest/jobs and /api/ingest/events), which live in the indexer.
// Type-only imports: PGlite/postgres.js and indexer code must never enter the Remix bundle.
import type { AppLoadContext } from "@remix-run/node";
import type { Db } from "../../db/client";
import type { ReplicaStatus } from "../../db/read-replica";

/** Answers a push (jobs or events): 404 without INGEST_TOKEN, 401, 405, 413, 422, or 200 with the counts. */
export type JobIngestHandler = (request: Request) => Promise<Response>;

declare module "@remix-run/node" {
  interface AppLoadContext {
    db: Db;
    ingestJobs: JobIngestHandler;
    ingestEvents: JobIngestHandler;
    /** The TCP peer's address (rate limits; X-Forwarded-For only counts with TRUST_PROXY=1). */
    clientAddress?: string | null;
    /** This server's own listener (http://127.0.0.1:PORT): the only origin a PDF render loads. */
    selfOrigin?: string;
    /** This response's Content-Security-Policy nonce (server/security-headers.ts). */
    cspNonce?: string;
    /** The read replica's state (DATABASE_READ_URL), null without one (db/read-replica.ts). */
    replica?: () => ReplicaStatus | null;
  }
  interface Future {
    v3_singleFetch: true;
  }
}

export type { Db, ReplicaStatus };

export function replicaFrom(context: AppLoadContext): ReplicaStatus | null {
  return (context as { replica?: () => ReplicaStatus | null }).replica?.() ?? null;
}

export function dbFrom(context: AppLoadContext): Db {
  const db = (context as { db?: Db }).db;
  if (!db) throw new Error("No database in the load context: serve the build through server.ts (startServer).");
  return db;
}

export function ingestJobsFrom(context: AppLoadContext): JobIngestHandler {
  const handler = (context as { ingestJobs?: JobIngestHandler }).ingestJobs;
  if (!handler) throw new Error("No job ingest handler in the load context: serve the build through server.ts (startServer).");
  return handler;
}

export function ingestEventsFrom(context: AppLoadContext): JobIngestHandler {
  const handler = (context as { ingestEvents?: JobIngestHandler }).ingestEvents;
  if (!handler) throw new Error("No event ingest handler in the load context: serve the build through server.ts (startServer).");
  return handler;
}

/** This server's own origin, never the request's Host or X-Forwarded-Host (those are the client's words). */
export function selfOriginFrom(context: AppLoadContext): string {
  const origin = (context as { selfOrigin?: string }).selfOrigin;
  if (!origin) throw new Error("No server origin in the load context: serve the build through server.ts (startServer).");
  return origin;
}
