// GET /api/cloud-comparison?pipeline=&model=&from=&to=&utilization=[&format=csv]: Livepeer's realized
// USD per video second for one pipeline and model (default: the busiest video pipeline and its
// busiest model) next to every catalogue offer converted per docs/data-contract.md section 6
// (comparing with cloud GPUs): rented GPUs usd_per_gpu_hour / 3600 x gpu_seconds_per_output_second
// / utilization (default 0.5, at most 1),
// serverless usd_per_gpu_second x gpu_seconds_per_output_second, hosted APIs their published price.
// ratioToLivepeer = offer / Livepeer: above 1, Livepeer is cheaper. Excluded offers say why.
import { loadCloudComparison } from "~/lib/cost.server";
import { dbFrom } from "~/lib/context.server";
import { apiLoader, csvResponse, jsonResponse, notFound, wantsCsv } from "~/lib/http.server";
import { provenance } from "~/lib/download-provenance.server";
import { asOf } from "~/lib/index-state.server";
import { parseChoice } from "~/lib/params.server";

export const loader = apiLoader(async ({ request, context }) => {
  const db = dbFrom(context);
  const url = new URL(request.url);
  const csv = wantsCsv(url);
  const table = parseChoice(url, "table", ["offers", "sources"] as const, "offers");
  const { state, range, utilization, comparison: c } = await loadCloudComparison(db, url);
  if (!c) throw notFound(`no video or image jobs with a cost between ${range.from} and ${range.to}`);
  const lp = c.livepeer;
  const livepeer = {
    pipeline: c.pipeline,
    modelId: c.modelId,
    usdPerVideoSecond: lp.usdPerVideoSecond,
    ethPerVideoSecond: lp.ethPerVideoSecond,
    usdPerImage: lp.usdPerImage,
    usdPerMegapixel: lp.usdPerMegapixel,
    jobs: lp.jobs,
    outputSeconds: lp.outputSeconds,
    images: lp.images,
    feesEth: lp.feesEth,
    feesUsd: lp.feesUsd,
    setting: lp.setting,
    rates: lp.rates,
  };
  const name = `cloud-comparison-${c.pipeline}-${range.from}_${range.to}-u${utilization}`;
  if (csv && table === "sources") {
    // One row per price used (compared offers and Livepeer references): its source and date, and the throughput figure behind it.
    const used = c.offers.filter((o) => o.status !== "excluded");
    return csvResponse(
      `cloud-sources-${c.pipeline}-${range.from}_${range.to}.csv`,
      ["provider", "offering", "gpu", "class", "price_source", "price_as_of", "gpu_seconds_per_output_second", "throughput_quality", "throughput_basis", "throughput_source"],
      used.map((o) => [o.provider, o.offering, o.gpu, o.class, o.source, o.asOf, o.gpuSecondsPerOutputSecond, o.throughputQuality, o.throughputBasis, o.throughputSource]),
    );
  }
  if (csv)
    return csvResponse(
      `${name}.csv`,
      ["provider", "offering", "gpu", "class", "status", "metric", "usd", "usd_per_video_second", "ratio_to_livepeer", "livepeer_usd",
        "gpu_seconds_per_output_second", "throughput_quality", "throughput_source", "utilization", "comparability", "source", "as_of", "basis"],
      c.offers.map((o) => [o.provider, o.offering, o.gpu, o.class, o.status, o.metric, o.usd, o.usdPerVideoSecond, o.ratioToLivepeer,
        o.metric === "usd_per_video_second" ? lp.usdPerVideoSecond : o.metric === "usd_per_image" ? lp.usdPerImage : lp.usdPerMegapixel,
        o.gpuSecondsPerOutputSecond, o.throughputQuality, o.throughputSource, o.utilization, o.comparability, o.source, o.asOf, o.basis]),
    );
  return jsonResponse({
    from: range.from,
    to: range.to,
    pipeline: c.pipeline,
    model: c.modelId,
    utilization,
    livepeer,
    offers: c.offers,
    catalogue: c.catalogue,
    asOf: asOf(state),
    provenance: provenance(url, { source: "cost", name, range, state }),
  });
});
