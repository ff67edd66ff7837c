// The status page's per-orchestrator failures of the leaderboard source: each orchestrator whose last
// raw_stats query failed after its retries (probe_cursors), with the error, how many runs in a row
// failed, when, and where its cursor is held (the next run asks again from there, so nothing is
// skipped). The error can quote the API's answer: it is untrusted and rendered as text.
import { Link } from "@remix-run/react";
import { DownloadLinks } from "~/components/download-links";
import { TableWrap } from "~/components/page-header";
import { formatInt, formatTimestamp } from "~/lib/format";
import type { ProbeFailure } from "~/lib/status.server";

export function LeaderboardFailuresPanel({ failures, shown }: { failures: ProbeFailure[]; shown: number }) {
  return (
    <section className="panel" aria-labelledby="lb-failures-title" data-testid="leaderboard-failures">
      <h2 id="lb-failures-title">Leaderboard probes: orchestrators whose query failed</h2>
      <p className="muted">
        An orchestrator&apos;s probe query that still fails after its retries (with backoff and Retry-After) is recorded here and never fails the other
        orchestrators or sources. Its cursor is held where its probes are stored, so the next run reads again from there. The newest {shown}; the error is
        shown as text.
      </p>
      <TableWrap label="Orchestrators whose leaderboard query failed">
        <table>
          <thead>
            <tr>
              <th>Orchestrator</th>
              <th>Error</th>
              <th className="r" title="Runs in a row whose query of this orchestrator failed; each run retried it first">Failed runs</th>
              <th>Last failure</th>
              <th>Cursor</th>
            </tr>
          </thead>
          <tbody>
            {failures.map((f) => (
              <tr key={f.orchestrator}>
                <td>
                  <Link to={`/orchestrators/${f.orchestrator}`} className="mono" title={f.orchestrator}>
                    {f.orchestrator}
                  </Link>
                </td>
                <td className="error-text">{f.lastError}</td>
                <td className="r">{formatInt(f.failures)}</td>
                <td className="num">{formatTimestamp(f.lastErrorAt)}</td>
                <td>
                  {f.polledUntil === null ? (
                    "held: nothing stored yet (its first poll backfills)"
                  ) : (
                    <>held at {formatTimestamp(f.polledUntil)}</>
                  )}
                </td>
              </tr>
            ))}
            {failures.length === 0 ? (
              <tr>
                <td colSpan={5} className="muted">
                  No orchestrator&apos;s probe query is failing.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </TableWrap>
      <DownloadLinks path="/api/status" params={{ table: "leaderboard-failures" }} />
    </section>
  );
}
