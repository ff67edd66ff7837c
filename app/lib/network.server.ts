// The network as orchestrators advertise it (/network, GET /api/network and
// /api/network/orchestrators), from the capability history (db/queries/network.ts) at an instant:
// `at` (an ISO instant, or a UTC day meaning its end; default: the newest poll). Figures are the
// state at the newest poll at or before `at` (`asOf`). Prices are exact: pricePerUnit /
// pixelsPerUnit wei per unit as BigInt rationals, min / median / max over the nodes' priced offers
// (median of an even count: the mean of the two middle offers). Live video is billed as 1280 x 720
// x 30 = 27,648,000 pixels per second of video (docs/gateway-events.md section 5), so wei per pixel
// x 27,648,000 / 1e18 x USD per ETH (the subgraph's rate of the day of `at`, else the nearest day's)
// is USD per second of video.
import type { Querier } from "../../db/client";
import { indexRates } from "../../core/cost/usd-rates";
import { fmt, ratio, ratioToDecimal, toDec, WEI_PER_ETH, type Dec, type Ratio } from "../../core/units";
import { dayRates } from "../../db/queries/cost";
import {
  gpusByName,
  LIVE_VIDEO_PIPELINE,
  networkCounts,
  networkHistory,
  nodesAt,
  pipelineModels,
  pollSpan,
  type NodeDetail,
} from "../../db/queries/network";
import { dayNumber } from "./dates";
import { badRequest } from "./http.server";
import { param } from "./params.server";

export { LIVE_VIDEO_PIPELINE };

/** Pixels of one second of live video as billed: 1280 x 720 x 30. */
export const LIVE_PIXELS_PER_SECOND = 27_648_000n;
/** Days of history behind the chart, ending at asOf. */
export const HISTORY_DAYS = 365;

// ---------------------------------------------------------------------------------------------
// The request

export interface AtQuery {
  /** As asked, normalised (an instant, or a day); null: the newest poll. */
  at: string | null;
  /** The instant the figures are for, inclusive, for SQL (a day: its last microsecond); null: newest. */
  until: string | null;
  /** UTC day of `at`, for the USD rate; null when `at` is absent. */
  day: string | null;
}

const DAY = /^(\d{4}-\d{2}-\d{2})$/;
// A space stands for "+" (an unencoded "+" in a query string arrives as a space).
const INSTANT = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?(Z|z|[+\- ]\d{2}:?\d{2})?$/;

const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}...` : s);

/** `at`: an ISO instant (UTC unless it has an offset) or a UTC day YYYY-MM-DD (its end). 400 otherwise. */
export function parseAt(url: URL): AtQuery {
  const v = param(url, "at");
  if (v === null) return { at: null, until: null, day: null };
  const usage = `(use an ISO instant such as 2026-12-07T12:00:00Z, or a UTC day YYYY-MM-DD)`;
  const d = DAY.exec(v);
  if (d) {
    if (dayNumber(d[1]) === null) throw badRequest(`impossible date at=${d[1]}`);
    return { at: d[1], until: `${d[1]}T23:59:59.999999Z`, day: d[1] };
  }
  const m = INSTANT.exec(v);
  if (!m) throw badRequest(`malformed at="${clip(v)}" ${usage}`);
  const [, day, hh, mm, ss = "00", frac = "", zoneRaw] = m;
  if (dayNumber(day) === null) throw badRequest(`impossible date in at="${clip(v)}"`);
  if (Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) throw badRequest(`impossible time in at="${clip(v)}"`);
  let zone = "Z";
  if (zoneRaw && !/^z$/i.test(zoneRaw)) {
    const z = /^([+\- ])(\d{2}):?(\d{2})$/.exec(zoneRaw)!;
    if (Number(z[2]) > 14 || Number(z[3]) > 59) throw badRequest(`impossible UTC offset in at="${clip(v)}"`);
    zone = `${z[1] === "-" ? "-" : "+"}${z[2]}:${z[3]}`;
  }
  const instant = `${day}T${hh}:${mm}:${ss}${frac}${zone}`;
  const ms = Date.parse(`${day}T${hh}:${mm}:${ss}${frac.slice(0, 4)}${zone}`);
  if (!Number.isFinite(ms)) throw badRequest(`malformed at="${clip(v)}" ${usage}`);
  return { at: instant, until: instant, day: new Date(ms).toISOString().slice(0, 10) };
}

/** The CSV table of GET /api/network: pipelines (default), gpus or history. */
export const NETWORK_TABLES = ["pipelines", "gpus", "history"] as const;
export type NetworkTable = (typeof NETWORK_TABLES)[number];

// ---------------------------------------------------------------------------------------------
// Exact prices

/** min, median and max; all null without offers. */
export interface Stats {
  min: string | null;
  median: string | null;
  max: string | null;
}

const NO_STATS: Stats = { min: null, median: null, max: null };

/** "pricePerUnit/pixelsPerUnit" (integers) as an exact rational. */
export function offerRatio(offer: string): Ratio {
  const [p, u] = offer.split("/");
  return ratio(BigInt(p), BigInt(u ?? "1"));
}

const cmpRatio = (a: Ratio, b: Ratio) => {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
};

/** Exact min, median (even count: mean of the two middle values) and max of rationals; null when empty. */
export function ratioStats(values: Ratio[]): { min: Ratio; median: Ratio; max: Ratio } | null {
  if (!values.length) return null;
  const s = [...values].sort(cmpRatio);
  const n = s.length;
  const mid = n >> 1;
  const median =
    n % 2 ? s[mid] : ratio(s[mid - 1].num * s[mid].den + s[mid].num * s[mid - 1].den, 2n * s[mid - 1].den * s[mid].den);
  return { min: s[0], median, max: s[n - 1] };
}

function mapStats(st: { min: Ratio; median: Ratio; max: Ratio } | null, f: (r: Ratio) => string): Stats {
  return st ? { min: f(st.min), median: f(st.median), max: f(st.max) } : NO_STATS;
}

const weiPerSecond = (r: Ratio) => ratio(r.num * LIVE_PIXELS_PER_SECOND, r.den);
const ethPerSecond = (r: Ratio) => ratioToDecimal(ratio(r.num * LIVE_PIXELS_PER_SECOND, r.den * WEI_PER_ETH));

/** USD of live video per `seconds` at a wei-per-pixel price and a USD/ETH rate. */
function usdOf(r: Ratio, usdPerEth: Dec, seconds = 1): string {
  return fmt(toDec(weiPerSecond(r)).times(seconds).div(WEI_PER_ETH.toString()).times(usdPerEth));
}

/** GPU memory as makers count it: whole GiB (2^30 bytes), so 25,757,220,864 bytes is 24. */
export const memoryGb = (bytes: number | null): number | null => (bytes === null ? null : Math.round(bytes / 2 ** 30));

/** "Z" instants to the millisecond when the microseconds are zero (asOf as the API shows it). */
const isoOut = (us: string | null): string | null => (us === null ? null : us.replace(/(\.\d{3})000Z$/, "$1Z"));

// ---------------------------------------------------------------------------------------------
// GET /api/network and /network

export interface UsdRateUsed {
  /** The day asked for (the day of `at`, else of asOf) and the day whose rate was used. */
  date: string;
  rateDate: string;
  usdPerEth: string;
}

export interface PipelineFigures {
  pipeline: string;
  modelId: string;
  orchestrators: number;
  nodes: number;
  gpus: number;
  warm: number;
  capacity: number;
  capacityInUse: number;
  /** Nodes with a price for it (the median is over these). */
  pricedOffers: number;
  /** "pixel" for live video (docs/gateway-events.md section 5); null where the unit is not documented. */
  unit: string | null;
  priceWeiPerUnit: Stats;
  /** Live video only (else null): exact ETH, and USD at the rate of the day. */
  ethPerVideoSecond: Stats | null;
  usdPerVideoSecond: Stats | null;
  usdPerVideoHour: Stats | null;
}

export interface HistoryPoint {
  day: string;
  /** The day's last poll. */
  at: string;
  orchestrators: number;
  gpus: number;
  /** Live video offers of every model, wei per pixel. */
  livePriceWeiPerPixel: Stats;
  liveOffers: number;
  /** At that day's rate (nearest day's); null without a rate or offers. */
  liveUsdPerVideoHour: Stats | null;
}

export interface NetworkAnswer {
  at: string | null;
  asOf: string | null;
  polls: { count: number; first: string | null; latest: string | null };
  orchestrators: number;
  nodes: number;
  aiOrchestrators: number;
  gpuTotal: number;
  gpus: { name: string; count: number; memoryGb: number | null; memoryBytes: number | null }[];
  pipelines: PipelineFigures[];
  usdRate: UsdRateUsed | null;
  history: HistoryPoint[];
}

export async function loadNetwork(q: Querier, query: AtQuery, opts: { history?: boolean } = {}): Promise<NetworkAnswer> {
  const span = await pollSpan(q, query.until);
  const base: NetworkAnswer = {
    at: query.at,
    asOf: isoOut(span.asOf),
    polls: { count: span.polls, first: isoOut(span.firstAt), latest: isoOut(span.latestAt) },
    orchestrators: 0,
    nodes: 0,
    aiOrchestrators: 0,
    gpuTotal: 0,
    gpus: [],
    pipelines: [],
    usdRate: null,
    history: [],
  };
  if (span.asOf === null) return base;
  const asOf = span.asOf;
  const [counts, gpus, models, rates, history] = await Promise.all([
    networkCounts(q, asOf),
    gpusByName(q, asOf),
    pipelineModels(q, asOf),
    dayRates(q),
    opts.history === false ? Promise.resolve([]) : networkHistory(q, asOf, HISTORY_DAYS),
  ]);
  const index = indexRates(rates);
  const rateDay = query.day ?? asOf.slice(0, 10);
  const rate = index.lookup(rateDay);
  const pipelines = models.map((m): PipelineFigures => {
    const st = ratioStats(m.offers.map(offerRatio));
    const live = m.pipeline === LIVE_VIDEO_PIPELINE;
    return {
      pipeline: m.pipeline,
      modelId: m.modelId,
      orchestrators: m.orchestrators,
      nodes: m.nodes,
      gpus: m.gpus,
      warm: m.warm,
      capacity: m.capacity,
      capacityInUse: m.capacityInUse,
      pricedOffers: m.offers.length,
      unit: live ? "pixel" : null,
      priceWeiPerUnit: mapStats(st, (r) => ratioToDecimal(r)),
      ethPerVideoSecond: live && st ? mapStats(st, ethPerSecond) : null,
      usdPerVideoSecond: live && st && rate ? mapStats(st, (r) => usdOf(r, rate.exact)) : null,
      usdPerVideoHour: live && st && rate ? mapStats(st, (r) => usdOf(r, rate.exact, 3600)) : null,
    };
  });
  return {
    ...base,
    orchestrators: counts.orchestrators,
    nodes: counts.nodes,
    aiOrchestrators: counts.aiOrchestrators,
    gpuTotal: counts.gpus,
    gpus: gpus.map((g) => ({ name: g.name, count: g.count, memoryGb: memoryGb(g.memoryBytes), memoryBytes: g.memoryBytes })),
    pipelines,
    usdRate: rate ? { date: rateDay, rateDate: rate.rateDate, usdPerEth: rate.usdPerEth } : null,
    history: history.map((h) => {
      const st = ratioStats(h.liveOffers.map(offerRatio));
      const r = st ? index.lookup(h.day) : null;
      return {
        day: h.day,
        at: isoOut(h.at)!,
        orchestrators: h.orchestrators,
        gpus: h.gpus,
        livePriceWeiPerPixel: mapStats(st, (x) => ratioToDecimal(x)),
        liveOffers: h.liveOffers.length,
        liveUsdPerVideoHour: st && r ? mapStats(st, (x) => usdOf(x, r.exact, 3600)) : null,
      };
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// GET /api/network/orchestrators

export interface NodeAnswer {
  address: string;
  hotWallet: string | null;
  url: string | null;
  version: string | null;
  since: string;
  lastSeenAt: string;
  gpus: { id: string; name: string; memoryGb: number | null; memoryBytes: number | null }[];
  models: {
    pipeline: string;
    modelId: string;
    /** pricePerUnit / pixelsPerUnit, exact (null: not priced). */
    priceWeiPerUnit: string | null;
    pricePerUnit: string | null;
    pixelsPerUnit: string | null;
    warm: boolean | null;
    capacity: number | null;
    capacityInUse: number | null;
  }[];
}

export async function loadNetworkNodes(q: Querier, query: AtQuery): Promise<{ at: string | null; asOf: string | null; orchestrators: NodeAnswer[] }> {
  const span = await pollSpan(q, query.until);
  if (span.asOf === null) return { at: query.at, asOf: null, orchestrators: [] };
  const nodes = await nodesAt(q, span.asOf);
  return { at: query.at, asOf: isoOut(span.asOf), orchestrators: nodes.map(nodeAnswer) };
}

function nodeAnswer(n: NodeDetail): NodeAnswer {
  return {
    address: n.address,
    hotWallet: n.hotWallet,
    url: n.url,
    version: n.version,
    since: isoOut(n.since)!,
    lastSeenAt: isoOut(n.lastSeenAt)!,
    gpus: n.gpus.map((g) => ({ id: g.id, name: g.name, memoryGb: memoryGb(g.memoryBytes), memoryBytes: g.memoryBytes })),
    models: n.models.map((m) => ({
      pipeline: m.pipeline,
      modelId: m.modelId,
      priceWeiPerUnit: m.pricePerUnit === null ? null : ratioToDecimal(offerRatio(`${m.pricePerUnit}/${m.pixelsPerUnit ?? "1"}`)),
      pricePerUnit: m.pricePerUnit,
      pixelsPerUnit: m.pixelsPerUnit,
      warm: m.warm,
      capacity: m.capacity,
      capacityInUse: m.capacityInUse,
    })),
  };
}
