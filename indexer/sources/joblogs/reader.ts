// The main thread's side of the reader worker (reader-worker.ts): asks for one prepared
// batch ahead, so parsing and validating batch n+1 runs on another core while batch n is written.
import { Worker } from "node:worker_threads";
import { PermanentError } from "../../../core/errors";
import type { LogFile, ReadOptions } from "../../log-files";
import type { PreparedBatch } from "./batch";

/** A prepared batch and where it leaves its file. */
export interface ReadyBatch {
  prepared: PreparedBatch;
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
export type ReaderReply = { kind: "batch"; batch: ReadyBatch } | { kind: "end" } | { kind: "error"; message: string; code?: string };

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

export class JobLogReader {
  private readonly worker: Worker;
  private waiting: ((reply: ReaderReply) => void) | null = null;
  private failure: Error | null = null;

  constructor() {
    this.worker = new Worker(new URL("./worker-bootstrap.mjs", import.meta.url), {
      workerData: { module: new URL("./reader-worker.ts", import.meta.url).href },
      // A batch allocates tens of MB of short-lived objects; a young generation that holds them
      // spares the old-generation collections that otherwise dominate preparation time.
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    this.worker.on("message", (reply: ReaderReply) => this.deliver(reply));
    this.worker.on("error", (e) => this.deliver({ kind: "error", message: `job log reader thread failed: ${e.message}` }));
    this.worker.on("exit", (code) => this.deliver({ kind: "error", message: `job log reader thread exited (code ${code})` }));
  }

  private deliver(reply: ReaderReply): void {
    const w = this.waiting;
    this.waiting = null;
    if (w) w(reply);
    else if (reply.kind === "error") this.failure = new Error(reply.message);
  }

  private request(): Promise<ReaderReply> {
    if (this.failure) return Promise.resolve({ kind: "error", message: this.failure.message });
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.worker.postMessage({ kind: "next" } satisfies ReaderRequest);
    });
  }

  /** Prepared batches of one file from `start`. Read to the end (or close the reader) before the next file. */
  async *read(file: LogFile, start: { offset: number; line: number }, options: ReadOptions): AsyncGenerator<ReadyBatch> {
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
