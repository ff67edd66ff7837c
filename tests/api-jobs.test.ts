// The job figures of the JSON/CSV API (orchestrators, one orchestrator's series, compare, pipelines,
// status) against a real database (PGlite, and Postgres when TEST_DATABASE_URL is set), served by the
// real server on loopback. Job data goes in through the real ingest (ingestNdjson and the joblogs
// file source); every expectation is computed independently: counts and exact fee sums from the seeded
// lines, percentiles from Postgres percentile_cont over the raw jobs rows. Job figures are for one
// pipeline and model pair (the busiest in the window unless asked), so every percentile here is
// checked against the raw jobs of that pair only: none mixes pipelines.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { weiToEth } from "../core/units";
import type { JobLine } from "../indexer/demo/job-lines";
import { ingestNdjson } from "../indexer/sources/joblogs/push";
import { startServer, type StartedServer } from "../server";
import { backends, openTestDb, type TestDb } from "./helpers/db";
import { runJobLogs, tempDir, write } from "./helpers/joblogs";
import { BIG_FEE_WEI, EVIL_URI, JOBS_ONLY, LATEST_DAY, ORCH, PIPE, seedJobs, seedNetwork, sumRange, type SeededNetwork } from "./helpers/seed";

import { parseCsv } from "./helpers/csv";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any


interface Filter {
  orch?: string;
  pipeline?: string;
  model?: string;
  from: string;
  to: string;
}

const dayOfMs = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const WINDOW = { from: "2025-03-02", to: LATEST_DAY }; // the 30 days ending at the latest indexed day

/** Counts and the exact fee sum of the seeded lines that match a filter. */
function expected(lines: JobLine[], f: Filter) {
  const m = lines.filter(
    (l) =>
      (!f.orch || l.orch_address === f.orch) &&
      (!f.pipeline || l.pipeline === f.pipeline) &&
      (!f.model || l.model_id === f.model) &&
      dayOfMs(l.timestamp) >= f.from &&
      dayOfMs(l.timestamp) <= f.to,
  );
  const fee = m.reduce((a, l) => a + BigInt(l.computed_fee ?? "0"), 0n);
  return { lines: m, jobs: m.length, successes: m.filter((l) => l.success).length, feeEth: weiToEth(fee) };
}

const BASE_KEYS = ["active", "address", "feeSharePct", "feesEth30d", "feesEthTotal", "rewardCutPct", "serviceUri", "status", "totalStake"];
const JOB_KEYS = ["expectedFeesEth", "jobs", "latencyMs", "latencySamples", "outputSeconds", "successRate", "successes"];
/** Cost per video second (tests/api-cost.test.ts checks the figures). */
const VIDEO_COST_KEYS = ["ethPerVideoSecond", "usdPerVideoSecond", "videoJobs", "videoSeconds"];
const PIPELINE_COST_KEYS = ["costJobs", "ethPerVideoSecond", "usdPerImage", "usdPerMegapixel", "usdPerVideoSecond"];
/** What the newest capabilities poll says (tests/orchestrator-pages.test.ts checks the figures). */
const ADVERTISED_KEYS = ["gpuCount", "gpus", "livePrice"];
/** Public probes (tests/leaderboard-pages.test.ts checks the figures). */
const PROBE_KEYS = ["probeCount", "probeRoundTripS", "probeRoundTripSamples", "probeScore", "probeSuccessRate"];
const T2I = { pipeline: PIPE.t2i.pipeline, model: PIPE.t2i.model };
const NO_LATENCY = { p50: null, p95: null, p99: null };

describe.each(backends())("job API on %s", (backend) => {
  let db: TestDb;
  let server: StartedServer;
  let lines: JobLine[];
  let seeded: SeededNetwork;

  const get = async (path: string) => {
    const r = await fetch(server.url + path);
    const text = await r.text();
    let body: Json = text;
    if ((r.headers.get("content-type") ?? "").includes("application/json")) body = JSON.parse(text);
    return { status: r.status, headers: r.headers, body, text };
  };

  /** Exact percentiles (Postgres percentile_cont) over the raw jobs rows that match a filter. */
  async function exact(f: Filter): Promise<{ n: number; p50: number | null; p95: number | null; p99: number | null }> {
    const params: unknown[] = [f.from, f.to];
    const where = ["success", "finished_at >= $1::date::timestamp at time zone 'UTC'", "finished_at < ($2::date + 1)::timestamp at time zone 'UTC'"];
    for (const [col, v] of [["orch_address", f.orch], ["pipeline", f.pipeline], ["model_id", f.model]] as const) {
      if (v === undefined) continue;
      params.push(v);
      where.push(`${col} = $${params.length}`);
    }
    const [r] = await db.query<{ n: number; p50: number | null; p95: number | null; p99: number | null }>(
      `select count(*)::int as n,
              percentile_cont(0.5) within group (order by duration_ms) as p50,
              percentile_cont(0.95) within group (order by duration_ms) as p95,
              percentile_cont(0.99) within group (order by duration_ms) as p99
         from jobs where ${where.join(" and ")}`,
      params,
    );
    return { n: Number(r.n), p50: r.p50 === null ? null : Number(r.p50), p95: r.p95 === null ? null : Number(r.p95), p99: r.p99 === null ? null : Number(r.p99) };
  }

  /** Shown percentiles are within 1% of the exact ones; hidden ones are null exactly below 20 / 100 samples. */
  async function expectLatency(api: { latencyMs: Json; latencySamples: number }, f: Filter) {
    const e = await exact(f);
    expect(api.latencySamples, JSON.stringify(f)).toBe(e.n);
    const shown = { p50: e.n >= 1, p95: e.n >= 20, p99: e.n >= 100 };
    for (const k of ["p50", "p95", "p99"] as const) {
      if (!shown[k]) {
        expect(api.latencyMs[k], `${k} of ${JSON.stringify(f)}`).toBeNull();
        continue;
      }
      const want = e[k] as number;
      const got = api.latencyMs[k];
      expect(typeof got).toBe("number");
      expect(Math.abs(got - want), `${k} ${got} vs exact ${want} for ${JSON.stringify(f)}`).toBeLessThanOrEqual(want * 0.01);
    }
  }

  beforeAll(async () => {
    db = await openTestDb(backend);
    seeded = await seedNetwork(db);
    lines = await seedJobs(db);
    server = await startServer({ db, port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  describe("/api/orchestrators", () => {
    it("defaults to the network's busiest pipeline and model, says so, and lists every orchestrator with that pair's figures", async () => {
      const { status, body } = await get("/api/orchestrators");
      expect(status).toBe(200);
      // text-to-image: 195 jobs in the window, against llm 120 and image-to-video 37.
      expect(body).toMatchObject({ from: WINDOW.from, to: WINDOW.to, ...T2I, choice: "busiest", requested: { pipeline: null, model: null } });
      expect(body.rows).toHaveLength(6);
      for (const r of body.rows) expect(Object.keys(r).sort()).toEqual([...BASE_KEYS, ...JOB_KEYS, ...VIDEO_COST_KEYS, ...ADVERTISED_KEYS, ...PROBE_KEYS].sort());
      const by = Object.fromEntries(body.rows.map((r: Json) => [r.address, r]));
      // Known only from logs, with no job of this pair: listed, with zeros and nulls.
      expect(by[JOBS_ONLY]).toMatchObject({ serviceUri: null, active: null, feesEth30d: "0", jobs: 0, successRate: null, latencyMs: NO_LATENCY, latencySamples: 0 });
      for (const a of [ORCH.o3, ORCH.o4, ORCH.o5]) expect(by[a]).toMatchObject({ jobs: 0, successes: 0, successRate: null, latencyMs: NO_LATENCY, latencySamples: 0, expectedFeesEth: "0" });
      for (const a of [ORCH.o1, ORCH.o2]) {
        const f = { orch: a, ...T2I, ...WINDOW };
        const e = expected(lines, f);
        expect(by[a]).toMatchObject({ jobs: e.jobs, successes: e.successes, successRate: e.successes / e.jobs, expectedFeesEth: e.feeEth });
        // The percentiles are those of this pair's raw jobs alone.
        await expectLatency(by[a], f);
      }
      expect(by[ORCH.o1].jobs).toBe(160); // not 185: its 25 image-to-video jobs are another pair
      // Realized fees keep their meaning.
      expect(by[ORCH.o1].feesEth30d).toBe(sumRange(seeded, WINDOW.from, WINDOW.to, (t) => t.recipient === ORCH.o1).eth.toFixed());
    });

    it("a pipeline alone gets its busiest model, a model alone its pipeline; pipeline=all sums every pair and gives no percentile or cost", async () => {
      const p = (await get(`/api/orchestrators?pipeline=${PIPE.i2v.pipeline}`)).body;
      expect(p).toMatchObject({ pipeline: PIPE.i2v.pipeline, model: PIPE.i2v.model, choice: "busiest", requested: { pipeline: PIPE.i2v.pipeline, model: null } });
      const m = (await get(`/api/orchestrators?model=${encodeURIComponent(PIPE.llm.model)}`)).body;
      expect(m).toMatchObject({ pipeline: "llm", model: PIPE.llm.model, choice: "busiest", requested: { pipeline: null, model: PIPE.llm.model } });
      expect(m.rows.map((r: Json) => r.address)).toEqual([JOBS_ONLY]);
      const both = (await get(`/api/orchestrators?pipeline=llm&model=${encodeURIComponent(PIPE.llm.model)}`)).body;
      expect(both).toMatchObject({ choice: "requested", requested: { pipeline: "llm", model: PIPE.llm.model } });

      const all = await get("/api/orchestrators?pipeline=all");
      expect(all.status).toBe(200);
      expect(all.body).toMatchObject({ pipeline: null, model: null, choice: "all" });
      expect(all.body.rows).toHaveLength(6);
      const by = Object.fromEntries(all.body.rows.map((r: Json) => [r.address, r]));
      for (const a of [ORCH.o1, ORCH.o2, ORCH.o4, JOBS_ONLY]) {
        const e = expected(lines, { orch: a, ...WINDOW });
        expect(by[a], a).toMatchObject({ jobs: e.jobs, successes: e.successes, successRate: e.successes / e.jobs, expectedFeesEth: e.feeEth });
      }
      expect(by[JOBS_ONLY]).toMatchObject({ jobs: 120, successes: 120, successRate: 1 });
      expect(by[JOBS_ONLY].expectedFeesEth).toBe(weiToEth(BigInt(BIG_FEE_WEI) + 119n * 92_160_000_000n)); // exact beyond 2^53 wei
      // Never a percentile or a cost over mixed pipelines.
      for (const r of all.body.rows) expect(r).toMatchObject({ latencyMs: NO_LATENCY, usdPerVideoSecond: null, ethPerVideoSecond: null });
      const csv = parseCsv((await get("/api/orchestrators?pipeline=all&format=csv")).text);
      const h = csv[0];
      for (const row of csv.slice(1)) {
        expect(row[h.indexOf("latency_p50_ms")]).toBe("");
        expect(row[h.indexOf("job_pipeline")]).toBe("all");
      }
      const bad = await get(`/api/orchestrators?pipeline=all&model=${encodeURIComponent(PIPE.llm.model)}`);
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatch(/pipeline=all/);
    });

    it("hides p95 below 20 and p99 below 100 successful jobs", async () => {
      const rowsOf = async (q: string) => Object.fromEntries((await get(`/api/orchestrators?${q}`)).body.rows.map((r: Json) => [r.address, r]));
      const t2i = await rowsOf("");
      expect(t2i[ORCH.o1].latencySamples).toBe(150);
      expect(Object.values(t2i[ORCH.o1].latencyMs).every((v) => typeof v === "number")).toBe(true);
      expect(t2i[ORCH.o2].latencySamples).toBe(30);
      expect(t2i[ORCH.o2].latencyMs.p95).not.toBeNull();
      expect(t2i[ORCH.o2].latencyMs.p99).toBeNull();
      const i2v = await rowsOf("pipeline=image-to-video");
      expect(i2v[ORCH.o4].latencySamples).toBe(12);
      expect(i2v[ORCH.o4].latencyMs.p50).not.toBeNull();
      expect(i2v[ORCH.o4].latencyMs.p95).toBeNull();
      expect(i2v[ORCH.o4].latencyMs.p99).toBeNull();
      const llm = await rowsOf("pipeline=llm");
      expect(llm[JOBS_ONLY].latencySamples).toBe(120);
      expect(llm[JOBS_ONLY].latencyMs.p99).not.toBeNull();
      // Around 100: JOBS_ONLY's 120 llm jobs spread over 7 days (103 by the 30th, 86 by the 29th).
      const upTo = async (to: string) => (await get(`/api/orchestrators?pipeline=llm&from=2025-03-25&to=${to}`)).body.rows.find((r: Json) => r.address === JOBS_ONLY);
      const d30 = await upTo("2025-03-30");
      expect(d30.latencySamples).toBe(103);
      expect(d30.latencyMs.p99).not.toBeNull();
      const d29 = await upTo("2025-03-29");
      expect(d29.latencySamples).toBe(86);
      expect(d29.latencyMs.p95).not.toBeNull();
      expect(d29.latencyMs.p99).toBeNull();
      await expectLatency(d29, { orch: JOBS_ONLY, pipeline: "llm", from: "2025-03-25", to: "2025-03-29" });
    });

    it("filters by pipeline and model: only orchestrators with matching jobs, figures of those jobs only", async () => {
      const t2i = (await get(`/api/orchestrators?pipeline=${PIPE.t2i.pipeline}`)).body;
      expect(t2i.pipeline).toBe(PIPE.t2i.pipeline);
      expect(t2i.rows.map((r: Json) => r.address).sort()).toEqual([ORCH.o1, ORCH.o2].sort());
      for (const r of t2i.rows) {
        const f = { orch: r.address, pipeline: PIPE.t2i.pipeline, ...WINDOW };
        const e = expected(lines, f);
        expect(r).toMatchObject({ jobs: e.jobs, successes: e.successes, expectedFeesEth: e.feeEth });
        await expectLatency(r, f);
      }
      const o1 = t2i.rows.find((r: Json) => r.address === ORCH.o1);
      expect(o1).toMatchObject({ jobs: 160, successes: 150, successRate: 150 / 160 });

      const model = (await get(`/api/orchestrators?model=${encodeURIComponent(PIPE.i2v.model)}`)).body;
      expect(model.rows.map((r: Json) => r.address).sort()).toEqual([ORCH.o1, ORCH.o4].sort());
      const o1v = model.rows.find((r: Json) => r.address === ORCH.o1);
      expect(o1v.latencySamples).toBe(25);
      expect(o1v.latencyMs.p95).not.toBeNull();
      expect(o1v.latencyMs.p99).toBeNull();
      await expectLatency(o1v, { orch: ORCH.o1, model: PIPE.i2v.model, ...WINDOW });

      const both = (await get(`/api/orchestrators?pipeline=llm&model=${encodeURIComponent(PIPE.llm.model)}`)).body;
      expect(both.rows.map((r: Json) => r.address)).toEqual([JOBS_ONLY]);
      const none = (await get(`/api/orchestrators?pipeline=llm&model=${encodeURIComponent(PIPE.t2i.model)}`)).body;
      expect(none.rows).toEqual([]);

      // An explicit range reaches the February jobs.
      const feb = (await get(`/api/orchestrators?from=2025-02-01&to=2025-03-31&pipeline=text-to-image`)).body;
      expect(feb.rows.find((r: Json) => r.address === ORCH.o1).jobs).toBe(165);
    });

    it("sorts by the job columns, nulls last, and the fee columns still sort exactly", async () => {
      const p50 = (await get("/api/orchestrators?sort=latencyP50")).body;
      expect(p50.dir).toBe("asc");
      const vals = p50.rows.map((r: Json) => r.latencyMs.p50);
      const shown = vals.filter((v: number | null) => v !== null);
      expect(shown).toHaveLength(2);
      expect(shown).toEqual([...shown].sort((a, b) => a - b));
      expect(vals.slice(shown.length).every((v: number | null) => v === null)).toBe(true);
      expect(p50.rows[0].address).toBe(ORCH.o1); // 800..3200 ms against o2's 1500..4500 ms
      const jobs = (await get("/api/orchestrators?sort=jobs&dir=desc")).body.rows.map((r: Json) => r.jobs);
      expect(jobs).toEqual([...jobs].sort((a, b) => b - a));
      const p95 = (await get("/api/orchestrators?sort=latencyP95&dir=desc")).body.rows.map((r: Json) => r.latencyMs.p95);
      expect(p95.slice(0, 2).every((v: number | null) => v !== null)).toBe(true);
      expect(p95[0]).toBeGreaterThan(p95[1]);
      expect(p95.slice(2).every((v: number | null) => v === null)).toBe(true);
      const exp = (await get("/api/orchestrators?sort=expectedFeesEth&pipeline=all")).body.rows.map((r: Json) => r.address);
      expect(exp[0]).toBe(JOBS_ONLY); // 9.007... ETH of expected fees, the most by far
    });

    it.each([
      ["pipeline=Image%20to%20video", /malformed pipeline/],
      ["sort=latencyP42", /sort/],
      ["from=2025-03-10&to=2025-03-01", /reversed/],
      ["model=<300 characters>", /malformed model/],
    ])("/api/orchestrators?%s -> 400", async (q, reason) => {
      const { status, body } = await get(`/api/orchestrators?${q.replace("<300 characters>", "x".repeat(300))}`);
      expect(status).toBe(400);
      expect(body.error).toMatch(reason);
    });
  });

  describe("/api/orchestrators/<address>", () => {
    it("day series: one point per day with jobs, success rate, latency, expected and realized fees, for its busiest pair", async () => {
      const from = "2025-03-24";
      const to = LATEST_DAY;
      const { status, body } = await get(`/api/orchestrators/${ORCH.o1}?from=${from}&to=${to}`);
      expect(status).toBe(200);
      // o1's busiest: 160 text-to-image jobs against 25 image-to-video.
      expect(body).toMatchObject({ address: ORCH.o1, interval: "day", from, to, ...T2I, choice: "busiest", requested: { pipeline: null, model: null } });
      expect(body.series).toHaveLength(8);
      for (const p of body.series) {
        expect(Object.keys(p)).toEqual(
          expect.arrayContaining(["period", "jobs", "successRate", "latencyMs", "latencySamples", "expectedFeesEth", "realizedFeesEth", "volumeEth", "tickets"]),
        );
        const e = expected(lines, { orch: ORCH.o1, ...T2I, from: p.period, to: p.period });
        expect(p.jobs, p.period).toBe(e.jobs);
        expect(p.successRate, p.period).toBe(e.jobs ? e.successes / e.jobs : null);
        expect(p.expectedFeesEth, p.period).toBe(e.feeEth);
        expect(p.realizedFeesEth).toBe(sumRange(seeded, p.period, p.period, (t) => t.recipient === ORCH.o1).eth.toFixed());
        expect(p.realizedFeesEth).toBe(p.volumeEth);
        await expectLatency(p, { orch: ORCH.o1, ...T2I, from: p.period, to: p.period });
      }
      expect(body.series[0]).toMatchObject({ period: "2025-03-24", jobs: 0, successRate: null, latencySamples: 0 });
      await expectLatency(body.jobs, { orch: ORCH.o1, ...T2I, from, to });
      await expectLatency(body.network, { ...T2I, from, to });
      expect(body.jobs.jobs).toBe(160);
      expect(body.network.jobs).toBe(195);
      expect(body.errors).toEqual([
        { errorType: "timeout", jobs: 6 },
        { errorType: "oom", jobs: 4 },
      ]);
      expect(body.totals.volumeEth).toBe(sumRange(seeded, from, to, (t) => t.recipient === ORCH.o1).eth.toFixed());
      const o2 = (await get(`/api/orchestrators/${ORCH.o2}?from=${from}&to=${to}`)).body;
      expect(o2.errors).toEqual([
        { errorType: "timeout", jobs: 3 },
        { errorType: "unknown", jobs: 2 },
      ]);
    });

    it("hour series: 24 points a day, realized fees null, the same jobs as the day series", async () => {
      const from = "2025-03-30";
      const to = LATEST_DAY;
      const { status, body } = await get(`/api/orchestrators/${ORCH.o1}?from=${from}&to=${to}&interval=hour`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ interval: "hour", ...T2I, choice: "busiest" });
      expect(body.series).toHaveLength(48);
      expect(body.series[0].period).toBe("2025-03-30T00:00:00.000Z");
      expect(body.series[47].period).toBe("2025-03-31T23:00:00.000Z");
      const e = expected(lines, { orch: ORCH.o1, ...T2I, from, to });
      const perHour = new Map<string, number>();
      for (const l of e.lines) {
        const h = new Date(Math.floor(l.timestamp / 3_600_000) * 3_600_000).toISOString();
        perHour.set(h, (perHour.get(h) ?? 0) + 1);
      }
      for (const p of body.series) {
        expect(p.jobs, p.period).toBe(perHour.get(p.period) ?? 0);
        expect(p.realizedFeesEth).toBeNull();
        expect(p.volumeEth).toBeNull();
        if (p.latencySamples < 20) expect(p.latencyMs.p95).toBeNull();
      }
      const day = (await get(`/api/orchestrators/${ORCH.o1}?from=${from}&to=${to}`)).body;
      expect(body.series.reduce((a: number, p: Json) => a + p.jobs, 0)).toBe(day.series.reduce((a: number, p: Json) => a + p.jobs, 0));
      expect(body.jobs).toEqual(day.jobs);
      // An hour with successful jobs: its p50 is within 1% of the exact one.
      const busy = body.series.find((p: Json) => p.latencySamples > 0);
      const h0 = Date.parse(busy.period);
      const inHour = e.lines.filter((l) => l.success && l.timestamp >= h0 && l.timestamp < h0 + 3_600_000).map((l) => l.duration_ms).sort((a, b) => a - b);
      const rank = (inHour.length - 1) * 0.5;
      const med = inHour[Math.floor(rank)] + (rank % 1) * ((inHour[Math.ceil(rank)] ?? 0) - inHour[Math.floor(rank)]);
      expect(Math.abs(busy.latencyMs.p50 - med)).toBeLessThanOrEqual(med * 0.01);
      // Default hourly range: the last 7 days.
      const def = (await get(`/api/orchestrators/${ORCH.o1}?interval=hour`)).body;
      expect(def).toMatchObject({ from: "2025-03-25", to: LATEST_DAY });
      expect(def.series).toHaveLength(7 * 24);
    });

    it("pipeline=all: jobs, errors and fees of every pair, with no percentile and no cost", async () => {
      const q = `from=2025-03-24&to=${LATEST_DAY}`;
      const { status, body } = await get(`/api/orchestrators/${ORCH.o1}?${q}&pipeline=all`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ pipeline: null, model: null, choice: "all" });
      expect(body.jobs).toMatchObject({ jobs: 185, latencyMs: NO_LATENCY });
      expect(body.network).toMatchObject({ jobs: expected(lines, { from: "2025-03-24", to: LATEST_DAY }).jobs, latencyMs: NO_LATENCY });
      for (const p of body.series) expect(p.latencyMs).toEqual(NO_LATENCY);
      expect(body.cost).toMatchObject({ usdPerVideoSecond: null, network: { usdPerVideoSecond: null } });
      expect(body.errors).toEqual([
        { errorType: "timeout", jobs: 6 },
        { errorType: "oom", jobs: 4 },
      ]);
      // An orchestrator's default is its own busiest pair: o4 only ran image-to-video.
      const o4 = (await get(`/api/orchestrators/${ORCH.o4}?${q}`)).body;
      expect(o4).toMatchObject({ pipeline: PIPE.i2v.pipeline, model: PIPE.i2v.model, choice: "busiest" });
      await expectLatency(o4.network, { pipeline: PIPE.i2v.pipeline, model: PIPE.i2v.model, from: "2025-03-24", to: LATEST_DAY });
    });

    it("filters the job figures by pipeline and model, never the realized fees", async () => {
      const q = `from=2025-03-25&to=${LATEST_DAY}&pipeline=image-to-video&model=${encodeURIComponent(PIPE.i2v.model)}`;
      const { body } = await get(`/api/orchestrators/${ORCH.o1}?${q}`);
      expect(body).toMatchObject({ pipeline: "image-to-video", model: PIPE.i2v.model });
      expect(body.jobs).toMatchObject({ jobs: 25, successes: 25, outputSeconds: "100" });
      await expectLatency(body.jobs, { orch: ORCH.o1, pipeline: "image-to-video", from: "2025-03-25", to: LATEST_DAY });
      await expectLatency(body.network, { pipeline: "image-to-video", model: PIPE.i2v.model, from: "2025-03-25", to: LATEST_DAY });
      expect(body.network.jobs).toBe(37);
      expect(body.errors).toEqual([]);
      expect(body.totals.volumeEth).toBe(sumRange(seeded, "2025-03-25", LATEST_DAY, (t) => t.recipient === ORCH.o1).eth.toFixed());
    });

    it("an orchestrator known only from logs has a page; unknown 404; bad interval or a long hourly range 400", async () => {
      const only = await get(`/api/orchestrators/${JOBS_ONLY}`);
      expect(only.status).toBe(200);
      expect(only.body).toMatchObject({ address: JOBS_ONLY, serviceUri: null, active: null, feesEth30d: "0" });
      expect(only.body.jobs.jobs).toBe(120);
      expect((await get(`/api/orchestrators/0x${"99".repeat(20)}`)).status).toBe(404);
      const long = await get(`/api/orchestrators/${ORCH.o1}?interval=hour&from=2025-03-01&to=2025-03-15`);
      expect(long.status).toBe(400);
      expect(long.body.error).toMatch(/at most 14 days/);
      expect((await get(`/api/orchestrators/${ORCH.o1}?interval=hour&from=2025-03-02&to=2025-03-15`)).status).toBe(200);
      const bad = await get(`/api/orchestrators/${ORCH.o1}?interval=minute`);
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatch(/interval/);
      // The page says the same in a friendly error.
      const page = await fetch(`${server.url}/orchestrators/${ORCH.o1}?interval=hour&from=2025-01-01&to=2025-03-31`);
      expect(page.status).toBe(400);
      expect(await page.text()).toMatch(/at most 14 days/);
    });
  });

  describe("/api/compare and /compare", () => {
    it("2 to 4 orchestrators side by side, with a series each", async () => {
      const q = `address=${ORCH.o2}&address=${JOBS_ONLY}&address=${ORCH.o1}&from=2025-03-25&to=${LATEST_DAY}`;
      const { status, body } = await get(`/api/compare?${q}`);
      expect(status).toBe(200);
      expect(body.orchestrators.map((o: Json) => o.address)).toEqual([ORCH.o2, JOBS_ONLY, ORCH.o1]);
      // The busiest pair of the three together: text-to-image (195 jobs) over llm (120).
      expect(body).toMatchObject({ ...T2I, choice: "busiest", requested: { pipeline: null, model: null } });
      await expectLatency(body.network, { ...T2I, from: "2025-03-25", to: LATEST_DAY });
      for (const o of body.orchestrators) {
        const f = { orch: o.address, ...T2I, from: "2025-03-25", to: LATEST_DAY };
        const e = expected(lines, f);
        expect(o).toMatchObject({ jobs: e.jobs, successes: e.successes, expectedFeesEth: e.feeEth });
        expect(o.realizedFeesEth).toBe(sumRange(seeded, f.from, f.to, (t) => t.recipient === o.address).eth.toFixed());
        expect(o.series).toHaveLength(7);
        expect(o.series.reduce((a: number, p: Json) => a + p.jobs, 0)).toBe(e.jobs);
        await expectLatency(o, f);
      }
      expect(body.orchestrators.find((o: Json) => o.address === JOBS_ONLY)).toMatchObject({ jobs: 0, latencyMs: NO_LATENCY });
      const llm = (await get(`/api/compare?address=${JOBS_ONLY}&address=${ORCH.o4}&from=2025-03-25&to=${LATEST_DAY}`)).body;
      expect(llm).toMatchObject({ pipeline: "llm", model: PIPE.llm.model, choice: "busiest" }); // 120 llm against 12 image-to-video
      const all = (await get(`/api/compare?${q}&pipeline=all`)).body;
      expect(all.orchestrators.map((o: Json) => o.jobs)).toEqual([35, 120, 185]);
      for (const o of all.orchestrators) {
        expect(o.latencyMs).toEqual(NO_LATENCY);
        for (const p of o.series) expect(p.latencyMs).toEqual(NO_LATENCY);
      }
      expect(all.network.latencyMs).toEqual(NO_LATENCY);
      const hourly = (await get(`/api/compare?address=${ORCH.o1}&address=${ORCH.o2}&interval=hour&from=2025-03-31&to=2025-03-31`)).body;
      expect(hourly.orchestrators[0].series).toHaveLength(24);
      const page = await fetch(`${server.url}/compare?${q}`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain("Side by side");
      expect(html).not.toContain("<script>alert(1)</script>");
      expect(html).toContain(EVIL_URI.replace(/</g, "&lt;").replace(/>/g, "&gt;"));
    });

    it.each([
      [`address=${ORCH.o1}`, 400, /2 to 4/],
      [Object.values(ORCH).map((a) => `address=${a}`).join("&"), 400, /2 to 4/],
      [`address=${ORCH.o1}&address=${ORCH.o1.toUpperCase().replace("0X", "0x")}`, 400, /2 to 4/],
      [`address=${ORCH.o1}&address=0x1234`, 400, /malformed address/],
      ["", 400, /2 to 4/],
      [`address=${ORCH.o1}&address=0x${"99".repeat(20)}`, 404, /unknown orchestrator/],
      [`address=${ORCH.o1}&address=${ORCH.o2}&interval=hour&from=2025-03-01&to=2025-03-31`, 400, /at most 14 days/],
    ])("?%s -> %i", async (q, code, reason) => {
      const api = await get(`/api/compare?${q}`);
      expect(api.status).toBe(code);
      expect(api.body.error).toMatch(reason);
      const page = await fetch(`${server.url}/compare?${q}`);
      expect(page.status).toBe(code);
      expect(await page.text()).toMatch(reason);
    });
  });

  describe("/api/pipelines", () => {
    it("one row per pipeline and model: jobs, success rate, latency, exact expected fees and output seconds", async () => {
      const range = { from: "2025-01-01", to: LATEST_DAY };
      const { status, body } = await get(`/api/pipelines`);
      expect(status).toBe(200);
      expect(body).toMatchObject(range);
      expect(body.rows.map((r: Json) => [r.pipeline, r.modelId])).toEqual([
        [PIPE.i2v.pipeline, PIPE.i2v.model],
        [PIPE.llm.pipeline, PIPE.llm.model],
        [PIPE.t2i.pipeline, PIPE.t2i.model],
      ]);
      for (const r of body.rows) {
        expect(Object.keys(r).sort()).toEqual(["modelId", "pipeline", ...JOB_KEYS, ...PIPELINE_COST_KEYS].sort());
        const f = { pipeline: r.pipeline, model: r.modelId, ...range };
        const e = expected(lines, f);
        expect(r).toMatchObject({ jobs: e.jobs, successes: e.successes, expectedFeesEth: e.feeEth });
        await expectLatency(r, f);
      }
      const by = Object.fromEntries(body.rows.map((r: Json) => [r.pipeline, r]));
      expect(by["image-to-video"].outputSeconds).toBe("142.857136"); // 25 x 4 + 12 x 3.571428
      expect(by["text-to-image"]).toMatchObject({ jobs: 200, successes: 185, outputSeconds: "0" });
      expect(by.llm.expectedFeesEth).toBe(weiToEth(BigInt(BIG_FEE_WEI) + 119n * 92_160_000_000n));
      expect(body.totals.jobs).toBe(lines.length);
      // Totals cover every pipeline: no percentile there (it would mix scales), but the sample count.
      expect(body.totals.latencyMs).toEqual({ p50: null, p95: null, p99: null });
      expect(body.totals.latencySamples).toBe((await exact(range)).n);
      // The page shows percentiles per pipeline and model only, never over every pipeline.
      const page = await (await fetch(`${server.url}/pipelines`)).text();
      expect(page).not.toMatch(/All pipelines:/);
      expect(page).toContain("never over all pipelines");
      const march = (await get(`/api/pipelines?from=2025-03-01&to=${LATEST_DAY}`)).body;
      expect(march.rows.find((r: Json) => r.pipeline === "text-to-image").jobs).toBe(195);
      expect((await get(`/api/pipelines?from=2025-04-01&to=2025-03-01`)).status).toBe(400);
    });
  });

  describe("CSV", () => {
    it("orchestrators, pipelines, an hourly orchestrator series and compare parse back to the JSON", async () => {
      const o = await get(`/api/orchestrators?format=csv&pipeline=text-to-image&sort=address`);
      expect(o.headers.get("content-disposition")).toMatch(/filename="observatory-orchestrators-fees30d-2025-03-02_2025-03-31-text-to-image\.csv"/);
      const [oh, ...orows] = parseCsv(o.text);
      const JOB_COLS = ["jobs", "successes", "success_rate", "latency_p50_ms", "latency_p95_ms", "latency_p99_ms", "latency_samples", "expected_fees_eth",
        "video_jobs", "video_seconds", "eth_per_video_second", "usd_per_video_second"];
      // The columns of before, in their order, then the new ones: the pair, GPUs and the live video price, then the public probes.
      expect(oh.slice(9, 21)).toEqual(JOB_COLS);
      expect(oh.slice(21, 28)).toEqual(["job_pipeline", "job_model", "gpus", "gpu_count", "live_model", "live_wei_per_pixel", "live_usd_per_video_hour"]);
      expect(oh.slice(28)).toEqual(["probe_pipeline", "probe_model", "probes", "probe_success_rate", "probe_score", "probe_round_trip_p50_s", "probe_round_trip_p95_s",
        "probe_round_trip_p99_s", "probe_round_trip_samples"]);
      const oj = (await get(`/api/orchestrators?pipeline=text-to-image&sort=address`)).body.rows;
      expect(orows.map((r) => r[0])).toEqual(oj.map((r: Json) => r.address));
      orows.forEach((r, i) => {
        const j = oj[i];
        expect(r.slice(9, 23)).toEqual(
          [j.jobs, j.successes, j.successRate, j.latencyMs.p50, j.latencyMs.p95, j.latencyMs.p99, j.latencySamples, j.expectedFeesEth,
            j.videoJobs, j.videoSeconds, j.ethPerVideoSecond, j.usdPerVideoSecond, T2I.pipeline, T2I.model].map((v) => (v === null ? "" : String(v))),
        );
      });

      const p = await get(`/api/pipelines?format=csv&from=2025-03-01&to=2025-03-31`);
      expect(p.headers.get("content-disposition")).toMatch(/filename="observatory-pipelines-2025-03-01_2025-03-31\.csv"/);
      const [ph, ...prows] = parseCsv(p.text);
      expect(ph.slice(0, 3)).toEqual(["pipeline", "model_id", "jobs"]);
      expect(ph.slice(-6)).toEqual(["output_seconds", "cost_jobs", "usd_per_video_second", "eth_per_video_second", "usd_per_image", "usd_per_megapixel"]);
      expect(prows.find((r) => r[0] === "llm")![ph.indexOf("expected_fees_eth")]).toBe(weiToEth(BigInt(BIG_FEE_WEI) + 119n * 92_160_000_000n));

      const h = await get(`/api/orchestrators/${ORCH.o1}?format=csv&interval=hour&from=2025-03-31&to=2025-03-31`);
      expect(h.headers.get("content-disposition")).toMatch(new RegExp(`orchestrator-${ORCH.o1}-2025-03-31_2025-03-31-hourly\\.csv`));
      const [hh, ...hrows] = parseCsv(h.text);
      expect(hrows).toHaveLength(24);
      expect(hrows.every((r) => r[hh.indexOf("volume_eth")] === "")).toBe(true);
      expect(hrows.reduce((a, r) => a + Number(r[hh.indexOf("jobs")]), 0)).toBe(expected(lines, { orch: ORCH.o1, ...T2I, from: "2025-03-31", to: "2025-03-31" }).jobs);

      const c = await get(`/api/compare?format=csv&address=${ORCH.o1}&address=${ORCH.o2}`);
      const [ch, ...crows] = parseCsv(c.text);
      expect(ch[0]).toBe("address");
      expect(crows.map((r) => r[0])).toEqual([ORCH.o1, ORCH.o2]);
    });
  });

  // Last: these push more lines (dated 2024, outside every range above).
  describe("/api/status job log sources", () => {
    it("counts lines read, accepted, duplicates and rejected per source, and lists the latest rejects with file, offset and reason", async () => {
      const day = Date.UTC(2024, 5, 1, 12);
      const job = (i: number, over: Record<string, unknown> = {}) =>
        JSON.stringify({ request_id: `status-${i}`, gateway: ORCH.o5, timestamp: day + i, pipeline: "upscale", model_id: "m", orch_address: ORCH.o5, success: true, duration_ms: 10 + i, ...over });
      const evil = `{"request_id": "<script>alert(1)</script>", "oops"`;
      const body = [job(1), job(2), job(1), evil, job(3, { success: "yes" }), job(4)].join("\n");
      expect(await ingestNdjson(db, body, { maxLineBytes: 1 << 20 })).toEqual({
        accepted: 3,
        duplicates: 1,
        rejected: [
          { line: 4, reason: "invalid JSON" },
          { line: 5, reason: expect.stringMatching(/success/) },
        ],
      });

      const dir = tempDir();
      try {
        const file = write(dir, "gateway-a.jsonl", [job(10), "not json at all", job(11), ""].join("\n"));
        await runJobLogs(db, dir);
        const { status, body: s } = await get("/api/status");
        expect(status).toBe(200);
        const by = Object.fromEntries(s.sources.map((x: Json) => [x.name, x]));
        const push = by["joblogs-push"];
        // The seed push (every job line) plus this one.
        expect(push).toMatchObject({ linesRead: lines.length + 6, accepted: lines.length + 3, duplicates: 1, rejected: 2 });
        expect(push.linesRead).toBe(push.accepted + push.duplicates + push.rejected);
        const files = by.joblogs;
        expect(files).toMatchObject({ linesRead: 3, accepted: 2, duplicates: 0, rejected: 1 });
        expect(files.linesRead).toBe(files.accepted + files.duplicates + files.rejected);
        expect(by.subgraph).toMatchObject({ linesRead: null, accepted: null, duplicates: null, rejected: null });

        expect(s.rejects).toHaveLength(3);
        const fromFile = s.rejects.find((r: Json) => r.source === "file");
        expect(fromFile).toMatchObject({ file: expect.stringContaining("gateway-a.jsonl"), byteOffset: Buffer.byteLength(job(10)) + 1, lineNumber: 2, reason: "invalid JSON" });
        expect(fs.existsSync(file)).toBe(true);
        const pushed = s.rejects.filter((r: Json) => r.source === "http");
        expect(pushed.map((r: Json) => r.lineNumber).sort()).toEqual([4, 5]);
        const script = pushed.find((r: Json) => r.lineNumber === 4);
        expect(script).toMatchObject({ file: null, byteOffset: [job(1), job(2), job(1)].join("\n").length + 1, reason: "invalid JSON" });
        expect(script.excerpt).toContain("<script>");

        // The status page shows the counters and the rejects as text.
        const html = await (await fetch(`${server.url}/status`)).text();
        expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
        expect(html).not.toContain("<script>alert(1)</script>");
        expect(html).toContain("gateway-a.jsonl");

        const csv = await get("/api/status?format=csv&table=rejects");
        const [header, ...rows] = parseCsv(csv.text);
        expect(header).toEqual(["received_at", "source", "file", "byte_offset", "line_number", "reason", "excerpt"]);
        expect(rows).toHaveLength(3);
        const sources = parseCsv((await get("/api/status?format=csv")).text);
        expect(sources[0].slice(-4)).toEqual(["lines_read", "accepted", "duplicates", "rejected"]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
