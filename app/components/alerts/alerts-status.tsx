// /status: alerts' health: a broken rules file, the last evaluation, and each notification target's
// deliveries (retrying and given-up notifications with the last error). Target URLs are not shown.
import { Link } from "@remix-run/react";
import { TableWrap } from "~/components/page-header";
import { formatInt, formatTimestamp } from "~/lib/format";
import type { EvaluationRow, RulesProblem, TargetHealth } from "~/lib/alerts.server";
import { RulesProblemPanel } from "./rules-problem";

export interface AlertsStatus {
  file: string | null;
  problem: RulesProblem | null;
  evaluation: EvaluationRow | null;
  targets: TargetHealth[];
}

export function AlertsStatusPanel({ s }: { s: AlertsStatus }) {
  const failing = s.targets.filter((t) => t.retrying > 0 || t.gaveUp > 0);
  return (
    <section className="panel" aria-labelledby="alerts-status-title" data-testid="alerts-status">
      <h2 id="alerts-status-title">Alerts</h2>
      {s.problem ? <RulesProblemPanel problem={s.problem} /> : null}
      <p className="muted">
        Rules from <span className="mono">{s.file}</span>; last evaluated {formatTimestamp(s.evaluation?.evaluatedAt ?? null)}
        {s.evaluation?.ok ? ` (${formatInt(s.evaluation.rules)} rules, ${formatInt(s.evaluation.firing)} firing, ${formatInt(s.evaluation.ms)} ms)` : ""}.{" "}
        <Link to="/alerts">All alerts</Link>
      </p>
      {s.evaluation && !s.evaluation.ok && !s.problem ? <div className="error-text">Last evaluation failed: {s.evaluation.error}</div> : null}
      <TableWrap label="Alert notification targets">
        <table>
          <thead>
            <tr>
              <th>Target</th>
              <th className="r">Delivered</th>
              <th className="r">Retrying</th>
              <th className="r">Given up</th>
              <th>Last error</th>
              <th>Last attempt</th>
            </tr>
          </thead>
          <tbody>
            {s.targets.map((t) => (
              <tr key={t.target} data-testid={`alert-target-${t.target}`}>
                <td>
                  {t.target}{" "}
                  {failing.includes(t) ? <span className="status-pill status-failing">failing</span> : <span className="status-pill status-ok">ok</span>}
                </td>
                <td className="r">{formatInt(t.delivered)}</td>
                <td className="r">{formatInt(t.retrying)}</td>
                <td className="r">{formatInt(t.gaveUp)}</td>
                <td className="error-text">{t.lastError ?? ""}</td>
                <td className="num">{formatTimestamp(t.lastAttemptAt)}</td>
              </tr>
            ))}
            {s.targets.length === 0 ? (
              <tr>
                <td colSpan={6} className="muted">
                  Nothing sent yet.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </TableWrap>
    </section>
  );
}
