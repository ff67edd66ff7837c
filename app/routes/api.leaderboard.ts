// GET /api/leaderboard?from&to&region&pipeline&model[&format=csv]: the AI leaderboard from public
// probes (app/lib/leaderboard.server.ts), exactly
// {"rows":[{"address","score","successRate","roundTripScore","avgRoundTripS","roundTripS":{"p50","p95","p99"},"probes","warmRatio"}],"medianRoundTripS","window":{"from","to"}}.
// from/to: ISO instants (or UTC days), default the 24 hours up to the newest probe. pipeline and model
// go together (400 otherwise); without them score, roundTripScore and medianRoundTripS are null.
// With region: that region's figures and median (as aggregated_stats?region=); without: means over
// each orchestrator's regions of the per-region figures with the all-regions median. Ranked by score.
import { dbFrom } from "~/lib/context.server";
import { apiLoader, csvResponse, jsonResponse, wantsCsv } from "~/lib/http.server";
import { loadLeaderboard, parseLeaderboardQuery } from "~/lib/leaderboard.server";

const stamp = (iso: string) => iso.replace(/[:.]/g, "-");

export const loader = apiLoader(async ({ request, context }) => {
  const db = dbFrom(context);
  const url = new URL(request.url);
  const csv = wantsCsv(url);
  const query = await parseLeaderboardQuery(db, url);
  const board = await loadLeaderboard(db, query);
  if (csv) {
    const what = [query.region, query.pipeline, query.model].filter(Boolean).join("-").replace(/[^A-Za-z0-9._-]+/g, "_");
    return csvResponse(
      `leaderboard${what ? `-${what}` : ""}-${stamp(board.window.from)}_${stamp(board.window.to)}.csv`,
      ["address", "score", "success_rate", "round_trip_score", "avg_round_trip_s", "round_trip_p50_s", "round_trip_p95_s", "round_trip_p99_s", "probes", "warm_ratio",
        "median_round_trip_s", "region", "pipeline", "model", "from", "to"],
      board.rows.map((r) => [
        r.address, r.score, r.successRate, r.roundTripScore, r.avgRoundTripS, r.roundTripS.p50, r.roundTripS.p95, r.roundTripS.p99, r.probes, r.warmRatio,
        board.medianRoundTripS, query.region, query.pipeline, query.model, board.window.from, board.window.to,
      ]),
    );
  }
  return jsonResponse({ rows: board.rows, medianRoundTripS: board.medianRoundTripS, window: board.window });
});
