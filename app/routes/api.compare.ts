// GET /api/compare?address=0x…&address=0x…[&address=…]&from=&to=&interval=day|hour&pipeline=&model=[&format=csv]
// 2 to 4 orchestrators side by side (400 otherwise; 404 for an unknown one): job figures over the
// range for one pipeline and model pair, realized fees over the range (realizedFeesEth) and 30 days
// (feesEth30d), and a series per orchestrator. The pair: `pipeline` and `model` as given, what is
// not given the busiest of the compared orchestrators together in the range (`choice`: "requested",
// "busiest" or "all"; `requested` echoes the parameters); `pipeline=all` sums every pair and gives
// null percentiles, which never mix pipelines or models. The CSV is the side-by-side table, one row per orchestrator; with
// table=series it is every orchestrator's series (one row per orchestrator and period).
// Public probes (LEADERBOARD_URL) over the same days for one probed pipeline and model (`probes`:
// {pipeline, model, choice, window}; the requested pair when these orchestrators have its probes, else
// their most probed): each orchestrator's probeCount, probeSuccessRate, probeScore (means over its
// regions, as /api/leaderboard without region), probeRoundTripS {p50,p95,p99} (seconds) and
// probeRoundTripSamples, as in GET /api/orchestrators; the CSV's probe_* columns.
import { loadCompare } from "~/lib/compare.server";
import { provenance } from "~/lib/download-provenance.server";
import { parseChoice } from "~/lib/params.server";
import { dbFrom } from "~/lib/context.server";
import { apiLoader, csvResponse, jsonResponse, wantsCsv } from "~/lib/http.server";
import { asOf } from "~/lib/index-state.server";
import { JOB_CSV_HEADER, jobCsvCells } from "~/lib/jobs.server";

export const loader = apiLoader(async ({ request, context }) => {
  const db = dbFrom(context);
  const url = new URL(request.url);
  const csv = wantsCsv(url);
  const table = parseChoice(url, "table", ["orchestrators", "series"] as const, "orchestrators");
  const d = await loadCompare(db, url);
  // Named after the request, so the same link always gives the same file name.
  const tag = [d.interval === "hour" ? "hourly" : null, d.pair.choice === "all" ? "all" : d.pair.requested.pipeline, d.pair.requested.model].filter(Boolean).join("-");
  if (csv && table === "series") {
    return csvResponse(
      `compare-series-${d.range.from}_${d.range.to}${tag ? `-${tag}` : ""}.csv`,
      ["address", "period", ...JOB_CSV_HEADER, "output_seconds"],
      d.orchestrators.flatMap((o) => o.series.map((s) => [o.address, s.period, ...jobCsvCells(s), s.outputSeconds])),
    );
  }
  if (csv) {
    return csvResponse(
      `compare-${d.range.from}_${d.range.to}.csv`,
      ["address", "service_uri", ...JOB_CSV_HEADER, "realized_fees_eth", "fees_eth_30d", "probe_pipeline", "probe_model", "probes", "probe_success_rate", "probe_score",
        "probe_round_trip_p50_s", "probe_round_trip_p95_s", "probe_round_trip_p99_s", "probe_round_trip_samples"],
      d.orchestrators.map((o) => [o.address, o.serviceUri, ...jobCsvCells(o), o.realizedFeesEth, o.feesEth30d, d.probes.pipeline, d.probes.model, o.probeCount,
        o.probeSuccessRate, o.probeScore, o.probeRoundTripS.p50, o.probeRoundTripS.p95, o.probeRoundTripS.p99, o.probeRoundTripSamples]),
    );
  }
  return jsonResponse({
    from: d.range.from,
    to: d.range.to,
    interval: d.interval,
    pipeline: d.pair.pipeline,
    model: d.pair.model,
    choice: d.pair.choice,
    requested: d.pair.requested,
    window30d: d.window30d,
    orchestrators: d.orchestrators,
    network: d.network,
    probes: d.probes,
    asOf: asOf(d.state),
    provenance: provenance(url, { source: "subgraph+joblogs", name: `compare-${d.range.from}_${d.range.to}`, range: d.range, state: d.state }),
  });
});
