// The main thread's side of a reader worker (joblogs/reader-worker.ts, events/reader-worker.ts):
// asks for one prepared batch ahead, so reading, parsing and checking batch n+1 runs on another core
// while batch n is written. Only prepared data crosses the thread boundary.
import { Worker } from "node:worker_threads";
import { PermanentError } from "../core/errors";
import { readLineBatches, type LogFile, type RawLine, type ReadOptions } from "./log-files";

/** Where a prepared batch leaves its file, next to what the worker made of it. */
export interface ReadyBatch<P> {
  prepared: P;
  endOffset: number;
  endLine: number;
  done: boolean;
  diskBytes: number;
  /** Where the batch starts (for messages). */
  firstLine: number;
  firstOffset: number;
}

export type ReaderRequest =
  | { kind: "open"; file: LogFile; start: { offset: number; line: number }; options: ReadOptions }
  | { kind: "next" };
export type ReaderReply<P> = { kind: "batch"; batch: ReadyBatch<P> } | { kind: "end" } | { kind: "error"; message: string; code?: string };

const YOUNG_GENERATION_MB = 96;

/**
 * A file could not be read or decompressed (permanent: rereading cannot help; not a database
 * problem). The run records it as a rejected file, or leaves it to the next run when it moved away.
 */
export class FileReadError extends PermanentError {
  constructor(
    message: string,
    /** The system error code, e.g. ENOENT when the file was rotated away meanwhile. */
    readonly code?: string,
  ) {
    super(message);
  }
}

export class BatchReader<P> {
  private readonly worker: Worker;
  private waiting: ((reply: ReaderReply<P>) => void) | null = null;
  private failure: Error | null = null;

  /** `module`: the worker's TypeScript module (a URL), loaded through worker-bootstrap.mjs. */
  constructor(module: URL, readonly what: string) {
    this.worker = new Worker(new URL("./worker-bootstrap.mjs", import.meta.url), {
      workerData: { module: module.href },
      // A batch allocates tens of MB of short-lived objects; a young generation that holds them
      // spares the old-generation collections that otherwise dominate preparation time.
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    this.worker.on("message", (reply: ReaderReply<P>) => this.deliver(reply));
    this.worker.on("error", (e) => this.deliver({ kind: "error", message: `${what} reader thread failed: ${e.message}` }));
    this.worker.on("exit", (code) => this.deliver({ kind: "error", message: `${what} reader thread exited (code ${code})` }));
  }

  private deliver(reply: ReaderReply<P>): void {
    const w = this.waiting;
    this.waiting = null;
    if (w) w(reply);
    else if (reply.kind === "error") this.failure = new Error(reply.message);
  }

  private request(): Promise<ReaderReply<P>> {
    if (this.failure) return Promise.resolve({ kind: "error", message: this.failure.message });
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.worker.postMessage({ kind: "next" } satisfies ReaderRequest);
    });
  }

  /** Prepared batches of one file from `start`. Read to the end (or close the reader) before the next file. */
  async *read(file: LogFile, start: { offset: number; line: number }, options: ReadOptions): AsyncGenerator<ReadyBatch<P>> {
    this.worker.postMessage({ kind: "open", file, start, options } satisfies ReaderRequest);
    let pending = this.request();
    for (;;) {
      const reply = await pending;
      if (reply.kind === "end") return;
      if (reply.kind === "error") throw new FileReadError(reply.message, reply.code);
      pending = this.request(); // the worker prepares the next batch while this one is written
      yield reply.batch;
    }
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

/**
 * The worker's side: answers "open" and "next" with batches prepared by `prepare`, transferring the
 * buffers `transfer` names instead of copying them.
 */
export function serveBatches<P>(
  port: import("node:worker_threads").MessagePort,
  batches: (m: Extract<ReaderRequest, { kind: "open" }>) => AsyncGenerator<ReadyBatch<P>>,
  transfer: (p: P) => ArrayBuffer[] = () => [],
): void {
  let current: AsyncGenerator<ReadyBatch<P>> | null = null;
  port.on("message", async (m: ReaderRequest) => {
    let reply: ReaderReply<P>;
    try {
      if (m.kind === "open") {
        current = batches(m);
        return;
      }
      const r = await current!.next();
      reply = r.done ? { kind: "end" } : { kind: "batch", batch: r.value };
    } catch (e) {
      reply = { kind: "error", message: (e as Error).message ?? String(e), code: (e as NodeJS.ErrnoException).code };
    }
    port.postMessage(reply, reply.kind === "batch" ? transfer(reply.batch.prepared) : []);
  });
}

/** serveBatches over a file's line batches: `prepare` turns each batch's raw lines into what is sent. */
export function serveFileBatches<P>(
  port: import("node:worker_threads").MessagePort,
  prepare: (lines: RawLine[], options: ReadOptions) => P | Promise<P>,
  transfer: (p: P) => ArrayBuffer[] = () => [],
): void {
  serveBatches<P>(
    port,
    async function* (m) {
      for await (const b of readLineBatches(m.file, m.start, m.options)) {
        const first = b.lines[0];
        yield {
          prepared: await prepare(b.lines, m.options),
          endOffset: b.endOffset,
          endLine: b.endLine,
          done: b.done,
          diskBytes: b.diskBytes,
          firstLine: first?.lineNumber ?? b.endLine,
          firstOffset: first?.offset ?? b.endOffset,
        };
      }
    },
    transfer,
  );
}
