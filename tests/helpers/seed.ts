// A small, fully known network for the API and browser suites, written through the indexer's real
// writers (insertTickets maintains the per-day rollups) plus plain SQL for tags and source state.
//
// Calendar (UTC): a few odd tickets from 2024-12-31 to 2025-01-31 (edge times, 1 wei, values far
// beyond 2^53 wei that no float can hold), then February at exactly 1 ETH a day (ten 0.1 ETH tickets, all organic) and
// March at exactly 4 ETH a day (2 ETH organic in twenty 0.1 ETH tickets + 2 ETH from the subsidised
// gateway in two tickets). The subsidy window is 2025-03-01..2025-03-31; the last indexed block is
// on 2025-03-31. Gateway job logs (seedJobs, at the end) cover the last week of March.
import DecimalJs from "decimal.js";

/** decimal.js with room for every digit (its default is 20 significant digits). */
export const Decimal = DecimalJs.clone({ precision: 200 });
export type Decimal = InstanceType<typeof Decimal>;
import type { Db } from "../../db/client";
import type { JobLine } from "../../indexer/demo/job-lines";
import { ingestNdjson } from "../../indexer/sources/joblogs/push";
import { insertTickets, upsertBroadcasters, upsertDays, upsertTranscoders } from "../../indexer/sources/subgraph/store";
import type { TicketRecord, TranscoderRecord } from "../../indexer/sources/subgraph/records";

const addr = (byte: string) => `0x${byte.repeat(20)}`;

export const GW = {
  subsidized: addr("a1"),
  organic1: addr("b2"),
  organic2: addr("c3"),
};
export const ORCH = {
  o1: addr("01"), // plain https service URI
  o2: addr("02"), // service URI with a <script> tag
  o3: addr("03"), // inactive, service URI that is a spreadsheet formula
  o4: addr("04"), // fees but no Transcoder row
  o5: addr("05"), // Transcoder row, no fees, javascript: URI
};
export const EVIL_URI = "https://evil.example/<script>alert(1)</script>";
export const FORMULA_URI = '=HYPERLINK("https://evil.example","click")';
export const JS_URI = "javascript:alert(document.domain)";
export const SUBSIDY = { from: "2025-03-01", to: "2025-03-31", label: "Free tier (Livepeer Inc)" };
export const LATEST_DAY = "2025-03-31";
export const LAST_BLOCK = 250_000_000;
export const LAST_BLOCK_TIMESTAMP = Date.UTC(2025, 2, 31, 18, 0, 0) / 1000;
export const DEMO_DEPLOYMENT = "observatory-demo-network";

const unix = (day: string, h = 0, m = 0, s = 0) => Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10), h, m, s) / 1000;
const dayOf = (ts: number) => new Date(ts * 1000).toISOString().slice(0, 10);
const price = (day: string) => (day < "2025-02-01" ? "3300.5" : day < "2025-03-01" ? "2700.25" : "2000");

export interface SeededNetwork {
  tickets: TicketRecord[];
  /** Exact decimal sums of everything seeded. */
  totalEth: string;
  totalUsd: string;
  /** Exact sums per UTC day. */
  byDay: Map<string, { eth: Decimal; usd: Decimal; tickets: number }>;
  byOrchestrator: Map<string, Decimal>;
  byGateway: Map<string, Decimal>;
}

/** Exact sums of the seeded tickets whose day is in [from, to]. */
export function sumRange(s: SeededNetwork, from: string, to: string, pick?: (t: TicketRecord) => boolean) {
  let eth = new Decimal(0);
  let usd = new Decimal(0);
  let tickets = 0;
  for (const t of s.tickets) {
    const d = dayOf(t.timestamp);
    if (d < from || d > to || (pick && !pick(t))) continue;
    eth = eth.plus(t.faceValueEth);
    usd = usd.plus(t.faceValueUsd);
    tickets++;
  }
  return { eth, usd, tickets };
}

export function buildTickets(): TicketRecord[] {
  const out: TicketRecord[] = [];
  let n = 0;
  const add = (ts: number, sender: string, recipient: string, eth: string) => {
    n++;
    const day = dayOf(ts);
    out.push({
      id: `0x${n.toString(16).padStart(64, "0")}-${n % 7}`,
      timestamp: ts,
      blockNumber: LAST_BLOCK - 100_000 + n,
      round: String(3500 + Math.floor((ts - unix("2024-12-01")) / 86400)),
      sender,
      recipient,
      faceValueEth: eth,
      faceValueUsd: new Decimal(eth).times(price(day)).toFixed(),
      winProb: "1000000",
    });
  };
  add(unix("2024-12-31", 23, 59, 59), GW.organic1, ORCH.o1, "0.5");
  add(unix("2025-01-01"), GW.organic1, ORCH.o1, "12.345678901234567891");
  add(unix("2025-01-03", 12), GW.organic2, ORCH.o4, "0.000000000000000001");
  add(unix("2025-01-15", 8), GW.organic2, ORCH.o2, "9.007199254740993001"); // 9007199254740993001 wei: no float holds it
  add(unix("2025-01-20", 9, 30), GW.organic1, ORCH.o3, "0.333333333333333333");
  add(unix("2025-01-31", 23, 59, 59), GW.organic1, ORCH.o1, "1.1");
  const orchs = [ORCH.o1, ORCH.o2, ORCH.o3, ORCH.o4];
  for (let d = 1; d <= 28; d++) {
    const day = `2025-02-${String(d).padStart(2, "0")}`;
    for (let k = 0; k < 10; k++) add(unix(day, k * 2, 7), k % 2 ? GW.organic2 : GW.organic1, orchs[(d + k) % 4], "0.1");
  }
  for (let d = 1; d <= 31; d++) {
    const day = `2025-03-${String(d).padStart(2, "0")}`;
    for (let k = 0; k < 20; k++) add(unix(day, k, 11), k % 2 ? GW.organic2 : GW.organic1, orchs[(d + k) % 4], "0.1");
    add(unix(day, 20), GW.subsidized, ORCH.o1, "1.999999999999999999");
    add(unix(day, 21), GW.subsidized, ORCH.o2, "0.000000000000000001");
  }
  return out;
}

const transcoder = (address: string, t: Partial<TranscoderRecord>): TranscoderRecord => ({
  address,
  active: true,
  status: "Registered",
  activationRound: "3000",
  deactivationRound: null,
  feeShare: "500000",
  rewardCut: "100000",
  totalStake: "0",
  totalVolumeEth: "0",
  totalVolumeUsd: "0",
  thirtyDayVolumeEth: null,
  ninetyDayVolumeEth: null,
  serviceUri: null,
  lastRewardRound: "3590",
  ...t,
});

export interface SeedOptions {
  /** Mark the data as the locally generated demo network (the banner shows). */
  demo?: boolean;
  /** Wall clock for last_run_at / last_success_at (default: now). */
  nowMs?: number;
}

export async function seedNetwork(db: Db, opts: SeedOptions = {}): Promise<SeededNetwork> {
  const tickets = buildTickets();
  const nowMs = opts.nowMs ?? Date.now();
  const byDay = new Map<string, { eth: Decimal; usd: Decimal; tickets: number }>();
  const byOrchestrator = new Map<string, Decimal>();
  const byGateway = new Map<string, Decimal>();
  let totalEth = new Decimal(0);
  let totalUsd = new Decimal(0);
  for (const t of tickets) {
    const d = dayOf(t.timestamp);
    const e = byDay.get(d) ?? { eth: new Decimal(0), usd: new Decimal(0), tickets: 0 };
    byDay.set(d, { eth: e.eth.plus(t.faceValueEth), usd: e.usd.plus(t.faceValueUsd), tickets: e.tickets + 1 });
    byOrchestrator.set(t.recipient, (byOrchestrator.get(t.recipient) ?? new Decimal(0)).plus(t.faceValueEth));
    byGateway.set(t.sender, (byGateway.get(t.sender) ?? new Decimal(0)).plus(t.faceValueEth));
    totalEth = totalEth.plus(t.faceValueEth);
    totalUsd = totalUsd.plus(t.faceValueUsd);
  }

  await db.tx(async (q) => {
    // Two calls, with an overlap: a ticket seen twice is one ticket.
    await insertTickets(q, tickets.slice(0, 400));
    await insertTickets(q, tickets.slice(350));
    await upsertDays(
      q,
      [...byDay].map(([day, v]) => ({
        dayNumber: Math.floor(unix(day) / 86400),
        volumeEth: v.eth.toFixed(),
        volumeUsd: v.usd.toFixed(),
        totalActiveStake: "1000000",
        participationRate: "0.5",
        activeTranscoderCount: "3",
      })),
    );
    const vol = (a: string) => (byOrchestrator.get(a) ?? new Decimal(0)).toFixed();
    await upsertTranscoders(q, [
      transcoder(ORCH.o1, { totalStake: "120000.5", serviceUri: "https://o1.example.com:8935", totalVolumeEth: vol(ORCH.o1) }),
      transcoder(ORCH.o2, { totalStake: "5000", feeShare: "750000", rewardCut: "250000", serviceUri: EVIL_URI, totalVolumeEth: vol(ORCH.o2) }),
      transcoder(ORCH.o3, { active: false, status: "NotRegistered", totalStake: "0", feeShare: "0", rewardCut: "1000000", serviceUri: FORMULA_URI, totalVolumeEth: vol(ORCH.o3) }),
      transcoder(ORCH.o5, { totalStake: "1.000000000000000001", feeShare: "123456", rewardCut: "50000", serviceUri: JS_URI }),
    ]);
    await upsertBroadcasters(
      q,
      Object.values(GW).map((a) => ({
        address: a,
        deposit: "10",
        reserve: "5",
        totalVolumeEth: (byGateway.get(a) ?? new Decimal(0)).toFixed(),
        totalVolumeUsd: "0",
        ninetyDayVolumeEth: null,
      })),
    );
    await q.query(
      `insert into gateway_tags (address, tag, label, period_from, period_to) values
         ($1, 'subsidized', $2, $3::date, $4::date), ($5, 'partner', '@SUM(1+1)', null, null)`,
      [GW.subsidized, SUBSIDY.label, SUBSIDY.from, SUBSIDY.to, GW.organic2],
    );
    const iso = (msAgo: number) => new Date(nowMs - msAgo).toISOString();
    await q.query(
      `insert into source_state (name, cursor, block, block_timestamp, deployment, last_run_at, last_success_at, rows_written, last_run_rows)
       values ('subgraph', '{"tickets": 1}'::jsonb, $1, $2, $3, $4::timestamptz, $4::timestamptz, $5, 12)`,
      [LAST_BLOCK, LAST_BLOCK_TIMESTAMP, opts.demo ? DEMO_DEPLOYMENT : "QmSeededTestDeployment", iso(60_000), tickets.length],
    );
    await q.query(
      `insert into indexer_runs (source, started_at, finished_at, ok, error, rows_written, block) values
         ('subgraph', $1::timestamptz, $2::timestamptz, true, null, 900, $5),
         ('subgraph', $3::timestamptz, $3::timestamptz + interval '3 seconds', false, 'bad indexers: {0xabc: Timeout} <b>html</b>', 0, null),
         ('subgraph', $4::timestamptz, $4::timestamptz + interval '1.5 seconds', true, null, 12, $6)`,
      [iso(3_600_000), iso(3_590_000), iso(1_800_000), iso(62_000), LAST_BLOCK - 10, LAST_BLOCK],
    );
  });
  return { tickets, totalEth: totalEth.toFixed(), totalUsd: totalUsd.toFixed(), byDay, byOrchestrator, byGateway };
}

// ---------------------------------------------------------------------------------------------
// Gateway job logs, stored through the real ingest (ingestNdjson: validation, insert, rollups).
//
// Last week of March 2025 (the 30-day window ending at LATEST_DAY), plus a few February jobs outside
// it. Sample sizes are picked around the percentile thresholds (p95 from 20, p99 from 100):
//   o1  text-to-image 150 ok + 10 failed (6 timeout, 4 oom); image-to-video 25 ok; 5 t2i in February
//   o2  text-to-image 30 ok + 5 failed (3 timeout, 2 with no error_type -> "unknown")
//   o4  image-to-video 12 ok (fees, no Transcoder row)
//   JOBS_ONLY  llm 120 ok, one with a fee beyond 2^53 wei (no Transcoder row, no fees: known only from logs)

export const JOBS_ONLY = addr("06");
export const JOB_GATEWAY = GW.organic1;
export const PIPE = {
  t2i: { pipeline: "text-to-image", model: "ByteDance/SDXL-Lightning" },
  i2v: { pipeline: "image-to-video", model: "stabilityai/stable-video-diffusion-img2vid-xt-1-1" },
  llm: { pipeline: "llm", model: "meta-llama/Meta-Llama-3.1-8B-Instruct" },
} as const;
export const BIG_FEE_WEI = "9007199254740993001";

/** Deterministic spread of durations (ms): base + a scrambled offset below `spread`. */
const scramble = (i: number, spread: number) => Number((BigInt(i) * 2654435761n) % 1000003n) % spread;

export function buildJobLines(): JobLine[] {
  const out: JobLine[] = [];
  let n = 0;
  const add = (
    orch: string,
    p: { pipeline: string; model: string },
    count: number,
    opts: { fail?: (i: number) => string | null | undefined; base: number; spread: number; days?: string[]; fee?: (i: number) => string | undefined; outputSeconds?: number },
  ) => {
    const days = opts.days ?? ["2025-03-25", "2025-03-26", "2025-03-27", "2025-03-28", "2025-03-29", "2025-03-30", "2025-03-31"];
    for (let i = 0; i < count; i++) {
      n++;
      const day = days[i % days.length];
      const ts = Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10), (i * 5) % 24, i % 60, (n * 7) % 60);
      const failType = opts.fail?.(i);
      const success = failType === undefined;
      const line: JobLine = {
        request_id: `job-${n}`,
        gateway: JOB_GATEWAY,
        timestamp: ts,
        pipeline: p.pipeline,
        model_id: p.model,
        orch_address: orch,
        success,
        duration_ms: opts.base + scramble(n, opts.spread),
      };
      if (!success && failType !== null) line.error_type = failType;
      const fee = success ? opts.fee?.(i) : undefined;
      if (fee !== undefined) line.computed_fee = fee;
      if (success && opts.outputSeconds !== undefined) line.output_seconds = opts.outputSeconds;
      out.push(line);
    }
  };
  add(ORCH.o1, PIPE.t2i, 160, { base: 800, spread: 2400, fail: (i) => (i < 6 ? "timeout" : i < 10 ? "oom" : undefined), fee: (i) => String(5_000_000_000_000n + BigInt(i)) });
  add(ORCH.o1, PIPE.i2v, 25, { base: 30_000, spread: 20_000, fee: () => "49999999795200", outputSeconds: 4 });
  add(ORCH.o1, PIPE.t2i, 5, { base: 900, spread: 100, days: ["2025-02-20"], fee: () => "1" });
  add(ORCH.o2, PIPE.t2i, 35, { base: 1500, spread: 3000, fail: (i) => (i < 3 ? "timeout" : i < 5 ? null : undefined), fee: () => "4000000000000" });
  add(ORCH.o4, PIPE.i2v, 12, { base: 45_000, spread: 10_000, fee: () => "49999999795200", outputSeconds: 3.571428 });
  add(JOBS_ONLY, PIPE.llm, 120, { base: 300, spread: 900, fee: (i) => (i === 0 ? BIG_FEE_WEI : "92160000000") });
  return out;
}

/** Pushes the job lines through the real ingest in one body; returns them. */
export async function seedJobs(db: Db): Promise<JobLine[]> {
  const lines = buildJobLines();
  const result = await ingestNdjson(db, lines.map((l) => JSON.stringify(l)).join("\n"), { maxLineBytes: 1 << 20 });
  if (result.accepted !== lines.length || result.rejected.length) throw new Error(`job seed not fully accepted: ${JSON.stringify(result).slice(0, 300)}`);
  return lines;
}
