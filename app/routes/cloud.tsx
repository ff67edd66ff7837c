// /cloud: is AI video on Livepeer cheaper than cloud GPUs, for which pipeline, against whom, by how
// much, and how do we know. Livepeer's realized USD per video second (job logs' fees over the same
// jobs' seconds, each day's fees at that day's ETH/USD) next to every catalogue offer converted per
// data contract section 6, with the throughput figure, its source and quality, and the method.
import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { ChartFrame, apiHrefs } from "~/components/charts/chart-frame";
import { CostBars, type CostBar } from "~/components/charts/cost-chart";
import { ExportLinks } from "~/components/export-links";
import { exportName } from "~/lib/download-names";
import { DownloadLinks } from "~/components/download-links";
import { PageHeader, TableWrap } from "~/components/page-header";
import { RouteErrorBoundary } from "~/components/route-error";
import { Segmented } from "~/components/segmented";
import { dbFrom } from "~/lib/context.server";
import { cheapestByClass, loadCloudComparison, type Offer } from "~/lib/cost.server";
import { formatEthPrecise, formatUsdPrecise, ratioWords } from "~/lib/cost-format";
import { formatInt, formatTimestamp, groupThousands, roundDecimal } from "~/lib/format";
import { pageData } from "~/lib/http.server";
import { pageMeta } from "~/lib/meta";
import { withParams } from "~/lib/url";

export const meta: MetaFunction<typeof loader> = (args) => {
  const data = args.data;
  const c = data?.comparison;
  const lp = c?.livepeer.usdPerVideoSecond;
  const best = data?.classes.find((k) => k.cheapest)?.cheapest;
  return pageMeta(
    "Livepeer vs cloud GPUs",
    lp && c
      ? `${c.pipeline} on Livepeer: ${formatUsdPrecise(lp)} per video second over ${formatInt(c.livepeer.jobs)} jobs${best ? `; cheapest ${best.classLabel.toLowerCase()} offer ${formatUsdPrecise(best.usdPerVideoSecond)} (${ratioWords(best.ratioToLivepeer)})` : ""}.`
      : "What a second of AI video costs on Livepeer, next to cloud GPUs and hosted APIs, every figure dated and sourced.",
    args,
  );
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  return pageData(async () => {
    const url = new URL(request.url);
    // The form sends pipeline and model as one choice; the permalink keeps them apart.
    const pm = url.searchParams.get("pm");
    if (pm !== null) {
      const [p, m] = pm.split("\t");
      url.searchParams.delete("pm");
      if (p) url.searchParams.set("pipeline", p);
      if (m) url.searchParams.set("model", m);
      throw redirect(`${url.pathname}?${url.searchParams}`);
    }
    const { state, range, utilization, pipeline, modelId, comparison, choices } = await loadCloudComparison(dbFrom(context), url);
    const log = url.searchParams.get("scale") === "log";
    // Cheapest compared offer per class: the page's answer in one line per class.
    const classes = comparison ? cheapestByClass(comparison.offers).filter((k) => k.offers > 0) : [];
    const newest = comparison?.catalogue?.newestAsOfDate ?? null;
    return {
      demo: state.demo,
      range,
      utilization,
      pipeline,
      modelId,
      comparison,
      classes,
      log,
      catalogueAgeDays: newest ? Math.floor((Date.now() - Date.parse(newest)) / 86_400_000) : null,
      choices: choices.map((c) => ({ pipeline: c.pipeline, modelId: c.modelId, jobs: c.jobs, output: c.output })),
    };
  });
}

const CLASS_COLORS: Record<string, string> = {
  "hyperscaler-on-demand": "var(--series-1)",
  "neocloud-marketplace": "var(--series-2)",
  "serverless-per-second": "var(--series-4)",
  "hosted-api": "var(--series-p99)",
  "livepeer-reference": "var(--series-reference)",
};

const offerName = (o: Offer) => `${o.provider} · ${o.offering}${o.gpu ? ` (${o.gpu})` : ""}`;
const seconds = (s: string | null) => (s === null ? "—" : groupThousands(roundDecimal(s, 1).replace(/\.0$/, "")));
const metricUnit = { usd_per_video_second: "video second", usd_per_image: "image", usd_per_megapixel: "megapixel" } as const;

export default function Cloud() {
  const { demo, range, utilization, pipeline, modelId, comparison: c, classes, log, catalogueAgeDays, choices } = useLoaderData<typeof loader>();
  const [sp] = useSearchParams();
  const params = { from: range.from, to: range.to, pipeline, model: modelId, utilization };
  if (!c) {
    return (
      <>
        <PageHeader title="Livepeer vs cloud GPUs" />
        <p className="panel">
          No video or image jobs with a price are logged between {range.from} and {range.to}. Pick another range, or point the indexer at gateway job
          logs (GATEWAY_LOG_DIR).
        </p>
      </>
    );
  }
  const lp = c.livepeer;
  const video = lp.output === "video-seconds";
  const lpFigure = video ? lp.usdPerVideoSecond : lp.usdPerMegapixel;
  const compared = c.offers.filter((o) => o.status === "compared");
  const references = c.offers.filter((o) => o.status === "reference");
  const excluded = c.offers.filter((o) => o.status === "excluded");
  // The chart shows each class's range (cheapest, median, dearest compared offer) and Livepeer's own
  // published prices; the table below lists every offer.
  const classBars = classes.flatMap((k) => {
    const sorted = compared.filter((o) => o.class === k.class && o.usdPerVideoSecond !== null).sort((a, b) => Number(a.usd) - Number(b.usd));
    const picks: [string, Offer | undefined][] =
      sorted.length > 2
        ? [["cheapest", sorted[0]], ["median", sorted[Math.floor((sorted.length - 1) / 2)]], ["dearest", sorted[sorted.length - 1]]]
        : sorted.map((o, i) => [i === 0 ? "cheapest" : "dearest", o]);
    return picks.map(([which, o]) => ({ which, label: k.label, o: o! }));
  });
  const bars: CostBar[] = [
    ...(video && lp.usdPerVideoSecond
      ? [{ name: "Livepeer, realized", usd: lp.usdPerVideoSecond, text: formatUsdPrecise(lp.usdPerVideoSecond), detail: `${formatInt(lp.jobs)} jobs`, color: "var(--series-primary)" }]
      : []),
    ...classBars.map(({ which, label, o }) => ({
      name: `${label}, ${which}: ${o.provider} ${o.gpu ?? o.offering}`,
      usd: o.usdPerVideoSecond!,
      text: formatUsdPrecise(o.usdPerVideoSecond),
      detail: `${offerName(o)}; ${o.comparability ?? ""}; ${ratioWords(o.ratioToLivepeer)}`,
      color: CLASS_COLORS[o.class] ?? "var(--series-reference)",
    })),
    ...references
      .filter((o) => o.usdPerVideoSecond !== null)
      .map((o) => ({
        name: `Livepeer reference: ${o.offering.slice(0, 40)}`,
        usd: o.usdPerVideoSecond!,
        text: formatUsdPrecise(o.usdPerVideoSecond),
        detail: `${offerName(o)} (${o.asOf})`,
        color: CLASS_COLORS[o.class] ?? "var(--series-reference)",
      })),
  ];
  const setting = lp.setting;
  const settingText = setting
    ? [
        setting.width && setting.height ? `${setting.width}x${setting.height}` : null,
        setting.frames ? `${setting.frames} frames` : null,
        setting.fps ? `${setting.fps} fps` : null,
      ]
        .filter(Boolean)
        .join(", ") || "no output size logged"
    : "no successful jobs";
  // Sources, one row per (source, date): which offers each one priced.
  const bySource = new Map<string, { source: string; asOf: string; offers: string[] }>();
  for (const o of [...compared, ...references]) {
    const k = `${o.source}\t${o.asOf}`;
    const e = bySource.get(k) ?? { source: o.source, asOf: o.asOf, offers: [] };
    e.offers.push(offerName(o));
    bySource.set(k, e);
  }
  const usedThroughput = [
    ...new Map(compared.filter((o) => o.gpuSecondsPerOutputSecond !== null).map((o) => [`${o.throughputSource}\t${o.gpuSecondsPerOutputSecond}`, o])).values(),
  ];

  return (
    <>
      <PageHeader title="Livepeer vs cloud GPUs">
        What a second of generated video cost on Livepeer between {range.from} and {range.to} (UTC), next to what the same work costs on rented GPUs,
        serverless GPUs and hosted APIs. Every cloud figure is dated and sourced; the method is at the bottom so it can be checked by hand.
        {demo ? " Demo network: prices in the demo logs are scaled, so the ratios below describe the demo, not Livepeer." : null}
      </PageHeader>

      <Form method="get" className="range controls filters">
        <label>
          From
          <input type="date" name="from" defaultValue={range.from} key={`f-${range.from}`} />
        </label>
        <label>
          To
          <input type="date" name="to" defaultValue={range.to} key={`t-${range.to}`} />
        </label>
        <label>
          Pipeline and model
          <select name="pm" defaultValue={`${pipeline}\t${modelId}`} key={`${pipeline}\t${modelId}`}>
            {choices.map((ch) => (
              <option key={`${ch.pipeline}\t${ch.modelId}`} value={`${ch.pipeline}\t${ch.modelId}`}>
                {ch.pipeline} · {ch.modelId} ({formatInt(ch.jobs)} jobs)
              </option>
            ))}
          </select>
        </label>
        <label title="Share of a rented GPU's paid hours spent doing work. 1.0 is the floor on cost: a GPU busy every second.">
          GPU utilization
          <input type="number" name="utilization" min="0.01" max="1" step="any" defaultValue={utilization} key={`u-${utilization}`} />
        </label>
        {log ? <input type="hidden" name="scale" value="log" /> : null}
        <button type="submit">Show</button>
      </Form>
      <noscript>
        <p className="muted">Without JavaScript, choose the pipeline with the links in the table of pipelines below.</p>
      </noscript>

      <section className="panel" aria-labelledby="answer-title">
        <h2 id="answer-title">
          {c.pipeline} · {c.modelId}
        </h2>
        <ul className="key-numbers">
          <li>
            Livepeer, realized: <strong>{video ? formatUsdPrecise(lp.usdPerVideoSecond) : formatUsdPrecise(lp.usdPerMegapixel)}</strong> per{" "}
            {video ? "video second" : "megapixel"} ({video ? formatEthPrecise(lp.ethPerVideoSecond) : formatUsdPrecise(lp.usdPerImage) + " per image"})
          </li>
          <li>
            Behind it: <strong>{formatInt(lp.jobs)}</strong> successful priced jobs,{" "}
            {video ? (
              <>
                <strong>{seconds(lp.outputSeconds)}</strong> seconds of video
              </>
            ) : (
              <>
                <strong>{formatInt(lp.images)}</strong> images
              </>
            )}
            , {lp.feesEth} ETH ({formatUsdPrecise(lp.feesUsd)}) in expected fees; setting {settingText}
            {setting && setting.jobs < setting.ofJobs ? ` (${formatInt(setting.jobs)} of ${formatInt(setting.ofJobs)} jobs)` : ""}.
          </li>
          {classes.map((k) =>
            k.cheapest ? (
              <li key={k.class}>
                {k.label}: cheapest of {k.offers} is {offerName(k.cheapest)} at <strong>{formatUsdPrecise(k.cheapest.usd)}</strong> per{" "}
                {metricUnit[k.cheapest.metric]}: <strong>{ratioWords(k.cheapest.ratioToLivepeer)}</strong>
                {k.cheapest.comparability && k.cheapest.comparability !== "like for like" ? ` (${k.cheapest.comparability})` : ""}
              </li>
            ) : null,
          )}
          {lp.unpricedJobs || lp.failedFeesEth !== "0" ? (
            <li className="muted">
              Left out of the figure: {formatInt(lp.unpricedJobs)} successful jobs without a price, and {lp.failedFeesEth} ETH of fees on failed jobs.
            </li>
          ) : null}
        </ul>
      </section>

      {video ? (
        <section className="panel" aria-labelledby="chart-title">
          <h2 id="chart-title">USD per video second</h2>
          <p className="controls">
            Scale:{" "}
            <Segmented
              name="scale"
              value={log ? "log" : "linear"}
              options={[
                ["linear", "Linear"],
                ["log", "Log"],
              ]}
            />
          </p>
          <ChartFrame
            heading="none"
            title={`USD per video second: Livepeer and cloud classes, ${c.pipeline} · ${c.modelId}`}
            caption={`${range.from} – ${range.to} (UTC) · rented GPUs at ${utilization} utilization · Source: gateway job logs and the price catalogue via Observatory`}
            filename={exportName("cloud-comparison", range, c.pipeline)}
            {...apiHrefs("/api/cloud-comparison", { ...params })}
          >
            <CostBars bars={bars} livepeer={lp.usdPerVideoSecond} log={log} label={`USD per video second: Livepeer and the range of each cloud class`} />
          </ChartFrame>
          <p className="muted">
            Each class shows its cheapest, median and dearest offer (every offer is in the table below); rented GPUs at {utilization} utilization.
            The dashed line is Livepeer's realized figure; grey bars are Livepeer's own published prices.
          </p>
        </section>
      ) : null}

      <section className="panel" aria-labelledby="offers-title">
        <h2 id="offers-title">Offers compared</h2>
        <TableWrap label="Cloud offers converted to USD per output unit">
          <table>
            <thead>
              <tr>
                <th>Class</th>
                <th>Provider · offering</th>
                <th className="r">USD per {video ? "video second" : "unit"}</th>
                <th>Against Livepeer</th>
                <th className="r" title="GPU-seconds per second of output">GPU-s / s</th>
                <th>Throughput quality</th>
                <th>Like for like?</th>
                <th>Price as of</th>
              </tr>
            </thead>
            <tbody>
              {[...compared, ...references].map((o, i) => (
                <tr key={i}>
                  <td>{o.classLabel}</td>
                  <td className="uri">{offerName(o)}</td>
                  <td className="r num" title={o.basis}>
                    {formatUsdPrecise(o.usd)}
                    {o.metric !== "usd_per_video_second" ? ` / ${metricUnit[o.metric]}` : ""}
                  </td>
                  <td>{o.status === "reference" ? "Livepeer's published price" : ratioWords(o.ratioToLivepeer)}</td>
                  <td className="r num">{o.gpuSecondsPerOutputSecond ?? "—"}</td>
                  <td>{o.throughputQuality ?? (o.gpuSecondsPerOutputSecond ? "" : "published price")}</td>
                  <td title={o.differences.join("; ")}>{o.comparability ?? "—"}</td>
                  <td>
                    {o.asOf}
                    {o.historical ? " (historical)" : ""}
                  </td>
                </tr>
              ))}
              {compared.length + references.length === 0 ? (
                <tr>
                  <td colSpan={8} className="muted">
                    No offer in the catalogue converts to this pipeline's unit.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </TableWrap>
        {excluded.length ? (
          <details>
            <summary>{excluded.length} offers left out, and why</summary>
            <ul>
              {excluded.map((o, i) => (
                <li key={i}>
                  {offerName(o)}: {o.reason}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
        <DownloadLinks path="/api/cloud-comparison" params={params} />
      </section>

      <section className="panel" aria-labelledby="sources-title">
        <h2 id="sources-title">Sources</h2>
        <p>
          Price catalogue: {c.catalogue ? `${c.catalogue.priceRows} prices and ${c.catalogue.throughputRows} throughput figures, ` : "not loaded, "}
          {c.catalogue ? (
            <>
              prices dated {c.catalogue.oldestAsOf} to {c.catalogue.newestAsOf}
              {catalogueAgeDays !== null ? ` (newest ${formatInt(catalogueAgeDays)} days old)` : ""}, loaded {formatTimestamp(c.catalogue.loadedAt)}.
            </>
          ) : (
            "run the indexer (the prices source loads indexer/data)."
          )}
        </p>
        <TableWrap label="Prices used, with source and date">
          <table>
            <thead>
              <tr>
                <th>Source</th>
                <th>As of</th>
                <th>Offers priced from it</th>
              </tr>
            </thead>
            <tbody>
              {[...bySource.values()].map((e, i) => (
                <tr key={i}>
                  <td className="uri">{e.source}</td>
                  <td>{e.asOf}</td>
                  <td>{e.offers.length > 3 ? `${e.offers.slice(0, 3).join("; ")} and ${e.offers.length - 3} more` : e.offers.join("; ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
        <ExportLinks
          path="/api/cloud-comparison"
          params={{ ...params, table: "sources" }}
          label="Sources"
          filename={exportName("cloud-sources", range, c.pipeline)}
        />
        {usedThroughput.length ? (
          <TableWrap label="Throughput figures used">
            <table>
              <thead>
                <tr>
                  <th className="r">GPU-s per output s</th>
                  <th>Quality</th>
                  <th>Basis</th>
                  <th>Source</th>
                </tr>
              </thead>
              <tbody>
                {usedThroughput.map((o, i) => (
                  <tr key={i}>
                    <td className="r num">{o.gpuSecondsPerOutputSecond}</td>
                    <td>{o.throughputQuality}</td>
                    <td>{o.throughputBasis}</td>
                    <td className="uri">{o.throughputSource}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        ) : null}
        <p className="muted">
          Livepeer's ETH/USD: each UTC day's fees at that day's Day.volumeUSD / Day.volumeETH from the subgraph
          {lp.rates.usdPerEthMin ? `, between ${formatUsdPrecise(lp.rates.usdPerEthMin)} and ${formatUsdPrecise(lp.rates.usdPerEthMax)} per ETH over ${lp.rates.days} days` : ""}.
          {lp.rates.fallbacks.length
            ? ` ${lp.rates.fallbacks.length} days had no Day and used the nearest day's rate: ${lp.rates.fallbacks.map((f) => `${f.date} → ${f.rateDate}`).join(", ")}.`
            : ""}
          {lp.rates.daysWithoutRate.length ? ` No rate at all for ${lp.rates.daysWithoutRate.join(", ")}: USD figures are not shown.` : ""}
        </p>
      </section>

      <section className="panel" aria-labelledby="caveats-title">
        <h2 id="caveats-title">Caveats</h2>
        <ul>
          <li>Livepeer's figure is the price gateways were quoted and paid per job (expected fees); winning tickets settle it with lottery noise.</li>
          <li>A recommended or list price is not the price a customer is charged: cloud discounts, spot prices and Livepeer's free tier all differ.</li>
          <li>ETH/USD moves: the same wei costs a different number of dollars on another day.</li>
          <li>Live video is billed as 1280 x 720 x 30 pixels per second whatever its real resolution.</li>
          <li>
            A rented GPU is paid for while idle. At {utilization} utilization each useful second costs {roundDecimal(String(1 / Number(utilization)), 2)}x the
            busy-second price; 1.0 is the floor. Livepeer's orchestrators carry their idle time themselves.
          </li>
          <li>Published figures are dated. Throughput figures marked estimate or assumption are not measurements.</li>
          <li>Where the model, resolution, frames or fps differ, the row says so; it is not rescaled.</li>
        </ul>
      </section>

      <section className="panel" aria-labelledby="method-title">
        <h2 id="method-title">Method</h2>
        <ol>
          <li>
            Livepeer: fees of successful priced jobs that produced video (computed_fee, else billable units x price_per_unit / pixels_per_unit, in wei),
            summed, over the same jobs' output seconds (output_seconds, else frames / fps), summed: {lp.feesEth} ETH / {seconds(lp.outputSeconds)} s ={" "}
            {formatEthPrecise(lp.ethPerVideoSecond, 6)} per second. USD converts each day's fees at that day's rate before dividing. Never a mean of
            per-job ratios.
          </li>
          <li>Rented GPU (hyperscaler, neocloud, marketplace): USD per GPU-hour / 3600 x GPU-seconds per output second / utilization.</li>
          <li>Serverless per second: USD per GPU-second x GPU-seconds per output second (billed only while busy).</li>
          <li>Hosted API: its published price per output second (per-pixel prices converted at Livepeer's own setting).</li>
          <li>
            Against Livepeer: the offer's USD divided by Livepeer's. Above 1, Livepeer is cheaper. Hover a price for its arithmetic, or download the
            CSV: every row carries its basis.
          </li>
        </ol>
        <p>
          Other pipelines:{" "}
          {choices
            .filter((ch) => ch.pipeline !== pipeline || ch.modelId !== modelId)
            .map((ch, i) => (
              <span key={i}>
                {i ? ", " : ""}
                <Link to={withParams("/cloud", { ...Object.fromEntries(sp), pm: null, pipeline: ch.pipeline, model: ch.modelId })}>
                  {ch.pipeline} · {ch.modelId.split("/").pop()}
                </Link>
              </span>
            ))}
        </p>
        <p className="muted">
          Prices and throughput figures live in indexer/data/*.csv; the prices source loads them when they change.
          {lpFigure === null ? " Livepeer's figure is missing because some day had no ETH/USD rate." : ""}
        </p>
        <ExportLinks
          path="/api/cost"
          params={{ from: range.from, to: range.to }}
          label="Livepeer's cost per pipeline and model"
          filename={exportName("cost", range)}
        />
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
