/**
 * Deterministic demo data for the local stand-in of the Livepeer subgraph.
 *
 * The output is the raw material the demo subgraph aggregates: orchestrators, gateways, rounds,
 * per-day protocol stats and ~15k winning tickets. Aggregates (Day, TranscoderDay, totals) are NOT
 * stored here: the demo subgraph derives them from the tickets visible at a block
 * (subgraph-model.ts), so they always reconcile exactly, as they do in the real subgraph.
 *
 * Two kinds of fees, as on the real network. Transcoding (most of the fee volume) is planned as
 * daily spends per gateway, with a subsidised free tier during a marked window. AI fees are not
 * planned: the AI orchestrators (ai-plan.ts) are paid only by the two AI gateways, and their winning
 * tickets are exactly the winners of the lottery over the tickets that the AI traffic (traffic.ts: batch
 * jobs and live video sessions at the advertised prices) sent.
 *
 * Money never passes through a JS number once it is a ticket: face values are integer wei
 * (bigint), USD is integer units of 1e-10 USD. Floats only shape the random targets.
 */
import { aiPlanOf, WIN_PROB_SCALE, type AiPlan } from "./ai-plan";
import { Random } from "./random";
import { buildTraffic, rememberDemoAi, type DemoTraffic } from "./traffic";

export const DAY_SECONDS = 86_400;
/** Livepeer rounds last ~21.5 h on Arbitrum. */
const ROUND_SECONDS = 77_400;
const BLOCKS_PER_SECOND = 4;
/** Arbitrum-like anchor (2023-01-01T00:00:00Z), fixed so a timestamp maps to one block whatever the endDay. */
const GENESIS_BLOCK = 50_000_000;
const GENESIS_TIMESTAMP = 1_672_531_200;
const FIRST_ROUND = 3400;
const ETH_DECIMALS = 18;
const USD_DECIMALS = 10;
/** What the subgraph reports as the deactivationRound of an orchestrator that never deactivated. */
const MAX_UINT256 = (1n << 256n) - 1n;

const ORCHESTRATOR_COUNT = 60;
const RETIRING_ORCHESTRATORS = 4; // deactivate inside the window: fees stop mid-way
const UNREGISTERED_ORCHESTRATORS = 4; // left before the window: never earn
const NULL_URI_INDEXES = new Set([13, 29, 44]);
const SUBSIDISED_ORCHESTRATORS = 12;
/**
 * Transcoding gateways share the organic transcoding fees; the AI gateways pay only for their
 * traffic (traffic.ts): one sends batch jobs and writes job logs, the other runs live video sessions
 * and publishes gateway events.
 */
const GATEWAYS = [
  { label: "Video platform gateway", organicShare: 0.5, role: "transcoding" },
  { label: "AI API gateway", organicShare: 0, role: "ai-batch" },
  { label: "Free-tier gateway (subsidised)", organicShare: 0, role: "transcoding" },
  { label: "Community gateway", organicShare: 0.2, role: "transcoding" },
  { label: "Livestream gateway", organicShare: 0.3, role: "transcoding" },
  { label: "Live video AI gateway", organicShare: 0, role: "ai-live" },
] as const;
export type GatewayRole = (typeof GATEWAYS)[number]["role"];
const SUBSIDISED_GATEWAY_INDEX = 2;
/** During the window the free tier spends ~3x the organic level, so the network sees ~4x. */
const SUBSIDY_MULTIPLE = 3;

export interface DemoTranscoder {
  id: string;
  active: boolean;
  status: "Registered" | "NotRegistered";
  activationRound: string;
  deactivationRound: string;
  /** Parts per 1,000,000. */
  feeShare: string;
  /** Parts per 1,000,000. */
  rewardCut: string;
  /** LPT, decimal string. */
  totalStake: string;
  serviceURI: string | null;
  /** How many rounds behind the current round its last reward call is; null = never called. */
  rewardLagRounds: number | null;
}

export interface DemoBroadcaster {
  id: string;
  /** ETH, decimal string. */
  deposit: string;
  reserve: string;
}

/** Exactly what the subgraph returns for a WinningTicketRedeemedEvent (the fields the project reads). */
export interface DemoTicket {
  /** `<txHash>-<logIndex>`, as the subgraph builds it. */
  id: string;
  /** Unix seconds. */
  timestamp: number;
  round: { id: string };
  /** Gateway. */
  sender: { id: string };
  /** Orchestrator. */
  recipient: { id: string };
  /** ETH: integer wei / 1e18. */
  faceValue: string;
  /** faceValue x that day's ETH/USD, rounded to 10 decimals. */
  faceValueUSD: string;
  winProb: string;
  /** blockNumber is a BigInt, so a string, as the subgraph sends it. */
  transaction: { id: string; blockNumber: string };
}

export interface DemoRound {
  id: string;
  startTimestamp: number;
  startBlock: number;
  lengthBlocks: number;
}

/** Protocol-level stats a Day entity carries besides fees. */
export interface DemoProtocolDay {
  /** floor(unix seconds / 86400). */
  day: number;
  totalActiveStake: string;
  totalSupply: string;
  participationRate: string;
  activeTranscoderCount: number;
}

export interface DemoMeta {
  seed: number;
  startDay: string;
  endDay: string;
  subsidizedGateway: string;
  /** Inclusive UTC days. */
  subsidy: { from: string; to: string };
  gateways: { address: string; label: string; role: GatewayRole }[];
}

export interface DemoNetwork {
  meta: DemoMeta;
  transcoders: DemoTranscoder[];
  broadcasters: DemoBroadcaster[];
  /** In chain order: block number, then transaction hash, then log index. */
  tickets: DemoTicket[];
  rounds: DemoRound[];
  protocolDays: DemoProtocolDay[];
  /** 'YYYY-MM-DD' -> USD per ETH, decimal string. */
  ethUsdByDay: Record<string, string>;
  /** Last block that can hold data (the last block of endDay). */
  lastBlock: number;
  blockAt(timestamp: number): number;
  timestampAt(block: number): number;
}

export interface GenerateOptions {
  seed?: number;
  days?: number;
  /** 'YYYY-MM-DD' (UTC); the data ends at the end of this day. Default: today (UTC). */
  endDay?: string;
  ticketsTarget?: number;
}

// ---------------------------------------------------------------------------------------------
// Exact decimal strings

/** Integer in the smallest unit -> plain decimal string without trailing zeros ("0.05", "12"). */
export function formatUnits(value: bigint, decimals: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** Inverse of formatUnits; throws if the string has more decimals than the unit allows. */
export function parseUnits(text: string, decimals: number): bigint {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match || (match[3]?.length ?? 0) > decimals) throw new Error(`not a ${decimals}-decimal amount: ${text}`);
  const [, sign, whole, fraction = ""] = match;
  const units = BigInt(whole + fraction.padEnd(decimals, "0"));
  return sign ? -units : units;
}

// ---------------------------------------------------------------------------------------------
// Time

function dayNumberOf(isoDay: string): number {
  const ms = Date.parse(`${isoDay}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDay) || Number.isNaN(ms)) throw new Error(`endDay must be YYYY-MM-DD, got ${isoDay}`);
  return ms / 1000 / DAY_SECONDS;
}

function isoDayOf(dayNumber: number): string {
  return new Date(dayNumber * DAY_SECONDS * 1000).toISOString().slice(0, 10);
}

/** Accepts fractional seconds, so the head block advances 4 times a second. */
function blockAt(timestamp: number): number {
  return GENESIS_BLOCK + Math.floor((timestamp - GENESIS_TIMESTAMP) * BLOCKS_PER_SECOND);
}

function timestampAt(block: number): number {
  return GENESIS_TIMESTAMP + Math.floor((block - GENESIS_BLOCK) / BLOCKS_PER_SECOND);
}

function ethToWei(eth: number, random: Random): bigint {
  // Whole micro-ETH from the float, then 12 random low digits so values carry 18 decimals.
  return BigInt(Math.round(eth * 1e6)) * 1_000_000_000_000n + (random.digits18() % 1_000_000_000_000n);
}

// ---------------------------------------------------------------------------------------------
// Participants: depend on the seed only, so addresses stay put when endDay moves.

interface Orchestrator {
  transcoder: DemoTranscoder;
  stakeWei: bigint;
  /** Share of organic fees (Zipf over a random rank: a few big ones, a long tail). */
  feeWeight: number;
  faceValueEth: number;
  winProb: string;
  role: "active" | "retiring" | "unregistered";
}

function makeOrchestrators(random: Random): Orchestrator[] {
  const ranks = Array.from({ length: ORCHESTRATOR_COUNT }, (_, i) => i);
  for (let i = ranks.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [ranks[i], ranks[j]] = [ranks[j], ranks[i]];
  }
  const firstRetiring = ORCHESTRATOR_COUNT - RETIRING_ORCHESTRATORS - UNREGISTERED_ORCHESTRATORS;
  return ranks.map((rank, i) => {
    const role = i < firstRetiring ? "active" : i < ORCHESTRATOR_COUNT - UNREGISTERED_ORCHESTRATORS ? "retiring" : "unregistered";
    const stakeWei = ethToWei(random.logUniform(2_000, 3_000_000), random);
    // Unregistered orchestrators left before the window; the others joined before it and have not left.
    const deactivationRound = role === "unregistered" ? FIRST_ROUND - 1 - random.int(200) : undefined;
    const activationRound = (deactivationRound ?? FIRST_ROUND) - 1 - random.int(2_500);
    return {
      transcoder: {
        id: `0x${random.hex(40)}`,
        active: role === "active",
        status: role === "unregistered" ? "NotRegistered" : "Registered",
        activationRound: String(activationRound),
        // Retiring orchestrators get their real deactivation round once the timeline is known.
        deactivationRound: String(deactivationRound ?? MAX_UINT256),
        feeShare: String(random.chance(0.3) ? random.int(1_000_001) : random.pick([0, 250_000, 500_000, 750_000, 900_000, 1_000_000])),
        rewardCut: String(random.chance(0.3) ? random.int(1_000_001) : random.pick([0, 50_000, 100_000, 250_000, 500_000, 1_000_000])),
        totalStake: formatUnits(stakeWei, ETH_DECIMALS),
        serviceURI: serviceUriOf(i),
        rewardLagRounds: role !== "active" || random.chance(0.05) ? null : random.chance(0.85) ? 0 : 1 + random.int(10),
      },
      stakeWei,
      feeWeight: role === "unregistered" ? 0 : 1 / (rank + 1) ** 1.2,
      faceValueEth: random.logUniform(0.012, 0.12),
      winProb: (MAX_UINT256 / BigInt(random.pick([100, 200, 500, 1_000, 2_000]))).toString(),
      role,
    };
  });
}

function serviceUriOf(index: number): string | null {
  return NULL_URI_INDEXES.has(index) ? null : `https://orch-${index + 1}.example.net:8935`;
}

interface Gateway {
  broadcaster: DemoBroadcaster;
  label: string;
  role: GatewayRole;
  organicShare: number;
  /** Relative preference over orchestrators (same indexes as the orchestrator list). */
  orchestratorWeights: number[];
}

function makeGateways(random: Random, orchestrators: Orchestrator[], ai: Set<number>): Gateway[] {
  // The free tier routes its work to a small set of orchestrators, so its subsidy is visible per orchestrator too.
  // AI orchestrators earn only from AI traffic, so their fees follow it.
  const activeIndexes = orchestrators.flatMap((o, i) => (o.role === "active" && !ai.has(i) ? [i] : []));
  const subsidised = new Set<number>();
  while (subsidised.size < SUBSIDISED_ORCHESTRATORS) subsidised.add(random.pick(activeIndexes));

  return GATEWAYS.map((spec, g) => ({
    broadcaster: {
      id: `0x${random.hex(40)}`,
      deposit: formatUnits(ethToWei(random.logUniform(2, 200), random), ETH_DECIMALS),
      reserve: formatUnits(ethToWei(random.logUniform(0.5, 50), random), ETH_DECIMALS),
    },
    label: spec.label,
    role: spec.role,
    organicShare: spec.organicShare,
    orchestratorWeights: orchestrators.map((o, i) =>
      g === SUBSIDISED_GATEWAY_INDEX ? (subsidised.has(i) ? 0.5 + random.float() : 0) : ai.has(i) ? 0 : o.feeWeight * random.noise(0.3),
    ),
  }));
}

// ---------------------------------------------------------------------------------------------
// Timeline: depends on seed and endDay.

interface Timeline {
  startDay: number;
  days: number;
  subsidyFrom: number; // day index, inclusive
  subsidyTo: number; // day index, inclusive
  /** Price per day index, in cents. */
  ethUsdCents: number[];
  /** Day index at which each retiring orchestrator stops (by orchestrator index). */
  retiresAt: Map<number, number>;
}

function makeTimeline(random: Random, endDay: number, days: number, orchestrators: Orchestrator[]): Timeline {
  const retiresAt = new Map<number, number>();
  orchestrators.forEach((o, i) => {
    if (o.role === "retiring") retiresAt.set(i, Math.floor(days * 0.15) + random.int(Math.floor(days * 0.6)));
  });
  return {
    startDay: endDay - days + 1,
    days,
    // Roughly days 100..159 of 180: the last ~3 weeks are organic again.
    subsidyFrom: Math.floor(days * 0.56),
    subsidyTo: days - 1 - Math.floor(days * 0.115),
    ethUsdCents: ethUsdWalk(random, days),
    retiresAt,
  };
}

/** A smooth random walk: daily returns are autocorrelated, and bounce off 2,000 and 4,000 USD. */
function ethUsdWalk(random: Random, days: number): number[] {
  const cents: number[] = [];
  let price = 2_500 + 1_000 * random.float();
  let drift = 0;
  for (let i = 0; i < days; i++) {
    drift = 0.7 * drift + 0.3 * 0.03 * random.normal();
    price *= Math.exp(drift);
    if (price < 2_000 || price > 4_000) {
      price = Math.min(4_000, Math.max(2_000, price));
      drift = -drift;
    }
    cents.push(Math.round(price * 100));
  }
  return cents;
}

/** Organic growth: +25% over the whole period. */
function trend(timeline: Timeline, dayIndex: number): number {
  return 1 + (0.25 * dayIndex) / timeline.days;
}

/** Organic network fees in ETH per day: ~1-3 ETH, weekday peak, mild upward trend. */
function organicLevel(level: number, timeline: Timeline, dayIndex: number): number {
  const weekday = (timeline.startDay + dayIndex + 4) % 7; // 1970-01-01 was a Thursday
  const season = weekday === 0 || weekday === 6 ? 0.78 : 1.06;
  return level * trend(timeline, dayIndex) * season;
}

interface Spend {
  dayIndex: number;
  gateway: number;
  eth: number;
}

function planSpends(random: Random, timeline: Timeline, gateways: Gateway[]): Spend[] {
  const level = 1.5 + 0.3 * random.float();
  // The free tier's budget is set from the organic level just before it starts, not from the trend inside it.
  const subsidyBudget = SUBSIDY_MULTIPLE * level * trend(timeline, timeline.subsidyFrom);
  const spends: Spend[] = [];
  for (let dayIndex = 0; dayIndex < timeline.days; dayIndex++) {
    const organic = organicLevel(level, timeline, dayIndex) * random.noise(0.18);
    const inSubsidy = dayIndex >= timeline.subsidyFrom && dayIndex <= timeline.subsidyTo;
    gateways.forEach((gateway, g) => {
      const eth =
        g === SUBSIDISED_GATEWAY_INDEX ? subsidisedSpend(random, inSubsidy, subsidyBudget) : organic * gateway.organicShare * random.noise(0.25);
      if (eth > 0) spends.push({ dayIndex, gateway: g, eth });
    });
  }
  return spends;
}

/** The free tier pays for traffic only inside its window; outside it, an occasional test ticket. */
function subsidisedSpend(random: Random, inWindow: boolean, budget: number): number {
  if (inWindow) return budget * random.noise(0.12);
  return random.chance(0.1) ? 0.1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Tickets

interface TicketContext {
  random: Random;
  timeline: Timeline;
  orchestrators: Orchestrator[];
  gateways: Gateway[];
  /** Multiplies every orchestrator's face value so the ticket count lands near the target. */
  faceValueScale: number;
}

/** Face values are set per orchestrator in Livepeer, so a gateway's mean ticket depends on whom it pays. */
function faceValueScaleFor(spends: Spend[], orchestrators: Orchestrator[], gateways: Gateway[], ticketsTarget: number): number {
  const meanFace = gateways.map((gateway) => {
    const total = gateway.orchestratorWeights.reduce((sum, w) => sum + w, 0);
    return total > 0 ? gateway.orchestratorWeights.reduce((sum, w, i) => sum + w * orchestrators[i].faceValueEth, 0) / total : 1;
  });
  const ticketsAtScaleOne = spends.reduce((sum, s) => sum + s.eth / meanFace[s.gateway], 0);
  return ticketsAtScaleOne / ticketsTarget;
}

function eligibleWeights(ctx: TicketContext, gateway: number, dayIndex: number): number[] {
  return ctx.gateways[gateway].orchestratorWeights.map((w, i) => {
    const retiresAt = ctx.timeline.retiresAt.get(i);
    return retiresAt !== undefined && dayIndex >= retiresAt ? 0 : w;
  });
}

interface Redemption {
  timestamp: number;
  gateway: number;
  orchestrator: number;
  wei: bigint[];
  /** The tickets' win probability (uint256 numerator); default: the orchestrator's transcoding one. */
  winProb?: string;
}

/** Spends one gateway-day as redemption transactions; some redeem a batch of tickets at once. */
function redemptionsFor(ctx: TicketContext, spend: Spend): Redemption[] {
  const { random } = ctx;
  const weights = eligibleWeights(ctx, spend.gateway, spend.dayIndex);
  const dayStart = (ctx.timeline.startDay + spend.dayIndex) * DAY_SECONDS;
  const redemptions: Redemption[] = [];
  let spent = 0;
  for (;;) {
    const orchestrator = random.weighted(weights);
    const batch = random.chance(0.03) ? 2 + random.int(3) : 1; // rare: orchestrators mostly redeem one by one
    const eth = Array.from({ length: batch }, () => ctx.orchestrators[orchestrator].faceValueEth * ctx.faceValueScale * random.noise(0.3));
    const batchEth = eth.reduce((sum, e) => sum + e, 0);
    // Stop at the batch that would cross the budget by more than half of itself, so the day is not biased upwards.
    if (spent + batchEth / 2 > spend.eth) return redemptions;
    spent += batchEth;
    const previous = redemptions.at(-1);
    // Distinct transactions in the same second exercise timestamp-cursor paging.
    const timestamp = previous && random.chance(0.02) ? previous.timestamp : dayStart + random.int(DAY_SECONDS);
    redemptions.push({ timestamp, gateway: spend.gateway, orchestrator, wei: eth.map((e) => ethToWei(e, random)) });
  }
}

/** The AI traffic's winning tickets, each redeemed on its own. */
function aiRedemptions(traffic: DemoTraffic, plan: AiPlan, gateways: Gateway[]): Redemption[] {
  const gatewayIndex = new Map(gateways.map((g, i) => [g.broadcaster.id, i]));
  return traffic.winners.map((w) => {
    const node = plan.nodes[w.node];
    return {
      timestamp: Math.floor(w.timestampMs / 1000),
      gateway: gatewayIndex.get(w.gateway)!,
      orchestrator: node.index,
      wei: [w.wei],
      winProb: ((MAX_UINT256 * node.winProbNum) / WIN_PROB_SCALE).toString(),
    };
  });
}

/** A ticket with the chain position it was mined at, for sorting. */
interface MinedTicket {
  ticket: DemoTicket;
  block: number;
  txHash: string;
  logIndex: number;
}

function ticketsOf(ctx: TicketContext, redemption: Redemption, rounds: DemoRound[]): MinedTicket[] {
  const { random, timeline } = ctx;
  const txHash = `0x${random.hex(64)}`;
  const block = blockAt(redemption.timestamp) + random.int(BLOCKS_PER_SECOND);
  const firstLogIndex = random.int(40);
  const cents = BigInt(timeline.ethUsdCents[Math.floor(redemption.timestamp / DAY_SECONDS) - timeline.startDay]);
  const orchestrator = ctx.orchestrators[redemption.orchestrator];
  return redemption.wei.map((wei, i) => {
    const logIndex = firstLogIndex + 3 * i; // each redemption also logs transfers
    // wei x cents is in 1e-20 USD; round half up to 1e-10 USD.
    const usdUnits = (wei * cents + 5_000_000_000n) / 10_000_000_000n;
    const ticket: DemoTicket = {
      id: `${txHash}-${logIndex}`,
      timestamp: redemption.timestamp,
      round: { id: roundAt(rounds, redemption.timestamp).id },
      sender: { id: ctx.gateways[redemption.gateway].broadcaster.id },
      recipient: { id: orchestrator.transcoder.id },
      faceValue: formatUnits(wei, ETH_DECIMALS),
      faceValueUSD: formatUnits(usdUnits, USD_DECIMALS),
      winProb: redemption.winProb ?? orchestrator.winProb,
      transaction: { id: txHash, blockNumber: String(block) },
    };
    return { ticket, block, txHash, logIndex };
  });
}

function compareChainOrder(a: MinedTicket, b: MinedTicket): number {
  if (a.block !== b.block) return a.block - b.block;
  if (a.txHash !== b.txHash) return a.txHash < b.txHash ? -1 : 1;
  return a.logIndex - b.logIndex;
}

// ---------------------------------------------------------------------------------------------
// Rounds and protocol stats

function makeRounds(timeline: Timeline): DemoRound[] {
  const start = timeline.startDay * DAY_SECONDS;
  const end = (timeline.startDay + timeline.days) * DAY_SECONDS;
  const rounds: DemoRound[] = [];
  for (let ts = start, id = FIRST_ROUND; ts < end; ts += ROUND_SECONDS, id++) {
    rounds.push({ id: String(id), startTimestamp: ts, startBlock: blockAt(ts), lengthBlocks: ROUND_SECONDS * BLOCKS_PER_SECOND });
  }
  return rounds;
}

function roundAt(rounds: DemoRound[], timestamp: number): DemoRound {
  return rounds[Math.floor((timestamp - rounds[0].startTimestamp) / ROUND_SECONDS)];
}

function makeProtocolDays(timeline: Timeline, orchestrators: Orchestrator[]): DemoProtocolDay[] {
  const supplyStart = 31_000_000n * 10n ** 18n;
  const supplyPerDay = 15_000n * 10n ** 18n;
  return Array.from({ length: timeline.days }, (_, dayIndex) => {
    const active = orchestrators.filter((o, i) => o.role === "active" || (o.role === "retiring" && dayIndex < timeline.retiresAt.get(i)!));
    // Stake grows slowly towards today's value as rewards compound.
    const growthPpm = BigInt(Math.round(1e6 * (1 - (0.0005 * (timeline.days - 1 - dayIndex)))));
    const stake = (active.reduce((sum, o) => sum + o.stakeWei, 0n) * growthPpm) / 1_000_000n;
    const supply = supplyStart + supplyPerDay * BigInt(dayIndex);
    return {
      day: timeline.startDay + dayIndex,
      totalActiveStake: formatUnits(stake, ETH_DECIMALS),
      totalSupply: formatUnits(supply, ETH_DECIMALS),
      participationRate: formatUnits((stake * 10n ** 18n) / supply, 18),
      activeTranscoderCount: active.length,
    };
  });
}

function settleRetirements(orchestrators: Orchestrator[], timeline: Timeline, rounds: DemoRound[]): void {
  for (const [i, dayIndex] of timeline.retiresAt) {
    orchestrators[i].transcoder.deactivationRound = roundAt(rounds, (timeline.startDay + dayIndex) * DAY_SECONDS).id;
  }
}

// ---------------------------------------------------------------------------------------------

export function generateDemoNetwork(opts: GenerateOptions = {}): DemoNetwork {
  const seed = opts.seed ?? 42;
  const days = opts.days ?? 180;
  const ticketsTarget = opts.ticketsTarget ?? 14_000;
  const endDay = dayNumberOf(opts.endDay ?? new Date().toISOString().slice(0, 10));
  if (!Number.isInteger(days) || days < 30) throw new Error(`days must be an integer >= 30, got ${days}`);

  const identity = new Random(seed, 0);
  const orchestrators = makeOrchestrators(identity);
  const plan = aiPlanOf(
    seed,
    orchestrators.map((o) => o.transcoder),
    endDay * DAY_SECONDS * 1000,
  );
  const gateways = makeGateways(identity, orchestrators, new Set(plan.nodes.map((n) => n.index)));

  const random = new Random(seed, endDay);
  const timeline = makeTimeline(random, endDay, days, orchestrators);
  const rounds = makeRounds(timeline);
  settleRetirements(orchestrators, timeline, rounds);

  const spends = planSpends(random, timeline, gateways);
  const faceValueScale = faceValueScaleFor(spends, orchestrators, gateways, ticketsTarget);
  const ctx: TicketContext = { random, timeline, orchestrators, gateways, faceValueScale };
  const traffic = buildTraffic(plan, {
    seed,
    firstDay: timeline.startDay,
    lastDay: endDay,
    batchGateway: gateways.find((g) => g.role === "ai-batch")!.broadcaster.id,
    liveGateway: gateways.find((g) => g.role === "ai-live")!.broadcaster.id,
  });
  const redemptions = [...spends.flatMap((spend) => redemptionsFor(ctx, spend)), ...aiRedemptions(traffic, plan, gateways)];
  const tickets = redemptions
    .flatMap((r) => ticketsOf(ctx, r, rounds))
    .sort(compareChainOrder)
    .map((mined) => mined.ticket);

  const subsidised = gateways[SUBSIDISED_GATEWAY_INDEX].broadcaster.id;
  const endTimestamp = (endDay + 1) * DAY_SECONDS;
  const network: DemoNetwork = {
    meta: {
      seed,
      startDay: isoDayOf(timeline.startDay),
      endDay: isoDayOf(endDay),
      subsidizedGateway: subsidised,
      subsidy: { from: isoDayOf(timeline.startDay + timeline.subsidyFrom), to: isoDayOf(timeline.startDay + timeline.subsidyTo) },
      gateways: gateways.map((g) => ({ address: g.broadcaster.id, label: g.label, role: g.role })),
    },
    transcoders: orchestrators.map((o) => o.transcoder),
    broadcasters: gateways.map((g) => g.broadcaster),
    tickets,
    rounds,
    protocolDays: makeProtocolDays(timeline, orchestrators),
    ethUsdByDay: Object.fromEntries(timeline.ethUsdCents.map((c, i) => [isoDayOf(timeline.startDay + i), formatUnits(BigInt(c), 2)])),
    lastBlock: blockAt(endTimestamp) - 1,
    blockAt,
    timestampAt,
  };
  rememberDemoAi(network, { plan, traffic });
  return network;
}
