// Real databases for tests: PGlite in memory always; a real Postgres when TEST_DATABASE_URL is set.
// On Postgres every test database is created fresh on that server and dropped afterwards, so tests
// never touch the database DATABASE_URL names.
import postgres from "postgres";
import { openDb, type Db } from "../../db/client";

export type Backend = "pglite" | "postgres";

export function backends(): Backend[] {
  return process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
}

export interface TestDb extends Db {
  /** Empties every table (keeps the schema and the migrations' reference data). */
  reset(): Promise<void>;
  /** Connection string for Postgres test databases (for child processes). */
  url?: string;
}

export async function openTestDb(backend: Backend): Promise<TestDb> {
  if (backend === "pglite") {
    const db = await openDb({ pgliteDir: "memory://", databaseUrl: "" });
    return Object.assign(db, { reset: () => truncateAll(db) });
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error("TEST_DATABASE_URL is not set");
  const name = `observatory_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const db = await openDb({ databaseUrl: u.toString() });
  const close = db.close;
  return Object.assign(db, {
    url: u.toString(),
    reset: () => truncateAll(db),
    async close() {
      await close();
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  });
}

export async function truncateAll(db: Db): Promise<void> {
  const rows = await db.query<{ t: string }>(`select tablename as t from pg_tables where schemaname = 'public'`);
  if (rows.length) await db.query(`truncate ${rows.map((r) => `"${r.t}"`).join(", ")} restart identity`);
}
