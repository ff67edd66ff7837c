// Every source the indexer knows, in the order a run goes through them. Adding a source: a folder
// next to this file whose index.ts exports its Source, and its line in SOURCES.
import type { IndexerConfig } from "../config";
import { capabilitiesSource } from "./capabilities";
import { eventsSource } from "./events";
import { jobLogsSource } from "./joblogs";
import { leaderboardSource } from "./leaderboard";
import { partitionsSource } from "./partitions";
import { pricesSource } from "./prices";
import type { Source } from "./source";
import { subgraphSource } from "./subgraph";

export const SOURCES: readonly Source[] = [
  // First: the raw tables' months exist before the writers need them, and old ones are gone.
  partitionsSource,
  pricesSource,
  subgraphSource,
  // After the subgraph (service URIs) and before events (hot wallets and URLs), so events resolve.
  capabilitiesSource,
  jobLogsSource,
  eventsSource,
  leaderboardSource,
];

/**
 * The sources a run goes through, in registry order. The price catalogue ships with the project, so
 * `prices` comes first whenever the config has its directory (loadIndexerConfig always sets it),
 * but only alongside a data source: with neither SUBGRAPH_URL nor GATEWAY_LOG_DIR nothing runs.
 */
export function sourcesToRun(config: IndexerConfig): Source[] {
  const on = SOURCES.filter((s) => s.configured(config));
  return on.some((s) => s.kind === "data") ? on : [];
}

/** The names of sourcesToRun(config). */
export function configuredSources(config: IndexerConfig): string[] {
  return sourcesToRun(config).map((s) => s.name);
}
