// Sort keys of the orchestrators table, shared by the loader (which sorts) and the page (header links).
// Each key says how its values compare: text, exact decimal strings, plain numbers, or booleans.
export const ORCHESTRATOR_SORTS = {
  address: "text",
  serviceUri: "text",
  active: "boolean",
  totalStake: "decimal",
  feeSharePct: "number",
  rewardCutPct: "number",
  feesEth30d: "decimal",
  feesEthTotal: "decimal",
  jobs: "number",
  successRate: "number",
  latencyP50: "number",
  latencyP95: "number",
  latencyP99: "number",
  latencySamples: "number",
  expectedFeesEth: "decimal",
  usdPerVideoSecond: "decimal",
  gpuCount: "number",
  livePrice: "decimal",
  probeScore: "number",
  probeSuccessRate: "number",
  probeRoundTripP95: "number",
} as const;
export type OrchestratorSort = keyof typeof ORCHESTRATOR_SORTS;
export type SortDir = "asc" | "desc";
const ASC_FIRST: readonly OrchestratorSort[] = ["address", "serviceUri", "latencyP50", "latencyP95", "latencyP99", "usdPerVideoSecond", "livePrice", "probeRoundTripP95"];

/** Text columns sort A-Z first, latency fastest first and prices cheapest first; other numbers largest first. */
export const defaultDir = (s: OrchestratorSort): SortDir => (ASC_FIRST.includes(s) ? "asc" : "desc");
