// Synthetic probes for the stand-in leaderboard API (leaderboard-server.ts), shaped like the real
// tester's (livepeer-ai-job-tester): every `everyS` seconds each region sends one request to every
// orchestrator for each pipeline and model it serves, and posts the result, which the API stamps with
// its own insert time a little later. Rows are a pure function of (seed, orchestrator, region, pair,
// cycle), computed on demand: 150 orchestrators x 30 days x 4 regions x 10 pairs (2.16 million rows)
// cost no memory until asked for, and a window of insert time maps to a few cycles.
import { mix32 } from "./random";

/** One row as the tester posts it (Go `models.Stats`; absent keys are Go's omitempty zero values). */
export interface ProbePayload {
  region: string;
  orchestrator: string;
  success_rate: number;
  round_trip_time: number;
  errors: { error_code: string; message?: string; count: number }[] | null;
  timestamp: number;
  seg_duration?: number;
  segments_sent?: number;
  segments_received?: number;
  upload_time?: number;
  download_time?: number;
  transcode_time?: number;
  model?: string;
  model_is_warm?: boolean;
  pipeline?: string;
  input_parameters?: string;
  response_payload?: string;
}

/** A row as the API stores it: the payload, the region's job type, and the server's insert time (unix seconds). */
export interface StoredProbe {
  eventTime: number;
  region: string;
  jobType: "ai" | "transcoding";
  payload: ProbePayload;
}

export interface ProbePair {
  /** The pipeline as the tester posts it: "Text to image" in production, "text-to-image" in fixtures. */
  pipeline: string;
  model: string;
  /** Typical round trip in seconds of a warm, healthy orchestrator. */
  baseS: number;
}

export const DEFAULT_PAIRS: readonly ProbePair[] = [
  { pipeline: "Text to image", model: "ByteDance/SDXL-Lightning", baseS: 1.2 },
  { pipeline: "Text to image", model: "black-forest-labs/FLUX.1-dev", baseS: 6 },
  { pipeline: "Text to image", model: "stabilityai/stable-diffusion-3.5-large", baseS: 5 },
  { pipeline: "Image to image", model: "timbrooks/instruct-pix2pix", baseS: 2 },
  { pipeline: "Image to video", model: "stabilityai/stable-video-diffusion-img2vid-xt-1-1", baseS: 25 },
  { pipeline: "Upscale", model: "stabilityai/stable-diffusion-x4-upscaler", baseS: 4 },
  { pipeline: "Audio to text", model: "openai/whisper-large-v3", baseS: 1.5 },
  { pipeline: "Segment anything 2", model: "facebook/sam2-hiera-large", baseS: 1.8 },
  { pipeline: "Llm", model: "meta-llama/Meta-Llama-3.1-8B-Instruct", baseS: 2.5 },
  { pipeline: "Image to text", model: "Salesforce/blip-image-captioning-large", baseS: 1 },
];

export const DEFAULT_REGIONS = ["MDW", "FRA", "LAX", "SIN"] as const;

export interface ProbeSchedule {
  seed: number;
  orchestrators: readonly string[];
  regions: readonly string[];
  pairs: readonly ProbePair[];
  /** First cycle (unix seconds) and the last cycle start allowed. */
  fromS: number;
  toS: number;
  /** Seconds between cycles (the tester's cron: 2 hours). */
  everyS: number;
  /** Whether rows carry input_parameters and response_payload strings (the bench leaves them out). */
  payloads?: boolean;
}

/** Requests of one cycle start within this many seconds of it. */
export const CYCLE_SPREAD_S = 600;
/** The API stores a posted row this long after its timestamp at most (plus half a second). */
export const MAX_INSERT_DELAY_S = 91;

const REGION_FACTOR = [1, 1.15, 1.35, 1.7];

/** A uniform [0, 1) number of (seed, a, b, c, d, salt). */
function u(seed: number, a: number, b: number, c: number, d: number, salt: number): number {
  let h = mix32(seed ^ Math.imul(salt + 1, 0x9e3779b1));
  h = mix32(h ^ Math.imul(a + 1, 0x85ebca6b));
  h = mix32(h ^ Math.imul(b + 1, 0xc2b2ae35));
  h = mix32(h ^ Math.imul(c + 1, 0x27d4eb2f));
  h = mix32(h ^ Math.imul(d + 1, 0x165667b1));
  return h / 4_294_967_296;
}

export function cycleCount(s: ProbeSchedule): number {
  return s.toS < s.fromS ? 0 : Math.floor((s.toS - s.fromS) / s.everyS) + 1;
}

/** Whether orchestrator `o` serves pair `p` (about three in four pairs, always at least one). */
export function serves(s: ProbeSchedule, o: number, p: number): boolean {
  return p === o % s.pairs.length || u(s.seed, o, p, 0, 0, 1) < 0.75;
}

/** The row orchestrator o, region r, pair p and cycle c posted (null when o does not serve p). */
export function probeAt(s: ProbeSchedule, o: number, r: number, p: number, c: number): StoredProbe | null {
  if (!serves(s, o, p)) return null;
  const seed = s.seed;
  const pair = s.pairs[p];
  const timestamp = s.fromS + c * s.everyS + Math.floor(u(seed, o, r, p, c, 2) * CYCLE_SPREAD_S);
  const eventTime = timestamp + 0.5 + u(seed, o, r, p, c, 3) * (MAX_INSERT_DELAY_S - 1);
  // Each orchestrator has its reliability and speed; every eleventh is down (all probes fail).
  const reliability = o % 11 === 3 ? 0 : 0.72 + 0.28 * u(seed, o, 0, 0, 0, 4);
  const speed = 0.6 + 1.2 * u(seed, o, 0, p, 0, 5);
  const outcome = u(seed, o, r, p, c, 6);
  const noise = 0.7 + 0.8 * u(seed, o, r, p, c, 7);
  const warm = u(seed, o, r, p, c, 8) < 0.8;
  const region = s.regions[r];
  const orchestrator = s.orchestrators[o];
  let success_rate: number;
  let round_trip_time: number;
  let errors: ProbePayload["errors"] = [];
  let response: string;
  if (outcome < reliability) {
    success_rate = 1;
    round_trip_time = pair.baseS * REGION_FACTOR[r % REGION_FACTOR.length] * speed * noise * (warm ? 1 : 3.5);
    response = `{"images":[{"url":"/stream/${(mix32(seed ^ (o * 7919 + c)) >>> 0).toString(16)}.png","seed":${c}}]}`;
  } else if (outcome < reliability + (1 - reliability) * 0.15) {
    // A partial answer (an LLM stream cut short): a fraction of a success.
    success_rate = 0.5;
    round_trip_time = pair.baseS * speed * noise * 2;
    errors = [{ error_code: "PARTIAL-RESPONSE", message: "stream ended early", count: 1 }];
    response = `{"error":{"message":"stream ended early"}}`;
  } else if (outcome < reliability + (1 - reliability) * 0.6) {
    success_rate = 0;
    round_trip_time = 2 + noise;
    errors = [{ error_code: "HTTP-STATUS-503", count: 1 }];
    response = `{"error":{"message":"Service Unavailable Error"}}\n`;
  } else {
    // Refused before any answer: no round trip at all.
    success_rate = 0;
    round_trip_time = 0;
    errors = [{ error_code: "CONNECTION-REFUSED", message: "dial tcp: connection refused", count: 1 }];
    response = "";
  }
  const payload: ProbePayload = { region, orchestrator, success_rate, round_trip_time, errors, timestamp, model: pair.model };
  if (warm) payload.model_is_warm = true;
  payload.pipeline = pair.pipeline;
  if (s.payloads !== false) {
    payload.input_parameters = JSON.stringify({ model_id: pair.model, prompt: "a bear", seed: c });
    if (response) payload.response_payload = response;
  }
  return { eventTime, region, jobType: "ai", payload };
}

/** Cycles whose rows can have an insert time in [since, until]. */
export function cyclesFor(s: ProbeSchedule, since: number, until: number): [number, number] {
  const first = Math.max(0, Math.ceil((since - s.fromS - CYCLE_SPREAD_S - MAX_INSERT_DELAY_S) / s.everyS));
  const last = Math.min(cycleCount(s) - 1, Math.floor((until - s.fromS) / s.everyS));
  return [first, last];
}

/** Every row of orchestrator o with an insert time in [since, until] (any order). */
export function* rowsOf(s: ProbeSchedule, o: number, since: number, until: number): Generator<StoredProbe> {
  const [c0, c1] = cyclesFor(s, since, until);
  for (let c = c0; c <= c1; c++)
    for (let r = 0; r < s.regions.length; r++)
      for (let p = 0; p < s.pairs.length; p++) {
        const row = probeAt(s, o, r, p, c);
        if (row && row.eventTime >= since && row.eventTime <= until) yield row;
      }
}

/** Every row of every orchestrator in [since, until]. */
export function* allRows(s: ProbeSchedule, since: number, until: number): Generator<StoredProbe> {
  for (let o = 0; o < s.orchestrators.length; o++) yield* rowsOf(s, o, since, until);
}
