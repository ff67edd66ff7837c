// /compare: 2 to 4 orchestrators side by side (app/lib/compare.server.ts): job figures for one
// pipeline and model pair (the busiest of these orchestrators together unless chosen: percentiles
// never mix pairs), realized fees, public-probe score, success and round trip for one probed pair, and
// one median latency line per orchestrator.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { Eth } from "~/components/amount";
import { SeriesLines } from "~/components/charts/series-lines";
import type { SeriesDatum } from "~/components/charts/series";
import { ChartFrame, apiHrefs } from "~/components/charts/chart-frame";
import { DownloadLinks } from "~/components/download-links";
import { exportName } from "~/lib/download-names";
import { PairNote, pairText, Percentile, PERCENTILE_NOTE, PipelineModelSelects, SuccessRate } from "~/components/job-stats";
import { PageHeader, TableWrap } from "~/components/page-header";
import { ProbeRoundTrip, ProbeScore, ProbeSuccess } from "~/components/probes/probe-cells";
import { RangeForm } from "~/components/range-form";
import { RouteErrorBoundary } from "~/components/route-error";
import { Segmented } from "~/components/segmented";
import { ServiceUri } from "~/components/service-uri";
import { loadCompare } from "~/lib/compare.server";
import { dbFrom } from "~/lib/context.server";
import { addDays, daysBetween } from "~/lib/dates";
import { formatInt, shortAddress } from "~/lib/format";
import { pageData } from "~/lib/http.server";
import { DEFAULT_HOURLY_DAYS, MAX_HOURLY_DAYS } from "~/lib/job-limits";
import { jobFacets } from "../../db/queries/jobs";
import { formatMs, type PercentileKey } from "~/lib/latency";
import { pageMeta } from "~/lib/meta";

export const meta: MetaFunction<typeof loader> = (args) => {
  const d = args.data;
  const headline = d
    ? `${d.range.from} – ${d.range.to}, ${pairText(d.pair)}: ${d.orchestrators.map((o) => `${shortAddress(o.address)}${d.pair.choice === "all" ? "" : ` p50 ${formatMs(o.latencyMs.p50)}`} over ${formatInt(o.jobs)} jobs`).join("; ")}. `
    : "";
  return pageMeta(
    "Compare orchestrators",
    `${headline}Livepeer orchestrators side by side: jobs, success rate, latency percentiles, expected and realized fees, latency over time.`,
    args,
  );
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  return pageData(async () => {
    const db = dbFrom(context);
    const { state: _state, ...d } = await loadCompare(db, new URL(request.url));
    return { ...d, facets: await jobFacets(db, d.range) };
  });
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;
type Compared = Data["orchestrators"][number];

const COLORS = ["var(--series-1)", "var(--series-2)", "var(--series-3)", "var(--series-4)"];

export default function Compare() {
  const d = useLoaderData<typeof loader>();
  const { range, interval, pair, orchestrators: os } = d;
  const addresses = os.map((o) => o.address);
  const hourRange = daysBetween(range.from, range.to) > MAX_HOURLY_DAYS ? { from: addDays(range.to, -(DEFAULT_HOURLY_DAYS - 1)), to: range.to } : range;
  const asked = askedParams(d);
  return (
    <>
      <p>
        <Link to="/orchestrators">← All orchestrators</Link>
      </p>
      <PageHeader title={`Compare ${os.length} orchestrators`}>
        Job figures from gateway logs over {range.from} – {range.to} (UTC) for {pairText(pair)}; realized fees from winning tickets.
      </PageHeader>
      <div className="controls">
        <Segmented
          name="interval"
          value={interval}
          options={[
            ["day", "By day"],
            ["hour", "By hour"],
          ]}
          extra={{ hour: { from: hourRange.from, to: hourRange.to } }}
        />
      </div>
      <CompareRangeForm d={d} addresses={addresses} />
      <PairNote pair={pair} scope="these orchestrators'" />
      <section className="panel" aria-labelledby="side-title">
        <h2 id="side-title">Side by side</h2>
        <TableWrap label="Orchestrators side by side">
          <table>
            <thead>
              <tr>
                <th>
                  <span className="visually-hidden">Figure</span>
                </th>
                {os.map((o, i) => (
                  <th key={o.address} className="r">
                    <span className="swatch-inline" style={{ background: COLORS[i] }} aria-hidden="true" />
                    <Link to={`/orchestrators/${o.address}`} className="mono" title={o.address}>
                      {shortAddress(o.address)}
                    </Link>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              <Row label="Service URI" os={os} className="uri" cell={(o) => <ServiceUri uri={o.serviceUri} />} />
              <Row label="Jobs" os={os} cell={(o) => formatInt(o.jobs)} />
              <Row label="Success rate" os={os} cell={(o) => <SuccessRate rate={o.successRate} successes={o.successes} jobs={o.jobs} />} />
              {(pair.choice === "all" ? [] : (["p50", "p95", "p99"] as PercentileKey[])).map((k) => (
                <Row key={k} label={`Latency ${k}`} os={os} cell={(o) => <Percentile k={k} latency={o.latencyMs} n={o.latencySamples} />} />
              ))}
              <Row label="Latency samples (n)" os={os} cell={(o) => formatInt(o.latencySamples)} />
              <Row label="Expected fees (logs)" os={os} cell={(o) => <Eth value={o.expectedFeesEth} />} />
              <Row label={`Realized fees, ${range.from} – ${range.to}`} os={os} cell={(o) => <Eth value={o.realizedFeesEth} />} />
              <Row label={`Realized fees, 30 days (${d.window30d.from} – ${d.window30d.to})`} os={os} cell={(o) => <Eth value={o.feesEth30d} />} />
              {d.probes.pipeline === null ? null : (
                <>
                  <Row label="Probe score (x100)" os={os} cell={(o) => <ProbeScore score={o.probeScore} />} />
                  <Row label="Probe success" os={os} cell={(o) => <ProbeSuccess rate={o.probeSuccessRate} probes={o.probeCount} />} />
                  <Row label="Probe round trip p95" os={os} cell={(o) => <ProbeRoundTrip k="p95" s={o.probeRoundTripS.p95} n={o.probeRoundTripSamples} />} />
                  <Row label="Probes (successful, n)" os={os} cell={(o) => `${formatInt(o.probeCount)} (${formatInt(o.probeRoundTripSamples)})`} />
                </>
              )}
            </tbody>
          </table>
        </TableWrap>
        <p className="muted">
          {PERCENTILE_NOTE} Realized fees are winning tickets (all pipelines, AI and transcoding together); expected fees are priced per job from the
          logs.
        </p>
        <p className="muted" data-testid="probe-note">
          {d.probes.pipeline === null ? (
            <>No public probe of these orchestrators in this range (probes come from the public AI leaderboard API: set LEADERBOARD_URL).</>
          ) : (
            <>
              Probe rows: the public AI leaderboard&apos;s test jobs for <strong className="uri">{d.probes.pipeline}</strong> /{" "}
              <strong className="uri">{d.probes.model}</strong>
              {d.probes.choice === "busiest" ? " (these orchestrators' most probed pair in the range)" : " (the pair chosen above)"}; score and success are
              means over each orchestrator&apos;s regions, as the explorer&apos;s GLOBAL.
            </>
          )}
        </p>
        <DownloadLinks
          path="/api/compare"
          params={{ address: addresses, from: range.from, to: range.to, ...asked, interval: interval === "hour" ? "hour" : null }}
        />
      </section>
      <LatencyChart d={d} />
    </>
  );
}

function Row({ label, os, cell, className = "r" }: { label: string; os: Compared[]; cell: (o: Compared) => ReactNode; className?: string }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      {os.map((o) => (
        <td key={o.address} className={className}>
          {cell(o)}
        </td>
      ))}
    </tr>
  );
}

/** The range and filter form; the compared addresses ride along as hidden fields. */
function CompareRangeForm({ d, addresses }: { d: Data; addresses: string[] }) {
  return (
    <RangeForm from={d.range.from} to={d.range.to} keep={{ interval: d.interval === "hour" ? "hour" : null }}>
      {addresses.map((a) => (
        <input key={a} type="hidden" name="address" value={a} />
      ))}
      <PipelineModelSelects facets={d.facets} pipeline={d.pair.requested.pipeline} model={d.pair.requested.model} chosen={d.pair} allowAll />
    </RangeForm>
  );
}

/** The pair as asked (links choose the busiest the same way the page did). */
const askedParams = (d: Data) =>
  d.pair.choice === "all" ? { pipeline: "all", model: null } : { pipeline: d.pair.requested.pipeline, model: d.pair.requested.model };

function LatencyChart({ d }: { d: Data }) {
  if (d.pair.choice === "all")
    return (
      <section className="panel" aria-labelledby="compare-latency-title">
        <h2 id="compare-latency-title">Median latency (p50)</h2>
        <p>Latency is compared for one pipeline and model at a time: over every pipeline it would mix 1-second image jobs with 30-second video jobs.</p>
      </section>
    );
  const os = d.orchestrators;
  const periods = os[0]?.series.map((s) => s.period) ?? [];
  const data: SeriesDatum[] = periods.map((period, i) => ({
    period,
    values: Object.fromEntries(os.map((o, j) => [`o${j}`, o.series[i].latencyMs.p50])),
    texts: Object.fromEntries(
      os.map((o, j) => {
        const s = o.series[i];
        return [`o${j}`, s.latencyMs.p50 === null ? `— (n = ${s.latencySamples})` : `${formatMs(s.latencyMs.p50)} (n = ${s.latencySamples})`];
      }),
    ),
  }));
  const net = d.network.latencyMs.p50;
  return (
    <section className="panel" aria-labelledby="compare-latency-title">
      <h2 id="compare-latency-title">Median latency (p50) per {d.interval}</h2>
      <ChartFrame
        heading="none"
        title={`Median latency (p50) per ${d.interval}: ${os.map((o) => shortAddress(o.address)).join(", ")}`}
        caption={`${d.range.from} – ${d.range.to} (UTC), ${pairText(d.pair)} · Source: gateway job logs via Observatory`}
        filename={exportName("compare-latency", d.range, d.interval === "hour" ? "hourly" : null, askedParams(d).pipeline, askedParams(d).model)}
        {...apiHrefs("/api/compare", {
          address: os.map((o) => o.address),
          from: d.range.from,
          to: d.range.to,
          ...askedParams(d),
          interval: d.interval === "hour" ? "hour" : null,
          table: "series",
        })}
      >
        <SeriesLines
          data={data}
          series={os.map((o, j) => ({ key: `o${j}`, name: shortAddress(o.address), color: COLORS[j] }))}
          y="ms"
          reference={net === null ? null : { y: net, label: `Network p50 ${formatMs(net)}` }}
          label={`Median latency per ${d.interval}, one line per orchestrator`}
        />
      </ChartFrame>
      <ul className="key-numbers">
        {os.map((o, j) => (
          <li key={o.address}>
            <span className="swatch-inline" style={{ background: COLORS[j] }} aria-hidden="true" />
            <span className="mono">{shortAddress(o.address)}</span>: p50 <strong><Percentile k="p50" latency={o.latencyMs} n={o.latencySamples} /></strong>{" "}
            <span className="muted">(n = {formatInt(o.latencySamples)})</span>
          </li>
        ))}
        <li>
          Network p50: <strong><Percentile k="p50" latency={d.network.latencyMs} n={d.network.latencySamples} /></strong>
        </li>
      </ul>
    </section>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
