// GET /api/fees/gateways?from=&to=[&format=csv]: fees by gateway over a range.
import { feesByGateway, feeTotals } from "~/lib/fees.server";
import { dbFrom } from "~/lib/context.server";
import { apiLoader, csvResponse, jsonResponse, wantsCsv } from "~/lib/http.server";
import { asOf, getIndexState } from "~/lib/index-state.server";
import { DEFAULT_RANGE_DAYS, parseRange } from "~/lib/params.server";

export const loader = apiLoader(async ({ request, context }) => {
  const db = dbFrom(context);
  const url = new URL(request.url);
  const csv = wantsCsv(url);
  const state = await getIndexState(db);
  const range = parseRange(url, { latestDay: state.latestDay, defaultDays: DEFAULT_RANGE_DAYS });
  const rows = await feesByGateway(db, range);
  if (csv) {
    return csvResponse(
      `fees-by-gateway-${range.from}_${range.to}.csv`,
      ["gateway", "tag", "label", "share_pct", "tickets", "volume_eth", "volume_usd"],
      rows.map((r) => [r.address, r.tag, r.label, r.sharePct, r.tickets, r.volumeEth, r.volumeUsd]),
    );
  }
  const totals = await feeTotals(db, range);
  return jsonResponse({ from: range.from, to: range.to, rows, totals, asOf: asOf(state) });
});
