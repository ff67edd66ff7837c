// Builders of gateway event envelopes shaped exactly like the real captures
// (tests/real-samples/gateway-events): string timestamps, an empty `gateway`, EIP-55 addresses, the
// orchestrator named by its hot wallet in stream events, faceValue as "N WEI" below 0.01 ETH and
// "x ETH" above. Used by the demo gateway and by the tests. Pure apart from the ids' hash.
import { createHash } from "node:crypto";

export interface Envelope {
  id: string;
  type: string;
  timestamp: string;
  gateway: string;
  data: unknown;
}

/** A UUID (v4 layout) derived from a key, so a demo rebuilt with the same seed writes the same ids. */
export function uuidOf(key: string): string {
  const h = createHash("sha256").update(key).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function envelope(type: string, atMs: number, data: unknown, idKey: string, gateway = ""): Envelope {
  return { id: uuidOf(idKey), type, timestamp: String(atMs), gateway, data };
}

const checksums = new Map<string, string>();

/** EIP-55 mixed-case checksum of a lowercase address (keccak-256; implemented here to need no dependency). Memoised. */
export function toChecksumAddress(lower: string): string {
  const known = checksums.get(lower);
  if (known) return known;
  const a = lower.toLowerCase().replace(/^0x/, "");
  const hash = keccak256Hex(Buffer.from(a, "ascii"));
  let out = "0x";
  for (let i = 0; i < a.length; i++) out += parseInt(hash[i], 16) >= 8 ? a[i].toUpperCase() : a[i];
  if (checksums.size < 100_000) checksums.set(lower, out);
  return out;
}

/** go-livepeer eth.FormatUnits style: "N WEI" below 0.01 ETH, else ETH with up to 18 decimals. */
export function formatFaceValue(wei: bigint): string {
  if (wei < 10n ** 16n) return `${wei} WEI`;
  const whole = wei / 10n ** 18n;
  const frac = (wei % 10n ** 18n).toString().padStart(18, "0").replace(/0+$/, "");
  return frac ? `${whole}.${frac} ETH` : `${whole} ETH`;
}

export interface LiveSessionSpec {
  key: string;
  streamId: string;
  requestId: string;
  startMs: number;
  /** Hot wallet (lowercase) and service URL the events name the orchestrator by. */
  orchHot: string;
  orchUrl: string;
  /** Canonical address (lowercase): the payment's recipient. */
  orchAddress: string;
  gatewayAddress: string;
  modelId: string;
  /** Stream request to first processed segment; null: the session never got one (no startup). */
  startupMs: number | null;
  durationMs: number;
  /** [input fps, delivered fps] per status sample, every 10 s from the first segment. */
  fps: [number, number][];
  swaps: number;
  errors: number;
  /** Advertised price, wei per pixel. */
  priceWeiPerPixel: bigint;
  /** Signed-ticket payments: seconds each pays for (60 s up front, then every interval). */
  paymentSecs: number[];
  faceValueWei: bigint;
  winProb: string;
  /** Status samples' spacing (default 10 s). */
  statusIntervalMs?: number;
  /**
   * Tickets sent with each payment (same length as paymentSecs): one create_new_payment per payment
   * with numTickets > 0, as a gateway pays a live session as it goes. Absent: a single
   * create_new_payment of one ticket at the start.
   */
  ticketsPerPayment?: number[];
}

/** Live-video billing: 1280 x 720 x 30 pixels per second of wall time (docs/gateway-events.md section 5). */
export const LIVE_PIXELS_PER_SECOND = 1280n * 720n * 30n;

/** Every envelope a gateway (and its remote signer) emits for one live session, in time order. */
export function liveSessionEnvelopes(s: LiveSessionSpec): Envelope[] {
  const out: Envelope[] = [];
  const hot = toChecksumAddress(s.orchHot);
  const info = { address: hot, url: s.orchUrl };
  const trace = (type: string, at: number, orch = true, n = 0) =>
    envelope(
      "stream_trace",
      at,
      { orchestrator_info: orch ? info : { address: "", url: "" }, pipeline_id: "", request_id: s.requestId, stream_id: s.streamId, timestamp: at, type },
      `${s.key}/trace/${type}/${n}`,
    );
  const t0 = s.startMs;
  out.push(trace("gateway_receive_stream_request", t0, false));
  out.push(envelope("discovery_results", t0 + 250, [{ address: s.orchHot, latency_ms: String(40 + (t0 % 90)), url: s.orchUrl }], `${s.key}/discovery`));
  const payment = (at: number, numTickets: number, idKey: string) =>
    envelope(
      "create_new_payment",
      at,
      {
        capability: "",
        clientIP: "",
        faceValue: formatFaceValue(s.faceValueWei),
        manifestID: `35_${s.modelId}`,
        numTickets: String(numTickets),
        orchestrator: s.orchUrl,
        price: `${s.priceWeiPerPixel}.000 wei/pixel`,
        recipient: toChecksumAddress(s.orchAddress),
        requestID: s.requestId,
        sender: toChecksumAddress(s.gatewayAddress),
        sessionID: s.key.slice(-8),
        winProb: s.winProb,
      },
      idKey,
    );
  if (!s.ticketsPerPayment) out.push(payment(t0 + 260, 1, `${s.key}/payment`));
  else
    s.ticketsPerPayment.forEach((n, i) => {
      if (n > 0) out.push(payment(t0 + 260 + i * 60_000, n, i === 0 ? `${s.key}/payment` : `${s.key}/payment/${i}`));
    });
  out.push(trace("gateway_send_first_ingest_segment", t0 + 300));
  if (s.startupMs !== null) {
    out.push(trace("runner_receive_first_ingest_segment", t0 + Math.round(s.startupMs * 0.3)));
    out.push(trace("runner_send_first_processed_segment", t0 + Math.round(s.startupMs * 0.9)));
    out.push(trace("gateway_receive_first_processed_segment", t0 + s.startupMs));
    out.push(trace("gateway_receive_few_processed_segments", t0 + s.startupMs + 2000));
  }
  const first = t0 + (s.startupMs ?? 2000);
  s.fps.forEach(([input, delivered], i) => {
    const at = first + (i + 1) * (s.statusIntervalMs ?? 10_000);
    out.push(
      envelope(
        "ai_stream_status",
        at,
        {
          inference_status: { fps: delivered, last_error: null, last_error_time: null, last_output_time: at - 70, last_params: { height: 512, width: 512 }, restart_count: 0 },
          input_status: { fps: input, last_input_time: at - 90 },
          orchestrator_info: info,
          pipeline: s.modelId,
          pipeline_id: "",
          request_id: s.requestId,
          start_time: first,
          state: "ONLINE",
          stream_id: s.streamId,
          timestamp: at,
          type: "status",
        },
        `${s.key}/status/${i}`,
      ),
    );
  });
  for (let i = 0; i < s.swaps; i++) out.push(trace("orchestrator_swap", first + (i + 1) * 15_000, true, i));
  for (let i = 0; i < s.errors; i++) out.push(trace("error", first + (i + 1) * 17_000, true, i));
  let paidUntil = t0;
  s.paymentSecs.forEach((secs, i) => {
    const at = t0 + 300 + i * 60_000;
    const pixels = LIVE_PIXELS_PER_SECOND * BigInt(Math.round(secs * 1000)) / 1000n;
    const fee = pixels * s.priceWeiPerPixel;
    out.push(
      envelope(
        "create_signed_ticket",
        at,
        {
          session_id: s.key.slice(-8),
          session_status: i === 0 ? "new" : "continuing",
          pipeline: "live-video-to-video",
          request_id: s.requestId,
          orch_address: hot,
          orch_url: s.orchUrl,
          manifest_id: `35_${s.modelId}`,
          current_time_unix: at,
          previous_time_unix: paidUntil,
          billable_secs: secs,
          pixels: Number(pixels),
          computed_fee: fee.toString(),
          cost: `${s.priceWeiPerPixel}.0000000000`,
          sequence_number: i,
          num_tickets: 1,
        },
        `${s.key}/ticket/${i}`,
      ),
    );
    paidUntil = at;
  });
  out.push(trace("gateway_ingest_stream_closed", t0 + s.durationMs));
  return out.sort((a, b) => Number(a.timestamp) - Number(b.timestamp));
}

/** A stream request no orchestrator took (`gateway_no_orchestrators_available`): no status, no payment. */
export function unservedSessionEnvelopes(s: { key: string; streamId: string; requestId: string; startMs: number; retryMs: number }): Envelope[] {
  const trace = (type: string, at: number) =>
    envelope(
      "stream_trace",
      at,
      { orchestrator_info: { address: "", url: "" }, pipeline_id: "", request_id: s.requestId, stream_id: s.streamId, timestamp: at, type },
      `${s.key}/trace/${type}/0`,
    );
  return [
    trace("gateway_receive_stream_request", s.startMs),
    trace("gateway_no_orchestrators_available", s.startMs + s.retryMs),
    trace("gateway_ingest_stream_closed", s.startMs + s.retryMs + 1_500),
  ];
}

// ---------------------------------------------------------------------------------------------
// keccak-256 (the Ethereum variant: original padding 0x01), for EIP-55 only.

const RC = [
  0x0000000000000001n, 0x0000000000008082n, 0x800000000000808an, 0x8000000080008000n, 0x000000000000808bn, 0x0000000080000001n,
  0x8000000080008081n, 0x8000000000008009n, 0x000000000000008an, 0x0000000000000088n, 0x0000000080008009n, 0x000000008000000an,
  0x000000008000808bn, 0x800000000000008bn, 0x8000000000008089n, 0x8000000000008003n, 0x8000000000008002n, 0x8000000000000080n,
  0x000000000000800an, 0x800000008000000an, 0x8000000080008081n, 0x8000000000008080n, 0x0000000080000001n, 0x8000000080008008n,
];
const ROT = [0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14];
const M64 = (1n << 64n) - 1n;
const rotl = (x: bigint, n: number) => (n === 0 ? x : ((x << BigInt(n)) | (x >> BigInt(64 - n))) & M64);

function keccakF(s: bigint[]): void {
  for (let round = 0; round < 24; round++) {
    const c = [0, 1, 2, 3, 4].map((x) => s[x] ^ s[x + 5] ^ s[x + 10] ^ s[x + 15] ^ s[x + 20]);
    for (let x = 0; x < 5; x++) {
      const d = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
      for (let y = 0; y < 25; y += 5) s[x + y] ^= d;
    }
    const b = new Array<bigint>(25);
    for (let x = 0; x < 5; x++) for (let y = 0; y < 5; y++) b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(s[x + 5 * y], ROT[x + 5 * y]);
    for (let x = 0; x < 5; x++) for (let y = 0; y < 5; y++) s[x + 5 * y] = b[x + 5 * y] ^ (~b[((x + 1) % 5) + 5 * y] & M64 & b[((x + 2) % 5) + 5 * y]);
    s[0] ^= RC[round];
  }
}

export function keccak256Hex(data: Uint8Array): string {
  const rate = 136;
  const padded = new Uint8Array(Math.ceil((data.length + 1) / rate) * rate);
  padded.set(data);
  padded[data.length] ^= 0x01;
  padded[padded.length - 1] ^= 0x80;
  const s = new Array<bigint>(25).fill(0n);
  for (let off = 0; off < padded.length; off += rate) {
    for (let i = 0; i < rate / 8; i++) {
      let lane = 0n;
      for (let k = 7; k >= 0; k--) lane = (lane << 8n) | BigInt(padded[off + i * 8 + k]);
      s[i] ^= lane;
    }
    keccakF(s);
  }
  let hex = "";
  for (let i = 0; i < 4; i++) for (let k = 0; k < 8; k++) hex += Number((s[i] >> BigInt(8 * k)) & 0xffn).toString(16).padStart(2, "0");
  return hex;
}
