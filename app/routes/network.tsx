// /network?at=: the network as orchestrators advertise it to a gateway (its /getNetworkCapabilities,
// polled by the capabilities source): orchestrators and GPUs, GPUs by name, per pipeline and model
// the orchestrators, GPUs, warm state, capacity and advertised price (min / median / max, and USD per
// second and hour of live video), and a daily history. `at` picks an earlier state; figures come from
// app/lib/network.server.ts, the same as GET /api/network.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { ChartFrame, apiHrefs } from "~/components/charts/chart-frame";
import { SeriesLines } from "~/components/charts/series-lines";
import { DownloadLinks } from "~/components/download-links";
import { formatWei } from "~/components/network/format";
import { COUNT_SERIES, PRICE_SERIES, countPoints, pricePoints } from "~/components/network/history-points";
import { GpuTable, PipelineTable } from "~/components/network/network-tables";
import { PageHeader } from "~/components/page-header";
import { RouteErrorBoundary } from "~/components/route-error";
import { dbFrom } from "~/lib/context.server";
import { formatUsdPrecise } from "~/lib/cost-format";
import { exportName } from "~/lib/download-names";
import { formatInt, formatTimestamp, formatUsd } from "~/lib/format";
import { pageData } from "~/lib/http.server";
import { pageMeta } from "~/lib/meta";
import { loadNetwork, parseAt } from "~/lib/network.server";

export const meta: MetaFunction<typeof loader> = (args) => {
  const d = args.data;
  const headline =
    d && d.asOf ? `${formatInt(d.orchestrators)} orchestrators advertising ${formatInt(d.gpuTotal)} GPUs as of ${formatTimestamp(d.asOf)}. ` : "";
  return pageMeta(
    "Network",
    `${headline}What Livepeer orchestrators advertise to a gateway: GPUs, pipelines and models, warm capacity and prices, over time.`,
    args,
  );
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  return pageData(() => loadNetwork(dbFrom(context), parseAt(new URL(request.url))));
}

export default function Network() {
  const d = useLoaderData<typeof loader>();
  const params = { at: d.at };
  if (d.polls.count === 0) return <NoData />;
  const latest = d.history.length ? d.history[d.history.length - 1] : null;
  return (
    <>
      <PageHeader title="The network as advertised">
        What orchestrators tell a gateway they offer (its <code>/getNetworkCapabilities</code>):{" "}
        {d.asOf ? <>as of the poll at {formatTimestamp(d.asOf)}</> : <>no poll at or before {d.at}</>}. Prices are what they ask, not what was
        paid; the fee pages show that.
      </PageHeader>
      <AtForm at={d.at} latest={d.polls.latest} first={d.polls.first} />
      {d.asOf === null ? (
        <section className="panel">
          <p>
            The first poll was at {formatTimestamp(d.polls.first)}; pick a later time, or{" "}
            <a href="/network">see the latest</a>.
          </p>
        </section>
      ) : (
        <>
          <section className="kpis" aria-label="Key figures">
            <div className="kpi">
              <div className="kpi-label">Orchestrators</div>
              <div className="kpi-value">{formatInt(d.orchestrators)}</div>
              <div className="kpi-sub">
                {formatInt(d.nodes)} nodes; {formatInt(d.aiOrchestrators)} advertise AI pipelines
              </div>
            </div>
            <div className="kpi">
              <div className="kpi-label">GPUs</div>
              <div className="kpi-value">{formatInt(d.gpuTotal)}</div>
              <div className="kpi-sub">{formatInt(d.gpus.length)} kinds, as reported by the orchestrators</div>
            </div>
            <div className="kpi">
              <div className="kpi-label">Live video, median price</div>
              <div className="kpi-value">
                {latest?.livePriceWeiPerPixel.median ? `${formatWei(latest.livePriceWeiPerPixel.median)} wei/pixel` : "—"}
              </div>
              <div className="kpi-sub">
                {latest?.liveUsdPerVideoHour
                  ? `${formatUsdPrecise(latest.liveUsdPerVideoHour.median)} per hour of video, ${formatInt(latest.liveOffers)} offers`
                  : latest?.liveOffers
                    ? `${formatInt(latest.liveOffers)} offers; no ETH/USD rate indexed`
                    : "no live video offers"}
              </div>
            </div>
          </section>
          <section className="panel" aria-labelledby="network-gpus-title">
            <h2 id="network-gpus-title">GPUs</h2>
            <GpuTable gpus={d.gpus} total={d.gpuTotal} />
            <p className="muted">
              A GPU is counted once per orchestrator and GPU id, however many models it serves. Memory is the most common size among GPUs
              of that name, in whole GiB. Orchestrators that report no hardware are not in this table.
            </p>
            <DownloadLinks path="/api/network" params={{ ...params, table: "gpus" }} />
          </section>
          <section className="panel" aria-labelledby="network-models-title">
            <h2 id="network-models-title">Pipelines and models</h2>
            <PipelineTable rows={d.pipelines} hasRate={d.usdRate !== null} />
            <p className="muted">
              Prices are pricePerUnit / pixelsPerUnit wei per unit as advertised, over every node with a price (an operator with two nodes
              counts twice; the median of an even count is the mean of the two middle offers). Live video is billed as 1280 x 720 x 30 =
              27,648,000 pixels per second of video whatever its real size
              {d.usdRate ? (
                <>
                  ; USD at {formatUsd(d.usdRate.usdPerEth)} per ETH (the subgraph&apos;s rate of {d.usdRate.rateDate}
                  {d.usdRate.rateDate !== d.usdRate.date ? `, the nearest day to ${d.usdRate.date} with one` : ""})
                </>
              ) : (
                "; USD needs the subgraph's daily ETH/USD rate, which is not indexed"
              )}
              .
            </p>
            <DownloadLinks path="/api/network" params={params} />
          </section>
          <History d={d} />
          <section className="panel" aria-labelledby="network-nodes-title">
            <h2 id="network-nodes-title">Every orchestrator</h2>
            <p>Each node&apos;s address, hot wallet, URL, version, GPUs and models with their exact prices:</p>
            <DownloadLinks path="/api/network/orchestrators" params={params} />
          </section>
        </>
      )}
    </>
  );
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function History({ d }: { d: Data }) {
  const h = d.history;
  const stamp = d.asOf ? d.asOf.slice(0, 10) : "";
  const range = h.length ? { from: h[0].day, to: h[h.length - 1].day } : null;
  const hrefs = apiHrefs("/api/network", { at: d.at, table: "history" });
  const hasLive = h.some((p) => p.liveOffers > 0);
  return (
    <section className="panel" aria-labelledby="network-history-title">
      <h2 id="network-history-title">Over time</h2>
      <p className="muted">One point per UTC day: the state at that day&apos;s last poll, over the year up to {stamp}.</p>
      {h.length ? (
        <div className="grid-2">
          <ChartFrame
            title="Orchestrators and GPUs advertised"
            caption={`${range!.from} – ${range!.to} (UTC) · Source: a gateway's /getNetworkCapabilities via Observatory`}
            filename={exportName("network-counts", range)}
            {...hrefs}
          >
            <SeriesLines data={countPoints(h)} series={COUNT_SERIES} label="Orchestrators and GPUs per day" />
          </ChartFrame>
          <ChartFrame
            title="Live video price, wei per pixel (min, median, max)"
            caption={`${range!.from} – ${range!.to} (UTC) · every live-video-to-video offer · Source: a gateway's /getNetworkCapabilities via Observatory`}
            filename={exportName("network-live-price", range)}
            {...hrefs}
          >
            {hasLive ? (
              <SeriesLines data={pricePoints(h)} series={PRICE_SERIES} label="Advertised live video price per day, wei per pixel" />
            ) : (
              <p>No orchestrator advertised a live video price in this period.</p>
            )}
          </ChartFrame>
        </div>
      ) : null}
    </section>
  );
}

function AtForm({ at, latest, first }: { at: string | null; latest: string | null; first: string | null }) {
  return (
    <Form method="get" className="range controls filters">
      <label>
        As of (UTC day, or an instant such as 2026-12-07T12:00Z)
        <input type="text" name="at" defaultValue={at ?? ""} key={at ?? ""} placeholder={latest ? latest.slice(0, 10) : "latest"} size={24} />
      </label>
      <button type="submit">Show</button>
      <span className="muted">
        Polls from {formatTimestamp(first)} to {formatTimestamp(latest)}
        {at ? (
          <>
            {" "}
            · <a href="/network">latest</a>
          </>
        ) : null}
      </span>
    </Form>
  );
}

function NoData() {
  return (
    <>
      <PageHeader title="The network as advertised" />
      <section className="panel" aria-labelledby="network-empty-title">
        <h2 id="network-empty-title">No capabilities have been polled yet</h2>
        <p>
          This page shows what orchestrators advertise to a gateway: their GPUs, the pipelines and models they serve, whether those are
          warm, their capacity and their prices. It needs a go-livepeer gateway&apos;s <code>/getNetworkCapabilities</code> endpoint. Set
          it and restart, and the indexer polls it on every run and keeps the history:
        </p>
        <pre>
          <code>GATEWAY_CAPABILITIES_URL=http://your-gateway:5935/getNetworkCapabilities npm start</code>
        </pre>
        <p className="muted">
          The status page shows whether the capabilities source ran, and why it failed if it did. Gateway{" "}
          <code>network_capabilities</code> events fill the same history.
        </p>
        <DownloadLinks path="/api/network" />
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
