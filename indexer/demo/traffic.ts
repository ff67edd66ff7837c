// The demo network's AI traffic, day by day, at real prices, and the winning tickets it pays with.
//
// Two AI gateways: one sends batch jobs (and some live streams) and writes job logs; the other runs
// live video-to-video sessions and publishes Kafka gateway events. Every job and every session is
// priced at its orchestrator's advertised price (ai-plan.ts), and paid the way go-livepeer pays:
// tickets of the orchestrator's face value and win probability, as many as the fee needs beyond the
// balance already paid (numTickets = ceil((fee - credit) / ticket EV)). Each ticket is then drawn:
// a winner is redeemed on chain a little later with its face value. So the AI orchestrators'
// on-chain fees follow from this traffic (equal to the fees paid, within the lottery's randomness),
// never the other way round. Each day draws from its own seeded streams.
import { LIVE_PIXELS_PER_SECOND, type LiveSessionSpec } from "./gateway-envelopes";
import { aiPlanOf, DAY_MS, isUp, priceAt, ticketEv, WIN_PROB_SCALE, winProbText, type AiNode, type AiPlan, type Offer } from "./ai-plan";
import { Rng, type JobLine } from "./job-lines";

/** Seconds between status samples of a live session in the demo's event files. */
export const STATUS_INTERVAL_MS = 30_000;

export interface LiveSession {
  /** Index into plan.nodes. */
  node: number;
  spec: LiveSessionSpec;
  /** Fees of its payments (create_signed_ticket.computed_fee) and expected value of its tickets. */
  feeWei: bigint;
  evWei: bigint;
  /** Envelope kinds this session's feed lost (events are delivered at most once). */
  lost: string[];
}

export interface UnservedRequest {
  key: string;
  streamId: string;
  requestId: string;
  startMs: number;
  retryMs: number;
}

export interface Winner {
  timestampMs: number;
  node: number;
  gateway: string;
  wei: bigint;
}

export interface DayTraffic {
  /** floor(unix seconds / 86400). */
  day: number;
  /** The batch gateway's job log lines, in time order. */
  jobs: JobLine[];
  sessions: LiveSession[];
  unserved: UnservedRequest[];
}

/** Fees paid per gateway, orchestrator (lowercase) and day: what the tickets were sent for. */
export interface PaidDay {
  gateway: string;
  orchestrator: string;
  day: number;
  feeWei: bigint;
  evWei: bigint;
  tickets: number;
}

export interface DemoTraffic {
  days: DayTraffic[];
  winners: Winner[];
  paid: PaidDay[];
}

interface TrafficOptions {
  seed: number;
  /** Day numbers (UTC), inclusive. */
  firstDay: number;
  lastDay: number;
  batchGateway: string;
  liveGateway: string;
}

// ---------------------------------------------------------------------------------------------
// Batch jobs: what they bill and how long they take.

interface PipelineSpec {
  pipeline: string;
  unit: "pixel" | "ms" | "token";
  /** Share of the batch gateway's jobs. */
  share: number;
  medianMs: number;
  job(rng: Rng): { units: bigint; fields: Partial<JobLine> };
}

export const JOB_PIPELINES: readonly PipelineSpec[] = [
  {
    pipeline: "text-to-image",
    unit: "pixel",
    share: 0.36,
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
    unit: "pixel",
    share: 0.05,
    medianMs: 38_000,
    // output seconds are left to the ingest: frames / fps
    job: (rng) => ({ units: BigInt(1024 * 576 * 25), fields: { width: 1024, height: 576, frames: 25, fps: rng.pick([6, 7]) } }),
  },
  {
    pipeline: "upscale",
    unit: "pixel",
    share: 0.08,
    medianMs: 9_000,
    job: (rng) => {
      const side = rng.pick([256, 512, 768]);
      return { units: BigInt(side * side), fields: { width: side, height: side } };
    },
  },
  {
    pipeline: "live-video-to-video",
    unit: "pixel",
    share: 0.14,
    medianMs: 2_600, // time to the first output segment
    job: (rng) => {
      const seconds = 10 + rng.int(290);
      return { units: LIVE_PIXELS_PER_SECOND * BigInt(seconds), fields: { width: 1280, height: 720, fps: 30, output_seconds: seconds } };
    },
  },
  {
    pipeline: "audio-to-text",
    unit: "ms",
    share: 0.1,
    medianMs: 3_200,
    job: (rng) => ({ units: BigInt(5_000 + rng.int(175_000)), fields: {} }),
  },
  {
    pipeline: "llm",
    unit: "token",
    share: 0.27,
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

/** Share of each UTC hour in a day's traffic: busiest in the European evening and US afternoon. */
const HOURS = [3, 2, 2, 2, 2, 3, 4, 5, 6, 7, 8, 8, 9, 10, 11, 12, 12, 12, 11, 10, 8, 6, 5, 4];

function atInDay(rng: Rng, day: number): number {
  const hour = rng.weighted(HOURS);
  return day * DAY_MS + hour * 3_600_000 + Math.floor(rng.float() * 3_600_000);
}

function weekdayFactor(day: number): number {
  const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday
  return weekday === 0 || weekday === 6 ? 0.78 : 1.08;
}

/** Batch jobs per day: ~400, growing ~15% over the demo's span. */
function jobsOn(rng: Rng, day: number, o: TrafficOptions): number {
  const progress = (day - o.firstDay) / Math.max(1, o.lastDay - o.firstDay);
  return Math.round(400 * (1 + 0.15 * progress) * weekdayFactor(day) * rng.noise(0.12));
}

/** Live sessions per day: growing fast (where the network's AI traffic is going), ~300 a weekday at the end. */
function sessionsOn(rng: Rng, day: number, o: TrafficOptions): number {
  const progress = (day - o.firstDay) / Math.max(1, o.lastDay - o.firstDay);
  return Math.round((50 + 240 * progress ** 1.6) * weekdayFactor(day) * rng.noise(0.1));
}

/**
 * Tickets a payment of `fee` wei sends given the balance `credit` already paid for: go-livepeer's
 * ceil((fee - credit) / EV). Fees of one payment (< 1e14 wei), credits and EVs (< 1e13, whole wei)
 * are exact in a double, and so is this quotient's ceiling.
 */
function ticketsFor(fee: number, credit: number, ev: number): number {
  return fee <= credit ? 0 : Math.ceil((fee - credit) / ev);
}

/** Tickets drawn against the node's win probability; each winner is redeemed a little after payment. */
function draw(lottery: Rng, node: AiNode, nodeIndex: number, gateway: string, tickets: number, paidAtMs: number, lastDay: number, winners: Winner[]): void {
  const p = Number(node.winProbNum) / Number(WIN_PROB_SCALE);
  // Redeemed the same UTC day (and never after the network's last day).
  const dayEnd = (Math.min(lastDay, Math.floor(paidAtMs / DAY_MS)) + 1) * DAY_MS - 1_000;
  for (let t = 0; t < tickets; t++)
    if (lottery.float() < p)
      winners.push({ timestampMs: Math.min(dayEnd, paidAtMs + 5_000 + Math.floor(lottery.float() * 600_000)), node: nodeIndex, gateway, wei: node.faceValueWei });
}

/** Fees and tickets per gateway, orchestrator and day, summed as exact doubles (< 2^53 wei a day) and kept as wei. */
class Ledger {
  private readonly sums = new Map<string, { gateway: string; orchestrator: string; day: number; fee: number; tickets: number; ev: number }>();
  add(gateway: string, node: AiNode, nodeIndex: number, atMs: number, fee: number, tickets: number, ev: number): void {
    const day = Math.floor(atMs / DAY_MS);
    const key = `${nodeIndex} ${gateway} ${day}`;
    let p = this.sums.get(key);
    if (!p) this.sums.set(key, (p = { gateway, orchestrator: node.address, day, fee: 0, tickets: 0, ev }));
    p.fee += fee;
    p.tickets += tickets;
    if (p.fee > Number.MAX_SAFE_INTEGER) throw new Error("a day's fees do not fit a double exactly");
  }
  get paid(): PaidDay[] {
    return [...this.sums.values()].map((p) => ({
      gateway: p.gateway,
      orchestrator: p.orchestrator,
      day: p.day,
      feeWei: BigInt(p.fee),
      evWei: BigInt(p.ev) * BigInt(p.tickets),
      tickets: p.tickets,
    }));
  }
}

/** Per day: the nodes up at its start serving each pipeline (a node that joins takes traffic from the next day). */
function servingOn(plan: AiPlan, day: number): Map<string, { nodes: number[]; weights: number[] }> {
  const out = new Map<string, { nodes: number[]; weights: number[] }>();
  plan.nodes.forEach((n, k) => {
    if (!isUp(n, day * DAY_MS)) return;
    for (const pipeline of new Set(n.offers.map((f) => f.pipeline))) {
      let s = out.get(pipeline);
      if (!s) out.set(pipeline, (s = { nodes: [], weights: [] }));
      s.nodes.push(k);
      s.weights.push(n.weight);
    }
  });
  return out;
}

const hex8 = (rng: Rng) => (rng.int(2 ** 32) >>> 0).toString(16).padStart(8, "0");

// Each day draws from two streams: the economic one decides what is paid (when, to whom, how much)
// and is walked for every day of the network; the cosmetic one (ids, latencies, frame rates) only
// when a day's log lines or sessions are built. So the chain needs no log line, and a day's lines
// come out the same whichever days are built.
const stream = (o: TrafficOptions, kind: number, day: number) => new Rng(o.seed, kind * 100_000 + (day % 100_000));
const ECONOMIC_JOBS = 1, COSMETIC_JOBS = 2, ECONOMIC_LIVE = 3, COSMETIC_LIVE = 4, LOTTERY_JOBS = 5, LOTTERY_LIVE = 6;

interface BatchJob {
  n: number;
  at: number;
  k: number;
  offer: Offer;
  spec: PipelineSpec;
  failed: boolean;
  units: bigint;
  fields: Partial<JobLine>;
  /** Wei; 0 for a failure. */
  fee: number;
}

function* batchJobs(plan: AiPlan, o: TrafficOptions, day: number): Generator<BatchJob> {
  const rng = stream(o, ECONOMIC_JOBS, day);
  const count = jobsOn(rng, day, o);
  const pipelineWeights = JOB_PIPELINES.map((p) => p.share);
  const serving = servingOn(plan, day);
  for (let n = 0; n < count; n++) {
    const at = atInDay(rng, day);
    const spec = JOB_PIPELINES[rng.weighted(pipelineWeights)];
    const s = serving.get(spec.pipeline);
    if (!s) continue;
    const k = s.nodes[rng.weighted(s.weights)];
    const node = plan.nodes[k];
    const offer = rng.pick(node.offers.filter((f) => f.pipeline === spec.pipeline));
    const failed = rng.chance(node.failureRate);
    const { units, fields } = spec.job(rng);
    const fee = failed ? 0n : units * priceAt(offer, at);
    if (fee > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`a demo job's fee does not fit a double: ${fee}`);
    yield { n, at, k, offer, spec, failed, units, fields, fee: Number(fee) };
  }
}

/** The batch gateway's log lines of a day, in time order. */
function batchLines(plan: AiPlan, o: TrafficOptions, day: number): JobLine[] {
  const rng = stream(o, COSMETIC_JOBS, day);
  const lines: JobLine[] = [];
  for (const j of batchJobs(plan, o, day)) {
    const node = plan.nodes[j.k];
    const durationMs = Math.max(1, Math.round(rng.lognormal(j.spec.medianMs * node.speed, node.sigma)));
    const line: JobLine = {
      request_id: `${o.seed.toString(16)}-${day.toString(16)}${j.n.toString(16).padStart(5, "0")}-${hex8(rng)}`,
      gateway: o.batchGateway,
      timestamp: j.at,
      // A few gateways log the pipeline by its display name: the ingest normalises it.
      pipeline: j.spec.pipeline === "image-to-video" && rng.chance(0.05) ? "Image to video" : j.spec.pipeline,
      model_id: j.offer.modelId,
      orch_address: node.address,
      orch_url: node.url,
      success: !j.failed,
      duration_ms: durationMs,
      orch_duration_ms: Math.round(durationMs * (0.85 + 0.1 * rng.float())),
      tries: rng.chance(0.04) ? 2 : 1,
      region: node.region,
    };
    if (j.failed) {
      // A failed request produced nothing: no output seconds, no fee.
      const { frames: _f, output_seconds: _s, ...request } = j.fields;
      const e = rng.pick(ERRORS);
      lines.push({ ...line, ...request, duration_ms: Math.round(durationMs * (0.2 + rng.float())), http_status: e.status, error_type: e.type, error: e.message });
      continue;
    }
    Object.assign(line, j.fields, { http_status: 200 });
    // Some gateways log the fee they computed, the others the price to compute it from.
    if (rng.chance(0.3)) line.computed_fee = String(j.fee);
    else Object.assign(line, { billable_units: j.units.toString(), unit: j.spec.unit, price_per_unit: priceAt(j.offer, j.at).toString(), pixels_per_unit: "1" });
    lines.push(line);
  }
  return lines.sort((a, b) => a.timestamp - b.timestamp);
}

/** The fee the ingest will compute for a line (0 for a failure). */
export function feeOfLine(line: JobLine): bigint {
  if (line.computed_fee) return BigInt(line.computed_fee);
  if (line.billable_units && line.price_per_unit) return (BigInt(line.billable_units) * BigInt(line.price_per_unit)) / BigInt(line.pixels_per_unit ?? "1");
  return 0n;
}

// ---------------------------------------------------------------------------------------------
// Live sessions

const LIVE_PIXELS_PER_MS = Number(LIVE_PIXELS_PER_SECOND / 1000n);
const MODEL_POPULARITY: Record<string, number> = { "streamdiffusion-sdxl": 0.55, "streamdiffusion-sdxl-faceid": 0.35, streamdiffusion: 0.1 };
const B36 = "0123456789abcdefghijklmnopqrstuvwxyz";
const base36 = (rng: Rng, n: number) => Array.from({ length: n }, () => B36[rng.int(36)]).join("");
/** Timeline events a feed may lose (payments are kept: see gateway.ts). */
const LOSABLE = ["gateway_receive_first_processed_segment", "gateway_send_first_ingest_segment", "runner_receive_first_ingest_segment", "ai_stream_status", "gateway_ingest_stream_closed"];

interface LiveRequest {
  n: number;
  startMs: number;
  /** null: no orchestrator was available. */
  k: number | null;
  offer: Offer | null;
  price: bigint;
  started: boolean;
  durationMs: number;
  paymentSecs: number[];
  ticketsPerPayment: number[];
  /** Wei of each payment. */
  fees: number[];
}

function* liveRequests(plan: AiPlan, o: TrafficOptions, day: number): Generator<LiveRequest> {
  const rng = stream(o, ECONOMIC_LIVE, day);
  const count = sessionsOn(rng, day, o);
  const live = servingOn(plan, day).get("live-video-to-video")!;
  for (let n = 0; n < count; n++) {
    const startMs = atInDay(rng, day);
    // Now and then no orchestrator has a free GPU, more often at the evening peak.
    const hour = Math.floor((startMs % DAY_MS) / 3_600_000);
    if (rng.chance(hour >= 15 && hour <= 19 ? 0.025 : 0.006)) {
      yield { n, startMs, k: null, offer: null, price: 0n, started: false, durationMs: 0, paymentSecs: [], ticketsPerPayment: [], fees: [] };
      continue;
    }
    const k = live.nodes[rng.weighted(live.weights)];
    const node = plan.nodes[k];
    const offers = node.offers.filter((f) => f.pipeline === "live-video-to-video");
    const offer = offers[rng.weighted(offers.map((f) => MODEL_POPULARITY[f.modelId] ?? 0.1))];
    const price = priceAt(offer, startMs);
    const started = !rng.chance(0.012);
    const durationMs = started ? Math.round(Math.min(7_200_000, Math.max(20_000, rng.lognormal(150_000, 0.9)))) : 15_000 + rng.int(30_000);
    // 60 s paid up front, then every 60 s for the time since the last payment.
    const payments = Math.max(1, Math.ceil(durationMs / 60_000));
    const paymentSecs = Array.from({ length: payments }, (_, p) => (p === 0 ? 60 : Math.round((60 + 0.4 * (rng.float() - 0.5)) * 1000) / 1000));
    // The builder's fee: pixels = 27,648,000 x billable ms / 1000 (27,648 a millisecond), times the price.
    const ev = Number(ticketEv(node));
    let credit = 0;
    const fees = paymentSecs.map((secs) => LIVE_PIXELS_PER_MS * Math.round(secs * 1000) * Number(price));
    const ticketsPerPayment = fees.map((fee) => {
      const t = ticketsFor(fee, credit, ev);
      credit += t * ev - fee;
      return t;
    });
    yield { n, startMs, k, offer, price, started, durationMs, paymentSecs, ticketsPerPayment, fees };
  }
}

/** A day's sessions and unserved requests, with every cosmetic detail. */
function liveSessions(plan: AiPlan, o: TrafficOptions, day: number): { sessions: LiveSession[]; unserved: UnservedRequest[] } {
  const rng = stream(o, COSMETIC_LIVE, day);
  const sessions: LiveSession[] = [];
  const unserved: UnservedRequest[] = [];
  for (const r of liveRequests(plan, o, day)) {
    const key = `live/${o.seed}/${day}/${r.n}/${hex8(rng)}`;
    const streamId = `stream-${base36(rng, 6)}-${base36(rng, 8)}`;
    const requestId = hex8(rng);
    if (r.k === null) {
      unserved.push({ key, streamId, requestId, startMs: r.startMs, retryMs: 800 + rng.int(4_000) });
      continue;
    }
    const node = plan.nodes[r.k];
    const startupMs = r.started ? Math.min(60_000, Math.max(400, Math.round(rng.lognormal(node.startupMedianMs, 0.35)))) : null;
    const input = rng.pick([30, 30, 30, 24, 20]);
    const samples = startupMs === null ? 0 : Math.max(0, Math.min(240, Math.floor((r.durationMs - startupMs) / STATUS_INTERVAL_MS)));
    const fps: [number, number][] = Array.from({ length: samples }, () => {
      const ratio = Math.min(1, Math.max(0.3, node.fpsRatio + 0.06 * rng.normal()));
      return [Math.round(input * (0.97 + 0.06 * rng.float()) * 100) / 100, Math.round(input * ratio * 100) / 100];
    });
    sessions.push({
      node: r.k,
      feeWei: BigInt(r.fees.reduce((a, b) => a + b, 0)),
      evWei: ticketEv(node) * BigInt(r.ticketsPerPayment.reduce((a, b) => a + b, 0)),
      lost: rng.chance(0.012) ? [rng.pick(LOSABLE)] : [],
      spec: {
        key,
        streamId,
        requestId,
        startMs: r.startMs,
        orchHot: node.hot,
        orchUrl: node.url,
        orchAddress: node.address,
        gatewayAddress: o.liveGateway,
        modelId: r.offer!.modelId,
        startupMs,
        durationMs: r.durationMs,
        fps,
        swaps: rng.chance(0.03) ? (rng.chance(0.2) ? 2 : 1) : 0,
        errors: rng.chance(0.02) ? 1 : 0,
        priceWeiPerPixel: r.price,
        paymentSecs: r.paymentSecs,
        faceValueWei: node.faceValueWei,
        winProb: winProbText(node.winProbNum),
        statusIntervalMs: STATUS_INTERVAL_MS,
        ticketsPerPayment: r.ticketsPerPayment,
      },
    });
  }
  return { sessions, unserved };
}

/** Every day's AI traffic of the span (built lazily, day by day), and the winning tickets it paid with. */
export function buildTraffic(plan: AiPlan, o: TrafficOptions): DemoTraffic {
  const ledger = new Ledger();
  const winners: Winner[] = [];
  const credit = plan.nodes.map(() => 0);
  const days: DayTraffic[] = [];
  for (let day = o.firstDay; day <= o.lastDay; day++) {
    const lottery = stream(o, LOTTERY_JOBS, day);
    for (const j of batchJobs(plan, o, day)) {
      if (j.failed) continue; // a failed request produced nothing and cost nothing
      const node = plan.nodes[j.k];
      const ev = Number(ticketEv(node));
      // A batch gateway keeps one balance with each orchestrator across requests.
      const t = ticketsFor(j.fee, credit[j.k], ev);
      credit[j.k] += t * ev - j.fee;
      ledger.add(o.batchGateway, node, j.k, j.at, j.fee, t, ev);
      draw(lottery, node, j.k, o.batchGateway, t, j.at, o.lastDay, winners);
    }
    const liveLottery = stream(o, LOTTERY_LIVE, day);
    for (const r of liveRequests(plan, o, day)) {
      if (r.k === null) continue;
      const node = plan.nodes[r.k];
      const ev = Number(ticketEv(node));
      r.fees.forEach((fee, p) => {
        const at = r.startMs + 260 + p * 60_000;
        ledger.add(o.liveGateway, node, r.k!, at, fee, r.ticketsPerPayment[p], ev);
        draw(liveLottery, node, r.k!, o.liveGateway, r.ticketsPerPayment[p], at, o.lastDay, winners);
      });
    }
    days.push(lazyDay(plan, o, day));
  }
  return { days, winners, paid: ledger.paid };
}

function lazyDay(plan: AiPlan, o: TrafficOptions, day: number): DayTraffic {
  let jobs: JobLine[] | undefined;
  let live: { sessions: LiveSession[]; unserved: UnservedRequest[] } | undefined;
  return {
    day,
    get jobs() {
      return (jobs ??= batchLines(plan, o, day));
    },
    get sessions() {
      return (live ??= liveSessions(plan, o, day)).sessions;
    },
    get unserved() {
      return (live ??= liveSessions(plan, o, day)).unserved;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// One plan and one traffic per network, built once (generateDemoNetwork registers what it built).

export interface DemoAi {
  plan: AiPlan;
  traffic: DemoTraffic;
}

interface NetworkLike {
  meta: { seed: number; startDay: string; endDay: string; gateways: { address: string; role: string }[] };
  transcoders: { id: string; serviceURI: string | null; active: boolean }[];
}

const built = new WeakMap<object, DemoAi>();

const dayOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;

/** The plan and traffic of a network's meta and orchestrators. */
export function buildDemoAi(n: NetworkLike): DemoAi {
  const role = (r: string) => n.meta.gateways.find((g) => g.role === r)?.address ?? "";
  const plan = aiPlanOf(n.meta.seed, n.transcoders, dayOf(n.meta.endDay) * DAY_MS);
  const traffic = buildTraffic(plan, {
    seed: n.meta.seed,
    firstDay: dayOf(n.meta.startDay),
    lastDay: dayOf(n.meta.endDay),
    batchGateway: role("ai-batch"),
    liveGateway: role("ai-live"),
  });
  return { plan, traffic };
}

export function rememberDemoAi(network: object, ai: DemoAi): void {
  built.set(network, ai);
}

/** The AI plan and traffic behind a demo network (built again only for a network this process did not generate). */
export function demoAi(network: NetworkLike): DemoAi {
  let ai = built.get(network);
  if (!ai) built.set(network, (ai = buildDemoAi(network)));
  return ai;
}
