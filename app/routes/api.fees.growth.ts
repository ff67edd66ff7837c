// GET /api/fees/growth?baselineFrom=&baselineTo=&from=&to=[&format=csv]
import { growth } from "../../db/queries/fees";
import { resolveGrowthWindows } from "~/lib/fees.server";
import { provenance } from "~/lib/download-provenance.server";
import { dbFrom } from "~/lib/context.server";
import { apiLoader, csvResponse, jsonResponse, wantsCsv } from "~/lib/http.server";
import { asOf, getIndexState } from "~/lib/index-state.server";

export const loader = apiLoader(async ({ request, context }) => {
  const db = dbFrom(context);
  const url = new URL(request.url);
  const csv = wantsCsv(url);
  const state = await getIndexState(db);
  const windows = await resolveGrowthWindows(db, url, state.latestDay);
  const g = await growth(db, windows);
  if (csv) {
    const { baseline: b, period: p } = g;
    return csvResponse(
      `fee-growth-${b.from}_${b.to}-vs-${p.from}_${p.to}.csv`,
      ["window", "from", "to", "days", "volume_eth", "daily_avg_eth", "subsidized_eth", "organic_eth", "organic_daily_avg_eth", "multiple", "organic_multiple"],
      [
        ["baseline", b.from, b.to, b.days, b.volumeEth, b.dailyAvgEth, b.subsidizedEth, b.organicEth, b.organicDailyAvgEth, null, null],
        ["period", p.from, p.to, p.days, p.volumeEth, p.dailyAvgEth, p.subsidizedEth, p.organicEth, p.organicDailyAvgEth, g.multiple, g.organicMultiple],
      ],
    );
  }
  const name = `fee-growth-${g.baseline.from}_${g.baseline.to}-vs-${g.period.from}_${g.period.to}`;
  return jsonResponse({
    ...g, periodSource: windows.periodSource, asOf: asOf(state),
    provenance: provenance(url, { source: "subgraph", name, range: { from: g.baseline.from, to: g.period.to }, state }),
  });
});
