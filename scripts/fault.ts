// A fault drill against a real Postgres deployment (issue 13): `npx tsx scripts/fault.ts`.
//
// It runs what an operator runs, a web server (`server.ts`, INDEXER_IN_PROCESS=0) and a scheduled
// indexer (`indexer/main.ts`) as separate processes against a database it creates on the given
// server, with a gateway job log that grows by --lines-per-sec lines a second, and acts as their process
// manager: a process that dies is started again, as systemd's Restart=always would, and nothing
// else. Options: --database-url, --pg-stop, --pg-start, --lines-per-sec (below). Then, while a probe asks /healthz and a page every half second:
//   1. Postgres is stopped for 20 s and started again (--pg-stop / --pg-start);
//   2. the indexer is SIGKILLed in the middle of a run;
//   3. the web server is SIGKILLed.
// At the end the log stops growing, the indexer catches up, and the drill checks that every line
// written is stored exactly once (jobs, and their daily rollup), that pages answer, and prints how
// long each fault took to heal with no operator action. Exit 0 when all holds, 1 otherwise.
//
// It stops the Postgres it is given: run it on a machine where nothing else needs that server.
import { execSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { environmentWith } from "../core/settings";
import { syntheticJobLines } from "../indexer/demo/job-lines";

// Options on the command line (settings stay in core/settings.ts, the one reader of the environment):
//   --database-url URL     a Postgres server the drill may stop (default postgres://postgres@127.0.0.1:5432/postgres)
//   --pg-stop CMD          how to stop it (default: pg_ctlcluster <version> main stop -m fast)
//   --pg-start CMD         how to start it again
//   --lines-per-sec N      how fast the gateway log grows (default 200)
function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}
const ADMIN_URL = option("database-url") ?? "postgres://postgres@127.0.0.1:5432/postgres";
const VER = (() => {
  try {
    return fs.readdirSync("/etc/postgresql").sort().pop() ?? "15";
  } catch {
    return "15";
  }
})();
const PG_STOP = option("pg-stop") ?? `pg_ctlcluster --skip-systemctl-redirect ${VER} main stop -m fast`;
const PG_START = option("pg-start") ?? `pg_ctlcluster --skip-systemctl-redirect ${VER} main start`;
const LINES_PER_SEC = Number(option("lines-per-sec") ?? 200);
const DB_NAME = "observatory_fault";
const PERIOD_S = 5;

const t0 = Date.now();
const log = (s: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${s}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Managed {
  name: string;
  proc: ChildProcess | null;
  out: string;
  starts: number;
  stopping: boolean;
}

function manage(name: string, args: string[], extraEnv: Record<string, string>): Managed {
  const m: Managed = { name, proc: null, out: "", starts: 0, stopping: false };
  const start = () => {
    m.starts++;
    const p = spawn(process.execPath, ["--import", "tsx", ...args], {
      env: environmentWith({ NODE_ENV: "production", ...extraEnv }) as NodeJS.ProcessEnv,
    });
    m.proc = p;
    p.stdout!.on("data", (d) => (m.out += d));
    p.stderr!.on("data", (d) => (m.out += d));
    p.on("exit", (code, signal) => {
      if (m.stopping) return;
      log(`${name} exited (${signal ?? code}); the process manager starts it again in 1 s`);
      setTimeout(start, 1000);
    });
  };
  start();
  return m;
}

async function probe(url: string): Promise<boolean> {
  try {
    const [h, p] = await Promise.all([fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5000) }), fetch(`${url}/`, { signal: AbortSignal.timeout(5000) })]);
    await h.arrayBuffer();
    await p.arrayBuffer();
    return h.ok && p.ok;
  } catch {
    return false;
  }
}

async function main(): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "observatory-fault-"));
  const logDir = path.join(dir, "logs");
  fs.mkdirSync(logDir);
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${DB_NAME} with (force)`);
  await admin.unsafe(`create database ${DB_NAME}`);
  await admin.end();
  const u = new URL(ADMIN_URL);
  u.pathname = `/${DB_NAME}`;
  const dbUrl = u.toString();
  const port = 4700 + Math.floor(Math.random() * 200);
  const common = { DATABASE_URL: dbUrl, GATEWAY_LOG_DIR: logDir, GATEWAY_TAGS_FILE: "/nonexistent/tags.json", JOBLOG_BATCH_LINES: "500" };
  const web = manage("web server", ["server.ts"], { ...common, PORT: String(port), INDEXER_IN_PROCESS: "0" });
  const indexer = manage("indexer", ["indexer/main.ts", "schedule"], { ...common, INDEXER_SCHEDULE: `*/${PERIOD_S} * * * * *` });
  const base = `http://127.0.0.1:${port}`;

  // The gateway writes its log as it serves jobs.
  const lines = syntheticJobLines({ seed: 7, count: 10_000_000, startMs: Date.now() - 3 * 86_400_000, spanMs: 3 * 86_400_000, orchestrators: 20 });
  const file = path.join(logDir, "gateway.jsonl");
  let written = 0;
  const ids = new Set<string>();
  let writing = true;
  const writer = (async () => {
    while (writing) {
      const batch: string[] = [];
      for (let i = 0; i < LINES_PER_SEC / 10; i++) {
        const n = lines.next();
        if (n.done) break;
        ids.add(`${n.value.gateway}\t${n.value.request_id}`);
        batch.push(JSON.stringify(n.value));
      }
      fs.appendFileSync(file, batch.join("\n") + "\n");
      written += batch.length;
      await sleep(100);
    }
  })();

  const up = async (what: string, ms = 120_000) => {
    const end = Date.now() + ms;
    while (!(await probe(base))) {
      if (Date.now() > end) throw new Error(`${what}: pages did not come back within ${ms / 1000} s`);
      await sleep(250);
    }
  };
  const stored = async () => {
    const sql = postgres(dbUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
    try {
      const [r] = await sql`select (select count(*) from jobs)::int as jobs,
                                   (select count(*) from (select 1 from jobs group by gateway, request_id having count(*) > 1) d)::int as doubled,
                                   (select coalesce(sum(jobs), 0) from job_day)::int as rolled`;
      return r as { jobs: number; doubled: number; rolled: number };
    } finally {
      await sql.end();
    }
  };
  const runningRun = async () => {
    const sql = postgres(dbUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
    try {
      const [r] = await sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and objid = 7217701 and granted
                              and database = (select oid from pg_database where datname = current_database())`;
      return r.n > 0;
    } finally {
      await sql.end();
    }
  };
  const healed: { fault: string; seconds: number }[] = [];

  log(`web server on ${base}, indexer every ${PERIOD_S} s, ${LINES_PER_SEC} job lines/s into ${file}`);
  await up("start-up");
  // Availability from here on, every half second.
  const outages: { from: number; to: number | null }[] = [];
  let probing = true;
  const startProbing = () => (async () => {
    while (probing) {
      const ok = await probe(base);
      const last = outages[outages.length - 1];
      if (!ok && (!last || last.to !== null)) outages.push({ from: Date.now(), to: null });
      if (ok && last && last.to === null) last.to = Date.now();
      await sleep(500);
    }
  })();

  const prober = startProbing();
  await sleep(12_000);
  log(`steady: ${JSON.stringify(await stored())} after ${written} lines written`);

  // 1. Postgres stops for 20 s.
  log(`fault 1: ${PG_STOP}`);
  execSync(PG_STOP, { stdio: "inherit" });
  const f1 = Date.now();
  await sleep(20_000);
  log(`... ${PG_START}`);
  execSync(PG_START, { stdio: "inherit" });
  await up("after Postgres came back");
  healed.push({ fault: "Postgres stopped 20 s", seconds: (Date.now() - f1) / 1000 - 20 });
  log(`pages answer again ${healed[0].seconds.toFixed(1)} s after Postgres started`);

  // 2. The indexer dies mid-run.
  const runStart = Date.now();
  while (!(await runningRun().catch(() => false))) {
    if (Date.now() - runStart > 60_000) throw new Error("no indexer run seen holding the writer lock within 60 s");
    await sleep(20);
  }
  log("fault 2: SIGKILL to the indexer in the middle of a run");
  const before2 = indexer.starts;
  indexer.proc!.kill("SIGKILL");
  const f2 = Date.now();
  while (indexer.starts === before2) await sleep(100);
  const j2 = (await stored()).jobs;
  while ((await stored()).jobs === j2) await sleep(500);
  healed.push({ fault: "indexer SIGKILLed mid-run", seconds: (Date.now() - f2) / 1000 });
  log(`the restarted indexer stored new jobs ${healed[1].seconds.toFixed(1)} s after the kill`);

  // 3. The web server dies.
  log("fault 3: SIGKILL to the web server");
  web.proc!.kill("SIGKILL");
  const f3 = Date.now();
  await sleep(200);
  await up("after the web server was killed");
  healed.push({ fault: "web server SIGKILLed", seconds: (Date.now() - f3) / 1000 });
  log(`pages answer again ${healed[2].seconds.toFixed(1)} s after the kill`);

  // The log stops growing; the indexer catches up.
  writing = false;
  await writer;
  log(`${written} lines written in all; waiting for the indexer to store them ...`);
  const end = Date.now() + 180_000;
  let s = await stored();
  while (s.jobs < ids.size && Date.now() < end) {
    await sleep(1000);
    s = await stored();
  }
  probing = false;
  await prober;
  web.stopping = indexer.stopping = true;
  web.proc?.kill("SIGTERM");
  indexer.proc?.kill("SIGTERM");

  console.log("\nFault drill");
  for (const h of healed) console.log(`  ${h.fault.padEnd(28)} healed in ${h.seconds.toFixed(1)} s, no operator action`);
  const down = outages.map((o) => ((o.to ?? Date.now()) - o.from) / 1000);
  console.log(`  pages unavailable ${outages.length} time(s): ${down.map((d) => `${d.toFixed(1)} s`).join(", ") || "never"}`);
  console.log(`  lines written ${written} (${ids.size} distinct requests); jobs stored ${s.jobs}, doubled ${s.doubled}, in the daily rollup ${s.rolled}`);
  console.log(`  restarts by the process manager: web server ${web.starts - 1}, indexer ${indexer.starts - 1}`);
  const pass = s.jobs === ids.size && s.doubled === 0 && s.rolled === ids.size;
  console.log(pass ? "  PASS: nothing lost, nothing doubled" : "  FAIL: stored rows do not match the lines written");
  fs.rmSync(dir, { recursive: true, force: true });
  return pass ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
