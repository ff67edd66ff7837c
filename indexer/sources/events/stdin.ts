// `npm run indexer -- events -`: envelopes from standard input until it ends, committed every
// EVENTS_BATCH_LINES lines or EVENTS_BATCH_MS milliseconds, whichever comes first. Piped from
// `kcat -C -b BROKER -G observatory -t network_events -u` it is a Kafka consumer: kcat's consumer
// group keeps the offset, and events read twice (a restart, a rebalance) are duplicates by id.
import { EVENT_TABLES, ensureMonths, horizonOf } from "../../../db/partitions";
import type { Readable } from "node:stream";
import type { Db } from "../../../db/client";
import type { RawLine } from "../../log-files";
import { Progress } from "../../progress";
import { addStats } from "../../source-stats";
import { addCounts, emptyCounts } from "./counts";
import { toEventLines } from "./lines";
import { prepareEventBatch } from "./prepare";
import { writeEventBatch, type EventCounts } from "./store";

export const STDIN_SOURCE = "events-stdin";

export interface StreamOptions {
  batchLines: number;
  batchMs: number;
  maxLineBytes: number;
  log: (line: string) => void;
}

export async function ingestEventStream(db: Db, input: Readable, opts: StreamOptions): Promise<EventCounts> {
  const startedAt = new Date().toISOString();
  // Rejects are keyed by (this stream, byte offset): a later stream never collides with this one.
  const fingerprint = `stdin:${startedAt}:${process.pid}`;
  await db.query(
    `insert into source_state (name, last_run_at) values ($1, now()) on conflict (name) do update set last_run_at = now(), progress = null`,
    [STDIN_SOURCE],
  );
  const progress = new Progress(STDIN_SOURCE, opts.log);
  progress.phase = "reading standard input";
  const totals = emptyCounts();
  let pending: RawLine[] = [];
  let chain: Promise<void> = Promise.resolve();
  let failure: Error | null = null;

  const write = async () => {
    if (!pending.length) return;
    const batch = pending;
    pending = [];
    const prepared = prepareEventBatch(toEventLines(batch, Date.now(), opts.maxLineBytes, await horizonOf(db, EVENT_TABLES)));
    await ensureMonths(db, EVENT_TABLES, prepared.months); // before the transaction (db/partitions.ts)
    const c = await db.tx(async (q) => {
      const c = await writeEventBatch(q, prepared, { origin: "stdin", fingerprint });
      await addStats(q, STDIN_SOURCE, c);
      progress.done += c.read;
      await progress.report(q);
      await q.query(`update source_state set last_success_at = now(), last_error = null where name = $1`, [STDIN_SOURCE]);
      return c;
    });
    addCounts(totals, c);
  };
  const flush = () => {
    chain = chain.then(write).catch((e) => {
      failure ??= e as Error;
    });
    return chain;
  };
  const timer = setInterval(() => void flush(), opts.batchMs);

  let offset = 0; // stream offset of the next unread byte
  let lineNumber = 0;
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let oversized = false; // the current line passed the cap: its bytes are counted, not kept
  let lineStart = 0;
  const endLine = (tail: Buffer) => {
    lineNumber++;
    const length = carryBytes + tail.length;
    if (oversized || length > opts.maxLineBytes)
      pending.push({ offset: lineStart, lineNumber, bytes: null, length, head: Buffer.concat([...carry, tail.subarray(0, 160)]).subarray(0, 160) });
    else pending.push({ offset: lineStart, lineNumber, bytes: carry.length ? Buffer.concat([...carry, tail]) : Buffer.from(tail), length });
    carry = [];
    carryBytes = 0;
    oversized = false;
  };
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      if (failure) throw failure;
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf(10, start);
        if (nl === -1) break;
        endLine(chunk.subarray(start, nl));
        start = nl + 1;
        lineStart = offset + start;
      }
      const rest = chunk.subarray(start);
      if (rest.length) {
        if (!oversized && carryBytes + rest.length > opts.maxLineBytes) {
          oversized = true;
          carry = [Buffer.concat([...carry, rest]).subarray(0, 160)];
        } else if (!oversized) carry.push(Buffer.from(rest));
        carryBytes += rest.length;
      }
      offset += chunk.length;
      if (pending.length >= opts.batchLines) await flush();
    }
    if (carryBytes) endLine(Buffer.alloc(0)); // the input ended: its last line is whole
    await flush();
  } finally {
    clearInterval(timer);
    await chain;
  }
  if (failure) throw failure;
  progress.phase = "done";
  await progress.report(db, true);
  return totals;
}
