// The demo network's AI orchestrators as a gateway sees them (docs/gateway-events.md section 2),
// shaped on the real capture (tests/real-samples/gateway-events/getNetworkCapabilities.json): most
// serve live video-to-video on one or two RTX 5090 / RTX 4090 at 1,588 to 3,000 wei per pixel, a few
// serve batch pipelines at captured prices on the other GPUs seen there, and every other registered
// orchestrator is listed with `hardware: null` and `capabilities_prices: null` (transcoding only).
// Each has a canonical address, a hot wallet (distinct for most AI nodes), its subgraph serviceURI
// and the ticket parameters its payments use. Pure: the same seed, orchestrators and end day give
// the same plan; identities (hot wallets, GPU ids, who is AI) depend on the seed only.
import { CAPTURED_PRICES } from "./job-lines";
import { Random } from "./random";

export const DAY_MS = 86_400_000;
/** Win probabilities are decimals with 10 places, as gateways print them ("0.0009990010"). */
export const WIN_PROB_SCALE = 10_000_000_000n;

export interface GpuModel {
  name: string;
  major: number;
  minor: number;
  /** Bytes, as the capture reports them. */
  memoryTotal: number;
}

/** The GPUs of the capture, with the capture's compute capability and memory. */
export const GPU_MODELS = {
  "5090": { name: "NVIDIA GeForce RTX 5090", major: 12, minor: 0, memoryTotal: 34_190_917_632 },
  "4090": { name: "NVIDIA GeForce RTX 4090", major: 8, minor: 9, memoryTotal: 25_757_220_864 },
  "4070TiS": { name: "NVIDIA GeForce RTX 4070 Ti SUPER", major: 8, minor: 9, memoryTotal: 17_171_480_576 },
  "3090": { name: "NVIDIA GeForce RTX 3090", major: 8, minor: 6, memoryTotal: 25_769_803_776 },
  A4000: { name: "NVIDIA RTX A4000", major: 8, minor: 6, memoryTotal: 17_171_480_576 },
  "6000Ada": { name: "NVIDIA RTX 6000 Ada Generation", major: 8, minor: 9, memoryTotal: 51_527_024_640 },
  A100: { name: "NVIDIA A100-SXM4-40GB", major: 8, minor: 0, memoryTotal: 42_949_672_960 },
  P4: { name: "Tesla P4", major: 6, minor: 1, memoryTotal: 8_053_063_680 },
} as const satisfies Record<string, GpuModel>;
type GpuKind = keyof typeof GPU_MODELS;

export interface Gpu extends GpuModel {
  /** "GPU-<uuid>", as nvidia-smi names it. */
  id: string;
}

export interface Offer {
  capability: number;
  pipeline: string;
  modelId: string;
  /** Indexes into the node's gpus serving this model (none: the node reports no gpu_info, as the capture's llm nodes). */
  gpus: number[];
  /** Wei per unit now (pixelsPerUnit 1). */
  price: bigint;
  /** The price before a change inside the demo's recent days: in force until untilMs. */
  earlier: { untilMs: number; price: bigint } | null;
  warm: boolean;
  capacity: number | null;
  capacityInUse: number | null;
  runnerVersion: string | null;
}

export interface AiNode {
  /** Index into the network's transcoders. */
  index: number;
  /** Lowercase canonical address, hot wallet (may equal it) and service URL. */
  address: string;
  hot: string;
  url: string;
  kind: "live" | "batch";
  version: string;
  gpus: Gpu[];
  /** One hardware entry per GPU (as most of the capture) or one entry holding every GPU. */
  hardwareForm: "per-gpu" | "grouped";
  offers: Offer[];
  /** First advertised at this instant (a node that joined recently); null: before the demo began. */
  joinedMs: number | null;
  /** Ticket parameters: face value (wei) and win probability (numerator over WIN_PROB_SCALE). */
  faceValueWei: bigint;
  winProbNum: bigint;
  /** Share of its kind's traffic, latency multiplier and spread, failure rate, region. */
  weight: number;
  speed: number;
  sigma: number;
  failureRate: number;
  region: string;
  /** Live nodes: median startup (ms) and mean delivered/input frame-rate ratio. */
  startupMedianMs: number;
  fpsRatio: number;
}

/** A registered orchestrator that advertises no AI: listed with null hardware and prices. */
export interface TranscodingNode {
  address: string;
  hot: string;
  url: string;
  version: string;
  capabilities: number[];
  mandatories: number[] | null;
  minVersion: string | null;
}

export interface AiPlan {
  nodes: AiNode[];
  transcoding: TranscodingNode[];
}

interface NodeDesign {
  gpus: GpuKind[];
  offers: [capability: number, modelId: string, price: number, gpus?: number[]][];
  grouped?: boolean;
  /** [days before the end day's noon, the earlier price] of the first offer. */
  priceChange?: [number, number];
  joinedDaysAgo?: number;
  speed?: number;
  weight?: number;
}

const LIVE = 35;
/** Live nodes: RTX 5090 and 4090, the captured models and prices (1,588 most), a few dearer. */
const LIVE_NODES: NodeDesign[] = [
  { gpus: ["5090"], offers: [[LIVE, "streamdiffusion-sdxl", 1588]], weight: 1.3 },
  { gpus: ["5090"], offers: [[LIVE, "streamdiffusion-sdxl-faceid", 1588]], weight: 1.2 },
  { gpus: ["5090", "5090"], offers: [[LIVE, "streamdiffusion-sdxl", 1618], [LIVE, "streamdiffusion-sdxl-faceid", 1618]], grouped: true, weight: 2.2 },
  { gpus: ["5090"], offers: [[LIVE, "streamdiffusion-sdxl", 2000]], priceChange: [6, 2400] },
  { gpus: ["5090"], offers: [[LIVE, "streamdiffusion-sdxl-faceid", 1635]] },
  { gpus: ["5090"], offers: [[LIVE, "streamdiffusion-sdxl", 3000]], weight: 0.4 },
  { gpus: ["5090"], offers: [[LIVE, "streamdiffusion-sdxl", 1588]], joinedDaysAgo: 9 },
  { gpus: ["4090"], offers: [[LIVE, "streamdiffusion-sdxl", 1588]] },
  { gpus: ["4090", "4090"], offers: [[LIVE, "streamdiffusion-sdxl-faceid", 1588]], weight: 1.8 },
  { gpus: ["4090"], offers: [[LIVE, "streamdiffusion-sdxl", 1588], [LIVE, "streamdiffusion", 1588]] },
  { gpus: ["4090"], offers: [[LIVE, "streamdiffusion-sdxl-faceid", 2200]], weight: 0.7 },
  { gpus: ["4090"], offers: [[LIVE, "streamdiffusion-sdxl", 1588]], priceChange: [3, 1635] },
  { gpus: ["4090"], offers: [[LIVE, "streamdiffusion", 2750]], weight: 0.5 },
];

const T2I = 27, I2I = 28, I2V = 29, UPSCALE = 30, A2T = 31, LLM = 33, I2T = 34;
const price = (pipeline: keyof typeof CAPTURED_PRICES, model: string, i = 0): number => {
  const prices = (CAPTURED_PRICES[pipeline] as Record<string, readonly bigint[]>)[model];
  if (!prices?.[i]) throw new Error(`no captured price for ${pipeline} ${model} #${i}`);
  return Number(prices[i]);
};
/** Batch nodes: the capture's other GPUs and its batch prices. */
const BATCH_NODES: NodeDesign[] = [
  {
    gpus: ["6000Ada"],
    offers: [
      [T2I, "SG161222/RealVisXL_V4.0_Lightning", price("text-to-image", "SG161222/RealVisXL_V4.0_Lightning", 2)],
      [T2I, "black-forest-labs/FLUX.1-dev", price("text-to-image", "black-forest-labs/FLUX.1-dev", 1)],
    ],
    speed: 0.8,
  },
  {
    gpus: ["4070TiS", "4070TiS"],
    offers: [
      [T2I, "ByteDance/SDXL-Lightning", price("text-to-image", "ByteDance/SDXL-Lightning"), [0]],
      [T2I, "black-forest-labs/FLUX.1-schnell", price("text-to-image", "black-forest-labs/FLUX.1-schnell"), [1]],
      [I2I, "timbrooks/instruct-pix2pix", price("image-to-image", "timbrooks/instruct-pix2pix"), [0]],
    ],
    speed: 1.6,
  },
  {
    gpus: ["A100"],
    offers: [
      [T2I, "black-forest-labs/FLUX.1-dev", price("text-to-image", "black-forest-labs/FLUX.1-dev", 2)],
      [T2I, "stabilityai/stable-diffusion-3.5-large", price("text-to-image", "stabilityai/stable-diffusion-3.5-large")],
      [I2V, "stabilityai/stable-video-diffusion-img2vid-xt-1-1", price("image-to-video", "stabilityai/stable-video-diffusion-img2vid-xt-1-1")],
    ],
    speed: 0.7,
  },
  {
    gpus: ["3090"],
    offers: [
      [UPSCALE, "stabilityai/stable-diffusion-x4-upscaler", price("upscale", "stabilityai/stable-diffusion-x4-upscaler")],
      [T2I, "SG161222/RealVisXL_V4.0_Lightning", price("text-to-image", "SG161222/RealVisXL_V4.0_Lightning", 3)],
    ],
    speed: 1.3,
  },
  {
    gpus: ["A4000", "P4"],
    offers: [
      [A2T, "openai/whisper-large-v3", price("audio-to-text", "openai/whisper-large-v3"), [0]],
      [I2T, "Salesforce/blip-image-captioning-large", price("image-to-text", "Salesforce/blip-image-captioning-large"), [1]],
    ],
    speed: 1.1,
  },
  {
    gpus: [],
    offers: [
      [LLM, "meta-llama/Meta-Llama-3.1-8B-Instruct", price("llm", "meta-llama/Meta-Llama-3.1-8B-Instruct")],
      [LLM, "meta-llama/Llama-4-Scout-17B-16E-Instruct", price("llm", "meta-llama/Llama-4-Scout-17B-16E-Instruct")],
    ],
    speed: 0.6,
    weight: 1.4,
  },
  { gpus: [], offers: [[LLM, "meta-llama/Meta-Llama-3.1-8B-Instruct", price("llm", "meta-llama/Meta-Llama-3.1-8B-Instruct")]], speed: 2.1 },
];

const PIPELINE_OF: Record<number, string> = {
  27: "text-to-image",
  28: "image-to-image",
  29: "image-to-video",
  30: "upscale",
  31: "audio-to-text",
  33: "llm",
  34: "image-to-text",
  35: "live-video-to-video",
};

/**
 * Ticket parameters seen on the network: the captured 2402400000000000 WEI at 0.0009990010 (an
 * expected value of 2.4e12 wei a ticket) and others above 0.01 ETH, which gateways print in ETH.
 */
const TICKET_PARAMS: [faceValueWei: bigint, winProbNum: bigint][] = [
  [2_402_400_000_000_000n, 9_990_010n],
  [2_402_400_000_000_000n, 9_990_010n],
  [1_200_000_000_000_000n, 10_000_000n],
  [12_012_000_000_000_000n, 1_998_002n],
  [25_000_000_000_000_000n, 400_000n],
];

const REGIONS = ["FRA", "LAX", "MDW", "SIN", "LON"] as const;
const RUNNER_VERSIONS = ["0.13.11-a201f99d", "0.13.11-a096fa12", "0.13.11-747e557a", "0.14.0"];

/** Transcoding capabilities of the capture's nodes (H.264 ... segment slicing), two variants. */
const TRANSCODING_CAPS = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 26],
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 26],
];

function gpuId(random: Random): string {
  const h = random.hex(32);
  return `GPU-${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * The plan for a network: `candidates` are the indexes of active orchestrators with a service URI
 * (the only ones a gateway can reach), `endDayMs` the start of the network's last day (UTC).
 */
export function aiPlanOf(seed: number, transcoders: { id: string; serviceURI: string | null; active: boolean }[], endDayMs: number): AiPlan {
  const random = new Random(seed, 11);
  const candidates = transcoders.flatMap((t, i) => (t.active && t.serviceURI ? [i] : []));
  const order = [...candidates];
  for (let i = order.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const designs = [...LIVE_NODES.map((d) => ({ d, kind: "live" as const })), ...BATCH_NODES.map((d) => ({ d, kind: "batch" as const }))];
  const noon = endDayMs + DAY_MS / 2;
  const nodes: AiNode[] = designs.map(({ d, kind }, n) => {
    const index = order[n];
    const address = transcoders[index].id;
    const gpus = d.gpus.map((k) => ({ ...GPU_MODELS[k], id: gpuId(random) }));
    const [faceValueWei, winProbNum] = random.pick(TICKET_PARAMS);
    const runner = random.pick(RUNNER_VERSIONS);
    return {
      index,
      address,
      hot: random.chance(0.8) ? `0x${random.hex(40)}` : address,
      url: transcoders[index].serviceURI!,
      kind,
      version: random.chance(0.8) ? "0.8.8" : "0.8.7",
      gpus,
      hardwareForm: d.grouped ? "grouped" : "per-gpu",
      offers: d.offers.map(([capability, modelId, p, on], k) => ({
        capability,
        pipeline: PIPELINE_OF[capability],
        modelId,
        gpus: on ?? gpus.map((_, g) => g),
        price: BigInt(p),
        earlier: k === 0 && d.priceChange ? { untilMs: noon - d.priceChange[0] * DAY_MS, price: BigInt(d.priceChange[1]) } : null,
        warm: true,
        capacity: capability === LIVE ? (random.chance(0.75) ? gpus.length : null) : 1 + random.int(4),
        capacityInUse: capability === LIVE && random.chance(0.3) ? 1 : null,
        runnerVersion: capability === LIVE || random.chance(0.5) ? runner : null,
      })),
      joinedMs: d.joinedDaysAgo ? noon - d.joinedDaysAgo * DAY_MS + 3_600_000 : null,
      faceValueWei,
      winProbNum,
      weight: (d.weight ?? 1) * (0.8 + 0.4 * random.float()),
      speed: d.speed ?? 0.7 + 0.9 * random.float(),
      sigma: 0.15 + 0.35 * random.float(),
      failureRate: 0.015 + 0.04 * random.float(),
      region: random.pick(REGIONS),
      startupMedianMs: Math.round(1_600 + 2_400 * random.float() ** 2),
      fpsRatio: 0.84 + 0.14 * random.float(),
    };
  });
  const ai = new Set(nodes.map((n) => n.index));
  const transcoding = candidates
    .filter((i) => !ai.has(i))
    .sort((a, b) => a - b)
    .map((i): TranscodingNode => {
      const old = random.chance(0.15);
      return {
        address: transcoders[i].id,
        hot: random.chance(0.3) ? `0x${random.hex(40)}` : transcoders[i].id,
        url: transcoders[i].serviceURI!,
        version: old ? "0.7.9" : random.chance(0.8) ? "0.8.8" : "0.8.7",
        capabilities: TRANSCODING_CAPS[old ? 1 : random.int(2)],
        mandatories: old ? [4096] : null,
        minVersion: !old && random.chance(0.5) ? "0.8.8" : null,
      };
    });
  return { nodes, transcoding };
}

/** The offer's price in force at tMs. */
export function priceAt(offer: Offer, tMs: number): bigint {
  return offer.earlier && tMs < offer.earlier.untilMs ? offer.earlier.price : offer.price;
}

/** Whether the node is advertised (and takes traffic) at tMs. */
export function isUp(node: AiNode, tMs: number): boolean {
  return node.joinedMs === null || tMs >= node.joinedMs;
}

/** Expected value of one ticket of the node, in wei (face values are whole multiples of 1e10 wei). */
export function ticketEv(node: AiNode): bigint {
  return (node.faceValueWei * node.winProbNum) / WIN_PROB_SCALE;
}

/** "0.0009990010" */
export function winProbText(num: bigint): string {
  return `0.${num.toString().padStart(10, "0")}`;
}
