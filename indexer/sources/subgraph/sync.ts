// One run of the `subgraph` source: read _meta, pin its block, then page every entity at that block
// and store each page together with the checkpoint it justifies, in one transaction. A failure stops
// the run; what was committed stays (it is correct and keyed), and the cursor never passes data that
// was not stored.
import type { Db, Querier } from "../../../db/client";
import { Progress } from "../../progress";
import {
  BROADCASTERS,
  BROADCASTER_DAYS,
  DAYS,
  TRANSCODERS,
  TRANSCODER_DAYS,
  fetchMeta,
  fetchProtocol,
  pageById,
  pageTickets,
  type SubgraphClient,
} from "./client";
import {
  insertTickets,
  upsertBroadcasterDays,
  upsertBroadcasters,
  upsertDays,
  upsertProtocol,
  upsertTranscoderDays,
  upsertTranscoders,
} from "./store";
import { readCursor, saveCursor } from "./cursor";
import { syncPrograms } from "./programs";

export const SUBGRAPH_SOURCE = "subgraph";

export interface SubgraphRunResult {
  block: number;
  rowsWritten: number;
  tickets: number;
}

export async function runSubgraph(
  db: Db,
  client: SubgraphClient,
  opts: { pageSize: number; log: (line: string) => void },
): Promise<SubgraphRunResult> {
  const progress = new Progress(SUBGRAPH_SOURCE, opts.log);
  const meta = await fetchMeta(client);
  const block = meta.block;
  const cursor = await readCursor(db, SUBGRAPH_SOURCE);
  let rowsWritten = 0;
  let tickets = 0;

  // Tickets first: the checkpoint moves page by page with them.
  progress.phase = "tickets";
  // A first backfill starts at 0; measure its progress from the oldest ticket instead.
  let startTs: number | null = cursor.ticketsFromTs || null;
  const headTs = meta.blockTimestamp ?? Math.floor(Date.now() / 1000);
  for await (const page of pageTickets(client, { block, pageSize: opts.pageSize, fromTs: cursor.ticketsFromTs })) {
    const maxTs = page.reduce((m, t) => Math.max(m, t.timestamp), cursor.ticketsFromTs);
    const from = (startTs ??= page.reduce((m, t) => Math.min(m, t.timestamp), maxTs));
    await db.tx(async (q) => {
      const n = await insertTickets(q, page);
      tickets += n;
      rowsWritten += n;
      await saveCursor(q, SUBGRAPH_SOURCE, { ...cursor, ticketsFromTs: maxTs });
      progress.done += page.length;
      progress.fraction = headTs > from ? Math.min(1, (maxTs - from) / (headTs - from)) : null;
      await progress.report(q);
    });
    cursor.ticketsFromTs = maxTs;
  }

  // Aggregates: small collections, re-read from the last day that can still change.
  const dayWhere = { date_gte: cursor.daysFromTs };
  const collections = [
    { col: DAYS, where: dayWhere, write: upsertDays },
    { col: TRANSCODER_DAYS, where: dayWhere, write: upsertTranscoderDays },
    { col: BROADCASTER_DAYS, where: dayWhere, write: upsertBroadcasterDays },
    { col: TRANSCODERS, where: {}, write: upsertTranscoders },
    { col: BROADCASTERS, where: {}, write: upsertBroadcasters },
  ] as const;
  for (const { col, where, write } of collections) {
    progress.phase = col.field;
    progress.fraction = null;
    for await (const page of pageById(client, col as never, { block, pageSize: opts.pageSize, where })) {
      await db.tx(async (q) => {
        rowsWritten += await (write as (q: Querier, rows: unknown[]) => Promise<number>)(q, page);
        progress.done += page.length;
        await progress.report(q);
      });
    }
  }

  const protocol = await fetchProtocol(client, block);
  // Funding events and the treasury (issue 14), at the same block.
  rowsWritten += await syncPrograms(db, client, { block, pageSize: opts.pageSize, cursor, source: SUBGRAPH_SOURCE, progress, currentRound: protocol?.currentRound ?? null, log: opts.log });
  const daysFromTs = Math.max(cursor.daysFromTs, Math.floor(headTs / 86400) * 86400 - 86400);
  await db.tx(async (q) => {
    if (protocol) rowsWritten += await upsertProtocol(q, protocol, block);
    await saveCursor(q, SUBGRAPH_SOURCE, { ...cursor, daysFromTs });
    await q.query(
      `update source_state set block = $2, block_timestamp = $3, deployment = $4 where name = $1`,
      [SUBGRAPH_SOURCE, block, meta.blockTimestamp, meta.deployment],
    );
    progress.phase = "done";
    progress.fraction = 1;
    await progress.report(q, true);
  });
  return { block, rowsWritten, tickets };
}
