// /embed/orchestrator-latency?address=0x…&from=&to=&interval=day|hour&pipeline=&model=: one
// orchestrator's latency percentiles per day or hour with the network median, for an iframe.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { apiHrefs } from "~/components/charts/chart-frame";
import { SeriesLines } from "~/components/charts/series-lines";
import { percentilePoints, PERCENTILE_SERIES } from "~/components/charts/job-points";
import { EmbedChart } from "~/components/embed-chart";
import { Percentile, PERCENTILE_NOTE, PercentileLine } from "~/components/job-stats";
import { dbFrom } from "~/lib/context.server";
import { exportName } from "~/lib/download-names";
import { DEMO_SOURCE, SOURCE_SHORT } from "~/lib/download-provenance.server";
import { formatInt, shortAddress } from "~/lib/format";
import { badRequest, pageData } from "~/lib/http.server";
import { formatMs } from "~/lib/latency";
import { pageMeta } from "~/lib/meta";
import { loadOrchestratorDetail } from "~/lib/orchestrator-detail.server";
import { param } from "~/lib/params.server";
import { withParams } from "~/lib/url";

export async function loader({ request, context }: LoaderFunctionArgs) {
  return pageData(async () => {
    const db = dbFrom(context);
    const url = new URL(request.url);
    const address = param(url, "address");
    if (address === null) throw badRequest("address is required (0x and 40 hex digits)");
    const d = await loadOrchestratorDetail(db, url, address, (a) => `No orchestrator ${a} is indexed: it has no Transcoder row, earned no fees and has no logged jobs.`);
    return {
      address: d.row.address,
      serviceUri: d.row.serviceUri,
      range: d.range,
      interval: d.interval,
      filter: d.filter,
      series: d.series.map((s) => ({ period: s.period, latencyMs: s.latencyMs, latencySamples: s.latencySamples })),
      latency: { latencyMs: d.jobs.latencyMs, n: d.jobs.latencySamples, jobs: d.jobs.jobs },
      network: { latencyMs: d.network.latencyMs, n: d.network.latencySamples },
      source: d.state.demo ? `${DEMO_SOURCE}, ${SOURCE_SHORT.joblogs}` : SOURCE_SHORT.joblogs,
    };
  });
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

const titleOf = (d: Pick<Data, "address" | "interval">) => `Latency of orchestrator ${shortAddress(d.address)} per ${d.interval}`;

export const meta: MetaFunction<typeof loader> = (args) => {
  const d = args.data;
  if (!d) return pageMeta("Orchestrator latency", "A Livepeer orchestrator's latency percentiles from gateway job logs.", args);
  const l = d.latency.latencyMs;
  return pageMeta(
    titleOf(d),
    `${d.range.from} – ${d.range.to}: p50 ${formatMs(l.p50)}, p95 ${formatMs(l.p95)}, p99 ${formatMs(l.p99)} over ${formatInt(d.latency.n)} successful jobs; network p50 ${formatMs(d.network.latencyMs.p50)}.`,
    args,
  );
};

export default function EmbedOrchestratorLatency() {
  const d = useLoaderData<typeof loader>();
  const data = percentilePoints(d.series);
  const net = d.network.latencyMs.p50;
  const filtered = d.filter.pipeline || d.filter.model ? [d.filter.pipeline, d.filter.model].filter(Boolean).join(" / ") : null;
  const params = { from: d.range.from, to: d.range.to, interval: d.interval === "hour" ? "hour" : null, pipeline: d.filter.pipeline, model: d.filter.model };
  return (
    <EmbedChart
      title={titleOf(d)}
      range={`${d.range.from} – ${d.range.to} (UTC)${filtered ? `, ${filtered}` : ""}`}
      source={d.source}
      backHref={withParams(`/orchestrators/${d.address}`, params)}
      backLabel="Orchestrator page"
      filename={exportName(`orchestrator-${d.address}-latency`, d.range, d.interval === "hour" ? "hourly" : null, d.filter.pipeline, d.filter.model)}
      {...apiHrefs(`/api/orchestrators/${d.address}`, params)}
      chart={
        <SeriesLines
          data={data}
          series={PERCENTILE_SERIES}
          y="ms"
          reference={net === null ? null : { y: net, label: `Network p50 ${formatMs(net)}` }}
          label={`Latency percentiles per ${d.interval} for ${d.address}, with the network median`}
          height={260}
        />
      }
    >
      <ul className="key-numbers">
        <li>
          <span className="mono">{d.address}</span>
          {d.serviceUri ? (
            <>
              {" "}
              · <span className="uri mono" data-testid="embed-service-uri">{d.serviceUri}</span>
            </>
          ) : null}
        </li>
        <li>
          This orchestrator: <PercentileLine latency={d.latency.latencyMs} n={d.latency.n} />
        </li>
        <li>
          Network p50: <strong><Percentile k="p50" latency={d.network.latencyMs} n={d.network.n} /></strong>{" "}
          <span className="muted">(n = {formatInt(d.network.n)})</span>
        </li>
      </ul>
      <p className="muted">{PERCENTILE_NOTE}</p>
    </EmbedChart>
  );
}
