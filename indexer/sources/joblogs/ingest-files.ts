// One run of the `joblogs` source: every log file in GATEWAY_LOG_DIR (log-files.ts) is read from its
// checkpoint (checkpoints.ts) to its end, batch by batch. Each batch commits with the file's new
// checkpoint in one transaction, so a crash at any point leaves the database at a batch boundary and
// the next run resumes there (decision 005). A worker thread (reader.ts) reads and validates the
// next batch while this one is written.
import { ensureMonths, horizonOf } from "../../../db/partitions";
import path from "node:path";
import type { Db, Querier, Session } from "../../../db/client";
import { Progress } from "../../progress";
import type { LogFile } from "../../log-files";
import { planFiles, type PlannedFile } from "../../file-plan";
import { GarbageBatchError, isMostlyGarbage, writeJobBatch, type BatchCounts } from "./batch";
import { crashHooksFromEnv } from "../../crash-hooks";
import { addStats } from "../../source-stats";
import { readCheckpoints, saveCheckpoint } from "./checkpoints";
import { FileReadError, JobLogReader, type ReadyBatch } from "./reader";

export const JOBLOGS_SOURCE = "joblogs";

export interface JobLogsOptions {
  dir: string;
  batchLines: number;
  maxLineBytes: number;
  log: (line: string) => void;
}

export interface JobLogsRunResult extends BatchCounts {
  /** Files that had something new. */
  files: number;
}

/** Bytes a batch may hold besides its line count: bounds memory with long (but allowed) lines. */
const BATCH_BYTES = 32 << 20;
/** Each file's batches start this small and double, so the database starts early. */
const FIRST_BATCH_LINES = 5_000;

export function runJobLogs(db: Db, opts: JobLogsOptions): Promise<JobLogsRunResult> {
  // One connection for the whole run: the staging temp tables are created once.
  return db.session((session) => runOnSession(session, opts));
}

async function runOnSession(db: Session, opts: JobLogsOptions): Promise<JobLogsRunResult> {
  const progress = new Progress(JOBLOGS_SOURCE, opts.log);
  const reader = new JobLogReader(); // starts its thread while the files are planned
  try {
    return await runFiles(db, opts, progress, reader, await planJobFiles(db, opts));
  } finally {
    await reader.close();
  }
}

async function runFiles(
  db: Session,
  opts: JobLogsOptions,
  progress: Progress,
  reader: JobLogReader,
  plan: PlannedFile[],
): Promise<JobLogsRunResult> {
  const totalDiskBytes = plan.reduce((s, p) => s + (p.file.compressed ? p.file.size : Math.max(0, p.file.size - p.start.offset)), 0);
  const totals: BatchCounts = { read: 0, accepted: 0, duplicates: 0, rejected: 0 };
  const crash = crashHooksFromEnv();
  const readOptions = {
    maxLines: opts.batchLines,
    firstBatchLines: FIRST_BATCH_LINES,
    maxBatchBytes: BATCH_BYTES,
    maxLineBytes: opts.maxLineBytes,
    notBeforeMs: await horizonOf(db, "jobs"),
  };
  let diskBytesBefore = 0;
  let batchNumber = 0;
  for (const p of plan) {
    progress.phase = path.basename(p.file.path);
    let fileDiskBytes = 0;
    let at = p.start.offset;
    try {
      // The reader thread prepares the next batch while this loop writes the current one.
      for await (const batch of reader.read(p.file, p.start, readOptions)) {
        const { prepared } = batch;
        if (isMostlyGarbage(prepared.read, prepared.rejects.length)) throw new GarbageBatchError(garbageMessage(p.file, batch));
        const hooks = crash.forBatch(++batchNumber);
        await ensureMonths(db, "jobs", prepared.months); // before the transaction (db/partitions.ts)
        const counts = await db.tx(async (q) => {
          // Rows and checkpoint commit together, so a Postgres crash can only lose both, and the next run
          // reads those lines again: no need to wait for the WAL flush (decision 005).
          await q.query("set local synchronous_commit = off");
          const c = await writeJobBatch(q, prepared, { source: "file", file: p.file.path, fingerprint: p.fingerprint }, hooks);
          await saveCheckpoint(q, p.fingerprint, p.file, batch);
          await addStats(q, JOBLOGS_SOURCE, c);
          progress.done += c.read;
          progress.fraction = totalDiskBytes ? Math.min(1, (diskBytesBefore + batch.diskBytes) / totalDiskBytes) : null;
          await progress.report(q);
          hooks.at("before-commit");
          return c;
        });
        hooks.at("after-commit");
        for (const k of Object.keys(totals) as (keyof BatchCounts)[]) totals[k] += counts[k];
        fileDiskBytes = batch.diskBytes;
        at = batch.endOffset;
      }
    } catch (e) {
      if (!(e instanceof FileReadError)) throw e;
      // Rotated away meanwhile: the next run finds it under its new name, by its fingerprint.
      if (e.code === "ENOENT") opts.log(`[${JOBLOGS_SOURCE}] ${p.file.path} moved while being read; the next run continues it`);
      // A corrupt file is bad input like a bad line: recorded, and the other files still get read.
      else await rejectFile(db, opts, p.file.path, p.fingerprint, at, e.message);
    }
    diskBytesBefore += fileDiskBytes;
  }
  progress.phase = "done";
  progress.fraction = 1;
  await progress.report(db, true);
  opts.log(
    `[${JOBLOGS_SOURCE}] ${plan.length} file(s) with new lines: ${totals.read.toLocaleString("en-US")} read, ` +
      `${totals.accepted.toLocaleString("en-US")} accepted, ${totals.duplicates.toLocaleString("en-US")} duplicates, ` +
      `${totals.rejected.toLocaleString("en-US")} rejected`,
  );
  return { ...totals, files: plan.length };
}

async function planJobFiles(db: Querier, opts: JobLogsOptions): Promise<PlannedFile[]> {
  return planFiles(await readCheckpoints(db), {
    dir: opts.dir,
    source: JOBLOGS_SOURCE,
    log: opts.log,
    unreadable: (file, fingerprint, message) => rejectFile(db, opts, file, fingerprint, 0, message),
  });
}

async function rejectFile(
  q: Querier,
  opts: JobLogsOptions,
  file: string,
  fingerprint: string,
  offset: number,
  message: string,
): Promise<void> {
  opts.log(`[${JOBLOGS_SOURCE}] ${file}: cannot read past byte ${offset}: ${message}; the other files are read on`);
  await q.query(
    `insert into job_rejects (source, file, fingerprint, byte_offset, line_number, reason, excerpt)
     values ('file', $1, $2, $3, 0, $4, '') on conflict (fingerprint, byte_offset) do nothing`,
    [file, fingerprint, offset, `file unreadable: ${message}`],
  );
}

function garbageMessage(file: LogFile, b: ReadyBatch): string {
  const { prepared } = b;
  const example = prepared.rejects[0];
  const pct = ((100 * prepared.rejects.length) / prepared.read).toFixed(1);
  return (
    `${file.path}: lines ${b.firstLine}-${b.endLine} (bytes ${b.firstOffset}-${b.endOffset}) are mostly garbage: ` +
    `${prepared.rejects.length} of ${prepared.read} rejected (${pct}%), e.g. line ${example.lineNumber}: ${example.reason}. ` +
    `Nothing from this batch was stored and the checkpoint did not move; fix or remove the file, then run again.`
  );
}
