// What orchestrators advertise to gateways, per orchestrator, from the capability history
// (db/queries/network.ts, fed by GATEWAY_CAPABILITIES_URL polls and `network_capabilities` events):
// for the orchestrators table, each one's GPUs and its live video price at the newest poll; for one
// orchestrator's page and API, its GPUs per pipeline and model, every model each of its nodes
// offers with the exact price, warm state and capacity, and the history of its prices.
//
// Prices are exact (pricePerUnit / pixelsPerUnit wei per unit, BigInt rationals). Live video is
// billed as 1280 x 720 x 30 = 27,648,000 pixels per second (app/lib/network.server.ts), so USD per
// hour of video = wei per pixel x 27,648,000 x 3600 / 1e18 x USD per ETH, at the subgraph's rate of
// the poll's day (a price period: of its first day), else the nearest day's.
import type { Querier } from "../../db/client";
import { indexRates, type RateIndex } from "../../core/cost/usd-rates";
import { fmt, ratio, ratioToDecimal, toDec, WEI_PER_ETH, type Dec, type Ratio } from "../../core/units";
import { dayRates } from "../../db/queries/cost";
import { addressesAt, liveOffersByAddress, nodesAt, orchestratorGpus, pollSpan, priceHistory as priceHistoryOf, type OrchestratorGpuRow } from "../../db/queries/network";
import { LIVE_PIXELS_PER_SECOND, LIVE_VIDEO_PIPELINE, memoryGb, offerRatio, ratioStats } from "./network.server";

/** GPUs of one name: how many distinct GPU ids, and their memory (GiB as makers count it, and bytes). */
export interface GpuCount {
  name: string;
  count: number;
  memoryGb: number | null;
  memoryBytes: number | null;
}

/** An orchestrator's advertised live video price: the chosen model's, else its lowest offer. */
export interface LivePrice {
  modelId: string;
  /** Exact wei per pixel (the lowest of its nodes' offers for that model). */
  weiPerPixel: string;
  /** USD per hour of 1280x720x30 video at the poll day's rate; null without a rate. */
  usdPerVideoHour: string | null;
  /** Live video models it prices. */
  models: number;
}

export interface UsdRateUsed {
  date: string;
  rateDate: string;
  usdPerEth: string;
}

/** The columns the table adds from the capabilities. */
export interface AdvertisedColumns {
  /** GPUs by name (distinct GPU ids over its nodes), most first; empty when it advertises none. */
  gpus: GpuCount[];
  /** Distinct GPUs; null when the newest poll does not list the orchestrator (or there is no poll). */
  gpuCount: number | null;
  livePrice: LivePrice | null;
}

/** GPUs as one CSV cell: "4 x NVIDIA GeForce RTX 5090; 1 x NVIDIA GeForce RTX 4090". */
export const gpuCell = (gpus: GpuCount[]) => gpus.map((g) => `${g.count} x ${g.name}`).join("; ");

export const NOT_ADVERTISED: AdvertisedColumns = { gpus: [], gpuCount: null, livePrice: null };

export interface AdvertisedIndex {
  /** The newest poll (ms ISO, UTC); null: capabilities were never polled. */
  asOf: string | null;
  usdRate: UsdRateUsed | null;
  byAddress: Map<string, AdvertisedColumns>;
}

/** "Z" instants to the millisecond when the microseconds are zero (as /api/network shows them). */
const isoOut = (us: string): string => us.replace(/(\.\d{3})000Z$/, "$1Z");

const HOUR_PIXELS = LIVE_PIXELS_PER_SECOND * 3600n;

/** USD per `pixels` at an exact wei-per-pixel price and a rate of the day. */
function usdOf(weiPerPixel: Ratio, rate: { exact: Dec }, pixels: bigint): string {
  return fmt(toDec(ratio(weiPerPixel.num * pixels, weiPerPixel.den * WEI_PER_ETH)).times(rate.exact));
}

/** GPU rows (one per GPU id and pipeline/model) to counts by name over distinct GPU ids. */
export function gpusByName(rows: Pick<OrchestratorGpuRow, "gpuId" | "name" | "memoryBytes">[]): GpuCount[] {
  const byId = new Map<string, { name: string; memoryBytes: number | null }>();
  for (const r of rows) {
    const g = byId.get(r.gpuId);
    if (!g) byId.set(r.gpuId, { name: r.name, memoryBytes: r.memoryBytes });
    else {
      if (r.name < g.name) g.name = r.name;
      if (r.memoryBytes !== null && (g.memoryBytes === null || r.memoryBytes > g.memoryBytes)) g.memoryBytes = r.memoryBytes;
    }
  }
  const byName = new Map<string, GpuCount>();
  for (const g of byId.values()) {
    const c = byName.get(g.name) ?? { name: g.name, count: 0, memoryGb: null, memoryBytes: null };
    c.count++;
    if (g.memoryBytes !== null && (c.memoryBytes === null || g.memoryBytes > c.memoryBytes)) c.memoryBytes = g.memoryBytes;
    c.memoryGb = memoryGb(c.memoryBytes);
    byName.set(g.name, c);
  }
  return [...byName.values()].sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));
}

async function newestPoll(q: Querier): Promise<{ asOf: string | null; rates: RateIndex; usdRate: UsdRateUsed | null }> {
  const [span, rates] = await Promise.all([pollSpan(q, null), dayRates(q)]);
  const index = indexRates(rates);
  if (span.asOf === null) return { asOf: null, rates: index, usdRate: null };
  const day = span.asOf.slice(0, 10);
  const r = index.lookup(day);
  return { asOf: span.asOf, rates: index, usdRate: r ? { date: day, rateDate: r.rateDate, usdPerEth: r.usdPerEth } : null };
}

/**
 * Every orchestrator's GPUs and live video price at the newest poll. `preferModel`: the live video
 * model whose price to show where an orchestrator offers it (the table's chosen model); else its lowest.
 */
export async function advertisedIndex(q: Querier, preferModel: string | null = null): Promise<AdvertisedIndex> {
  const poll = await newestPoll(q);
  const byAddress = new Map<string, AdvertisedColumns>();
  if (poll.asOf === null) return { asOf: null, usdRate: null, byAddress };
  const [gpus, offers, addresses] = await Promise.all([orchestratorGpus(q, poll.asOf), liveOffersByAddress(q, poll.asOf), addressesAt(q, poll.asOf)]);
  const rate = poll.usdRate ? poll.rates.lookup(poll.usdRate.date) : null;
  for (const a of addresses) byAddress.set(a, { gpus: [], gpuCount: 0, livePrice: null });
  const gpuRows = new Map<string, OrchestratorGpuRow[]>();
  for (const g of gpus) gpuRows.set(g.address, [...(gpuRows.get(g.address) ?? []), g]);
  for (const [address, rows] of gpuRows) {
    const a = byAddress.get(address)!;
    a.gpus = gpusByName(rows);
    a.gpuCount = a.gpus.reduce((n, g) => n + g.count, 0);
  }
  const liveByAddress = new Map<string, Map<string, Ratio[]>>();
  for (const o of offers) {
    const models = liveByAddress.get(o.address) ?? new Map<string, Ratio[]>();
    models.set(o.modelId, [...(models.get(o.modelId) ?? []), offerRatio(o.offer)]);
    liveByAddress.set(o.address, models);
  }
  for (const [address, models] of liveByAddress) {
    const lowest = [...models].map(([modelId, rs]) => ({ modelId, min: ratioStats(rs)!.min }));
    const pick =
      lowest.find((l) => l.modelId === preferModel) ??
      lowest.sort((a, b) => (a.min.num * b.min.den < b.min.num * a.min.den ? -1 : a.min.num * b.min.den > b.min.num * a.min.den ? 1 : a.modelId < b.modelId ? -1 : 1))[0];
    byAddress.get(address)!.livePrice = {
      modelId: pick.modelId,
      weiPerPixel: ratioToDecimal(pick.min),
      usdPerVideoHour: rate ? usdOf(pick.min, rate, HOUR_PIXELS) : null,
      models: models.size,
    };
  }
  return { asOf: isoOut(poll.asOf), usdRate: poll.usdRate, byAddress };
}

// ---------------------------------------------------------------------------------------------
// One orchestrator

export interface AdvertisedModel {
  /** The node (service URL) offering it; null when the node has none. */
  url: string | null;
  pipeline: string;
  modelId: string;
  /** "pixel" for live video; null where the unit is not documented. */
  unit: string | null;
  pricePerUnit: string | null;
  pixelsPerUnit: string | null;
  /** pricePerUnit / pixelsPerUnit wei per unit, exact; null when not priced. */
  priceWeiPerUnit: string | null;
  /** Live video only (else null), at the poll day's rate. */
  usdPerVideoSecond: string | null;
  usdPerVideoHour: string | null;
  warm: boolean | null;
  capacity: number | null;
  capacityInUse: number | null;
}

export interface GpuPerModel extends GpuCount {
  pipeline: string;
  modelId: string;
}

export interface PricePeriod {
  url: string | null;
  pipeline: string;
  modelId: string;
  pricePerUnit: string | null;
  pixelsPerUnit: string | null;
  priceWeiPerUnit: string | null;
  /** Live video only: USD per hour of video at the rate of the period's first day (nearest day's). */
  usdPerVideoHour: string | null;
  rateDate: string | null;
  /** When the price began, and when it changed or the model left (null: in force at the newest poll). */
  from: string;
  to: string | null;
}

/** Price periods kept per node, pipeline and model (the most recent). */
export const PRICE_PERIODS_KEPT = 50;

export interface OrchestratorAdvertised {
  /** The newest poll; null: capabilities were never polled (GATEWAY_CAPABILITIES_URL unset, no events). */
  asOf: string | null;
  /** Whether the newest poll lists this orchestrator. */
  listed: boolean;
  usdRate: UsdRateUsed | null;
  /** Its nodes' URLs at the newest poll. */
  nodes: (string | null)[];
  gpus: GpuPerModel[];
  gpusByName: GpuCount[];
  models: AdvertisedModel[];
  priceHistory: PricePeriod[];
  /** Older price periods left out (PRICE_PERIODS_KEPT per node, pipeline and model). */
  priceHistoryOmitted: number;
}

export async function orchestratorAdvertised(q: Querier, address: string): Promise<OrchestratorAdvertised> {
  const poll = await newestPoll(q);
  const history = await priceHistoryOf(q, address);
  const rate = poll.usdRate ? poll.rates.lookup(poll.usdRate.date) : null;
  const [nodes, gpuRows] = poll.asOf === null ? [[], []] : await Promise.all([nodesAt(q, poll.asOf, address), orchestratorGpus(q, poll.asOf, address)]);
  const perModel = new Map<string, OrchestratorGpuRow[]>();
  for (const g of gpuRows) perModel.set(`${g.pipeline}\t${g.modelId}`, [...(perModel.get(`${g.pipeline}\t${g.modelId}`) ?? []), g]);
  const gpus: GpuPerModel[] = [...perModel].flatMap(([, rows]) => gpusByName(rows).map((c) => ({ pipeline: rows[0].pipeline, modelId: rows[0].modelId, ...c })));
  const models: AdvertisedModel[] = nodes.flatMap((n) =>
    n.models.map((m) => {
      const r = m.pricePerUnit === null ? null : offerRatio(`${m.pricePerUnit}/${m.pixelsPerUnit ?? "1"}`);
      const live = m.pipeline === LIVE_VIDEO_PIPELINE;
      return {
        url: n.url,
        pipeline: m.pipeline,
        modelId: m.modelId,
        unit: live ? "pixel" : null,
        pricePerUnit: m.pricePerUnit,
        pixelsPerUnit: m.pixelsPerUnit,
        priceWeiPerUnit: r ? ratioToDecimal(r) : null,
        usdPerVideoSecond: live && r && rate ? usdOf(r, rate, LIVE_PIXELS_PER_SECOND) : null,
        usdPerVideoHour: live && r && rate ? usdOf(r, rate, HOUR_PIXELS) : null,
        warm: m.warm,
        capacity: m.capacity,
        capacityInUse: m.capacityInUse,
      };
    }),
  );
  models.sort((a, b) => (a.pipeline !== b.pipeline ? (a.pipeline < b.pipeline ? -1 : 1) : a.modelId !== b.modelId ? (a.modelId < b.modelId ? -1 : 1) : (a.url ?? "") < (b.url ?? "") ? -1 : 1));
  // Price periods: the most recent PRICE_PERIODS_KEPT of each series, in USD at their first day's rate.
  const series = new Map<string, typeof history>();
  for (const p of history) {
    const k = `${p.pipeline}\t${p.modelId}\t${p.url ?? ""}`;
    series.set(k, [...(series.get(k) ?? []), p]);
  }
  let omitted = 0;
  const priceHistory: PricePeriod[] = [...series.values()].flatMap((ps) => {
    omitted += Math.max(0, ps.length - PRICE_PERIODS_KEPT);
    return ps.slice(-PRICE_PERIODS_KEPT).map((p) => {
      const r = p.pricePerUnit === null ? null : offerRatio(`${p.pricePerUnit}/${p.pixelsPerUnit ?? "1"}`);
      const dayRate = r && p.pipeline === LIVE_VIDEO_PIPELINE ? poll.rates.lookup(p.from.slice(0, 10)) : null;
      return {
        url: p.url,
        pipeline: p.pipeline,
        modelId: p.modelId,
        pricePerUnit: p.pricePerUnit,
        pixelsPerUnit: p.pixelsPerUnit,
        priceWeiPerUnit: r ? ratioToDecimal(r) : null,
        usdPerVideoHour: r && dayRate ? usdOf(r, dayRate, HOUR_PIXELS) : null,
        rateDate: dayRate ? dayRate.rateDate : null,
        from: isoOut(p.from),
        to: p.to === null ? null : isoOut(p.to),
      };
    });
  });
  return {
    asOf: poll.asOf === null ? null : isoOut(poll.asOf),
    listed: nodes.length > 0,
    usdRate: poll.usdRate,
    nodes: nodes.map((n) => n.url),
    gpus,
    gpusByName: gpusByName(gpuRows),
    models,
    priceHistory,
    priceHistoryOmitted: omitted,
  };
}
