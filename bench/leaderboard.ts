// Public probes at the issue's size: one poll of 150 orchestrators with 30 days of probes (4 regions,
// 10 pipeline-model pairs, one probe every two hours: 2.16 million rows at most, each pair served by
// about three in four orchestrators) from the local stand-in API through the real source (backfill,
// rollups, daily medians), timed end to end on a fresh PGlite directory and a fresh Postgres
// database; then /leaderboard and /api/leaderboard loaders over that data, p50/p95. Targets: the poll
// under a minute, the page under 200 ms at p95. `npx tsx bench/leaderboard.ts [orchestrators] [pglite|postgres]`
// runs it alone (a smaller count for a quick look; one engine only when named); `npm run bench` runs it
// after the others.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import postgres from "postgres";
import type { ServerBuild } from "@remix-run/node";
import { benchDatabaseUrl, settings } from "../core/settings";
import { openDb, type Db } from "../db/client";
import { loadIndexerConfig } from "../indexer/config";
import { DEFAULT_PAIRS, DEFAULT_REGIONS, type ProbeSchedule } from "../indexer/demo/leaderboard-probes";
import { pollLeaderboard } from "../indexer/sources/leaderboard/poll";

export const POLL_TARGET_S = 60;
export const PAGE_TARGET_P95_MS = 200;
const DAYS = 30;
const log = (s: string) => process.stderr.write(s + "\n");

type Engine = "pglite" | "postgres";
interface Stat {
  p50: number;
  p95: number;
}
export interface LeaderboardBench {
  engine: Engine;
  probes: number;
  pollSeconds: number;
  /** CPU seconds (user + sys) of the poll: this process (PGlite runs in it), the stand-in's, the Postgres backends' (null when unreadable). */
  cpu: { client: number; standIn: number | null; server: number | null };
  /** Seconds the main thread was busy (event-loop utilisation): the HTTP and the writes, PGlite's whole database work; the preparing thread is apart. */
  mainThreadS: number;
  /** The machine's load averages (1, 5, 15 minutes) as the poll ended: its wall time is only comparable at a similar load. */
  load: number[];
  page: Stat;
  pageRegion: Stat;
  api: Stat;
  apiAll: Stat;
  /** The orchestrators table and the compare page (probe columns, no gateway data). */
  orchestrators: Stat;
  compare: Stat;
}

function stats(samples: number[]): Stat {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => {
    const i = (s.length - 1) * p;
    const lo = Math.floor(i);
    return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (i - lo);
  };
  return { p50: at(0.5), p95: at(0.95) };
}

async function time(fn: () => Promise<unknown>): Promise<Stat> {
  for (let i = 0; i < 3; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < settings().BENCH_ITERATIONS; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return stats(samples);
}

async function loaderCall(build: ServerBuild, routeId: string, db: Db, url: string): Promise<void> {
  const loader = build.routes[routeId]?.module.loader;
  if (!loader) throw new Error(`No loader for ${routeId}`);
  const res = await loader({ request: new Request(`http://bench${url}`), context: { db }, params: {} } as never);
  if (res instanceof Response && !res.ok) throw new Error(`${url} -> ${res.status}: ${await res.text()}`);
}

async function benchOne(engine: Engine, db: Db, build: ServerBuild, orchestrators: number): Promise<LeaderboardBench> {
  const nowS = Math.floor(Date.now() / 1000);
  const fromS = Math.floor((nowS - DAYS * 86_400) / 7200) * 7200 + 7200;
  const addresses = Array.from({ length: orchestrators }, (_, i) => `0x${(i + 1).toString(16).padStart(6, "0")}${"d".repeat(34)}`);
  const schedule: ProbeSchedule = { seed: 9, orchestrators: addresses, regions: [...DEFAULT_REGIONS], pairs: DEFAULT_PAIRS, fromS, toS: nowS - 3600, everyS: 7200 };
  await db.query(
    `insert into transcoders (address, active, total_stake, total_volume_eth, total_volume_usd) select a, true, '1', '0', '0' from unnest($1::text[]) a`,
    [addresses],
  );
  const api = await standInProcess(schedule);
  try {
    log(`[leaderboard bench] ${engine}: polling ${orchestrators} orchestrators x ${DAYS} days from the stand-in ...`);
    const cfg = loadIndexerConfig({ LEADERBOARD_URL: api.url, LEADERBOARD_BACKFILL_DAYS: String(DAYS) }).leaderboard!;
    const serverPids = async () =>
      engine === "postgres" ? (await db.query<{ pid: number }>(`select pid from pg_stat_activity where datname = current_database()`)).map((p) => p.pid) : [];
    const before = { client: process.cpuUsage(), standIn: procCpuS(api.pid), server: sumCpu(await serverPids()) };
    const elu0 = performance.eventLoopUtilization();
    const t0 = performance.now();
    const r = await pollLeaderboard(db, cfg, { log: () => {} });
    const pollSeconds = (performance.now() - t0) / 1000;
    const mainThreadS = performance.eventLoopUtilization(elu0).active / 1000;
    const used = process.cpuUsage(before.client);
    const standInAfter = procCpuS(api.pid);
    const serverAfter = engine === "postgres" ? sumCpu(await serverPids(), before.server.byPid) : null;
    const cpu = {
      client: (used.user + used.system) / 1e6,
      standIn: standInAfter === null || before.standIn === null ? null : standInAfter - before.standIn,
      server: serverAfter?.total ?? null,
    };
    const load = os.loadavg();
    if (r.failures.length) throw new Error(`poll failures: ${r.failures.map((f) => f.error).join("; ")}`);
    const [n] = await db.query<{ n: number }>(`select count(*)::int as n from probes`);
    if (n.n !== r.stored) throw new Error(`stored ${r.stored}, table holds ${n.n}`);
    log(`[leaderboard bench] ${engine}: ${r.stored.toLocaleString("en-US")} probes in ${pollSeconds.toFixed(1)} s`);
    const urls = (extra: string) => ["/leaderboard", `/leaderboard?pair=${encodeURIComponent(`llm ${DEFAULT_PAIRS[8].model}`)}`].map((u) => u + extra);
    let i = 0;
    const page = await time(() => loaderCall(build, "routes/leaderboard", db, urls("")[i++ % 2]));
    const pageRegion = await time(() => loaderCall(build, "routes/leaderboard", db, `/leaderboard?region=FRA`));
    const api1 = await time(() => loaderCall(build, "routes/api.leaderboard", db, `/api/leaderboard?pipeline=text-to-image&model=${encodeURIComponent(DEFAULT_PAIRS[0].model)}`));
    const apiAll = await time(() => loaderCall(build, "routes/api.leaderboard", db, `/api/leaderboard`));
    const orchs = await time(() => loaderCall(build, "routes/orchestrators._index", db, `/orchestrators`));
    const compare = await time(() => loaderCall(build, "routes/compare", db, `/compare?${addresses.slice(0, 4).map((a) => `address=${a}`).join("&")}`));
    return { engine, probes: r.stored, pollSeconds, cpu, mainThreadS, load, page, pageRegion, api: api1, apiAll, orchestrators: orchs, compare };
  } finally {
    api.close();
  }
}

/** The stand-in in a child process, so answering and indexing use both cores as a real API would. */
async function standInProcess(schedule: ProbeSchedule): Promise<{ url: string; pid: number | undefined; close(): void }> {
  const child = spawn(process.execPath, ["--import", "tsx", "indexer/demo/leaderboard-server.ts", JSON.stringify(schedule)], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = "";
    child.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      if (buf.includes("\n")) resolve(buf.split("\n")[0].trim());
    });
    child.on("exit", (code) => reject(new Error(`the stand-in exited (${code})`)));
  });
  return { url, pid: child.pid, close: () => child.kill() };
}

/** User + system CPU seconds of a process of this machine, from /proc (null where there is none). */
function procCpuS(pid: number | undefined): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields from the 3rd on
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ, 100 on Linux)
  } catch {
    return null;
  }
}

/** CPU seconds of processes (the database's backends when it runs here), less what each had used at `since`. */
function sumCpu(pids: number[], since?: Map<number, number>): { total: number | null; byPid: Map<number, number> } {
  const byPid = new Map<number, number>();
  let total: number | null = 0;
  for (const pid of pids) {
    const s = procCpuS(pid);
    if (s === null) total = null;
    else {
      byPid.set(pid, s);
      if (total !== null) total += s - (since?.get(pid) ?? 0);
    }
  }
  return { total, byPid };
}

export async function benchLeaderboard(orchestrators = 150, engines: readonly Engine[] = ["pglite", "postgres"]): Promise<LeaderboardBench[]> {
  const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
  const out: LeaderboardBench[] = [];
  if (engines.includes("pglite")) await benchPglite(build, orchestrators, out);
  if (engines.includes("postgres")) await benchPostgres(build, orchestrators, out);
  return out;
}

async function benchPglite(build: ServerBuild, orchestrators: number, out: LeaderboardBench[]): Promise<void> {
  const dir = path.resolve("data/bench/leaderboard-pglite");
  fs.rmSync(dir, { recursive: true, force: true });
  const lite = await openDb({ pgliteDir: dir, databaseUrl: "" });
  try {
    out.push(await benchOne("pglite", lite, build, orchestrators));
  } finally {
    await lite.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function benchPostgres(build: ServerBuild, orchestrators: number, out: LeaderboardBench[]): Promise<void> {
  const adminUrl = benchDatabaseUrl();
  const url = new URL(adminUrl);
  url.pathname = "/observatory_bench_leaderboard";
  try {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 3 });
    await admin.unsafe(`drop database if exists observatory_bench_leaderboard with (force)`);
    await admin.unsafe(`create database observatory_bench_leaderboard`);
    await admin.end();
    const pg = await openDb({ databaseUrl: url.toString() });
    try {
      out.push(await benchOne("postgres", pg, build, orchestrators));
    } finally {
      await pg.close();
    }
  } catch (e) {
    log(`[leaderboard bench] Postgres skipped: ${(e as Error).message}`);
  }
}

export function printLeaderboardBench(results: LeaderboardBench[]): void {
  const f = (x: number) => x.toFixed(1).padStart(8);
  console.log(`\nPublic probes: one poll of the stand-in API (target < ${POLL_TARGET_S} s), then the leaderboard loaders (ms, target p95 < ${PAGE_TARGET_P95_MS} ms)\n`);
  console.log(`engine    what                                   p50       p95`);
  for (const r of results) {
    console.log(`${r.engine.padEnd(9)} poll: ${r.probes.toLocaleString("en-US")} probes in ${r.pollSeconds.toFixed(1)} s (${Math.round(r.probes / r.pollSeconds).toLocaleString("en-US")}/s) ${r.pollSeconds <= POLL_TARGET_S ? "ok" : "MISSED"}`);
    const c = (x: number | null) => (x === null ? "n/a" : `${x.toFixed(1)} s`);
    console.log(`${r.engine.padEnd(9)} poll CPU: indexer ${c(r.cpu.client)} (main thread busy ${c(r.mainThreadS)}), stand-in ${c(r.cpu.standIn)}, Postgres backends ${r.engine === "postgres" ? c(r.cpu.server) : "-"}; load ${r.load.map((l) => l.toFixed(1)).join(" ")}`);
    const line = (what: string, s: Stat, target: boolean) =>
      console.log(`${r.engine.padEnd(9)} ${what.padEnd(34)}${f(s.p50)}  ${f(s.p95)}${target ? `   ${s.p95 <= PAGE_TARGET_P95_MS ? "ok" : "MISSED"}` : ""}`);
    line("/leaderboard (busiest pair, 24 h)", r.page, true);
    line("/leaderboard?region=FRA", r.pageRegion, true);
    line("/api/leaderboard (one pair)", r.api, false);
    line("/api/leaderboard (every pipeline)", r.apiAll, false);
    line("/orchestrators", r.orchestrators, false);
    line("/compare (4 orchestrators)", r.compare, false);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const n = Number(process.argv[2] ?? 150);
  const engines = (["pglite", "postgres"] as const).filter((e) => !process.argv[3] || process.argv[3] === e);
  benchLeaderboard(Number.isInteger(n) && n > 0 ? n : 150, engines).then(
    (r) => {
      printLeaderboardBench(r);
      process.exit(0);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
