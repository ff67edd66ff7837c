// The comparison: every catalogue offer relevant to a pipeline converted to Livepeer's metric (USD
// per video second, per megapixel or per image), with its class, throughput figure, ratio to
// Livepeer and like-for-like label; what cannot be converted is excluded with the reason. Pure.
import { D, divR, exactDecimal, fmt, isZeroR, ratio, type Ratio } from "../units";
import { given } from "./job";
import { likeForLike, type Comparability, type LivepeerTarget } from "./like-for-like";
import {
  GPU_TIME_UNITS,
  OFFER_CLASSES,
  offerClass,
  OUTPUT_UNITS,
  parseUtilisation,
  ratioToLivepeer,
  rentedUsdPerVideoSecond,
  serverlessUsdPerVideoSecond,
  type OfferClass,
} from "./offers";
import { IMAGE_TO_VIDEO_BILLED_FRAMES, LIVE_VIDEO_BILLED_PIXELS_PER_SECOND, normalisePipeline, PIPELINES } from "./pipelines";

/** A catalogue price row, as core/catalogue.ts parses it (only the fields used here). */
export interface OfferRow {
  provider: string;
  offering: string;
  gpu?: string | null;
  gpuKey?: string | null;
  gpus?: number | null;
  unit: string;
  usdPerUnit: string;
  source: string;
  asOf: string;
  /** Optional: what a per-output price is for (hosted APIs, Livepeer references). */
  pipeline?: string | null;
  model?: string | null;
  setting?: string | null;
  line?: number;
}

/** A catalogue throughput row (gpu_key "*" = any GPU). */
export interface ThroughputFigure {
  pipeline: string;
  model: string;
  setting?: string | null;
  gpu?: string | null;
  gpuKey: string;
  gpuSecondsPerOutputSecond: string;
  basis?: string | null;
  source: string;
  quality: string;
  line?: number;
}

export type ComparisonMetric = "usd_per_video_second" | "usd_per_megapixel" | "usd_per_image";

export interface OfferComparison {
  offer: OfferRow;
  offerClass: OfferClass;
  classLabel: string;
  /** "compared": a figure; "reference": Livepeer's own published/estimated price; "excluded": see reason. */
  status: "compared" | "reference" | "excluded";
  reason: string | null;
  /** Provider marked historical, or as_of only bounds the date ("<=..."). */
  historical: boolean;
  metric: ComparisonMetric;
  /** The offer's USD per metric unit (per video second for video pipelines). */
  usd: string | null;
  /** The throughput figure used (GPU-time offers). */
  throughput: ThroughputFigure | null;
  /** Rented GPUs only. */
  utilisation: string | null;
  ratioToLivepeer: string | null;
  ratioDisplay: number | null;
  comparability: Comparability | null;
}

export interface CompareInput {
  livepeer: LivepeerTarget;
  prices: readonly OfferRow[];
  throughput: readonly ThroughputFigure[];
  /** Rented GPUs' utilisation, 0 < u <= 1 (default 0.5). */
  utilisation?: number | string | null;
}

const classLabel = (c: OfferClass) => OFFER_CLASSES.find((x) => x.id === c)!.label;

/**
 * Every catalogue offer relevant to a pipeline, converted to USD per video second (video
 * pipelines) or per megapixel / per image (image pipelines), with its class, the throughput
 * figure used (source and quality), the ratio to Livepeer and a like-for-like label. GPU-time
 * offers join the throughput file on gpu_key (a GPU's own rows, else the "*" rows) and yield one
 * comparison per throughput row; per-output offers are included when their `pipeline` matches.
 * Anything that cannot be converted is listed as excluded with the reason, never guessed.
 */
export function compareOffers(input: CompareInput): OfferComparison[] {
  const target = input.livepeer;
  const pipeline = normalisePipeline(target.pipeline);
  const spec = PIPELINES[pipeline];
  const imagePipeline = spec?.output === "images";
  const utilisation = parseUtilisation(input.utilisation);
  const figures = input.throughput.filter((t) => normalisePipeline(t.pipeline) === pipeline);
  const out: OfferComparison[] = [];

  for (const offer of input.prices) {
    const cls = offerClass(offer.provider, offer.unit);
    const historical = /historical/i.test(offer.provider) || offer.asOf.trim().startsWith("<=");
    const base = { offer, offerClass: cls, classLabel: classLabel(cls), historical, throughput: null, utilisation: null, ratioToLivepeer: null, ratioDisplay: null, comparability: null };
    const excluded = (reason: string, metric: ComparisonMetric = "usd_per_video_second"): OfferComparison => ({ ...base, status: "excluded", reason, metric, usd: null });

    const gpuTime = GPU_TIME_UNITS[offer.unit];
    if (gpuTime) {
      const metric: ComparisonMetric = "usd_per_video_second";
      if (imagePipeline) continue; // no throughput figures for images: GPU offers are not listed on image pages
      const key = offer.gpuKey?.trim() ?? "";
      if (!key || (gpuTime.perInstance && !offer.gpus)) {
        out.push(excluded("no GPU in this offer"));
        continue;
      }
      const own = figures.filter((t) => t.gpuKey.trim().toLowerCase() === key.toLowerCase());
      const rows = own.length ? own : figures.filter((t) => t.gpuKey.trim() === "*");
      if (!rows.length) {
        out.push(excluded(`no GPU-seconds-per-output-second figure for ${key} on ${pipeline}`));
        continue;
      }
      const rented = cls === "hyperscaler-on-demand" || cls === "neocloud-marketplace";
      for (const t of rows) {
        const usd = rented
          ? rentedUsdPerVideoSecond({ unit: offer.unit, usdPerUnit: offer.usdPerUnit, gpus: offer.gpus, gpuSecondsPerOutputSecond: t.gpuSecondsPerOutputSecond, utilisation })
          : serverlessUsdPerVideoSecond({ unit: offer.unit, usdPerUnit: offer.usdPerUnit, gpus: offer.gpus, gpuSecondsPerOutputSecond: t.gpuSecondsPerOutputSecond });
        const r = ratioToLivepeer(usd, target.usdPerVideoSecond);
        out.push({
          ...base,
          status: cls === "livepeer-reference" ? "reference" : "compared",
          reason: null,
          metric,
          usd,
          throughput: t,
          utilisation: rented ? utilisation : null,
          ratioToLivepeer: r?.ratio ?? null,
          ratioDisplay: r?.display ?? null,
          comparability: likeForLike(target, { model: t.model, setting: t.setting }),
        });
      }
      continue;
    }

    // Per-output prices: only those stated for this pipeline (or stating none: excluded, visibly).
    const rowPipeline = given(offer.pipeline) ? normalisePipeline(offer.pipeline) : null;
    if (rowPipeline !== null && rowPipeline !== pipeline) continue;
    const unit = OUTPUT_UNITS[offer.unit];
    if (!unit) {
      out.push(excluded(`unit "${offer.unit}" is not understood`));
      continue;
    }
    if (!unit.convertible) {
      out.push(excluded(unit.reason!));
      continue;
    }
    if (rowPipeline === null) {
      out.push(excluded("the row does not state which pipeline its price is for"));
      continue;
    }
    const conv = imagePipeline ? perOutputImage(offer, pipeline) : perOutputVideo(offer, target, pipeline);
    if ("reason" in conv) {
      out.push(excluded(conv.reason, conv.metric));
      continue;
    }
    const livepeerFigure =
      conv.metric === "usd_per_video_second" ? target.usdPerVideoSecond : conv.metric === "usd_per_megapixel" ? target.usdPerMegapixel : target.usdPerImage;
    const r = ratioToLivepeer(conv.usd, livepeerFigure);
    out.push({
      ...base,
      status: cls === "livepeer-reference" ? "reference" : "compared",
      reason: null,
      metric: conv.metric,
      usd: conv.usd,
      ratioToLivepeer: r?.ratio ?? null,
      ratioDisplay: r?.display ?? null,
      comparability: cls === "livepeer-reference" ? null : likeForLike(target, { model: offer.model, setting: offer.setting }),
    });
  }
  return out;
}

type Conversion = { metric: ComparisonMetric; usd: string } | { metric: ComparisonMetric; reason: string };

/** Billed pixels per second of output video under Livepeer's billing rule, or null when the setting is unknown. */
function billedPixelsPerOutputSecond(target: LivepeerTarget, pipeline: string): Ratio | null {
  if (pipeline === "live-video-to-video") return ratio(LIVE_VIDEO_BILLED_PIXELS_PER_SECOND);
  if (pipeline === "image-to-video") {
    if (!given(target.width) || !given(target.height) || !given(target.frames) || !given(target.fps)) return null;
    const seconds = divR(ratio(BigInt(target.frames)), exactDecimal(target.fps));
    if (isZeroR(seconds)) return null;
    return divR(ratio(BigInt(target.width) * BigInt(target.height) * IMAGE_TO_VIDEO_BILLED_FRAMES), seconds);
  }
  return null;
}

function perOutputVideo(offer: OfferRow, target: LivepeerTarget, pipeline: string): Conversion {
  const metric: ComparisonMetric = "usd_per_video_second";
  const price = new D(offer.usdPerUnit);
  switch (offer.unit) {
    case "video_second":
      return { metric, usd: fmt(price) };
    case "stream_hour":
      return { metric, usd: fmt(price.div(3600)) };
    case "output_pixel": {
      const px = billedPixelsPerOutputSecond(target, pipeline);
      if (!px) return { metric, reason: "a per-pixel price: converting it needs Livepeer's width, height, frames and fps" };
      return { metric, usd: fmt(price.times(px.num.toString()).div(px.den.toString())) };
    }
    default:
      return { metric, reason: `priced per ${offer.unit}: no USD-per-video-second equivalent` };
  }
}

function perOutputImage(offer: OfferRow, pipeline: string): Conversion {
  const price = new D(offer.usdPerUnit);
  switch (offer.unit) {
    case "megapixel":
      return { metric: "usd_per_megapixel", usd: fmt(price) };
    case "image":
      return { metric: "usd_per_image", usd: fmt(price) };
    case "output_pixel":
      if (pipeline !== "text-to-image") return { metric: "usd_per_megapixel", reason: `${pipeline} bills input pixels, not output pixels` };
      return { metric: "usd_per_megapixel", usd: fmt(price.times(1_000_000)) };
    case "input_pixel":
      if (pipeline === "text-to-image") return { metric: "usd_per_megapixel", reason: "text-to-image bills output pixels, not input pixels" };
      return { metric: "usd_per_megapixel", usd: fmt(price.times(1_000_000)) };
    default:
      return { metric: "usd_per_megapixel", reason: `priced per ${offer.unit}: no per-image or per-megapixel equivalent` };
  }
}
