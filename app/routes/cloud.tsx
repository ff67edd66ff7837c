// /cloud: is AI video on Livepeer cheaper than cloud GPUs, for which pipeline, against whom, by how
// much, and how do we know. Livepeer's realized USD per video second (job logs' fees over the same
// jobs' seconds, each day's fees at that day's ETH/USD) next to every catalogue offer converted per
// docs/data-contract.md section 6 (comparing with cloud GPUs), with the throughput figure, its source
// and quality, and the method; then, by GPU, each GPU model's rental per hour against what its
// orchestrators charge per hour of live video (app/lib/cloud-gpus.server.ts). The panels are in
// app/components/cloud/.
import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { CloudAnswer } from "~/components/cloud/cloud-answer";
import { CloudCostChart } from "~/components/cloud/cloud-cost-chart";
import { CloudFilters } from "~/components/cloud/cloud-filters";
import { GpusPanel } from "~/components/cloud/gpus-panel";
import { CaveatsPanel, MethodPanel } from "~/components/cloud/method-panel";
import { OffersPanel } from "~/components/cloud/offers-panel";
import { SourcesPanel } from "~/components/cloud/sources-panel";
import { PageHeader } from "~/components/page-header";
import { RouteErrorBoundary } from "~/components/route-error";
import { loadCloudGpus } from "~/lib/cloud-gpus.server";
import { dbFrom } from "~/lib/context.server";
import { cheapestByClass, loadCloudComparison } from "~/lib/cost.server";
import { formatUsdPrecise, ratioWords } from "~/lib/cost-format";
import { formatInt } from "~/lib/format";
import { pageData } from "~/lib/http.server";
import { pageMeta } from "~/lib/meta";

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
    const db = dbFrom(context);
    const { state, range, utilization, pipeline, modelId, comparison, choices } = await loadCloudComparison(db, url);
    // By GPU: the capabilities at `at` (default the newest poll), realized prices over the same range.
    const { gpus } = await loadCloudGpus(db, url, range);
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
      gpus,
      log,
      catalogueAgeDays: newest ? Math.floor((Date.now() - Date.parse(newest)) / 86_400_000) : null,
      choices: choices.map((c) => ({ pipeline: c.pipeline, modelId: c.modelId, jobs: c.jobs, output: c.output })),
    };
  });
}

export default function Cloud() {
  const { demo, range, utilization, pipeline, modelId, comparison: c, classes, gpus, log, catalogueAgeDays, choices } = useLoaderData<typeof loader>();
  const params = { from: range.from, to: range.to, pipeline, model: modelId, utilization };
  const gpuParams = { from: range.from, to: range.to, at: gpus.at };
  if (!c) {
    return (
      <>
        <PageHeader title="Livepeer vs cloud GPUs" />
        <p className="panel">
          No video or image jobs with a price are logged between {range.from} and {range.to}. Pick another range, or point the indexer at gateway job
          logs (GATEWAY_LOG_DIR).
        </p>
        <GpusPanel gpus={gpus} params={gpuParams} />
      </>
    );
  }
  return (
    <>
      <PageHeader title="Livepeer vs cloud GPUs">
        What a second of generated video cost on Livepeer between {range.from} and {range.to} (UTC), next to what the same work costs on rented GPUs,
        serverless GPUs and hosted APIs. Every cloud figure is dated and sourced; the method is at the bottom so it can be checked by hand.
        {demo ? " Demo network: its jobs are priced at prices advertised on the real network, but its traffic is synthetic, so the ratios below describe the demo, not Livepeer." : null}
      </PageHeader>
      <CloudFilters range={range} pipeline={pipeline} modelId={modelId} utilization={utilization} log={log} choices={choices} />
      <CloudAnswer comparison={c} classes={classes} />
      {c.livepeer.output === "video-seconds" ? (
        <CloudCostChart comparison={c} classes={classes} range={range} utilization={utilization} log={log} params={params} />
      ) : null}
      <OffersPanel comparison={c} params={params} />
      <GpusPanel gpus={gpus} params={gpuParams} />
      <SourcesPanel comparison={c} catalogueAgeDays={catalogueAgeDays} range={range} params={params} />
      <CaveatsPanel utilization={utilization} />
      <MethodPanel comparison={c} choices={choices} pipeline={pipeline} modelId={modelId} range={range} />
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
