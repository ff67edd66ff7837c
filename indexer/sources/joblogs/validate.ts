// Validates one gateway job log line (docs/data-contract.md section 4, job log record) into a typed
// record, or says why not. Text from logs is untrusted: every field is type-checked and bounded, strings that Postgres
// cannot store (NUL, unpaired surrogates) are refused, and wei never passes through a JS number.
// This runs for every line, so fields are read by name once and helpers allocate nothing on success.
import { isUtf8 } from "node:buffer";
import { excerptOf } from "../../log-files";

export { excerptOf };
import { billedPixelsExact, jobFeeWei, outputImages, outputSecondsExact, type CostJob, type Ratio } from "../../../core/cost";
import { latencyBucket, MAX_DURATION_MS } from "../../../core/latency-histogram";

export interface JobRecord {
  gateway: string;
  requestId: string;
  timestampMs: number;
  pipeline: string;
  modelId: string;
  orchAddress: string;
  orchUrl: string | null;
  success: boolean;
  durationMs: number;
  latencyBucket: number;
  orchDurationMs: number | null;
  tries: number | null;
  httpStatus: number | null;
  /** Trimmed; null when absent or blank. */
  errorType: string | null;
  region: string | null;
  /** Decimal string. */
  billableUnits: string | null;
  unit: string | null;
  /** Integer strings (wei per pixels_per_unit units). */
  pricePerUnit: string | null;
  pixelsPerUnit: string | null;
  /** Integer string, wei. */
  computedFee: string | null;
  /**
   * The cost model's fee (core/cost jobFeeWei): computed_fee, else billable units x
   * price_per_unit / pixels_per_unit rounded half up to a whole wei (exact, BigInt), else null.
   */
  expectedFeeWei: bigint | null;
  width: number | null;
  height: number | null;
  frames: number | null;
  /** Decimal string of the logged number (not money, not summed). */
  fps: string | null;
  numImages: number | null;
  /** output_seconds as logged (the cost model reads it; outputMicros is what is stored). */
  outputSeconds: number | null;
  /**
   * The cost model's output seconds (outputSecondsExact) in whole microseconds, rounded half up:
   * video pipelines only, output_seconds as logged, else frames / fps for image-to-video, else
   * null. Integers keep the rollup sums exact.
   */
  outputMicros: bigint | null;
  /** Image pipelines: images produced (num_images, absent = 1; upscale 1), else null. */
  images: number | null;
  /** Image pipelines: billed pixels (the billable units), rounded half up to whole pixels, else null. */
  billedPixels: bigint | null;
}

/**
 * `plain`: the line had no backslash, so no string in the record holds a backslash, tab, newline or
 * carriage return (JSON allows those only as escapes) and COPY needs no escaping for it.
 */
export type Validation = { ok: true; record: JobRecord; plain: boolean } | { ok: false; reason: string };

// 2000-01-01 .. 2100-01-01 in ms: anything else is a unit mistake or garbage.
const MIN_TS_MS = 946_684_800_000;
const MAX_TS_MS = 4_102_444_800_000;
/**
 * How far a job's timestamp may be ahead of this server's clock. A line is written once its job has
 * finished, so a later timestamp can only come from a gateway clock that runs ahead of ours. NTP
 * keeps hosts within a second of each other; 10 minutes also covers a host that drifted for days
 * before syncing. Anything further ahead is a wrong clock or garbage, and is refused: one such line
 * would otherwise become the latest day with data and move every default window (issue 13).
 */
export const MAX_CLOCK_SKEW_MS = 10 * 60_000;
const SKEW_TEXT = `${MAX_CLOCK_SKEW_MS / 60_000} minutes`;
const INT4_MAX = 2_147_483_647;
/** A year of output per job is already absurd; the bound keeps microseconds far inside 2^53. */
const MAX_OUTPUT_SECONDS = 31_536_000;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const DIGITS = /^[0-9]{1,78}$/; // uint256 has at most 78 decimal digits
const DECIMAL = /^[0-9]{1,78}(\.[0-9]{1,40})?$/;
const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;

// Internal: thrown and caught inside validateJobLine, never escapes (a bad line becomes a reject row
// with its reason, i.e. bad-input in core/errors.ts terms). Deliberately a plain Error, not a
// BadInputError: the deeper constructor chain costs about 1 us more per rejected line (measured).
class Invalid extends Error {}
const fail = (reason: string): never => {
  throw new Invalid(reason);
};

/**
 * The byte-level check first (unless already done): Postgres text must be valid UTF-8. `nowMs` is
 * this server's clock, read once per batch by the caller: timestamps more than MAX_CLOCK_SKEW_MS
 * after it are refused.
 */
export function validateJobLineBytes(bytes: Buffer, nowMs: number, knownUtf8 = false): Validation {
  if (!knownUtf8 && !isUtf8(bytes)) return { ok: false, reason: "invalid UTF-8" };
  return validateJobLine(bytes.toString("utf8"), nowMs + MAX_CLOCK_SKEW_MS);
}

/** Validates a line that is already known to be valid UTF-8; timestamps after latestMs are refused. */
function validateJobLine(text: string, latestMs: number): Validation {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, reason: text.trim() === "" ? "empty line" : "invalid JSON" };
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return { ok: false, reason: "not a JSON object" };
  try {
    return { ok: true, record: toRecord(raw as RawJob, latestMs), plain: !text.includes("\\") };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, reason: e.message };
    throw e;
  }
}

/** The contract's fields as JSON.parse gives them: anything, until checked. Unknown fields are ignored. */
interface RawJob {
  request_id?: unknown;
  gateway?: unknown;
  timestamp?: unknown;
  pipeline?: unknown;
  model_id?: unknown;
  orch_address?: unknown;
  success?: unknown;
  duration_ms?: unknown;
  orch_url?: unknown;
  orch_duration_ms?: unknown;
  tries?: unknown;
  http_status?: unknown;
  error_type?: unknown;
  region?: unknown;
  billable_units?: unknown;
  unit?: unknown;
  price_per_unit?: unknown;
  pixels_per_unit?: unknown;
  computed_fee?: unknown;
  width?: unknown;
  height?: unknown;
  frames?: unknown;
  fps?: unknown;
  num_images?: unknown;
  output_seconds?: unknown;
}

/** Fields are checked in the contract's order, so the reason names the first problem a reader would see. */
function toRecord(o: RawJob, latestMs: number): JobRecord {
  const requestId = str(o.request_id, "request_id", 256, true)!;
  const gateway = address(o.gateway, "gateway");
  const timestampMs = timestamp(o.timestamp, latestMs);
  const pipeline = pipelineSlug(o.pipeline);
  const modelId = str(o.model_id, "model_id", 256, true)!;
  const orchAddress = address(o.orch_address, "orch_address");
  const success = bool(o.success, "success");
  const durationMs = int(o.duration_ms, "duration_ms", true, 0, MAX_DURATION_MS)!;
  const billableUnits = amount(o.billable_units, "billable_units", DECIMAL);
  const pricePerUnit = amount(o.price_per_unit, "price_per_unit", DIGITS);
  const pixelsPerUnit = positive(amount(o.pixels_per_unit, "pixels_per_unit", DIGITS), "pixels_per_unit");
  const computedFee = amount(o.computed_fee, "computed_fee", DIGITS);
  const frames = int(o.frames, "frames", false, 0, INT4_MAX);
  const fps = num(o.fps, "fps", 1e6);
  const outputSeconds = num(o.output_seconds, "output_seconds", MAX_OUTPUT_SECONDS);
  const record: JobRecord = {
    requestId,
    gateway,
    timestampMs,
    pipeline,
    modelId,
    orchAddress,
    success,
    durationMs,
    latencyBucket: latencyBucket(durationMs),
    orchUrl: str(o.orch_url, "orch_url", 2048, false),
    orchDurationMs: int(o.orch_duration_ms, "orch_duration_ms", false, 0, INT4_MAX),
    tries: int(o.tries, "tries", false, 0, 1000),
    httpStatus: int(o.http_status, "http_status", false, 0, 999),
    errorType: str(o.error_type, "error_type", 128, false)?.trim() || null,
    region: str(o.region, "region", 64, false),
    billableUnits,
    unit: str(o.unit, "unit", 32, false),
    pricePerUnit,
    pixelsPerUnit,
    computedFee,
    expectedFeeWei: null,
    width: int(o.width, "width", false, 0, INT4_MAX),
    height: int(o.height, "height", false, 0, INT4_MAX),
    frames,
    fps: fps === null ? null : String(fps),
    numImages: int(o.num_images, "num_images", false, 0, INT4_MAX),
    outputSeconds,
    outputMicros: null,
    images: null,
    billedPixels: null,
  };
  const cost = costFields(record);
  record.expectedFeeWei = cost.expectedFeeWei;
  record.outputMicros = cost.outputMicros;
  record.images = cost.images;
  record.billedPixels = cost.billedPixels;
  return record;
}

/**
 * What the cost model (core/cost, the one place that knows billing units per pipeline)
 * says about a job: its fee, output seconds, images and billed pixels. Also used to recompute
 * these for stored rows, so a row is always counted the same way.
 */
export function costFields(job: CostJob): Pick<JobRecord, "expectedFeeWei" | "outputMicros" | "images" | "billedPixels"> {
  // A record is read as it is (it has the fields the cost model reads): no copy per line.
  const seconds = outputSecondsExact(job);
  const images = outputImages(job);
  const pixels = images === null ? null : billedPixelsExact(job);
  return {
    expectedFeeWei: jobFeeWei(job),
    outputMicros: seconds === null ? null : roundHalfUp(seconds, 1_000_000n),
    images: images === null ? null : Number(images),
    billedPixels: pixels === null ? null : roundHalfUp(pixels, 1n),
  };
}

const roundHalfUp = (r: Ratio, scale: bigint): bigint => (2n * r.num * scale + r.den) / (2n * r.den);

/** null and absent are the same for optional fields. */
function absent(v: unknown, key: string, required: boolean): boolean {
  if (v !== undefined && v !== null) return false;
  if (required) fail(`missing required field ${key}`);
  return true;
}

function str(v: unknown, key: string, maxLength: number, required: boolean): string | null {
  if (absent(v, key, required)) return null;
  if (typeof v !== "string") return fail(`${key} must be a string`);
  if (required && v.trim() === "") fail(`${key} must not be empty`);
  if (v.length > maxLength) fail(`${key} is longer than ${maxLength} characters`);
  // Postgres text cannot hold NUL; an unpaired surrogate would be silently replaced when encoded.
  if (v.includes("\u0000") || !isWellFormed(v)) fail(`${key} contains a NUL character or an unpaired surrogate`);
  return v;
}

/** String.prototype.isWellFormed (Node 20; not yet in TypeScript's ES2022 lib): no unpaired surrogates. */
const isWellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

const addressCache = new Map<string, string>();
function address(v: unknown, key: string): string {
  absent(v, key, true);
  if (typeof v !== "string") return fail(`${key} must be a string`);
  const cached = addressCache.get(v);
  if (cached) return cached;
  if (!ADDRESS.test(v)) fail(`${key} must be 0x followed by 40 hex digits`);
  const lower = v.toLowerCase();
  if (addressCache.size > 100_000) addressCache.clear(); // bounded: addresses come from untrusted input
  addressCache.set(v, lower);
  return lower;
}

function bool(v: unknown, key: string): boolean {
  absent(v, key, true);
  if (typeof v !== "boolean") fail(`${key} must be true or false`);
  return v as boolean;
}

function int(v: unknown, key: string, required: boolean, min: number, max: number): number | null {
  if (absent(v, key, required)) return null;
  if (typeof v !== "number" || !Number.isInteger(v)) return fail(`${key} must be an integer`);
  if (v < min) fail(min === 0 ? `${key} must not be negative` : `${key} must be at least ${min}`);
  if (v > max) fail(`${key} must be at most ${max}`);
  return v;
}

function num(v: unknown, key: string, max: number): number | null {
  if (absent(v, key, false)) return null;
  if (typeof v !== "number" || !Number.isFinite(v)) return fail(`${key} must be a number`);
  if (v < 0) fail(`${key} must not be negative`);
  if (v > max) fail(`${key} must be at most ${max}`);
  return v;
}

function timestamp(v: unknown, latestMs: number): number {
  absent(v, "timestamp", true);
  if (typeof v !== "number" || !Number.isSafeInteger(v)) return fail("timestamp must be an integer (unix milliseconds)");
  if (v >= MIN_TS_MS / 1000 && v < MAX_TS_MS / 1000) fail("timestamp must be unix milliseconds (this looks like seconds)");
  if (v < MIN_TS_MS || v >= MAX_TS_MS) fail("timestamp must be unix milliseconds between 2000 and 2100");
  if (v > latestMs) fail(`timestamp ${new Date(v).toISOString()} is more than ${SKEW_TEXT} ahead of this server's clock`);
  return v;
}

const pipelineCache = new Map<string, string>();
function pipelineSlug(v: unknown): string {
  const raw = str(v, "pipeline", 64, true)!;
  const cached = pipelineCache.get(raw);
  if (cached) return cached;
  const slug = raw
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, "-");
  if (!SLUG.test(slug)) fail("pipeline must be a slug such as image-to-video");
  if (pipelineCache.size > 10_000) pipelineCache.clear();
  pipelineCache.set(raw, slug);
  return slug;
}

/**
 * Wei and unit counts are strings of digits (the contract). A JSON number is accepted only while
 * it is a safe integer: JSON.parse has already rounded anything beyond 2^53, so those are refused.
 */
function amount(v: unknown, key: string, pattern: RegExp): string | null {
  if (absent(v, key, false)) return null;
  if (typeof v === "number") {
    if (Number.isSafeInteger(v) && v >= 0) return String(v);
    return fail(`${key} must be a string of digits (a JSON number loses precision beyond 2^53)`);
  }
  if (typeof v !== "string") return fail(`${key} must be a string of digits`);
  if (!pattern.test(v))
    fail(`${key} must be a ${pattern === DIGITS ? "non-negative integer" : "non-negative decimal"} string of at most 78 digits`);
  return v;
}

function positive(v: string | null, key: string): string | null {
  if (v !== null && /^0+$/.test(v)) fail(`${key} must be positive`);
  return v;
}

