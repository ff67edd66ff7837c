// Load on the HTTP server (issue 13), in one process against both engines, the clients on a thread
// of their own: the demo network's subgraph and job logs indexed into a fresh PGlite directory and
// a fresh Postgres database, then autocannon against 5 pages and 3 APIs at 10 and 50 connections
// with the render cache off (every request renders), and the overview and the orchestrators page
// again with it on (every request after the first is a hit). Per route: requests/s, latency p50/p99 and mean, errors.
// Targets, as ratios of this run: no error; at 50 connections p99 at most 2x the mean (requests
// queue fairly); a cache hit at least 10x the throughput of a miss on / and /orchestrators.
// `npm run bench:load`; BENCH_LOAD_SECONDS sets each measurement's length (default 10); `npx tsx bench/load.ts pglite`
// (or postgres) runs one engine; RENDER_CONCURRENCY is the server's (server/render-gate.ts).
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import autocannon from "autocannon";
import { environmentWith, settings } from "../core/settings";
import type { Db } from "../db/client";
import { withBenchPglite, withBenchPostgres } from "./databases";
import { loadIndexerConfig } from "../indexer/config";
import { generateDemoNetwork } from "../indexer/demo/generate";
import { generateDemoJobLogs, writeDemoJobLogs } from "../indexer/demo/job-logs";
import { startDemoSubgraph } from "../indexer/demo/subgraph-server";
import { runAllSources } from "../indexer/run";
import { startServer } from "../server";

const PAGES = ["/", "/orchestrators", "/pipelines", "/fees", "/cloud"];
const APIS = ["/api/fees", "/api/orchestrators", "/api/pipelines"];
const CACHED = ["/", "/orchestrators"];
const CONNECTIONS = [10, 50];
export const P99_TO_MEAN_MAX = 2;
export const HIT_TO_MISS_MIN = 10;
const DB_NAME = "observatory_bench_load";
const log = (s: string) => process.stderr.write(s + "\n");

export interface LoadRow {
  engine: "pglite" | "postgres";
  route: string;
  connections: number;
  cache: "off" | "on";
  requestsPerSec: number;
  p50: number;
  p99: number;
  mean: number;
  errors: number;
}

async function measure(url: string, connections: number): Promise<Omit<LoadRow, "engine" | "route" | "connections" | "cache">> {
  // The clients run on a thread of their own (autocannon's workers), not on the server's: sharing
  // its one event loop, a client's own reading and timing queued behind the renders and measured
  // itself (PGlite, / at 50 connections, same run: p99/mean 3.25 on the server's thread, 1.15 on
  // a worker).
  const opts = { url, connections, headers: { "accept-encoding": "br, gzip" }, workers: 1 };
  // Warm-up, not recorded: the first wave meets cold plans, buffers and code, which a few seconds'
  // sample would otherwise count as its tail.
  await autocannon({ ...opts, duration: 2 });
  const r = await autocannon({ ...opts, duration: settings().BENCH_LOAD_SECONDS });
  return {
    requestsPerSec: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    mean: r.latency.mean,
    errors: r.errors + r.timeouts + r.non2xx,
  };
}

/** The demo network's fees and AI jobs, indexed as the demo does (its subgraph stand-in and job logs). */
async function fill(db: Db, workDir: string): Promise<void> {
  const network = generateDemoNetwork({ seed: settings().DEMO_SEED });
  const subgraph = await startDemoSubgraph({ network, port: 0 });
  try {
    const logDir = path.join(workDir, "joblogs");
    fs.rmSync(logDir, { recursive: true, force: true });
    const nowMs = Date.now();
    writeDemoJobLogs(logDir, generateDemoJobLogs(network, { nowMs, days: 60 }), nowMs);
    const config = { ...loadIndexerConfig(environmentWith({ SUBGRAPH_URL: subgraph.url, GATEWAY_LOG_DIR: logDir, GATEWAY_TAGS_FILE: "/nonexistent.json" })), log: () => {} };
    const outcomes = await runAllSources(db, config);
    const failed = outcomes.find((o) => !o.ok);
    if (failed) throw new Error(`indexing the demo network failed (${failed.source}): ${failed.error}`);
  } finally {
    await subgraph.close();
  }
}

async function benchEngine(engine: LoadRow["engine"], db: Db, workDir: string): Promise<LoadRow[]> {
  log(`[load] ${engine}: indexing the demo network ...`);
  await fill(db, workDir);
  const rows: LoadRow[] = [];
  for (const [cache, mb, routes] of [["off", 0, [...PAGES, ...APIS]], ["on", 64, CACHED]] as const) {
    const server = await startServer({ db, port: 0, host: "127.0.0.1", renderCacheMb: mb });
    try {
      for (const route of routes)
        for (const connections of cache === "on" ? [50] : CONNECTIONS) {
          log(`[load] ${engine}: ${route} at ${connections} connections, render cache ${cache} ...`);
          rows.push({ engine, route, connections, cache, ...(await measure(server.url + route, connections)) });
        }
    } finally {
      await server.close();
      // Renders of requests autocannon abandoned at the end of its last run may still be reading.
      await new Promise((r) => setTimeout(r, 3000));
    }
  }
  return rows;
}

export async function benchLoad(engines: readonly LoadRow["engine"][] = ["pglite", "postgres"]): Promise<LoadRow[]> {
  const workDir = path.resolve("data/bench/load");
  fs.mkdirSync(workDir, { recursive: true });
  const rows: LoadRow[] = [];
  if (engines.includes("pglite")) rows.push(...(await withBenchPglite(path.join(workDir, "pglite"), (lite) => benchEngine("pglite", lite, workDir))));
  if (engines.includes("postgres")) rows.push(...((await withBenchPostgres(DB_NAME, (pg) => benchEngine("postgres", pg, workDir), log)) ?? []));
  return rows;
}

export function printLoad(rows: LoadRow[]): void {
  const n = (x: number, w: number, d = 0) => x.toFixed(d).padStart(w);
  console.log(`\nHTTP load: ${settings().BENCH_LOAD_SECONDS} s per line (autocannon); latency in ms`);
  console.log(`engine    route               conns cache   req/s     p50     p99    mean  p99/mean  errors`);
  for (const r of rows) {
    const ratio = r.mean > 0 ? r.p99 / r.mean : 0;
    const fair = r.connections === 50 && r.cache === "off" ? (ratio <= P99_TO_MEAN_MAX ? " ok" : " MISSED") : "";
    console.log(
      `${r.engine.padEnd(9)} ${r.route.padEnd(19)} ${n(r.connections, 5)} ${r.cache.padEnd(5)} ${n(r.requestsPerSec, 7)} ${n(r.p50, 7)} ${n(r.p99, 7)} ${n(r.mean, 7, 1)} ${n(ratio, 6, 2)}${fair.padEnd(7)} ${n(r.errors, 6)}${r.errors ? " MISSED" : ""}`,
    );
  }
  console.log(`\nCache hit vs miss, 50 connections (target >= ${HIT_TO_MISS_MIN}x):`);
  for (const r of rows.filter((x) => x.cache === "on")) {
    const miss = rows.find((x) => x.engine === r.engine && x.route === r.route && x.connections === 50 && x.cache === "off");
    if (!miss || miss.requestsPerSec === 0) continue;
    const ratio = r.requestsPerSec / miss.requestsPerSec;
    console.log(`${r.engine.padEnd(9)} ${r.route.padEnd(19)} ${n(ratio, 6, 1)}x (${n(r.requestsPerSec, 0)} vs ${n(miss.requestsPerSec, 0)} req/s) ${ratio >= HIT_TO_MISS_MIN ? "ok" : "MISSED"}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  // `npx tsx bench/load.ts pglite` (or postgres) measures one engine only.
  benchLoad((["pglite", "postgres"] as const).filter((e) => !process.argv[2] || process.argv[2] === e)).then(
    (rows) => {
      printLoad(rows);
      process.exit(0);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
