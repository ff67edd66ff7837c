// source_state.stats: the running counts of a line source (joblogs, joblogs-push, events, ...).
import type { Querier } from "../db/client";

/** Lines read and what became of them; read is always accepted + duplicates + rejected. */
export interface LineCounts {
  read: number;
  accepted: number;
  duplicates: number;
  rejected: number;
}

/** Adds a batch's counts to the source's cumulative counters (source_state.stats). */
export async function addStats(q: Querier, source: string, c: LineCounts): Promise<void> {
  await q.query(
    `insert into source_state (name, stats) values ($1, jsonb_build_object('linesRead', $2::int8, 'accepted', $3::int8, 'duplicates', $4::int8, 'rejected', $5::int8))
     on conflict (name) do update set stats = jsonb_build_object(
       'linesRead', coalesce((source_state.stats->>'linesRead')::int8, 0) + $2::int8,
       'accepted', coalesce((source_state.stats->>'accepted')::int8, 0) + $3::int8,
       'duplicates', coalesce((source_state.stats->>'duplicates')::int8, 0) + $4::int8,
       'rejected', coalesce((source_state.stats->>'rejected')::int8, 0) + $5::int8)`,
    [source, c.read, c.accepted, c.duplicates, c.rejected],
  );
}
