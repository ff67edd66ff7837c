/**
 * Gateway job logs for the demo network, in agreement with its tickets: for every gateway,
 * orchestrator and day of the log period, successful jobs whose expected fees add up to about the
 * face value of that day's winning tickets between the two (expected and realized fees agree over
 * the period, as they do on the real network). Demo prices are the network's observed wei prices
 * scaled by one factor, chosen so the period holds about `targetJobs` jobs.
 *
 * Six pipelines, several models, orchestrators with their own lognormal latency and failure rate,
 * one rotated .jsonl.gz, a handful of malformed and re-sent lines, and an appender that writes the
 * jobs of the rest of today as the wall clock reaches them, so the dashboard moves while it runs.
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { DAY_SECONDS, parseUnits, type DemoNetwork } from "./generate";
import { Rng, type JobLine } from "./job-lines";

export interface DemoJobLogOptions {
  /** Days of logs, ending with the network's last day. */
  days?: number;
  targetJobs?: number;
  /** Jobs up to this time go to the files now; later ones are left to the appender. */
  nowMs: number;
}

/**
 * The wei price of a unit on the live network (docs/data-contract.md section 5, what a job costs),
 * before demo scaling.
 */
interface PipelineSpec {
  pipeline: string;
  models: readonly string[];
  unit: "pixel" | "ms" | "token";
  weiPerUnit: number;
  /** Median gateway latency of a typical orchestrator, ms. */
  medianMs: number;
  /** Billable units and the fields that describe them. */
  job(rng: Rng): { units: bigint; fields: Partial<JobLine> };
}

const PIPELINES: readonly PipelineSpec[] = [
  {
    pipeline: "text-to-image",
    models: ["ByteDance/SDXL-Lightning", "black-forest-labs/FLUX.1-schnell"],
    unit: "pixel",
    weiPerUnit: 4_768_371,
    medianMs: 2_400,
    job: (rng) => {
      const [width, height] = rng.pick([
        [1024, 1024],
        [768, 768],
        [1024, 576],
      ] as const);
      const numImages = 1 + rng.int(4);
      return { units: BigInt(width * height * numImages), fields: { width, height, num_images: numImages } };
    },
  },
  {
    pipeline: "image-to-video",
    models: ["stabilityai/stable-video-diffusion-img2vid-xt-1-1"],
    unit: "pixel",
    weiPerUnit: 3_390_842,
    medianMs: 38_000,
    // output seconds are left to the ingest: frames / fps
    job: (rng) => ({ units: BigInt(1024 * 576 * 25), fields: { width: 1024, height: 576, frames: 25, fps: rng.pick([6, 7]) } }),
  },
  {
    pipeline: "upscale",
    models: ["stabilityai/stable-diffusion-x4-upscaler"],
    unit: "pixel",
    weiPerUnit: 4_768_371,
    medianMs: 9_000,
    job: (rng) => {
      const side = rng.pick([256, 512, 768]);
      return { units: BigInt(side * side), fields: { width: side, height: side } };
    },
  },
  {
    pipeline: "live-video-to-video",
    models: ["streamdiffusion", "comfyui-live"],
    unit: "pixel",
    weiPerUnit: 1_600,
    medianMs: 1_300, // time to the first output segment
    job: (rng) => {
      const seconds = 10 + rng.int(290);
      return { units: BigInt(1280 * 720 * 30 * seconds), fields: { width: 1280, height: 720, fps: 30, output_seconds: seconds } };
    },
  },
  {
    pipeline: "audio-to-text",
    models: ["openai/whisper-large-v3"],
    unit: "ms",
    weiPerUnit: 6_700_000,
    medianMs: 3_200,
    job: (rng) => ({ units: BigInt(5_000 + rng.int(175_000)), fields: {} }),
  },
  {
    pipeline: "llm",
    models: ["meta-llama/Meta-Llama-3.1-8B-Instruct", "Qwen/Qwen2.5-7B-Instruct"],
    unit: "token",
    weiPerUnit: 180_000_000,
    medianMs: 900,
    job: (rng) => ({ units: BigInt(rng.pick([256, 512, 1024, 2048, 4096])), fields: {} }),
  },
];

const ERRORS = [
  { type: "timeout", message: "context deadline exceeded", status: 504 },
  { type: "oom", message: "CUDA out of memory", status: 500 },
  { type: "insufficient_capacity", message: "insufficient capacity", status: 503 },
  { type: "model_not_loaded", message: "model is not warm on this orchestrator", status: 503 },
  { type: "bad_request", message: "invalid image size", status: 400 },
] as const;
const REGIONS = ["FRA", "LAX", "MDW", "SIN", "LON"] as const;

interface OrchestratorProfile {
  address: string;
  url: string | null;
  region: string;
  /** Latency multiplier and lognormal sigma: orchestrators differ clearly. */
  speed: number;
  sigma: number;
  failureRate: number;
  /** Index into PIPELINES -> relative share of this orchestrator's jobs. */
  pipelines: Map<number, number>;
  /** Price multiplier on the network price (orchestrators set their own prices). */
  priceFactor: number;
}

function profiles(network: DemoNetwork, rng: Rng): Map<string, OrchestratorProfile> {
  const out = new Map<string, OrchestratorProfile>();
  for (const t of network.transcoders) {
    const pipelines = new Map<number, number>();
    const count = 2 + rng.int(3);
    while (pipelines.size < count) pipelines.set(rng.int(PIPELINES.length), 0.2 + rng.float());
    out.set(t.id, {
      address: t.id,
      url: t.serviceURI,
      region: rng.pick(REGIONS),
      speed: 0.5 + 2.5 * rng.float() ** 2,
      sigma: 0.15 + 0.45 * rng.float(),
      failureRate: 0.015 + 0.04 * rng.float(),
      pipelines,
      priceFactor: 0.7 + 0.7 * rng.float(),
    });
  }
  return out;
}

/** Pipeline index drawn by the orchestrator's shares. */
function pickPipeline(o: OrchestratorProfile, rng: Rng): number {
  const total = [...o.pipelines.values()].reduce((s, w) => s + w, 0);
  let r = rng.float() * total;
  for (const [i, w] of o.pipelines) if ((r -= w) < 0) return i;
  return [...o.pipelines.keys()].at(-1)!;
}

/** Mean fee of a successful job at scale 1, by sampling (the shares and unit mixes are irregular). */
function meanFee(o: OrchestratorProfile, seed: number): number {
  const rng = new Rng(seed, 77);
  let sum = 0;
  for (let i = 0; i < 400; i++) {
    const p = PIPELINES[pickPipeline(o, rng)];
    sum += Number(p.job(rng).units) * p.weiPerUnit * o.priceFactor;
  }
  return sum / 400;
}

export interface DemoJobLogs {
  /** Lines already due at nowMs, oldest first. */
  due: string[];
  /** The rest of the last day, oldest first, for the appender. */
  later: { timestampMs: number; line: string }[];
  /** Realized ticket fees (wei) per "gateway orchestrator" over the log period, for reconciling. */
  ticketWei: Map<string, bigint>;
  firstDay: string;
}

/** All jobs of the log period, in time order, and the realized fees they reconcile with. */
export function generateDemoJobLogs(network: DemoNetwork, opts: DemoJobLogOptions): DemoJobLogs {
  const days = opts.days ?? 14;
  const targetJobs = opts.targetJobs ?? 150_000;
  const seed = network.meta.seed;
  const rng = new Rng(seed, 4242);
  const orchs = profiles(network, rng);
  const lastDay = Date.parse(`${network.meta.endDay}T00:00:00Z`) / 1000 / DAY_SECONDS;
  const firstDay = lastDay - days + 1;

  // Realized fees per gateway and orchestrator ("gateway orchestrator"), per day of the period: the
  // budgets the jobs spend. (Floats below only size job counts; every fee in a line is BigInt.)
  const budgets = new Map<string, Map<number, bigint>>();
  const ticketWei = new Map<string, bigint>();
  for (const t of network.tickets) {
    const day = Math.floor(t.timestamp / DAY_SECONDS);
    if (day < firstDay || day > lastDay || !orchs.has(t.recipient.id)) continue;
    const wei = parseUnits(t.faceValue, 18);
    const pair = `${t.sender.id} ${t.recipient.id}`;
    let byDay = budgets.get(pair);
    if (!byDay) budgets.set(pair, (byDay = new Map()));
    byDay.set(day, (byDay.get(day) ?? 0n) + wei);
    ticketWei.set(pair, (ticketWei.get(pair) ?? 0n) + wei);
  }
  const fees = new Map([...orchs].map(([a, o], i) => [a, meanFee(o, seed + i)]));
  // One scale for every price, so the period holds about targetJobs jobs.
  let jobsAtScaleOne = 0;
  for (const [pair, wei] of ticketWei) {
    const o = orchs.get(pair.split(" ")[1])!;
    jobsAtScaleOne += Number(wei) / fees.get(o.address)! / (1 - o.failureRate);
  }
  const scale = jobsAtScaleOne / targetJobs;

  const jobs: { timestampMs: number; line: string }[] = [];
  let n = 0;
  const at = (day: number) => Math.floor((day * DAY_SECONDS + rng.float() * DAY_SECONDS) * 1000);
  const push = (timestampMs: number, job: JobLine) => {
    n++;
    jobs.push({ timestampMs, line: JSON.stringify(job) });
  };
  // Per gateway and orchestrator, day by day: jobs spend the day's ticket fees, and what a day could
  // not spend (less than half a job) carries into the next, so the two agree over the period.
  for (const [pair, byDay] of [...budgets].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [gateway, orchAddress] = pair.split(" ");
    const o = orchs.get(orchAddress)!;
    let carry = 0n;
    for (const [day, wei] of [...byDay].sort(([a], [b]) => a - b)) {
      const budget = carry + wei;
      let spent = 0n;
      // A job that would overshoot by more than half its fee is not done; fees differ 100x between
      // pipelines, so cheaper ones are tried until a few in a row miss.
      for (let misses = 0; misses < 24; ) {
        const timestampMs = at(day);
        const job = jobLine(rng, o, gateway, timestampMs, false, scale, seed, n);
        const fee = feeOf(job);
        if (spent + fee / 2n > budget) {
          misses++;
          continue;
        }
        misses = 0;
        spent += fee;
        push(timestampMs, job);
        // failures cost nothing: one now and then beside the paid jobs, at the orchestrator's rate
        if (rng.chance(o.failureRate / (1 - o.failureRate))) {
          const failedAt = at(day);
          push(failedAt, jobLine(rng, o, gateway, failedAt, true, scale, seed, n));
        }
      }
      carry = budget - spent;
    }
  }
  jobs.sort((a, b) => a.timestampMs - b.timestampMs);
  const split = jobs.findIndex((j) => j.timestampMs > opts.nowMs);
  const due = (split === -1 ? jobs : jobs.slice(0, split)).map((j) => j.line);
  return {
    due,
    later: split === -1 ? [] : jobs.slice(split),
    ticketWei,
    firstDay: new Date(firstDay * DAY_SECONDS * 1000).toISOString().slice(0, 10),
  };
}

/** The fee the ingest will compute for a line (0 for a failure). */
export function feeOf(line: JobLine): bigint {
  if (line.computed_fee) return BigInt(line.computed_fee);
  if (line.billable_units && line.price_per_unit)
    return (BigInt(line.billable_units) * BigInt(line.price_per_unit)) / BigInt(line.pixels_per_unit ?? "1");
  return 0n;
}

function jobLine(
  rng: Rng,
  o: OrchestratorProfile,
  gateway: string,
  timestampMs: number,
  failed: boolean,
  scale: number,
  seed: number,
  n: number,
): JobLine {
  const p = PIPELINES[pickPipeline(o, rng)];
  const durationMs = Math.max(1, Math.round(rng.lognormal(p.medianMs * o.speed, o.sigma)));
  const tries = rng.chance(0.04) ? 2 : 1;
  const line: JobLine = {
    request_id: `${seed.toString(16)}-${n.toString(16).padStart(8, "0")}-${rng.hex(8)}`,
    gateway,
    timestamp: timestampMs,
    // A few gateways log the pipeline by its display name: the ingest normalises it.
    pipeline: p.pipeline === "image-to-video" && rng.chance(0.05) ? "Image to video" : p.pipeline,
    model_id: rng.pick(p.models),
    orch_address: o.address,
    ...(o.url ? { orch_url: o.url } : {}),
    success: !failed,
    duration_ms: failed ? Math.round(durationMs * (0.2 + rng.float())) : durationMs,
    orch_duration_ms: Math.round(durationMs * (0.85 + 0.1 * rng.float())),
    tries,
    region: o.region,
  };
  const { units, fields } = p.job(rng);
  if (failed) {
    // A failed request produced nothing: no output seconds, no fee.
    const { frames: _f, output_seconds: _s, ...request } = fields;
    const e = rng.pick(ERRORS);
    return { ...line, ...request, http_status: e.status, error_type: e.type, error: e.message };
  }
  Object.assign(line, fields);
  const pricePerUnit = BigInt(Math.max(1, Math.round(p.weiPerUnit * o.priceFactor * scale)));
  line.http_status = 200;
  // Some gateways log the fee they computed, the others the price to compute it from.
  if (rng.chance(0.3)) line.computed_fee = (units * pricePerUnit).toString();
  else
    Object.assign(line, { billable_units: units.toString(), unit: p.unit, price_per_unit: pricePerUnit.toString(), pixels_per_unit: "1" });
  return line;
}

/** Lines a real log also contains: each must end up as a reject (or a duplicate), never as a job. */
const MALFORMED: readonly (string | Buffer)[] = [
  '{"request_id":"cut-short","gateway":"0x',
  "not json at all",
  '{"request_id":"neg","gateway":"0x1111111111111111111111111111111111111111","timestamp":1760000000000,"pipeline":"llm","model_id":"m","orch_address":"0x2222222222222222222222222222222222222222","success":true,"duration_ms":-40}',
  '{"request_id":"bad-addr","gateway":"0xNOTANADDRESS","timestamp":1760000000000,"pipeline":"llm","model_id":"m","orch_address":"0x2222222222222222222222222222222222222222","success":true,"duration_ms":40}',
  '{"request_id":"big-wei","gateway":"0x1111111111111111111111111111111111111111","timestamp":1760000000000,"pipeline":"llm","model_id":"m","orch_address":"0x2222222222222222222222222222222222222222","success":true,"duration_ms":40,"computed_fee":98765432109876543210}',
  '{"gateway":"0x1111111111111111111111111111111111111111","pipeline":"llm"}',
  Buffer.from([0x7b, 0x22, 0x78, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), // {"x":"\xc3("} is not UTF-8
];

const DEMO_LOG_NAME = "gateway-jobs.jsonl";

/**
 * Writes the demo log directory: days before yesterday in one rotated `gateway-jobs-<first day>.jsonl.gz`,
 * the rest in the active `gateway-jobs.jsonl`, with malformed and re-sent lines spread through it.
 */
export function writeDemoJobLogs(dir: string, logs: DemoJobLogs, nowMs: number): void {
  fs.mkdirSync(dir, { recursive: true });
  const yesterdayMs = (Math.floor(nowMs / 86_400_000) - 1) * 86_400_000;
  const rotatedCount = logs.due.findIndex((l) => JSON.parse(l).timestamp >= yesterdayMs);
  const cut = rotatedCount === -1 ? logs.due.length : rotatedCount;
  fs.writeFileSync(
    path.join(dir, `gateway-jobs-${logs.firstDay}.jsonl.gz`),
    zlib.gzipSync(
      logs.due
        .slice(0, cut)
        .map((l) => l + "\n")
        .join(""),
    ),
  );
  const rotatedAt = new Date(yesterdayMs);
  fs.utimesSync(path.join(dir, `gateway-jobs-${logs.firstDay}.jsonl.gz`), rotatedAt, rotatedAt);

  const active: (string | Buffer)[] = [];
  const recent = logs.due.slice(cut);
  const every = Math.max(1, Math.floor(recent.length / (MALFORMED.length + 1)));
  recent.forEach((line, i) => {
    active.push(line);
    if (i % every === every - 1 && i / every < MALFORMED.length) active.push(MALFORMED[Math.floor(i / every)]);
    if (i % 5_000 === 4_999) active.push(recent[i - 100]); // a gateway re-sending a line
  });
  fs.writeFileSync(path.join(dir, DEMO_LOG_NAME), Buffer.concat(active.map((l) => Buffer.concat([Buffer.from(l), Buffer.from("\n")]))));
}

export interface JobLogAppender {
  /** Appends every pending line whose time has come; returns how many. */
  tick(nowMs?: number): number;
  stop(): void;
}

/** Appends the rest of the day's jobs to the active log as the clock reaches them, every intervalMs. */
export function startJobLogAppender(dir: string, later: DemoJobLogs["later"], intervalMs = 3_000): JobLogAppender {
  let next = 0;
  const tick = (nowMs = Date.now()) => {
    let end = next;
    while (end < later.length && later[end].timestampMs <= nowMs) end++;
    if (end === next) return 0;
    fs.appendFileSync(
      path.join(dir, DEMO_LOG_NAME),
      later
        .slice(next, end)
        .map((j) => j.line + "\n")
        .join(""),
    );
    const appended = end - next;
    next = end;
    return appended;
  };
  const timer = setInterval(() => tick(), intervalMs);
  timer.unref();
  return { tick, stop: () => clearInterval(timer) };
}
