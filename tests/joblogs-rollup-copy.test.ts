// Job log rollups written by COPY where their periods are new (issue 13, sparse history): a batch
// whose hours and days no rollup row holds yet is copied straight into job_hour and the daily
// tables; hours and days already stored are upserted; a batch that meets both is split by period;
// a straight COPY that meets a key a concurrent writer stored meanwhile falls back to the upsert.
// Every case must leave rollups equal to aggregates of the stored jobs (rollupMismatches), on
// PGlite and on Postgres when TEST_DATABASE_URL is set.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TxQuerier } from "../db/client";
import { ensureMonths } from "../db/partitions";
import { prepareBatch, writeJobBatch, type PreparedBatch } from "../indexer/sources/joblogs/batch";
import { backends, openTestDb, type TestDb } from "./helpers/db";
import { count, jobLine, rollupMismatches } from "./helpers/joblogs";

const HOUR = 3_600_000;
const START = Date.parse("2026-05-01T20:00:00Z"); // four hours before a day ends
const ORCHS = ["0x" + "b2".repeat(20), "0x" + "c4".repeat(20), "0x" + "d6".repeat(20)];
const PIPELINES = [
  { pipeline: "text-to-image", model_id: "ByteDance/SDXL-Lightning" },
  { pipeline: "llm", model_id: "meta-llama/Meta-Llama-3.1-8B-Instruct" },
  { pipeline: "image-to-video", model_id: "stabilityai/stable-video-diffusion-img2vid-xt-1-1" },
];

/** Job n at hour `hour` after START: spread over orchestrators and pipelines, some failures, latencies over several chunks, fees. */
function line(n: number, hour: number): string {
  const p = PIPELINES[n % PIPELINES.length];
  const success = n % 7 !== 3;
  return jobLine(n, {
    timestamp: START + hour * HOUR + ((n * 7919) % HOUR),
    orch_address: ORCHS[(n >> 1) % ORCHS.length],
    ...p,
    success,
    error_type: success ? undefined : ["timeout", "oom"][n % 2],
    duration_ms: 50 + ((n * 104_729) % 40_000),
    computed_fee: String(1_000_000 + n),
    ...(p.pipeline === "image-to-video" ? { width: 1024, height: 576, frames: 25, fps: 7 } : {}),
    ...(p.pipeline === "text-to-image" ? { width: 1024, height: 1024, billable_units: "1048576", unit: "pixel" } : {}),
  });
}

async function batchOf(lines: string[]): Promise<PreparedBatch> {
  const raw = lines.map((l, i) => {
    const bytes = Buffer.from(l);
    return { offset: i * 1000, lineNumber: i + 1, bytes, length: bytes.length };
  });
  const b = await prepareBatch(raw, 1 << 20, { nowMs: Date.parse("2026-06-01T00:00:00Z") });
  expect(b.rejects).toEqual([]);
  return b;
}

/** Lines n in [from, to), job n in hour hourOf(n). */
const lines = (from: number, to: number, hourOf: (n: number) => number) => Array.from({ length: to - from }, (_, i) => line(from + i, hourOf(from + i)));

/** What a batch's writes did: tables copied into, and whether the upsert statement ran. */
interface Trace {
  copies: string[];
  upserts: number;
}

function traced(q: TxQuerier, trace: Trace): TxQuerier {
  return {
    query: (text, params) => {
      if (/^with\s+job_\w+_w as \(/.test(text.trim())) trace.upserts++;
      return q.query(text, params);
    },
    execute: (text, params) => q.execute(text, params),
    copyIn: (table, columns, data) => {
      trace.copies.push(table);
      return q.copyIn(table, columns, data);
    },
  };
}

describe.each(backends())("rollups by COPY for new periods on %s", (backend) => {
  let db: TestDb;

  beforeAll(async () => {
    db = await openTestDb(backend);
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db.reset();
  });

  async function write(batch: PreparedBatch, q: { tx: TestDb["tx"] } = db): Promise<Trace & { accepted: number }> {
    await ensureMonths(db, "jobs", batch.months);
    const trace: Trace = { copies: [], upserts: 0 };
    const c = await q.tx((tx) => writeJobBatch(traced(tx, trace), batch, { source: "http" }));
    return { ...trace, accepted: c.accepted };
  }

  it("copies a batch of new hours and days straight in, upserts stored ones, and splits a batch that meets both", async () => {
    // Hours 0-5: hours 4 and 5 fall on the next day.
    const first = await write(await batchOf(lines(0, 600, (n) => n % 6)));
    expect(first.accepted).toBe(600);
    expect(first.copies).toEqual(["jobs", "job_hour", "job_day", "job_error_day", "job_latency_day", "job_setting_day"]);
    expect(first.upserts).toBe(0);
    expect(await rollupMismatches(db)).toEqual([]);

    // Hours 5-9: hour 5 and its day are stored, hours 6-9 are new, and so is no day.
    const second = await write(await batchOf(lines(600, 1100, (n) => 5 + (n % 5))));
    expect(second.accepted).toBe(500);
    expect(second.copies).toContain("job_hour"); // the new hours
    expect(second.copies).toContain("job_stage_hour"); // hour 5
    expect(second.copies).not.toContain("job_day"); // its only day is stored
    expect(second.upserts).toBe(1);
    expect(await rollupMismatches(db)).toEqual([]);

    // Only stored hours and days: nothing is copied straight in.
    const third = await write(await batchOf(lines(1100, 1400, (n) => n % 10)));
    expect(third.copies.filter((t) => !t.startsWith("job_stage") && t !== "jobs")).toEqual([]);
    expect(third.upserts).toBe(1);
    expect(await rollupMismatches(db)).toEqual([]);
    expect(await count(db, `select sum(jobs) as n from job_hour`)).toBe(1400);
    expect(await count(db, `select sum(jobs) as n from job_day`)).toBe(1400);
  });

  it("rolls up only the jobs really inserted when some keys were stored, in new and stored periods alike", async () => {
    await write(await batchOf(lines(0, 300, (n) => n % 3)));
    // Half of these jobs are stored already (hours 0-2); the rest fall in hours 3-6, new.
    const b = await batchOf([...lines(150, 300, (n) => n % 3), ...lines(300, 500, (n) => 3 + (n % 4))]);
    const r = await write(b);
    expect(r.accepted).toBe(200);
    expect(await rollupMismatches(db)).toEqual([]);
    expect(await count(db, `select sum(jobs) as n from job_hour`)).toBe(500);
  });

  it.runIf(backend === "postgres")(
    "falls back to the upsert when a concurrent writer stores the same rollup keys after the batch looked",
    async () => {
      // Two transactions on their own connections write different jobs in the same new hours. The
      // second looks for stored periods while the first has not committed, finds none, and its
      // straight COPY waits on the first's keys, then fails with a unique violation once the first commits.
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let firstWrote!: () => void;
      const wroteFirst = new Promise<void>((resolve) => (firstWrote = resolve));
      const a = await batchOf(lines(0, 400, (n) => n % 4));
      const b = await batchOf(lines(400, 800, (n) => n % 4));
      await ensureMonths(db, "jobs", a.months);
      const traceB: Trace = { copies: [], upserts: 0 };
      const first = db.tx(async (q) => {
        await writeJobBatch(q, a, { source: "http" });
        firstWrote();
        await released;
      });
      await wroteFirst;
      const second = db.tx((q) => writeJobBatch(traced(q, traceB), b, { source: "http" }));
      await new Promise((r) => setTimeout(r, 500)); // the second is waiting in its COPY by now
      release();
      await first;
      expect((await second).accepted).toBe(400);
      expect(traceB.copies).toContain("job_hour"); // tried straight in ...
      expect(traceB.copies).toContain("job_stage_hour"); // ... then upserted
      expect(traceB.upserts).toBe(1);
      expect(await rollupMismatches(db)).toEqual([]);
      expect(await count(db, `select sum(jobs) as n from job_hour`)).toBe(800);
    },
    60_000,
  );
});
