// The demo's gateway job logs, ingested the way `npm run demo` ingests them: jobs priced at the
// prices captured on the real network (never scaled), the AI orchestrators' winning tickets drawn
// from what these jobs paid (realized fees follow expected fees within the lottery's randomness),
// several pipelines and models, orchestrators with clearly different latency, a few percent
// failures, one rotated .gz, a handful of malformed lines, and new lines appended as the clock moves.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orchestratorJobs } from "../db/queries/jobs";
import { WIN_PROB_SCALE } from "../indexer/demo/ai-plan";
import { DAY_SECONDS, generateDemoNetwork, parseUnits } from "../indexer/demo/generate";
import { feeOf, generateDemoJobLogs, startJobLogAppender, writeDemoJobLogs, type DemoJobLogs } from "../indexer/demo/job-logs";
import { CAPTURED_PRICES } from "../indexer/demo/job-lines";
import { demoAi } from "../indexer/demo/traffic";
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
    logs = generateDemoJobLogs(network, { nowMs: NOW });
    writeDemoJobLogs(dir, logs, NOW);
    await runJobLogs(db, dir);
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("is the same for the same seed, and writes one rotated .gz next to the active log", () => {
    const again = generateDemoJobLogs(generateDemoNetwork({ seed: 42, endDay: END_DAY }), { nowMs: NOW });
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

  it("prices every job at a price captured on the real network, unscaled", () => {
    const captured = new Set(Object.values(CAPTURED_PRICES).flatMap((models) => Object.values(models).flat().map(String)));
    const { plan } = demoAi(network);
    const advertised = new Set(plan.nodes.flatMap((n) => n.offers.flatMap((o) => [o.price, o.earlier?.price]).filter((p) => p !== undefined).map(String)));
    let priced = 0;
    for (const line of logs.due) {
      const j = JSON.parse(line);
      if (!j.success) continue;
      const price = j.price_per_unit ?? String(BigInt(j.computed_fee) / BigInt(j.billable_units ?? (j.output_seconds ? 27_648_000 * j.output_seconds : 1)));
      if (j.price_per_unit) expect(j.pixels_per_unit).toBe("1");
      if (j.pipeline === "live-video-to-video") {
        expect(Number(price)).toBeGreaterThanOrEqual(1_588);
        expect(Number(price)).toBeLessThanOrEqual(3_000);
      } else if (j.price_per_unit) expect(captured.has(price)).toBe(true);
      if (j.price_per_unit) expect(advertised.has(price)).toBe(true);
      priced++;
    }
    expect(priced).toBeGreaterThan(logs.due.length * 0.9);
  });

  it("has realized ticket fees that follow the jobs' payments per orchestrator, within the lottery's randomness", async () => {
    const { plan, traffic } = demoAi(network);
    const batch = network.meta.gateways.find((g) => g.role === "ai-batch")!.address;
    const firstDay = Date.parse(`${logs.firstDay}T00:00:00Z`) / 1000 / DAY_SECONDS;
    // every line of the period (those written now and those the appender writes later today) is what the gateway paid for
    const fees = new Map<string, bigint>();
    for (const line of [...logs.due, ...logs.later.map((l) => l.line)]) {
      const j = JSON.parse(line);
      expect(j.gateway).toBe(batch);
      fees.set(j.orch_address, (fees.get(j.orch_address) ?? 0n) + feeOf(j));
    }
    const paid = traffic.paid.filter((p) => p.gateway === batch && p.day >= firstDay);
    for (const [orch, fee] of fees) expect(paid.filter((p) => p.orchestrator === orch).reduce((s, p) => s + p.feeWei, 0n)).toBe(fee);
    // Tickets: their expected value covers the fees (a balance is kept, so within one ticket), and
    // the winners' face values match that expected value within 4 standard deviations of the lottery.
    let z2 = 0;
    for (const node of plan.nodes.filter((n) => fees.has(n.address))) {
      const mine = paid.filter((p) => p.orchestrator === node.address);
      const ev = mine.reduce((s, p) => s + p.evWei, 0n);
      const tickets = mine.reduce((s, p) => s + p.tickets, 0);
      const fee = fees.get(node.address)!;
      expect(ev >= fee - (node.faceValueWei * node.winProbNum) / WIN_PROB_SCALE).toBe(true);
      expect(ev - fee <= (node.faceValueWei * node.winProbNum) / WIN_PROB_SCALE).toBe(true);
      const won = network.tickets
        .filter((t) => t.recipient.id === node.address && t.sender.id === batch && Math.floor(t.timestamp / DAY_SECONDS) >= firstDay)
        .reduce((s, t) => s + parseUnits(t.faceValue, 18), 0n);
      const p = Number(node.winProbNum) / Number(WIN_PROB_SCALE);
      const sd = Math.sqrt(tickets * p * (1 - p)) * Number(node.faceValueWei);
      const z = (Number(won) - Number(ev)) / sd;
      expect(Math.abs(z)).toBeLessThan(4);
      z2 += z * z;
    }
    // and together: a chi-square of one term per orchestrator, well within its range
    expect(z2).toBeLessThan(3 * fees.size + 10);
    // the database holds exactly the fees of the lines written so far
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
      const added = appender.tick(NOW + 60 * 60_000);
      expect(added).toBeGreaterThan(10);
      expect(appender.tick(NOW + 60 * 60_000)).toBe(0);
      expect(await runJobLogs(db, dir)).toMatchObject({ read: added, accepted: added, rejected: 0 });
      const newest = await db.query<{ t: string }>(`select max(finished_at) as t from jobs`);
      expect(Date.parse(newest[0].t)).toBeLessThanOrEqual(NOW + 60 * 60_000);
      expect(Date.parse(newest[0].t)).toBeGreaterThan(NOW);
    } finally {
      appender.stop();
    }
    expect(fs.statSync(path.join(dir, "gateway-jobs.jsonl")).size).toBeGreaterThan(0);
  });
});
