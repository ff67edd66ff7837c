// The one cost model: what a Livepeer AI job costs, cost per second of video (or per image and
// megapixel), ETH -> USD at the job's UTC day, and the sourced comparison with cloud GPU offers.
// Pure (decimal.js only; no database, no app/ or indexer/ imports), so the indexer, the pages and
// the tests share one definition. Method, rounding and exclusions: docs/decisions/006-cost-model.md.
//
// Exactness: fees are BigInt wei; output seconds and billable units are exact rationals (BigInt
// numerator/denominator); ETH figures are one exact rational division, printed to 50 significant
// digits (exact whenever the decimal terminates within 50 digits). USD and offer figures use
// decimal.js at 80 significant digits internally and are printed to 50. No JS `number` ever holds
// money; numbers appear only as `display` fields rounded for display.
import Decimal from "decimal.js";

/** decimal.js with room for every digit and never an exponent in strings. Global config untouched. */
const D = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -9e15, toExpPos: 9e15 });
type Dec = InstanceType<typeof D>;

/** Significant digits of every decimal string this module returns. */
export const SIGNIFICANT_DIGITS = 50;

const WEI_PER_ETH = 10n ** 18n;

// ---------------------------------------------------------------------------------------------
// Exact rationals

/** An exact non-negative rational: num / den, den > 0, in lowest terms. */
export interface Ratio {
  readonly num: bigint;
  readonly den: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b) [a, b] = [b, a % b];
  return a;
}

export function ratio(num: bigint, den: bigint = 1n): Ratio {
  if (den === 0n) throw new RangeError("division by zero");
  if (den < 0n) [num, den] = [-num, -den];
  const g = gcd(num, den);
  return g > 1n ? { num: num / g, den: den / g } : { num, den };
}

const ZERO: Ratio = { num: 0n, den: 1n };
const addR = (a: Ratio, b: Ratio): Ratio => ratio(a.num * b.den + b.num * a.den, a.den * b.den);
const mulR = (a: Ratio, b: Ratio): Ratio => ratio(a.num * b.num, a.den * b.den);
const divR = (a: Ratio, b: Ratio): Ratio => ratio(a.num * b.den, a.den * b.num);
const isZeroR = (a: Ratio): boolean => a.num === 0n;

const EXACT_DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,6}))?$/;

/**
 * Parses a decimal (string, JS number via its shortest round-trip text, or bigint) into an exact
 * rational. "12.5" -> 25/2, 1e-7 -> 1/10000000. Throws TypeError on anything else.
 */
const PLAIN_INTEGER = /^\d{1,30}$/;

export function exactDecimal(value: string | number | bigint): Ratio {
  if (typeof value === "bigint") return ratio(value);
  // Whole numbers, the per-job case (pixels, frames, fps): no parsing, no gcd.
  if (typeof value === "number" ? Number.isSafeInteger(value) && value >= 0 : PLAIN_INTEGER.test(value)) return { num: BigInt(value), den: 1n };
  if (typeof value === "number" && !Number.isFinite(value)) throw new TypeError(`not a finite number: ${value}`);
  const text = String(value).trim();
  const m = EXACT_DECIMAL.exec(text);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) throw new TypeError(`not a decimal number: ${JSON.stringify(text)}`);
  const digits = (m[2] || "0") + (m[3] ?? "");
  let exp = (m[4] ? Number(m[4]) : 0) - (m[3] ?? "").length;
  let num = BigInt(digits);
  let den = 1n;
  if (exp >= 0) num *= 10n ** BigInt(exp);
  else den = 10n ** BigInt(-exp);
  if (m[1] === "-") num = -num;
  return ratio(num, den);
}

/** A rational as a decimal string: exact if it terminates within `significant` digits, else rounded half up. */
export function ratioToDecimal(r: Ratio, significant = SIGNIFICANT_DIGITS): string {
  if (r.den === 1n) return r.num.toString();
  return fmt(new D(r.num.toString()).div(r.den.toString()), significant);
}

function fmt(d: Dec, significant = SIGNIFICANT_DIGITS): string {
  return d.toSignificantDigits(significant, Decimal.ROUND_HALF_UP).toFixed();
}

const toDec = (r: Ratio): Dec => new D(r.num.toString()).div(r.den.toString());

// ---------------------------------------------------------------------------------------------
// Pipelines (data contract section 5; go-livepeer server/ai_process.go)

export type BillableUnit = "pixel" | "ms" | "token" | "character";
/** What a pipeline produces that the product prices: seconds of video, images, or neither. */
export type PipelineOutput = "video-seconds" | "images" | "none";

export interface PipelineCostSpec {
  readonly pipeline: string;
  /** Unit of billable_units (the job log's `unit`). */
  readonly billableUnit: BillableUnit;
  /** What billable_units multiplies, in words. */
  readonly billableUnits: string;
  readonly output: PipelineOutput;
  /** How output seconds are derived (video pipelines), in words. */
  readonly outputSeconds: string | null;
}

/** go-livepeer bills every image-to-video job 25 frames (hard-coded for SVD-XT), whatever it outputs. */
export const IMAGE_TO_VIDEO_BILLED_FRAMES = 25n;
/** Live video is billed as 1280 x 720 x 30 pixels per second of stream, whatever its real resolution. */
export const LIVE_VIDEO_BILLED_PIXELS_PER_SECOND = 1280n * 720n * 30n; // 27,648,000

export const PIPELINES: Readonly<Record<string, PipelineCostSpec>> = Object.freeze({
  "text-to-image": {
    pipeline: "text-to-image",
    billableUnit: "pixel",
    billableUnits: "output height x width x num_images",
    output: "images",
    outputSeconds: null,
  },
  "image-to-image": {
    pipeline: "image-to-image",
    billableUnit: "pixel",
    billableUnits: "input height x width x num_images (num_images absent = 1)",
    output: "images",
    outputSeconds: null,
  },
  upscale: {
    pipeline: "upscale",
    billableUnit: "pixel",
    billableUnits: "input height x width",
    output: "images",
    outputSeconds: null,
  },
  "segment-anything-2": {
    pipeline: "segment-anything-2",
    billableUnit: "pixel",
    billableUnits: "input height x width",
    output: "none",
    outputSeconds: null,
  },
  "image-to-text": {
    pipeline: "image-to-text",
    billableUnit: "pixel",
    billableUnits: "input height x width",
    output: "none",
    outputSeconds: null,
  },
  "image-to-video": {
    pipeline: "image-to-video",
    billableUnit: "pixel",
    billableUnits: "output height x width x 25 (frames hard-coded for SVD-XT)",
    output: "video-seconds",
    outputSeconds: "output_seconds, else frames / fps",
  },
  "audio-to-text": {
    pipeline: "audio-to-text",
    billableUnit: "ms",
    billableUnits: "milliseconds of input audio",
    output: "none",
    outputSeconds: null,
  },
  llm: {
    pipeline: "llm",
    billableUnit: "token",
    billableUnits: "requested max_tokens",
    output: "none",
    outputSeconds: null,
  },
  "text-to-speech": {
    pipeline: "text-to-speech",
    billableUnit: "character",
    billableUnits: "characters of input text",
    output: "none",
    outputSeconds: null,
  },
  "live-video-to-video": {
    pipeline: "live-video-to-video",
    billableUnit: "pixel",
    billableUnits: "1280 x 720 x 30 per second of stream, whatever the real resolution",
    output: "video-seconds",
    outputSeconds: "output_seconds (stream seconds)",
  },
});

/**
 * "Image to video" -> "image-to-video": trim, lower-case, runs of spaces/underscores -> "-".
 * The same rule as the job log validator, so a slug normalised twice never changes.
 */
export function normalisePipeline(raw: string): string {
  if (Object.prototype.hasOwnProperty.call(PIPELINES, raw)) return raw; // already a known slug: the per-job case
  return raw.trim().toLowerCase().replace(/[\s_]+/g, "-");
}

export function pipelineSpec(pipeline: string): PipelineCostSpec | null {
  return PIPELINES[normalisePipeline(pipeline)] ?? null;
}

// ---------------------------------------------------------------------------------------------
// One job

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

const given = <T>(v: T | null | undefined): v is T => v !== null && v !== undefined && v !== "";

function intOf(v: number | string | bigint, field: string): bigint {
  const r = exactDecimal(v);
  if (r.den !== 1n || r.num < 0n) throw new TypeError(`${field} must be a non-negative integer: ${String(v)}`);
  return r.num;
}

function weiOf(v: string | bigint, field: string): bigint {
  if (typeof v === "bigint") {
    if (v < 0n) throw new TypeError(`${field} must not be negative`);
    return v;
  }
  if (!/^\d{1,78}$/.test(v.trim())) throw new TypeError(`${field} must be an integer string of wei: ${JSON.stringify(v)}`);
  return BigInt(v.trim());
}

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

/** Wei (integer) as decimal ETH, exactly: 49999999795200 -> "0.0000499999997952". */
export function weiToEth(wei: bigint | string): string {
  let v: bigint;
  if (typeof wei === "bigint") v = wei;
  else {
    const t = wei.trim();
    if (!/^-?\d{1,78}$/.test(t)) throw new TypeError(`wei must be an integer string: ${JSON.stringify(wei)}`);
    v = BigInt(t);
  }
  const negative = v < 0n;
  if (negative) v = -v;
  const whole = v / WEI_PER_ETH;
  const frac = (v % WEI_PER_ETH).toString().padStart(18, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${frac ? `.${frac}` : ""}`;
}

// ---------------------------------------------------------------------------------------------
// UTC days and ETH/USD (data contract section 2)

/** A UTC day: its day number (floor(unix seconds / 86400), the subgraph Day id) or "YYYY-MM-DD". */
export type DayKey = number | string;

export function dayNumber(day: DayKey): number {
  if (typeof day === "number") {
    if (!Number.isSafeInteger(day)) throw new TypeError(`not a day number: ${day}`);
    return day;
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day.trim());
  if (!m) throw new TypeError(`not a UTC date (YYYY-MM-DD): ${JSON.stringify(day)}`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (isoDate(ms / 86_400_000) !== day.trim()) throw new TypeError(`no such date: ${day}`);
  return ms / 86_400_000;
}

/** UTC day number of a unix-milliseconds timestamp. */
export function dayNumberOfMs(timestampMs: number): number {
  return Math.floor(timestampMs / 86_400_000);
}

export function isoDate(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** A subgraph Day (the `days` table row shape): network fees that day in ETH and USD. */
export interface DayRate {
  dayNumber: number;
  volumeEth: string;
  volumeUsd: string;
}

/** Which rate converted a day: the page records it. */
export interface UsdRate {
  day: number;
  date: string;
  /** Day whose Day.volumeUSD / Day.volumeETH was used. */
  rateDay: number;
  rateDate: string;
  /** |rateDay - day|: 0 when the day has its own rate. */
  distanceDays: number;
  usdPerEth: string;
}

/** Days that have a rate (volumeETH > 0 and volumeUSD > 0), sorted, for nearest-day lookups. */
export class RateIndex {
  readonly days: readonly number[];
  private readonly rates: ReadonlyMap<number, Dec>;

  constructor(rates: readonly DayRate[]) {
    const map = new Map<number, Dec>();
    for (const r of rates) {
      const day = dayNumber(r.dayNumber);
      const eth = new D(r.volumeEth);
      const usd = new D(r.volumeUsd);
      if (!eth.gt(0) || !usd.gt(0)) continue; // a day without fees (or without a USD price) has no rate
      if (map.has(day)) throw new Error(`two rates for day ${isoDate(day)}`);
      map.set(day, usd.div(eth));
    }
    this.rates = map;
    this.days = [...map.keys()].sort((a, b) => a - b);
  }

  /**
   * The rate for a day, else the nearest day that has one; at equal distance the earlier day (the
   * rate known at the time). null when no day has a rate, or the nearest is further than maxDistanceDays.
   */
  lookup(day: DayKey, maxDistanceDays = Infinity): (UsdRate & { exact: Dec }) | null {
    const d = dayNumber(day);
    const days = this.days;
    if (!days.length) return null;
    let lo = 0;
    let hi = days.length; // first index with days[i] >= d
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (days[mid] < d) lo = mid + 1;
      else hi = mid;
    }
    const after = lo < days.length ? days[lo] : null;
    const before = lo > 0 ? days[lo - 1] : null;
    let rateDay: number;
    if (after === d) rateDay = d;
    else if (before === null) rateDay = after!;
    else if (after === null) rateDay = before;
    else rateDay = d - before <= after - d ? before : after; // tie -> earlier
    const distanceDays = Math.abs(rateDay - d);
    if (distanceDays > maxDistanceDays) return null;
    const exact = this.rates.get(rateDay)!;
    return { day: d, date: isoDate(d), rateDay, rateDate: isoDate(rateDay), distanceDays, usdPerEth: fmt(exact), exact };
  }
}

export function indexRates(rates: readonly DayRate[]): RateIndex {
  return new RateIndex(rates);
}

const asIndex = (rates: RateIndex | readonly DayRate[]): RateIndex => (rates instanceof RateIndex ? rates : new RateIndex(rates));

/**
 * USD per ETH on a UTC day from the subgraph's own Day.volumeUSD / Day.volumeETH, else the
 * nearest day that has one (ties: the earlier day). Says which day was used. Pass a RateIndex
 * when converting many days.
 */
export function usdPerEth(day: DayKey, rates: RateIndex | readonly DayRate[], opts: { maxDistanceDays?: number } = {}): UsdRate | null {
  const r = asIndex(rates).lookup(day, opts.maxDistanceDays);
  if (!r) return null;
  const { exact: _exact, ...rest } = r;
  return rest;
}

// ---------------------------------------------------------------------------------------------
// Volume-weighted cost per second of video; cost per image and per megapixel

/**
 * Jobs of one UTC day, summed. feeWei and outputSeconds must cover the SAME jobs (successful jobs
 * that have both a fee and output seconds), or the ratio is biased.
 */
export interface VideoBucket {
  day: DayKey;
  /** Sum of whole-wei fees (integer). */
  feeWei: bigint | string;
  /** Sum of output seconds: an exact Ratio, or a decimal string/number. */
  outputSeconds: Ratio | string | number;
}

export interface FeeUsd {
  /** Sum of fee_day x usdPerEth(day) over the buckets, or null when some day has no rate. */
  feeUsd: string | null;
  /** One entry per distinct day, ascending: the rate used. */
  rates: UsdRate[];
  /** Days that could not be converted (no rate within maxDistanceDays). */
  daysWithoutRate: string[];
}

export interface VideoCost extends FeeUsd {
  feeWei: string;
  feeEth: string;
  outputSeconds: string;
  weiPerSecond: string;
  /** sum(fee) / sum(output seconds), volume-weighted. */
  ethPerSecond: string;
  /** sum(fee_d x rate_d) / sum(output seconds), or null without rates. */
  usdPerSecond: string | null;
}

const secondsOf = (s: Ratio | string | number): Ratio => (typeof s === "object" ? s : exactDecimal(s));
const feeOf = (f: bigint | string): bigint => (typeof f === "bigint" ? f : weiOf(f, "feeWei"));

/** Converts fees to USD, each UTC day at its own (or nearest) rate. */
export function feesToUsd(
  buckets: readonly { day: DayKey; feeWei: bigint | string }[],
  rates: RateIndex | readonly DayRate[] | null | undefined,
  opts: { maxDistanceDays?: number } = {},
): FeeUsd {
  const perDay = new Map<number, bigint>();
  for (const b of buckets) {
    const d = dayNumber(b.day);
    perDay.set(d, (perDay.get(d) ?? 0n) + feeOf(b.feeWei));
  }
  const days = [...perDay.keys()].sort((a, b) => a - b);
  if (!rates) return { feeUsd: null, rates: [], daysWithoutRate: days.map(isoDate) };
  const index = asIndex(rates);
  let usd = new D(0);
  const used: UsdRate[] = [];
  const missing: string[] = [];
  for (const d of days) {
    const r = index.lookup(d, opts.maxDistanceDays);
    if (!r) {
      missing.push(isoDate(d));
      continue;
    }
    const { exact, ...rest } = r;
    used.push(rest);
    usd = usd.plus(new D(perDay.get(d)!.toString()).times(exact).div(WEI_PER_ETH.toString()));
  }
  return { feeUsd: missing.length ? null : fmt(usd), rates: used, daysWithoutRate: missing };
}

/**
 * Cost per second of video, volume-weighted: sum of fees over sum of output seconds (never a mean
 * of per-job ratios), in wei, ETH and USD (each day's fees at that day's rate). null when the
 * buckets hold no output seconds.
 */
export function costPerVideoSecond(
  buckets: readonly VideoBucket[],
  rates?: RateIndex | readonly DayRate[] | null,
  opts: { maxDistanceDays?: number } = {},
): VideoCost | null {
  let fee = 0n;
  let seconds = ZERO;
  for (const b of buckets) {
    fee += feeOf(b.feeWei);
    seconds = addR(seconds, secondsOf(b.outputSeconds));
  }
  if (isZeroR(seconds)) return null;
  const weiPerSecond = divR(ratio(fee), seconds);
  const usd = feesToUsd(buckets, rates, opts);
  return {
    feeWei: fee.toString(),
    feeEth: weiToEth(fee),
    outputSeconds: ratioToDecimal(seconds),
    weiPerSecond: ratioToDecimal(weiPerSecond),
    ethPerSecond: ratioToDecimal(divR(weiPerSecond, ratio(WEI_PER_ETH))),
    usdPerSecond: usd.feeUsd === null ? null : fmt(new D(usd.feeUsd).div(toDec(seconds))),
    ...usd,
  };
}

/** Image jobs of one UTC day, summed over the same jobs (successful, with a fee). */
export interface ImageBucket {
  day: DayKey;
  feeWei: bigint | string;
  images: bigint | number | string;
  /** Billed pixels (integer or exact decimal). */
  pixels: Ratio | bigint | string | number;
}

export interface ImageCost extends FeeUsd {
  feeWei: string;
  feeEth: string;
  images: string;
  megapixels: string;
  ethPerImage: string | null;
  usdPerImage: string | null;
  ethPerMegapixel: string | null;
  usdPerMegapixel: string | null;
}

/** Cost per image and per billed megapixel, volume-weighted like cost per second. */
export function imageCost(
  buckets: readonly ImageBucket[],
  rates?: RateIndex | readonly DayRate[] | null,
  opts: { maxDistanceDays?: number } = {},
): ImageCost {
  let fee = 0n;
  let images = 0n;
  let pixels = ZERO;
  for (const b of buckets) {
    fee += feeOf(b.feeWei);
    images += typeof b.images === "bigint" ? b.images : intOf(b.images, "images");
    pixels = addR(pixels, typeof b.pixels === "object" ? b.pixels : exactDecimal(b.pixels));
  }
  const usd = feesToUsd(buckets, rates, opts);
  const feeEth = ratio(fee, WEI_PER_ETH);
  const megapixels = divR(pixels, ratio(1_000_000n));
  const per = (total: Ratio, n: Ratio) => (isZeroR(n) ? null : ratioToDecimal(divR(total, n)));
  const perUsd = (n: Ratio) => (isZeroR(n) || usd.feeUsd === null ? null : fmt(new D(usd.feeUsd).div(toDec(n))));
  return {
    feeWei: fee.toString(),
    feeEth: weiToEth(fee),
    images: images.toString(),
    megapixels: ratioToDecimal(megapixels),
    ethPerImage: per(feeEth, ratio(images)),
    usdPerImage: perUsd(ratio(images)),
    ethPerMegapixel: per(feeEth, megapixels),
    usdPerMegapixel: perUsd(megapixels),
    ...usd,
  };
}

/** USD per image (volume-weighted), or null without images or rates. */
export function usdPerImage(buckets: readonly ImageBucket[], rates: RateIndex | readonly DayRate[]): string | null {
  return imageCost(buckets, rates).usdPerImage;
}

/** USD per billed megapixel (volume-weighted), or null without pixels or rates. */
export function usdPerMegapixel(buckets: readonly ImageBucket[], rates: RateIndex | readonly DayRate[]): string | null {
  return imageCost(buckets, rates).usdPerMegapixel;
}

/** The per-(pipeline, model, UTC day) sums the rollups must carry; a reference implementation. */
export interface JobCostGroup {
  pipeline: string;
  modelId: string;
  day: number;
  date: string;
  jobs: number;
  successes: number;
  /** Successful jobs with a fee, and the sum of their whole-wei fees. */
  pricedJobs: number;
  feeWei: bigint;
  /** Successful jobs without a fee (no computed_fee, price or billable units). */
  unpricedJobs: number;
  /** Failed jobs' fees (not in any cost figure; shown separately). */
  failedFeeWei: bigint;
  /** Successful video jobs with BOTH a fee and output seconds: the only ones in cost per second. */
  video: { jobs: number; feeWei: bigint; outputSeconds: Ratio };
  /** Successful image jobs with a fee: their images and billed pixels. */
  image: { jobs: number; feeWei: bigint; images: bigint; pixels: Ratio };
}

/** Sums jobs per (pipeline, model, UTC day). Jobs need timestampMs. */
export function aggregateJobs(jobs: Iterable<CostJob>): JobCostGroup[] {
  const groups = new Map<string, JobCostGroup>();
  for (const job of jobs) {
    if (!given(job.timestampMs)) throw new TypeError("aggregateJobs needs timestampMs on every job");
    const pipeline = normalisePipeline(job.pipeline);
    const modelId = job.modelId ?? "";
    const day = dayNumberOfMs(job.timestampMs);
    const key = JSON.stringify([pipeline, modelId, day]);
    let g = groups.get(key);
    if (!g) {
      g = {
        pipeline, modelId, day, date: isoDate(day), jobs: 0, successes: 0, pricedJobs: 0, feeWei: 0n, unpricedJobs: 0, failedFeeWei: 0n,
        video: { jobs: 0, feeWei: 0n, outputSeconds: ZERO },
        image: { jobs: 0, feeWei: 0n, images: 0n, pixels: ZERO },
      };
      groups.set(key, g);
    }
    g.jobs++;
    const fee = jobFeeWei(job);
    if (job.success === false) {
      if (fee !== null) g.failedFeeWei += fee;
      continue;
    }
    g.successes++;
    if (fee === null) {
      g.unpricedJobs++;
      continue;
    }
    g.pricedJobs++;
    g.feeWei += fee;
    const seconds = outputSecondsExact(job);
    if (seconds !== null && !isZeroR(seconds)) {
      g.video.jobs++;
      g.video.feeWei += fee;
      g.video.outputSeconds = addR(g.video.outputSeconds, seconds);
    }
    const images = outputImages(job);
    const pixels = billedPixelsExact(job);
    if (images !== null && pixels !== null) {
      g.image.jobs++;
      g.image.feeWei += fee;
      g.image.images += images;
      g.image.pixels = addR(g.image.pixels, pixels);
    }
  }
  return [...groups.values()].sort((a, b) => a.day - b.day || a.pipeline.localeCompare(b.pipeline) || a.modelId.localeCompare(b.modelId));
}

// ---------------------------------------------------------------------------------------------
// Cloud offers (data contract section 6)

export type OfferClass = "hyperscaler-on-demand" | "neocloud-marketplace" | "serverless-per-second" | "hosted-api" | "livepeer-reference";

/** Display order and labels. */
export const OFFER_CLASSES: readonly { id: OfferClass; label: string }[] = [
  { id: "hyperscaler-on-demand", label: "Hyperscaler on-demand" },
  { id: "neocloud-marketplace", label: "Neocloud and marketplace" },
  { id: "serverless-per-second", label: "Serverless per-second" },
  { id: "hosted-api", label: "Hosted API" },
  { id: "livepeer-reference", label: "Livepeer reference price" },
];

/**
 * Price units the catalogue understands. GPU-time units are converted with a throughput figure;
 * per-output units directly; the rest are kept in the catalogue but excluded with a reason.
 */
export const GPU_TIME_UNITS: Readonly<Record<string, { perInstance: boolean; secondsPerUnit: number }>> = Object.freeze({
  instance_hour: { perInstance: true, secondsPerUnit: 3600 },
  gpu_hour: { perInstance: false, secondsPerUnit: 3600 },
  instance_second: { perInstance: true, secondsPerUnit: 1 },
  gpu_second: { perInstance: false, secondsPerUnit: 1 },
});

/** Per-output units and why the ones that cannot be converted are excluded. */
export const OUTPUT_UNITS: Readonly<Record<string, { convertible: boolean; reason?: string }>> = Object.freeze({
  video_second: { convertible: true },
  stream_hour: { convertible: true },
  output_pixel: { convertible: true },
  input_pixel: { convertible: true },
  megapixel: { convertible: true },
  image: { convertible: true },
  video: { convertible: false, reason: "priced per video and the row does not state the clip length" },
  compute_second: {
    convertible: false,
    reason: "priced per second of compute on undisclosed hardware; the video seconds a compute second yields are not published",
  },
  megapixel_second_of_output: {
    convertible: false,
    reason: "priced per megapixel-second of output and the row does not state the output resolution",
  },
  audio_minute: { convertible: false, reason: "an audio price (per minute of audio): no video-second or image equivalent" },
  character: { convertible: false, reason: "a text price (per character): no video-second or image equivalent" },
  credit: { convertible: false, reason: "a currency (USD per credit), not a price per output" },
});

export const KNOWN_UNITS: readonly string[] = [...Object.keys(GPU_TIME_UNITS), ...Object.keys(OUTPUT_UNITS)];

/**
 * Providers by kind (lower-case, parenthetical notes removed). GPU-time offers from a hyperscaler
 * are "hyperscaler on-demand"; per-second GPU billing, or a provider that bills only active time
 * (Modal quotes it per hour), is "serverless per-second"; other GPU-time offers are "neocloud and
 * marketplace"; per-output prices are "hosted API"; Livepeer's own prices are references.
 * A provider not listed falls back on its unit.
 */
export const PROVIDER_KINDS: Readonly<Record<string, "hyperscaler" | "neocloud" | "serverless" | "hosted">> = Object.freeze({
  aws: "hyperscaler",
  "amazon web services": "hyperscaler",
  gcp: "hyperscaler",
  "google cloud": "hyperscaler",
  azure: "hyperscaler",
  "microsoft azure": "hyperscaler",
  runpod: "neocloud",
  lambda: "neocloud",
  "vast.ai": "neocloud",
  vast: "neocloud",
  coreweave: "neocloud",
  openrelay: "neocloud",
  tensordock: "neocloud",
  paperspace: "neocloud",
  nebius: "neocloud",
  modal: "serverless",
  replicate: "serverless",
  "fal.ai": "hosted",
  fal: "hosted",
  runway: "hosted",
  "together ai": "hosted",
  voltagegpu: "hosted",
  "cloudflare workers ai": "hosted",
});

export function normaliseProvider(provider: string): string {
  return provider.replace(/\([^)]*\)/g, "").trim().toLowerCase().replace(/\s+/g, " ");
}

export function offerClass(provider: string, unit: string): OfferClass {
  const p = normaliseProvider(provider);
  if (/^livepeer\b/.test(p)) return "livepeer-reference";
  const gpuTime = GPU_TIME_UNITS[unit];
  if (!gpuTime) return "hosted-api";
  const kind = PROVIDER_KINDS[p];
  if (kind === "hyperscaler") return "hyperscaler-on-demand";
  if (gpuTime.secondsPerUnit === 1 || kind === "serverless") return "serverless-per-second";
  return "neocloud-marketplace";
}

export const DEFAULT_UTILISATION = "0.5";

/**
 * Utilisation of a rented GPU: the share of paid time it does useful work. 0 < u <= 1; absent ->
 * 0.5. 1.0 is the floor on cost (the GPU never idles). Throws RangeError otherwise.
 */
export function parseUtilisation(u?: number | string | null): string {
  if (u === null || u === undefined || u === "") return DEFAULT_UTILISATION;
  let d: Dec;
  try {
    d = new D(typeof u === "number" ? String(u) : u.trim());
  } catch {
    throw new RangeError(`utilisation must be a number greater than 0 and at most 1 (got ${JSON.stringify(u)})`);
  }
  if (!d.isFinite() || !d.gt(0) || d.gt(1)) throw new RangeError(`utilisation must be greater than 0 and at most 1 (got ${String(u)})`);
  return d.toFixed();
}

/** USD per GPU-second of a GPU-time price: instance prices are divided by the instance's GPUs. */
export function usdPerGpuSecond(offer: { unit: string; usdPerUnit: string; gpus?: number | null }): string {
  const u = GPU_TIME_UNITS[offer.unit];
  if (!u) throw new RangeError(`not a GPU-time unit: ${offer.unit}`);
  const gpus = u.perInstance ? offer.gpus : 1;
  if (!gpus || gpus <= 0 || !Number.isInteger(gpus)) throw new RangeError(`${offer.unit} price needs a positive whole number of GPUs`);
  return fmt(new D(offer.usdPerUnit).div(new D(gpus).times(u.secondsPerUnit)));
}

/**
 * Rented GPU (hyperscaler, neocloud, marketplace): usd_per_gpu_hour / 3600 x
 * gpu_seconds_per_output_second / utilisation. Computed as one division of exact products.
 */
export function rentedUsdPerVideoSecond(args: {
  unit: string;
  usdPerUnit: string;
  gpus?: number | null;
  gpuSecondsPerOutputSecond: string;
  utilisation?: number | string | null;
}): string {
  const u = GPU_TIME_UNITS[args.unit];
  if (!u) throw new RangeError(`not a GPU-time unit: ${args.unit}`);
  const gpus = u.perInstance ? args.gpus : 1;
  if (!gpus || gpus <= 0 || !Number.isInteger(gpus)) throw new RangeError(`${args.unit} price needs a positive whole number of GPUs`);
  const util = parseUtilisation(args.utilisation);
  const num = new D(args.usdPerUnit).times(args.gpuSecondsPerOutputSecond);
  const den = new D(gpus).times(u.secondsPerUnit).times(util);
  return fmt(num.div(den));
}

/** Serverless per-second: usd_per_gpu_second x gpu_seconds_per_output_second (billed only while busy). */
export function serverlessUsdPerVideoSecond(args: { unit: string; usdPerUnit: string; gpus?: number | null; gpuSecondsPerOutputSecond: string }): string {
  const u = GPU_TIME_UNITS[args.unit];
  if (!u) throw new RangeError(`not a GPU-time unit: ${args.unit}`);
  const gpus = u.perInstance ? args.gpus : 1;
  if (!gpus || gpus <= 0 || !Number.isInteger(gpus)) throw new RangeError(`${args.unit} price needs a positive whole number of GPUs`);
  return fmt(new D(args.usdPerUnit).times(args.gpuSecondsPerOutputSecond).div(new D(gpus).times(u.secondsPerUnit)));
}

/**
 * Offer price over Livepeer's, for the same metric: above 1, Livepeer is cheaper. `display` is
 * rounded to 3 significant digits for display only. null when either side is missing or Livepeer's is 0.
 */
export function ratioToLivepeer(offerUsd: string | null | undefined, livepeerUsd: string | null | undefined): { ratio: string; display: number } | null {
  if (!given(offerUsd) || !given(livepeerUsd)) return null;
  const lp = new D(livepeerUsd);
  if (!lp.gt(0)) return null;
  const r = new D(offerUsd).div(lp);
  return { ratio: fmt(r), display: Number(r.toSignificantDigits(3, Decimal.ROUND_HALF_UP).toString()) };
}

// ---------------------------------------------------------------------------------------------
// Like for like

/** Resolution, frames and fps read from free text such as "25 frames 1024x576, fp16, 7 fps output". */
export interface SettingFacts {
  width?: number;
  height?: number;
  /** "720p" / "4K": the short side. */
  shortSide?: number;
  frames?: number;
  fps?: number;
}

export function parseSetting(text: string | null | undefined): SettingFacts {
  const facts: SettingFacts = {};
  if (!text) return facts;
  const wh = /(\d{2,5})\s*[x×]\s*(\d{2,5})/i.exec(text);
  if (wh) {
    facts.width = Number(wh[1]);
    facts.height = Number(wh[2]);
  }
  const p = /\b(\d{3,4})p\b/i.exec(text);
  if (p) facts.shortSide = Number(p[1]);
  else if (/\b4k\b/i.test(text)) facts.shortSide = 2160;
  else if (/\b2k\b/i.test(text)) facts.shortSide = 1440;
  const frames = /\b(\d{1,5})\s*frames?\b/i.exec(text);
  if (frames) facts.frames = Number(frames[1]);
  const fps = /\b(\d{1,3}(?:\.\d+)?)\s*fps\b/i.exec(text);
  if (fps) facts.fps = Number(fps[1]);
  return facts;
}

/** What Livepeer's figure was measured on: the pipeline and, for like-for-like checks, its model and setting. */
export interface LivepeerTarget {
  pipeline: string;
  modelId?: string | null;
  width?: number | null;
  height?: number | null;
  frames?: number | null;
  fps?: number | string | null;
  /** Livepeer's figures, from costPerVideoSecond / imageCost. */
  usdPerVideoSecond?: string | null;
  usdPerMegapixel?: string | null;
  usdPerImage?: string | null;
}

export interface Comparability {
  likeForLike: boolean;
  /** "like for like", "different model", "different resolution", "different frames", "different fps", "model not stated", "setting not stated". */
  label: string;
  differences: string[];
}

const normModel = (m: string) => m.trim().toLowerCase();

/**
 * Like for like means the same model id (case-insensitive) and the same resolution, with frames
 * and fps equal wherever both sides state them. The label names the most important difference:
 * model, then resolution, then frames, then fps; "not stated" when a side does not say.
 */
export function likeForLike(target: LivepeerTarget, offer: { model?: string | null; setting?: string | null }): Comparability {
  const differences: string[] = [];
  const labels: string[] = [];
  if (!given(offer.model) || !given(target.modelId)) {
    differences.push(!given(offer.model) ? "offer model not stated" : "Livepeer model not given");
    labels.push("model not stated");
  } else if (normModel(offer.model) !== normModel(target.modelId)) {
    differences.push(`model ${offer.model} vs ${target.modelId}`);
    labels.push("different model");
  }
  const s = parseSetting(offer.setting);
  const tw = given(target.width) ? Number(target.width) : null;
  const th = given(target.height) ? Number(target.height) : null;
  if (tw === null || th === null) {
    differences.push("Livepeer resolution not given");
    labels.push("setting not stated");
  } else if (s.width !== undefined && s.height !== undefined) {
    const same = (s.width === tw && s.height === th) || (s.width === th && s.height === tw);
    if (!same) {
      differences.push(`resolution ${s.width}x${s.height} vs ${tw}x${th}`);
      labels.push("different resolution");
    }
  } else if (s.shortSide !== undefined) {
    if (s.shortSide !== Math.min(tw, th)) {
      differences.push(`resolution ${s.shortSide}p vs ${tw}x${th}`);
      labels.push("different resolution");
    }
  } else {
    differences.push("offer resolution not stated");
    labels.push("setting not stated");
  }
  if (s.frames !== undefined && given(target.frames) && s.frames !== Number(target.frames)) {
    differences.push(`frames ${s.frames} vs ${target.frames}`);
    labels.push("different frames");
  }
  if (s.fps !== undefined && given(target.fps) && !new D(s.fps).eq(new D(target.fps))) {
    differences.push(`fps ${s.fps} vs ${target.fps}`);
    labels.push("different fps");
  }
  const order = ["different model", "model not stated", "different resolution", "different frames", "different fps", "setting not stated"];
  const label = labels.length ? order.find((l) => labels.includes(l))! : "like for like";
  return { likeForLike: labels.length === 0, label, differences };
}

// ---------------------------------------------------------------------------------------------
// The comparison

/** A catalogue price row, as db/catalogue.ts parses it (only the fields used here). */
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
