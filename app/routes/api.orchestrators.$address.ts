// GET /api/orchestrators/<address>?from=&to=&interval=day|hour&pipeline=&model=[&format=csv]
// One orchestrator (its on-chain row and 30-day fees), realized fees over the range (`totals`), its
// job statistics from the logs (`jobs`), the network's for the same range and filter (`network`),
// failed jobs by error type (`errors`), and `series`: one point per day, or per hour for ranges of at
// most 14 days, each with jobs, successRate, latencyMs (+ latencySamples), expectedFeesEth and
// realizedFeesEth. Realized fees (tickets) exist per UTC day only: hourly points carry null there
// (and in volumeEth/volumeUsd/tickets); the day series or `totals` give them. pipeline/model filter
// the job figures only: tickets have no pipeline.
// CSV: table=series (default, one row per point), errors (failed jobs by type) or summary (one row:
// the on-chain fields, 30-day and range fees, job figures and the network's). JSON adds provenance,
// and `cost`: USD and ETH per video second over its priced video jobs, and the network's (same filter).
import { dbFrom } from "~/lib/context.server";
import { provenance } from "~/lib/download-provenance.server";
import { parseChoice } from "~/lib/params.server";
import { apiLoader, csvResponse, jsonResponse, wantsCsv } from "~/lib/http.server";
import { asOf } from "~/lib/index-state.server";
import { JOB_CSV_HEADER, jobCsvCells } from "~/lib/jobs.server";
import { loadOrchestratorDetail } from "~/lib/orchestrator-detail.server";

export const loader = apiLoader(async ({ request, context, params }) => {
  const db = dbFrom(context);
  const url = new URL(request.url);
  const csv = wantsCsv(url);
  const table = parseChoice(url, "table", ["series", "errors", "summary"] as const, "series");
  const d = await loadOrchestratorDetail(db, url, params.address, (a) => `unknown orchestrator ${a}`);
  const { row, range, interval, filter } = d;
  const tag = [interval === "hour" ? "hourly" : null, filter.pipeline, filter.model].filter(Boolean).join("-");
  const name = `orchestrator-${row.address}-${range.from}_${range.to}${tag ? `-${tag}` : ""}`;
  if (csv && table === "errors") {
    const errTag = [filter.pipeline, filter.model].filter(Boolean).join("-");
    return csvResponse(
      `orchestrator-${row.address}-errors-${range.from}_${range.to}${errTag ? `-${errTag}` : ""}.csv`,
      ["error_type", "jobs"],
      d.errors.map((e) => [e.errorType, e.jobs]),
    );
  }
  if (csv && table === "summary") {
    const errTag = [filter.pipeline, filter.model].filter(Boolean).join("-");
    const n = d.network;
    return csvResponse(
      `orchestrator-${row.address}-summary-${range.from}_${range.to}${errTag ? `-${errTag}` : ""}.csv`,
      [
        "address", "service_uri", "active", "status", "total_stake", "fee_share_pct", "reward_cut_pct",
        "fees_30d_from", "fees_30d_to", "fees_eth_30d", "fees_eth_total", "from", "to", "volume_eth", "volume_usd", "tickets",
        ...JOB_CSV_HEADER, "output_seconds", ...JOB_CSV_HEADER.map((h) => `network_${h}`),
        "video_jobs", "video_seconds", "usd_per_video_second", "network_usd_per_video_second",
      ],
      [[
        row.address, row.serviceUri, row.active, row.status, row.totalStake, row.feeSharePct, row.rewardCutPct,
        d.window30d.from, d.window30d.to, row.feesEth30d, row.feesEthTotal, range.from, range.to, d.totals.volumeEth, d.totals.volumeUsd, d.totals.tickets,
        ...jobCsvCells(d.jobs), d.jobs.outputSeconds, ...jobCsvCells(n),
        d.cost.videoJobs, d.cost.videoSeconds, d.cost.usdPerVideoSecond, d.cost.network.usdPerVideoSecond,
      ]],
    );
  }
  if (csv) {
    return csvResponse(
      `${name}.csv`,
      ["period", "volume_eth", "volume_usd", "tickets", ...JOB_CSV_HEADER, "output_seconds"],
      d.series.map((s) => [s.period, s.volumeEth, s.volumeUsd, s.tickets, ...jobCsvCells(s), s.outputSeconds]),
    );
  }
  return jsonResponse({
    ...row,
    window30d: d.window30d,
    from: range.from,
    to: range.to,
    interval,
    pipeline: filter.pipeline,
    model: filter.model,
    series: d.series,
    totals: d.totals,
    jobs: d.jobs,
    network: d.network,
    errors: d.errors,
    cost: d.cost,
    asOf: asOf(d.state),
    provenance: provenance(url, { source: "subgraph+joblogs", name, range, state: d.state }),
  });
});
