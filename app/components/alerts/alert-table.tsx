// Alerts as a table (the /alerts page and an orchestrator's page): rule, subject and scope, state,
// since, the value and threshold that triggered it, the message and a link to the chart that shows
// it. Subjects and scopes come from indexed data: rendered as text.
import { Link } from "@remix-run/react";
import { TableWrap } from "~/components/page-header";
import { formatTimestamp } from "~/lib/format";
import type { StoredAlert } from "~/lib/alerts.server";

export const formatReading = (v: number | null) => (v === null ? "—" : Number.isInteger(v) ? v.toLocaleString("en-US") : v.toLocaleString("en-US", { maximumSignificantDigits: 4 }));

export function AlertTable({ alerts, label, showSubject = true }: { alerts: StoredAlert[]; label: string; showSubject?: boolean }) {
  return (
    <TableWrap label={label}>
      <table>
        <thead>
          <tr>
            <th>Rule</th>
            {showSubject ? <th>Subject</th> : null}
            <th>Scope</th>
            <th>State</th>
            <th>Since</th>
            <th className="r">Value</th>
            <th className="r">Threshold</th>
            <th>Message</th>
            <th>Chart</th>
          </tr>
        </thead>
        <tbody>
          {alerts.map((a) => (
            <tr key={`${a.rule} ${a.key}`} data-testid="alert-row">
              <td>{a.rule}</td>
              {showSubject ? (
                <td className="mono">{a.subject.startsWith("0x") ? <Link to={`/orchestrators/${a.subject}`}>{a.subject}</Link> : a.subject}</td>
              ) : null}
              <td>{a.scope || "—"}</td>
              <td>
                <span className={`status-pill status-${a.phase === "firing" ? "failing" : a.phase === "pending" ? "degraded" : "ok"}`}>{a.phase}</span>
              </td>
              <td className="num">{formatTimestamp(a.since)}</td>
              <td className="r">{formatReading(a.value)}</td>
              <td className="r">{formatReading(a.threshold)}</td>
              <td>{a.message}</td>
              <td>{a.link.startsWith("/") ? <Link to={a.link}>chart</Link> : null}</td>
            </tr>
          ))}
          {alerts.length === 0 ? (
            <tr>
              <td colSpan={showSubject ? 9 : 8} className="muted">
                No alert is raised.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </TableWrap>
  );
}
