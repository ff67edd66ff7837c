// GET /api/pipelines?from=&to=[&format=csv]: per pipeline and model over the range (default: the 90
// days ending at the latest day with data), jobs, successes, successRate, latencyMs {p50,p95,p99}
// (null below 1/20/100 successful jobs), latencySamples, expectedFeesEth and outputSeconds; rows by
// pipeline (A-Z), then most jobs first. `totals` covers every pipeline.
import { dbFrom } from "~/lib/context.server";
import { provenance } from "~/lib/download-provenance.server";
import { apiLoader, csvResponse, jsonResponse, wantsCsv } from "~/lib/http.server";
import { asOf } from "~/lib/index-state.server";
import { JOB_CSV_HEADER, jobCsvCells } from "~/lib/jobs.server";
import { loadPipelines } from "~/lib/pipelines.server";

export const loader = apiLoader(async ({ request, context }) => {
  const db = dbFrom(context);
  const url = new URL(request.url);
  const csv = wantsCsv(url);
  const { state, range, rows, totals } = await loadPipelines(db, url);
  if (csv) {
    return csvResponse(
      `pipelines-${range.from}_${range.to}.csv`,
      ["pipeline", "model_id", ...JOB_CSV_HEADER, "output_seconds", "cost_jobs", "usd_per_video_second", "eth_per_video_second", "usd_per_image", "usd_per_megapixel"],
      rows.map((r) => [r.pipeline, r.modelId, ...jobCsvCells(r), r.outputSeconds, r.costJobs, r.usdPerVideoSecond, r.ethPerVideoSecond, r.usdPerImage, r.usdPerMegapixel]),
    );
  }
  return jsonResponse({
    from: range.from, to: range.to, rows, totals, asOf: asOf(state),
    provenance: provenance(url, { source: "joblogs", name: `pipelines-${range.from}_${range.to}`, range, state }),
  });
});
