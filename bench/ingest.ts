// Job log ingest, end to end (read, parse, validate, COPY, insert, roll up, checkpoint), on a
// 1,000,000-line file: lines per second on Postgres next to `psql \copy` of the same rows into an
// equivalent table on the same server, and on PGlite. Two cases by default (BENCH_INGEST_DAYS=3,70),
// the same number of lines over 3 days (dense: a busy gateway's recent logs) and over 70 days (sparse
// history, a backfill: nearly every hour and group new, about as many hourly rollup rows as jobs),
// each with its own \copy baseline. On Postgres the two run in pairs (ingest, then \copy,
// BENCH_INGEST_RUNS times, default 3) and the ratio is the median of the pairs' ratios, so a machine
// that speeds up or slows down during the run moves both sides of each ratio. Run alone (`npm run
// bench:ingest`) or as part of `npm run bench`. The files are cached in data/bench/joblogs; every run
// ingests into fresh databases.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import postgres from "postgres";
import { benchDatabaseUrl, settings } from "../core/settings";
import { openDb, type Db } from "../db/client";
import { syntheticJobLines } from "../indexer/demo/job-lines";
import { runJobLogs, JOBLOGS_SOURCE } from "../indexer/sources/joblogs/ingest-files";
import { formatDuration } from "../indexer/progress";

const LINES = settings().BENCH_INGEST_LINES;
const SPANS_DAYS = settings().BENCH_INGEST_DAYS;
const TARGET_RATIO_POSTGRES = 0.5;
const TARGET_LINES_PER_SEC_PGLITE = 20_000;
const BENCH_DIR = path.resolve("data/bench/joblogs");
const DB_NAME = "observatory_bench_ingest";

const log = (s: string) => process.stderr.write(s + "\n");

/**
 * 1,000,000 lines over `SPAN_DAYS` days (3: the density the issue sizes the rollups for, 10,000,000
 * jobs in 30 days; 70: sparse history), from 60 orchestrators and 4 pipelines; 0.1% duplicates
 * (re-sent lines) and 0.02% garbage.
 */
function ensureLogFile(SPAN_DAYS: number): string {
  // Lines must not lie in the future (the validator rejects them beyond a small clock skew): a span
  // that would pass today starts earlier.
  const startMs = Math.min(Date.parse("2026-10-01T00:00:00Z"), Math.floor(Date.now() / 86_400_000) * 86_400_000 - SPAN_DAYS * 86_400_000);
  const dir = path.join(BENCH_DIR, `lines-${LINES}-days-${SPAN_DAYS}-from-${new Date(startMs).toISOString().slice(0, 10)}`);
  const file = path.join(dir, "gateway.jsonl");
  if (fs.existsSync(file)) return dir;
  fs.mkdirSync(dir, { recursive: true });
  log(`Writing ${LINES.toLocaleString("en-US")} job lines to ${file} (cached for later runs) ...`);
  const started = Date.now();
  const fd = fs.openSync(`${file}.tmp`, "w");
  const garbage = ['{"request_id": "x", "gateway": "0xnope"', "not json at all", '{"request_id":"g","duration_ms":-5}'];
  let buffer: string[] = [];
  let previous = "";
  let written = 0;
  const synthetic = syntheticJobLines({
    seed: 2026,
    count: LINES,
    startMs,
    spanMs: SPAN_DAYS * 86_400_000,
    orchestrators: 60,
  });
  for (const job of synthetic) {
    const line = JSON.stringify(job);
    const k = written % 5000;
    buffer.push(k === 1234 ? garbage[written % garbage.length] : k % 1000 === 999 && previous ? previous : line);
    previous = line;
    written++;
    if (buffer.length === 10_000) {
      fs.writeSync(fd, buffer.join("\n") + "\n");
      buffer = [];
    }
  }
  if (buffer.length) fs.writeSync(fd, buffer.join("\n") + "\n");
  fs.closeSync(fd);
  fs.renameSync(`${file}.tmp`, file);
  log(`  done in ${formatDuration(Math.round((Date.now() - started) / 1000))}`);
  return dir;
}

async function ingestOnce(db: Db, dir: string): Promise<{ seconds: number; read: number; accepted: number }> {
  await db.query(`insert into source_state (name) values ($1) on conflict (name) do nothing`, [JOBLOGS_SOURCE]);
  const t = performance.now();
  const r = await runJobLogs(db, { dir, batchLines: settings().JOBLOG_BATCH_LINES, maxLineBytes: 1 << 20, log });
  const seconds = (performance.now() - t) / 1000;
  const [rollup] = await db.query<{ n: number }>(`select coalesce(sum(jobs), 0)::int as n from job_day`);
  if (r.read !== LINES || rollup.n !== r.accepted)
    throw new Error(`bench ingest is wrong: read ${r.read}, accepted ${r.accepted}, rolled up ${rollup.n}`);
  return { seconds, read: r.read, accepted: r.accepted };
}

async function dropDatabase(adminUrl: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 3 });
  await admin.unsafe(`drop database if exists ${DB_NAME} with (force)`);
  await admin.end();
}

async function freshPostgres(adminUrl: string): Promise<string> {
  await dropDatabase(adminUrl);
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 3 });
  await admin.unsafe(`create database ${DB_NAME}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${DB_NAME}`;
  return u.toString();
}

const RUNS = settings().BENCH_INGEST_RUNS;

/**
 * `psql \copy` of the rows the ingest stored, in file order, from a CSV exported beforehand (not
 * timed), into a fresh copy of the jobs table (same columns, primary key, monthly partitions).
 */
function psqlCopy(url: string, dir: string): { seconds: number; rows: number } {
  const csv = path.join(dir, "jobs.csv");
  const psql = (command: string) => {
    const r = spawnSync("psql", [url, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", command], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`psql failed: ${r.stderr || r.error}`);
    return r.stdout.trim();
  };
  try {
    psql(`\\copy (select * from jobs order by finished_at, request_id) to '${csv}' csv`);
    // The same table as jobs: same columns and key, partitioned by month the same way (decision 017).
    psql(
      `drop table if exists jobs_copy; create table jobs_copy (like jobs including all) partition by range (finished_at); ` +
        `select ensure_month_partitions('jobs_copy', array_agg(distinct date_trunc('month', finished_at))) from jobs; checkpoint`,
    );
    const t = performance.now();
    psql(`\\copy jobs_copy from '${csv}' csv`);
    const seconds = (performance.now() - t) / 1000;
    const rows = Number(psql(`select count(*) from jobs_copy`));
    psql(`drop table jobs_copy`);
    return { seconds, rows };
  } finally {
    fs.rmSync(csv, { force: true });
  }
}

interface PostgresPair {
  linesPerSec: number;
  seconds: number;
  copyRowsPerSec: number;
  copySeconds: number;
  ratio: number;
}

export interface IngestCase {
  days: number;
  /** Medians over the pairs; `ratios` lists each pair's. */
  postgres?: PostgresPair & { ratios: number[] };
  pglite: { linesPerSec: number; seconds: number };
}

export interface IngestBenchResult {
  /** One per span of BENCH_INGEST_DAYS, in its order. */
  cases: IngestCase[];
  /** The first case's (the events bench compares its ingest with these). */
  postgres?: IngestCase["postgres"];
  pglite: IngestCase["pglite"];
}

export async function benchIngest(): Promise<IngestBenchResult> {
  const cases: IngestCase[] = [];
  for (const days of SPANS_DAYS) cases.push(await benchCase(days));
  return { cases, postgres: cases[0].postgres, pglite: cases[0].pglite };
}

async function benchCase(days: number): Promise<IngestCase> {
  const dir = ensureLogFile(days);
  const result: Partial<IngestCase> = { days };
  const what = `${days} days`;

  const adminUrl = benchDatabaseUrl();
  try {
    const pairs: PostgresPair[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const url = await freshPostgres(adminUrl);
      log(`${what}, pair ${run} of ${RUNS}: ingesting into Postgres (${DB_NAME}) ...`);
      const db = await openDb({ databaseUrl: url });
      let r: Awaited<ReturnType<typeof ingestOnce>>;
      try {
        r = await ingestOnce(db, dir);
      } finally {
        await db.close();
      }
      log(`${what}, pair ${run} of ${RUNS}: psql \\copy of the same ${r.accepted.toLocaleString("en-US")} rows into an equivalent table ...`);
      const copy = psqlCopy(url, dir);
      const linesPerSec = r.read / r.seconds;
      const copyRowsPerSec = copy.rows / copy.seconds;
      pairs.push({ linesPerSec, seconds: r.seconds, copyRowsPerSec, copySeconds: copy.seconds, ratio: linesPerSec / copyRowsPerSec });
      log(`  ingest ${Math.round(linesPerSec)} lines/s, \\copy ${Math.round(copyRowsPerSec)} rows/s, ratio ${(linesPerSec / copyRowsPerSec).toFixed(2)}`);
    }
    await dropDatabase(adminUrl);
    const median = (f: (p: PostgresPair) => number) => {
      const xs = pairs.map(f).sort((a, b) => a - b);
      const mid = Math.floor(xs.length / 2);
      return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
    };
    result.postgres = {
      linesPerSec: median((p) => p.linesPerSec),
      seconds: median((p) => p.seconds),
      copyRowsPerSec: median((p) => p.copyRowsPerSec),
      copySeconds: median((p) => p.copySeconds),
      ratio: median((p) => p.ratio),
      ratios: pairs.map((p) => p.ratio),
    };
  } catch (e) {
    log(`Postgres skipped: ${(e as Error).message} (set BENCH_DATABASE_URL to a server where the bench may create a database)`);
  }

  const pgliteDir = path.resolve("data/bench/pglite-ingest");
  fs.rmSync(pgliteDir, { recursive: true, force: true });
  log(`${what}: ingesting into PGlite (${pgliteDir}) ...`);
  const lite = await openDb({ pgliteDir, databaseUrl: "" });
  try {
    const r = await ingestOnce(lite, dir);
    result.pglite = { linesPerSec: r.read / r.seconds, seconds: r.seconds };
  } finally {
    await lite.close();
    fs.rmSync(pgliteDir, { recursive: true, force: true });
  }
  return result as IngestCase;
}

export function printIngestBench(r: IngestBenchResult): void {
  for (const c of r.cases) printCase(c);
}

function printCase(r: IngestCase): void {
  const n = (x: number) => Math.round(x).toLocaleString("en-US").padStart(9);
  console.log(
    `\nJob log ingest: ${LINES.toLocaleString("en-US")} lines over ${r.days} days end to end (read, parse, validate, COPY, insert, roll up, checkpoint)\n`,
  );
  console.log(`engine    what                                   lines/s   seconds   target`);
  if (r.postgres) {
    const p = r.postgres;
    const runs = p.ratios.length;
    if (runs > 1)
      console.log(`(Postgres: medians of ${runs} pairs run in turn; each pair's ratio: ${p.ratios.map((x) => x.toFixed(2)).join(", ")})`);
    console.log(`postgres  ingest (end to end)                  ${n(p.linesPerSec)}  ${p.seconds.toFixed(1).padStart(8)}`);
    console.log(`postgres  psql \\copy of the same rows          ${n(p.copyRowsPerSec)}  ${p.copySeconds.toFixed(1).padStart(8)}`);
    console.log(
      `postgres  ratio ingest / \\copy                      ${p.ratio.toFixed(2).padStart(5)}             >= ${TARGET_RATIO_POSTGRES} ${
        p.ratio >= TARGET_RATIO_POSTGRES ? "ok" : "MISSED"
      }`,
    );
  } else console.log(`postgres  (skipped: no server)`);
  const l = r.pglite;
  console.log(
    `pglite    ingest (end to end)                  ${n(l.linesPerSec)}  ${l.seconds
      .toFixed(1)
      .padStart(8)}   >= ${TARGET_LINES_PER_SEC_PGLITE.toLocaleString("en-US")} ${
      l.linesPerSec >= TARGET_LINES_PER_SEC_PGLITE ? "ok" : "MISSED"
    }`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  benchIngest().then(
    (r) => {
      printIngestBench(r);
      process.exit(0);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
