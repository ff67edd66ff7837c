// One job: its billable units, its fee in wei (exact, and rounded to a whole wei as stored), its
// output seconds, images and billed pixels, from the job log's fields. Pure; exact rationals only.
// Method and rounding: docs/decisions/006-cost-model.md.
import { divR, exactDecimal, intOf, mulR, ratio, ratioToDecimal, weiOf, type Ratio } from "../units";
import { IMAGE_TO_VIDEO_BILLED_FRAMES, LIVE_VIDEO_BILLED_PIXELS_PER_SECOND, normalisePipeline, PIPELINES, pipelineSpec } from "./pipelines";

/**
 * The job fields the cost model reads. Structurally compatible with the job log validator's
 * record (camelCase); wei fields are integer strings or bigints, never JS numbers.
 */
export interface CostJob {
  pipeline: string;
  modelId?: string | null;
  /** Unix milliseconds (needed only to put the job on its UTC day). */
  timestampMs?: number | null;
  success?: boolean | null;
  billableUnits?: string | number | bigint | null;
  pricePerUnit?: string | bigint | null;
  pixelsPerUnit?: string | bigint | null;
  computedFee?: string | bigint | null;
  width?: number | string | null;
  height?: number | string | null;
  frames?: number | string | null;
  fps?: number | string | null;
  numImages?: number | string | null;
  outputSeconds?: number | string | null;
}

/** A field the log (or a catalogue row) gave: not null, undefined or empty. */
export const given = <T>(v: T | null | undefined): v is T => v !== null && v !== undefined && v !== "";

/** go-livepeer: num_images_per_prompt absent -> 1, and never below 1. */
function imagesOf(job: CostJob): bigint {
  if (!given(job.numImages)) return 1n;
  const n = intOf(job.numImages, "numImages");
  return n < 1n ? 1n : n;
}

/**
 * Billable units of a job as an exact decimal string: `billable_units` when logged, else derived
 * per pipeline (image pipelines from width x height, image-to-video x 25, live video
 * 27,648,000 x stream seconds). null when neither is possible (audio, llm and text-to-speech
 * need billable_units; missing dimensions are never assumed).
 */
export function billableUnits(job: CostJob): string | null {
  const r = billableUnitsExact(job);
  return r === null ? null : ratioToDecimal(r);
}

function billableUnitsExact(job: CostJob): Ratio | null {
  if (given(job.billableUnits)) return exactDecimal(job.billableUnits);
  const pipeline = normalisePipeline(job.pipeline);
  const hasDims = given(job.width) && given(job.height);
  const pixels = hasDims ? intOf(job.width!, "width") * intOf(job.height!, "height") : null;
  switch (pipeline) {
    case "text-to-image":
    case "image-to-image":
      return pixels === null ? null : ratio(pixels * imagesOf(job));
    case "upscale":
    case "segment-anything-2":
    case "image-to-text":
      return pixels === null ? null : ratio(pixels);
    case "image-to-video":
      return pixels === null ? null : ratio(pixels * IMAGE_TO_VIDEO_BILLED_FRAMES);
    case "live-video-to-video": {
      const seconds = outputSecondsExact(job);
      return seconds === null ? null : mulR(seconds, ratio(LIVE_VIDEO_BILLED_PIXELS_PER_SECOND));
    }
    default:
      return null; // audio-to-text (ms), llm (max_tokens), text-to-speech (characters), unknown pipelines
  }
}

/**
 * A job's fee in wei, exactly, before any rounding: `computed_fee` when logged, else
 * billable_units x price_per_unit / pixels_per_unit (go-livepeer `estimateAIFee`, a big.Rat).
 * null when the price or the billable units are unknown.
 */
export function jobFeeWeiExact(job: CostJob): Ratio | null {
  if (given(job.computedFee)) return ratio(weiOf(job.computedFee, "computedFee"));
  if (!given(job.pricePerUnit) || !given(job.pixelsPerUnit)) return null;
  const price = weiOf(job.pricePerUnit, "pricePerUnit");
  const per = weiOf(job.pixelsPerUnit, "pixelsPerUnit");
  if (per === 0n) return null;
  const units = billableUnitsExact(job);
  if (units === null) return null;
  if (units.num < 0n) throw new TypeError("billable units must not be negative");
  return ratio(units.num * price, units.den * per);
}

/**
 * A job's fee in whole wei (BigInt): the exact fee rounded half up to a whole wei. go-livepeer
 * keeps the fractional wei in the session balance (big.Rat) and never pays it per job; we store
 * one whole wei per job, so the sum of N jobs is within N/2 wei of the exact sum. This is the
 * same rule as the job insert's SQL: floor((2 x b x p + d) / (2 x d)).
 */
export function jobFeeWei(job: CostJob): bigint | null {
  // The common case, on every ingested line: logged billable units as a plain decimal. Integer
  // arithmetic gives the same whole wei as the exact rational below, without a gcd per job.
  if (!given(job.computedFee) && typeof job.billableUnits === "string" && given(job.pricePerUnit) && given(job.pixelsPerUnit)) {
    const fee = roundedFee(job.billableUnits, weiOf(job.pricePerUnit, "pricePerUnit"), weiOf(job.pixelsPerUnit, "pixelsPerUnit"));
    if (fee !== undefined) return fee;
  }
  const exact = jobFeeWeiExact(job);
  if (exact === null) return null;
  return (2n * exact.num + exact.den) / (2n * exact.den);
}

const PLAIN_DECIMAL = /^(\d{1,78})(?:\.(\d{1,40}))?$/;

/**
 * Round half up of b x p / d with b a plain decimal string B / 10^s:
 * floor((2 B p + 10^s d) / (2 10^s d)). undefined when b is not a plain decimal (the exact path decides).
 */
function roundedFee(billable: string, price: bigint, perUnit: bigint): bigint | null | undefined {
  const m = PLAIN_DECIMAL.exec(billable);
  if (!m) return undefined;
  if (perUnit === 0n) return null;
  const fraction = m[2] ?? "";
  const denominator = 10n ** BigInt(fraction.length) * perUnit;
  return (2n * BigInt(m[1] + fraction) * price + denominator) / (2n * denominator);
}

/**
 * Seconds of video a job produced, exactly: `output_seconds` when logged, else frames / fps for
 * image-to-video (both must be logged: neither 25 frames nor a default fps is assumed for output).
 * Live video: output_seconds (stream seconds) only. null for pipelines that produce no video.
 */
export function outputSecondsExact(job: CostJob): Ratio | null {
  const pipeline = normalisePipeline(job.pipeline);
  const spec = PIPELINES[pipeline];
  if (spec && spec.output !== "video-seconds") return null;
  if (given(job.outputSeconds)) {
    const s = exactDecimal(job.outputSeconds);
    return s.num < 0n ? null : s;
  }
  if (pipeline === "image-to-video" && given(job.frames) && given(job.fps)) {
    const fps = exactDecimal(job.fps);
    if (fps.num <= 0n) return null;
    return divR(ratio(intOf(job.frames, "frames")), fps);
  }
  return null;
}

/** outputSecondsExact as a decimal string (50 significant digits). */
export function outputSeconds(job: CostJob): string | null {
  const s = outputSecondsExact(job);
  return s === null ? null : ratioToDecimal(s);
}

/** Images a job produced (image pipelines only): num_images (absent = 1); upscale 1. */
export function outputImages(job: CostJob): bigint | null {
  const spec = pipelineSpec(job.pipeline);
  if (!spec || spec.output !== "images") return null;
  return spec.pipeline === "upscale" ? 1n : imagesOf(job);
}

/**
 * Billed pixels of an image job (its billable units): output pixels for text-to-image, input
 * pixels for image-to-image and upscale. USD per megapixel is per billed megapixel.
 */
export function billedPixelsExact(job: CostJob): Ratio | null {
  const spec = pipelineSpec(job.pipeline);
  if (!spec || spec.output !== "images") return null;
  return billableUnitsExact(job);
}

