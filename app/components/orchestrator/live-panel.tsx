// One orchestrator's live video figures next to the network's for the same model (orchestrators.
// $address.tsx): sessions, startup latency p50/p95/p99 with n, delivered/input frame-rate ratio,
// swaps and errors per session, and what a second of live video was paid, from gateway events
// (app/lib/live.server.ts loadLive, through app/lib/orchestrator-detail.server.ts). One model at a
// time: percentiles and prices never mix models.
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { ExportLinks } from "~/components/export-links";
import { TableWrap } from "~/components/page-header";
import { formatEthPrecise, formatUsdPrecise } from "~/lib/cost-format";
import { formatInt, groupThousands, roundDecimal } from "~/lib/format";
import { formatMs, MIN_SAMPLES, type LatencyMs, type PercentileKey } from "~/lib/latency";
import type { LiveFiguresShown, OrchestratorLive } from "~/lib/orchestrator-detail.server";
import { withParams } from "~/lib/url";
import { EmptyNote } from "./empty-note";

// The loader's own types (type-only: nothing of the .server module reaches the browser bundle).
type LiveFiguresView = LiveFiguresShown;
type LiveView = OrchestratorLive;

const SOURCE = (
  <>
    Live video figures come from gateway events: set GATEWAY_EVENTS_DIR, push them to POST /api/ingest/events, or pipe Kafka into{" "}
    <code>npm run indexer -- events -</code>.
  </>
);

function Startup({ f, k }: { f: LiveFiguresView; k: PercentileKey }) {
  const v = f.startupMs[k];
  if (v === null)
    return (
      <span className="muted" title={`${k} is shown from ${MIN_SAMPLES[k]} sessions with a startup; this selection has ${f.startupSamples}`}>
        —
      </span>
    );
  return (
    <span className="num" title={`${k} = ${v} ms over ${formatInt(f.startupSamples)} sessions`}>
      {formatMs(v)}
    </span>
  );
}

const ratio = (r: number | null) => (r === null ? "—" : `${Math.round(r * 100)}%`);
const perSession = (v: number | null) => (v === null ? "—" : v.toFixed(2));
const ROWS: { label: string; title?: string; cell: (f: LiveFiguresView, usdPerHour: string | null) => ReactNode }[] = [
  { label: "Sessions", cell: (f) => formatInt(f.sessions) },
  { label: "Startup p50", title: "Stream request received to first processed segment received", cell: (f) => <Startup f={f} k="p50" /> },
  { label: "Startup p95", cell: (f) => <Startup f={f} k="p95" /> },
  { label: "Startup p99", cell: (f) => <Startup f={f} k="p99" /> },
  { label: "Sessions without a complete startup", title: "Events are delivered at most once: a session can miss its start", cell: (f) => formatInt(f.incompleteSessions) },
  { label: "Frame rate delivered / input, median", cell: (f) => ratio(f.fpsRatio.p50) },
  { label: "Frame rate delivered / input, 5th percentile", cell: (f) => ratio(f.fpsRatio.p5) },
  { label: "Orchestrator swaps per session", cell: (f) => perSession(f.swaps) },
  { label: "Errors per session", cell: (f) => perSession(f.errors) },
  { label: "Billable seconds paid", cell: (f) => groupThousands(roundDecimal(f.billableSeconds, 1)) },
  { label: "Paid per second of video", title: "Sum of exact fees over sum of billable seconds", cell: (f) => (f.ethPerSecond === null ? "—" : formatEthPrecise(f.ethPerSecond)) },
  { label: "Paid per hour of video (USD)", title: "USD at each payment day's ETH/USD", cell: (_f, h) => formatUsdPrecise(h) },
];

/** `params`: the page's API parameters (range and pair asked for), so the CSV holds these very figures. */
export function LivePanel({ live, address, params }: { live: LiveView; address: string; params: Record<string, string | null> }) {
  const own = live.row;
  const net = live.network;
  const liveHref = withParams("/live", { from: live.window.from, to: live.window.to, model: live.model });
  return (
    <section className="panel" aria-labelledby="live-title">
      <h2 id="live-title">Live video, next to the network</h2>
      {live.model === null ? (
        <EmptyNote>No live video session is recorded in {live.window.from} – {live.window.to}. {SOURCE}</EmptyNote>
      ) : (
        <>
          <p className="muted">
            {live.window.from} – {live.window.to} (UTC), model <strong>{live.model}</strong>
            {live.modelChoice === "busiest" ? " (the network's busiest live model in this window)" : ""}.
            Figures never mix models. <Link to={liveHref}>Every orchestrator on the live video page</Link>.
          </p>
          {own === null ? (
            <EmptyNote>
              Gateway events name this orchestrator in no live session or payment of {live.model} in this window; the network&apos;s figures are below for reference.{" "}
              {SOURCE}
            </EmptyNote>
          ) : null}
          <TableWrap label="Live video figures">
            <table>
              <thead>
                <tr>
                  <th>
                    <span className="visually-hidden">Figure</span>
                  </th>
                  {own ? <th className="r">This orchestrator</th> : null}
                  <th className="r">Network</th>
                </tr>
              </thead>
              <tbody>
                {ROWS.map((r) => (
                  <tr key={r.label}>
                    <th scope="row" title={r.title}>
                      {r.label}
                    </th>
                    {own ? <td className="r">{r.cell(own, live.usdPerHour.row)}</td> : null}
                    <td className="r">{r.cell(net, live.usdPerHour.network)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          <ExportLinks
            path={`/api/orchestrators/${address}`}
            params={{ ...params, interval: null, table: "live" }}
            label="Live video figures"
            filename={`observatory-orchestrator-${address}-live-${live.window.from}_${live.window.to}`}
          />
        </>
      )}
    </section>
  );
}
