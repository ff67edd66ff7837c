// Cloud comparison by GPU (issue 11): for every GPU model the network reports, what renting that GPU
// costs (the catalogue's GPU-time offers, per hour) against what its orchestrators charge per hour of
// live video, advertised (their price in wei per pixel x 27,648,000 pixels per second x 3600) and
// realized (gateway payments: fees over billable seconds). One live stream per GPU unless the
// capacity advertised says more; then a GPU's rental is shared by its streams. Pure: the rows come
// from db/queries/gpu-offers.ts and db/queries/live.ts, composed by app/lib/cloud-gpus.server.ts.
//
// Exactness: prices and streams are exact rationals; ETH is one exact division; USD uses decimal.js
// at 80 digits and is printed to 50 significant digits. Ratios carry a 3-digit display number.
import { addR, D, divR, exactDecimal, fmt, ratio, ratioToDecimal, toDec, WEI_PER_ETH, ZERO, type Ratio } from "../units";
import { gpuIdentity, memoryGbOfBytes, sameGpuKey, variantDifferences } from "./gpu-names";
import { GPU_TIME_UNITS, OFFER_CLASSES, offerClass, ratioToLivepeer, type OfferClass } from "./offers";
import { LIVE_VIDEO_BILLED_PIXELS_PER_SECOND } from "./pipelines";
import type { OfferRow } from "./compare";

export const LIVE_VIDEO = "live-video-to-video";
/** Billed pixels of one hour of live video: 1280 x 720 x 30 x 3600 = 99,532,800,000. */
export const LIVE_PIXELS_PER_HOUR = LIVE_VIDEO_BILLED_PIXELS_PER_SECOND * 3600n;
export const NO_DATED_PRICE = "no dated price in the catalogue";

// ---------------------------------------------------------------------------------------------
// Inputs

/** One GPU of a node in force, as reported under one pipeline and model (orch_version_gpus). */
export interface GpuSlot {
  /** The node's version id (address and service URL). */
  node: number;
  address: string;
  gpuId: string;
  name: string;
  memoryBytes: number | null;
  pipeline: string;
  modelId: string;
}

/** One live-video-to-video model of a node in force (orch_version_models). */
export interface LiveModel {
  node: number;
  address: string;
  modelId: string;
  /** Integer wei per pixelsPerUnit pixels; null when not priced. */
  pricePerUnit: string | null;
  pixelsPerUnit: string | null;
  capacity: number | null;
  capacityInUse: number | null;
}

/** Live payments of one orchestrator (canonical address, or the name an event carried) over the window. */
export interface OrchestratorPayments {
  orchestrator: string;
  payments: number;
  feeWei: string;
  billableSecs: string;
  /** Sum of fee (wei) x each payment day's USD per ETH, i.e. USD x 1e18; null when a day had no rate. */
  usdWei: string | null;
}

export interface ByGpuInput {
  gpus: readonly GpuSlot[];
  liveModels: readonly LiveModel[];
  payments: readonly OrchestratorPayments[];
  prices: readonly OfferRow[];
  /** USD per ETH for the advertised prices (the subgraph's rate of the capabilities' day); null: none. */
  usdPerEth: string | null;
}

// ---------------------------------------------------------------------------------------------
// Outputs

export interface PriceStats {
  min: string;
  median: string;
  max: string;
}

export interface Rental {
  provider: string;
  offering: string;
  gpu: string | null;
  gpuKey: string;
  class: OfferClass;
  classLabel: string;
  unit: string;
  usdPerUnit: string;
  gpus: number | null;
  /** The offer's price per GPU and hour (an instance price divided by its GPUs). */
  usdPerGpuHour: string;
  /** Per GPU-hour over the streams one GPU carries: the rental behind one hour of live video. */
  usdPerStreamHour: string;
  /** usdPerStreamHour over the advertised median / the realized price per hour: above 1, Livepeer is cheaper. */
  ratioToAdvertised: string | null;
  ratioToAdvertisedDisplay: number | null;
  ratioToRealized: string | null;
  ratioToRealizedDisplay: number | null;
  /** How this offer's GPU differs from the network's where both say (memory, SXM/PCIe/NVL). */
  variantDifferences: string[];
  historical: boolean;
  source: string;
  asOf: string;
  /** The arithmetic in words. */
  basis: string;
}

export interface GpuComparison {
  /** As the network reports it. */
  name: string;
  /** Catalogue key (gpu_key); null: the name is not recognised. */
  gpuKey: string | null;
  label: string;
  memoryGb: number | null;
  orchestrators: number;
  nodes: number;
  gpus: number;
  addresses: string[];
  /** Null when no node serves live video on this GPU. */
  live: {
    orchestrators: number;
    nodes: number;
    gpus: number;
    /** Priced (node, live model) offers: the statistics are over these. */
    offers: number;
    models: string[];
    priceWeiPerPixel: PriceStats | null;
    ethPerVideoHour: PriceStats | null;
    usdPerVideoHour: PriceStats | null;
    /** Streams one GPU carries: 1 unless a node's advertised capacity exceeds its GPUs. */
    streamsPerGpu: string;
    streams: string;
    /** Nodes advertising more streams than GPUs. */
    nodesAboveOnePerGpu: number;
    streamsBasis: string;
  } | null;
  /** Payments to orchestrators whose live GPUs are all of this model; null when none. */
  realized: {
    orchestrators: number;
    payments: number;
    billableSeconds: string;
    feesEth: string;
    ethPerVideoHour: string | null;
    usdPerVideoHour: string | null;
    /** A payment day without any USD rate: USD figures are null. */
    missingRate: boolean;
  } | null;
  rentals: Rental[];
  /** The cheapest current (not historical) rental per stream-hour, else the cheapest historical one. */
  cheapest: Rental | null;
  /** null when there is a dated price; else why there is none ("no dated price in the catalogue ..."). */
  noPrice: string | null;
}

export interface ByGpuResult {
  gpus: GpuComparison[];
  /** Priced live offers of nodes reporting no GPU for that model (in no GPU's figures). */
  liveOffersWithoutGpu: number;
  /** Payments not attributed to one GPU model. */
  unattributed: {
    /** Orchestrators whose live GPUs are of several models. */
    mixed: { orchestrators: number; payments: number; billableSeconds: string };
    /** Orchestrators reporting no live GPU in these capabilities (or not in them at all). */
    unknown: { orchestrators: number; payments: number; billableSeconds: string };
  };
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

const cmpR = (a: Ratio, b: Ratio) => {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
};

/** Exact min, median (even count: the mean of the middle two) and max; null when empty. */
export function exactStats(values: readonly Ratio[]): { min: Ratio; median: Ratio; max: Ratio } | null {
  if (!values.length) return null;
  const s = [...values].sort(cmpR);
  const n = s.length;
  const mid = n >> 1;
  const median = n % 2 ? s[mid] : ratio(s[mid - 1].num * s[mid].den + s[mid].num * s[mid - 1].den, 2n * s[mid - 1].den * s[mid].den);
  return { min: s[0], median, max: s[n - 1] };
}

const mapStats = (st: { min: Ratio; median: Ratio; max: Ratio }, f: (r: Ratio) => string): PriceStats => ({
  min: f(st.min),
  median: f(st.median),
  max: f(st.max),
});

/** ETH per hour of live video at a wei-per-pixel price, exactly. */
export const ethPerVideoHour = (weiPerPixel: Ratio): string =>
  ratioToDecimal(ratio(weiPerPixel.num * LIVE_PIXELS_PER_HOUR, weiPerPixel.den * WEI_PER_ETH));

/** USD per hour of live video: wei per pixel x 27,648,000 x 3600 / 1e18 x USD per ETH. */
export const usdPerVideoHour = (weiPerPixel: Ratio, usdPerEth: string): string =>
  fmt(toDec(ratio(weiPerPixel.num * LIVE_PIXELS_PER_HOUR, weiPerPixel.den)).div(WEI_PER_ETH.toString()).times(usdPerEth));

/** A GPU-time offer's USD per GPU and hour: usd_per_unit / GPUs per instance x 3600 / seconds per unit. */
export function usdPerGpuHour(offer: { unit: string; usdPerUnit: string; gpus?: number | null }): string | null {
  const u = GPU_TIME_UNITS[offer.unit];
  if (!u) return null;
  const gpus = u.perInstance ? offer.gpus : 1;
  if (!gpus || gpus <= 0 || !Number.isInteger(gpus)) return null;
  return fmt(new D(offer.usdPerUnit).times(3600).div(new D(gpus).times(u.secondsPerUnit)));
}

const classLabel = (c: OfferClass) => OFFER_CLASSES.find((x) => x.id === c)!.label;

function rentalOf(offer: OfferRow, network: { name: string; memoryBytes: number | null }, streamsPerGpu: Ratio, advertisedMedian: string | null, realized: string | null): Rental | null {
  const perGpu = usdPerGpuHour(offer);
  if (perGpu === null || !offer.gpuKey) return null;
  const perStream = fmt(new D(perGpu).times(streamsPerGpu.den.toString()).div(streamsPerGpu.num.toString()));
  const cls = offerClass(offer.provider, offer.unit);
  const toAdvertised = ratioToLivepeer(perStream, advertisedMedian);
  const toRealized = ratioToLivepeer(perStream, realized);
  const u = GPU_TIME_UNITS[offer.unit];
  const per = offer.unit.replace(/_/g, " ");
  const gpus = u.perInstance && offer.gpus && offer.gpus > 1 ? ` / ${offer.gpus} GPUs` : "";
  const scale = u.secondsPerUnit === 1 ? " x 3600" : "";
  const streams = streamsPerGpu.num === streamsPerGpu.den ? "one stream per GPU" : `/ ${ratioToDecimal(streamsPerGpu, 6)} streams per GPU`;
  return {
    provider: offer.provider,
    offering: offer.offering,
    gpu: offer.gpu ?? null,
    gpuKey: offer.gpuKey,
    class: cls,
    classLabel: classLabel(cls),
    unit: offer.unit,
    usdPerUnit: offer.usdPerUnit,
    gpus: offer.gpus ?? null,
    usdPerGpuHour: perGpu,
    usdPerStreamHour: perStream,
    ratioToAdvertised: toAdvertised?.ratio ?? null,
    ratioToAdvertisedDisplay: toAdvertised?.display ?? null,
    ratioToRealized: toRealized?.ratio ?? null,
    ratioToRealizedDisplay: toRealized?.display ?? null,
    variantDifferences: variantDifferences(network, offer.gpu),
    historical: /historical/i.test(offer.provider) || offer.asOf.trim().startsWith("<="),
    source: offer.source,
    asOf: offer.asOf,
    basis: `${offer.usdPerUnit} USD per ${per}${gpus}${scale} = ${perGpu} USD per GPU-hour, ${streams}`,
  };
}

const byUsd = (a: Rental, b: Rental) => new D(a.usdPerStreamHour).cmp(b.usdPerStreamHour) || (a.provider < b.provider ? -1 : a.provider > b.provider ? 1 : 0);

// ---------------------------------------------------------------------------------------------
// The comparison

/**
 * Per GPU name reported in the capabilities: orchestrators, nodes and GPUs (a physical GPU is an
 * address and GPU id, listed once under its first name A-Z); for GPUs serving live video, the
 * advertised price statistics over (node, live model) offers and the streams per GPU; realized
 * prices from the payments of orchestrators whose live GPUs are all of that name (others are
 * counted apart); and every GPU-time offer of the catalogue whose gpu_key is the name's key.
 */
export function compareByGpu(input: ByGpuInput): ByGpuResult {
  // A physical GPU: (address, id) -> its first name and largest memory.
  const physical = new Map<string, { address: string; name: string; memoryBytes: number | null }>();
  for (const g of input.gpus) {
    const k = `${g.address}\u0000${g.gpuId}`;
    const p = physical.get(k);
    if (!p) physical.set(k, { address: g.address, name: g.name, memoryBytes: g.memoryBytes });
    else {
      if (g.name < p.name) p.name = g.name;
      if (g.memoryBytes !== null && (p.memoryBytes === null || g.memoryBytes > p.memoryBytes)) p.memoryBytes = g.memoryBytes;
    }
  }
  const nameOf = (address: string, gpuId: string) => physical.get(`${address}\u0000${gpuId}`)!.name;

  // Live GPU slots per (node, live model), and each name's share.
  const liveSlots = new Map<string, { node: number; address: string; modelId: string; ids: Set<string>; byName: Map<string, Set<string>> }>();
  for (const g of input.gpus) {
    if (g.pipeline !== LIVE_VIDEO) continue;
    const k = `${g.node}\u0000${g.modelId}`;
    let s = liveSlots.get(k);
    if (!s) liveSlots.set(k, (s = { node: g.node, address: g.address, modelId: g.modelId, ids: new Set(), byName: new Map() }));
    s.ids.add(g.gpuId);
    const name = nameOf(g.address, g.gpuId);
    if (!s.byName.has(name)) s.byName.set(name, new Set());
    s.byName.get(name)!.add(g.gpuId);
  }
  const modelOf = new Map(input.liveModels.map((m) => [`${m.node}\u0000${m.modelId}`, m]));
  let liveOffersWithoutGpu = 0;
  for (const m of input.liveModels) if (m.pricePerUnit !== null && !liveSlots.has(`${m.node}\u0000${m.modelId}`)) liveOffersWithoutGpu++;

  // Per name: inventory.
  const names = new Map<string, { addresses: Set<string>; nodes: Set<number>; gpus: number; memory: Map<number | null, number> }>();
  for (const p of physical.values()) {
    let e = names.get(p.name);
    if (!e) names.set(p.name, (e = { addresses: new Set(), nodes: new Set(), gpus: 0, memory: new Map() }));
    e.addresses.add(p.address);
    e.gpus++;
    e.memory.set(p.memoryBytes, (e.memory.get(p.memoryBytes) ?? 0) + 1);
  }
  for (const g of input.gpus) names.get(nameOf(g.address, g.gpuId))!.nodes.add(g.node);

  // Orchestrator -> names of its live GPUs, for attributing payments.
  const liveNamesOf = new Map<string, Set<string>>();
  for (const s of liveSlots.values()) {
    if (!liveNamesOf.has(s.address)) liveNamesOf.set(s.address, new Set());
    for (const n of s.byName.keys()) liveNamesOf.get(s.address)!.add(n);
  }
  const paidByName = new Map<string, OrchestratorPayments[]>();
  const mixed = { orchestrators: 0, payments: 0, seconds: ZERO };
  const unknown = { orchestrators: 0, payments: 0, seconds: ZERO };
  for (const p of input.payments) {
    const set = liveNamesOf.get(p.orchestrator.toLowerCase());
    if (set && set.size === 1) {
      const n = [...set][0];
      if (!paidByName.has(n)) paidByName.set(n, []);
      paidByName.get(n)!.push(p);
      continue;
    }
    const bucket = set && set.size > 1 ? mixed : unknown;
    bucket.orchestrators++;
    bucket.payments += p.payments;
    bucket.seconds = addR(bucket.seconds, exactDecimal(p.billableSecs));
  }

  const out: GpuComparison[] = [];
  for (const [name, inv] of names) {
    const id = gpuIdentity(name);
    // The most common memory among the name's GPUs (ties: the larger), for the variant check.
    const memoryBytes = [...inv.memory].sort((a, b) => b[1] - a[1] || (b[0] ?? -1) - (a[0] ?? -1))[0]?.[0] ?? null;
    // Live: slots of this name, their offers and streams.
    const offers: Ratio[] = [];
    const liveAddresses = new Set<string>();
    const liveNodes = new Set<number>();
    const models = new Set<string>();
    let liveGpus = 0;
    let streams = ZERO;
    const nodesAboveSet = new Set<number>();
    for (const s of liveSlots.values()) {
      const mine = s.byName.get(name);
      if (!mine) continue;
      liveAddresses.add(s.address);
      liveNodes.add(s.node);
      models.add(s.modelId);
      liveGpus += mine.size;
      const m = modelOf.get(`${s.node}\u0000${s.modelId}`);
      if (m?.pricePerUnit) offers.push(divR(exactDecimal(m.pricePerUnit), exactDecimal(m.pixelsPerUnit ?? "1")));
      // Streams of this (node, model): its advertised capacity (or capacity in use when higher) when it
      // exceeds its GPUs, else one per GPU; this name's share is its GPUs' share.
      const declared = Math.max(m?.capacity ?? 0, m?.capacityInUse ?? 0);
      const slotStreams = Math.max(s.ids.size, declared);
      if (slotStreams > s.ids.size) nodesAboveSet.add(s.node);
      streams = addR(streams, ratio(BigInt(slotStreams) * BigInt(mine.size), BigInt(s.ids.size)));
    }
    const nodesAbove = nodesAboveSet.size;
    const streamsPerGpu = liveGpus ? ratio(streams.num, streams.den * BigInt(liveGpus)) : ratio(1n);
    const st = exactStats(offers);
    const usdStats = st && input.usdPerEth !== null ? mapStats(st, (r) => usdPerVideoHour(r, input.usdPerEth!)) : null;
    const live: GpuComparison["live"] = liveGpus
      ? {
          orchestrators: liveAddresses.size,
          nodes: liveNodes.size,
          gpus: liveGpus,
          offers: offers.length,
          models: [...models].sort(),
          priceWeiPerPixel: st ? mapStats(st, (r) => ratioToDecimal(r)) : null,
          ethPerVideoHour: st ? mapStats(st, ethPerVideoHour) : null,
          usdPerVideoHour: usdStats,
          streamsPerGpu: ratioToDecimal(streamsPerGpu),
          streams: ratioToDecimal(streams),
          nodesAboveOnePerGpu: nodesAbove,
          streamsBasis:
            nodesAbove === 0
              ? "one stream per GPU: no node advertises more capacity than GPUs"
              : `${nodesAbove} node${nodesAbove === 1 ? "" : "s"} advertise more capacity than GPUs: ${ratioToDecimal(streams, 6)} streams on ${liveGpus} GPUs, so a GPU's rental is divided by ${ratioToDecimal(streamsPerGpu, 6)} streams`,
        }
      : null;
    const realized = realizedOf(paidByName.get(name) ?? []);
    const rentals = input.prices
      .filter((o) => id.key !== null && sameGpuKey(o.gpuKey, id.key))
      .map((o) => rentalOf(o, { name, memoryBytes }, streamsPerGpu, usdStats?.median ?? null, realized?.usdPerVideoHour ?? null))
      .filter((r): r is Rental => r !== null)
      .sort(byUsd);
    const current = rentals.filter((r) => !r.historical);
    const cheapest = current[0] ?? rentals[0] ?? null;
    out.push({
      name,
      gpuKey: id.key,
      label: id.label,
      memoryGb: id.memoryGb ?? memoryGbOfBytes(memoryBytes),
      orchestrators: inv.addresses.size,
      nodes: inv.nodes.size,
      gpus: inv.gpus,
      addresses: [...inv.addresses].sort(),
      live,
      realized,
      rentals,
      cheapest,
      noPrice: rentals.length
        ? null
        : id.key === null
          ? `${NO_DATED_PRICE} (the name is not recognised as a GPU model the catalogue could list)`
          : `${NO_DATED_PRICE} for ${id.key}`,
    });
  }
  out.sort((a, b) => (b.live?.gpus ?? 0) - (a.live?.gpus ?? 0) || b.gpus - a.gpus || (a.name < b.name ? -1 : 1));
  const secs = (r: Ratio) => ratioToDecimal(r);
  return {
    gpus: out,
    liveOffersWithoutGpu,
    unattributed: {
      mixed: { orchestrators: mixed.orchestrators, payments: mixed.payments, billableSeconds: secs(mixed.seconds) },
      unknown: { orchestrators: unknown.orchestrators, payments: unknown.payments, billableSeconds: secs(unknown.seconds) },
    },
  };
}

/** Fees over billable seconds, per hour, volume-weighted over the orchestrators' payments. */
function realizedOf(paid: readonly OrchestratorPayments[]): GpuComparison["realized"] {
  if (!paid.length) return null;
  let fee = 0n;
  let seconds = ZERO;
  let usd = new D(0);
  let missingRate = false;
  for (const p of paid) {
    fee += BigInt(p.feeWei);
    seconds = addR(seconds, exactDecimal(p.billableSecs));
    if (p.usdWei === null) missingRate = true;
    else usd = usd.plus(p.usdWei);
  }
  const hasSeconds = seconds.num > 0n;
  return {
    orchestrators: paid.length,
    payments: paid.reduce((n, p) => n + p.payments, 0),
    billableSeconds: ratioToDecimal(seconds),
    feesEth: ratioToDecimal(ratio(fee, WEI_PER_ETH)),
    ethPerVideoHour: hasSeconds ? ratioToDecimal(ratio(fee * 3600n * seconds.den, WEI_PER_ETH * seconds.num)) : null,
    usdPerVideoHour:
      hasSeconds && !missingRate ? fmt(usd.times(3600).times(seconds.den.toString()).div(seconds.num.toString()).div(WEI_PER_ETH.toString())) : null,
    missingRate,
  };
}
