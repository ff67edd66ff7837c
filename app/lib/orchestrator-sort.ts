// Sort keys of the orchestrators table, shared by the loader (SQL column map) and the page (header links).
export const ORCHESTRATOR_SORTS = {
  address: "address",
  serviceUri: "service_uri",
  active: "active",
  totalStake: "total_stake",
  feeSharePct: "fee_share",
  rewardCutPct: "reward_cut",
  feesEth30d: "fees_30d",
  feesEthTotal: "fees_total",
} as const;
export type OrchestratorSort = keyof typeof ORCHESTRATOR_SORTS;
export type SortDir = "asc" | "desc";
const TEXT_SORTS: readonly OrchestratorSort[] = ["address", "serviceUri"];

/** Text columns sort A-Z first; numbers largest first. */
export const defaultDir = (s: OrchestratorSort): SortDir => (TEXT_SORTS.includes(s) ? "asc" : "desc");
