// GET /api/compare?address=0x…&address=0x…[&address=…]&from=&to=&interval=day|hour&pipeline=&model=[&format=csv]
// 2 to 4 orchestrators side by side (400 otherwise; 404 for an unknown one): job figures over the
// range and filter, realized fees over the range (realizedFeesEth) and 30 days (feesEth30d), and a
// series per orchestrator. The CSV is the side-by-side table, one row per orchestrator.
import { loadCompare } from "~/lib/compare.server";
import { dbFrom } from "~/lib/context.server";
import { apiLoader, csvResponse, jsonResponse, wantsCsv } from "~/lib/http.server";
import { asOf } from "~/lib/index-state.server";
import { JOB_CSV_HEADER, jobCsvCells } from "~/lib/jobs.server";

export const loader = apiLoader(async ({ request, context }) => {
  const db = dbFrom(context);
  const url = new URL(request.url);
  const csv = wantsCsv(url);
  const d = await loadCompare(db, url);
  if (csv) {
    return csvResponse(
      `compare-${d.range.from}_${d.range.to}.csv`,
      ["address", "service_uri", ...JOB_CSV_HEADER, "realized_fees_eth", "fees_eth_30d"],
      d.orchestrators.map((o) => [o.address, o.serviceUri, ...jobCsvCells(o), o.realizedFeesEth, o.feesEth30d]),
    );
  }
  return jsonResponse({
    from: d.range.from,
    to: d.range.to,
    interval: d.interval,
    pipeline: d.filter.pipeline,
    model: d.filter.model,
    window30d: d.window30d,
    orchestrators: d.orchestrators,
    network: d.network,
    asOf: asOf(d.state),
  });
});
