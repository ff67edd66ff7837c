// `npm run indexer`            runs on INDEXER_SCHEDULE until stopped (Postgres or a PGlite dir no server has open)
// `npm run indexer -- once`    runs every configured source once; exit 0 on success, 1 on any failure,
//                              3 when another indexer holds the write lock or the PGlite directory
import { DirectoryLockedError, openDb } from "../db/client";
import { ConfigError, loadIndexerConfig } from "./config";
import { LockedError, NoSourcesError, runAllSources } from "./run";
import { startScheduler } from "./scheduler";

async function main(argv: string[]): Promise<number> {
  const mode = argv[0] ?? "schedule";
  if (!["once", "schedule"].includes(mode)) {
    console.error(`Unknown mode '${mode}'. Usage: npm run indexer [-- once]`);
    return 2;
  }
  const config = loadIndexerConfig();
  const db = await openDb();
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
    const locked = e instanceof LockedError || e instanceof DirectoryLockedError;
    const known = locked || e instanceof ConfigError || e instanceof NoSourcesError;
    console.error(known ? e.message : e);
    process.exit(locked ? 3 : 1);
  },
);
