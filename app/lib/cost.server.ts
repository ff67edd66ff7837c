// Cost per second of video (and per image), per pipeline/model and per orchestrator, and the
// comparison with cloud GPUs: db/queries/cost.ts reads the rollups and the catalogue, core/cost/
// does every piece of arithmetic (volume-weighted sums, ETH/USD at each day's rate, offer formulas).
// Amounts leave as exact decimal strings. Decision 009 says which jobs count.
import type { Db, Querier } from "../../db/client";
import {
  compareOffers,
  costPerVideoSecond,
  DEFAULT_UTILISATION,
  imageCost,
  indexRates,
  OFFER_CLASSES,
  parseUtilisation,
  pipelineSpec,
  weiToEth,
  type OfferComparison,
  type RateIndex,
  type UsdRate,
} from "../../core/cost";
import { costDays, dayRates, dominantSetting, storedCatalogue, videoCostDays, type CatalogueMeta, type CostDay, type OutputSetting, type StoredCatalogue } from "../../db/queries/cost";
import type { JobFilter } from "../../db/queries/params";
import { badRequest } from "./http.server";
import { getIndexState } from "./index-state.server";
import { jobFilter, jobsLatestDay, parsePipelineModel } from "./jobs.server";
import { DEFAULT_RANGE_DAYS, param, parseRange, type DayRange } from "./params.server";

/** How fees became USD: each day at its own rate, or the nearest day's when it had none. */
export interface RatesUsed {
  days: number;
  /** Days converted at another day's rate (no subgraph Day that day). */
  fallbacks: { date: string; rateDate: string; distanceDays: number }[];
  /** Days without any rate (no subgraph day at all): USD figures are then null. */
  daysWithoutRate: string[];
  usdPerEthMin: string | null;
  usdPerEthMax: string | null;
}

export interface CostRow {
  pipeline: string;
  modelId: string;
  /** What the pipeline produces: cost per video second, or per image and megapixel. */
  output: "video-seconds" | "images";
  /** The jobs behind the figures: successful, priced, with output (decision 009). */
  jobs: number;
  /** All jobs of the pipeline and model in the range. */
  totalJobs: number;
  outputSeconds: string | null;
  images: number | null;
  megapixels: string | null;
  /** Fees of the jobs behind the figures. */
  feesEth: string;
  feesUsd: string | null;
  ethPerVideoSecond: string | null;
  usdPerVideoSecond: string | null;
  ethPerImage: string | null;
  usdPerImage: string | null;
  usdPerMegapixel: string | null;
  /** Successful jobs without a price (in no figure) and fees of failed jobs (shown apart). */
  unpricedJobs: number;
  failedFeesEth: string;
  rates: RatesUsed;
}

function ratesUsed(rates: UsdRate[], daysWithoutRate: string[]): RatesUsed {
  const values = rates.map((r) => Number(r.usdPerEth));
  const min = rates.length ? rates[values.indexOf(Math.min(...values))].usdPerEth : null;
  const max = rates.length ? rates[values.indexOf(Math.max(...values))].usdPerEth : null;
  return {
    days: rates.length + daysWithoutRate.length,
    fallbacks: rates.filter((r) => r.distanceDays > 0).map((r) => ({ date: r.date, rateDate: r.rateDate, distanceDays: r.distanceDays })),
    daysWithoutRate,
    usdPerEthMin: min,
    usdPerEthMax: max,
  };
}

const sumWei = (xs: string[]) => xs.reduce((a, x) => a + BigInt(x), 0n);

/** One cost row from a pipeline/model's days (null for pipelines that produce neither video nor images). */
export function costRowOf(pipeline: string, modelId: string, days: CostDay[], rates: RateIndex): CostRow | null {
  const spec = pipelineSpec(pipeline);
  const output = spec?.output ?? (days.some((d) => d.costJobs > 0 && Number(d.videoSeconds) > 0) ? "video-seconds" : "none");
  if (output === "none") return null;
  const base = {
    pipeline,
    modelId,
    jobs: days.reduce((a, d) => a + d.costJobs, 0),
    totalJobs: days.reduce((a, d) => a + d.jobs, 0),
    unpricedJobs: days.reduce((a, d) => a + d.unpricedJobs, 0),
    failedFeesEth: weiToEth(sumWei(days.map((d) => d.failedFeeWei))),
  };
  if (output === "video-seconds") {
    const c = costPerVideoSecond(
      days.map((d) => ({ day: d.day, feeWei: d.costFeeWei, outputSeconds: d.videoSeconds })),
      rates,
    );
    const fee = sumWei(days.map((d) => d.costFeeWei));
    return {
      ...base,
      output,
      outputSeconds: c?.outputSeconds ?? "0",
      images: null,
      megapixels: null,
      feesEth: weiToEth(fee),
      feesUsd: c?.feeUsd ?? null,
      ethPerVideoSecond: c?.ethPerSecond ?? null,
      usdPerVideoSecond: c?.usdPerSecond ?? null,
      ethPerImage: null,
      usdPerImage: null,
      usdPerMegapixel: null,
      rates: ratesUsed(c?.rates ?? [], c?.daysWithoutRate ?? []),
    };
  }
  const c = imageCost(
    days.map((d) => ({ day: d.day, feeWei: d.costFeeWei, images: d.images, pixels: d.billedPixels })),
    rates,
  );
  return {
    ...base,
    output,
    outputSeconds: null,
    images: Number(c.images),
    megapixels: c.megapixels,
    feesEth: c.feeEth,
    feesUsd: c.feeUsd,
    ethPerVideoSecond: null,
    usdPerVideoSecond: null,
    ethPerImage: c.ethPerImage,
    usdPerImage: c.usdPerImage,
    usdPerMegapixel: c.usdPerMegapixel,
    rates: ratesUsed(c.rates, c.daysWithoutRate),
  };
}

function groupBy<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = m.get(k);
    if (list) list.push(x);
    else m.set(k, [x]);
  }
  return m;
}

/** Cost per pipeline and model over a range (GET /api/cost): video pipelines first, then images. */
export async function costRows(q: Querier, f: JobFilter): Promise<CostRow[]> {
  const [days, rates] = await Promise.all([costDays(q, f), dayRates(q)]);
  const index = indexRates(rates);
  const rows: CostRow[] = [];
  for (const list of groupBy(days, (d) => `${d.pipeline}\t${d.modelId}`).values()) {
    const row = costRowOf(list[0].pipeline, list[0].modelId, list, index);
    if (row && (row.jobs > 0 || row.totalJobs > 0)) rows.push(row);
  }
  const order = (r: CostRow) => (r.output === "video-seconds" ? 0 : 1);
  return rows.sort((a, b) => order(a) - order(b) || (a.pipeline < b.pipeline ? -1 : a.pipeline > b.pipeline ? 1 : b.jobs - a.jobs));
}

export interface OrchestratorCost {
  /** Video jobs behind the figure and their seconds. */
  jobs: number;
  outputSeconds: string;
  ethPerVideoSecond: string | null;
  usdPerVideoSecond: string | null;
}

/**
 * Cost per video second per orchestrator: its video jobs' fees over their seconds, over every
 * video pipeline matching the filter (a pipeline filter makes it one pipeline's figure).
 */
export async function orchestratorVideoCosts(q: Querier, f: JobFilter): Promise<Map<string, OrchestratorCost>> {
  const [days, rates] = await Promise.all([videoCostDays(q, f), dayRates(q)]);
  const index = indexRates(rates);
  const out = new Map<string, OrchestratorCost>();
  for (const [orch, list] of groupBy(days, (d) => d.orchestrator)) {
    const c = costPerVideoSecond(
      list.map((d) => ({ day: d.day, feeWei: d.costFeeWei, outputSeconds: d.videoSeconds })),
      index,
    );
    out.set(orch, {
      jobs: list.reduce((a, d) => a + d.costJobs, 0),
      outputSeconds: c?.outputSeconds ?? "0",
      ethPerVideoSecond: c?.ethPerSecond ?? null,
      usdPerVideoSecond: c?.usdPerSecond ?? null,
    });
  }
  return out;
}

/** Network-wide cost per video second over the filter's video pipelines (the overview KPI). */
export async function networkVideoCost(
  q: Querier,
  f: JobFilter,
): Promise<OrchestratorCost & { feesEth: string; rates: RatesUsed; pipeline: string | null; modelId: string | null }> {
  const [days, rates] = await Promise.all([costDays(q, f), dayRates(q)]);
  // One pipeline and model only, the busiest priced video pair of the filter: a cost per second over
  // image-to-video and live video together would mix prices of different scales.
  const jobsOf = new Map<string, number>();
  for (const d of days)
    if (pipelineSpec(d.pipeline)?.output === "video-seconds" && d.costJobs > 0) jobsOf.set(`${d.pipeline}\t${d.modelId}`, (jobsOf.get(`${d.pipeline}\t${d.modelId}`) ?? 0) + d.costJobs);
  const busiest = [...jobsOf].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
  const [pipeline, modelId] = busiest ? busiest.split("\t") : [null, null];
  const video = days.filter((d) => d.pipeline === pipeline && d.modelId === modelId && d.costJobs > 0);
  const c = costPerVideoSecond(
    video.map((d) => ({ day: d.day, feeWei: d.costFeeWei, outputSeconds: d.videoSeconds })),
    indexRates(rates),
  );
  return {
    jobs: video.reduce((a, d) => a + d.costJobs, 0),
    outputSeconds: c?.outputSeconds ?? "0",
    feesEth: c?.feeEth ?? "0",
    ethPerVideoSecond: c?.ethPerSecond ?? null,
    usdPerVideoSecond: c?.usdPerSecond ?? null,
    rates: ratesUsed(c?.rates ?? [], c?.daysWithoutRate ?? []),
    pipeline,
    modelId,
  };
}

// ---------------------------------------------------------------------------------------------
// Cloud comparison

/** `utilization` (0 < u <= 1; default 0.5): the share of a rented GPU's paid hours doing work. */
export function parseUtilization(url: URL): string {
  const v = param(url, "utilization");
  if (v === null) return DEFAULT_UTILISATION;
  if (!/^(0(\.\d{1,6})?|1(\.0{1,6})?|\.\d{1,6})$/.test(v))
    throw badRequest(`malformed utilization "${v.slice(0, 20)}" (a number above 0 and at most 1, such as 0.5)`);
  if (Number(v) <= 0) throw badRequest("utilization must be above 0 (a GPU that never works has no cost per output)");
  return parseUtilisation(v);
}

export interface Offer {
  provider: string;
  offering: string;
  gpu: string | null;
  class: string;
  classLabel: string;
  /** compared | reference (a Livepeer published price) | excluded (see reason). */
  status: OfferComparison["status"];
  reason: string | null;
  metric: OfferComparison["metric"];
  /** USD per video second (video pipelines); null when excluded or for image metrics. */
  usdPerVideoSecond: string | null;
  /** USD per the metric's unit (per video second, per megapixel or per image). */
  usd: string | null;
  /** Offer USD / Livepeer USD: above 1, Livepeer is cheaper. */
  ratioToLivepeer: string | null;
  gpuSecondsPerOutputSecond: string | null;
  throughputSource: string | null;
  throughputQuality: string | null;
  throughputBasis: string | null;
  /** Rented GPUs only. */
  utilization: string | null;
  source: string;
  asOf: string;
  /** How the figure was computed, in words a reader can redo by hand. */
  basis: string;
  likeForLike: boolean | null;
  comparability: string | null;
  differences: string[];
  historical: boolean;
}

function basisOf(c: OfferComparison): string {
  const o = c.offer;
  if (c.status === "excluded") return c.reason ?? "excluded";
  if (c.throughput) {
    const t = c.throughput.gpuSecondsPerOutputSecond;
    const gpus = o.gpus && o.gpus > 1 ? ` / ${o.gpus} GPUs` : "";
    const per = o.unit.replace(/_/g, " ");
    if (c.utilisation !== null) return `${o.usdPerUnit} USD per ${per}${gpus} / 3600 x ${t} GPU-s per output s / utilization ${c.utilisation}`;
    return `${o.usdPerUnit} USD per ${per}${gpus} x ${t} GPU-s per output s (billed only while busy)`;
  }
  return `published price: ${o.usdPerUnit} USD per ${o.unit.replace(/_/g, " ")}`;
}

function toOffer(c: OfferComparison): Offer {
  const o = c.offer;
  return {
    provider: o.provider,
    offering: o.offering,
    gpu: o.gpu ?? null,
    class: c.offerClass,
    classLabel: c.classLabel,
    status: c.status,
    reason: c.reason,
    metric: c.metric,
    usdPerVideoSecond: c.metric === "usd_per_video_second" ? c.usd : null,
    usd: c.usd,
    ratioToLivepeer: c.ratioToLivepeer,
    gpuSecondsPerOutputSecond: c.throughput?.gpuSecondsPerOutputSecond ?? null,
    throughputSource: c.throughput?.source ?? null,
    throughputQuality: c.throughput?.quality ?? null,
    throughputBasis: c.throughput?.basis ?? null,
    utilization: c.utilisation,
    source: o.source,
    asOf: o.asOf,
    basis: basisOf(c),
    likeForLike: c.comparability?.likeForLike ?? null,
    comparability: c.comparability?.label ?? null,
    differences: c.comparability?.differences ?? [],
    historical: c.historical,
  };
}

export interface CloudComparison {
  pipeline: string;
  modelId: string;
  from: string;
  to: string;
  utilization: string;
  livepeer: CostRow & { setting: OutputSetting | null };
  offers: Offer[];
  catalogue: CatalogueMeta | null;
}

/**
 * Livepeer's realized cost for one pipeline and model over a range, next to every catalogue offer
 * converted to the same unit (GET /api/cloud-comparison). Offers: compared ones by class, then by
 * USD ascending; Livepeer reference prices; excluded ones with their reason last. null when the
 * pipeline/model produces neither video nor images.
 */
export async function cloudComparison(
  q: Querier,
  opts: DayRange & { pipeline: string; modelId: string; utilization?: string },
  /** What the caller already read for the same range: Livepeer's row (from costRows) and the catalogue. */
  known: { row?: CostRow; catalogue?: StoredCatalogue } = {},
): Promise<CloudComparison | null> {
  const f: JobFilter = { from: opts.from, to: opts.to, pipeline: opts.pipeline, modelId: opts.modelId };
  const rowOf = async () => {
    const [days, rates] = await Promise.all([costDays(q, f), dayRates(q)]);
    return costRowOf(opts.pipeline, opts.modelId, days, indexRates(rates));
  };
  const [row, setting, cat] = await Promise.all([known.row ?? rowOf(), dominantSetting(q, f), known.catalogue ?? storedCatalogue(q)]);
  if (!row) return null;
  const utilization = parseUtilisation(opts.utilization ?? DEFAULT_UTILISATION);
  const comparisons = compareOffers({
    livepeer: {
      pipeline: opts.pipeline,
      modelId: opts.modelId,
      width: setting?.width ?? null,
      height: setting?.height ?? null,
      frames: setting?.frames ?? null,
      fps: setting?.fps ?? null,
      usdPerVideoSecond: row.usdPerVideoSecond,
      usdPerImage: row.usdPerImage,
      usdPerMegapixel: row.usdPerMegapixel,
    },
    prices: cat.prices,
    throughput: cat.throughput,
    utilisation: utilization,
  });
  const classOrder = (c: string) => OFFER_CLASSES.findIndex((x) => x.id === c);
  const statusOrder = { compared: 0, reference: 1, excluded: 2 } as const;
  const offers = comparisons
    .map(toOffer)
    .sort(
      (a, b) =>
        statusOrder[a.status] - statusOrder[b.status] ||
        classOrder(a.class) - classOrder(b.class) ||
        (a.usd !== null && b.usd !== null ? Number(a.usd) - Number(b.usd) : 0) ||
        (a.provider < b.provider ? -1 : 1),
    );
  return { pipeline: opts.pipeline, modelId: opts.modelId, from: opts.from, to: opts.to, utilization, livepeer: { ...row, setting }, offers, catalogue: cat.meta };
}

/**
 * Per cloud class (Livepeer's own reference prices aside): how many offers were compared and the
 * cheapest of them in the comparison's metric. The cloud page's answer and the reports' summary.
 */
export function cheapestByClass(offers: readonly Offer[]): { class: string; label: string; offers: number; cheapest: Offer | null }[] {
  return OFFER_CLASSES.filter((k) => k.id !== "livepeer-reference").map((k) => {
    const compared = offers.filter((o) => o.class === k.id && o.status === "compared" && o.usd !== null);
    const cheapest = compared.reduce<Offer | null>((a, o) => (a === null || Number(o.usd) < Number(a.usd) ? o : a), null);
    return { class: k.id, label: k.label, offers: compared.length, cheapest };
  });
}

export interface ClassSummaryRow {
  pipeline: string;
  modelId: string;
  jobs: number;
  outputSeconds: string;
  livepeerUsdPerVideoSecond: string | null;
  livepeerEthPerVideoSecond: string | null;
  classes: {
    class: string;
    label: string;
    /** The cheapest compared offer of the class (like-for-like or not: see comparability). */
    cheapest: {
      provider: string;
      offering: string;
      usdPerVideoSecond: string;
      ratioToLivepeer: string | null;
      source: string;
      asOf: string;
      comparability: string | null;
    } | null;
    offers: number;
  }[];
}

/** Per video pipeline and model with traffic: Livepeer's figure and the cheapest offer of each cloud class (reports, overview). */
export async function cloudClassSummary(
  q: Querier,
  opts: { from: string; to: string; utilization?: string },
): Promise<{ utilization: string; rows: ClassSummaryRow[]; catalogue: CatalogueMeta | null }> {
  const utilization = parseUtilisation(opts.utilization ?? DEFAULT_UTILISATION);
  const [rows, cat] = await Promise.all([costRows(q, { from: opts.from, to: opts.to }), storedCatalogue(q)]);
  const out: ClassSummaryRow[] = [];
  for (const r of rows.filter((x) => x.output === "video-seconds" && x.jobs > 0)) {
    const c = await cloudComparison(q, { from: opts.from, to: opts.to, pipeline: r.pipeline, modelId: r.modelId, utilization }, { row: r, catalogue: cat });
    if (!c) continue;
    out.push({
      pipeline: r.pipeline,
      modelId: r.modelId,
      jobs: r.jobs,
      outputSeconds: r.outputSeconds ?? "0",
      livepeerUsdPerVideoSecond: r.usdPerVideoSecond,
      livepeerEthPerVideoSecond: r.ethPerVideoSecond,
      classes: cheapestByClass(c.offers).map(({ class: cls, label, offers, cheapest: best }) => ({
        class: cls,
        label,
        cheapest: best && {
          provider: best.provider,
          offering: best.offering,
          usdPerVideoSecond: best.usd!,
          ratioToLivepeer: best.ratioToLivepeer,
          source: best.source,
          asOf: best.asOf,
          comparability: best.comparability,
        },
        offers,
      })),
    });
  }
  return { utilization, rows: out, catalogue: cat.meta };
}

// ---------------------------------------------------------------------------------------------
// Page and API loaders

/** GET /api/cost and the pipelines page: from/to (default: the 90 days ending at the latest day with data), pipeline, model. */
export async function loadCost(db: Db, url: URL) {
  const state = await getIndexState(db);
  const range = parseRange(url, { latestDay: await jobsLatestDay(db, state), defaultDays: DEFAULT_RANGE_DAYS });
  const pm = parsePipelineModel(url);
  const rows = await costRows(db, jobFilter(range, pm));
  return { state, range, pm, rows };
}

/** GET /api/cloud-comparison and /cloud: one pipeline (default: the busiest video pipeline) and model (default: its busiest). */
export async function loadCloudComparison(db: Db, url: URL) {
  const state = await getIndexState(db);
  const range = parseRange(url, { latestDay: await jobsLatestDay(db, state), defaultDays: DEFAULT_RANGE_DAYS });
  const pm = parsePipelineModel(url);
  const utilization = parseUtilization(url);
  const all = await costRows(db, { from: range.from, to: range.to });
  const candidates = all.filter((r) => (pm.pipeline ? r.pipeline === pm.pipeline : r.output === "video-seconds"));
  if (pm.pipeline && !pipelineSpec(pm.pipeline) && !candidates.length)
    throw badRequest(`no cost figures for pipeline "${pm.pipeline}" (pipelines with costs: ${[...new Set(all.map((r) => r.pipeline))].join(", ") || "none in range"})`);
  if (pm.pipeline && pipelineSpec(pm.pipeline)?.output === "none")
    throw badRequest(`${pm.pipeline} produces neither video nor images: it has no cost per video second or per image`);
  const busiest = [...candidates].sort((a, b) => b.jobs - a.jobs || b.totalJobs - a.totalJobs)[0];
  const pipeline = pm.pipeline ?? busiest?.pipeline ?? null;
  const modelId = pm.model ?? candidates.filter((r) => r.pipeline === pipeline).sort((a, b) => b.jobs - a.jobs)[0]?.modelId ?? null;
  const row = all.find((r) => r.pipeline === pipeline && r.modelId === modelId);
  const comparison = pipeline && modelId ? await cloudComparison(db, { ...range, pipeline, modelId, utilization }, { row }) : null;
  return { state, range, utilization, pipeline, modelId, comparison, choices: all.filter((r) => r.output === "video-seconds" || r.pipeline === pipeline) };
}
