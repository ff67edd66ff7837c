// `npm run bench`: server-side timings of the dashboard's hot paths on a database holding 3 years of
// days and 1,000,000 tickets, on PGlite and on Postgres, with p50/p95 and a baseline measured in the
// same run (summing raw tickets, which is what the rollups avoid), the live video and network pages
// (bench/live.ts); then job log ingest (bench/ingest.ts),
// gateway event ingest against it (bench/events.ts) and the job pages' queries over 10,000,000 jobs
// (bench/job-queries.ts). Not a test: machines are
// noisy; read the ratios. Data is cached between runs (data/bench, databases observatory_bench*).
import { execSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import postgres from "postgres";
import type { ServerBuild } from "@remix-run/node";
import { benchDatabaseUrl, settings } from "../core/settings";
import { openDb, type Db } from "../db/client";
import { startServer } from "../server";
import { benchEventIngest, printEventBench } from "./events";
import { benchIngest, printIngestBench } from "./ingest";
import { benchLive, printLiveBench } from "./live";
import { benchJobQueries, printJobQueryBench } from "./job-queries";
import { benchLeaderboard, printLeaderboardBench } from "./leaderboard";
import { isSeeded, seedBench, type BenchShape } from "./seed";

const SHAPE: BenchShape = {
  days: settings().BENCH_DAYS,
  tickets: settings().BENCH_TICKETS,
  endDay: "2026-10-31",
};
const ITERATIONS = settings().BENCH_ITERATIONS;
const TARGET_P95_MS = { postgres: 150, pglite: 400 } as const;

const log = (s: string) => process.stderr.write(s + "\n");
const day = (offset: number) => new Date(Date.parse(`${SHAPE.endDay}T00:00:00Z`) + offset * 86400_000).toISOString().slice(0, 10);
const FIRST_DAY = day(-(SHAPE.days - 1));

interface Stat { p50: number; p95: number; n: number }

function stats(samples: number[]): Stat {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => {
    const i = (s.length - 1) * p;
    const lo = Math.floor(i);
    return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (i - lo);
  };
  return { p50: at(0.5), p95: at(0.95), n: s.length };
}

async function time(fn: () => Promise<unknown>, variants: number): Promise<Stat> {
  for (let i = 0; i < Math.min(5, variants * 2); i++) await fn(); // warm caches and plans
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return stats(samples);
}

function rotate<T>(xs: T[]): () => T {
  let i = 0;
  return () => xs[i++ % xs.length];
}

async function loaderCall(build: ServerBuild, routeId: string, db: Db, url: string): Promise<unknown> {
  const loader = build.routes[routeId]?.module.loader;
  if (!loader) throw new Error(`No loader for ${routeId}`);
  const res = await loader({ request: new Request(`http://bench${url}`), context: { db }, params: {} } as never);
  if (res instanceof Response && !res.ok) throw new Error(`${url} -> ${res.status}: ${await res.text()}`);
  return res;
}

async function benchOne(db: Db, build: ServerBuild) {
  if (!(await isSeeded(db, SHAPE))) {
    log(`Seeding ${db.label} with ${SHAPE.tickets.toLocaleString("en-US")} tickets over ${SHAPE.days} days (cached for later runs) ...`);
    await seedBench(db, SHAPE, log);
  }
  const overviewUrls = ["/", "/?interval=week&unit=usd", "/?interval=month&view=cumulative", `/?baselineFrom=${day(-120)}&baselineTo=${day(-91)}&from=${day(-29)}&to=${day(0)}`];
  const feeUrls = [
    `/api/fees?interval=day&from=${day(-89)}&to=${day(0)}`,
    `/api/fees?interval=week&from=${day(-364)}&to=${day(0)}`,
    `/api/fees?interval=month&from=${FIRST_DAY}&to=${day(0)}`,
  ];
  // A fast wrong answer is worthless: the full-range month view must count every seeded ticket.
  const check = (await loaderCall(build, "routes/api.fees", db, feeUrls[2])) as Response;
  const tickets = (await check.json()).totals.tickets;
  if (tickets !== SHAPE.tickets) throw new Error(`/api/fees counted ${tickets} tickets, expected ${SHAPE.tickets}`);
  const nextOverview = rotate(overviewUrls);
  const nextFees = rotate(feeUrls);
  const overview = await time(() => loaderCall(build, "routes/_index", db, nextOverview()), overviewUrls.length);
  const fees = await time(() => loaderCall(build, "routes/api.fees", db, nextFees()), feeUrls.length);

  const server = await startServer({ db, port: 0, host: "127.0.0.1" });
  const nextHttp = rotate(feeUrls);
  const http = await time(async () => {
    const r = await fetch(server.url + nextHttp());
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    await r.text();
  }, feeUrls.length);
  await server.close();

  // Baseline: the same day/week/month sums computed from raw tickets instead of the rollups.
  const ranges: [string, string, string][] = [["day", day(-89), day(0)], ["week", day(-364), day(0)], ["month", FIRST_DAY, day(0)]];
  const nextRange = rotate(ranges);
  const raw = await time(() => {
    const [unit, from, to] = nextRange();
    return db.query(
      `select date_trunc('${unit}', day)::date as period, sum(face_value_eth)::text, sum(face_value_usd)::text, count(*)::int
         from tickets where day between $1::date and $2::date group by 1 order by 1`,
      [from, to],
    );
  }, ranges.length);
  const live = await benchLive(db, build, SHAPE.endDay, time);
  return { overview, fees, http, raw, live };
}

const fmt = (x: number) => x.toFixed(1).padStart(8);

async function main() {
  if (!fs.existsSync("build/index.js") || settings().BENCH_BUILD) {
    log("Building the dashboard (npx remix build) ...");
    execSync("npx remix build", { stdio: "ignore" });
  }
  const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
  const results: { engine: "pglite" | "postgres"; label: string; r: Awaited<ReturnType<typeof benchOne>> }[] = [];

  const pgliteDir = path.resolve("data/bench/pglite");
  const lite = await openDb({ pgliteDir, databaseUrl: "" });
  try {
    results.push({ engine: "pglite", label: lite.label, r: await benchOne(lite, build) });
  } finally {
    await lite.close();
  }

  const adminUrl = benchDatabaseUrl();
  const benchUrl = new URL(adminUrl);
  benchUrl.pathname = "/observatory_bench";
  try {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 3 });
    const exists = await admin`select 1 from pg_database where datname = 'observatory_bench'`;
    if (!exists.length) await admin.unsafe(`create database observatory_bench`);
    await admin.end();
    const pg = await openDb({ databaseUrl: benchUrl.toString() });
    try {
      results.push({ engine: "postgres", label: pg.label, r: await benchOne(pg, build) });
    } finally {
      await pg.close();
    }
  } catch (e) {
    log(`Postgres skipped: ${(e as Error).message} (set BENCH_DATABASE_URL to a server where the bench may create a database)`);
  }

  console.log(`\nObservatory bench: ${SHAPE.tickets.toLocaleString("en-US")} tickets over ${SHAPE.days} days, ${ITERATIONS} timed calls each (ms)\n`);
  console.log(`engine    what                                   p50       p95   target p95`);
  for (const { engine, r } of results) {
    const t = TARGET_P95_MS[engine];
    const line = (what: string, s: Stat, target?: number) =>
      console.log(`${engine.padEnd(9)} ${what.padEnd(34)}${fmt(s.p50)}  ${fmt(s.p95)}   ${target ? `${t} ms ${s.p95 <= t ? "ok" : "MISSED"}` : ""}`);
    line("overview loader (server)", r.overview, t);
    line("/api/fees loader (server)", r.fees, t);
    line("/api/fees over HTTP (loopback)", r.http);
    line("baseline: same sums from raw tickets", r.raw);
    console.log(`${engine.padEnd(9)} rollups vs raw tickets: /api/fees is ${(r.raw.p50 / r.fees.p50).toFixed(1)}x faster at p50\n`);
  }
  printLiveBench(results.map(({ engine, r }) => ({ engine, r: r.live })));
  const ingest = await benchIngest();
  printIngestBench(ingest);
  printEventBench(await benchEventIngest(), { postgres: ingest.postgres?.linesPerSec, pglite: ingest.pglite.linesPerSec });
  printJobQueryBench(await benchJobQueries());
  printLeaderboardBench(await benchLeaderboard());
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
