// The demo's resident memory under a light load (issue 13: under 700 MB after 30 minutes, no growth
// over the last 15). Starts `npm run demo` as a child on a free port with its own DEMO_DATA_DIR,
// waits until it serves, then requests every page and the main APIs in rotation (a few per second,
// each must answer 200) while sampling the RSS (VmRSS in /proc/<pid>/status) of the node process
// that serves (not the npm wrapper). Prints RSS when serving starts, at half time, at the end, the
// maximum, the slope over the second half (least squares, MB/min), and each route's latency
// (p50/p95 over the run; page renders while the data keeps changing every minute, so mostly misses
// of the render cache).
//
//   npx tsx bench/demo-memory.ts                 # 30 minutes (the bar)
//   npx tsx bench/demo-memory.ts --minutes 5     # shorter, for exploration
//   options: --minutes N, --interval S (RSS sample period, default 15), --rps N (default 3),
//            --cwd DIR (run the demo of another checkout, e.g. a worktree of an older commit),
//            --probe (also log the demo's process.memoryUsage() and PGlite's WASM memory every 10 s,
//            bench/demo-memory-probe.mjs), --keep (keep the demo's data directory and log)
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { environmentWith } from "../core/settings";

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const flag = (name: string) => args.includes(`--${name}`);
const MINUTES = Number(opt("minutes", "30"));
const INTERVAL_S = Number(opt("interval", "15"));
const RPS = Number(opt("rps", "3"));
const CWD = path.resolve(opt("cwd", path.join(path.dirname(fileURLToPath(import.meta.url)), "..")));
const PROBE = flag("probe");
const KEEP = flag("keep");
const log = (s: string) => process.stdout.write(`[demo-memory ${new Date().toISOString().slice(11, 19)}] ${s}\n`);

const PAGES = ["/", "/orchestrators", "/leaderboard", "/live", "/network", "/cloud", "/status", "/fees", "/pipelines", "/programs", "/alerts"];
const APIS = ["/api/fees", "/api/orchestrators", "/api/pipelines", "/api/live", "/api/network", "/api/leaderboard", "/api/cost", "/api/status"];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Every process below pid, by walking /proc's parent links. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
}

/** VmRSS of pid in MB, or null when it is gone. */
function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** RssAnon / RssFile of pid in MB (smaps_rollup). */
function rssSplit(pid: number): string {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const get = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(s)?.[1] ?? 0) / 1024;
    return `anon ${get("RssAnon").toFixed(0)} MB, file ${get("RssFile").toFixed(0)} MB`;
  } catch {
    return "";
  }
}

function slopePerMin(points: { t: number; mb: number }[]): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mt = points.reduce((a, p) => a + p.t, 0) / n;
  const mm = points.reduce((a, p) => a + p.mb, 0) / n;
  const num = points.reduce((a, p) => a + (p.t - mt) * (p.mb - mm), 0);
  const den = points.reduce((a, p) => a + (p.t - mt) ** 2, 0);
  return (num / den) * 60_000;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function main() {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "demo-memory-"));
  const logFile = path.join(dataDir, "demo.log");
  const probeFile = path.join(dataDir, "probe.jsonl");
  const out = fs.openSync(logFile, "a");
  // The probe learns where to write from its own URL (it runs before anything else in the demo).
  const probe = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), "demo-memory-probe.mjs"));
  probe.searchParams.set("out", probeFile);
  const env = environmentWith({
    PORT: String(port),
    DEMO_DATA_DIR: path.join(dataDir, "demo"),
    ...(PROBE ? { NODE_OPTIONS: [environmentWith({}).NODE_OPTIONS, `--import=${probe.href}`].filter(Boolean).join(" ") } : {}),
  });
  log(`npm run demo in ${CWD} on port ${port}, data and log in ${dataDir}; ${MINUTES} min, ${RPS} req/s, RSS every ${INTERVAL_S} s`);
  const child: ChildProcess = spawn("npm", ["run", "demo"], { cwd: CWD, env: env as NodeJS.ProcessEnv, stdio: ["ignore", out, out], detached: true });
  let exited = false;
  child.on("exit", (code, signal) => {
    exited = true;
    log(`the demo exited (${code ?? signal})`);
  });

  let server = 0;
  const stop = async () => {
    if (!exited) {
      for (const p of [server, child.pid!]) if (p) try { process.kill(p, "SIGTERM"); } catch { /* gone */ }
      for (let i = 0; i < 50 && !exited; i++) await sleep(500);
      if (!exited) try { process.kill(-child.pid!, "SIGKILL"); } catch { /* gone */ }
    }
    if (!KEEP) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  process.on("SIGINT", () => void stop().then(() => process.exit(130)));

  try {
    // The node process running scripts/demo.ts (npm's script execs it in place of its shell).
    const tStart = Date.now();
    const base = `http://127.0.0.1:${port}`;
    for (;;) {
      if (exited) throw new Error(`the demo exited before serving; see ${logFile}`);
      if (Date.now() - tStart > 15 * 60_000) throw new Error("the demo did not serve within 15 minutes");
      if (!server) server = descendants(child.pid!).find((p) => cmdline(p).includes("scripts/demo.ts")) ?? 0;
      if (server && fs.readFileSync(logFile, "utf8").includes("is ready in")) {
        const r = await fetch(`${base}/healthz`).catch(() => null);
        if (r?.ok) break;
      }
      await sleep(1000);
    }
    log(`serving after ${((Date.now() - tStart) / 1000).toFixed(0)} s (pid ${server}: ${cmdline(server).trim()})`);
    const { rows } = (await (await fetch(`${base}/api/orchestrators`)).json()) as { rows?: { address?: string }[] };
    const address = rows?.find((o) => o.address)?.address;
    if (!address) throw new Error("no orchestrator address in /api/orchestrators");
    const routes = [...PAGES, `/orchestrators/${address}`, ...APIS, `/api/orchestrators/${address}`];

    const t0 = Date.now();
    const end = t0 + MINUTES * 60_000;
    const samples: { t: number; mb: number }[] = [];
    const latencies = new Map<string, number[]>(routes.map((r) => [r, []]));
    const failures: string[] = [];
    const sample = () => {
      const mb = rssMb(server);
      if (mb === null) throw new Error("the serving process is gone");
      samples.push({ t: Date.now() - t0, mb });
      return mb;
    };
    log(`RSS at start ${sample().toFixed(0)} MB (${rssSplit(server)})`);
    let nextSample = t0 + INTERVAL_S * 1000;
    let lastPrint = t0;
    let i = 0;
    while (Date.now() < end) {
      if (exited) throw new Error(`the demo exited; see ${logFile}`);
      const route = routes[i++ % routes.length];
      const t = performance.now();
      try {
        const r = await fetch(base + route, { headers: { "accept-encoding": "br, gzip" } });
        await r.arrayBuffer();
        if (r.status !== 200) failures.push(`${route}: ${r.status}`);
        else latencies.get(route)!.push(performance.now() - t);
      } catch (e) {
        failures.push(`${route}: ${(e as Error).message}`);
      }
      const wait = 1000 / RPS - (performance.now() - t);
      if (wait > 0) await sleep(wait);
      if (Date.now() >= nextSample) {
        const mb = sample();
        nextSample += INTERVAL_S * 1000;
        if (Date.now() - lastPrint >= 60_000) {
          lastPrint = Date.now();
          log(`${((Date.now() - t0) / 60_000).toFixed(1)} min: RSS ${mb.toFixed(0)} MB (${rssSplit(server)}), ${i} requests, ${failures.length} not 200`);
        }
      }
    }
    sample();

    const at = (ms: number) => samples.reduce((best, s) => (Math.abs(s.t - ms) < Math.abs(best.t - ms) ? s : best)).mb;
    const half = (MINUTES * 60_000) / 2;
    const secondHalf = samples.filter((s) => s.t >= half);
    const max = samples.reduce((a, s) => Math.max(a, s.mb), 0);
    console.log(`\nDemo RSS (pid ${server}, ${samples.length} samples, ${i} requests, ${failures.length} not 200):`);
    console.log(`  start ${samples[0].mb.toFixed(0)} MB, at ${MINUTES / 2} min ${at(half).toFixed(0)} MB, at ${MINUTES} min ${samples[samples.length - 1].mb.toFixed(0)} MB, max ${max.toFixed(0)} MB`);
    console.log(`  slope over the last ${MINUTES / 2} min ${slopePerMin(secondHalf).toFixed(2)} MB/min (end - half: ${(samples[samples.length - 1].mb - at(half)).toFixed(0)} MB)`);
    console.log(`  ${rssSplit(server)}`);
    console.log(`\nLatency (ms) per route, p50 / p95 / n:`);
    for (const [route, xs] of latencies) console.log(`  ${route.padEnd(40)} ${pct(xs, 50).toFixed(1).padStart(8)} ${pct(xs, 95).toFixed(1).padStart(8)} ${String(xs.length).padStart(5)}`);
    if (failures.length) console.log(`\nNot 200 (first 20):\n  ${failures.slice(0, 20).join("\n  ")}`);
    if (PROBE && fs.existsSync(probeFile)) {
      const lines = fs.readFileSync(probeFile, "utf8").trim().split("\n");
      const last = JSON.parse(lines[lines.length - 1]);
      const mb = (x: number) => `${(x / 1048576).toFixed(0)} MB`;
      console.log(
        `\nInside the demo at the end: rss ${mb(last.rss)}, heapTotal ${mb(last.heapTotal)}, heapUsed ${mb(last.heapUsed)}, external ${mb(last.external)}, ` +
          `arrayBuffers ${mb(last.arrayBuffers)}, WASM memories ${last.wasm.map(mb).join(" + ") || "none"} (all samples: ${probeFile})`,
      );
    }
    if (failures.length) process.exitCode = 1;
  } finally {
    await stop();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
