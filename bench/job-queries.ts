// The job pages' queries (db/queries/jobs.ts, and the cost figures of app/lib/cost.server.ts) over 30 days of 10,000,000 jobs on Postgres: the
// rollups must keep them well under 200 ms. The jobs are ingested once through the real ingest path
// (ten 1,000,000-line files, written and removed one at a time) into the database
// observatory_bench_jobs, which later runs reuse.
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import postgres from "postgres";
import { benchDatabaseUrl, settings } from "../core/settings";
import { openDb, type Db } from "../db/client";
import { errorsByType, jobSeries, orchestratorJobs, pipelineJobs } from "../db/queries/jobs";
import { syntheticJobLines } from "../indexer/demo/job-lines";
import { JOBLOGS_SOURCE, runJobLogs } from "../indexer/sources/joblogs/ingest-files";
import { runPrices } from "../indexer/sources/prices/load";
import { cloudComparison, costRows, orchestratorVideoCosts } from "../app/lib/cost.server";
import { loadOrchestratorDetail } from "../app/lib/orchestrator-detail.server";
import { loadOrchestratorList } from "../app/lib/orchestrator-list.server";

const JOBS = settings().BENCH_QUERY_JOBS;
const DAYS = 30;
const START = "2026-10-01";
const END = "2026-10-30";
const ITERATIONS = 30;
const TARGET_MS = 200;
const FILE_LINES = 1_000_000;
const DB_NAME = "observatory_bench_jobs";
const MARKER = "bench-jobs";

const log = (s: string) => process.stderr.write(s + "\n");

async function seeded(db: Db): Promise<boolean> {
  const [r] = await db.query<{ cursor: { jobs: number } | null }>(`select cursor from source_state where name = $1`, [MARKER]);
  return r?.cursor?.jobs === JOBS;
}

async function seed(db: Db): Promise<void> {
  log(`Ingesting ${JOBS.toLocaleString("en-US")} jobs over ${DAYS} days into ${db.label} (once; later runs reuse them) ...`);
  await db.query(`truncate jobs, job_hour, job_day, job_error_day, job_latency_day, job_rejects, job_log_files, source_state`);
  await db.query(`insert into source_state (name) values ($1)`, [JOBLOGS_SOURCE]);
  const dir = fs.mkdtempSync(path.join(path.resolve("data/bench"), "jobs-"));
  try {
    const lines = syntheticJobLines({
      seed: 10,
      count: JOBS,
      startMs: Date.parse(`${START}T00:00:00Z`),
      spanMs: DAYS * 86_400_000,
      orchestrators: 60,
    });
    for (let part = 0; part * FILE_LINES < JOBS; part++) {
      const file = path.join(dir, `part-${part}.jsonl`);
      const fd = fs.openSync(file, "w");
      let chunk: string[] = [];
      for (let i = 0; i < FILE_LINES; i++) {
        const next = lines.next();
        if (next.done) break;
        chunk.push(JSON.stringify(next.value));
        if (chunk.length === 10_000) {
          fs.writeSync(fd, chunk.join("\n") + "\n");
          chunk = [];
        }
      }
      if (chunk.length) fs.writeSync(fd, chunk.join("\n") + "\n");
      fs.closeSync(fd);
      await runJobLogs(db, { dir, batchLines: 50_000, maxLineBytes: 1 << 20, log: () => {} });
      fs.rmSync(file);
      log(`  ${Math.min(JOBS, (part + 1) * FILE_LINES).toLocaleString("en-US")} jobs`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  await db.query(`vacuum analyze`);
  await db.query(`insert into source_state (name, cursor) values ($1, $2::jsonb)`, [MARKER, JSON.stringify({ jobs: JOBS })]);
}

interface Stat {
  p50: number;
  p95: number;
}

async function time(fn: () => Promise<unknown>): Promise<Stat> {
  for (let i = 0; i < 3; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(ITERATIONS / 2)], p95: samples[Math.ceil(ITERATIONS * 0.95) - 1] };
}

export interface JobQueryBench {
  label: string;
  rows: { what: string; stat: Stat }[];
  rollupRows: Record<string, number>;
}

export async function benchJobQueries(): Promise<JobQueryBench | null> {
  const adminUrl = benchDatabaseUrl();
  const url = new URL(adminUrl);
  url.pathname = `/${DB_NAME}`;
  try {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 3 });
    if (!(await admin`select 1 from pg_database where datname = ${DB_NAME}`).length) await admin.unsafe(`create database ${DB_NAME}`);
    await admin.end();
  } catch (e) {
    log(`Job query bench skipped: ${(e as Error).message} (set BENCH_DATABASE_URL)`);
    return null;
  }
  const db = await openDb({ databaseUrl: url.toString() });
  try {
    if (!(await seeded(db))) await seed(db);
    const range = { from: START, to: END };
    const [busiest] = await orchestratorJobs(db, range);
    await runPrices(db, { dir: "indexer/data", log: () => {} }); // the catalogue the cloud comparison reads (once: by file hash)
    const [video] = (await costRows(db, range)).filter((r) => r.output === "video-seconds");
    const rows = [
      { what: "orchestrator table, 30 days", stat: await time(() => orchestratorJobs(db, range)) },
      {
        what: "orchestrator table, 30 days, one pipeline",
        stat: await time(() => orchestratorJobs(db, { ...range, pipeline: "image-to-video" })),
      },
      { what: "pipelines and models, 30 days", stat: await time(() => pipelineJobs(db, range)) },
      { what: "errors by type, 30 days", stat: await time(() => errorsByType(db, range)) },
      {
        what: "one orchestrator, daily, 30 days",
        stat: await time(() => jobSeries(db, { ...range, orchestrator: busiest.orchestrator }, "day")),
      },
      {
        what: "one orchestrator, hourly, 7 days",
        stat: await time(() => jobSeries(db, { from: "2026-10-24", to: END, orchestrator: busiest.orchestrator }, "hour")),
      },
      // Whole loaders: what /api/orchestrators and the orchestrator page run per request (job figures,
      // realized fees and cost per video second, in parallel where the loader runs them so).
      {
        what: "GET /api/orchestrators loader, 30 days",
        stat: await time(() => loadOrchestratorList(db, new URL(`http://x/api/orchestrators?from=${START}&to=${END}`))),
      },
      {
        what: "orchestrator page loader, daily, 30 days",
        stat: await time(() =>
          loadOrchestratorDetail(db, new URL(`http://x/orchestrators/${busiest.orchestrator}?from=${START}&to=${END}`), busiest.orchestrator, (a) => a),
        ),
      },
      // Cost (decision 009): job_day's cost columns, the subgraph's daily rates and the catalogue.
      { what: "cost per pipeline and model, 30 days", stat: await time(() => costRows(db, range)) },
      { what: "cost per video second per orchestrator, 30 days", stat: await time(() => orchestratorVideoCosts(db, range)) },
      {
        what: "cloud comparison, one pipeline and model, 30 days",
        stat: await time(() => cloudComparison(db, { ...range, pipeline: video.pipeline, modelId: video.modelId })),
      },
    ];
    const rollupRows: Record<string, number> = {};
    for (const t of ["jobs", "job_hour", "job_day", "job_error_day", "job_latency_day"])
      rollupRows[t] = Number((await db.query<{ n: number }>(`select count(*)::int8 as n from ${t}`))[0].n);
    return { label: db.label, rows, rollupRows };
  } finally {
    await db.close();
  }
}

export function printJobQueryBench(r: JobQueryBench | null): void {
  if (!r) return;
  console.log(`\nJob pages on ${r.label}: ${JOBS.toLocaleString("en-US")} jobs over ${DAYS} days, ${ITERATIONS} timed calls each (ms)`);
  console.log(
    `rows: ${Object.entries(r.rollupRows)
      .map(([t, n]) => `${t} ${n.toLocaleString("en-US")}`)
      .join(", ")}\n`,
  );
  console.log(`what                                              p50       p95   target p95`);
  for (const { what, stat } of r.rows)
    console.log(
      `${what.padEnd(46)}${stat.p50.toFixed(1).padStart(8)}  ${stat.p95.toFixed(1).padStart(8)}   ${TARGET_MS} ms ${
        stat.p95 <= TARGET_MS ? "ok" : "MISSED"
      }`,
    );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  benchJobQueries().then(
    (r) => {
      printJobQueryBench(r);
      process.exit(0);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
