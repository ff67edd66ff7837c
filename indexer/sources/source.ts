// What the runner (indexer/run.ts) knows of a source: its name, whether the configuration turns it
// on, and one run. Each source lives in its own folder here (client or reader, record types, store
// writes, checkpoint) and exports its Source from index.ts; registry.ts lists them in run order.
import type { Db } from "../../db/client";
import type { IndexerConfig } from "../config";

/** What one successful run reports; run.ts records it in source_state and indexer_runs. */
export interface SourceRunResult {
  /** What the status page shows as rows written (joblogs: jobs accepted). */
  rowsWritten: number;
  /** The block the run read at, for sources that read a chain; null otherwise. */
  block: number | null;
}

export interface Source {
  /** Its row in source_state, its runs in indexer_runs and its tag in log lines, e.g. `[subgraph]`. */
  readonly name: string;
  /**
   * `data`: brings network data (subgraph, joblogs). `reference`: data the others are read against
   * (the price catalogue); it runs only alongside at least one configured data source.
   */
  readonly kind: "data" | "reference";
  /** Whether the configuration turns this source on. */
  configured(config: IndexerConfig): boolean;
  /** One run; throws to fail it (run.ts records the error and goes on with the next source). */
  run(db: Db, config: IndexerConfig): Promise<SourceRunResult>;
}
