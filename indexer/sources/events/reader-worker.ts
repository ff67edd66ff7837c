// Worker thread of the events source: reads one event file from its checkpoint and prepares its
// batches (UTF-8 check, JSON parse, field checks, the inserts' JSON parameters: prepare.ts) one batch
// ahead of the writer on the main thread (indexer/batch-reader.ts). Never touches the database.
import { parentPort } from "node:worker_threads";
import { serveFileBatches } from "../../batch-reader";
import { toEventLines } from "./lines";
import { prepareEventBatch, type PreparedEventBatch } from "./prepare";

serveFileBatches<PreparedEventBatch>(parentPort!, (lines, o) => prepareEventBatch(toEventLines(lines, Date.now(), o.maxLineBytes, o.notBeforeMs)));
