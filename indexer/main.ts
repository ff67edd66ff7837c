// `npm run indexer`            runs on INDEXER_SCHEDULE until stopped (Postgres or a PGlite dir no server has open)
// `npm run indexer -- once`    runs every configured source once; exit 0 on success, 1 on any failure,
//                              3 when another indexer holds the write lock or the PGlite directory
// `npm run indexer -- events -` reads gateway event envelopes from standard input until it ends
//                              (e.g. piped from kcat), committing every EVENTS_BATCH_LINES lines or
//                              EVENTS_BATCH_MS ms; exit 0 when the input ended and all was stored
import { exitCodeOf, ObservatoryError } from "../core/errors";
import { openDb } from "../db/client";
import { DEFAULT_EVENT_BATCHES, loadIndexerConfig } from "./config";
import { ingestEventStream } from "./sources/events/stdin";
import { runAllSources } from "./run";
import { startScheduler } from "./scheduler";

async function main(argv: string[]): Promise<number> {
  const mode = argv[0] ?? "schedule";
  if (!["once", "schedule", "events"].includes(mode) || (mode === "events" && argv[1] !== "-")) {
    console.error(`Unknown mode '${argv.join(" ")}'. Usage: npm run indexer [-- once | -- events -]`);
    return 2;
  }
  const config = loadIndexerConfig();
  const db = await openDb();
  if (mode === "events") {
    try {
      const batches = config.eventBatches ?? DEFAULT_EVENT_BATCHES;
      const c = await ingestEventStream(db, process.stdin, { batchLines: batches.lines, batchMs: batches.ms, maxLineBytes: batches.maxLineBytes, log: config.log });
      const unknown = Object.entries(c.unknownTypes).map(([t, n]) => `${t} ${n}`).join(", ");
      console.log(`events from standard input: ${c.read} read, ${c.accepted} stored, ${c.duplicates} duplicates, ${c.rejected} rejected${unknown ? `; types not read: ${unknown}` : ""}`);
      return 0;
    } finally {
      await db.close();
    }
  }
  if (mode === "once") {
    try {
      const outcomes = await runAllSources(db, config);
      for (const o of outcomes)
        console.log(`${o.source}: ${o.ok ? "ok" : "FAILED"} in ${o.seconds.toFixed(1)} s, ${o.rowsWritten} rows written${o.block ? `, block ${o.block}` : ""}${o.error ? ` (${o.error})` : ""}`);
      return outcomes.every((o) => o.ok) ? 0 : 1;
    } finally {
      await db.close();
    }
  }
  console.log(`Indexer on schedule '${config.schedule}' (UTC) against ${config.subgraphUrlLabel}, writing to ${db.label}`);
  const scheduler = startScheduler(db, config);
  if (!scheduler) {
    await db.close();
    return 1;
  }
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await scheduler.stop();
  await db.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    // Ours (core/errors.ts: ConfigError, NoSourcesError, LockedError, DirectoryLockedError, ...) say
    // what happened in their message; anything else is printed whole. The exit code is the kind's:
    // 3 when busy (another indexer holds the writer lock or the PGlite directory), else 1.
    const known = e instanceof ObservatoryError;
    console.error(known ? e.message : e);
    process.exit(exitCodeOf(e));
  },
);
