// Latency percentiles from the rollups against Postgres percentile_cont over the raw rows: the
// bucket layout's guarantee checked on 400 seeded samples (the layout itself is tested beside it,
// core/latency-histogram.test.ts), then 120,000 real jobs from 40 orchestrators with distinct
// latency profiles ingested from a file on both engines, compared per orchestrator, per pipeline,
// per day and per hour. Every estimate must be within 1%.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orchestratorJobs, jobSeries, pipelineJobs, jobTotals } from "../db/queries/jobs";
import { histogramOf, MAX_DURATION_MS, quantilesFromHistogram } from "../core/latency-histogram";
import { Rng, syntheticJobLines } from "../indexer/demo/job-lines";
import { backends, openTestDb, type TestDb } from "./helpers/db";
import { runJobLogs, tempDir, write } from "./helpers/joblogs";

/** percentile_cont, exactly as Postgres defines it. */
function percentileCont(sorted: number[], p: number): number {
  const rank = (sorted.length - 1) * p;
  const k = Math.floor(rank);
  return k + 1 < sorted.length ? sorted[k] + (rank - k) * (sorted[k + 1] - sorted[k]) : sorted[k];
}

const relativeError = (estimate: number, exact: number) => (exact === 0 ? Math.abs(estimate) : Math.abs(estimate - exact) / exact);

describe("latency bucket layout", () => {
  it("estimates percentile_cont within 1% for any sample, from 1 value to 50,000, skewed or not", () => {
    const rng = new Rng(11);
    let worst = 0;
    for (let trial = 0; trial < 400; trial++) {
      const n = trial < 100 ? 1 + trial : Math.floor(1 + rng.float() * 50_000);
      const sigma = 0.05 + rng.float() * 2;
      const median = 5 + rng.float() * 60_000;
      const xs = Array.from({ length: n }, () => Math.min(MAX_DURATION_MS, Math.round(rng.lognormal(median, sigma))));
      const sorted = [...xs].sort((a, b) => a - b);
      const estimates = quantilesFromHistogram(histogramOf(xs), [0, 0.01, 0.5, 0.9, 0.95, 0.99, 0.999, 1]);
      [0, 0.01, 0.5, 0.9, 0.95, 0.99, 0.999, 1].forEach((p, i) => {
        worst = Math.max(worst, relativeError(estimates[i]!, percentileCont(sorted, p)));
      });
    }
    expect(worst).toBeLessThan(0.01);
  });
});

describe.each(backends())("percentiles from rollups vs percentile_cont on %s", (backend) => {
  const JOBS = 120_000;
  let db: TestDb;
  let dir: string;

  beforeAll(async () => {
    db = await openTestDb(backend);
    dir = tempDir();
    const lines = syntheticJobLines({
      seed: 5,
      count: JOBS,
      startMs: Date.parse("2026-03-01T00:00:00Z"),
      spanMs: 4 * 86_400_000,
      orchestrators: 40,
    });
    write(dir, "gw.jsonl", [...lines].map((l) => JSON.stringify(l) + "\n").join(""));
    const r = await runJobLogs(db, dir);
    expect(r).toMatchObject({ read: JOBS, accepted: JOBS });
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const range = { from: "2026-03-01", to: "2026-03-04" };
  const exact = (groupBy: string, where = "true", params: unknown[] = []) =>
    db.query<{ k: string; n: number; p50: number; p95: number; p99: number }>(
      `select ${groupBy} as k, count(*)::int as n,
              percentile_cont(0.5) within group (order by duration_ms) as p50,
              percentile_cont(0.95) within group (order by duration_ms) as p95,
              percentile_cont(0.99) within group (order by duration_ms) as p99
         from jobs where success and ${where} group by 1`,
      params,
    );
  const expectClose = (
    estimate: { n: number; p50: number | null; p95: number | null; p99: number | null },
    truth: { n: number; p50: number; p95: number; p99: number },
  ) => {
    expect(estimate.n).toBe(truth.n);
    for (const p of ["p50", "p95", "p99"] as const) expect(relativeError(estimate[p]!, Number(truth[p]))).toBeLessThan(0.01);
  };

  it("matches per orchestrator (the orchestrator table), whose latency profiles differ clearly", async () => {
    const [estimates, truths] = await Promise.all([orchestratorJobs(db, range), exact("orch_address")]);
    expect(estimates.length).toBe(40);
    const byOrch = new Map(truths.map((t) => [t.k, t]));
    for (const e of estimates) expectClose(e.latency, byOrch.get(e.orchestrator)!);
    const medians = truths.map((t) => Number(t.p50)).sort((a, b) => a - b);
    expect(medians.at(-1)! / medians[0]).toBeGreaterThan(3); // clearly different orchestrators
  });

  it("matches per pipeline and model, for the whole range, per day and per hour", async () => {
    const pipelines = await pipelineJobs(db, range);
    const byPipeline = new Map((await exact("pipeline || ' ' || model_id")).map((t) => [t.k, t]));
    for (const p of pipelines) expectClose(p.latency, byPipeline.get(`${p.pipeline} ${p.modelId}`)!);

    expectClose((await jobTotals(db, range)).latency, (await exact("'all'"))[0]);

    const orch = (await orchestratorJobs(db, range))[0].orchestrator;
    const days = await jobSeries(db, { ...range, orchestrator: orch }, "day");
    const dayTruth = new Map(
      (await exact(`to_char(finished_at at time zone 'UTC', 'YYYY-MM-DD')`, "orch_address = $1", [orch])).map((t) => [t.k, t]),
    );
    expect(days.length).toBe(4);
    for (const d of days) expectClose(d.latency, dayTruth.get(d.period)!);

    const hours = await jobSeries(db, { from: "2026-03-02", to: "2026-03-02", orchestrator: orch }, "hour");
    const hourTruth = new Map(
      (
        await exact(`to_char(date_trunc('hour', finished_at, 'UTC') at time zone 'UTC', 'YYYY-MM-DD"T"HH24')`, "orch_address = $1", [orch])
      ).map((t) => [t.k, t]),
    );
    expect(hours.length).toBe(24);
    for (const h of hours) expectClose(h.latency, hourTruth.get(h.period.slice(0, 13))!);
  });
});
