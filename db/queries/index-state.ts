// How far the indexer has got, as stored: the source_state row that decides the "latest indexed"
// day (app/lib/index-state.server.ts turns it into IndexState). Any Querier; no driver.
import type { Querier } from "../client";

export interface IndexedSource {
  name: string;
  block: number | null;
  /** Unix seconds of `block`. */
  block_timestamp: number | null;
  deployment: string | null;
}

/**
 * The subgraph source's row (it is the fee source); without one, the source with the latest block
 * time; undefined when no source has run.
 */
export async function indexedSource(q: Querier): Promise<IndexedSource | undefined> {
  const rows = await q.query<IndexedSource>(
    `select name, block, block_timestamp, deployment from source_state
      order by (name = 'subgraph') desc, block_timestamp desc nulls last, name limit 1`,
  );
  return rows[0];
}
