// Where an API answer's numbers come from, added to every JSON answer as a top-level "provenance"
// object (the documented fields stay as they are): the source, the range, how far the indexer had got
// (asOf), when the answer was made, the request that reproduces it and the file name a download gets.
// Demo data says so here too.
import { prefixed } from "./download-names";
import { asOf, type AsOf, type IndexState } from "./index-state.server";

export const SOURCE_LABELS = {
  subgraph: "Livepeer subgraph (winning tickets redeemed on chain) via Observatory",
  joblogs: "gateway job logs via Observatory",
  "subgraph+joblogs": "Livepeer subgraph (winning tickets) and gateway job logs via Observatory",
  indexer: "Observatory indexer state",
  cost: "gateway job logs, subgraph daily ETH/USD and the price catalogue (indexer/data) via Observatory",
} as const;

export type SourceKey = keyof typeof SOURCE_LABELS;

/** Short source line for chart captions and embeds. */
export const SOURCE_SHORT: Record<SourceKey, string> = {
  subgraph: "Livepeer subgraph via Observatory",
  joblogs: "gateway job logs via Observatory",
  "subgraph+joblogs": "Livepeer subgraph and gateway job logs via Observatory",
  indexer: "Observatory indexer",
  cost: "gateway job logs, subgraph ETH/USD and the price catalogue via Observatory",
};

export const DEMO_SOURCE = "synthetic demo network generated locally (not the Livepeer network)";

export interface Provenance {
  source: string;
  from: string | null;
  to: string | null;
  asOf: AsOf | null;
  demo: boolean;
  generatedAt: string;
  /** Path and query that reproduce this answer (format dropped). */
  request: string;
  /** File name of the JSON download; the CSV download has the same name with .csv. */
  file: string;
}

export function provenance(
  url: URL,
  opts: {
    source: SourceKey;
    /** File base name without prefix or extension, the same as the CSV's, e.g. "fees-day-2025-01-01_2025-03-31". */
    name: string;
    range?: { from: string; to: string } | null;
    state?: IndexState | null;
  },
): Provenance {
  const q = new URLSearchParams(url.searchParams);
  q.delete("format");
  const qs = q.toString();
  const demo = opts.state?.demo ?? false;
  return {
    source: demo ? `${DEMO_SOURCE}; ${SOURCE_LABELS[opts.source]}` : SOURCE_LABELS[opts.source],
    from: opts.range?.from ?? null,
    to: opts.range?.to ?? null,
    asOf: opts.state ? asOf(opts.state) : null,
    demo,
    generatedAt: new Date().toISOString(),
    request: qs ? `${url.pathname}?${qs}` : url.pathname,
    file: `${prefixed(opts.name)}.json`,
  };
}
