// GET /api/orchestrators/<address>?from=&to=[&format=csv]: one orchestrator and its daily fees.
import { dbFrom } from "~/lib/context.server";
import { apiLoader, csvResponse, jsonResponse, notFound, wantsCsv } from "~/lib/http.server";
import { asOf, getIndexState } from "~/lib/index-state.server";
import { getOrchestrator, orchestratorSeries, thirtyDayWindow } from "~/lib/orchestrators.server";
import { DEFAULT_RANGE_DAYS, parseAddress, parseRange } from "~/lib/params.server";

export const loader = apiLoader(async ({ request, context, params }) => {
  const db = dbFrom(context);
  const url = new URL(request.url);
  const csv = wantsCsv(url);
  const address = parseAddress(params.address);
  const state = await getIndexState(db);
  const range = parseRange(url, { latestDay: state.latestDay, defaultDays: DEFAULT_RANGE_DAYS });
  const row = await getOrchestrator(db, address, state.latestDay);
  if (!row) throw notFound(`unknown orchestrator ${address}`);
  const { series, totals } = await orchestratorSeries(db, address, range);
  if (csv) {
    return csvResponse(
      `orchestrator-${address}-${range.from}_${range.to}.csv`,
      ["period", "volume_eth", "volume_usd", "tickets"],
      series.map((s) => [s.period, s.volumeEth, s.volumeUsd, s.tickets]),
    );
  }
  return jsonResponse({ ...row, window30d: thirtyDayWindow(state.latestDay), from: range.from, to: range.to, series, totals, asOf: asOf(state) });
});
