// Gateway events exactly once through kill -9 and through standard input: `npm run indexer -- once`
// as a real child process reads an events directory (a rotated .gz and the active file, with repeats
// and garbage) and is killed at chosen points and after random delays; a last run finishes. Every
// event table, live session, rollup and counter must equal an uninterrupted run's. Then the same
// envelopes piped into `npm run indexer -- events -` are all duplicates.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "../db/client";
import { Rng } from "../indexer/demo/job-lines";
import { runEventFiles } from "../indexer/sources/events/ingest-files";
import { backends, openTestDb } from "./helpers/db";
import { liveRollupMismatches, session, sessionLines } from "./helpers/gateway-events";
import { runIndexer, startIndexer } from "./helpers/indexer-process";

const TABLES: Record<string, string> = {
  live_traces: "event_id",
  live_statuses: "event_id",
  live_tickets: "event_id",
  payments_sent: "event_id",
  discovery_latencies: "event_id, idx",
  gateway_event_ids: "event_id",
  live_sessions: "stream_id",
  live_session_day: "day, orch, model_id",
  live_fps_day: "day, orch, model_id",
  live_pay_day: "day, orch, model_id",
  gateway_event_counts: "type",
  gateway_event_rejects: "fingerprint, byte_offset",
};

async function digest(db: Db): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [t, key] of Object.entries(TABLES)) {
    const cols = t === "gateway_event_rejects" ? "origin, file, fingerprint, byte_offset, line_number, reason, excerpt" : "*";
    // A rollup row whose sessions or payments moved to another model keeps zero counts: not a difference.
    const where = t === "live_session_day" ? "where sessions <> 0" : t === "live_pay_day" ? "where payments <> 0" : "";
    const [r] = await db.query<{ n: number; h: string | null }>(
      `select count(*)::int n, md5(string_agg(x::text, '|' order by ${key})) h from (select ${cols} from ${t} ${where}) x`,
    );
    out[t] = `${r.n}:${r.h}`;
  }
  const [s] = await db.query<{ stats: unknown }>(`select stats from source_state where name = 'events'`);
  out.stats = JSON.stringify(s?.stats ?? null);
  return out;
}

function writeEvents(dir: string, sessions: number, seed: number): string[] {
  const rng = new Rng(seed, 3);
  const out: string[] = [];
  for (let n = 0; n < sessions; n++)
    for (const l of sessionLines(session(n, { startMs: Date.parse("2026-11-20T00:00:00Z") + n * 40_000, startupMs: 800 + rng.int(3000) }))) {
      const r = rng.float();
      out.push(r < 0.002 && out.length ? out[rng.int(out.length)] : r < 0.0025 ? `{"id": "broken ${out.length}"` : l);
    }
  const cut = Math.floor(out.length * 0.4);
  fs.writeFileSync(path.join(dir, "network_events-1.jsonl.gz"), zlib.gzipSync(out.slice(0, cut).join("\n") + "\n"));
  fs.writeFileSync(path.join(dir, "network_events.jsonl"), out.slice(cut).join("\n") + "\n");
  const old = new Date("2026-11-20T00:00:00Z");
  fs.utimesSync(path.join(dir, "network_events-1.jsonl.gz"), old, old);
  return out;
}

describe.each(backends())("gateway events through kill -9 on %s", (backend) => {
  const SESSIONS = backend === "postgres" ? 1500 : 500;
  const BATCH = backend === "postgres" ? "3000" : "1500";
  let dir: string;
  let lines: string[];
  let expected: Record<string, string>;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "events-crash-"));
    lines = writeEvents(dir, SESSIONS, backend === "postgres" ? 41 : 42);
    const reference = await openTestDb(backend);
    try {
      await reference.query(`insert into source_state (name) values ('events')`);
      await runEventFiles(reference, { dir, batchLines: 20_000, maxLineBytes: 1 << 20, log: () => {} });
      expected = await digest(reference);
    } finally {
      await reference.close();
    }
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it(
    "ends with exactly the rows, sessions, rollups and counters of an uninterrupted run; stdin then stores nothing twice",
    async () => {
      const target = backend === "postgres" ? await openTestDb("postgres") : null;
      const pgliteDir = target ? null : fs.mkdtempSync(path.join(os.tmpdir(), "events-crash-pglite-"));
      const env = { GATEWAY_EVENTS_DIR: dir, EVENTS_BATCH_LINES: BATCH, ...(target ? { DATABASE_URL: target.url! } : { PGLITE_DIR: pgliteDir! }) };
      try {
        for (const point of ["after-copy@2", "before-commit@1", "after-commit@3"]) {
          const r = await runIndexer({ ...env, OBSERVATORY_CRASH_AT: point });
          expect(r.signal, `${point}: ${r.out.slice(-400)}`).toBe("SIGKILL");
        }
        const run = startIndexer(env);
        await run.waitFor(/\[events\] .*rows/);
        await new Promise((resolve) => setTimeout(resolve, 150));
        run.child.kill("SIGKILL");
        await run.done;
        const last = await runIndexer(env);
        expect(last.code, last.out.slice(-400)).toBe(0);

        const db = target ?? (await openDb({ pgliteDir: pgliteDir!, databaseUrl: "" }));
        try {
          expect(await digest(db)).toEqual(expected);
          expect(await liveRollupMismatches(db)).toEqual([]);
        } finally {
          if (!target) await db.close();
        }

        // The same envelopes from standard input: read to the end, nothing stored twice.
        const child = spawn(process.execPath, ["--import", "tsx", "indexer/main.ts", "events", "-"], {
          env: { NODE_ENV: "production", PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", GATEWAY_TAGS_FILE: "/nonexistent/tags.json", ...env, EVENTS_BATCH_LINES: "700" },
        });
        let out = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (out += d));
        child.stdin.end(lines.join("\n"));
        const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
        expect(code, out.slice(-400)).toBe(0);
        const garbage = lines.filter((l) => l.startsWith('{"id": "broken')).length;
        expect(out).toContain(`events from standard input: ${lines.length} read, 0 stored, ${lines.length - garbage} duplicates, ${garbage} rejected`);
      } finally {
        await target?.close();
        if (pgliteDir) fs.rmSync(pgliteDir, { recursive: true, force: true });
      }
    },
    240_000,
  );
});
