// Many web instances, one indexer: two `npm start` processes against one Postgres both schedule the
// indexer, and the writer lock (a session advisory lock, indexer/run.ts) lets exactly one run at a
// time. The test SIGKILLs whichever instance holds the lock in the middle of a run; the other must
// take the lock within two schedule periods and finish the work, every job stored exactly once.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDb, type TestDb } from "./helpers/db";
import { lines } from "./helpers/joblogs";

const PERIOD_S = 2;
const LINES = 60_000;

interface Instance {
  proc: ChildProcess;
  out: () => string;
  exited: Promise<void>;
}

function startInstance(env: Record<string, string>): Instance {
  const proc = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NODE_ENV: "production", PORT: "0", ...env },
  });
  let out = "";
  proc.stdout!.on("data", (d) => (out += d));
  proc.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<void>((resolve) => proc.on("exit", () => resolve()));
  return { proc, out: () => out, exited };
}

const until = async <T>(what: string, fn: () => Promise<T | null | undefined | false>, ms: number): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe.skipIf(!process.env.TEST_DATABASE_URL)("two instances on one Postgres", () => {
  let db: TestDb;
  let dir: string;
  const instances: Instance[] = [];
  beforeAll(async () => {
    db = await openTestDb("postgres");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "observatory-instances-"));
  });
  afterAll(async () => {
    for (const i of instances) i.proc.kill("SIGKILL");
    await Promise.all(instances.map((i) => i.exited));
    await db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("run the indexer one at a time, and the survivor takes over from a killed holder within two periods", async () => {
    const logDir = path.join(dir, "logs");
    fs.mkdirSync(logDir);
    const env = {
      DATABASE_URL: db.url!,
      GATEWAY_LOG_DIR: logDir,
      GATEWAY_TAGS_FILE: "/nonexistent/tags.json",
      INDEXER_SCHEDULE: `*/${PERIOD_S} * * * * *`,
      JOBLOG_BATCH_LINES: "2000",
    };
    instances.push(startInstance(env), startInstance(env));
    for (const i of instances) await until("an instance to listen", async () => /dashboard on http:\/\/localhost:\d+/.test(i.out()), 60_000);

    // Work for several seconds of batches, written only once both instances schedule runs.
    fs.writeFileSync(path.join(logDir, "gateway.jsonl"), lines(0, LINES).join("\n") + "\n");
    const holder = async () => {
      const [r] = await db.query<{ app: string }>(
        `select a.application_name as app from pg_locks l join pg_stat_activity a on a.pid = l.pid
          where l.locktype = 'advisory' and l.objid = 7217701 and l.granted
            and l.database = (select oid from pg_database where datname = current_database())`,
      );
      return r?.app ?? null;
    };
    const first = await until("a run to hold the writer lock", holder, 30_000);
    await until("the run to store a batch", async () => {
      const [r] = await db.query<{ n: number }>(`select count(*)::int as n from jobs`);
      return r.n > 0 && r.n < LINES;
    }, 30_000);
    const pid = Number(/observatory pid (\d+)/.exec(first)![1]);
    const victim = instances.find((i) => i.proc.pid === pid);
    expect(victim, `the lock holder (${first}) is one of the two instances`).toBeDefined();
    const survivor = instances.find((i) => i !== victim)!;
    const killedAt = Date.now();
    victim!.proc.kill("SIGKILL");
    await victim!.exited;

    const next = await until("the survivor to take the writer lock", async () => {
      const h = await holder();
      return h && h !== first ? h : null;
    }, 4 * PERIOD_S * 1000 + 5_000);
    const tookOverMs = Date.now() - killedAt;
    expect(next).toBe(`observatory pid ${survivor.proc.pid}`);
    expect(tookOverMs, `took over after ${tookOverMs} ms`).toBeLessThanOrEqual(2 * PERIOD_S * 1000 + 1_000);

    // The survivor finishes: every line stored once, nothing lost with the killed run's open batch.
    await until("every job to be stored", async () => {
      const [r] = await db.query<{ n: number }>(`select count(*)::int as n from jobs`);
      return r.n === LINES;
    }, 120_000);
    const [dupes] = await db.query<{ n: number }>(`select count(*)::int as n from (select request_id from jobs group by request_id having count(*) > 1) d`);
    expect(dupes.n).toBe(0);
    const [rollup] = await db.query<{ n: number }>(`select coalesce(sum(jobs), 0)::int as n from job_day`);
    expect(rollup.n).toBe(LINES);
    // The runs never overlapped: each started after the one before had finished (or was cut off by the kill).
    const runs = await db.query<{ started_at: string; finished_at: string | null }>(
      `select started_at, finished_at from indexer_runs where source = 'joblogs' order by started_at`,
    );
    for (let k = 1; k < runs.length; k++)
      if (runs[k - 1].finished_at) expect(Date.parse(runs[k].started_at)).toBeGreaterThanOrEqual(Date.parse(runs[k - 1].finished_at!));
    expect(survivor.out()).not.toMatch(/Error:|\n\s+at /);
    // A tick that finds the other instance running says so in one line, not as a failure.
    expect(survivor.out() + victim!.out()).not.toMatch(/Indexer run failed/);
    expect(survivor.out() + victim!.out()).toMatch(/another instance is running it; this tick skipped/);
  }, 180_000);
});
