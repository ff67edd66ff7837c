// The status page's raw tables (db/partitions.ts, decision 017): each one's months kept, its rows
// (the planner's estimate), and where RAW_RETENTION_DAYS cut it. Rollups are never cut.
import { TableWrap } from "~/components/page-header";
import { formatInt, formatTimestamp } from "~/lib/format";
import type { PartitionInfo } from "../../../db/partitions";

export function RawPartitionsPanel({ tables, retentionDays }: { tables: PartitionInfo[]; retentionDays: number | null }) {
  return (
    <section className="panel" aria-labelledby="raw-partitions-title" data-testid="raw-partitions">
      <h2 id="raw-partitions-title">Raw rows by month</h2>
      <p className="muted">
        Raw jobs, gateway events and probes are kept in monthly partitions; pages read the hourly and daily rollups, which are kept forever.{" "}
        {retentionDays === null
          ? "RAW_RETENTION_DAYS is not set: every month is kept."
          : `RAW_RETENTION_DAYS is ${retentionDays}: each indexer run drops the months that ended longer ago than that; rows stamped before the cut are refused at ingest, since their rollups already count them.`}
      </p>
      <TableWrap label="Raw tables by month">
        <table>
          <thead>
            <tr>
              <th>Table</th>
              <th className="r">Months</th>
              <th>Oldest</th>
              <th>Newest</th>
              <th className="r" title="The planner's estimate (ANALYZE statistics); exact counts would read every month">Rows (est.)</th>
              <th>Cut before</th>
              <th className="r">Rows dropped</th>
            </tr>
          </thead>
          <tbody>
            {tables.map((t) => (
              <tr key={t.table}>
                <td className="mono">{t.table}</td>
                <td className="r">{formatInt(t.partitions)}</td>
                <td className="num">{t.oldest ?? "none"}</td>
                <td className="num">{t.newest ?? "none"}</td>
                <td className="r">{t.approxRows === null ? "not estimated yet" : formatInt(Math.round(t.approxRows))}</td>
                <td className="num">{t.droppedBefore ? formatTimestamp(t.droppedBefore) : "never cut"}</td>
                <td className="r">{formatInt(t.droppedRows)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </section>
  );
}
