// Adding one batch's counts to a run's totals (source_state.stats: indexer/source-stats.ts).
import type { EventCounts } from "./store";

export const emptyCounts = (): EventCounts => ({ read: 0, accepted: 0, duplicates: 0, rejected: 0, unknownTypes: {} });

export function addCounts(into: EventCounts, c: EventCounts): void {
  into.read += c.read;
  into.accepted += c.accepted;
  into.duplicates += c.duplicates;
  into.rejected += c.rejected;
  for (const [t, n] of Object.entries(c.unknownTypes)) into.unknownTypes[t] = (into.unknownTypes[t] ?? 0) + n;
}
