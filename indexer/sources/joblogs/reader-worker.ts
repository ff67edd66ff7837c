// Worker thread: reads one log file from its checkpoint and prepares its batches (UTF-8 check, JSON
// parse, validation, COPY encoding, rollup increments) one batch ahead of the writer on the main
// thread. Only prepared data crosses the thread boundary; the worker never touches the database.
import { parentPort } from "node:worker_threads";
import { readLineBatches } from "../../log-files";
import { prepareBatch } from "./batch";
import { rollupBuffers } from "./rollups";
import type { ReadyBatch, ReaderReply, ReaderRequest } from "./reader";

const port = parentPort!;
let batches: AsyncGenerator<ReadyBatch> | null = null;

async function* prepared(m: Extract<ReaderRequest, { kind: "open" }>): AsyncGenerator<ReadyBatch> {
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
}

port.on("message", async (m: ReaderRequest) => {
  let reply: ReaderReply;
  try {
    if (m.kind === "open") {
      batches = prepared(m);
      return;
    }
    const r = await batches!.next();
    reply = r.done ? { kind: "end" } : { kind: "batch", batch: r.value };
  } catch (e) {
    reply = { kind: "error", message: (e as Error).message ?? String(e), code: (e as NodeJS.ErrnoException).code };
  }
  // The COPY data moves to the main thread rather than being copied (it is tens of MB).
  const ready = reply.kind === "batch" ? reply.batch.prepared : null;
  port.postMessage(reply, ready ? [ready.copyData.buffer as ArrayBuffer, ...rollupBuffers(ready.rollups)] : []);
});
