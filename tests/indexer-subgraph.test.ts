// The subgraph source end to end: the demo network served over real HTTP on loopback, the indexer
// writing into a real database (PGlite, and Postgres when TEST_DATABASE_URL is set).
import Decimal from "decimal.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateDemoNetwork } from "../indexer/demo/generate";
import { startDemoSubgraph, type DemoSubgraph } from "../indexer/demo/subgraph-server";
import type { IndexerConfig } from "../indexer/config";
import { readCursor } from "../indexer/sources/subgraph/cursor";
import { SUBGRAPH_SOURCE } from "../indexer/sources/subgraph/sync";
import { runAllSources } from "../indexer/run";
import { backends, openTestDb, type TestDb } from "./helpers/db";

Decimal.set({ precision: 80 });
const END_DAY = "2026-06-30";
const network = generateDemoNetwork({ seed: 7, endDay: END_DAY });
const DAY_END_MS = Date.parse(`${END_DAY}T23:59:59Z`);

function config(url: string, over: Partial<IndexerConfig> = {}): IndexerConfig {
  return {
    subgraphUrl: url,
    subgraphUrlLabel: url,
    schedule: "*/5 * * * *",
    gatewayTagsFile: "/nonexistent/tags.json",
    pageSize: 1000,
    retry: { maxRetries: 3, baseMs: 1, maxMs: 20 },
    timeoutMs: 10_000,
    log: () => {},
    ...over,
  };
}

const sum = (xs: string[]) => xs.reduce((a, x) => a.plus(x), new Decimal(0));

describe.each(backends())("subgraph indexer on %s", (backend) => {
  let db: TestDb;
  let server: DemoSubgraph;
  let nowMs = DAY_END_MS;

  beforeAll(async () => {
    db = await openTestDb(backend);
    server = await startDemoSubgraph({ network, now: () => nowMs });
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });
  // The subgraph's outcomes (the partitions step runs first in every run and is not under test here).
  const runSources = async (c: IndexerConfig) => (await runAllSources(db, c)).filter((o) => o.source !== "partitions");
  beforeEach(async () => {
    await db.reset();
    nowMs = DAY_END_MS;
    server.requests.length = 0;
  });

  it("indexes every ticket past 1000 per page and 5000 skip, exactly, and reconciles every total", async () => {
    const [r] = await runSources(config(server.url));
    expect(r).toMatchObject({ ok: true });
    const tickets = await db.query<{ n: number; eth: string }>(`select count(*)::int as n, sum(face_value_eth)::text as eth from tickets`);
    const visible = network.tickets.filter((t) => Number(t.transaction.blockNumber) <= server.headBlock());
    expect(visible.length).toBeGreaterThan(10_000);
    expect(tickets[0].n).toBe(visible.length);
    // exact: the stored sum equals the decimal sum of the network's face values, digit for digit
    expect(new Decimal(tickets[0].eth).equals(sum(visible.map((t) => t.faceValue)))).toBe(true);
    // never `skip`; many pages; every collection query pinned to the run's block
    expect(server.requests.some((q) => /skip/.test(q.query))).toBe(false);
    const ticketPages = server.requests.filter((q) => q.query.includes("winningTicketRedeemedEvents"));
    expect(ticketPages.length).toBeGreaterThan(10);
    const blocks = new Set(server.requests.filter((q) => q.query.includes("$block")).map((q) => (q.variables as { block: number }).block));
    expect([...blocks]).toEqual([r.block]);

    // rollups == tickets == Day, per day; Protocol == sum of tickets
    const mismatches = await db.query(
      `select d.date from days d
         full join (select day, sum(volume_eth) v, sum(volume_usd) u from fee_day_gateway group by day) g on g.day = d.date
        where d.volume_eth is distinct from g.v or d.volume_usd is distinct from g.u`,
    );
    expect(mismatches).toEqual([]);
    const orchMismatch = await db.query(
      `select t.address from transcoder_days t
         full join fee_day_orchestrator o on o.orchestrator = t.address and o.day = t.date
        where t.volume_eth is distinct from o.volume_eth`,
    );
    expect(orchMismatch).toEqual([]);
    const [p] = await db.query<{ total_volume_eth: string; winning_ticket_count: number }>(`select * from protocol`);
    expect(new Decimal(p.total_volume_eth).equals(new Decimal(tickets[0].eth))).toBe(true);
    expect(p.winning_ticket_count).toBe(visible.length);
    const [state] = await db.query<{ block: number; deployment: string; last_error: string | null }>(`select * from source_state where name = 'subgraph'`);
    expect(state).toMatchObject({ block: r.block, deployment: "observatory-demo-network", last_error: null });
  });

  it("keeps amounts beyond 2^53 wei exact", async () => {
    await runSources(config(server.url));
    const big = network.tickets
      .filter((t) => Number(t.transaction.blockNumber) <= server.headBlock())
      .filter((t) => new Decimal(t.faceValue).times("1e18").greaterThan(2 ** 53));
    expect(big.length).toBeGreaterThan(0);
    const largest = big.reduce((a, t) => (new Decimal(t.faceValue).greaterThan(a.faceValue) ? t : a));
    const [row] = await db.query<{ v: string }>(`select face_value_eth::text as v from tickets where id = $1`, [largest.id]);
    expect(new Decimal(row.v).equals(new Decimal(largest.faceValue))).toBe(true);
    expect(row.v.replace(/0+$/, "")).toBe(largest.faceValue.replace(/0+$/, ""));
  });

  it("a second run over the same block writes nothing new", async () => {
    await runSources(config(server.url));
    const before = await db.query(`select count(*)::int as n, sum(volume_eth)::text as v from fee_day_gateway`);
    const [again] = await runSources(config(server.url));
    expect(again).toMatchObject({ ok: true, rowsWritten: 0 });
    expect(await db.query(`select count(*)::int as n, sum(volume_eth)::text as v from fee_day_gateway`)).toEqual(before);
  });

  it("picks up new tickets incrementally as the head moves, with the same totals as one full run", async () => {
    nowMs = DAY_END_MS - 3 * 86400_000;
    await runSources(config(server.url));
    const [early] = await db.query<{ n: number }>(`select count(*)::int as n from tickets`);
    nowMs = DAY_END_MS;
    const [r] = await runSources(config(server.url));
    expect(r.ok).toBe(true);
    const [late] = await db.query<{ n: number; v: string }>(`select count(*)::int as n, sum(face_value_eth)::text as v from tickets`);
    expect(late.n).toBeGreaterThan(early.n);
    const visible = network.tickets.filter((t) => Number(t.transaction.blockNumber) <= server.headBlock());
    expect(late.n).toBe(visible.length);
    const [days] = await db.query<{ v: string }>(`select sum(volume_eth)::text as v from days`);
    expect(new Decimal(days.v).equals(new Decimal(late.v))).toBe(true);
  });

  it("reads one snapshot: the head moving during a run does not leak into it", async () => {
    nowMs = DAY_END_MS - 2 * 86400_000;
    const pinned = server.headBlock();
    let calls = 0;
    const realNow = nowMs;
    nowMs = realNow;
    // every request after _meta sees a head one hour later
    const advancing = await startDemoSubgraph({ network, now: () => realNow + 3600_000 * calls++ });
    try {
      const [r] = await runSources(config(advancing.url));
      expect(r.block).toBe(pinned);
      const [t] = await db.query<{ n: number; max: number }>(`select count(*)::int as n, max(block_number)::int8 as max from tickets`);
      expect(t.max).toBeLessThanOrEqual(pinned);
      expect(t.n).toBe(network.tickets.filter((x) => Number(x.transaction.blockNumber) <= pinned).length);
    } finally {
      await advancing.close();
    }
  });

  it("retries 502, 429 and HTTP 200 with errors, then succeeds", async () => {
    server.injectFaults([
      { status: 502, body: "<html><body>502 Bad Gateway</body></html>" },
      { status: 429, retryAfter: 0 },
      { graphqlErrors: ["bad indexers: {0xbdfb5ee5a2abf4fc7bb1bd1221067aef7f9de491: Timeout}"] },
    ]);
    const retries: string[] = [];
    const [r] = await runSources(config(server.url, { log: (l) => retries.push(l) }));
    expect(r.ok).toBe(true);
    expect(server.requests.slice(0, 4).map((q) => q.status)).toEqual([502, 429, 200, 200]);
    expect(retries.filter((l) => /retry \d/.test(l))).toHaveLength(3);
  });

  // graph-node's answer when the indexer serving a page has not reached the pinned block yet.
  const NOT_YET_AVAILABLE =
    /Failed to decode `block\.number` value: `subgraph observatory-demo-network has only indexed up to block number \d+ and data for block number \d+ is therefore not yet available`/;
  const pinnedBlockOf = (q: { variables: unknown }) => (q.variables as { block?: number } | null)?.block;

  it("retries a later page pinned above a lagging indexer ('not yet available'), then stores every row exactly once", async () => {
    // a clean run's result, for comparison
    const [clean] = await runSources(config(server.url));
    expect(clean.ok).toBe(true);
    await db.reset();
    server.requests.length = 0;

    // _meta and two ticket pages go through; the third page reaches an indexer 50 blocks behind the
    // pinned block twice, then one that has it
    server.injectFaults([{ delayMs: 0 }, { delayMs: 0 }, { delayMs: 0 }, { indexedBehind: 50 }, { indexedBehind: 50 }]);
    const log: string[] = [];
    const [r] = await runSources(config(server.url, { log: (l) => log.push(l) }));
    expect(r).toMatchObject({ ok: true, block: clean.block, rowsWritten: clean.rowsWritten });

    // the lagging answers were graph-node's, for the run's block, and the same page was asked again
    const [lag1, lag2, ok] = server.requests.slice(3, 6);
    expect([lag1.status, lag2.status, ok.status]).toEqual([200, 200, 200]);
    expect(pinnedBlockOf(lag1)).toBe(r.block);
    expect(ok.variables).toEqual(lag1.variables);
    expect(lag2.variables).toEqual(lag1.variables);
    const retries = log.filter((l) => /retry \d/.test(l));
    expect(retries).toHaveLength(2);
    expect(retries.every((l) => NOT_YET_AVAILABLE.test(l))).toBe(true);

    // every visible ticket stored exactly once, and the rollups built from them agree with Day
    const visible = network.tickets.filter((t) => Number(t.transaction.blockNumber) <= r.block!);
    const stored = await db.query<{ id: string }>(`select id from tickets order by id`);
    expect(stored.map((t) => t.id)).toEqual(visible.map((t) => t.id).sort());
    const [t] = await db.query<{ eth: string }>(`select sum(face_value_eth)::text as eth from tickets`);
    expect(new Decimal(t.eth).equals(sum(visible.map((x) => x.faceValue)))).toBe(true);
    const mismatches = await db.query(
      `select d.date from days d
         full join (select day, sum(volume_eth) v from fee_day_gateway group by day) g on g.day = d.date
        where d.volume_eth is distinct from g.v`,
    );
    expect(mismatches).toEqual([]);
    const [state] = await db.query<{ block: number; last_error: string | null }>(`select * from source_state where name = 'subgraph'`);
    expect(state).toMatchObject({ block: r.block, last_error: null });
  });

  it("fails after the retries when the pinned block never becomes available, and records graph-node's error", async () => {
    // _meta and two ticket pages go through; the third page only ever reaches a lagging indexer
    server.injectFaults([{ delayMs: 0 }, { delayMs: 0 }, { delayMs: 0 }, ...Array.from({ length: 4 }, () => ({ indexedBehind: 50 }))]);
    const [r] = await runSources(config(server.url));
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(NOT_YET_AVAILABLE);
    expect(r.error).toMatch(/gave up after 4 attempts/);
    // 1 + SUBGRAPH_MAX_RETRIES attempts of the same page, pinned to the run's block
    const attempts = server.requests.slice(3);
    expect(attempts).toHaveLength(4);
    expect(new Set(attempts.map((q) => JSON.stringify(q.variables))).size).toBe(1);
    expect(pinnedBlockOf(attempts[0])).toBe(pinnedBlockOf(server.requests[1]));

    const [s] = await db.query<{ last_error: string; last_error_at: string | null }>(`select * from source_state where name = 'subgraph'`);
    expect(s.last_error).toBe(r.error);
    expect(s.last_error_at).not.toBeNull();
    const runs = await db.query<{ ok: boolean; error: string }>(`select ok, error from indexer_runs where source = 'subgraph' order by id`);
    expect(runs).toEqual([{ ok: false, error: r.error }]);
    // the two stored pages stay, and the cursor does not pass them
    const cursor = await readCursor(db, SUBGRAPH_SOURCE);
    const [stored] = await db.query<{ n: number; max: number }>(`select count(*)::int as n, max(timestamp) as max from tickets`);
    expect(stored.n).toBeGreaterThan(1900);
    expect(stored.n).toBeLessThanOrEqual(2000);
    expect(cursor.ticketsFromTs).toBe(stored.max);

    // once the indexers catch up, the next run completes with every ticket once
    const [next] = await runSources(config(server.url));
    expect(next.ok).toBe(true);
    const visible = network.tickets.filter((t) => Number(t.transaction.blockNumber) <= server.headBlock());
    const [all] = await db.query<{ n: number; ids: number }>(`select count(*)::int as n, count(distinct id)::int as ids from tickets`);
    expect(all).toEqual({ n: visible.length, ids: visible.length });
  });

  it("still fails at once on errors retrying cannot fix", async () => {
    for (const message of [
      "Type `Query` has no field `nope`",
      "The `first` argument must be between 0 and 1000, but is 5000",
    ]) {
      server.requests.length = 0;
      server.injectFaults([{ graphqlErrors: [message] }]);
      const [r] = await runSources(config(server.url));
      expect(r.ok).toBe(false);
      expect(r.error).toBe(`Subgraph rejected the query: ${message}`);
      expect(server.requests).toHaveLength(1);
    }
  });

  it("a failed run leaves the cursor where it was and shows the error", async () => {
    await runSources(config(server.url));
    const cursor = await readCursor(db, SUBGRAPH_SOURCE);
    nowMs = DAY_END_MS + 0; // same head; the run fails before writing anything
    server.injectFaults(Array.from({ length: 4 }, () => ({ status: 503, body: "Service Unavailable" })));
    const [r] = await runSources(config(server.url));
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/HTTP 503.*gave up after 4 attempts/);
    expect(await readCursor(db, SUBGRAPH_SOURCE)).toEqual(cursor);
    const [s] = await db.query<{ last_error: string; last_success_at: string; last_error_at: string }>(`select * from source_state where name = 'subgraph'`);
    expect(s.last_error).toMatch(/503/);
    expect(Date.parse(s.last_error_at)).toBeGreaterThanOrEqual(Date.parse(s.last_success_at));
    const runs = await db.query<{ ok: boolean }>(`select ok from indexer_runs where source = 'subgraph' order by id`);
    expect(runs.map((x) => x.ok)).toEqual([true, false]);
  });

  it("a run failing mid-backfill never moves the cursor past stored tickets, and the next run completes", async () => {
    // let _meta and three ticket pages through, then fail every retry
    server.injectFaults([{ delayMs: 0 }, { delayMs: 0 }, { delayMs: 0 }, { delayMs: 0 }, ...Array.from({ length: 4 }, () => ({ status: 502 }))]);
    const [failed] = await runSources(config(server.url));
    expect(failed.ok).toBe(false);
    const cursor = await readCursor(db, SUBGRAPH_SOURCE);
    const [stored] = await db.query<{ n: number; max: number }>(`select count(*)::int as n, max(timestamp) as max from tickets`);
    // three pages of 1000, less the tickets each page repeats from the second it starts at
    expect(stored.n).toBeGreaterThan(2900);
    expect(stored.n).toBeLessThanOrEqual(3000);
    expect(cursor.ticketsFromTs).toBe(stored.max);
    const [ok] = await runSources(config(server.url));
    expect(ok.ok).toBe(true);
    const visible = network.tickets.filter((t) => Number(t.transaction.blockNumber) <= server.headBlock());
    const [all] = await db.query<{ n: number }>(`select count(*)::int as n from tickets`);
    expect(all.n).toBe(visible.length);
  });

  it("small pages across tickets that share a second lose and repeat nothing", async () => {
    // start near the end so a page size of 2 stays quick; some seconds hold 2 tickets, so pages both
    // straddle a shared second and consist of one second only (then that second is paged by id)
    const fromTs = Math.floor(DAY_END_MS / 1000) - 2 * 86400;
    await db.query(`insert into source_state (name, cursor) values ('subgraph', $1::jsonb)`, [JSON.stringify({ ticketsFromTs: fromTs, daysFromTs: fromTs - (fromTs % 86400) })]);
    const [r] = await runSources(config(server.url, { pageSize: 2 }));
    expect(r.ok).toBe(true);
    const expected = network.tickets.filter((t) => t.timestamp >= fromTs && Number(t.transaction.blockNumber) <= server.headBlock());
    const [t] = await db.query<{ n: number }>(`select count(*)::int as n from tickets`);
    expect(t.n).toBe(expected.length);
    const bySecond = server.requests.filter((q) => (q.variables as { where?: { timestamp?: number } })?.where?.timestamp !== undefined);
    expect(bySecond.length).toBeGreaterThan(0);
  });
});
