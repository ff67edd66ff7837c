// Volume-weighted cost: fees in USD at each UTC day's rate, cost per second of video, cost per
// image and per billed megapixel. Always sum of fees over sum of output (never a mean of per-job
// ratios). Pure; exact rationals, USD via decimal.js (core/units.ts).
import { addR, D, divR, exactDecimal, fmt, intOf, isZeroR, ratio, ratioToDecimal, toDec, weiOf, weiToEth, WEI_PER_ETH, ZERO, type Ratio } from "../units";
import { asIndex, dayNumber, isoDate, type DayKey, type DayRate, type RateIndex, type UsdRate } from "./usd-rates";

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
