// The `subgraph` source, on when SUBGRAPH_URL is set: a client with the configured retries and
// timeout (client.ts), then one run at a pinned block (sync.ts) that stores records (store.ts) and
// moves the cursor (cursor.ts).
import type { Source } from "../source";
import { SubgraphClient } from "./client";
import { runSubgraph, SUBGRAPH_SOURCE } from "./sync";

export const subgraphSource: Source = {
  name: SUBGRAPH_SOURCE,
  kind: "data",
  configured: (config) => Boolean(config.subgraphUrl),
  async run(db, config) {
    const client = new SubgraphClient(config.subgraphUrl!, {
      retry: config.retry,
      timeoutMs: config.timeoutMs,
      onRetry: (attempt, delay, err) =>
        config.log(`[${SUBGRAPH_SOURCE}] ${err.message}; retry ${attempt}/${config.retry.maxRetries} in ${delay} ms`),
    });
    const r = await runSubgraph(db, client, { pageSize: config.pageSize, log: config.log });
    return { rowsWritten: r.rowsWritten, block: r.block };
  },
};
