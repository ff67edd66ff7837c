// Runs every configured source once (sources/registry.ts decides which, in which order), recording
// each run (start, end, rows, error) in source_state and indexer_runs so the status page can tell
// what happened. Gateway tags are synced first, once per run. One writer at a time: on Postgres a
// session advisory lock guards the run (PGlite is already single-process by its directory lock).
import { BadInputError, BusyError } from "../core/errors";
import type { Db } from "../db/client";
import type { IndexerConfig } from "./config";
import { runAlerts } from "./alerts";
import { readGatewayTags, syncGatewayTags } from "./gateway-tags";
import { syncProgramFiles } from "./program-files";
import { sourcesToRun } from "./sources/registry";
import type { Source } from "./sources/source";

export interface SourceOutcome {
  source: string;
  ok: boolean;
  rowsWritten: number;
  block?: number;
  error?: string;
  seconds: number;
}

const WRITER_LOCK = 7217701;

/** Nothing to run: no source is configured (bad-input). */
export class NoSourcesError extends BadInputError {}
/** Another indexer holds the Postgres writer lock (busy: the CLI exits 3). */
export class LockedError extends BusyError {}

export async function runAllSources(db: Db, config: IndexerConfig): Promise<SourceOutcome[]> {
  const sources = sourcesToRun(config);
  if (!sources.length)
    throw new NoSourcesError(
      "No sources are configured: set SUBGRAPH_URL, GATEWAY_LOG_DIR, GATEWAY_CAPABILITIES_URL or GATEWAY_EVENTS_DIR (see README, 'Point it at the real network').",
    );
  return withWriterLock(db, async () => {
    await syncGatewayTags(db, readGatewayTags(config.gatewayTagsFile));
    // Budgets and grant recipients: a problem there is logged and shown, and stops nothing.
    await db.tx((q) => syncProgramFiles(q, { tagsFile: config.gatewayTagsFile, recipientsFile: config.treasuryRecipientsFile }, config.log));
    const outcomes: SourceOutcome[] = [];
    for (const source of sources) outcomes.push(await runSource(db, config, source));
    // Alerts over what is now stored (never fails the run; indexer/alerts/index.ts).
    if (config.alertsFile) await runAlerts(db, config.alertsFile, config.log);
    return outcomes;
  });
}

async function runSource(db: Db, config: IndexerConfig, entry: Source): Promise<SourceOutcome> {
  const source = entry.name;
  const started = Date.now();
  await db.query(
    `insert into source_state (name, last_run_at) values ($1, now())
     on conflict (name) do update set last_run_at = now(), progress = null`,
    [source],
  );
  const [run] = await db.query<{ id: number }>(
    `insert into indexer_runs (source, started_at) values ($1, now()) returning id`,
    [source],
  );
  try {
    const r = await entry.run(db, config);
    await db.tx(async (q) => {
      await q.query(
        `update source_state set last_success_at = now(), last_error = null, rows_written = rows_written + $2,
           last_run_rows = $2, progress = null where name = $1`,
        [source, r.rowsWritten],
      );
      await q.query(`update indexer_runs set finished_at = now(), ok = true, rows_written = $2, block = $3 where id = $1`, [run.id, r.rowsWritten, r.block]);
    });
    return { source, ok: true, rowsWritten: r.rowsWritten, block: r.block ?? undefined, seconds: (Date.now() - started) / 1000 };
  } catch (e) {
    const error = (e as Error).message ?? String(e);
    await db.tx(async (q) => {
      await q.query(`update source_state set last_error = $2, last_error_at = now(), progress = null where name = $1`, [source, error]);
      await q.query(`update indexer_runs set finished_at = now(), ok = false, error = $2 where id = $1`, [run.id, error]);
    });
    config.log(`[${source}] run failed: ${error}`);
    return { source, ok: false, rowsWritten: 0, error, seconds: (Date.now() - started) / 1000 };
  }
}

async function withWriterLock<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  if (db.kind !== "postgres" || !db.sql) return fn();
  const conn = await db.sql.reserve();
  try {
    const [r] = await conn`select pg_try_advisory_lock(${WRITER_LOCK}) as ok`;
    if (!r.ok) throw new LockedError("Another indexer is writing to this database right now; this run exits without doing anything.");
    try {
      return await fn();
    } finally {
      await conn`select pg_advisory_unlock(${WRITER_LOCK})`;
    }
  } finally {
    conn.release();
  }
}
