// The demo's gateway job logs, ingested the way `npm run demo` ingests them: expected fees agree
// with the demo network's realized ticket fees, several pipelines and models, orchestrators with
// clearly different latency, a few percent failures, one rotated .gz, a handful of malformed lines,
// and new lines appended as the clock moves.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orchestratorJobs } from "../db/queries/jobs";
import { generateDemoNetwork } from "../indexer/demo/generate";
import { feeOf, generateDemoJobLogs, startJobLogAppender, writeDemoJobLogs, type DemoJobLogs } from "../indexer/demo/job-logs";
import { backends, openTestDb, type TestDb } from "./helpers/db";
import { count, rollupMismatches, runJobLogs, tempDir } from "./helpers/joblogs";

const END_DAY = "2026-06-30";
const NOW = Date.parse(`${END_DAY}T15:00:00Z`);
const network = generateDemoNetwork({ seed: 42, endDay: END_DAY });

describe.each(backends())("demo job logs on %s", (backend) => {
  let db: TestDb;
  let dir: string;
  let logs: DemoJobLogs;

  beforeAll(async () => {
    db = await openTestDb(backend);
    dir = tempDir();
    logs = generateDemoJobLogs(network, { nowMs: NOW, targetJobs: 60_000 });
    writeDemoJobLogs(dir, logs, NOW);
    await runJobLogs(db, dir);
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("is the same for the same seed, and writes one rotated .gz next to the active log", () => {
    const again = generateDemoJobLogs(network, { nowMs: NOW, targetJobs: 60_000 });
    expect(again.due.slice(0, 50)).toEqual(logs.due.slice(0, 50));
    expect(again.due.length).toBe(logs.due.length);
    expect(fs.readdirSync(dir).sort()).toEqual([`gateway-jobs-${logs.firstDay}.jsonl.gz`, "gateway-jobs.jsonl"]);
  });

  it("ingests every job once, with a handful of rejects and re-sent duplicates", async () => {
    expect(await count(db, `select count(*) as n from jobs`)).toBe(logs.due.length);
    const rejects = await count(db, `select count(*) as n from job_rejects`);
    expect(rejects).toBeGreaterThanOrEqual(5);
    expect(rejects).toBeLessThanOrEqual(15);
    expect(await count(db, `select count(*) as n from job_log_files where done and path like '%.gz'`)).toBe(1);
    expect(await rollupMismatches(db)).toEqual([]);
  });

  it("has expected fees that agree with realized ticket fees per gateway and orchestrator over the period", async () => {
    // every line of the period: those written now and those the appender writes later today
    const expected = new Map<string, bigint>();
    for (const line of [...logs.due, ...logs.later.map((l) => l.line)]) {
      const j = JSON.parse(line);
      const pair = `${j.gateway} ${j.orch_address}`;
      expected.set(pair, (expected.get(pair) ?? 0n) + feeOf(j));
    }
    // A pair's fees can only be matched to within about one job, so small pairs get more room.
    const worst = (minWei: bigint) =>
      Math.max(
        ...[...logs.ticketWei]
          .filter(([, wei]) => wei >= minWei)
          .map(([pair, wei]) => Math.abs(Number(expected.get(pair) ?? 0n) / Number(wei) - 1)),
      );
    expect(worst(10n ** 17n)).toBeLessThan(0.1); // >= 0.1 ETH
    expect(worst(10n ** 18n / 4n)).toBeLessThan(0.03); // >= 0.25 ETH
    const total = (m: Iterable<bigint>) => [...m].reduce((a, b) => a + b, 0n);
    expect(Math.abs(Number(total(expected.values())) / Number(total(logs.ticketWei.values())) - 1)).toBeLessThan(0.01);
    // and the database holds exactly the fees of the lines written so far
    const stored = await db.query<{ fee: string }>(`select sum(expected_fee_wei)::text as fee from jobs`);
    expect(BigInt(stored[0].fee)).toBe(logs.due.reduce((s, l) => s + feeOf(JSON.parse(l)), 0n));
  });

  it("has six pipelines, several models, 2-5% failures with error types, and clearly different orchestrators", async () => {
    const pipelines = await db.query<{ pipeline: string }>(`select distinct pipeline from jobs order by 1`);
    expect(pipelines.map((p) => p.pipeline)).toEqual([
      "audio-to-text",
      "image-to-video",
      "live-video-to-video",
      "llm",
      "text-to-image",
      "upscale",
    ]);
    expect(await count(db, `select count(distinct model_id) as n from jobs`)).toBeGreaterThanOrEqual(8);
    const failed = (await count(db, `select count(*) as n from jobs where not success`)) / logs.due.length;
    expect(failed).toBeGreaterThan(0.02);
    expect(failed).toBeLessThan(0.05);
    expect(await count(db, `select count(distinct error_type) as n from jobs where not success`)).toBe(5);
    // the same pipeline on different orchestrators: medians far apart
    const llm = await orchestratorJobs(db, { from: logs.firstDay, to: END_DAY, pipeline: "llm" });
    const medians = llm.filter((o) => o.latency.n >= 200).map((o) => o.latency.p50!);
    expect(Math.max(...medians) / Math.min(...medians)).toBeGreaterThan(2.5);
  });

  it("appends the rest of the day as the clock reaches it, and the next run picks it up", async () => {
    const appender = startJobLogAppender(dir, logs.later, 60_000);
    try {
      expect(appender.tick(NOW)).toBe(0);
      const added = appender.tick(NOW + 30 * 60_000);
      expect(added).toBeGreaterThan(10);
      expect(appender.tick(NOW + 30 * 60_000)).toBe(0);
      expect(await runJobLogs(db, dir)).toMatchObject({ read: added, accepted: added, rejected: 0 });
      const newest = await db.query<{ t: string }>(`select max(finished_at) as t from jobs`);
      expect(Date.parse(newest[0].t)).toBeLessThanOrEqual(NOW + 30 * 60_000);
      expect(Date.parse(newest[0].t)).toBeGreaterThan(NOW);
    } finally {
      appender.stop();
    }
    expect(fs.statSync(path.join(dir, "gateway-jobs.jsonl")).size).toBeGreaterThan(0);
  });
});
