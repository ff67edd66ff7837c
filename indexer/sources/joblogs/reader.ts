// The joblogs source's reader thread (reader-worker.ts) as the main thread sees it.
import { BatchReader, FileReadError, type ReadyBatch as Ready } from "../../batch-reader";
import type { PreparedBatch } from "./batch";

export { FileReadError };
export type ReadyBatch = Ready<PreparedBatch>;

export class JobLogReader extends BatchReader<PreparedBatch> {
  constructor() {
    super(new URL("./reader-worker.ts", import.meta.url), "job log");
  }
}
