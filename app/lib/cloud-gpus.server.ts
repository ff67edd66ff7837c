// The cloud comparison by GPU (/cloud's "By GPU" section and GET /api/cloud/gpus): for every GPU
// model in the capabilities in force at `at` (default: the newest poll), what renting it costs per
// hour (catalogue GPU-time offers) against what its orchestrators charge per hour of live video,
// advertised (exact wei per pixel x 27,648,000 x 3600 / 1e18, at the subgraph's USD/ETH of the
// poll's day, nearest day with one) and realized over the page's window (gateway payments: sum of
// fees over sum of billable seconds, each payment day at its own rate). Reads
// db/queries/gpu-offers.ts (capabilities), db/queries/live.ts (payments, one query grouped by
// orchestrator) and db/queries/cost.ts (catalogue, rates); core/cost/by-gpu.ts does the rest.
import type { Db, Querier } from "../../db/client";
import { compareByGpu, type ByGpuResult, type GpuComparison, type Rental } from "../../core/cost/by-gpu";
import { indexRates } from "../../core/cost/usd-rates";
import { fmt } from "../../core/units";
import { dayRates, storedCatalogue, type CatalogueMeta, type StoredCatalogue } from "../../db/queries/cost";
import { capabilitiesAsOf, gpuSlotsAt, liveModelsAt } from "../../db/queries/gpu-offers";
import { livePayments } from "../../db/queries/live";
import { addDays, daysBetween } from "./dates";
import { getIndexState } from "./index-state.server";
import { jobsLatestDay } from "./jobs.server";
import { parseAt, type AtQuery } from "./network.server";
import { DEFAULT_RANGE_DAYS, parseRange, type DayRange } from "./params.server";

export type { GpuComparison, Rental };

/** Where the figures come from (the API's provenance). */
export const CLOUD_GPUS_SOURCE =
  "gateway /getNetworkCapabilities (GPUs, advertised prices), gateway events (live payments), subgraph daily ETH/USD and the price catalogue (indexer/data) via Observatory";

export interface CloudGpus extends ByGpuResult {
  /** Window of the realized prices (the page's range). */
  range: DayRange;
  /** As asked (`at`), and the capabilities poll the GPUs and advertised prices are from (null: never polled). */
  at: string | null;
  asOf: string | null;
  /** The rate converting advertised prices: the day asked (of `at`, else of asOf) and the day whose rate was used. */
  usdRate: { date: string; rateDate: string; usdPerEth: string } | null;
  /** The price catalogue loaded (null: the prices source never ran). */
  catalogue: CatalogueMeta | null;
}

/** "2026-12-07T12:00:00.000000Z" -> "2026-12-07T12:00:00.000Z" when the microseconds are zero. */
const isoOut = (us: string | null): string | null => (us === null ? null : us.replace(/(\.\d{3})000Z$/, "$1Z"));

/** Every GPU model of the capabilities at `at` against the catalogue, realized prices over `range`. */
export async function cloudGpus(q: Querier, opts: { range: DayRange; at: AtQuery }, known: { catalogue?: StoredCatalogue } = {}): Promise<CloudGpus> {
  const asOf = await capabilitiesAsOf(q, opts.at.until);
  const [rates, catalogue] = await Promise.all([dayRates(q), known.catalogue ?? storedCatalogue(q)]);
  const index = indexRates(rates);
  const base = { range: opts.range, at: opts.at.at, asOf: isoOut(asOf), catalogue: catalogue.meta };
  if (asOf === null) {
    return { ...base, usdRate: null, gpus: [], liveOffersWithoutGpu: 0, unattributed: emptyUnattributed() };
  }
  const rateDay = opts.at.day ?? asOf.slice(0, 10);
  const rate = index.lookup(rateDay);
  // USD per ETH of each day of the window (nearest day with one), as /live converts payments.
  const usdPerEth = Array.from({ length: daysBetween(opts.range.from, opts.range.to) }, (_, i) => {
    const day = addDays(opts.range.from, i);
    const r = index.lookup(day);
    return { day, rate: r ? fmt(r.exact) : null };
  });
  const [gpus, liveModels, payments] = await Promise.all([
    gpuSlotsAt(q, asOf),
    liveModelsAt(q, asOf),
    livePayments(q, { from: opts.range.from, to: opts.range.to, modelId: null }, usdPerEth),
  ]);
  const result = compareByGpu({
    gpus,
    liveModels,
    payments: payments.flatMap((p) => (p.orchestrator === null ? [] : [{ orchestrator: p.orchestrator, payments: p.payments, feeWei: p.feeWei, billableSecs: p.billableSecs, usdWei: p.usdWei }])),
    prices: catalogue.prices,
    usdPerEth: rate ? fmt(rate.exact, 80) : null,
  });
  return { ...base, usdRate: rate ? { date: rateDay, rateDate: rate.rateDate, usdPerEth: rate.usdPerEth } : null, ...result };
}

function emptyUnattributed(): ByGpuResult["unattributed"] {
  const none = { orchestrators: 0, payments: 0, billableSeconds: "0" };
  return { mixed: { ...none }, unknown: { ...none } };
}

/**
 * GET /api/cloud/gpus and /cloud: `from`/`to` (the realized window; default, as /cloud, the 90 days
 * ending at the latest day with data) and `at` (the capabilities instant; default the newest poll).
 * A caller that already parsed the range (the /cloud loader) passes it.
 */
export async function loadCloudGpus(db: Db, url: URL, range?: DayRange) {
  const state = await getIndexState(db);
  const window = range ?? parseRange(url, { latestDay: await jobsLatestDay(db, state), defaultDays: DEFAULT_RANGE_DAYS });
  const gpus = await cloudGpus(db, { range: window, at: parseAt(url) });
  return { state, gpus };
}
