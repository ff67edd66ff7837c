// Worker thread: reads one log file from its checkpoint and prepares its batches (UTF-8 check, JSON
// parse, validation, COPY encoding, rollup increments) one batch ahead of the writer on the main
// thread (indexer/batch-reader.ts). Only prepared data crosses the thread boundary; the worker never
// touches the database.
import { parentPort } from "node:worker_threads";
import { serveBatches } from "../../batch-reader";
import { readLineBatches } from "../../log-files";
import { prepareBatch, type PreparedBatch } from "./batch";
import { rollupBuffers } from "./rollups";

serveBatches<PreparedBatch>(
  parentPort!,
  async function* (m) {
    for await (const b of readLineBatches(m.file, m.start, m.options)) {
      const first = b.lines[0];
      yield {
        prepared: await prepareBatch(b.lines, m.options.maxLineBytes),
        endOffset: b.endOffset,
        endLine: b.endLine,
        done: b.done,
        diskBytes: b.diskBytes,
        firstLine: first?.lineNumber ?? b.endLine,
        firstOffset: first?.offset ?? b.endOffset,
      };
    }
  },
  // The COPY data moves to the main thread rather than being copied (it is tens of MB).
  (p) => [p.copyData.buffer as ArrayBuffer, ...rollupBuffers(p.rollups)],
);
