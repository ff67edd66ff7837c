// Entry point of every reader worker thread (batch-reader.ts starts it, next to this file): Node
// cannot load TypeScript by itself, so the worker registers tsx (already a dependency: the indexer
// runs under it) and imports the module named in workerData. Works the same under `tsx` and vitest.
import { workerData } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

await tsImport(workerData.module, import.meta.url);
