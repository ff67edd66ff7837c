// GET /api/fees/summary: the overview's KPI cards (last 7 and 30 days vs the previous windows).
import { feeSummary } from "../../db/queries/fees";
import { provenance } from "~/lib/download-provenance.server";
import { dbFrom } from "~/lib/context.server";
import { apiLoader, csvResponse, jsonResponse, wantsCsv } from "~/lib/http.server";
import { asOf, getIndexState } from "~/lib/index-state.server";

export const loader = apiLoader(async ({ request, context }) => {
  const db = dbFrom(context);
  const url = new URL(request.url);
  const csv = wantsCsv(url);
  const state = await getIndexState(db);
  const windows = await feeSummary(db, state.latestDay);
  if (csv) {
    return csvResponse(
      `fee-summary-${windows[windows.length - 1]?.previous.from ?? state.latestDay}_${state.latestDay}.csv`,
      ["days", "from", "to", "volume_eth", "volume_usd", "tickets", "previous_from", "previous_to", "previous_volume_eth", "previous_volume_usd", "previous_tickets", "change_eth_pct", "change_usd_pct", "change_tickets_pct"],
      windows.map((w) => [
        w.days, w.from, w.to, w.volumeEth, w.volumeUsd, w.tickets, w.previous.from, w.previous.to, w.previous.volumeEth,
        w.previous.volumeUsd, w.previous.tickets, w.changePct.volumeEth, w.changePct.volumeUsd, w.changePct.tickets,
      ]),
    );
  }
  const from = windows[windows.length - 1]?.previous.from ?? state.latestDay;
  return jsonResponse({
    latestDay: state.latestDay, windows, asOf: asOf(state),
    provenance: provenance(url, { source: "subgraph", name: `fee-summary-${from}_${state.latestDay}`, range: { from, to: state.latestDay }, state }),
  });
});
