// GET /api/orchestrators?from=&to=&pipeline=&model=&sort=&dir=[&format=csv]
// Every orchestrator with its on-chain row and realized fees (30 days ending at the latest indexed
// day, and all time), plus job statistics from the logs over from..to (default: the 30 days ending
// at the latest day with data) for ONE pipeline and model pair: jobs, successes, successRate,
// latencyMs {p50,p95,p99} (null below 1/20/100 successful jobs), latencySamples, expectedFeesEth,
// outputSeconds, and cost per video second (usdPerVideoSecond, ethPerVideoSecond over videoJobs and
// videoSeconds: the orchestrator's priced jobs of that pair when it is a video pipeline, fees over
// the same jobs' seconds, USD at each day's rate).
//
// The pair: `pipeline` and `model` as given; what is not given is the busiest (most jobs) in the
// range, so with neither it is the network's busiest pipeline and model. The answer's `pipeline`
// and `model` are the pair used, `choice` says how ("requested", "busiest", "all") and `requested`
// echoes the parameters. Without pipeline/model every orchestrator is listed (zeros for those
// without that pair's jobs); with either, only orchestrators with matching jobs. `pipeline=all`
// sums jobs, successes and fees over every pipeline and model and gives null percentiles and costs:
// a percentile or a cost never mixes pipelines or models of different scales.
//
// From the newest capabilities poll (`capabilities.asOf`; GATEWAY_CAPABILITIES_URL or
// network_capabilities events): `gpus` [{name, count, memoryGb, memoryBytes}] (distinct GPUs by
// name), `gpuCount` (null when the poll does not list it) and `livePrice` {modelId, weiPerPixel,
// usdPerVideoHour (1280x720x30 video, the poll day's ETH/USD), models} for live-video-to-video: the
// chosen model's offer when the pair is live video, else its lowest. CSV adds these as the last columns.
//
// From the public AI leaderboard probes (LEADERBOARD_URL) over the same days, for one probed pipeline
// and model (`probes`: {pipeline, model, choice, window}; the requested pair when it is probed, else
// the network's most probed in the range, "none" without probes): per row `probeCount`,
// `probeSuccessRate` and `probeScore` (the official score; both means over the orchestrator's regions
// of each region's figure with the all-regions median, as /api/leaderboard without region),
// `probeRoundTripS` {p50,p95,p99} in seconds (null below 1/20/100 successful probes) and
// `probeRoundTripSamples`. Rows without probes have 0 and nulls. CSV: the probe_* columns, last.
import { dbFrom } from "~/lib/context.server";
import { provenance } from "~/lib/download-provenance.server";
import { apiLoader, csvResponse, jsonResponse, wantsCsv } from "~/lib/http.server";
import { asOf } from "~/lib/index-state.server";
import { JOB_CSV_HEADER, jobCsvCells } from "~/lib/jobs.server";
import { gpuCell } from "~/lib/orchestrator-advertised.server";
import { loadOrchestratorList } from "~/lib/orchestrator-list.server";

export const loader = apiLoader(async ({ request, context }) => {
  const db = dbFrom(context);
  const url = new URL(request.url);
  const csv = wantsCsv(url);
  const { state, sort, dir, pair, range, rows, advertised, probes, window30d } = await loadOrchestratorList(db, url);
  const jobsTag = range.from === window30d.from && range.to === window30d.to ? "" : `-jobs-${range.from}_${range.to}`;
  // Named after the request, so the same link always gives the same file name.
  const filterTag = (pair.choice === "all" ? ["all"] : [pair.requested.pipeline, pair.requested.model]).filter(Boolean).map((s) => `-${s}`).join("");
  const name = `orchestrators-fees30d-${window30d.from}_${window30d.to}${jobsTag}${filterTag}`;
  if (csv) {
    return csvResponse(
      `${name}.csv`,
      ["address", "service_uri", "active", "status", "total_stake", "fee_share_pct", "reward_cut_pct", "fees_eth_30d", "fees_eth_total", ...JOB_CSV_HEADER,
        "video_jobs", "video_seconds", "eth_per_video_second", "usd_per_video_second",
        "job_pipeline", "job_model", "gpus", "gpu_count", "live_model", "live_wei_per_pixel", "live_usd_per_video_hour",
        "probe_pipeline", "probe_model", "probes", "probe_success_rate", "probe_score", "probe_round_trip_p50_s", "probe_round_trip_p95_s",
        "probe_round_trip_p99_s", "probe_round_trip_samples"],
      rows.map((r) => [r.address, r.serviceUri, r.active, r.status, r.totalStake, r.feeSharePct, r.rewardCutPct, r.feesEth30d, r.feesEthTotal, ...jobCsvCells(r),
        r.videoJobs, r.videoSeconds, r.ethPerVideoSecond, r.usdPerVideoSecond,
        pair.choice === "all" ? "all" : pair.pipeline, pair.model, gpuCell(r.gpus), r.gpuCount, r.livePrice?.modelId ?? null, r.livePrice?.weiPerPixel ?? null,
        r.livePrice?.usdPerVideoHour ?? null,
        probes.pipeline, probes.model, r.probeCount, r.probeSuccessRate, r.probeScore, r.probeRoundTripS.p50, r.probeRoundTripS.p95, r.probeRoundTripS.p99,
        r.probeRoundTripSamples]),
    );
  }
  return jsonResponse({
    sort, dir, window30d, from: range.from, to: range.to, pipeline: pair.pipeline, model: pair.model, choice: pair.choice, requested: pair.requested,
    rows, capabilities: advertised, probes, asOf: asOf(state),
    provenance: provenance(url, { source: "subgraph+joblogs", name, range, state }),
  });
});
