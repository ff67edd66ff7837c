// How far the indexer has got: the subgraph source's last block and its time, which day counts as
// "latest indexed" for default ranges, and whether the data is the locally generated demo network.
// The row comes from db/queries/index-state.ts.
import type { Querier } from "../../db/client";
import { indexedSource } from "../../db/queries/index-state";
import { dayOfUnix, defaultEndDay, todayUtc } from "./dates";

export const DEMO_DEPLOYMENT = "observatory-demo-network";

export interface IndexState {
  block: number | null;
  /** Unix seconds of `block`. */
  blockTimestamp: number | null;
  /** UTC day of the last indexed block, at most today (today when nothing is indexed yet). */
  latestDay: string;
  deployment: string | null;
  demo: boolean;
}

export interface AsOf {
  block: number | null;
  timestamp: string | null;
}

export async function getIndexState(q: Querier): Promise<IndexState> {
  // The subgraph row is the fee source; any other source's block time is a fallback.
  const r = await indexedSource(q);
  const subgraph = r?.name === "subgraph" ? r : undefined;
  const ts = r?.block_timestamp ?? null;
  return {
    block: r?.block ?? null,
    blockTimestamp: ts,
    latestDay: ts !== null ? defaultEndDay(dayOfUnix(ts)) : todayUtc(),
    deployment: subgraph?.deployment ?? null,
    demo: subgraph?.deployment === DEMO_DEPLOYMENT,
  };
}

export function asOf(s: IndexState): AsOf {
  return {
    block: s.block,
    timestamp: s.blockTimestamp !== null ? new Date(s.blockTimestamp * 1000).toISOString() : null,
  };
}
