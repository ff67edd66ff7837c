// GET /api/orchestrators?from=&to=&pipeline=&model=&sort=&dir=[&format=csv]
// Every orchestrator with its on-chain row and realized fees (30 days ending at the latest indexed
// day, and all time), plus job statistics from the logs over from..to (default: the 30 days ending
// at the latest day with data): jobs, successes, successRate, latencyMs {p50,p95,p99} (null below
// 1/20/100 successful jobs), latencySamples, expectedFeesEth, outputSeconds, and cost per video second
// (usdPerVideoSecond, ethPerVideoSecond over videoJobs and videoSeconds: the orchestrator's priced
// video jobs, fees over the same jobs' seconds, USD at each day's rate). With pipeline or model,
// only orchestrators with matching jobs are listed and the job figures cover only those jobs.
import { dbFrom } from "~/lib/context.server";
import { provenance } from "~/lib/download-provenance.server";
import { apiLoader, csvResponse, jsonResponse, wantsCsv } from "~/lib/http.server";
import { asOf } from "~/lib/index-state.server";
import { JOB_CSV_HEADER, jobCsvCells } from "~/lib/jobs.server";
import { loadOrchestratorList } from "~/lib/orchestrator-list.server";

export const loader = apiLoader(async ({ request, context }) => {
  const db = dbFrom(context);
  const url = new URL(request.url);
  const csv = wantsCsv(url);
  const { state, sort, dir, filter, range, rows, window30d } = await loadOrchestratorList(db, url);
  const jobsTag = range.from === window30d.from && range.to === window30d.to ? "" : `-jobs-${range.from}_${range.to}`;
  const filterTag = [filter.pipeline, filter.model].filter(Boolean).map((s) => `-${s}`).join("");
  const name = `orchestrators-fees30d-${window30d.from}_${window30d.to}${jobsTag}${filterTag}`;
  if (csv) {
    return csvResponse(
      `${name}.csv`,
      ["address", "service_uri", "active", "status", "total_stake", "fee_share_pct", "reward_cut_pct", "fees_eth_30d", "fees_eth_total", ...JOB_CSV_HEADER,
        "video_jobs", "video_seconds", "eth_per_video_second", "usd_per_video_second"],
      rows.map((r) => [r.address, r.serviceUri, r.active, r.status, r.totalStake, r.feeSharePct, r.rewardCutPct, r.feesEth30d, r.feesEthTotal, ...jobCsvCells(r),
        r.videoJobs, r.videoSeconds, r.ethPerVideoSecond, r.usdPerVideoSecond]),
    );
  }
  return jsonResponse({
    sort, dir, window30d, from: range.from, to: range.to, pipeline: filter.pipeline, model: filter.model, rows, asOf: asOf(state),
    provenance: provenance(url, { source: "subgraph+joblogs", name, range, state }),
  });
});
