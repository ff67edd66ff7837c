// Gateway event ingest, end to end (read, parse, check, store by envelope id, merge live sessions and
// their rollups, checkpoint), on a file of BENCH_EVENTS envelopes (default 1,000,000) shaped like a
// real gateway's stream: live video sessions of 100 orchestrators with their traces, status samples,
// payments, discovery and tickets sent, 0.1% repeats. Lines per second on Postgres and PGlite, next
// to the job-log ingest rate measured in the same run (the target: at least half of it). Run alone
// (`npm run bench:events`) or as part of `npm run bench`. The file is cached in data/bench/events.
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { settings } from "../core/settings";
import type { Db } from "../db/client";
import { withBenchPglite, withBenchPostgres } from "./databases";
import { liveSessionEnvelopes } from "../indexer/demo/gateway-envelopes";
import { formatDuration } from "../indexer/progress";
import { EVENTS_SOURCE, runEventFiles } from "../indexer/sources/events/ingest-files";

const EVENTS = settings().BENCH_EVENTS;
const BENCH_DIR = path.resolve("data/bench/events");
const DB_NAME = "observatory_bench_events";
export const TARGET_RATIO_TO_JOBLOGS = 0.5;

const log = (s: string) => process.stderr.write(s + "\n");
const hex40 = (n: number, salt: number) => "0x" + salt.toString(16).padStart(8, "0") + n.toString(16).padStart(32, "0");
const MODELS = ["streamdiffusion-sdxl", "streamdiffusion-sdxl-faceid", "streamdiffusion-sd15"];

function ensureEventFile(): { dir: string; lines: number } {
  const dir = path.join(BENCH_DIR, `events-${EVENTS}`);
  const file = path.join(dir, "network_events.jsonl");
  if (fs.existsSync(file)) return { dir, lines: EVENTS };
  fs.mkdirSync(dir, { recursive: true });
  log(`Writing ${EVENTS.toLocaleString("en-US")} gateway event envelopes to ${file} (cached for later runs) ...`);
  const started = Date.now();
  const fd = fs.openSync(`${file}.tmp`, "w");
  let written = 0;
  let buffer: string[] = [];
  let previous = "";
  const start = Date.parse("2026-10-01T00:00:00Z");
  for (let n = 0; written < EVENTS; n++) {
    const o = n % 100;
    const envelopes = liveSessionEnvelopes({
      key: `bench-${n}`,
      streamId: `stream-bench-${n}`,
      requestId: n.toString(16).padStart(8, "0"),
      startMs: start + n * 5_000,
      orchHot: hex40(o, 0x40e1),
      orchUrl: `https://orch-${o}.bench.invalid:8935`,
      orchAddress: hex40(o, 0x0c4e57),
      gatewayAddress: hex40(0, 0x9a7e),
      modelId: MODELS[n % MODELS.length],
      startupMs: n % 50 === 0 ? null : 900 + ((n * 37) % 4000),
      durationMs: 180_000,
      fps: Array.from({ length: 12 }, (_, i) => [30, 24 + ((n + i) % 7)] as [number, number]),
      swaps: n % 13 === 0 ? 1 : 0,
      errors: n % 29 === 0 ? 1 : 0,
      priceWeiPerPixel: 1588n + BigInt(o * 10),
      paymentSecs: [60, 60, 60],
      faceValueWei: n % 3 ? 2402400000000000n : 24024000000000000n,
      winProb: "0.0009990010",
    });
    for (const e of envelopes) {
      if (written >= EVENTS) break;
      const line = JSON.stringify(e);
      buffer.push(written % 1000 === 999 && previous ? previous : line); // 0.1% repeats
      previous = line;
      written++;
    }
    if (buffer.length >= 10_000) {
      fs.writeSync(fd, buffer.join("\n") + "\n");
      buffer = [];
    }
  }
  if (buffer.length) fs.writeSync(fd, buffer.join("\n") + "\n");
  fs.closeSync(fd);
  fs.renameSync(`${file}.tmp`, file);
  log(`  done in ${formatDuration(Math.round((Date.now() - started) / 1000))}`);
  return { dir, lines: written };
}

async function ingestOnce(db: Db, dir: string, lines: number): Promise<{ seconds: number; read: number; stored: number }> {
  await db.query(`insert into source_state (name) values ($1) on conflict (name) do nothing`, [EVENTS_SOURCE]);
  const t = performance.now();
  const r = await runEventFiles(db, { dir, batchLines: settings().EVENTS_BATCH_LINES, maxLineBytes: 1 << 20, log });
  const seconds = (performance.now() - t) / 1000;
  if (r.read !== lines || r.rejected !== 0) throw new Error(`bench events ingest is wrong: read ${r.read} of ${lines}, ${r.rejected} rejected`);
  const [s] = await db.query<{ n: number }>(`select coalesce(sum(sessions), 0)::int as n from live_session_day`);
  const [t2] = await db.query<{ n: number }>(`select count(*)::int as n from live_sessions`);
  if (s.n !== t2.n) throw new Error(`bench events rollup is wrong: ${s.n} sessions rolled up, ${t2.n} stored`);
  return { seconds, read: r.read, stored: r.accepted };
}

export interface EventBenchResult {
  postgres?: { linesPerSec: number; seconds: number };
  pglite: { linesPerSec: number; seconds: number };
  lines: number;
}

export async function benchEventIngest(): Promise<EventBenchResult> {
  const { dir, lines } = ensureEventFile();
  const result: Partial<EventBenchResult> = { lines };
  await withBenchPostgres(
    DB_NAME,
    async (db) => {
      log(`Ingesting ${lines.toLocaleString("en-US")} events into Postgres (${DB_NAME}) ...`);
      const r = await ingestOnce(db, dir, lines);
      result.postgres = { linesPerSec: r.read / r.seconds, seconds: r.seconds };
    },
    log,
  );
  const pgliteDir = path.resolve("data/bench/pglite-events");
  log(`Ingesting ${lines.toLocaleString("en-US")} events into PGlite (${pgliteDir}) ...`);
  await withBenchPglite(pgliteDir, async (lite) => {
    const r = await ingestOnce(lite, dir, lines);
    result.pglite = { linesPerSec: r.read / r.seconds, seconds: r.seconds };
  });
  return result as EventBenchResult;
}

/** Prints the events rates, and their ratio to the job-log rates of the same run when given. */
export function printEventBench(r: EventBenchResult, jobLogs?: { postgres?: number; pglite?: number }): void {
  const n = (x: number) => Math.round(x).toLocaleString("en-US").padStart(10);
  console.log(`\nGateway event ingest: ${r.lines.toLocaleString("en-US")} envelopes end to end (read, parse, store once by id, merge sessions, roll up, checkpoint)\n`);
  console.log(`engine    what                                   lines/s   seconds   vs job-log ingest (target >= ${TARGET_RATIO_TO_JOBLOGS})`);
  for (const engine of ["postgres", "pglite"] as const) {
    const e = r[engine];
    if (!e) continue;
    const base = jobLogs?.[engine];
    const ratio = base ? e.linesPerSec / base : null;
    console.log(
      `${engine.padEnd(9)} events ingest (end to end)           ${n(e.linesPerSec)}  ${e.seconds.toFixed(1).padStart(8)}   ${
        ratio === null ? "" : `${ratio.toFixed(2)} of ${Math.round(base!).toLocaleString("en-US")} lines/s ${ratio >= TARGET_RATIO_TO_JOBLOGS ? "ok" : "MISSED"}`
      }`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  benchEventIngest().then(
    (r) => {
      printEventBench(r);
      process.exit(0);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
