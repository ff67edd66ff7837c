// The status page's gateway events panel: envelopes seen per type (types this version does not read
// are counted, never rejected) and the newest rejected lines with where they came from and why.
import { DownloadLinks } from "~/components/download-links";
import { TableWrap } from "~/components/page-header";
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
      <TableWrap label="Rejected gateway event lines">
        <table>
          <thead>
            <tr>
              <th>Received</th>
              <th>From</th>
              <th>File</th>
              <th className="r">Byte offset</th>
              <th className="r">Line</th>
              <th>Reason</th>
              <th>Excerpt</th>
            </tr>
          </thead>
          <tbody>
            {rejects.map((r, i) => (
              <tr key={`${r.rejectedAt}-${r.byteOffset}-${i}`}>
                <td className="num">{formatTimestamp(r.rejectedAt)}</td>
                <td>{ORIGIN[r.origin]}</td>
                <td className="uri mono">{r.file ?? <span className="muted">—</span>}</td>
                <td className="r">{formatInt(r.byteOffset)}</td>
                <td className="r">{formatInt(r.lineNumber)}</td>
                <td className="error-text">{r.reason}</td>
                <td>
                  <code className="excerpt">{r.excerpt}</code>
                </td>
              </tr>
            ))}
            {rejects.length === 0 ? (
              <tr>
                <td colSpan={7} className="muted">
                  No rejected event lines.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </TableWrap>
      <DownloadLinks path="/api/status" params={{ table: "event-rejects" }} />
    </section>
  );
}
