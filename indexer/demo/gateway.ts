// The demo network's gateway, as a go-livepeer gateway exposes it (docs/gateway-events.md section 1):
//
// - `GET /getNetworkCapabilities`, in the real answer's exact shape (capabilities_names and one
//   OrchNetworkCapabilities per orchestrator: EIP-55 canonical address, hot wallet, the subgraph's
//   serviceURI, GPUs, models, exact prices; transcoding-only nodes with null hardware and prices);
// - Kafka gateway events exported as JSON lines (what `kcat -C -t network_events -e` writes): every
//   live session of the demo's recent days (stream_trace, ai_stream_status, create_signed_ticket,
//   create_new_payment, discovery_results), periodic `discovery_results` and `network_capabilities`,
//   requests no orchestrator took, with the real envelopes' quirks (string timestamps, an empty
//   `gateway`, both faceValue forms). Delivery is at most once: ~1% of sessions lost one timeline
//   event. Payment events are all kept, so what the events say was paid is what the chain's tickets
//   were drawn from (traffic.ts).
//
// One rotated .jsonl.gz (days before yesterday) and an active .jsonl, plus an appender that writes
// the rest of today's events as the clock reaches them, like the job logs.
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import zlib from "node:zlib";
import { DAY_MS, isUp, priceAt, type AiNode, type AiPlan, type TranscodingNode } from "./ai-plan";
import { envelope, liveSessionEnvelopes, toChecksumAddress, unservedSessionEnvelopes, type Envelope } from "./gateway-envelopes";
import { startLineAppender, type LineAppender } from "./job-logs";
import { demoAi, type LiveSession } from "./traffic";

/** go-livepeer's capability names (core/capabilities.go), as the real answer lists them. */
export const CAPABILITIES_NAMES: Record<string, string> = {
  "-1": "Unused",
  "-2": "Invalid",
  "0": "H.264",
  "1": "MPEGTS",
  "2": "MP4",
  "3": "Fractional framerates",
  "4": "Storage direct",
  "5": "Storage S3",
  "6": "Storage GCS",
  "7": "H264 Baseline profile",
  "8": "H264 Main profile",
  "9": "H264 High profile",
  "10": "H264 Constrained, Contained High profile",
  "11": "GOP",
  "12": "Auth token",
  "14": "MPEG7 signature",
  "15": "HEVC decode",
  "16": "HEVC encode",
  "17": "VP8 decode",
  "18": "VP9 decode",
  "19": "VP8 encode",
  "20": "VP9 encode",
  "21": "H264 Decode YUV444 8-bit",
  "22": "H264 Decode YUV422 8-bit",
  "23": "H264 Decode YUV444 10-bit",
  "24": "H264 Decode YUV422 10-bit",
  "25": "H264 Decode YUV420 10-bit",
  "26": "Segment slicing",
  "27": "Text to image",
  "28": "Image to image",
  "29": "Image to video",
  "30": "Upscale",
  "31": "Audio to text",
  "32": "Segment anything 2",
  "33": "Llm",
  "34": "Image to text",
  "35": "Live video to video",
  "36": "Text to speech",
};

/** What an AI node also offers: the transcoding basics every capture entry lists. */
const BASE_CAPS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 26];

interface NetworkLike {
  meta: { seed: number; startDay: string; endDay: string; gateways: { address: string; role: string }[] };
  transcoders: { id: string; serviceURI: string | null; active: boolean }[];
}

// ---------------------------------------------------------------------------------------------
// The capabilities answer

/** A stable pseudo-random fraction of a key (GPU memory in use moves a little from poll to poll). */
function fraction(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return (h >>> 0) / 4_294_967_296;
}

function capabilities(caps: number[], capacity: (cap: number) => number) {
  const sorted = [...new Set(caps)].sort((a, b) => a - b);
  return {
    bitstring: [Number(sorted.reduce((bits, c) => bits | (1n << BigInt(c)), 0n))],
    capacities: Object.fromEntries(sorted.map((c) => [String(c), capacity(c)])),
  };
}

function aiEntry(node: AiNode, atMs: number) {
  const minute = Math.floor(atMs / 60_000);
  const gpuInfo = (g: number) => {
    const gpu = node.gpus[g];
    const used = node.kind === "live" ? 0.55 + 0.35 * fraction(`${gpu.id}/${minute}`) : 0.02 * fraction(`${gpu.id}/${minute}`);
    return { id: gpu.id, name: gpu.name, major: gpu.major, minor: gpu.minor, memory_free: Math.round(gpu.memoryTotal * (1 - used)), memory_total: gpu.memoryTotal };
  };
  const aiCaps = node.offers.map((o) => o.capability);
  const perCapability: Record<string, { models: Record<string, Record<string, unknown>> }> = {};
  for (const o of node.offers) {
    const m: Record<string, unknown> = { warm: o.warm };
    if (o.capacity !== null) m.capacity = o.capacity;
    if (o.capacityInUse !== null) m.capacityInUse = o.capacityInUse;
    if (o.runnerVersion !== null) m.runnerVersion = o.runnerVersion;
    (perCapability[String(o.capability)] ??= { models: {} }).models[o.modelId] = m;
  }
  const hardware =
    node.hardwareForm === "grouped"
      ? node.offers.map((o) => ({ pipeline: o.pipeline, model_id: o.modelId, gpu_info: Object.fromEntries(o.gpus.map((g, i) => [String(i), gpuInfo(g)])) }))
      : node.offers.flatMap((o) =>
          o.gpus.length ? o.gpus.map((g) => ({ pipeline: o.pipeline, model_id: o.modelId, gpu_info: { "0": gpuInfo(g) } })) : [{ pipeline: o.pipeline, model_id: o.modelId }],
        );
  return {
    address: toChecksumAddress(node.address),
    local_address: toChecksumAddress(node.hot),
    orch_uri: node.url,
    capabilities: {
      ...capabilities([...BASE_CAPS, ...aiCaps], (c) => (aiCaps.includes(c) ? 1 : node.gpus.length > 1 ? 2 : 1)),
      version: node.version,
      constraints: { ...(node.kind === "batch" ? { minVersion: "0.8.8" } : {}), PerCapability: perCapability },
    },
    capabilities_prices: node.offers.map((o) => ({ pricePerUnit: Number(priceAt(o, atMs)), pixelsPerUnit: 1, capability: o.capability, constraint: o.modelId })),
    hardware,
  };
}

function transcodingEntry(t: TranscodingNode) {
  return {
    address: toChecksumAddress(t.address),
    local_address: toChecksumAddress(t.hot),
    orch_uri: t.url,
    capabilities: {
      ...capabilities(t.capabilities, () => 1),
      ...(t.mandatories ? { mandatories: t.mandatories } : {}),
      version: t.version,
      constraints: t.minVersion ? { minVersion: t.minVersion } : {},
    },
    capabilities_prices: null,
    hardware: null,
  };
}

/** The whole `/getNetworkCapabilities` answer at atMs, in the orchestrators' on-chain order. */
export function capabilitiesAnswer(network: NetworkLike, atMs: number): { capabilities_names: Record<string, string>; orchestrators: unknown[] } {
  const { plan } = demoAi(network);
  const order = new Map(network.transcoders.map((t, i) => [t.id, i]));
  const entries: [number, unknown][] = [
    ...plan.nodes.filter((n) => isUp(n, atMs)).map((n): [number, unknown] => [n.index, aiEntry(n, atMs)]),
    ...plan.transcoding.map((t): [number, unknown] => [order.get(t.address)!, transcodingEntry(t)]),
  ];
  return { capabilities_names: CAPABILITIES_NAMES, orchestrators: entries.sort((a, b) => a[0] - b[0]).map(([, e]) => e) };
}

// ---------------------------------------------------------------------------------------------
// Event files

export interface DemoEventOptions {
  /** Days of events, ending with the network's last day. */
  days?: number;
  /** Events up to this time go to the files now; later ones are left to the appender. */
  nowMs: number;
}

export interface DemoEvents {
  /** Lines due at nowMs, in time order. */
  due: string[];
  /** The rest of the last day, for the appender. */
  later: { timestampMs: number; line: string }[];
  firstDay: string;
  /** The window's sessions (with their orchestrator), for reconciling. */
  sessions: LiveSession[];
  unserved: number;
}

const DISCOVERY_EVERY_MS = 30 * 60_000;
const CAPABILITIES_EVERY_MS = 12 * 3_600_000;

/** A session's envelopes as the feed delivered them: at most once, so a few lost one timeline event. */
function deliveredEnvelopes(s: LiveSession): Envelope[] {
  const all = liveSessionEnvelopes(s.spec);
  if (!s.lost.length) return all;
  const lost = s.lost[0];
  const at = all.findIndex((e) => e.type === lost || (e.type === "stream_trace" && (e.data as { type: string }).type === lost));
  return at === -1 ? all : [...all.slice(0, at), ...all.slice(at + 1)];
}

/** Round trips to every live orchestrator, as the gateway's periodic discovery reports them. */
function discovery(plan: AiPlan, atMs: number): Envelope {
  const results = plan.nodes
    .filter((n) => n.kind === "live" && isUp(n, atMs))
    .map((n) => {
      const base = 20 + Math.round(180 * fraction(n.address));
      return { address: n.hot, latency_ms: String(base + Math.round(base * 0.4 * fraction(`${n.address}/${atMs}`))), url: n.url };
    });
  return envelope("discovery_results", atMs, results, `discovery/${atMs}`);
}

/** Every envelope of the window's days, in time order, split at nowMs. */
export function generateDemoEvents(network: NetworkLike, opts: DemoEventOptions): DemoEvents {
  const days = opts.days ?? 14;
  const { plan, traffic } = demoAi(network);
  const window = traffic.days.slice(-days);
  const fromMs = window[0].day * DAY_MS;
  const toMs = (window.at(-1)!.day + 1) * DAY_MS;
  const envelopes: Envelope[] = [];
  const sessions: LiveSession[] = [];
  let unserved = 0;
  for (const d of window) {
    for (const s of d.sessions) {
      sessions.push(s);
      envelopes.push(...deliveredEnvelopes(s));
    }
    for (const u of d.unserved) envelopes.push(...unservedSessionEnvelopes(u));
    unserved += d.unserved.length;
  }
  for (let t = fromMs + 7 * 60_000; t < toMs; t += DISCOVERY_EVERY_MS) envelopes.push(discovery(plan, t));
  // Inventories (every node the gateway knows, as its endpoint lists them) twice a day, and when a
  // node changes its price or joins, so history has the change.
  const changes = plan.nodes.flatMap((n) => [n.joinedMs, ...n.offers.map((o) => o.earlier?.untilMs ?? null)]).filter((t): t is number => t !== null && t >= fromMs && t < toMs);
  const inventories = [...new Set([...Array.from({ length: Math.ceil((toMs - fromMs) / CAPABILITIES_EVERY_MS) }, (_, i) => fromMs + 90_000 + i * CAPABILITIES_EVERY_MS), ...changes.map((t) => t + 60_000)])];
  for (const t of inventories) envelopes.push(envelope("network_capabilities", t, capabilitiesAnswer(network, t).orchestrators, `network_capabilities/${t}`));

  const lines = envelopes.map((e) => ({ timestampMs: Number(e.timestamp), line: JSON.stringify(e) })).sort((a, b) => a.timestampMs - b.timestampMs);
  const split = lines.findIndex((l) => l.timestampMs > opts.nowMs);
  return {
    due: (split === -1 ? lines : lines.slice(0, split)).map((l) => l.line),
    later: split === -1 ? [] : lines.slice(split),
    firstDay: new Date(fromMs).toISOString().slice(0, 10),
    sessions,
    unserved,
  };
}

const EVENTS_NAME = "gateway-events.jsonl";

/** Days before yesterday in one rotated `gateway-events-<first day>.jsonl.gz`, the rest in the active file. */
export function writeDemoEvents(dir: string, events: DemoEvents, nowMs: number): void {
  fs.mkdirSync(dir, { recursive: true });
  const yesterdayMs = (Math.floor(nowMs / DAY_MS) - 1) * DAY_MS;
  // The envelope's own timestamp is its first string-valued "timestamp" (data's are numbers).
  let cut = events.due.findIndex((l) => Number(/"timestamp":"(\d+)"/.exec(l)![1]) >= yesterdayMs);
  if (cut === -1) cut = events.due.length;
  const rotated = path.join(dir, `gateway-events-${events.firstDay}.jsonl.gz`);
  fs.writeFileSync(rotated, zlib.gzipSync(events.due.slice(0, cut).join("\n") + (cut ? "\n" : ""), { level: 1 }));
  fs.utimesSync(rotated, new Date(yesterdayMs), new Date(yesterdayMs));
  const active = events.due.slice(cut);
  fs.writeFileSync(path.join(dir, EVENTS_NAME), active.length ? active.join("\n") + "\n" : "");
}

/** Appends the rest of today's events to the active file as the clock reaches them. */
export function startEventAppender(dir: string, later: DemoEvents["later"], intervalMs = 3_000): LineAppender {
  return startLineAppender(path.join(dir, EVENTS_NAME), later, intervalMs);
}

// ---------------------------------------------------------------------------------------------
// The gateway's web port, on loopback

export interface DemoGateway {
  /** The capabilities URL (GATEWAY_CAPABILITIES_URL). */
  url: string;
  close(): Promise<void>;
}

export async function startDemoGateway(opts: { network: NetworkLike; port?: number; host?: string; now?: () => number }): Promise<DemoGateway> {
  const now = opts.now ?? Date.now;
  const host = opts.host ?? "127.0.0.1";
  demoAi(opts.network); // build the plan before the first request
  const server = http.createServer((req, res) => {
    const p = new URL(req.url ?? "/", "http://localhost").pathname;
    if (req.method === "GET" && p === "/getNetworkCapabilities") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(capabilitiesAnswer(opts.network, now())));
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/getNetworkCapabilities`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}
