// node-cron schedule for the indexer: UTC, no overlapping runs, one immediate run at start-up so a
// fresh dashboard fills without waiting for the first tick.
import cron from "node-cron";
import type { Db } from "../db/client";
import type { IndexerConfig } from "./config";
import { LockedError, runAllSources } from "./run";
import { sourcesToRun } from "./sources/registry";

export interface Scheduler {
  /** Resolves when the run in progress (if any) has finished. */
  stop(): Promise<void>;
  /** Runs now unless a run is already going; resolves when it ends. */
  runNow(): Promise<void>;
}

export function startScheduler(db: Db, config: IndexerConfig): Scheduler | null {
  if (!sourcesToRun(config).length) {
    config.log("Indexer: no sources configured (set SUBGRAPH_URL and/or GATEWAY_LOG_DIR); the dashboard shows what the database holds.");
    return null;
  }
  let running: Promise<void> | null = null;
  const runNow = () => {
    if (running) return running;
    running = runAllSources(db, config)
      .then((outcomes) => {
        for (const o of outcomes)
          config.log(`[${o.source}] ${o.ok ? "ok" : "FAILED"} in ${o.seconds.toFixed(1)} s, ${o.rowsWritten} rows written${o.block ? `, block ${o.block}` : ""}`);
      })
      .catch((e) =>
        // Several instances on one Postgres all schedule runs; the one holding the writer lock runs, the others skip.
        config.log(e instanceof LockedError ? "Indexer: another instance is running it; this tick skipped" : `Indexer run failed: ${(e as Error).message}`),
      )
      .finally(() => {
        running = null;
      });
    return running;
  };
  const task = cron.schedule(config.schedule, () => runNow(), { name: "observatory-indexer", noOverlap: true, timezone: "UTC" });
  void runNow();
  return {
    runNow,
    async stop() {
      await task.stop();
      await running;
    },
  };
}
