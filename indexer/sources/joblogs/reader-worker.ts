// Worker thread: reads one log file from its checkpoint and prepares its batches (UTF-8 check, JSON
// parse, validation, COPY encoding, rollup increments) one batch ahead of the writer on the main
// thread (indexer/batch-reader.ts). Only prepared data crosses the thread boundary; the worker never
// touches the database.
import { parentPort } from "node:worker_threads";
import { serveFileBatches } from "../../batch-reader";
import { prepareBatch, type PreparedBatch } from "./batch";
import { rollupBuffers } from "./rollups";

serveFileBatches<PreparedBatch>(
  parentPort!,
  (lines, o) => prepareBatch(lines, o.maxLineBytes, { notBeforeMs: o.notBeforeMs }),
  // The COPY data moves to the main thread rather than being copied (it is tens of MB).
  (p) => [p.copyData.buffer as ArrayBuffer, ...rollupBuffers(p.rollups)],
);
