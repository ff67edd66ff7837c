// Default windows never pass today (issue 13): rows with a future day, stored before the ingest
// refused far-future timestamps, must not move the range the APIs and pages default to. Real
// database (PGlite, and Postgres when TEST_DATABASE_URL is set), real server on loopback.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, todayUtc } from "../app/lib/dates";
import { loadOverview } from "../app/lib/overview.server";
import type { JobLine } from "../indexer/demo/job-lines";
import { prepareBatch, writeJobBatch } from "../indexer/sources/joblogs/batch";
import { ensureMonths } from "../db/partitions";
import { ingestNdjson } from "../indexer/sources/joblogs/push";
import { runPrices } from "../indexer/sources/prices/load";
import { startServer, type StartedServer } from "../server";
import { backends, openTestDb, type TestDb } from "./helpers/db";
import { count } from "./helpers/joblogs";
import { LATEST_DAY, seedJobs, seedNetwork } from "./helpers/seed";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const ORCH = "0x" + "07".repeat(20); // known only from the two lines below
const FAR = Date.parse("2099-12-31T12:00:00Z");

function liveJob(requestId: string, timestamp: number): JobLine {
  return {
    request_id: requestId, gateway: "0x" + "c3".repeat(20), timestamp, pipeline: "live-video-to-video", model_id: "streamdiffusion",
    orch_address: ORCH, success: true, duration_ms: 1500, computed_fee: "1000000000000000000", output_seconds: 100,
  } as JobLine;
}

/**
 * Stores lines the way the ingest did before it refused far-future timestamps (validated against a
 * clock in 2100): the jobs row and every rollup row, as old data holds them.
 */
async function storeAsBeforeTheFix(db: TestDb, lines: JobLine[]): Promise<void> {
  const raw = lines.map((l, i) => {
    const bytes = Buffer.from(JSON.stringify(l));
    return { offset: 0, lineNumber: i + 1, bytes, length: bytes.length };
  });
  const batch = await prepareBatch(raw, 1 << 20, { nowMs: Date.parse("2100-01-01T00:00:00Z") - 3_600_000 });
  expect(batch.rejects).toEqual([]);
  await ensureMonths(db, "jobs", batch.months); // as every writer does before its transaction
  await db.tx((q) => writeJobBatch(q, batch, { source: "http" }));
}

describe.each(backends())("default windows on %s", (backend) => {
  let db: TestDb;
  let server: StartedServer;

  const get = async (path: string) => {
    const r = await fetch(server.url + path);
    expect(r.status, path).toBe(200);
    return (await r.json()) as Json;
  };
  /** The default window's end, read between two looks at the clock (a run across midnight sees either day). */
  const defaultTo = async (path: string, days: number) => {
    const before = todayUtc();
    const body = await get(path);
    expect([before, todayUtc()], path).toContain(body.to);
    expect(body.from, path).toBe(addDays(body.to, -(days - 1)));
    return body;
  };

  beforeAll(async () => {
    db = await openTestDb(backend);
    await seedNetwork(db); // last indexed block on LATEST_DAY (2025-03-31)
    await seedJobs(db); // logged jobs in March 2025
    await runPrices(db, { dir: "indexer/data", log: () => {} });
    await storeAsBeforeTheFix(db, [liveJob("future", FAR)]);
    // one job of today, through today's ingest
    const pushed = await ingestNdjson(db, JSON.stringify(liveJob("today", Date.now() - 60_000)), { maxLineBytes: 1 << 20 });
    expect(pushed).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    server = await startServer({ db, port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it("holds a job_day row on 2099-12-31, as data stored before the fix does", async () => {
    expect(await count(db, `select count(*) as n from job_day where day = '2099-12-31'`)).toBe(1);
    expect(await count(db, `select count(*) as n from jobs where request_id = 'future'`)).toBe(1);
  });

  it("/api/pipelines defaults to the 90 days ending today, counting today's job and not the 2099 one", async () => {
    const body = await defaultTo("/api/pipelines", 90);
    expect(body.totals.jobs).toBe(1);
    expect(body.rows.map((r: Json) => [r.pipeline, r.modelId, r.jobs, r.expectedFeesEth, r.outputSeconds])).toEqual([
      ["live-video-to-video", "streamdiffusion", 1, "1", "100"],
    ]);
  });

  it("/api/orchestrators defaults to the 30 days ending today; the 30-day fee window stays on the latest indexed day", async () => {
    const body = await defaultTo("/api/orchestrators", 30);
    const withJobs = body.rows.filter((r: Json) => r.jobs > 0);
    expect(withJobs.map((r: Json) => [r.address, r.jobs, r.expectedFeesEth])).toEqual([[ORCH, 1, "1"]]);
    expect(body.window30d).toEqual({ from: addDays(LATEST_DAY, -29), to: LATEST_DAY });
  });

  it("/api/cost and /api/cloud-comparison default to the 90 days ending today", async () => {
    const cost = await defaultTo("/api/cost", 90);
    expect(cost.rows.map((r: Json) => [r.pipeline, r.modelId, r.jobs, r.feesEth, r.outputSeconds])).toEqual([
      ["live-video-to-video", "streamdiffusion", 1, "1", "100"],
    ]);
    const cloud = await defaultTo("/api/cloud-comparison", 90);
    expect(cloud.livepeer).toMatchObject({ pipeline: "live-video-to-video", modelId: "streamdiffusion", jobs: 1, feesEth: "1", outputSeconds: "100" });
  });

  it("the overview's cost per video second covers the 30 days ending today", async () => {
    const before = todayUtc();
    const o = await loadOverview(db, new URL("http://observatory.test/"));
    expect([before, todayUtc()]).toContain(o.videoCost.to);
    expect(o.videoCost).toMatchObject({ from: addDays(o.videoCost.to, -29), jobs: 1, outputSeconds: "100", feesEth: "1" });
    expect(o.latestDay).toBe(LATEST_DAY);
  });

  it("a last indexed block stamped in the future moves no fee window past today either", async () => {
    const [s] = await db.query<{ block_timestamp: number }>(`select block_timestamp from source_state where name = 'subgraph'`);
    // block_timestamp is int4 unix seconds (at most 2038)
    await db.query(`update source_state set block_timestamp = $1 where name = 'subgraph'`, [Date.UTC(2030, 0, 1) / 1000]);
    try {
      await defaultTo("/api/fees", 90);
      const before = todayUtc();
      const summary = await get("/api/fees/summary");
      expect([before, todayUtc()]).toContain(summary.latestDay);
      await defaultTo("/api/pipelines", 90);
    } finally {
      await db.query(`update source_state set block_timestamp = $1 where name = 'subgraph'`, [s.block_timestamp]);
    }
  });
});
