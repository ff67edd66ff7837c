// GET /api/cost?from=&to=&pipeline=&model=[&format=csv]: per pipeline and model over the range
// (default: the 90 days ending at the latest day with data), what the network's jobs cost:
// jobs (successful, priced, with output), outputSeconds, feesEth, ethPerVideoSecond and
// usdPerVideoSecond (video pipelines), usdPerImage and usdPerMegapixel (image pipelines); fields
// that do not apply are null. Volume-weighted (sum of fees / sum of units), USD at each job's UTC
// day rate (Day.volumeUSD / Day.volumeETH, nearest day when missing: listed in rates.fallbacks).
import { loadCost } from "~/lib/cost.server";
import { dbFrom } from "~/lib/context.server";
import { apiLoader, csvResponse, jsonResponse, wantsCsv } from "~/lib/http.server";
import { provenance } from "~/lib/download-provenance.server";
import { asOf } from "~/lib/index-state.server";

export const loader = apiLoader(async ({ request, context }) => {
  const db = dbFrom(context);
  const url = new URL(request.url);
  const csv = wantsCsv(url);
  const { state, range, pm, rows } = await loadCost(db, url);
  const filterTag = [pm.pipeline, pm.model].filter(Boolean).map((s) => `-${s}`).join("");
  const name = `cost-${range.from}_${range.to}${filterTag}`;
  if (csv) {
    return csvResponse(
      `${name}.csv`,
      ["pipeline", "model_id", "jobs", "total_jobs", "output_seconds", "images", "megapixels", "fees_eth", "fees_usd", "eth_per_video_second",
        "usd_per_video_second", "eth_per_image", "usd_per_image", "usd_per_megapixel", "unpriced_jobs", "failed_fees_eth", "usd_rate_fallback_days"],
      rows.map((r) => [r.pipeline, r.modelId, r.jobs, r.totalJobs, r.outputSeconds, r.images, r.megapixels, r.feesEth, r.feesUsd, r.ethPerVideoSecond,
        r.usdPerVideoSecond, r.ethPerImage, r.usdPerImage, r.usdPerMegapixel, r.unpricedJobs, r.failedFeesEth, r.rates.fallbacks.length]),
    );
  }
  return jsonResponse({
    from: range.from, to: range.to, pipeline: pm.pipeline, model: pm.model, rows, asOf: asOf(state),
    provenance: provenance(url, { source: "cost", name, range, state }),
  });
});
