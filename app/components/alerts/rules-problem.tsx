// A broken ALERTS_FILE, as /alerts and /status show it: the file (without its directory), each path
// inside it and what is wrong there. The text comes from the file: rendered as text.
import type { RulesProblem } from "~/lib/alerts.server";

export function RulesProblemPanel({ problem }: { problem: RulesProblem }) {
  return (
    <div className="error-text" data-testid="alerts-file-problem" role="alert">
      <p>
        The alert rules file <strong className="mono">{problem.file}</strong> is not valid, so no alert is evaluated or sent until it is fixed (the
        rest of the dashboard is unaffected):
      </p>
      <ul>
        {problem.problems.map((p, i) => (
          <li key={i}>
            <span className="mono">{p.path || "(the whole file)"}</span>: {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
