// /live: live video-to-video from gateway events, per orchestrator and for the network, for one
// model at a time (default: the busiest in the window): sessions, startup latency percentiles,
// frame-rate ratio, swaps and errors per session, and what a second of live video costs.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DownloadLinks } from "~/components/download-links";
import { PageHeader, TableWrap } from "~/components/page-header";
import { RangeForm } from "~/components/range-form";
import { RouteErrorBoundary } from "~/components/route-error";
import { dbFrom } from "~/lib/context.server";
import { formatUsdPrecise } from "~/lib/cost-format";
import { formatInt, shortAddress } from "~/lib/format";
import { pageData } from "~/lib/http.server";
import { formatMs, hiddenReason, MIN_SAMPLES, type PercentileKey } from "~/lib/latency";
import { liveLatestDay, loadLive, parseLiveQuery, type LiveFigures } from "~/lib/live.server";
import { pageMeta } from "~/lib/meta";
import { withParams } from "~/lib/url";

export const meta: MetaFunction<typeof loader> = (args) => {
  const d = args.data;
  const headline = d
    ? `${d.window.from} – ${d.window.to}: ${formatInt(d.network.sessions)} live video sessions of ${d.model ?? "every model"}, startup p50 ${formatMs(d.network.startupMs.p50)}. `
    : "";
  return pageMeta("Live video", `${headline}Livepeer live video-to-video from gateway events: sessions, startup latency, frame rate and cost per second of video.`, args);
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  return pageData(async () => {
    const db = dbFrom(context);
    const url = new URL(request.url);
    return loadLive(db, parseLiveQuery(url, await liveLatestDay(db)));
  });
}

function Startup({ k, f }: { k: PercentileKey; f: LiveFigures }) {
  const v = f.startupMs[k];
  if (v === null) {
    const why = f.startupSamples < MIN_SAMPLES[k] ? hiddenReason(k, f.startupSamples)?.replace(/successful jobs?/g, "sessions with a startup") : null;
    return <span className="muted" title={why ?? `${k} is not available`}>—</span>;
  }
  return <span className="num" title={`${k} over ${formatInt(f.startupSamples)} sessions with a startup`}>{formatMs(v)}</span>;
}

const ratio = (v: number | null) => (v === null ? "—" : v.toFixed(2));
const perSession = (v: number | null) => (v === null ? "—" : v.toFixed(2));
const perHour = (usdPerSecond: string | null) => (usdPerSecond === null ? null : (Number(usdPerSecond) * 3600).toFixed(4));

function Cost({ f }: { f: LiveFigures }) {
  if (f.ethPerSecond === null) return <span className="muted" title="No payments of live sessions in this selection">—</span>;
  return (
    <span className="num" title={`${f.feesEth} ETH over ${f.billableSeconds} billable seconds (${formatInt(f.payments)} payments); ${f.ethPerSecond} ETH per second`}>
      {f.usdPerSecond !== null ? `${formatUsdPrecise(f.usdPerSecond)} / s ($${perHour(f.usdPerSecond)} / h)` : `${f.ethPerSecond} ETH / s`}
    </span>
  );
}

function FigureCells({ f }: { f: LiveFigures }) {
  return (
    <>
      <td className="r">{formatInt(f.sessions)}</td>
      <td className="r"><Startup k="p50" f={f} /></td>
      <td className="r"><Startup k="p95" f={f} /></td>
      <td className="r"><Startup k="p99" f={f} /></td>
      <td className="r" title={`${formatInt(f.incompleteSessions)} sessions without a complete startup`}>{formatInt(f.startupSamples)}</td>
      <td className="r num" title={`${formatInt(f.fpsSamples)} status samples`}>{ratio(f.fpsRatio.p50)}</td>
      <td className="r num">{ratio(f.fpsRatio.p5)}</td>
      <td className="r num">{perSession(f.swaps)}</td>
      <td className="r num">{perSession(f.errors)}</td>
      <td className="r"><Cost f={f} /></td>
    </>
  );
}

export default function Live() {
  const d = useLoaderData<typeof loader>();
  const { window: w, network: n } = d;
  const keep = { model: d.modelChoice === "requested" ? d.model : d.modelChoice === "all" ? "all" : null };
  return (
    <>
      <PageHeader title="Live video">
        Live video-to-video sessions seen in gateway events, {w.from} – {w.to} (UTC, inclusive), for{" "}
        {d.model ? <strong className="uri">{d.model}</strong> : "every model"}
        {d.modelChoice === "busiest" ? " (the busiest model in this window; choose another below)" : ""}. Figures never mix models.
      </PageHeader>
      <RangeForm from={w.from} to={w.to}>
        {d.models.length ? (
          <label>
            Model
            <select name="model" defaultValue={d.modelChoice === "all" ? "all" : d.model ?? ""} key={`m-${d.model ?? "all"}`}>
              {d.models.map((m) => (
                <option key={m.modelId} value={m.modelId}>
                  {m.modelId} ({formatInt(m.sessions)} sessions)
                </option>
              ))}
              <option value="all">every model (mixed)</option>
            </select>
          </label>
        ) : null}
      </RangeForm>
      {n.sessions === 0 && n.payments === 0 ? (
        <section className="panel">
          <p>
            No live video sessions in this window. Live figures come from a gateway's Kafka events: pipe them in with{" "}
            <code>kcat … | npm run indexer -- events -</code>, point <code>GATEWAY_EVENTS_DIR</code> at exported files, or push them to{" "}
            <code>POST /api/ingest/events</code> (README, "Gateway events").
          </p>
        </section>
      ) : (
        <>
          <section className="panel" aria-labelledby="live-network-title">
            <h2 id="live-network-title">The network</h2>
            <ul className="key-numbers">
              <li>
                Sessions: <strong>{formatInt(n.sessions)}</strong>{" "}
                <span className="muted">({formatInt(n.incompleteSessions)} without a complete startup: gateway events are delivered at most once)</span>
              </li>
              <li>
                Startup (stream request to first processed segment): p50 <strong><Startup k="p50" f={n} /></strong> · p95 <strong><Startup k="p95" f={n} /></strong> · p99{" "}
                <strong><Startup k="p99" f={n} /></strong> <span className="muted">(n = {formatInt(n.startupSamples)})</span>
              </li>
              <li>
                Delivered / input frame rate: median <strong>{ratio(n.fpsRatio.p50)}</strong>, 5th percentile <strong>{ratio(n.fpsRatio.p5)}</strong>{" "}
                <span className="muted">({formatInt(n.fpsSamples)} status samples)</span>
              </li>
              <li>
                Cost of live video: <strong><Cost f={n} /></strong>{" "}
                <span className="muted">= fees paid ({n.feesEth} ETH) / billable seconds ({n.billableSeconds}), USD at each payment day's rate</span>
              </li>
            </ul>
          </section>
          <section className="panel" aria-labelledby="live-table-title">
            <h2 id="live-table-title">By orchestrator</h2>
            <TableWrap label="Live video by orchestrator">
              <table>
                <thead>
                  <tr>
                    <th>Orchestrator</th>
                    <th className="r">Sessions</th>
                    <th className="r">Startup p50</th>
                    <th className="r">p95</th>
                    <th className="r">p99</th>
                    <th className="r" title="Sessions with a complete startup (the percentiles' n)">n</th>
                    <th className="r" title="Delivered / input frame rate, median of status samples">FPS ratio</th>
                    <th className="r" title="5th percentile of the frame-rate ratio">p5</th>
                    <th className="r" title="Orchestrator swaps per session">Swaps</th>
                    <th className="r" title="Errors per session">Errors</th>
                    <th className="r">Cost per second</th>
                  </tr>
                </thead>
                <tbody>
                  {d.rows.map((r) => (
                    <tr key={r.address}>
                      <td className="uri">
                        {r.resolved ? (
                          <Link to={withParams(`/orchestrators/${r.address}`, { from: w.from, to: w.to })}>{shortAddress(r.address)}</Link>
                        ) : (
                          <span title="Not resolved to an on-chain address: no capabilities or subgraph service URI name it">{r.address}</span>
                        )}
                      </td>
                      <FigureCells f={r} />
                    </tr>
                  ))}
                  <tr className="total">
                    <td>Network</td>
                    <FigureCells f={n} />
                  </tr>
                </tbody>
              </table>
            </TableWrap>
            {d.unmatchedPayments ? (
              <p className="muted">{formatInt(d.unmatchedPayments)} payments belong to sessions whose events never arrived; they count only under every model.</p>
            ) : null}
            <DownloadLinks path="/api/live" params={{ from: w.from, to: w.to, model: keep.model }} />
          </section>
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
