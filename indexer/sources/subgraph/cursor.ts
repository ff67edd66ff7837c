// The subgraph source's checkpoint, kept in source_state.cursor: where the next run re-reads tickets
// and day-keyed aggregates from. sync.ts saves it in the transaction of the page it justifies.
import type { Querier } from "../../../db/client";

/** Checkpoint stored in source_state.cursor. */
export interface SubgraphCursor {
  /** Tickets are re-read from this second (inclusive; duplicates are dropped by id). */
  ticketsFromTs: number;
  /** Day-keyed aggregates are re-read from this UTC midnight: older days no longer change. */
  daysFromTs: number;
  /** Ledger event collections (programs.ts), each re-read from this second (inclusive), by collection field. */
  ledgerFromTs?: Record<string, number>;
}

export async function readCursor(q: Querier, source: string): Promise<SubgraphCursor> {
  const [row] = await q.query<{ cursor: SubgraphCursor | null }>(`select cursor from source_state where name = $1`, [source]);
  return { ticketsFromTs: 0, daysFromTs: 0, ...(row?.cursor ?? {}) };
}

export async function saveCursor(q: Querier, source: string, cursor: SubgraphCursor): Promise<void> {
  await q.query(`update source_state set cursor = $2::jsonb where name = $1`, [source, JSON.stringify(cursor)]);
}
