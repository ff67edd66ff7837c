// Throwaway databases for the benches: a fresh Postgres database on BENCH_DATABASE_URL's server and
// a fresh PGlite directory, each dropped after use.
import fs from "node:fs";
import postgres from "postgres";
import { benchDatabaseUrl } from "../core/settings";
import { openDb, type Db } from "../db/client";

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 3 });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}

/**
 * Runs fn on a fresh Postgres database `name` (migrated), dropped afterwards. When no Postgres
 * answers, logs why and returns null: the benches still run on PGlite.
 */
export async function withBenchPostgres<T>(name: string, fn: (db: Db) => Promise<T>, log: (s: string) => void): Promise<T | null> {
  const adminUrl = benchDatabaseUrl();
  let db: Db;
  try {
    await dropDatabase(adminUrl, name);
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 3 });
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    db = await openDb({ databaseUrl: u.toString() });
  } catch (e) {
    log(`Postgres skipped: ${(e as Error).message} (set BENCH_DATABASE_URL to a server where the bench may create a database)`);
    return null;
  }
  try {
    return await fn(db);
  } finally {
    await db.close();
    await dropDatabase(adminUrl, name);
  }
}

/** Runs fn on a fresh PGlite directory, removed afterwards. */
export async function withBenchPglite<T>(dir: string, fn: (db: Db) => Promise<T>): Promise<T> {
  fs.rmSync(dir, { recursive: true, force: true });
  const db = await openDb({ pgliteDir: dir, databaseUrl: "" });
  try {
    return await fn(db);
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
