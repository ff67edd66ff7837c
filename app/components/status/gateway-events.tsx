// The status page's gateway events panel: envelopes seen per type (types this version does not read
// are counted, never rejected) and the newest rejected lines with where they came from and why.
import { DownloadLinks } from "~/components/download-links";
import { TableWrap } from "~/components/page-header";
import { RejectsTable } from "./rejects-table";
import { formatInt, formatTimestamp } from "~/lib/format";
import type { EventReject, EventTypeCount } from "~/lib/status.server";

const ORIGIN: Record<EventReject["origin"], string> = { file: "file", http: "HTTP push", stdin: "standard input" };

export function GatewayEventsPanel({ counts, rejects, shown }: { counts: EventTypeCount[]; rejects: EventReject[]; shown: number }) {
  return (
    <section className="panel" aria-labelledby="events-title">
      <h2 id="events-title">Gateway events</h2>
      {counts.length === 0 ? (
        <p className="muted">
          No gateway events yet: pipe Kafka into <code>npm run indexer -- events -</code>, set <code>GATEWAY_EVENTS_DIR</code> or push to{" "}
          <code>POST /api/ingest/events</code> (README, "Gateway events").
        </p>
      ) : (
        <TableWrap label="Gateway events by type">
          <table>
            <thead>
              <tr>
                <th>Type</th>
                <th className="r">Stored</th>
                <th className="r" title="Envelopes whose id was already stored (delivered again)">Duplicates</th>
                <th className="r">Rejected</th>
                <th>Newest event</th>
              </tr>
            </thead>
            <tbody>
              {counts.map((c) => (
                <tr key={c.type}>
                  <td className="mono">
                    {c.type} {c.known ? null : <span className="muted">(not read by this version: counted only)</span>}
                  </td>
                  <td className="r">{formatInt(c.accepted)}</td>
                  <td className="r">{formatInt(c.duplicates)}</td>
                  <td className="r">{formatInt(c.rejected)}</td>
                  <td className="num">{c.lastAt ? formatTimestamp(c.lastAt) : <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <h3>Rejected event lines</h3>
      <p className="muted">Lines that are not envelopes, or known events with a malformed field. The newest {shown}; the excerpt is shown as text.</p>
      <RejectsTable
        label="Rejected gateway event lines"
        rows={rejects.map((r) => ({ ...r, at: r.rejectedAt, from: ORIGIN[r.origin] }))}
        empty="No rejected event lines."
      />
      <DownloadLinks path="/api/status" params={{ table: "event-rejects" }} />
    </section>
  );
}
