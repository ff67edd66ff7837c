// GET /api/orchestrators?sort=&dir=[&format=csv]
import { dbFrom } from "~/lib/context.server";
import { apiLoader, csvResponse, jsonResponse, wantsCsv } from "~/lib/http.server";
import { asOf, getIndexState } from "~/lib/index-state.server";
import { listOrchestrators, parseSort, thirtyDayWindow } from "~/lib/orchestrators.server";

export const loader = apiLoader(async ({ request, context }) => {
  const db = dbFrom(context);
  const url = new URL(request.url);
  const csv = wantsCsv(url);
  const { sort, dir } = parseSort(url);
  const state = await getIndexState(db);
  const rows = await listOrchestrators(db, { latestDay: state.latestDay, sort, dir });
  const window30d = thirtyDayWindow(state.latestDay);
  if (csv) {
    return csvResponse(
      `orchestrators-fees30d-${window30d.from}_${window30d.to}.csv`,
      ["address", "service_uri", "active", "status", "total_stake", "fee_share_pct", "reward_cut_pct", "fees_eth_30d", "fees_eth_total"],
      rows.map((r) => [r.address, r.serviceUri, r.active, r.status, r.totalStake, r.feeSharePct, r.rewardCutPct, r.feesEth30d, r.feesEthTotal]),
    );
  }
  return jsonResponse({ sort, dir, window30d, rows, asOf: asOf(state) });
});
