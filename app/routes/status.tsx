import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { DownloadLinks } from "~/components/download-links";
import { PageHeader, TableWrap } from "~/components/page-header";
import { RouteErrorBoundary } from "~/components/route-error";
import { dbFrom, replicaFrom, type ReplicaStatus } from "~/lib/context.server";
import { formatDuration, formatInt, formatTimestamp } from "~/lib/format";
import { pageData } from "~/lib/http.server";
import { pageMeta } from "~/lib/meta";
import { MAX_LAG_SECONDS, MAX_SUCCESS_AGE_SECONDS } from "~/lib/health";
import { getConfigProblems, getGatewayEvents, getLeaderboardFailures, getRawPartitions, getRejects, getRuns, getSources, PROBE_FAILURES_SHOWN, REJECTS_SHOWN, type Progress } from "~/lib/status.server";
import { GatewayEventsPanel } from "~/components/status/gateway-events";
import { LeaderboardFailuresPanel } from "~/components/status/leaderboard-failures";
import { RejectsTable } from "~/components/status/rejects-table";
import { ConfigProblemsPanel } from "~/components/status/config-problems";
import { RawPartitionsPanel } from "~/components/status/raw-partitions";
import { AlertsStatusPanel } from "~/components/alerts/alerts-status";
import { alertsStatus } from "~/lib/alerts.server";

export const meta: MetaFunction<typeof loader> = (args) => {
  const sources = args.data?.sources ?? [];
  const headline = sources.length
    ? `${sources.map((s) => `${s.name}: ${s.status}${s.block !== null ? ` at block ${formatInt(s.block)}` : ""}`).join("; ")}. `
    : "";
  return pageMeta("Indexer status", `${headline}How fresh Observatory's data is: each source's last run, block, lag, errors and recent runs.`, args);
};

const REFRESH_MS = 10_000;

export async function loader({ context }: LoaderFunctionArgs) {
  return pageData(async () => {
    const db = dbFrom(context);
    const now = Date.now();
    const sources = await getSources(db, now);
    const runs = await getRuns(db);
    const rejects = await getRejects(db);
    const events = await getGatewayEvents(db);
    const probeFailures = await getLeaderboardFailures(db);
    const alerts = await alertsStatus(db);
    const configProblems = await getConfigProblems(db);
    const rawPartitions = await getRawPartitions(db);
    const replica = replicaFrom(context);
    return {
      now: new Date(now).toISOString(), sources, runs, rejects, events, rejectsShown: REJECTS_SHOWN, probeFailures, probeFailuresShown: PROBE_FAILURES_SHOWN, alerts, configProblems,
      rawPartitions, replica,
    };
  });
}

/** Where page and API reads go (DATABASE_READ_URL, db/read-replica.ts). */
function ReplicaPanel({ r }: { r: ReplicaStatus }) {
  return (
    <section className="panel" aria-labelledby="replica-title" data-testid="replica">
      <h2 id="replica-title">Read replica</h2>
      <p>
        {r.label}: {r.lagSeconds === null ? "lag unknown" : `${r.lagSeconds.toFixed(1)} s behind the primary`} (bound {r.maxLagSeconds} s), checked{" "}
        {r.checkedAt ? formatTimestamp(r.checkedAt) : "never"}.{" "}
        <strong>{r.serving ? "Page and API reads go to the replica." : "Page and API reads go to the primary"}</strong>
        {r.serving ? null : <>: {r.reason}.</>}
      </p>
    </section>
  );
}

function Ago({ iso, now }: { iso: string | null; now: string }) {
  if (!iso) return <>never</>;
  const s = Math.max(0, Math.round((Date.parse(now) - Date.parse(iso)) / 1000));
  return (
    <>
      {formatTimestamp(iso)} <span className="muted">({formatDuration(s)} ago)</span>
    </>
  );
}

function ProgressView({ p }: { p: Progress }) {
  const fraction = typeof p.fraction === "number" ? p.fraction : typeof p.total === "number" && p.total > 0 && typeof p.done === "number" ? p.done / p.total : null;
  return (
    <div className="progress" data-testid="progress">
      <div>
        <strong>Running</strong>
        {p.phase ? `: ${p.phase}` : ""}
      </div>
      {fraction !== null ? <progress max={1} value={Math.min(1, Math.max(0, fraction))} /> : null}
      <div className="muted">
        {typeof p.done === "number" ? `${formatInt(p.done)} rows` : null}
        {typeof p.total === "number" ? ` of ${formatInt(p.total)}` : null}
        {typeof p.ratePerSec === "number" ? ` · ${formatInt(Math.round(p.ratePerSec))} rows/s` : null}
        {typeof p.etaSeconds === "number" ? ` · ETA ${formatDuration(p.etaSeconds)}` : null}
      </div>
    </div>
  );
}

export default function Status() {
  const { now, sources, runs, rejects, events, rejectsShown, probeFailures, alerts, configProblems, replica, probeFailuresShown, rawPartitions } = useLoaderData<typeof loader>();
  const running = sources.some((s) => s.progress !== null);
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  useEffect(() => {
    if (!running) return;
    const id = setInterval(() => {
      if (document.visibilityState === "visible") revalidate.current();
    }, REFRESH_MS);
    return () => clearInterval(id);
  }, [running]);

  return (
    <>
      <PageHeader title="Indexer status">
        As of {formatTimestamp(now)}. A source is <em>failing</em> when its last run failed, <em>degraded</em> when its data is more than{" "}
        {MAX_LAG_SECONDS / 60} minutes behind the chain or its last success is older than {MAX_SUCCESS_AGE_SECONDS / 60} minutes.
        {running ? " This page refreshes every 10 seconds while a run is going." : null}
      </PageHeader>
      {replica ? <ReplicaPanel r={replica} /> : null}
      {sources.length === 0 ? (
        <section className="panel">
          <p>No source has run yet. Start the indexer (npm start runs it in the same process).</p>
        </section>
      ) : (
        <div className="sources">
          {sources.map((s) => (
            <section className="panel" key={s.name} aria-labelledby={`src-${s.name}`}>
              <div className="panel-head">
                <h2 id={`src-${s.name}`}>{s.name}</h2>
                <span className={`status-pill status-${s.status}`} data-testid={`status-${s.name}`}>
                  {s.status}
                </span>
              </div>
              {s.progress ? <ProgressView p={s.progress} /> : null}
              <dl className="facts">
                <dt>Last run</dt>
                <dd><Ago iso={s.lastRunAt} now={now} /></dd>
                <dt>Last success</dt>
                <dd><Ago iso={s.lastSuccessAt} now={now} /></dd>
                <dt>Block</dt>
                <dd>{s.block === null ? "—" : formatInt(s.block)}</dd>
                <dt>Block time</dt>
                <dd>{formatTimestamp(s.blockTimestamp)}</dd>
                <dt>Lag</dt>
                <dd>{formatDuration(s.lagSeconds)}</dd>
                <dt>Rows written</dt>
                <dd>
                  {formatInt(s.rowsWritten)} in all{s.lastRunRows !== null ? `, ${formatInt(s.lastRunRows)} in the last run` : ""}
                </dd>
                {s.linesRead !== null ? (
                  <>
                    <dt>Lines read</dt>
                    <dd data-testid={`lines-${s.name}`}>
                      {formatInt(s.linesRead)}: {formatInt(s.accepted)} accepted, {formatInt(s.duplicates)} duplicates,{" "}
                      <span className={s.rejected ? "down" : undefined}>{formatInt(s.rejected)} rejected</span>
                    </dd>
                  </>
                ) : null}
                {s.deployment ? (
                  <>
                    <dt>Deployment</dt>
                    <dd className="mono">{s.deployment}</dd>
                  </>
                ) : null}
                {s.lastError ? (
                  <>
                    <dt>{s.status === "failing" ? "Error" : "Last error"}</dt>
                    <dd>
                      <div className="error-text">{s.lastError}</div>
                      <span className="muted">{formatTimestamp(s.lastErrorAt)}</span>
                    </dd>
                  </>
                ) : null}
              </dl>
            </section>
          ))}
        </div>
      )}
      <DownloadLinks path="/api/status" params={{ table: "sources" }} />
      {alerts ? <AlertsStatusPanel s={alerts} /> : null}
      {configProblems.length ? <ConfigProblemsPanel problems={configProblems} /> : null}
      <section className="panel" aria-labelledby="rejects-title">
        <h2 id="rejects-title">Rejected job log lines</h2>
        <p className="muted">
          Lines from job logs that are not valid job records (data contract section 4): kept with where they came from and why, never dropped
          silently. The newest {rejectsShown}; the excerpt is the line's start, shown as text.
        </p>
        <RejectsTable
          label="Rejected job log lines"
          rows={rejects.map((r) => ({ ...r, at: r.receivedAt, from: r.source === "http" ? "HTTP push" : "file" }))}
          empty="No rejected lines."
        />
        <DownloadLinks path="/api/status" params={{ table: "rejects" }} />
      </section>
      <GatewayEventsPanel counts={events.counts} rejects={events.rejects} shown={rejectsShown} />
      {probeFailures.length || sources.some((s) => s.name === "leaderboard") ? <LeaderboardFailuresPanel failures={probeFailures} shown={probeFailuresShown} /> : null}
      <RawPartitionsPanel tables={rawPartitions.tables} retentionDays={rawPartitions.retentionDays} />
      <section className="panel" aria-labelledby="runs-title">
        <h2 id="runs-title">Recent runs</h2>
        <TableWrap label="Recent indexer runs">
          <table>
            <thead>
              <tr>
                <th>Started</th>
                <th>Source</th>
                <th>Result</th>
                <th className="r">Duration</th>
                <th className="r">Rows</th>
                <th className="r">Block</th>
                <th>Error</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id}>
                  <td className="num">{formatTimestamp(r.startedAt)}</td>
                  <td>{r.source}</td>
                  <td>
                    {r.ok === null ? (
                      <span className="muted">running</span>
                    ) : r.ok ? (
                      <span className="status-pill status-ok">ok</span>
                    ) : (
                      <span className="status-pill status-failing">failed</span>
                    )}
                  </td>
                  <td className="r">{r.durationSeconds === null ? "—" : `${r.durationSeconds} s`}</td>
                  <td className="r">{formatInt(r.rowsWritten)}</td>
                  <td className="r">{r.block === null ? "—" : formatInt(r.block)}</td>
                  <td className="error-text">{r.error ?? ""}</td>
                </tr>
              ))}
              {runs.length === 0 ? (
                <tr>
                  <td colSpan={7} className="muted">
                    No runs yet.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </TableWrap>
        <DownloadLinks path="/api/status" params={{ table: "runs" }} />
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
