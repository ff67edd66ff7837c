// Cloud offers (docs/data-contract.md section 6, comparing with cloud GPUs): offer classes by
// provider and unit, the price units the catalogue understands, utilisation, and USD per video
// second of a rented or serverless GPU, plus the ratio of an offer's price to Livepeer's. Pure;
// decimal.js via core/units.ts.
import Decimal from "decimal.js";
import { D, fmt, type Dec } from "../units";
import { given } from "./job";

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
