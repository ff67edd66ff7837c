// One run of the `events` source over GATEWAY_EVENTS_DIR: every exported event file (*.jsonl,
// rotated *.jsonl.gz; one envelope per line, as `kcat -e` writes them) is read from its checkpoint
// to its end, batch by batch, each batch committing with the file's checkpoint in one transaction
// (the job logs' guarantees, decision 005): a crash leaves the database at a batch boundary, a
// partial last line waits for the next run, a rotated or compressed file continues by fingerprint.
import { EVENT_TABLES, ensureMonths, horizonOf } from "../../../db/partitions";
import path from "node:path";
import type { Db, Querier } from "../../../db/client";
import { crashHooksFromEnv } from "../../crash-hooks";
import { planFiles } from "../../file-plan";
import {
  BatchReader,
  FileReadError,
  type ReadyBatch,
} from "../../batch-reader";
import type { LogFile } from "../../log-files";
import { Progress } from "../../progress";
import { addStats } from "../../source-stats";
import { addCounts, emptyCounts } from "./counts";
import type { PreparedEventBatch } from "./prepare";
import { writeEventBatch, type EventCounts } from "./store";

export const EVENTS_SOURCE = "events";

export interface EventFilesOptions {
  dir: string;
  batchLines: number;
  maxLineBytes: number;
  log: (line: string) => void;
}

const BATCH_BYTES = 32 << 20;

class EventReader extends BatchReader<PreparedEventBatch> {
  constructor() {
    super(new URL("./reader-worker.ts", import.meta.url), "event");
  }
}

export async function runEventFiles(
  db: Db,
  opts: EventFilesOptions
): Promise<EventCounts & { files: number }> {
  const checkpoints = await db.query<{
    fingerprint: string;
    byte_offset: number;
    line_number: number;
    done: boolean;
  }>(
    `select fingerprint, byte_offset, line_number, done from gateway_event_files`
  );
  const plan = await planFiles(
    new Map(checkpoints.map((c) => [c.fingerprint, c])),
    {
      dir: opts.dir,
      source: EVENTS_SOURCE,
      log: opts.log,
      unreadable: (file, fingerprint, message) =>
        rejectFile(db, file, fingerprint, 0, message, opts.log),
    }
  );
  const progress = new Progress(EVENTS_SOURCE, opts.log);
  const totals = emptyCounts();
  const totalBytes = plan.reduce(
    (s, p) =>
      s +
      (p.file.compressed
        ? p.file.size
        : Math.max(0, p.file.size - p.start.offset)),
    0
  );
  const crash = crashHooksFromEnv();
  const notBeforeMs = await horizonOf(db, EVENT_TABLES);
  const reader = new EventReader(); // parses the next batch on another core while this one is written
  try {
    let bytesBefore = 0;
    let batchNumber = 0;
    for (const p of plan) {
      progress.phase = path.basename(p.file.path);
      let fileBytes = 0;
      let at = p.start.offset;
      const batches = reader.read(p.file, p.start, {
        maxLines: opts.batchLines,
        maxBatchBytes: BATCH_BYTES,
        maxLineBytes: opts.maxLineBytes,
        notBeforeMs,
      });
      for (;;) {
        // Errors reading the file are the file's (recorded, the other files go on); errors writing are the run's.
        let next: IteratorResult<ReadyBatch<PreparedEventBatch>>;
        try {
          next = await batches.next();
        } catch (e) {
          if (!(e instanceof FileReadError)) throw e;
          if (e.code === "ENOENT")
            opts.log(
              `[${EVENTS_SOURCE}] ${p.file.path} moved while being read; the next run continues it`
            );
          else
            await rejectFile(
              db,
              p.file.path,
              p.fingerprint,
              at,
              e.message,
              opts.log
            );
          break;
        }
        if (next.done) break;
        const b = next.value;
        const hooks = crash.forBatch(++batchNumber);
        await ensureMonths(db, EVENT_TABLES, b.prepared.months); // before the transaction (db/partitions.ts)
        const c = await db.tx(async (q) => {
          await q.query("set local synchronous_commit = off"); // rows and checkpoint are lost together or not at all
          const c = await writeEventBatch(q, b.prepared, {
            origin: "file",
            file: p.file.path,
            fingerprint: p.fingerprint,
          });
          hooks.at("after-copy");
          await saveCheckpoint(q, p.fingerprint, p.file, b);
          await addStats(q, EVENTS_SOURCE, c);
          progress.done += c.read;
          progress.fraction = totalBytes
            ? Math.min(1, (bytesBefore + b.diskBytes) / totalBytes)
            : null;
          await progress.report(q);
          hooks.at("before-commit");
          return c;
        });
        hooks.at("after-commit");
        addCounts(totals, c);
        fileBytes = b.diskBytes;
        at = b.endOffset;
      }
      bytesBefore += fileBytes;
    }
  } finally {
    await reader.close();
  }
  progress.phase = "done";
  progress.fraction = 1;
  await progress.report(db, true);
  const unknown = Object.entries(totals.unknownTypes)
    .map(([t, n]) => `${t} ${n}`)
    .join(", ");
  opts.log(
    `[${EVENTS_SOURCE}] ${
      plan.length
    } file(s) with new lines: ${totals.read.toLocaleString(
      "en-US"
    )} read, ${totals.accepted.toLocaleString("en-US")} stored, ` +
      `${totals.duplicates.toLocaleString(
        "en-US"
      )} duplicates, ${totals.rejected.toLocaleString("en-US")} rejected${
        unknown ? ` (types not read: ${unknown})` : ""
      }`
  );
  return { ...totals, files: plan.length };
}

async function saveCheckpoint(
  q: Querier,
  fingerprint: string,
  file: LogFile,
  at: { endOffset: number; endLine: number; done: boolean }
): Promise<void> {
  await q.query(
    `insert into gateway_event_files (fingerprint, path, compressed, device, inode, byte_offset, line_number, done)
     values ($1, $2, $3, $4, $5, $6, $7, $8)
     on conflict (fingerprint) do update set path = excluded.path, compressed = excluded.compressed, device = excluded.device,
       inode = excluded.inode, byte_offset = excluded.byte_offset, line_number = excluded.line_number, done = excluded.done, updated_at = now()`,
    [
      fingerprint,
      file.path,
      file.compressed,
      file.device,
      file.inode,
      at.endOffset,
      at.endLine,
      at.done,
    ]
  );
}

async function rejectFile(
  q: Querier,
  file: string,
  fingerprint: string,
  offset: number,
  message: string,
  log: (l: string) => void
): Promise<void> {
  log(
    `[${EVENTS_SOURCE}] ${file}: cannot read past byte ${offset}: ${message}; the other files are read on`
  );
  await q.query(
    `insert into gateway_event_rejects (origin, file, fingerprint, byte_offset, line_number, reason, excerpt)
     values ('file', $1, $2, $3, 0, $4, '') on conflict (fingerprint, byte_offset) do nothing`,
    [file, fingerprint, offset, `file unreadable: ${message}`]
  );
}
