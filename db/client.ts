// Opens the database: a real Postgres through postgres.js when DATABASE_URL is set, otherwise an
// embedded PGlite in ./data/pglite (PGLITE_DIR overrides; "memory://" keeps it in memory).
// Applies the committed migrations on open. Exposes plain parameterised SQL (`query`, `tx`) that
// behaves the same on both engines, plus the drizzle instance for typed queries.
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { settings } from "../core/settings";
import { lockPgliteDir } from "./pglite-lock";
import * as schema from "./schema";

export { DirectoryLockedError } from "./pglite-lock";

export type Row = Record<string, unknown>;

export interface Querier {
  /** Runs one parameterised statement ($1, $2, ...) and returns its rows. */
  query<T = Row>(text: string, params?: unknown[]): Promise<T[]>;
}

/** A querier inside a transaction, with the bulk path. */
export interface TxQuerier extends Querier {
  /** Runs one statement and returns how many rows it inserted, updated or deleted. */
  execute(text: string, params?: unknown[]): Promise<number>;
  /**
   * Loads COPY text-format data into `table (columns)`: postgres.js `COPY ... FROM STDIN`, PGlite
   * `COPY ... FROM '/dev/blob'`. Table and column names are trusted identifiers from our code.
   */
  copyIn(table: string, columns: readonly string[], data: Uint8Array): Promise<void>;
}

export interface Session extends Querier {
  tx<T>(fn: (q: TxQuerier) => Promise<T>): Promise<T>;
}

export interface Db extends Querier {
  kind: "pglite" | "postgres";
  /** Human description without secrets, e.g. "PGlite ./data/pglite" or "Postgres 127.0.0.1:5432/obs". */
  label: string;
  /** Runs fn in one transaction; everything commits or nothing does. */
  tx<T>(fn: (q: TxQuerier) => Promise<T>): Promise<T>;
  /**
   * Runs fn with queries and transactions pinned to one connection (Postgres; PGlite has only one),
   * so session state such as temp tables is set up once rather than once per pooled connection.
   */
  session<T>(fn: (s: Session) => Promise<T>): Promise<T>;
  /** Raw handles for bulk paths (COPY) and typed drizzle queries. */
  pglite?: PGlite;
  sql?: postgres.Sql;
  orm: ReturnType<typeof drizzlePglite<typeof schema>> | ReturnType<typeof drizzlePostgres<typeof schema>>;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string;
  pgliteDir?: string;
  /** Skip migrations (only for tools that know the schema is current). */
  migrate?: boolean;
  /** Postgres connections at most (DATABASE_POOL_SIZE, default 10). */
  poolSize?: number;
}


function migrationsFolder(): string {
  const candidates = [
    settings().MIGRATIONS_DIR,
    path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations"),
    path.join(process.cwd(), "db", "migrations"),
  ].filter(Boolean) as string[];
  for (const c of candidates) if (fs.existsSync(path.join(c, "meta", "_journal.json"))) return c;
  throw new Error(`Cannot find db/migrations (looked in ${candidates.join(", ")}). Run from the project root.`);
}

// Dates stay 'YYYY-MM-DD' strings and int8 becomes a JS number (counts, blocks: never money).
// numeric stays a decimal string on both engines.
const DATE_OID = 1082;
const INT8_OID = 20;
const TIMESTAMPTZ_OID = 1184;

/** '2026-11-29 14:41:59.002254+00' -> '2026-11-29T14:41:59.002Z' (both engines return ISO strings). */
export function pgTimestampToIso(x: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-]\d{2})(?::?(\d{2}))?$/.exec(x);
  if (!m) return new Date(x).toISOString();
  return new Date(`${m[1]}T${m[2]}${m[3]}:${m[4] ?? "00"}`).toISOString();
}

export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `Postgres ${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return "Postgres (unparseable DATABASE_URL)";
  }
}

/**
 * postgres.js cannot bind JS arrays through `unsafe` without fetched array types; a Postgres array
 * literal works everywhere the SQL casts the parameter (`$1::numeric[]`).
 */
function toPgParam(v: unknown): unknown {
  if (!Array.isArray(v)) return v;
  return `{${v
    .map((x) => (x === null || x === undefined ? "NULL" : `"${String(x).replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`))
    .join(",")}}`;
}

export async function openDb(opts: OpenOptions = {}): Promise<Db> {
  const s = settings();
  const databaseUrl = opts.databaseUrl ?? s.DATABASE_URL;
  const db = databaseUrl ? await openPostgres(databaseUrl, opts.poolSize ?? s.DATABASE_POOL_SIZE) : await openPglite(opts.pgliteDir ?? s.PGLITE_DIR);
  if (opts.migrate !== false) await db.migrate();
  return db;
}

type OpenedDb = Db & { migrate(): Promise<void> };

async function openPostgres(url: string, poolSize: number): Promise<OpenedDb> {
  const sql = postgres(url, {
    max: poolSize,
    onnotice: () => {},
    // Seconds. A host that drops packets fails a connect after 10 s instead of 30; after a failed
    // connect a pool slot waits at most 2 s before its next try (postgres.js's default grows to
    // 20 s), so pages answer again within seconds of Postgres coming back.
    connect_timeout: 10,
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 2),
    // Job log batches are staged in temp tables (tens of MB); the 8 MB default spills them to disk.
    // Allocated only by sessions that use temp tables.
    // No JIT: every query here is a page's or a batch's, tens of milliseconds at most, and a plan
    // with a high estimated cost (the network history's correlated subqueries) otherwise spends
    // 230 ms compiling to save nothing (measured: /network loader 336 ms with JIT, see bench/live.ts).
    // application_name names this process in pg_stat_activity (and so the holder of the indexer's
    // writer lock in pg_locks), for an operator running several instances.
    connection: { temp_buffers: "64MB", jit: "off", application_name: `observatory pid ${process.pid}` },
    ...noDelaySocketOption(url),
    types: {
      date: { to: DATE_OID, from: [DATE_OID], serialize: (x: string) => x, parse: (x: string) => x },
      int8: { to: INT8_OID, from: [INT8_OID], serialize: (x: number) => String(x), parse: (x: string) => Number(x) },
      timestamptz: {
        to: TIMESTAMPTZ_OID,
        from: [TIMESTAMPTZ_OID],
        serialize: (x: Date | string) => (x instanceof Date ? x.toISOString() : x),
        parse: pgTimestampToIso,
      },
    } as never,
  });
  const orm = drizzlePostgres(sql, { schema });
  // drizzle's driver installs pass-through parsers for date/time types; keep ours (ISO strings).
  const parsers = (sql as unknown as { options: { parsers: Record<number, (x: string) => unknown> } }).options.parsers;
  parsers[TIMESTAMPTZ_OID] = pgTimestampToIso;
  parsers[DATE_OID] = (x: string) => x;
  const mk = (s: postgres.Sql | postgres.TransactionSql): Querier => ({
    query: async <T,>(text: string, params: unknown[] = []) =>
      (await s.unsafe(text, params.map(toPgParam) as never[])) as unknown as T[],
  });
  const txOn = async <T,>(reserved: postgres.ReservedSql, f: (q: TxQuerier) => Promise<T>): Promise<T> => {
    await reserved.unsafe("begin");
    try {
      const result = await f(mkTx(reserved));
      await reserved.unsafe("commit");
      return result;
    } catch (e) {
      await reserved.unsafe("rollback").catch(() => {});
      throw e;
    }
  };
  const mkTx = (t: postgres.TransactionSql | postgres.ReservedSql): TxQuerier => ({
    ...mk(t),
    execute: async (text, params = []) => (await t.unsafe(text, params.map(toPgParam) as never[])).count,
    async copyIn(table, columns, data) {
      const query = t.unsafe(`copy ${table} (${columns.join(", ")}) from stdin`);
      const failed = serverErrorOf(query);
      const writable = await query.writable();
      await withTimeout(Promise.race([pipeline(Readable.from([data]), writable), failed]), COPY_TIMEOUT_MS, `COPY into ${table}`);
    },
  });
  return {
    kind: "postgres",
    label: describeUrl(url),
    sql,
    orm,
    ...mk(sql),
    // Transactions are spelled out on a reserved connection rather than sql.begin(): begin() fails the
    // whole transaction on any statement error, even one the caller recovers from with ROLLBACK TO
    // SAVEPOINT (the job insert's fast path does).
    async tx<T>(fn: (q: TxQuerier) => Promise<T>): Promise<T> {
      const reserved = await sql.reserve();
      try {
        return await txOn(reserved, fn);
      } finally {
        reserved.release();
      }
    },
    async session(fn) {
      const reserved = await sql.reserve();
      const tx = <T,>(f: (q: TxQuerier) => Promise<T>): Promise<T> => txOn(reserved, f);
      try {
        return await fn({ ...mk(reserved), tx });
      } finally {
        reserved.release();
      }
    },
    async migrate() {
      const reserved = await sql.reserve();
      try {
        await reserved`select pg_advisory_lock(7217700)`;
        await migratePostgres(orm, { migrationsFolder: migrationsFolder() });
      } finally {
        await reserved`select pg_advisory_unlock(7217700)`.catch(() => {});
        reserved.release();
      }
    },
    close: () => sql.end({ timeout: 5 }),
  };
}

async function openPglite(dir: string): Promise<OpenedDb> {
  const memory = dir.startsWith("memory://");
  let releaseLock = () => {};
  if (!memory) {
    fs.mkdirSync(dir, { recursive: true });
    releaseLock = await lockPgliteDir(dir);
  }
  let pg: PGlite;
  try {
    // A new directory is made by initdb, whose memory the instance keeps for its whole life (about
    // 450 MB of RSS: 848 MB against 386 MB for reopening a made directory, PGlite 0.5.17). So a new
    // directory is made, closed, and opened again.
    if (!memory && !fs.existsSync(path.join(dir, "PG_VERSION"))) await (await PGlite.create(dir)).close();
    pg = await PGlite.create(memory ? undefined : dir, {
      parsers: { [DATE_OID]: (x: string) => x, [INT8_OID]: (x: string) => Number(x), [TIMESTAMPTZ_OID]: pgTimestampToIso },
    });
  } catch (e) {
    releaseLock();
    throw e;
  }
  const orm = drizzlePglite(pg, { schema });
  const mk = (s: Pick<PGlite, "query">): TxQuerier => ({
    query: async <T,>(text: string, params: unknown[] = []) => (await s.query<T>(text, params)).rows,
    execute: async (text, params = []) => (await s.query(text, params)).affectedRows ?? 0,
    async copyIn(table, columns, data) {
      await s.query(`copy ${table} (${columns.join(", ")}) from '/dev/blob'`, [], { blob: new Blob([data as BlobPart]) });
    },
  });
  const tx = <T,>(fn: (q: TxQuerier) => Promise<T>) => pg.transaction((t) => fn(mk(t)));
  return {
    kind: "pglite",
    label: memory ? "PGlite (in memory)" : `PGlite ${dir}`,
    pglite: pg,
    orm,
    ...mk(pg),
    tx,
    session: (fn) => fn({ ...mk(pg), tx }),
    async migrate() {
      await migratePglite(orm, { migrationsFolder: migrationsFolder() });
    },
    async close() {
      try {
        await pg.close();
      } finally {
        releaseLock();
      }
    },
  };
}

const COPY_TIMEOUT_MS = 120_000;

/**
 * postgres.js leaves Nagle's algorithm on, and every statement that follows a COPY then waits for
 * a delayed ACK (44 ms here, more than the statement itself). For a URL naming one TCP host we
 * hand it sockets with TCP_NODELAY (TLS still wraps them); unix sockets and multi-host URLs keep
 * postgres.js's own sockets.
 *
 * The factory returns the socket while it is still connecting and never rejects. postgres.js runs
 * its cleanup (close handler, backoff, the pool slot back to "closed") only for a socket it holds:
 * a factory that rejects leaves the slot "connecting" forever, and once every slot has failed that
 * way (Postgres stopped for 20 s) every query waits for good. A failed connect now reaches
 * postgres.js as the socket's own 'error' and 'close'. Its writes (the startup message) are queued
 * by the socket until it connects; its connect_timeout starts as it gets the socket.
 */
function noDelaySocketOption(url: string): { socket?: unknown } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return {};
  }
  if (!u.hostname || u.hostname.includes(",") || u.searchParams.has("host")) return {};
  const socket = (o: { host: string[]; port: number[] }) => net.connect({ host: o.host[0], port: o.port[0], noDelay: true });
  return { socket };
}

/**
 * The error the server raises for a COPY FROM STDIN, wherever it comes. postgres.js resolves a COPY
 * query with its stream; an error raised after the last row was sent (a unique violation in the
 * final rows, say) then reaches only the query's `reject`, which can no longer settle it, and the
 * stream never finishes. The connection itself is left ready for the next statement (ROLLBACK TO
 * SAVEPOINT, say), so listening on `reject` is all that is missing. postgres.js is pinned, and the
 * job log tests on Postgres cover a violation in a batch's last row.
 */
function serverErrorOf(query: object): Promise<never> {
  const q = query as unknown as { reject: (e: unknown) => void };
  const reject = q.reject;
  const failed = new Promise<never>((_, fail) => {
    q.reject = (e) => {
      fail(e);
      reject(e);
    };
  });
  failed.catch(() => {}); // observed through Promise.race when it matters
  return failed;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
