// Gateway job log lines (docs/data-contract.md section 4, job log record) as a gateway writes them:
// the record shape, the seeded randomness the demo and the synthetic generators share, and a fast
// synthetic stream for the bench and the tests (many orchestrators with distinct lognormal latency,
// a few pipelines, failures).
import { mix32, Random } from "./random";

/** One line of a gateway job log, with the contract's field names. Wei amounts are strings. */
export interface JobLine {
  request_id: string;
  gateway: string;
  timestamp: number;
  pipeline: string;
  model_id: string;
  orch_address: string;
  success: boolean;
  duration_ms: number;
  orch_url?: string;
  orch_duration_ms?: number;
  tries?: number;
  http_status?: number;
  error_type?: string;
  error?: string;
  region?: string;
  billable_units?: string;
  unit?: string;
  price_per_unit?: string;
  pixels_per_unit?: string;
  computed_fee?: string;
  width?: number;
  height?: number;
  frames?: number;
  fps?: number;
  num_images?: number;
  output_seconds?: number;
}

/**
 * The demo generator's mulberry32, seeded through murmur3's finaliser once (the job logs' own
 * streams, so they do not repeat the network's draws).
 */
export class Rng extends Random {
  constructor(seed: number, stream = 0) {
    super(seed, stream);
    this.state = mix32((seed ^ Math.imul(stream + 1, 0x9e3779b1)) >>> 0);
  }

  /** Lognormal with the given median and log-space sigma. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }
}

export interface SyntheticOptions {
  seed: number;
  count: number;
  /** First job's timestamp (ms); jobs are spread evenly over spanMs, in time order. */
  startMs: number;
  spanMs: number;
  orchestrators?: number;
  gateways?: number;
  /** Share of failed jobs. */
  failureRate?: number;
}

/**
 * Advertised prices seen on the real network (tests/real-samples/gateway-events/getNetworkCapabilities.json,
 * `capabilities_prices`, all with pixelsPerUnit 1): wei per unit (pixel, ms of audio or token), by
 * model. The demo and the synthetic lines price their jobs with these, unscaled.
 */
export const CAPTURED_PRICES = {
  "text-to-image": {
    "SG161222/RealVisXL_V4.0_Lightning": [603_032n, 4_668_371n, 4_768_371n, 6_051_539n],
    "ByteDance/SDXL-Lightning": [603_032n],
    "black-forest-labs/FLUX.1-dev": [3_015_160n, 9_045_482n, 19_073_484n],
    "black-forest-labs/FLUX.1-schnell": [3_015_160n],
    "stabilityai/stable-diffusion-3.5-large": [6_030_321n],
  },
  "image-to-image": { "timbrooks/instruct-pix2pix": [603_032n], "black-forest-labs/FLUX.1-Fill-dev": [9_045_482n] },
  "image-to-video": { "stabilityai/stable-video-diffusion-img2vid-xt-1-1": [3_390_842n] },
  upscale: { "stabilityai/stable-diffusion-x4-upscaler": [6_051_539n] },
  "audio-to-text": { "openai/whisper-large-v3": [1_580_812n] },
  llm: { "meta-llama/Meta-Llama-3.1-8B-Instruct": [56_909_258n], "meta-llama/Llama-4-Scout-17B-16E-Instruct": [56_909_258n] },
  "image-to-text": { "Salesforce/blip-image-captioning-large": [79_040n, 4_768_371n] },
  /** Live video: 1,588 in the capture (1,618 and 1,635 in the captured events), up to ~3,000 advertised. */
  "live-video-to-video": { "streamdiffusion-sdxl": [1_588n], "streamdiffusion-sdxl-faceid": [1_588n, 1_618n, 1_635n] },
} as const;

const SYNTHETIC_PIPELINES = [
  { pipeline: "text-to-image", model: "ByteDance/SDXL-Lightning", medianMs: 2_400, price: 603_032n },
  { pipeline: "image-to-video", model: "stabilityai/stable-video-diffusion-img2vid-xt-1-1", medianMs: 38_000, price: 3_390_842n },
  { pipeline: "upscale", model: "stabilityai/stable-diffusion-x4-upscaler", medianMs: 9_000, price: 6_051_539n },
  { pipeline: "llm", model: "meta-llama/Meta-Llama-3.1-8B-Instruct", medianMs: 900, price: 56_909_258n },
] as const;
const ERROR_TYPES = ["timeout", "oom", "insufficient_capacity", "model_not_loaded"] as const;

/**
 * A deterministic stream of valid job lines: each orchestrator has its own speed (lognormal median
 * multiplier) and spread, so per-orchestrator percentiles differ clearly.
 */
export function* syntheticJobLines(o: SyntheticOptions): Generator<JobLine> {
  const rng = new Rng(o.seed, 1);
  const orchs = Array.from({ length: o.orchestrators ?? 40 }, (_, i) => ({
    address: `0x${rng.hex(40)}`,
    url: `https://orch-${i}.example.net:8935`,
    speed: 0.5 + 2.5 * rng.float(),
    sigma: 0.15 + 0.55 * rng.float(),
  }));
  const gateways = Array.from({ length: o.gateways ?? 4 }, () => `0x${rng.hex(40)}`);
  const failureRate = o.failureRate ?? 0.03;
  for (let i = 0; i < o.count; i++) {
    const orch = orchs[Math.floor(orchs.length * rng.float() ** 1.5)];
    const p = SYNTHETIC_PIPELINES[rng.int(SYNTHETIC_PIPELINES.length)];
    const success = !rng.chance(failureRate);
    const duration = Math.max(1, Math.round(rng.lognormal(p.medianMs * orch.speed, orch.sigma)));
    const line: JobLine = {
      request_id: `req-${o.seed}-${i}`,
      gateway: gateways[i % gateways.length],
      timestamp: o.startMs + Math.floor((i * o.spanMs) / o.count),
      pipeline: p.pipeline,
      model_id: p.model,
      orch_address: orch.address,
      orch_url: orch.url,
      success,
      duration_ms: duration,
      orch_duration_ms: Math.round(duration * 0.92),
      tries: 1,
      http_status: success ? 200 : 500,
    };
    if (!success) line.error_type = rng.pick(ERROR_TYPES);
    else if (p.pipeline === "llm")
      Object.assign(line, { billable_units: "512", unit: "token", price_per_unit: String(p.price), pixels_per_unit: "1" });
    else {
      const [w, h] = p.pipeline === "image-to-video" ? [1024, 576] : [1024, 1024];
      const units = BigInt(w * h) * (p.pipeline === "image-to-video" ? 25n : 1n);
      Object.assign(line, {
        width: w,
        height: h,
        billable_units: String(units),
        unit: "pixel",
        price_per_unit: String(p.price),
        pixels_per_unit: "1",
      });
      if (p.pipeline === "image-to-video") Object.assign(line, { frames: 25, fps: 7 });
    }
    yield line;
  }
}
