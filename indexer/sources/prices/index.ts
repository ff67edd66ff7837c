// The `prices` source, on when PRICES_DIR is known (loadIndexerConfig always sets it): loads the
// shipped price catalogue when its files change (load.ts). A reference source: it runs only
// alongside a data source (registry.ts).
import type { Source } from "../source";
import { PRICES_SOURCE, runPrices } from "./load";

export const pricesSource: Source = {
  name: PRICES_SOURCE,
  kind: "reference",
  configured: (config) => Boolean(config.pricesDir),
  async run(db, config) {
    const r = await runPrices(db, { dir: config.pricesDir!, log: config.log });
    return { rowsWritten: r.rowsWritten, block: null };
  },
};
