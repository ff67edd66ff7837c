// One line of gateway events (a Kafka message value, docs/gateway-events.md section 1) into a typed
// record, or the reason it is rejected. Known types are checked field by field; unknown types are
// recognised as envelopes and counted, never rejected for their type. Pure.
import { exactDecimal, mulR, ratioToDecimal, type Ratio } from "../units";
import { parseOrchestrators, type OrchState } from "./capabilities";
import {
  address,
  EventFieldError,
  fail,
  instantMs,
  int,
  isObj,
  isUuid,
  num,
  obj,
  optAddress,
  optStr,
  str,
  weiStr,
  type Obj,
} from "./fields";
import { orchAlias } from "./identity";

/** Furthest ahead of this server's clock an event may be stamped (the job-log rule). */
export const MAX_EVENT_SKEW_MS = 10 * 60_000;

export interface Envelope {
  id: string;
  type: string;
  atMs: number;
  /** The envelope's `gateway` (the -gatewayHost name; '' in every real capture). */
  feed: string;
}

export interface TraceRecord {
  kind: "stream_trace";
  traceType: string;
  atMs: number;
  streamId: string;
  requestId: string;
  orch: string;
  pipeline: string | null;
}

export interface StatusRecord {
  kind: "ai_stream_status";
  atMs: number;
  streamId: string;
  requestId: string;
  modelId: string;
  state: string;
  orch: string;
  inputFps: number | null;
  outputFps: number | null;
  restartCount: number | null;
  lastError: string | null;
}

export interface SignedTicketRecord {
  kind: "create_signed_ticket";
  atMs: number;
  sessionId: string;
  requestId: string | null;
  pipeline: string;
  orch: string;
  /** Decimal text, exact as sent. */
  billableSecs: string;
  pixels: string | null;
  computedFeeWei: string;
}

export interface PaymentRecord {
  kind: "create_new_payment";
  atMs: number;
  requestId: string | null;
  sessionId: string | null;
  manifestId: string | null;
  sender: string;
  recipient: string;
  orchUrl: string | null;
  faceValueWei: string;
  winProb: string;
  numTickets: number;
  /** faceValue x winProb x numTickets, exact (a decimal: win probabilities are decimals). */
  expectedValueWei: string;
  price: string | null;
}

export interface DiscoveryRecord {
  kind: "discovery_results";
  atMs: number;
  results: { orch: string; latencyMs: number }[];
}

export interface CapabilitiesRecord {
  kind: "network_capabilities";
  atMs: number;
  orchestrators: OrchState[];
}

/**
 * A finished batch AI or LLM request (`ai_batch_request_completed`, `llm_request_completed`,
 * `llm_stream_completed`: emitted by some deployed builds, not go-livepeer master). It names its
 * orchestrator by URL only and carries no exact price, so it feeds the job figures without a fee.
 */
export interface CompletionRecord {
  kind: "completion";
  atMs: number;
  requestId: string;
  pipeline: string;
  modelId: string;
  success: boolean;
  durationMs: number;
  tries: number | null;
  orch: string;
  errorType: string | null;
}

export type EventRecord = TraceRecord | StatusRecord | SignedTicketRecord | PaymentRecord | DiscoveryRecord | CapabilitiesRecord | CompletionRecord;
export type KnownType = Exclude<EventRecord["kind"], "completion"> | "ai_batch_request_completed" | "llm_request_completed" | "llm_stream_completed";

export type ParsedEvent =
  | { ok: true; envelope: Envelope; record: EventRecord }
  | { ok: true; envelope: Envelope; record: null } // an unknown type: counted, not stored
  | { ok: false; reason: string; type: string | null };

const PARSERS: Record<KnownType, (data: unknown, env: Envelope) => EventRecord> = {
  stream_trace: parseTrace,
  ai_stream_status: parseStatus,
  create_signed_ticket: parseSignedTicket,
  create_new_payment: parsePayment,
  discovery_results: parseDiscovery,
  network_capabilities: parseCapabilities,
  ai_batch_request_completed: parseBatchCompletion,
  llm_request_completed: parseLlmCompletion,
  llm_stream_completed: parseLlmCompletion,
};

export const KNOWN_TYPES = Object.keys(PARSERS) as KnownType[];

export function isKnownType(t: string): t is KnownType {
  return Object.prototype.hasOwnProperty.call(PARSERS, t);
}

/** Parses one line (without its newline). `nowMs` bounds how far ahead of the clock an event may be. */
export function parseEventLine(text: string, nowMs: number): ParsedEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: "not JSON", type: null };
  }
  return parseEventValue(value, nowMs);
}

export function parseEventValue(value: unknown, nowMs: number): ParsedEvent {
  let type: string | null = null;
  try {
    if (!isObj(value)) fail("not a JSON object (an envelope is {id, type, timestamp, gateway, data})");
    const v = value as Obj;
    type = typeof v.type === "string" ? v.type : null;
    if (!isUuid(v.id)) fail("id must be a UUID (the envelope's Kafka key)");
    const t = str(v, "type", "envelope", { max: 100, nonEmpty: true });
    const atMs = instantMs(v.timestamp, "timestamp");
    if (atMs > nowMs + MAX_EVENT_SKEW_MS) fail(`timestamp is more than ${MAX_EVENT_SKEW_MS / 60_000} minutes ahead of this server's clock`);
    const envelope: Envelope = { id: (v.id as string).toLowerCase(), type: t, atMs, feed: str(v, "gateway", "envelope", { max: 256, fallback: "" }) };
    if (!isKnownType(t)) return { ok: true, envelope, record: null };
    if (v.data === undefined || v.data === null) fail("data is missing");
    return { ok: true, envelope, record: PARSERS[t](v.data, envelope) };
  } catch (e) {
    if (e instanceof EventFieldError) return { ok: false, reason: type ? `${type}: ${e.message}` : e.message, type };
    throw e;
  }
}

/** The instant of a data object: its own `timestamp` (ms) when present, else the envelope's. */
function dataInstant(d: Obj, key: string, env: Envelope): number {
  return d[key] === undefined || d[key] === null || d[key] === 0 ? env.atMs : instantMs(d[key], `data.${key}`);
}

function orchInfo(d: Obj): string {
  const info = d.orchestrator_info;
  if (info === undefined || info === null) return "";
  const o = obj(info, "data.orchestrator_info");
  return orchAlias(optStr(o, "address", "data.orchestrator_info", 64), optStr(o, "url", "data.orchestrator_info", 1024));
}

function parseTrace(data: unknown, env: Envelope): TraceRecord {
  const d = obj(data, "data");
  return {
    kind: "stream_trace",
    traceType: str(d, "type", "data", { max: 100, nonEmpty: true }),
    atMs: dataInstant(d, "timestamp", env),
    streamId: str(d, "stream_id", "data", { max: 256, nonEmpty: true }),
    requestId: str(d, "request_id", "data", { max: 256, fallback: "" }),
    orch: orchInfo(d),
    pipeline: optStr(d, "pipeline", "data", 256),
  };
}

function parseStatus(data: unknown, env: Envelope): StatusRecord {
  const d = obj(data, "data");
  const input = d.input_status === undefined || d.input_status === null ? {} : obj(d.input_status, "data.input_status");
  const inference = d.inference_status === undefined || d.inference_status === null ? {} : obj(d.inference_status, "data.inference_status");
  const lastError = inference.last_error;
  return {
    kind: "ai_stream_status",
    atMs: dataInstant(d, "timestamp", env),
    streamId: str(d, "stream_id", "data", { max: 256, nonEmpty: true }),
    requestId: str(d, "request_id", "data", { max: 256, fallback: "" }),
    modelId: str(d, "pipeline", "data", { max: 256, fallback: "" }),
    state: str(d, "state", "data", { max: 64, fallback: "" }),
    orch: orchInfo(d),
    inputFps: num(input, "fps", "data.input_status", { optional: true, min: 0, max: 1000 }),
    outputFps: num(inference, "fps", "data.inference_status", { optional: true, min: 0, max: 1000 }),
    restartCount: int(inference, "restart_count", "data.inference_status", { optional: true, min: 0, max: 2_147_483_647 }),
    lastError:
      lastError === undefined || lastError === null || lastError === ""
        ? null
        : typeof lastError === "string"
          ? str(inference, "last_error", "data.inference_status", { max: 2000 })
          : JSON.stringify(lastError).slice(0, 2000),
  };
}

function parseSignedTicket(data: unknown, env: Envelope): SignedTicketRecord {
  const d = obj(data, "data");
  const secs = num(d, "billable_secs", "data", { min: 0, max: 31_536_000 })!;
  const pixels = d.pixels === undefined || d.pixels === null ? null : weiStr(d, "pixels", "data");
  return {
    kind: "create_signed_ticket",
    atMs: dataInstant(d, "current_time_unix", env),
    sessionId: str(d, "session_id", "data", { max: 256, nonEmpty: true }),
    requestId: optStr(d, "request_id", "data", 256),
    pipeline: str(d, "pipeline", "data", { max: 64, fallback: "" }),
    orch: orchAlias(optStr(d, "orch_address", "data", 64), optStr(d, "orch_url", "data", 1024)),
    billableSecs: ratioToDecimal(exactDecimal(secs), 40),
    pixels,
    computedFeeWei: weiStr(d, "computed_fee", "data"),
  };
}

const FACE_VALUE = /^\s*([0-9]{1,78}(?:\.[0-9]{1,40})?)\s*(WEI|ETH)\s*$/i;
const PROBABILITY = /^\s*(0(?:\.[0-9]{1,40})?|1(?:\.0{1,40})?)\s*$/;

/** `"2402400000000000 WEI"` or `"0.0123 ETH"` (eth.FormatUnits) as integer wei, exactly. */
export function parseFaceValue(text: string): bigint {
  const m = FACE_VALUE.exec(text);
  if (!m) return fail(`data.faceValue must read "<n> WEI" or "<x> ETH", not ${JSON.stringify(text.slice(0, 40))}`);
  const r: Ratio = m[2].toUpperCase() === "ETH" ? mulR(exactDecimal(m[1]), { num: 10n ** 18n, den: 1n }) : exactDecimal(m[1]);
  if (r.den !== 1n) return fail(`data.faceValue ${m[0].trim()} is not a whole number of wei`);
  return r.num;
}

function parsePayment(data: unknown, env: Envelope): PaymentRecord {
  const d = obj(data, "data");
  const face = parseFaceValue(str(d, "faceValue", "data", { max: 100 }));
  const winText = str(d, "winProb", "data", { max: 60 });
  if (!PROBABILITY.test(winText)) fail("data.winProb must be a decimal probability between 0 and 1");
  const win = exactDecimal(winText.trim());
  const tickets = int(d, "numTickets", "data", { min: 0, max: 1_000_000 })!;
  const ev = mulR(mulR({ num: face, den: 1n }, win), { num: BigInt(tickets), den: 1n });
  return {
    kind: "create_new_payment",
    atMs: env.atMs,
    requestId: optStr(d, "requestID", "data", 256),
    sessionId: optStr(d, "sessionID", "data", 256),
    manifestId: optStr(d, "manifestID", "data", 256),
    sender: address(d, "sender", "data"),
    recipient: address(d, "recipient", "data"),
    orchUrl: optStr(d, "orchestrator", "data", 1024),
    faceValueWei: face.toString(),
    winProb: ratioToDecimal(win, 60),
    numTickets: tickets,
    expectedValueWei: ratioToDecimal(ev, 80),
    price: optStr(d, "price", "data", 100),
  };
}

function parseDiscovery(data: unknown, env: Envelope): DiscoveryRecord {
  if (!Array.isArray(data)) fail("data must be an array of {address, url, latency_ms}");
  const rows = data as unknown[];
  if (rows.length > 10_000) fail("data has more than 10,000 results");
  return {
    kind: "discovery_results",
    atMs: env.atMs,
    results: rows.map((r, i) => {
      const o = obj(r, `data[${i}]`);
      return {
        orch: orchAlias(optAddress(o, "address", `data[${i}]`), optStr(o, "url", `data[${i}]`, 1024)),
        latencyMs: int(o, "latency_ms", `data[${i}]`, { min: 0, max: 2_147_483_647 })!,
      };
    }),
  };
}

const MAX_MS = 2_147_483_647;

function parseBatchCompletion(data: unknown, env: Envelope): CompletionRecord {
  const d = obj(data, "data");
  if (typeof d.success !== "boolean") fail("data.success must be true or false");
  const pipeline = str(d, "pipeline", "data", { max: 64, nonEmpty: true }).trim().toLowerCase().replace(/[\s_]+/g, "-");
  const errorType = optStr(d, "error_type", "data", 256) ?? (d.success ? null : optStr(d, "error", "data", 256) ? "error" : null);
  return {
    kind: "completion",
    atMs: dataInstant(d, "timestamp", env),
    requestId: str(d, "request_id", "data", { max: 256, nonEmpty: true }),
    pipeline,
    modelId: str(d, "model_id", "data", { max: 256, nonEmpty: true }),
    success: d.success as boolean,
    durationMs: int(d, "duration_ms", "data", { min: 0, max: MAX_MS })!,
    tries: int(d, "tries", "data", { optional: true, min: 0, max: 1000 }),
    orch: orchAlias(null, optStr(d, "orch_url", "data", 1024)),
    errorType: errorType?.trim() || null,
  };
}

function parseLlmCompletion(data: unknown, env: Envelope): CompletionRecord {
  const d = obj(data, "data");
  const error = optStr(d, "error", "data", 2000);
  return {
    kind: "completion",
    atMs: dataInstant(d, "timestamp", env),
    requestId: str(d, "request_id", "data", { max: 256, nonEmpty: true }),
    pipeline: "llm",
    modelId: str(d, "model", "data", { max: 256, nonEmpty: true }),
    success: !error,
    durationMs: int(d, "total_duration_ms", "data", { min: 0, max: MAX_MS })!,
    tries: null,
    orch: orchAlias(null, optStr(d, "orch_url", "data", 1024)),
    errorType: error ? (optStr(d, "finish_reason", "data", 64) ?? "error") : null,
  };
}

function parseCapabilities(data: unknown, env: Envelope): CapabilitiesRecord {
  if (!Array.isArray(data)) fail("data must be an array of orchestrators (OrchNetworkCapabilities)");
  return { kind: "network_capabilities", atMs: env.atMs, orchestrators: parseOrchestrators(data as unknown[], "data") };
}
