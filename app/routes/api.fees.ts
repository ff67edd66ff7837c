// GET /api/fees?interval=day|week|month&from=&to=&view=period|cumulative[&format=csv]
import { feesByPeriod } from "../../db/queries/fees";
import { provenance } from "~/lib/download-provenance.server";
import { dbFrom } from "~/lib/context.server";
import { apiLoader, csvResponse, jsonResponse, wantsCsv } from "~/lib/http.server";
import { asOf, getIndexState } from "~/lib/index-state.server";
import { DEFAULT_RANGE_DAYS, parseChoice, parseInterval, parseRange } from "~/lib/params.server";

export const loader = apiLoader(async ({ request, context }) => {
  const db = dbFrom(context);
  const url = new URL(request.url);
  const csv = wantsCsv(url);
  const interval = parseInterval(url);
  const view = parseChoice(url, "view", ["period", "cumulative"] as const, "period");
  const state = await getIndexState(db);
  const range = parseRange(url, { latestDay: state.latestDay, defaultDays: DEFAULT_RANGE_DAYS });
  const cumulative = view === "cumulative";
  const { rows, totals } = await feesByPeriod(db, { ...range, interval, cumulative });
  const name = `fees-${interval}${cumulative ? "-cumulative" : ""}-${range.from}_${range.to}`;
  if (csv) {
    const header = ["period", "volume_eth", "volume_usd", "tickets", "subsidized_eth", "organic_eth", "subsidized_usd", "organic_usd"];
    if (cumulative) header.push("cumulative_volume_eth", "cumulative_volume_usd", "cumulative_tickets", "cumulative_subsidized_eth", "cumulative_organic_eth");
    return csvResponse(
      `${name}.csv`,
      header,
      rows.map((r) => {
        const cells = [r.period, r.volumeEth, r.volumeUsd, r.tickets, r.split.subsidizedEth, r.split.organicEth, r.split.subsidizedUsd, r.split.organicUsd];
        const c = r.cumulative;
        if (c) cells.push(c.volumeEth, c.volumeUsd, c.tickets, c.split.subsidizedEth, c.split.organicEth);
        return cells;
      }),
    );
  }
  return jsonResponse({
    interval, from: range.from, to: range.to, view, rows, totals, asOf: asOf(state),
    provenance: provenance(url, { source: "subgraph", name, range, state }),
  });
});
