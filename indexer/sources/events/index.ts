// The `events` source, on when GATEWAY_EVENTS_DIR is set: each run reads the exported gateway event
// files from their checkpoints (ingest-files.ts). Rows written are the envelopes stored for the
// first time. The same envelopes also arrive by HTTP push (push.ts, mounted by server.ts) and from
// standard input (stdin.ts, `npm run indexer -- events -`); all three store each envelope once.
import { DEFAULT_EVENT_BATCHES } from "../../config";
import type { Source } from "../source";
import { EVENTS_SOURCE, runEventFiles } from "./ingest-files";

export const eventsSource: Source = {
  name: EVENTS_SOURCE,
  kind: "data",
  configured: (config) => Boolean(config.events),
  async run(db, config) {
    const batches = config.eventBatches ?? DEFAULT_EVENT_BATCHES;
    const r = await runEventFiles(db, { dir: config.events!.dir, batchLines: batches.lines, maxLineBytes: batches.maxLineBytes, log: config.log });
    return { rowsWritten: r.accepted, block: null };
  },
};
