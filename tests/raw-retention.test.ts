// Raw rows partitioned by month, rollups forever (issue 13, decision 017): job lines, live sessions
// and probes in February and November 2026, served by a real server; RAW_RETENTION_DAYS then drops
// the old months, and every API answer the rollups serve is byte for byte what it was. Rows stamped
// before the cut are refused with their reason, a dropped month is never made again, and a probe
// score over a cut window is a 400 that says why.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { latencyBucket } from "../core/latency-histogram";
import type { ProbeRecord } from "../core/probes/raw";
import { ensureMonths, maintainPartitions, partitionInfo, RAW_TABLES } from "../db/partitions";
import { ingestEventBody } from "../indexer/sources/events/push";
import { ingestNdjson } from "../indexer/sources/joblogs/push";
import { advanceCursor, insertProbes, refreshDailyMedians } from "../indexer/sources/leaderboard/store";
import { startServer, type StartedServer } from "../server";
import { backends, openTestDb, type TestDb } from "./helpers/db";
import { session, sessionLines } from "./helpers/gateway-events";
import { jobLine, ORCH } from "./helpers/joblogs";

const FEB = Date.parse("2026-02-10T08:00:00Z");
const NOV = Date.parse("2026-11-10T08:00:00Z");
// RAW_RETENTION_DAYS 60 on 2026-12-07: the months that ended before 2026-10-08 go.
const NOW = Date.parse("2026-12-07T12:00:00Z");
const MAX_LINE = 1 << 20;

const PIPELINES = [
  ["text-to-image", "ByteDance/SDXL-Lightning"],
  ["image-to-video", "stabilityai/stable-video-diffusion-img2vid-xt-1-1"],
] as const;
const ORCHS = [ORCH, "0x" + "c3".repeat(20), "0x" + "d4".repeat(20)];

/** 600 job lines around `t0`: three orchestrators, two pipelines, some failures, video with output seconds. */
function jobLines(t0: number, tag: string): string {
  return Array.from({ length: 600 }, (_, i) => {
    const [pipeline, model] = PIPELINES[i % 2];
    const video = pipeline === "image-to-video";
    return jobLine(i, {
      request_id: `${tag}-${i}`,
      timestamp: t0 + i * 3_000_000, // spread over ~21 days
      pipeline,
      model_id: model,
      orch_address: ORCHS[i % 3],
      success: i % 17 !== 0,
      error_type: i % 17 === 0 ? "timeout" : undefined,
      duration_ms: 800 + ((i * 7919) % 4000) + (video ? 20_000 : 0),
      ...(video ? { output_seconds: 4, computed_fee: String(3_000_000_000_000n + BigInt(i)) } : {}),
    });
  }).join("\n");
}

function probes(t0: number): ProbeRecord[] {
  const out: ProbeRecord[] = [];
  for (let d = 0; d < 20; d++)
    for (const [oi, orchestrator] of ORCHS.entries())
      for (const region of ["FRA", "MDW", "SIN"]) {
        const ts = Math.floor(t0 / 1000) + d * 86_400 + oi * 60;
        const ok = (d + oi) % 5 !== 0;
        const roundTripS = 1.2 + ((d * 37 + oi * 11) % 50) / 25;
        out.push({
          orchestrator, ts, region, pipeline: PIPELINES[0][0], model: PIPELINES[0][1], fingerprint: `f${d}${oi}${region}`,
          successRate: ok ? 1 : 0, roundTripS, warm: d % 3 !== 0, rttBucket: ok ? latencyBucket(Math.round(roundTripS * 1000)) : null,
          errorCodes: ok ? [] : ["timeout"], errorCounts: ok ? [] : [1],
        });
      }
  return out;
}

describe.each(backends())("raw retention on %s", (backend) => {
  let db: TestDb;
  let server: StartedServer;

  beforeAll(async () => {
    db = await openTestDb(backend);
    for (const [t0, tag] of [[FEB, "feb"], [NOV, "nov"]] as const) {
      const r = await ingestNdjson(db, jobLines(t0, tag), { maxLineBytes: MAX_LINE });
      expect(r).toMatchObject({ accepted: 600, duplicates: 0, rejected: [] });
      const live = Array.from({ length: 6 }, (_, n) => sessionLines(session(n, { key: `${tag}-${n}`, streamId: `${tag}-s${n}`, requestId: `${tag}r${n}`, startMs: t0 + n * 86_400_000 })));
      const e = await ingestEventBody(db, Buffer.from(live.flat().join("\n")), MAX_LINE);
      expect(e.rejected).toEqual([]);
      const p = probes(t0);
      await ensureMonths(db, "probes", p.map((x) => x.ts * 1000));
      await db.tx(async (q) => {
        expect(await insertProbes(q, p)).toBe(p.length);
        for (const o of ORCHS) await advanceCursor(q, o, Math.floor(t0 / 1000) + 21 * 86_400, null, p.filter((x) => x.orchestrator === o).length);
        await refreshDailyMedians(q);
      });
    }
    server = await startServer({ db, port: 0, host: "127.0.0.1", renderCacheMb: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  const WINDOWS = "from=2026-02-01&to=2026-11-30";
  const APIS = [
    `/api/pipelines?${WINDOWS}`,
    `/api/pipelines?${WINDOWS}&interval=day&format=csv`,
    `/api/orchestrators?${WINDOWS}`,
    `/api/orchestrators/${ORCH}?${WINDOWS}`,
    `/api/cost?${WINDOWS}`,
    `/api/live?${WINDOWS}`,
    `/api/live?${WINDOWS}&format=csv`,
    `/api/probes/${ORCH}?from=2026-02-01&to=2026-03-15`,
    `/api/probes/${ORCH}?from=2026-02-01&to=2026-03-15&pipeline=${PIPELINES[0][0]}&model=${PIPELINES[0][1]}`,
  ];
  // Answers carry the moment they were made (provenance, freshness); the figures are compared.
  const figures = async (path: string) => {
    const res = await fetch(server.url + path);
    const text = await res.text();
    expect([path, res.status, res.status === 200 ? "" : text]).toEqual([path, 200, ""]);
    if (path.includes("format=csv")) return text;
    const j = JSON.parse(text);
    delete j.provenance;
    delete j.freshness;
    return JSON.stringify(j);
  };

  it("drops the months past RAW_RETENTION_DAYS, and every figure the rollups serve stays identical", async () => {
    const before = await Promise.all(APIS.map(figures));
    const leaderboardPath = `/api/leaderboard?from=2026-02-10&to=2026-02-20&pipeline=${PIPELINES[0][0]}&model=${PIPELINES[0][1]}`;
    const board = await fetch(server.url + leaderboardPath);
    expect(board.status).toBe(200);
    expect((await board.json()).rows.length).toBe(3);
    const rawCount = async () => Number((await db.query<{ n: string }>(`select (select count(*) from jobs) + (select count(*) from probes) + (select count(*) from live_traces) as n`))[0].n);
    const rawBefore = await rawCount();

    // Without a retention setting, a run only makes months ahead.
    expect((await maintainPartitions(db, { nowMs: NOW })).dropped).toEqual([]);
    const r = await maintainPartitions(db, { retentionDays: 60, nowMs: NOW });
    const droppedNames = r.dropped.map((d) => d.partition);
    for (const { table } of RAW_TABLES) expect(droppedNames).toContain(`${table}_p2026_02`);
    expect(droppedNames.every((n) => /_p2026_0[1-9]$/.test(n))).toBe(true);
    const droppedRows = r.dropped.reduce((s, d) => s + d.rows, 0);
    expect(rawBefore - (await rawCount())).toBeLessThanOrEqual(droppedRows);
    expect(await rawCount()).toBeGreaterThan(0); // November is kept
    expect(await db.query(`select count(*)::int as n from jobs where finished_at < '2026-10-01'`)).toEqual([{ n: 0 }]);

    const after = await Promise.all(APIS.map(figures));
    const diffs = APIS.flatMap((path, i) => differences(before[i], after[i]).map((d) => `${path} ${d}`));
    // The only change: a probe score over a window reaching the cut is gone (its median needs the
    // raw probes), never computed over part of them. Counts, rates, percentiles, fees, live
    // figures and the daily probe history are identical.
    expect(diffs.length).toBeGreaterThan(0);
    for (const d of diffs) expect(d).toMatch(/^\/api\/orchestrators\S* \.(rows|probes\.rows)\.\d+\.probeScore: [0-9.]+ -> null$|^\S+ \.probes\.medianRoundTripS: [0-9.]+ -> null$/);

    // The status page's view: where each table was cut and how many rows went.
    const info = await partitionInfo(db);
    const jobs = info.find((t) => t.table === "jobs")!;
    expect(jobs.droppedBefore).toBe("2026-04-01T00:00:00.000Z");
    expect(jobs.droppedRows).toBe(r.dropped.filter((d) => d.partition.startsWith("jobs_")).reduce((s, d) => s + d.rows, 0));
    expect(jobs.oldest).toBe("2026-11");
    expect(jobs.approxRows).toBe(600); // the run analysed the changed month: a small one is read whole
    const status = await (await fetch(`${server.url}/api/status`)).json();
    expect(status.rawPartitions.tables.find((t: { table: string }) => t.table === "jobs")).toMatchObject({ droppedBefore: "2026-04-01T00:00:00.000Z", oldest: "2026-11" });
    const page = await (await fetch(`${server.url}/status`)).text();
    expect(page).toContain("Raw rows by month");

    // A probe score over the cut window needs the dropped probes: refused with the reason.
    const cut = await fetch(server.url + leaderboardPath);
    expect(cut.status).toBe(400);
    expect(await cut.text()).toContain("raw probes before then were dropped (RAW_RETENTION_DAYS)");
    // Hourly probe figures are read from the raw probes: refused there too, the daily series kept.
    const hourly = await fetch(`${server.url}/api/probes/${ORCH}?interval=hour&from=2026-02-10&to=2026-02-12`);
    expect(hourly.status).toBe(400);
    expect(await hourly.text()).toContain("no hourly figures for a window starting before");
    // A second run drops nothing more.
    expect((await maintainPartitions(db, { retentionDays: 60, nowMs: NOW })).dropped).toEqual([]);
  });

  /** Paths (a.b[2].c) where two JSON texts differ; CSV compared whole. */
  function differences(a: string, b: string): string[] {
    if (!a.startsWith("{")) return a === b ? [] : ["(csv)"];
    const out: string[] = [];
    const walk = (x: unknown, y: unknown, at: string) => {
      if (typeof x === "object" && x !== null && typeof y === "object" && y !== null) {
        for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], `${at}.${k}`);
      } else if (x !== y) out.push(`${at}: ${JSON.stringify(x)} -> ${JSON.stringify(y)}`);
    };
    walk(JSON.parse(a), JSON.parse(b), "");
    return out;
  }

  it("refuses rows stamped before the cut, with the reason, and never makes a dropped month again", async () => {
    const old = jobLine(1, { request_id: "late-old", timestamp: FEB + 3_600_000 });
    const fresh = jobLine(2, { request_id: "late-new", timestamp: NOV + 3_600_000 });
    const r = await ingestNdjson(db, `${old}\n${fresh}`, { maxLineBytes: MAX_LINE });
    expect(r.accepted).toBe(1);
    expect(r.rejected).toEqual([{ line: 1, reason: expect.stringContaining("stamped before 2026-04-01T00:00:00.000Z: raw rows before then were dropped") }]);
    const stored = await db.query(`select request_id from jobs where request_id like 'late-%'`);
    expect(stored).toEqual([{ request_id: "late-new" }]);

    const replay = sessionLines(session(0, { key: "feb-0", streamId: "feb-s0", requestId: "febr0", startMs: FEB }));
    const e = await ingestEventBody(db, Buffer.from(replay.join("\n")), MAX_LINE);
    expect(e.accepted).toBe(0);
    expect(e.rejected.length).toBe(replay.length);
    expect(e.rejected[0].reason).toContain("raw rows before then were dropped (RAW_RETENTION_DAYS)");

    expect(await ensureMonths(db, "jobs", [FEB])).toBe(0);
    expect(await db.query(`select to_regclass('jobs_p2026_02') as t`)).toEqual([{ t: null }]);
  });
});
