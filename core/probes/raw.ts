// Reading the AI leaderboard API's raw rows (GET /api/raw_stats, Go `models.Stats`) into probe
// records: orchestrator lowercased, region uppercased, pipeline names ("Text to image" or
// "text-to-image") to slugs, `model_is_warm` absent = false (Go omitempty), `success_rate` and
// `round_trip_time` absent = 0 (the API's own COALESCE), round trips in seconds, timestamps in unix
// seconds. Each record gets the fingerprint that completes its natural key (db/schema-probes.ts).
// Rows without a pipeline and model are transcoding tests: skipped and counted. A row that cannot be
// read is rejected with a reason, never guessed. Pure.
import { latencyBucket, MAX_DURATION_MS } from "../latency-histogram";

export interface ProbeRecord {
  orchestrator: string;
  /** Unix seconds of the probe's own `timestamp` (the tester's clock). */
  ts: number;
  region: string;
  pipeline: string;
  model: string;
  fingerprint: string;
  successRate: number;
  roundTripS: number;
  warm: boolean;
  /** Bucket (core/latency-histogram.ts) of the round trip in whole ms when ok, else null. */
  rttBucket: number | null;
  errorCodes: string[];
  errorCounts: number[];
}

export interface ParsedRawStats {
  probes: ProbeRecord[];
  /** Rows without pipeline and model (transcoding tests). */
  transcoding: number;
  rejected: { reason: string }[];
}

/** "Text to image", "text-to-image", "Text-To-Image " -> "text-to-image"; "Llm" -> "llm". */
export function pipelineSlug(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * 64 bits of a string as 16 hex digits: two multiplicative lanes over its UTF-16 units, cross-mixed
 * at the end (cyrb53's construction, both lanes kept). Not cryptographic: it only has to tell apart
 * two probes of the same orchestrator, region, pipeline, model and second, and is several times
 * cheaper per row than a SHA-256 (measured in the ingest's profile).
 */
export function hash64(s: string): string {
  h1 = 0xdeadbeef;
  h2 = 0x41c6ce57;
  feed(s);
  return digest();
}

// The hash's running lanes: fingerprintOf() feeds the fingerprint's JSON text piece by piece, so the
// text is never built. Module state, used only within one synchronous call.
let h1 = 0;
let h2 = 0;
function unit(c: number): void {
  h1 = Math.imul(h1 ^ c, 2654435761);
  h2 = Math.imul(h2 ^ c, 1597334677);
}
function feed(s: string): void {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
}
function digest(): string {
  const a = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  const b = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(a ^ (a >>> 13), 3266489909);
  return (b >>> 0).toString(16).padStart(8, "0") + (a >>> 0).toString(16).padStart(8, "0");
}
const HEX = "0123456789abcdef";
/** `\uXXXX` with lowercase hex, as JSON.stringify writes control characters and lone surrogates. */
function unitEscaped(c: number): void {
  unit(0x5c);
  unit(0x75);
  for (let shift = 12; shift >= 0; shift -= 4) unit(HEX.charCodeAt((c >> shift) & 15));
}
/** Feeds JSON.stringify(s) without making it: quotes, and the escapes of ECMAScript's QuoteJSONString. */
function feedJsonString(s: string): void {
  unit(0x22);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c && (c < 0xd800 || c > 0xdfff)) unit(c);
    else if (c === 0x22 || c === 0x5c) {
      unit(0x5c);
      unit(c);
    } else if (c < 0x20) {
      const short = c === 8 ? 0x62 : c === 9 ? 0x74 : c === 10 ? 0x6e : c === 12 ? 0x66 : c === 13 ? 0x72 : 0;
      if (short) {
        unit(0x5c);
        unit(short);
      } else unitEscaped(c);
    } else if (c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      unit(c); // a surrogate pair stays as it is
      unit(s.charCodeAt(++i));
    } else unitEscaped(c); // a lone surrogate
  }
  unit(0x22);
}
const COMMA = 0x2c;

/**
 * The fingerprint of a probe's fields outside its key:
 * hash64(JSON.stringify([successRate, roundTripS, warm, errors, inputParameters, responsePayload])),
 * computed without making that text (numbers print as JSON prints them: String() of a finite number).
 */
export function fingerprintOf(successRate: number, roundTripS: number, warm: boolean, errors: unknown, inputParameters: string | null, responsePayload: string | null): string {
  h1 = 0xdeadbeef;
  h2 = 0x41c6ce57;
  unit(0x5b);
  feed(String(successRate));
  unit(COMMA);
  feed(String(roundTripS));
  unit(COMMA);
  feed(warm ? "true" : "false");
  unit(COMMA);
  feed(errors === null ? "null" : JSON.stringify(errors));
  unit(COMMA);
  if (inputParameters === null) feed("null");
  else feedJsonString(inputParameters);
  unit(COMMA);
  if (responsePayload === null) feed("null");
  else feedJsonString(responsePayload);
  unit(0x5d);
  return digest();
}

/** The probes the official median is taken over: success_rate = 1 and round_trip_time <> 0. */
export const isOk = (successRate: number, roundTripS: number): boolean => successRate === 1 && roundTripS !== 0;

/** A round trip in seconds to its histogram bucket (whole milliseconds, capped at the layout's maximum). */
export function rttBucketOf(roundTripS: number): number {
  return latencyBucket(Math.min(MAX_DURATION_MS, Math.max(0, Math.round(roundTripS * 1000))));
}

// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MAX_TEXT = 512;
/** 2015-01-01 to 2100-01-01, in seconds. */
const MIN_TS = 1_420_070_400;
const MAX_TS = 4_102_444_800;

class RowError extends Error {}
const bad = (reason: string): never => {
  throw new RowError(reason);
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function text(o: Obj, key: string, opts: { required: boolean }): string {
  const v = o[key];
  if (v === undefined || v === null || v === "") return opts.required ? bad(`${key} is missing`) : "";
  if (typeof v !== "string") return bad(`${key} must be a string`);
  if (v.length > MAX_TEXT) return bad(`${key} is longer than ${MAX_TEXT} characters`);
  if (UNSTORABLE.test(v)) return bad(`${key} holds characters that cannot be stored`);
  return v;
}

function num(o: Obj, key: string, min: number, max: number): number {
  const v = o[key];
  if (v === undefined || v === null) return 0; // Go writes zero values; an absent one is 0 to the API's SQL too
  if (typeof v !== "number" || !Number.isFinite(v)) return bad(`${key} must be a finite number`);
  if (v < min || v > max) return bad(`${key} ${v} is out of range [${min}, ${max}]`);
  return v;
}

const NO_CODES: string[] = [];
const NO_COUNTS: number[] = [];
Object.freeze(NO_CODES);
Object.freeze(NO_COUNTS);

function errorsOf(v: unknown): { codes: string[]; counts: number[] } {
  if (v === undefined || v === null) return { codes: NO_CODES, counts: NO_COUNTS };
  if (!Array.isArray(v)) return bad("errors must be an array");
  const byCode = new Map<string, number>();
  for (const e of v) {
    if (!isObj(e)) bad("errors[] must be objects");
    const code = text(e as Obj, "error_code", { required: false }) || "unknown";
    const c = (e as Obj).count;
    const count = c === undefined || c === null ? 1 : typeof c === "number" && Number.isInteger(c) && c >= 0 && c <= 1e6 ? c : bad("errors[].count must be a whole number");
    if (count) byCode.set(code, (byCode.get(code) ?? 0) + count);
  }
  if (!byCode.size) return { codes: NO_CODES, counts: NO_COUNTS };
  const codes = [...byCode.keys()].sort();
  return { codes, counts: codes.map((k) => byCode.get(k)!) };
}

// What the checks below made of a value already seen: an answer repeats a few orchestrators,
// regions, pipeline names and models thousands of times. Only values that passed are kept; the
// maps are emptied when they grow past a few thousand entries (a hostile answer of distinct names).
const CACHE_MAX = 4096;
const seenOrchestrators = new Map<string, string>();
const seenRegions = new Map<string, string>();
const seenPipelines = new Map<string, string>();
const seenModels = new Map<string, string>();
function remember<V>(m: Map<string, V>, k: string, v: V): V {
  if (m.size >= CACHE_MAX) m.clear();
  m.set(k, v);
  return v;
}

function orchestratorOf(row: Obj): string {
  const v = row.orchestrator;
  const known = typeof v === "string" ? seenOrchestrators.get(v) : undefined;
  if (known !== undefined) return known;
  const o = text(row, "orchestrator", { required: true }).trim().toLowerCase();
  if (!/^0x[0-9a-f]{40}$/.test(o)) bad("orchestrator must be 0x and 40 hex digits");
  return remember(seenOrchestrators, v as string, o);
}

function regionOf(row: Obj, regionKey: string): string {
  const v = row.region;
  const raw = v === undefined || v === null || v === "" ? regionKey : v;
  const known = typeof raw === "string" ? seenRegions.get(raw) : undefined;
  if (known !== undefined) return known;
  const region = (text(row, "region", { required: false }) || regionKey).trim().toUpperCase();
  if (!/^[A-Z0-9_-]{1,32}$/.test(region)) bad("region must be a short id such as MDW");
  return remember(seenRegions, raw as string, region);
}

function modelOf(row: Obj): string {
  const v = row.model;
  const known = typeof v === "string" ? seenModels.get(v) : undefined;
  if (known !== undefined) return known; // one string object per model: later maps keyed by it hash it once
  const model = text(row, "model", { required: false });
  return model ? remember(seenModels, model, model) : model;
}

const stringOrNull = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** One raw row; `regionKey` is the answer's key it came under (used when the row has no region). */
export function parseRawRow(row: unknown, regionKey: string): ProbeRecord | "transcoding" {
  if (!isObj(row)) return bad("a row must be an object");
  // Checked in the order the reasons are given: pipeline and model, orchestrator, region, timestamp, ...
  const pv = row.pipeline;
  let pipeline = typeof pv === "string" ? seenPipelines.get(pv) : undefined;
  const pipelineName = pipeline === undefined ? text(row, "pipeline", { required: false }) : (pv as string);
  const model = modelOf(row);
  if (!pipelineName && !model) return "transcoding";
  if (!pipelineName) bad("pipeline is missing (model given)");
  if (!model) bad("model is missing (pipeline given)");
  if (pipeline === undefined) {
    pipeline = pipelineSlug(pipelineName);
    if (!pipeline) bad(`pipeline "${pipelineName.slice(0, 40)}" has no letters or digits`);
    remember(seenPipelines, pipelineName, pipeline);
  }
  const orchestrator = orchestratorOf(row);
  const region = regionOf(row, regionKey);
  const t = row.timestamp;
  if (typeof t !== "number" || !Number.isInteger(t)) bad("timestamp must be whole unix seconds");
  if ((t as number) < MIN_TS || (t as number) > MAX_TS) bad(`timestamp ${t} is not unix seconds between 2015 and 2100 (milliseconds?)`);
  const successRate = num(row, "success_rate", 0, 1);
  const roundTripS = num(row, "round_trip_time", 0, 86_400);
  const w = row.model_is_warm;
  if (w !== undefined && w !== null && typeof w !== "boolean") bad("model_is_warm must be true or false");
  const warm = w === true;
  const errors = errorsOf(row.errors);
  const canonical = row.errors === undefined || row.errors === null ? null : row.errors;
  const fingerprint = fingerprintOf(successRate, roundTripS, warm, canonical, stringOrNull(row.input_parameters), stringOrNull(row.response_payload));
  return {
    orchestrator,
    ts: t as number,
    region,
    pipeline,
    model,
    fingerprint,
    successRate,
    roundTripS,
    warm,
    rttBucket: isOk(successRate, roundTripS) ? rttBucketOf(roundTripS) : null,
    errorCodes: errors.codes,
    errorCounts: errors.counts,
  };
}

/**
 * A raw_stats answer `{"<REGION>": [row, ...], ...}` to records. `expectOrchestrator`, when given,
 * rejects rows of any other orchestrator (the API filters by it: a row of another is not ours to store).
 */
export function parseRawStats(body: unknown, expectOrchestrator?: string): ParsedRawStats {
  if (!isObj(body)) throw new TypeError("raw_stats answer must be an object of regions");
  const out: ParsedRawStats = { probes: [], transcoding: 0, rejected: [] };
  for (const [regionKey, rows] of Object.entries(body)) {
    if (rows === null) continue;
    if (!Array.isArray(rows)) throw new TypeError(`raw_stats answer: region ${regionKey.slice(0, 32)} must hold an array`);
    for (const row of rows) {
      try {
        const r = parseRawRow(row, regionKey);
        if (r === "transcoding") out.transcoding++;
        else if (expectOrchestrator && r.orchestrator !== expectOrchestrator) out.rejected.push({ reason: `row of another orchestrator (${r.orchestrator})` });
        else out.probes.push(r);
      } catch (e) {
        if (e instanceof RowError) out.rejected.push({ reason: e.message });
        else throw e;
      }
    }
  }
  return out;
}

export interface RegionRef {
  id: string;
  name: string;
  type: string;
}

/** GET /api/regions -> its regions (ids uppercased); throws TypeError on another shape. */
export function parseRegions(body: unknown): RegionRef[] {
  if (!isObj(body) || !Array.isArray(body.regions)) throw new TypeError('regions answer must be {"regions": [...]}');
  const out: RegionRef[] = [];
  for (const r of body.regions) {
    if (!isObj(r) || typeof r.id !== "string" || !/^[A-Za-z0-9_-]{1,32}$/.test(r.id)) continue;
    const name = typeof r.name === "string" && !UNSTORABLE.test(r.name) ? r.name.slice(0, 100) : r.id;
    const type = typeof r.type === "string" && /^[a-z]{1,20}$/.test(r.type) ? r.type : "unknown";
    out.push({ id: r.id.toUpperCase(), name, type });
  }
  return out;
}

export interface PipelineRef {
  pipeline: string;
  name: string;
  model: string;
  regions: string[];
}

/** GET /api/pipelines -> one entry per pipeline slug and model (the name kept as the tester posts it). */
export function parsePipelines(body: unknown): PipelineRef[] {
  if (!isObj(body) || !Array.isArray(body.pipelines)) throw new TypeError('pipelines answer must be {"pipelines": [...]}');
  const out = new Map<string, PipelineRef>();
  for (const p of body.pipelines) {
    if (!isObj(p) || typeof p.id !== "string" || p.id.length > MAX_TEXT || UNSTORABLE.test(p.id)) continue;
    const pipeline = pipelineSlug(p.id);
    if (!pipeline) continue;
    const regions = Array.isArray(p.regions) ? p.regions.filter((r): r is string => typeof r === "string" && /^[A-Za-z0-9_-]{1,32}$/.test(r)).map((r) => r.toUpperCase()) : [];
    for (const m of Array.isArray(p.models) ? p.models : []) {
      if (typeof m !== "string" || !m || m.length > MAX_TEXT || UNSTORABLE.test(m)) continue;
      const prev = out.get(`${pipeline}\u0000${m}`);
      out.set(`${pipeline}\u0000${m}`, { pipeline, name: p.id, model: m, regions: [...new Set([...(prev?.regions ?? []), ...regions])].sort() });
    }
  }
  return [...out.values()];
}
