// GET /api/fees/orchestrators?from=&to=[&format=csv]: fees by orchestrator over a range.
import { feeBreakdownLoader } from "~/lib/fee-breakdown.server";
import { feesByOrchestrator } from "../../db/queries/fees";

export const loader = feeBreakdownLoader({
  name: "fees-by-orchestrator",
  query: feesByOrchestrator,
  csvHeader: ["orchestrator", "service_uri", "share_pct", "tickets", "volume_eth", "volume_usd"],
  csvRow: (r) => [r.address, r.serviceUri, r.sharePct, r.tickets, r.volumeEth, r.volumeUsd],
});
