// /alerts: the rules in ALERTS_FILE with how many of their alerts fire, the alerts raised now, and the
// history of firings and recoveries with the values that triggered them and a link to the chart that
// shows each; the Atom feeds. A broken rules file is shown with its problems; the page still serves.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AlertTable, formatReading } from "~/components/alerts/alert-table";
import { RulesProblemPanel } from "~/components/alerts/rules-problem";
import { PageHeader, TableWrap } from "~/components/page-header";
import { RouteErrorBoundary } from "~/components/route-error";
import { loadAlertsPage } from "~/lib/alerts.server";
import { dbFrom } from "~/lib/context.server";
import { formatInt, formatTimestamp } from "~/lib/format";
import { pageData } from "~/lib/http.server";
import { pageMeta } from "~/lib/meta";

export const meta: MetaFunction<typeof loader> = (args) =>
  pageMeta("Alerts", `${args.data ? `${args.data.alerts.filter((a) => a.phase === "firing").length} alerts firing. ` : ""}Alert rules, what fires now and its history.`, args);

export async function loader({ context }: LoaderFunctionArgs) {
  return pageData(() => loadAlertsPage(dbFrom(context)));
}

export default function Alerts() {
  const { view, alerts, events, evaluation } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Alerts">
        Rules are evaluated after every indexer run over the stored data; an alert fires once when its condition has held for its number of evaluations,
        stays quiet while it holds, and sends a recovery when it clears. Subscribe without configuration: <a href="/alerts.atom">Atom feed of every alert</a>{" "}
        (one orchestrator&apos;s: <span className="mono">/alerts.atom?orchestrator=0x…</span>). <a href="/api/alerts?state=all">JSON</a>.
      </PageHeader>
      {!view.configured ? (
        <section className="panel">
          <p>No rules: set ALERTS_FILE to a rules file (README, &quot;Alerts&quot;) to evaluate alerts.</p>
        </section>
      ) : null}
      {view.problem ? (
        <section className="panel">
          <RulesProblemPanel problem={view.problem} />
        </section>
      ) : null}
      {view.configured && !view.problem ? (
        <section className="panel" aria-labelledby="rules-title">
          <h2 id="rules-title">Rules</h2>
          <p className="muted">
            From <span className="mono">{view.file}</span>. Last evaluated {formatTimestamp(evaluation?.evaluatedAt ?? null)}
            {evaluation?.error ? <span className="error-text"> ({evaluation.error})</span> : null}. Targets:{" "}
            {view.targets.length ? view.targets.map((t) => `${t.name} (${t.type}${t.signed ? ", signed" : ""})`).join(", ") : "none (the feed only)"}.
          </p>
          <TableWrap label="Alert rules">
            <table>
              <thead>
                <tr>
                  <th>Rule</th>
                  <th>Metric</th>
                  <th>Subject</th>
                  <th>Condition</th>
                  <th>Window</th>
                  <th className="r">Min. samples</th>
                  <th className="r">For</th>
                  <th>Notify</th>
                  <th>State</th>
                </tr>
              </thead>
              <tbody>
                {view.rules.map((r) => (
                  <tr key={r.name} data-testid="rule-row">
                    <td>{r.name}</td>
                    <td className="mono">{r.metric}</td>
                    <td className="mono">{r.subject}</td>
                    <td>
                      {r.condition} <span className="muted">({r.unit})</span>
                    </td>
                    <td>{r.window ?? "latest"}</td>
                    <td className="r">{r.minSamples === null ? "—" : formatInt(r.minSamples)}</td>
                    <td className="r">{r.for}</td>
                    <td>{r.notify.join(", ") || "feed only"}</td>
                    <td>
                      {r.firing ? <span className="status-pill status-failing">{r.firing} firing</span> : <span className="status-pill status-ok">ok</span>}
                      {r.pending ? <span className="muted"> {r.pending} pending</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </section>
      ) : null}
      <section className="panel" aria-labelledby="raised-title">
        <h2 id="raised-title">Raised now</h2>
        <AlertTable alerts={alerts} label="Alerts firing or pending" />
      </section>
      <section className="panel" aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        <p className="muted">Every firing and recovery, newest first (the last 200), with the value that triggered it.</p>
        <TableWrap label="Alert history">
          <table>
            <thead>
              <tr>
                <th>When</th>
                <th>Rule</th>
                <th>Subject</th>
                <th>Scope</th>
                <th>Event</th>
                <th className="r">Value</th>
                <th className="r">Threshold</th>
                <th>Message</th>
                <th>Chart</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id} id={`event-${e.id}`} data-testid="event-row">
                  <td className="num">{formatTimestamp(e.at)}</td>
                  <td>{e.rule}</td>
                  <td className="mono">{e.subject.startsWith("0x") ? <Link to={`/orchestrators/${e.subject}`}>{e.subject}</Link> : e.subject}</td>
                  <td>{e.scope || "—"}</td>
                  <td>
                    <span className={`status-pill status-${e.state === "firing" ? "failing" : "ok"}`}>{e.state}</span>
                  </td>
                  <td className="r">{formatReading(e.value)}</td>
                  <td className="r">{formatReading(e.threshold)}</td>
                  <td>{e.message}</td>
                  <td>{e.link.startsWith("/") ? <Link to={e.link}>chart</Link> : null}</td>
                </tr>
              ))}
              {events.length === 0 ? (
                <tr>
                  <td colSpan={9} className="muted">
                    Nothing has fired yet.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </TableWrap>
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
