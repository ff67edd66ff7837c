// Worker thread of the events source: reads one event file from its checkpoint and prepares its
// batches (UTF-8 check, JSON parse, field checks, the inserts' JSON parameters: prepare.ts) one batch
// ahead of the writer on the main thread (indexer/batch-reader.ts). Never touches the database.
import { parentPort } from "node:worker_threads";
import { serveBatches } from "../../batch-reader";
import { readLineBatches } from "../../log-files";
import { toEventLines } from "./lines";
import { prepareEventBatch, type PreparedEventBatch } from "./prepare";

serveBatches<PreparedEventBatch>(parentPort!, async function* (m) {
  for await (const b of readLineBatches(m.file, m.start, m.options)) {
    const first = b.lines[0];
    yield {
      prepared: prepareEventBatch(toEventLines(b.lines, Date.now(), m.options.maxLineBytes)),
      endOffset: b.endOffset,
      endLine: b.endLine,
      done: b.done,
      diskBytes: b.diskBytes,
      firstLine: first?.lineNumber ?? b.endLine,
      firstOffset: first?.offset ?? b.endOffset,
    };
  }
});
