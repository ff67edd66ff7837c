// Raw tables' months (db/partitions.ts, decision 017): first in every run, this month's and next
// month's partitions are made ahead of the writers, and with RAW_RETENTION_DAYS the months that
// ended longer ago than that are dropped. Rollups are never dropped, so no figure changes. A
// "source" only so its runs, errors and lag are recorded and shown like the others' (and alerts
// on source.failing cover it); it brings no data, so it runs only alongside one that does.
import { maintainPartitions } from "../../../db/partitions";
import type { Source } from "../source";

export const partitionsSource: Source = {
  name: "partitions",
  kind: "reference",
  configured: () => true,
  async run(db, config) {
    const r = await maintainPartitions(db, { retentionDays: config.rawRetentionDays });
    if (r.created) config.log(`[partitions] made ${r.created} month partition(s) ahead of the writers`);
    for (const d of r.dropped)
      config.log(`[partitions] dropped ${d.partition}: ${d.rows.toLocaleString("en-US")} raw rows older than RAW_RETENTION_DAYS=${config.rawRetentionDays}; rollups keep their figures`);
    return { rowsWritten: 0, block: null };
  },
};
