// GET /api/subsidy?from&to: the subsidy ledger of every gateway tagged `subsidized`
// (app/lib/programs.server.ts), exactly
// {"gateways":[{"address","label","fundedEth","spentEth","withdrawnEth","balanceEth","subgraphBalanceEth",
//   "burnEthPerDay":{"d7","d30"},"runwayDays":{"d7","d30"},"budgetEth",
//   "series":[{"day","fundedEth","spentEth","withdrawnEth","balanceEth"}]}]}
// plus the usual top-level provenance. from/to: UTC days, default the 180 days up to the latest
// indexed day. funded/spent/withdrawn are sums over from..to, balanceEth the ledger's deposit +
// reserve at the end of `to`, subgraphBalanceEth the subgraph's Broadcaster.deposit + reserve at the
// last indexed block (their difference and its cause: /programs and decision 015). Burn rates are the
// spending of the 7 and 30 days ending `to`, per day; runway is balanceEth over them (null: no burn).
// Amounts are decimal strings of ETH. ?format=csv: the ledger, one row per gateway and day
// (address, label, day, funded_eth, spent_eth, withdrawn_eth, balance_eth).
import { provenance } from "~/lib/download-provenance.server";
import { dbFrom } from "~/lib/context.server";
import { apiLoader, csvResponse, jsonResponse, wantsCsv } from "~/lib/http.server";
import { getIndexState } from "~/lib/index-state.server";
import { parseRange } from "~/lib/params.server";
import { loadSubsidy, SUBSIDY_DEFAULT_DAYS } from "~/lib/programs.server";

export const loader = apiLoader(async ({ request, context }) => {
  const db = dbFrom(context);
  const url = new URL(request.url);
  const state = await getIndexState(db);
  const range = parseRange(url, { latestDay: state.latestDay, defaultDays: SUBSIDY_DEFAULT_DAYS });
  const { gateways } = await loadSubsidy(db, range);
  if (wantsCsv(url))
    return csvResponse(
      `subsidy-${range.from}_${range.to}.csv`,
      ["address", "label", "day", "funded_eth", "spent_eth", "withdrawn_eth", "balance_eth"],
      gateways.flatMap((g) => g.series.map((s) => [g.address, g.label, s.day, s.fundedEth, s.spentEth, s.withdrawnEth, s.balanceEth])),
    );
  return jsonResponse({
    gateways,
    provenance: provenance(url, { source: "subgraph", name: `subsidy-${range.from}_${range.to}`, range, state }),
  });
});
