// GET /api/live?from&to&pipeline&model[&format=csv]: live video-to-video figures from gateway events
// (app/lib/live.server.ts) per orchestrator and for the network: sessions, startupMs {p50,p95,p99}
// (null below 1/20/100 sessions with a startup), startupSamples, fpsRatio {p50,p5}, swaps and errors
// per session, billableSeconds, feesEth, ethPerSecond, usdPerSecond. Default window: the 7 days ending
// at the newest live event; default model: the busiest in the window (`model` says which, model=all
// mixes every model). `pipeline`, when given, must be live-video-to-video.
import { dbFrom } from "~/lib/context.server";
import { apiLoader, csvResponse, jsonResponse, wantsCsv } from "~/lib/http.server";
import { liveLatestDay, loadLive, parseLiveQuery } from "~/lib/live.server";

export const loader = apiLoader(async ({ request, context }) => {
  const db = dbFrom(context);
  const url = new URL(request.url);
  const query = parseLiveQuery(url, await liveLatestDay(db));
  const live = await loadLive(db, query);
  const row = (r: (typeof live.rows)[number] | (typeof live.network & { address: string })) => ({
    address: r.address,
    sessions: r.sessions,
    startupMs: r.startupMs,
    startupSamples: r.startupSamples,
    incompleteSessions: r.incompleteSessions,
    fpsRatio: r.fpsRatio,
    fpsSamples: r.fpsSamples,
    swaps: r.swaps,
    errors: r.errors,
    billableSeconds: r.billableSeconds,
    feesEth: r.feesEth,
    ethPerSecond: r.ethPerSecond,
    usdPerSecond: r.usdPerSecond,
  });
  if (wantsCsv(url)) {
    const all = [...live.rows.map(row), { ...row({ ...live.network, address: "network" }) }];
    return csvResponse(
      `live-${live.model ?? "all"}-${live.window.from}_${live.window.to}.csv`,
      ["address", "model", "sessions", "startup_p50_ms", "startup_p95_ms", "startup_p99_ms", "startup_samples", "incomplete_sessions", "fps_ratio_p50", "fps_ratio_p5", "swaps_per_session", "errors_per_session", "billable_seconds", "fees_eth", "eth_per_second", "usd_per_second"],
      all.map((r) => [r.address, live.model ?? "all", r.sessions, r.startupMs.p50, r.startupMs.p95, r.startupMs.p99, r.startupSamples, r.incompleteSessions, r.fpsRatio.p50, r.fpsRatio.p5, r.swaps, r.errors, r.billableSeconds, r.feesEth, r.ethPerSecond, r.usdPerSecond]),
    );
  }
  const { address: _omit, ...network } = row({ ...live.network, address: "" });
  return jsonResponse({
    window: live.window,
    pipeline: live.pipeline,
    model: live.model,
    modelChoice: live.modelChoice,
    models: live.models,
    rows: live.rows.map((r) => ({ ...row(r), resolved: r.resolved })),
    network,
    unmatchedPayments: live.unmatchedPayments,
  });
});
