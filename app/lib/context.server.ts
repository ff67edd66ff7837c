// The load context every loader receives from server.ts: the database, opened once per process.
// Type-only import: PGlite/postgres.js must never enter the Remix bundle.
import type { AppLoadContext } from "@remix-run/node";
import type { Db } from "../../db/client";

declare module "@remix-run/node" {
  interface AppLoadContext {
    db: Db;
  }
  interface Future {
    v3_singleFetch: true;
  }
}

export type { Db };

export function dbFrom(context: AppLoadContext): Db {
  const db = (context as { db?: Db }).db;
  if (!db) throw new Error("No database in the load context: serve the build through server.ts (startServer).");
  return db;
}
