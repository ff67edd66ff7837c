// Exactly once, through kill -9: `npm run indexer -- once` as a real child process ingests a log
// directory (a rotated .gz and the active file, with duplicates and garbage) and is killed at chosen
// points (after the COPY, before the commit, after a commit) and after random delays; then a run
// finishes the job. The final jobs, every rollup and the line counters must equal those of an
// uninterrupted run, whose batches are cut elsewhere. Heavy on Postgres, lighter on PGlite.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "../db/client";
import { Rng, syntheticJobLines } from "../indexer/demo/job-lines";
import { JOBLOGS_SOURCE } from "../indexer/sources/joblogs/ingest-files";
import { backends, openTestDb } from "./helpers/db";
import { runIndexer, startIndexer } from "./helpers/indexer-process";
import { rollupMismatches, runJobLogs, tablesDigest, tempDir, write } from "./helpers/joblogs";

/** A rotated .gz (older) and the active file; 1 in 500 lines repeats an earlier one, 1 in 2000 is garbage. */
function writeLogs(dir: string, total: number, seed: number): void {
  const rng = new Rng(seed, 9);
  const out: string[] = [];
  for (const job of syntheticJobLines({
    seed,
    count: total,
    startMs: Date.parse("2026-02-01T00:00:00Z"),
    spanMs: 2 * 86_400_000,
    orchestrators: 30,
  })) {
    const r = rng.float();
    out.push(r < 0.002 && out.length ? out[rng.int(out.length)] : r < 0.0025 ? `{"broken": ${out.length}` : JSON.stringify(job));
  }
  const cut = Math.floor(total * 0.4);
  write(dir, "gw-2026-02-01.jsonl.gz", zlib.gzipSync(out.slice(0, cut).join("\n") + "\n"));
  write(dir, "gw.jsonl", out.slice(cut).join("\n") + "\n");
  const old = new Date("2026-02-01T00:00:00Z");
  fs.utimesSync(path.join(dir, "gw-2026-02-01.jsonl.gz"), old, old); // rotated content first
}

async function finalState(db: Db) {
  const [state] = await db.query<{ stats: Record<string, number> }>(`select stats from source_state where name = $1`, [JOBLOGS_SOURCE]);
  return { tables: await tablesDigest(db), stats: state.stats };
}

const CRASH_POINTS = ["after-copy@2", "before-commit@1", "after-commit@2"];

describe.each(backends())("kill -9 during ingest on %s", (backend) => {
  // Postgres gets the heavy run; PGlite (a child opens its directory in seconds) a lighter one.
  const heavy = backend === "postgres";
  const LINES = heavy ? 200_000 : 40_000;
  const BATCH = heavy ? "20000" : "5000";
  let logs: string;
  let expected: Awaited<ReturnType<typeof finalState>>;

  beforeAll(async () => {
    logs = tempDir();
    writeLogs(logs, LINES, heavy ? 31 : 32);
    const reference = await openTestDb(backend);
    try {
      await runJobLogs(reference, logs); // uninterrupted, 50,000-line batches
      expected = await finalState(reference);
    } finally {
      await reference.close();
    }
  }, 120_000);
  afterAll(() => fs.rmSync(logs, { recursive: true, force: true }));

  it(
    "ends with exactly the rows, rollups and counters of an uninterrupted run",
    async () => {
      const target = heavy ? await openTestDb("postgres") : null;
      const pgliteDir = heavy ? null : tempDir("observatory-crash-pglite-");
      const env = {
        GATEWAY_LOG_DIR: logs,
        JOBLOG_BATCH_LINES: BATCH,
        ...(target ? { DATABASE_URL: target.url! } : { PGLITE_DIR: pgliteDir! }),
      };
      try {
        for (const point of CRASH_POINTS) {
          const r = await runIndexer({ ...env, OBSERVATORY_CRASH_AT: point });
          expect(r.signal, `${point}: ${r.out.slice(-400)}`).toBe("SIGKILL");
        }
        // killed from outside, mid-run, after random delays past its first progress line
        const rng = new Rng(heavy ? 7 : 8);
        for (let i = 0; i < (heavy ? 2 : 1); i++) {
          const run = startIndexer(env);
          await run.waitFor(/\[joblogs\] .*rows/);
          await new Promise((resolve) => setTimeout(resolve, rng.int(400)));
          run.child.kill("SIGKILL");
          await run.done;
        }
        const last = await runIndexer(env);
        expect(last.code, last.out.slice(-400)).toBe(0);

        const db = target ?? (await openDb({ pgliteDir: pgliteDir!, databaseUrl: "" }));
        try {
          expect(await finalState(db)).toEqual(expected);
          expect(expected.stats.linesRead).toBe(LINES);
          expect(await rollupMismatches(db)).toEqual([]);
        } finally {
          if (!target) await db.close();
        }
      } finally {
        await target?.close();
        if (pgliteDir) fs.rmSync(pgliteDir, { recursive: true, force: true });
      }
    },
    240_000, // a dozen child processes each opening the database: minutes on a loaded 2-core machine
  );
});
