// /orchestrators/<address>: one orchestrator. Its on-chain facts; its job figures from the gateway
// logs for one pipeline and model pair (its busiest in the window unless chosen: percentiles and
// costs never mix pairs) by day or hour, with the network's for the same pair; its fees; what it
// advertises (GPUs, models, prices and their history: components/orchestrator/advertised-panel.tsx);
// its live video figures next to the network's (components/orchestrator/live-panel.tsx); and its public
// probes from the AI leaderboard per region and per day (components/orchestrator/probe-panel.tsx).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Eth, Usd } from "~/components/amount";
import { HorizontalBars } from "~/components/charts/horizontal-bars";
import { percentilePoints, PERCENTILE_SERIES } from "~/components/charts/job-points";
import { SeriesBars } from "~/components/charts/series-bars";
import { SeriesLines } from "~/components/charts/series-lines";
import type { SeriesDatum } from "~/components/charts/series";
import { ChartFrame, apiHrefs } from "~/components/charts/chart-frame";
import { DownloadLinks } from "~/components/download-links";
import { ExportLinks } from "~/components/export-links";
import { exportName } from "~/lib/download-names";
import { withParams } from "~/lib/url";
import { PairNote, pairText, Percentile, PERCENTILE_NOTE, PercentileLine, PipelineModelSelects, SuccessRate } from "~/components/job-stats";
import { AdvertisedPanel } from "~/components/orchestrator/advertised-panel";
import { LivePanel } from "~/components/orchestrator/live-panel";
import { feeCutPct } from "~/components/orchestrator/orchestrator-table";
import { ProbePanel } from "~/components/orchestrator/probe-panel";
import { PageHeader, TableWrap } from "~/components/page-header";
import { RangeForm } from "~/components/range-form";
import { RouteErrorBoundary } from "~/components/route-error";
import { Segmented } from "~/components/segmented";
import { ServiceUri } from "~/components/service-uri";
import { dbFrom } from "~/lib/context.server";
import { addDays, daysBetween } from "~/lib/dates";
import { formatUsdPrecise } from "~/lib/cost-format";
import { formatEth, formatInt, formatPct, shortAddress } from "~/lib/format";
import { pageData } from "~/lib/http.server";
import { DEFAULT_HOURLY_DAYS, MAX_HOURLY_DAYS } from "~/lib/job-limits";
import { jobFacets } from "../../db/queries/jobs";
import { formatMs, formatRate } from "~/lib/latency";
import { pageMeta } from "~/lib/meta";
import { loadOrchestratorDetail } from "~/lib/orchestrator-detail.server";
import { activeAlertsFor } from "~/lib/alerts.server";
import { AlertTable } from "~/components/alerts/alert-table";

export const meta: MetaFunction<typeof loader> = (args) => {
  const { data, params } = args;
  const headline = data?.row
    ? `30-day fees ${formatEth(data.row.feesEth30d, 4)} ETH (${data.window30d.from} – ${data.window30d.to}). ${data.range.from} – ${data.range.to}, ${pairText(data.pair)}: ${formatInt(data.jobs.jobs)} jobs, ${formatRate(data.jobs.successRate)} succeeded${data.pair.choice === "all" ? "" : `, p50 latency ${formatMs(data.jobs.latencyMs.p50)}`}. `
    : "";
  return pageMeta(
    `Orchestrator ${data?.row ? shortAddress(data.row.address) : (params.address ?? "").slice(0, 42)}`,
    `${headline}A Livepeer orchestrator: stake, fee share, reward cut, latency percentiles and success rate over time, errors by type, expected and realized fees, GPUs and advertised prices, live video.`,
    args,
  );
};

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  return pageData(async () => {
    const db = dbFrom(context);
    const d = await loadOrchestratorDetail(
      db,
      new URL(request.url),
      params.address,
      (a) => `No orchestrator ${a} is indexed: it has no Transcoder row, earned no fees and has no logged jobs.`,
    );
    const { state: _state, ...rest } = d;
    return { ...rest, facets: await jobFacets(db, d.range), alerts: await activeAlertsFor(db, d.row.address) };
  });
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

export default function Orchestrator() {
  const d = useLoaderData<typeof loader>();
  const { row, range, window30d, interval, pair } = d;
  const hourRange = daysBetween(range.from, range.to) > MAX_HOURLY_DAYS ? { from: addDays(range.to, -(DEFAULT_HOURLY_DAYS - 1)), to: range.to } : range;
  const apiParams = seriesParams(d);
  return (
    <>
      <p>
        <Link to="/orchestrators">← All orchestrators</Link>
      </p>
      <PageHeader title={`Orchestrator ${shortAddress(row.address)}`}>
        <span className="mono">{row.address}</span>
      </PageHeader>
      {d.alerts.length ? (
        <section className="panel" aria-labelledby="active-alerts-title" data-testid="orchestrator-alerts">
          <h2 id="active-alerts-title">Active alerts</h2>
          <AlertTable alerts={d.alerts} label="Active alerts of this orchestrator" showSubject={false} />
          <p className="muted">
            <Link to="/alerts">All alerts</Link> · <a href={`/alerts.atom?orchestrator=${row.address}`}>Atom feed of this orchestrator&apos;s alerts</a>
          </p>
        </section>
      ) : null}
      <section className="panel">
        <dl className="facts">
          <dt>Service URI</dt>
          <dd className="uri">
            <ServiceUri uri={row.serviceUri} />
          </dd>
          <dt>Active</dt>
          <dd>{row.active === null ? "no Transcoder row indexed" : row.active ? "yes" : "no"}</dd>
          <dt>Status</dt>
          <dd>{row.status ?? "—"}</dd>
          <dt>Total stake</dt>
          <dd>
            <Eth value={row.totalStake} dp={2} symbol="LPT" />
          </dd>
          <dt>Fee cut</dt>
          <dd>
            {row.feeSharePct === null ? formatPct(null) : formatPct(feeCutPct(row.feeSharePct))}{" "}
            <span className="muted">kept by the orchestrator, as the explorer shows it; delegators get the rest (feeShare {formatPct(row.feeSharePct)})</span>
          </dd>
          <dt>Reward cut</dt>
          <dd>{formatPct(row.rewardCutPct)}</dd>
          <dt>Fees, 30 days</dt>
          <dd>
            <Eth value={row.feesEth30d} /> ({window30d.from} – {window30d.to})
          </dd>
          <dt>Fees, all time</dt>
          <dd>
            <Eth value={row.feesEthTotal} />
          </dd>
        </dl>
        <ExportLinks
          path={`/api/orchestrators/${row.address}`}
          params={{ ...apiParams, table: "summary" }}
          label="These figures"
          filename={exportName(`orchestrator-${row.address}-summary`, range, apiParams.pipeline, apiParams.model)}
        />
      </section>
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
      <RangeForm from={range.from} to={range.to} keep={{ interval: interval === "hour" ? "hour" : null }}>
        <PipelineModelSelects facets={d.facets} pipeline={pair.requested.pipeline} model={pair.requested.model} chosen={pair} allowAll />
      </RangeForm>
      <p className="muted">
        {range.from} – {range.to} (UTC), {interval === "hour" ? `by hour (ranges of at most ${MAX_HOURLY_DAYS} days)` : "by day"}; jobs of {pairText(pair)}.
      </p>
      <PairNote pair={pair} scope="its" hasJobs={d.jobs.jobs > 0} />
      {d.jobs.jobs === 0 ? (
        <section className="panel">
          <h2>Jobs</h2>
          <p>
            No jobs are logged for this orchestrator in this range{pair.choice === "all" ? "" : ` for ${pairText(pair)}`}. Job figures come from gateway job logs
            (GATEWAY_LOG_DIR or POST /api/ingest/jobs).
          </p>
        </section>
      ) : (
        <>
          <LatencyPanel d={d} />
          <SuccessPanel d={d} />
          <ErrorsPanel d={d} />
        </>
      )}
      <ProbePanel p={d.probes} address={row.address} range={range} jobs={{ ...d.jobs, pipeline: pair.pipeline, model: pair.model }} />
      <FeesPanel d={d} />
      <AdvertisedPanel a={d.advertised} address={row.address} range={range} />
      <LivePanel live={d.live} address={row.address} params={apiParams} />
      <DownloadLinks path={`/api/orchestrators/${row.address}`} params={apiParams} />
    </>
  );
}

/**
 * The page's API parameters (range, interval, the pair as asked): the numbers of its charts and
 * tables. The pair is left as asked so a link chooses the busiest pair the same way the page did.
 */
const seriesParams = (d: Data) => ({
  from: d.range.from,
  to: d.range.to,
  interval: d.interval === "hour" ? "hour" : null,
  pipeline: d.pair.choice === "all" ? "all" : d.pair.requested.pipeline,
  model: d.pair.choice === "all" ? null : d.pair.requested.model,
});

const filterText = (d: Data) => `, ${pairText(d.pair)}`;

function LatencyPanel({ d }: { d: Data }) {
  if (d.pair.choice === "all")
    return (
      <section className="panel" aria-labelledby="latency-title">
        <h2 id="latency-title">Latency of successful jobs</h2>
        <p>
          Latency percentiles are shown for one pipeline and model at a time: over every pipeline they would mix 1-second image jobs with 30-second video
          jobs. Choose a pipeline and model above.
        </p>
      </section>
    );
  const data = percentilePoints(d.series);
  const net = d.network.latencyMs.p50;
  return (
    <section className="panel" aria-labelledby="latency-title">
      <h2 id="latency-title">Latency of successful jobs, per {d.interval}</h2>
      <ChartFrame
        heading="none"
        title={`Latency of orchestrator ${shortAddress(d.row.address)} per ${d.interval} (p50, p95, p99)`}
        caption={`${d.range.from} – ${d.range.to} (UTC)${filterText(d)} · Source: gateway job logs via Observatory`}
        filename={exportName(`orchestrator-${d.row.address}-latency`, d.range, d.interval === "hour" ? "hourly" : null, seriesParams(d).pipeline, seriesParams(d).model)}
        {...apiHrefs(`/api/orchestrators/${d.row.address}`, seriesParams(d))}
        embedPath={withParams("/embed/orchestrator-latency", { address: d.row.address, ...seriesParams(d) })}
      >
        <SeriesLines
          data={data}
          series={PERCENTILE_SERIES}
          y="ms"
          reference={net === null ? null : { y: net, label: `Network p50 ${formatMs(net)}` }}
          label={`Latency percentiles per ${d.interval} for ${d.row.address}, with the network median`}
        />
      </ChartFrame>
      <ul className="key-numbers">
        <li>
          This orchestrator: <PercentileLine latency={d.jobs.latencyMs} n={d.jobs.latencySamples} />
        </li>
        <li>
          Network p50 (all orchestrators, same pipeline and model): <strong><Percentile k="p50" latency={d.network.latencyMs} n={d.network.latencySamples} /></strong>{" "}
          <span className="muted">(n = {formatInt(d.network.latencySamples)})</span>
        </li>
      </ul>
      <p className="muted">{PERCENTILE_NOTE} Each point applies the same rule to its own jobs, so sparse periods show gaps.</p>
    </section>
  );
}

function SuccessPanel({ d }: { d: Data }) {
  const data: SeriesDatum[] = d.series.map((s) => ({
    period: s.period,
    values: { rate: s.successRate === null ? null : s.successRate * 100 },
    texts: { rate: s.jobs ? `${formatRate(s.successRate)} of ${formatInt(s.jobs)} jobs` : "no jobs" },
  }));
  return (
    <section className="panel" aria-labelledby="success-title">
      <h2 id="success-title">Success rate, per {d.interval}</h2>
      <ChartFrame
        heading="none"
        title={`Success rate of orchestrator ${shortAddress(d.row.address)} per ${d.interval}`}
        caption={`${d.range.from} – ${d.range.to} (UTC)${filterText(d)} · Source: gateway job logs via Observatory`}
        filename={exportName(`orchestrator-${d.row.address}-success`, d.range, d.interval === "hour" ? "hourly" : null, seriesParams(d).pipeline, seriesParams(d).model)}
        {...apiHrefs(`/api/orchestrators/${d.row.address}`, seriesParams(d))}
      >
        <SeriesLines
          data={data}
          series={[{ key: "rate", name: "Success rate", color: "var(--series-primary)" }]}
          y="percent"
          yMax={100}
          height={220}
          label={`Share of jobs that succeeded per ${d.interval} for ${d.row.address}`}
        />
      </ChartFrame>
      <ul className="key-numbers">
        <li>
          Jobs: <strong>{formatInt(d.jobs.jobs)}</strong>
        </li>
        <li>
          Succeeded: <strong>{formatInt(d.jobs.successes)}</strong> (<SuccessRate rate={d.jobs.successRate} successes={d.jobs.successes} jobs={d.jobs.jobs} />)
        </li>
        <li>
          Network: <strong><SuccessRate rate={d.network.successRate} successes={d.network.successes} jobs={d.network.jobs} /></strong> of{" "}
          {formatInt(d.network.jobs)} jobs
        </li>
      </ul>
    </section>
  );
}

function ErrorsPanel({ d }: { d: Data }) {
  const failed = d.jobs.jobs - d.jobs.successes;
  return (
    <section className="panel" aria-labelledby="errors-title">
      <h2 id="errors-title">Failed jobs by error type</h2>
      {d.errors.length === 0 ? (
        <p>No failed jobs in this range.</p>
      ) : (
        <>
          <ChartFrame
            heading="none"
            title={`Failed jobs by error type, orchestrator ${shortAddress(d.row.address)}`}
            caption={`${d.range.from} – ${d.range.to} (UTC)${filterText(d)} · Source: gateway job logs via Observatory`}
            filename={exportName(`orchestrator-${d.row.address}-errors`, d.range, seriesParams(d).pipeline, seriesParams(d).model)}
            {...apiHrefs(`/api/orchestrators/${d.row.address}`, { ...seriesParams(d), table: "errors" })}
          >
            <HorizontalBars
              label={`Failed jobs by error type for ${d.row.address}`}
              valueName="Failed jobs"
              nameWidth={170}
              data={d.errors.map((e) => ({ name: e.errorType, value: String(e.jobs), text: formatInt(e.jobs), series: "failed" }))}
            />
          </ChartFrame>
          <ul className="key-numbers">
            <li>
              Failed: <strong>{formatInt(failed)}</strong> of {formatInt(d.jobs.jobs)} jobs
            </li>
            <li>
              Most frequent: <strong>{d.errors[0].errorType}</strong> ({formatInt(d.errors[0].jobs)})
            </li>
          </ul>
          <TableWrap label="Failed jobs by error type">
            <table>
              <thead>
                <tr>
                  <th>Error type</th>
                  <th className="r">Jobs</th>
                </tr>
              </thead>
              <tbody>
                {d.errors.map((e) => (
                  <tr key={e.errorType}>
                    <td className="mono">{e.errorType}</td>
                    <td className="r">{formatInt(e.jobs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
    </section>
  );
}

function FeesPanel({ d }: { d: Data }) {
  const data: SeriesDatum[] = d.daily.map((s) => ({
    period: s.period,
    values: { expected: s.expectedFeesEth, realized: s.realizedFeesEth ?? "0" },
    texts: {
      expected: `${formatEth(s.expectedFeesEth)} ETH (${formatInt(s.jobs)} jobs)`,
      realized: `${formatEth(s.realizedFeesEth ?? "0")} ETH (${formatInt(s.tickets ?? 0)} tickets)`,
    },
  }));
  const mixed = d.pair.choice === "all";
  return (
    <section className="panel" aria-labelledby="fees-title">
      <h2 id="fees-title">
        Expected and realized fees per day, {d.range.from} – {d.range.to}
      </h2>
      <ChartFrame
        heading="none"
        title={`Expected and realized fees per day (ETH), orchestrator ${shortAddress(d.row.address)}`}
        caption={`${d.range.from} – ${d.range.to} (UTC)${filterText(d)} · Source: gateway job logs and Livepeer subgraph via Observatory`}
        filename={exportName(`orchestrator-${d.row.address}-fees-day`, d.range, seriesParams(d).pipeline, seriesParams(d).model)}
        {...apiHrefs(`/api/orchestrators/${d.row.address}`, { ...seriesParams(d), interval: null })}
      >
        <SeriesBars
          data={data}
          series={[
            { key: "expected", name: "Expected (job logs)", color: "var(--series-expected)" },
            { key: "realized", name: "Realized (tickets)", color: "var(--series-realized)" },
          ]}
          label={`Expected fees from job logs and realized fees from winning tickets per day, in ETH, for ${d.row.address}`}
        />
      </ChartFrame>
      <ul className="key-numbers">
        <li>
          Expected: <strong><Eth value={d.jobs.expectedFeesEth} /></strong> ({pairText(d.pair)})
        </li>
        <li>
          Realized: <strong><Eth value={d.totals.volumeEth} /></strong> (<Usd value={d.totals.volumeUsd} />, {formatInt(d.totals.tickets)} tickets)
        </li>
        <li>
          Days with fees: <strong>{d.daily.filter((s) => (s.tickets ?? 0) > 0).length}</strong> of {d.daily.length}
        </li>
        {/* A cost per video second only for a video pair (never over every pipeline). */}
        {mixed || (d.cost.videoJobs === 0 && d.cost.network.videoJobs === 0) ? null : (
          <li>
            Cost per video second: <strong>{formatUsdPrecise(d.cost.usdPerVideoSecond)}</strong>
            {d.cost.videoJobs ? ` over ${formatInt(d.cost.videoJobs)} video jobs` : " (no priced video jobs)"}; network, same pipeline and model:{" "}
            <strong>{formatUsdPrecise(d.cost.network.usdPerVideoSecond)}</strong> (<Link to="/cloud">vs cloud GPUs</Link>)
          </li>
        )}
      </ul>
      <p className="muted">
        Expected fees are priced per job from the gateway logs. Realized fees are the winning tickets redeemed on chain: lottery-noisy from day to
        day, AI and transcoding together{mixed ? "" : ", and never split by pipeline"}. The two agree only over long windows.
      </p>
    </section>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
