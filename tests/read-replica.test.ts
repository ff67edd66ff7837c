// Reads on a real streaming replica (db/read-replica.ts; .ci/replica.sh makes one on 127.0.0.1:5433
// with pg_basebackup): page and API reads go to the standby while it is in step; when its replay is
// paused and it falls behind the bound, or when it stops answering (a TCP proxy in front of it taken
// down), reads go to the primary with no failed request, and they return to the standby by
// themselves; /status and /api/status say which and why. Required in CI (REQUIRE_REPLICA=1).
import Decimal from "decimal.js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type StartedServer } from "../server";
import { openReadRouter, type ReadRouter } from "../db/read-replica";
import { openTestDb, type TestDb } from "./helpers/db";
import { seedNetwork } from "./helpers/seed";
import { startTcpProxy, type TcpProxy } from "./helpers/tcp-proxy";

const REPLICA = process.env.TEST_REPLICA_URL;
const FEES = "/api/fees?interval=day&from=2025-03-01&to=2025-03-31";
const MAX_LAG_S = 1;

const until = async <T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 30_000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe.skipIf(!REPLICA || !process.env.TEST_DATABASE_URL)("page and API reads on a streaming replica", () => {
  let db: TestDb;
  let proxy: TcpProxy;
  let router: ReadRouter;
  let server: StartedServer;
  let standby: postgres.Sql; // straight to the standby, for pausing its replay
  let day: string;

  beforeAll(async () => {
    db = await openTestDb("postgres");
    await seedNetwork(db, { demo: true });
    const replica = new URL(REPLICA!);
    const direct = new URL(db.url!);
    direct.host = replica.host;
    standby = postgres(direct.toString(), { max: 1, onnotice: () => {} });
    // The standby has replayed the database's creation, its migrations and the seed.
    await until("the standby to hold the seeded fees", async () => (await standby`select count(*)::int as n from fee_day_gateway`)[0].n > 0);
    proxy = await startTcpProxy({ host: replica.hostname, port: Number(replica.port || 5432) });
    const viaProxy = new URL(direct.toString());
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    router = await openReadRouter(db, viaProxy.toString(), MAX_LAG_S, { checkMs: 200 });
    server = await startServer({ db, port: 0, host: "127.0.0.1", replica: router, renderCacheMb: 0 });
  });
  afterAll(async () => {
    if (standby) await standby`select pg_wal_replay_resume()`.catch(() => {});
    await server?.close();
    await router?.close();
    await proxy?.close();
    await standby?.end();
    await db?.close();
  });

  const status = async () => (await (await fetch(`${server.url}/api/status`)).json()).replica;
  const feesOf = async () => {
    const r = await fetch(`${server.url}${FEES}`);
    expect(r.status).toBe(200);
    const body = await r.json();
    day ??= body.rows[0].period;
    return new Decimal(body.rows.find((x: { period: string }) => x.period === day).volumeEth);
  };

  it("reads on the standby while it is in step, and says so", async () => {
    await until("the standby to serve", async () => router.status().serving);
    const [r] = await router.reads.query<{ standby: boolean }>(`select pg_is_in_recovery() as standby`);
    expect(r.standby).toBe(true);
    // A write on the primary is seen through the standby once replayed.
    const before = await feesOf();
    await db.query(`update fee_day_gateway set volume_eth = volume_eth + 1 where day = $1`, [day]);
    const n = (await db.query(`select count(*)::int as n from fee_day_gateway where day = $1`, [day]))[0] as { n: number };
    await until("the standby to show the write", async () => (await feesOf()).minus(before).eq(n.n));
    const s = await status();
    expect(s).toMatchObject({ serving: true, maxLagSeconds: MAX_LAG_S, reason: null });
    expect(s.lagSeconds).toBeLessThanOrEqual(MAX_LAG_S);
    expect(await (await fetch(`${server.url}/status`)).text()).toContain("Page and API reads go to the replica.");
  });

  it("reads on the primary while the standby is further behind than the bound, then back", async () => {
    await standby`select pg_wal_replay_pause()`;
    const before = await feesOf();
    await db.query(`update fee_day_gateway set volume_eth = volume_eth + 1 where day = $1`, [day]);
    const n = ((await db.query(`select count(*)::int as n from fee_day_gateway where day = $1`, [day]))[0] as { n: number }).n;
    await until("reads to leave the lagging standby", async () => !router.status().serving, 15_000);
    expect(router.status().reason).toMatch(/behind \(bound 1 s\)/);
    // Fresh from the primary, though the standby still holds the old value.
    expect((await feesOf()).minus(before).toNumber()).toBe(n);
    const [old] = await standby`select sum(volume_eth)::text as v from fee_day_gateway where day = ${day}`;
    expect(new Decimal(old.v).lt(new Decimal(before).plus(n))).toBe(true);
    const page = await (await fetch(`${server.url}/status`)).text();
    expect(page).toContain("Page and API reads go to the primary");
    await standby`select pg_wal_replay_resume()`;
    await until("reads to return to the standby", async () => router.status().serving, 15_000);
    expect((await feesOf()).minus(before).toNumber()).toBe(n);
  });

  it("reads on the primary, without a failed request, while the standby does not answer; then back", async () => {
    await until("the standby to serve", async () => router.status().serving);
    await proxy.down();
    // The first read after the loss fails on the standby and is asked of the primary.
    for (let i = 0; i < 5; i++) await feesOf();
    expect(router.status().serving).toBe(false);
    expect((await status()).reason).toMatch(/standby (does not answer|failed a read)/);
    await proxy.up();
    await until("reads to return to the standby", async () => router.status().serving, 20_000);
    const [r] = await router.reads.query<{ standby: boolean }>(`select pg_is_in_recovery() as standby`);
    expect(r.standby).toBe(true);
  });
});
