// Deterministic bench data: `days` of fees ending at `endDay`, `tickets` winning tickets spread over
// them, written through the indexer's own writers (so rollups are built exactly as in production).
// Prints rows done, rate and an ETA while it loads.
import type { Db } from "../db/client";
import { insertTickets, upsertDays, upsertTranscoders } from "../indexer/sources/subgraph/store";
import type { TicketRecord } from "../indexer/sources/subgraph/records";
import { formatDuration } from "../indexer/progress";

export interface BenchShape {
  days: number;
  tickets: number;
  endDay: string;
}

const MARKER = "bench-data";

function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex40 = (n: number, salt: number) => "0x" + (salt.toString(16).padStart(8, "0") + n.toString(16).padStart(32, "0"));

/** wei (BigInt) -> exact decimal ETH string. */
function weiToEth(wei: bigint): string {
  const s = wei.toString().padStart(19, "0");
  return `${s.slice(0, -18)}.${s.slice(-18)}`;
}

export async function isSeeded(db: Db, shape: BenchShape): Promise<boolean> {
  const rows = await db.query<{ cursor: BenchShape | null }>(`select cursor from source_state where name = $1`, [MARKER]);
  const c = rows[0]?.cursor;
  return !!c && c.days === shape.days && c.tickets === shape.tickets && c.endDay === shape.endDay;
}

export async function seedBench(db: Db, shape: BenchShape, log: (s: string) => void): Promise<void> {
  const rand = mulberry32(20261129);
  const endTs = Date.parse(`${shape.endDay}T00:00:00Z`) / 1000;
  const firstDay = endTs / 86400 - shape.days + 1;
  const orchestrators = Array.from({ length: 60 }, (_, i) => hex40(i, 0x0c4e57));
  const gateways = Array.from({ length: 6 }, (_, i) => hex40(i, 0x9a7e));
  await db.query(`truncate tickets, fee_day_gateway, fee_day_orchestrator, days, transcoders, gateway_tags, source_state`);
  await upsertTranscoders(
    db,
    orchestrators.map((address, i) => ({
      address, active: i % 7 !== 0, status: "Registered", activationRound: "3000", deactivationRound: null,
      feeShare: String(250000 + i * 1000), rewardCut: String(100000 + i * 500), totalStake: `${(i + 1) * 12345}.5`,
      totalVolumeEth: "0", totalVolumeUsd: "0", thirtyDayVolumeEth: null, ninetyDayVolumeEth: null,
      serviceUri: `https://orch-${i}.bench.invalid:8935`, lastRewardRound: "3500",
    })),
  );
  await db.query(`insert into gateway_tags (address, tag, label) values ($1, 'subsidized', 'bench free tier')`, [gateways[0]]);

  const perDay = new Map<number, { eth: bigint; usdMicro: bigint }>();
  const started = Date.now();
  let lastPrint = 0;
  const chunk = 10_000;
  for (let done = 0; done < shape.tickets; done += chunk) {
    const rows: TicketRecord[] = [];
    for (let i = done; i < Math.min(done + chunk, shape.tickets); i++) {
      const day = firstDay + Math.floor((i / shape.tickets) * shape.days);
      const ts = day * 86400 + Math.floor(rand() * 86400);
      const wei = BigInt(5e15) + BigInt(Math.floor(rand() * 3e5)) * BigInt(1e12) + BigInt(i);
      const price = BigInt(2000_000000 + Math.floor(rand() * 2000_000000)); // micro-USD per ETH
      const usdMicro = (wei * price) / BigInt(1e18);
      const agg = perDay.get(day) ?? { eth: 0n, usdMicro: 0n };
      agg.eth += wei;
      agg.usdMicro += usdMicro;
      perDay.set(day, agg);
      rows.push({
        id: `0x${i.toString(16).padStart(64, "0")}-0`,
        timestamp: ts,
        blockNumber: 100_000_000 + Math.floor((ts - (endTs - shape.days * 86400)) * 4),
        round: String(3000 + Math.floor(day / 0.9)),
        sender: gateways[Math.floor(rand() ** 2 * gateways.length)],
        recipient: orchestrators[Math.floor(rand() ** 3 * orchestrators.length)],
        faceValueEth: weiToEth(wei),
        faceValueUsd: `${usdMicro / 1_000_000n}.${(usdMicro % 1_000_000n).toString().padStart(6, "0")}`,
        winProb: "1000",
      });
    }
    await db.tx((q) => insertTickets(q, rows));
    const n = Math.min(done + chunk, shape.tickets);
    if (Date.now() - lastPrint > 2000 || n === shape.tickets) {
      lastPrint = Date.now();
      const secs = (Date.now() - started) / 1000;
      const rate = n / secs;
      log(`  seeding ${db.kind}: ${n.toLocaleString("en-US")}/${shape.tickets.toLocaleString("en-US")} tickets, ${Math.round(rate).toLocaleString("en-US")}/s, ETA ${formatDuration(Math.round((shape.tickets - n) / rate))}`);
    }
  }
  await upsertDays(
    db,
    [...perDay].map(([dayNumber, a]) => ({
      dayNumber,
      volumeEth: weiToEth(a.eth),
      volumeUsd: `${a.usdMicro / 1_000_000n}.${(a.usdMicro % 1_000_000n).toString().padStart(6, "0")}`,
      totalActiveStake: null, participationRate: null, activeTranscoderCount: null,
    })),
  );
  const headTs = endTs + 86399;
  await db.query(
    `insert into source_state (name, block, block_timestamp, deployment, last_run_at, last_success_at)
     values ('subgraph', $1, $2, 'observatory-bench', now(), now())`,
    [100_000_000 + shape.days * 86400 * 4, headTs],
  );
  await db.query(`insert into source_state (name, cursor) values ($1, $2::jsonb)`, [MARKER, JSON.stringify(shape)]);
  if (db.kind === "postgres") await db.query(`analyze`);
}
