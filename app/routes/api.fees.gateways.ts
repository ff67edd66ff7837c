// GET /api/fees/gateways?from=&to=[&format=csv]: fees by gateway over a range.
import { feeBreakdownLoader } from "~/lib/fee-breakdown.server";
import { feesByGateway } from "../../db/queries/fees";

export const loader = feeBreakdownLoader({
  name: "fees-by-gateway",
  query: feesByGateway,
  csvHeader: ["gateway", "tag", "label", "share_pct", "tickets", "volume_eth", "volume_usd"],
  csvRow: (r) => [r.address, r.tag, r.label, r.sharePct, r.tickets, r.volumeEth, r.volumeUsd],
});
