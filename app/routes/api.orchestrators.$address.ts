// GET /api/orchestrators/<address>?from=&to=&interval=day|hour&pipeline=&model=[&format=csv]
// One orchestrator (its on-chain row and 30-day fees), realized fees over the range (`totals`), its
// job statistics from the logs (`jobs`), the network's for the same range and filter (`network`),
// failed jobs by error type (`errors`), and `series`: one point per day, or per hour for ranges of at
// most 14 days, each with jobs, successRate, latencyMs (+ latencySamples), expectedFeesEth and
// realizedFeesEth. Realized fees (tickets) exist per UTC day only: hourly points carry null there
// (and in volumeEth/volumeUsd/tickets); the day series or `totals` give them. pipeline/model filter
// the job figures only: tickets have no pipeline.
import { dbFrom } from "~/lib/context.server";
import { apiLoader, csvResponse, jsonResponse, wantsCsv } from "~/lib/http.server";
import { asOf } from "~/lib/index-state.server";
import { JOB_CSV_HEADER, jobCsvCells } from "~/lib/jobs.server";
import { loadOrchestratorDetail } from "~/lib/orchestrator-detail.server";

export const loader = apiLoader(async ({ request, context, params }) => {
  const db = dbFrom(context);
  const url = new URL(request.url);
  const csv = wantsCsv(url);
  const d = await loadOrchestratorDetail(db, url, params.address, (a) => `unknown orchestrator ${a}`);
  const { row, range, interval, filter } = d;
  if (csv) {
    const tag = [interval === "hour" ? "hourly" : null, filter.pipeline, filter.model].filter(Boolean).join("-");
    return csvResponse(
      `orchestrator-${row.address}-${range.from}_${range.to}${tag ? `-${tag}` : ""}.csv`,
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
    asOf: asOf(d.state),
  });
});
