// GET /api/probes/<address>?from&to&interval=day|hour&region&pipeline&model[&format=csv]: one
// orchestrator's public-probe history (app/lib/leaderboard.server.ts). `series` has one point per
// UTC day or hour that has probes: probes, okProbes (success_rate = 1 and a round trip), successRate,
// avgRoundTripS, roundTripS {p50,p95,p99} (null below 1/20/100 ok probes), warmRatio, and with
// pipeline and model the official score, roundTripScore and the median used (exact: the day's stored
// median, or the hour's percentile_cont). Without region, score and success are means over regions
// with the all-regions median, as on the leaderboard; `regions` gives each region's own points.
// Window default: 30 days (day) or 48 hours (hour) up to the newest probe; hours up to 31 days.
// 404 for an address with no probes.
import { dbFrom } from "~/lib/context.server";
import { apiLoader, csvResponse, jsonResponse, notFound, wantsCsv } from "~/lib/http.server";
import { loadProbeSeries, parseProbesQuery } from "~/lib/leaderboard.server";
import { parseAddress } from "~/lib/params.server";
import { hasProbes } from "../../db/queries/probes";

export const loader = apiLoader(async ({ request, context, params }) => {
  const db = dbFrom(context);
  const url = new URL(request.url);
  const address = parseAddress(params.address);
  const csv = wantsCsv(url);
  const query = await parseProbesQuery(db, url, address);
  if (!(await hasProbes(db, address))) throw notFound(`no probes of ${address}`);
  const s = await loadProbeSeries(db, query);
  const base = {
    address,
    window: { from: query.from, to: query.to },
    interval: query.interval,
    region: query.region,
    pipeline: query.pipeline,
    model: query.model,
  };
  if (csv) {
    const rows = [["ALL", s.series] as const, ...Object.entries(s.regions)].flatMap(([region, points]) =>
      points.map((p) => [address, region === "ALL" ? (query.region ?? "all") : region, p.t, p.probes, p.okProbes, p.successRate, p.avgRoundTripS,
        p.roundTripS.p50, p.roundTripS.p95, p.roundTripS.p99, p.warmRatio, p.score, p.roundTripScore, p.medianRoundTripS]),
    );
    return csvResponse(
      `probes-${address}-${query.interval}-${query.from.slice(0, 10)}_${query.to.slice(0, 10)}.csv`,
      ["address", "region", "t", "probes", "ok_probes", "success_rate", "avg_round_trip_s", "round_trip_p50_s", "round_trip_p95_s", "round_trip_p99_s", "warm_ratio", "score", "round_trip_score", "median_round_trip_s"],
      rows,
    );
  }
  return jsonResponse({ ...base, series: s.series, regions: s.regions });
});
