// Public probes on the orchestrator pages, the orchestrators table, the compare page and the status
// page, through the real server on PGlite and (with TEST_DATABASE_URL) Postgres. The seeded network
// and job logs (tests/helpers/seed.ts, March 2025) plus probes polled from the stand-in leaderboard
// API over the same weeks. Every expected figure is computed here from the stand-in's own rows
// (allRows: what the API holds), with this file's own arithmetic for the official score (mean
// success and mean round trip per region, percentile_cont median of successful non-zero round trips
// over every orchestrator, 0.65 s + 0.35 x 0.8^(avg/median), mean over regions), never read back
// from the database. Failures recorded by the source show on /status as text.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadIndexerConfig } from "../indexer/config";
import { allRows, DEFAULT_PAIRS, type ProbeSchedule, type StoredProbe } from "../indexer/demo/leaderboard-probes";
import { startLeaderboardStandIn, type LeaderboardStandIn } from "../indexer/demo/leaderboard-server";
import { pollLeaderboard } from "../indexer/sources/leaderboard/poll";
import { startServer, type StartedServer } from "../server";
import { parseCsv } from "./helpers/csv";
import { backends, openTestDb, type TestDb } from "./helpers/db";
import { ORCH, PIPE, seedJobs, seedNetwork } from "./helpers/seed";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const unix = (iso: string) => Date.parse(iso) / 1000;
const NOW_S = unix("2025-04-01T00:00:00Z");
/** o1 and o2 are probed; o5 (active, polled) fails; o4 (no Transcoder row) is never polled. */
const SCHEDULE: ProbeSchedule = {
  seed: 11,
  orchestrators: [ORCH.o1, ORCH.o2],
  regions: ["MDW", "FRA", "SIN"],
  pairs: [DEFAULT_PAIRS[0], DEFAULT_PAIRS[8]],
  fromS: unix("2025-03-18T00:00:00Z"),
  toS: unix("2025-03-31T20:00:00Z"),
  everyS: 7200,
};
/** The tester's pipeline names as slugs (written out here, not taken from the product's slugger). */
const SLUG: Record<string, string> = { "Text to image": "text-to-image", Llm: "llm" };
const EVIL = `<script>alert("probe")</script>`;
const WINDOW = { from: "2025-03-02", to: "2025-03-31" }; // the table's default job range (30 days ending at the seed's latest day)

interface Probe {
  orchestrator: string;
  region: string;
  pipeline: string;
  model: string;
  at: number;
  success: number;
  rtt: number;
}

/** What the API holds: every row the stand-in serves, as plain records. */
const PROBES: Probe[] = [...allRows(SCHEDULE, 0, NOW_S)].map((r: StoredProbe) => ({
  orchestrator: r.payload.orchestrator,
  region: r.region,
  pipeline: SLUG[r.payload.pipeline!],
  model: r.payload.model!,
  at: r.payload.timestamp,
  success: r.payload.success_rate,
  rtt: r.payload.round_trip_time,
}));

/** percentile_cont(q): linear between the order statistics around rank (n - 1) q. */
function percentileCont(values: number[], q: number): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const rank = (s.length - 1) * q;
  const lo = Math.floor(rank);
  return lo === rank ? s[lo] : s[lo] + (rank - lo) * (s[lo + 1] - s[lo]);
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const isOk = (p: Probe) => p.success === 1 && p.rtt !== 0;

interface Expected {
  probes: number;
  successRate: number;
  score: number;
  ok: number[];
  byRegion: Map<string, { probes: number; successRate: number; score: number; ok: number[] }>;
}

/** The official figures of each orchestrator over the probes of one pair in [from, to] (unix seconds, inclusive). */
function expected(pair: { pipeline: string; model: string }, fromS: number, toS: number): Map<string, Expected> {
  const rows = PROBES.filter((p) => p.pipeline === pair.pipeline && p.model === pair.model && p.at >= fromS && p.at <= toS);
  const median = percentileCont(rows.filter(isOk).map((p) => p.rtt), 0.5)!;
  const out = new Map<string, Expected>();
  for (const o of new Set(rows.map((p) => p.orchestrator))) {
    const mine = rows.filter((p) => p.orchestrator === o);
    const byRegion = new Map<string, { probes: number; successRate: number; score: number; ok: number[] }>();
    for (const region of [...new Set(mine.map((p) => p.region))].sort()) {
      const rr = mine.filter((p) => p.region === region);
      const s = mean(rr.map((p) => p.success));
      const avg = mean(rr.map((p) => p.rtt));
      const score = s === 0 ? 0 : 0.65 * s + 0.35 * Math.pow(0.8, avg / median);
      byRegion.set(region, { probes: rr.length, successRate: s, score, ok: rr.filter(isOk).map((p) => p.rtt) });
    }
    const regions = [...byRegion.values()];
    out.set(o, {
      probes: mine.length,
      successRate: mean(regions.map((r) => r.successRate)),
      score: mean(regions.map((r) => r.score)),
      ok: mine.filter(isOk).map((p) => p.rtt),
      byRegion,
    });
  }
  return out;
}

/** Pairs by probes (most first; ties by pipeline, then model) among these orchestrators' probes in the window. */
function busiest(orchestrators: string[] | null, fromS: number, toS: number): { pipeline: string; model: string } {
  const n = new Map<string, number>();
  for (const p of PROBES)
    if (p.at >= fromS && p.at <= toS && (!orchestrators || orchestrators.includes(p.orchestrator))) n.set(`${p.pipeline}\u0000${p.model}`, (n.get(`${p.pipeline}\u0000${p.model}`) ?? 0) + 1);
  const [top] = [...n].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const [pipeline, model] = top[0].split("\u0000");
  return { pipeline, model };
}

const close = (got: number | null, want: number, tol = 1e-9) => {
  expect(got).not.toBeNull();
  expect(Math.abs(got! - want)).toBeLessThan(tol);
};
/** A round-trip percentile from the 1% histograms (whole ms, shown to the ms) against percentile_cont. */
const closeRtt = (got: number | null, want: number) => {
  expect(got).not.toBeNull();
  expect(Math.abs(got! - want)).toBeLessThanOrEqual(want * 0.01 + 0.002);
};

describe.each(backends())("probe figures on the orchestrator pages and /status on %s", (backend) => {
  let db: TestDb;
  let api: LeaderboardStandIn;
  let server: StartedServer;
  let clock = NOW_S;
  const get = async (path: string) => {
    const r = await fetch(server.url + path);
    const text = await r.text();
    const json = (r.headers.get("content-type") ?? "").includes("application/json") ? JSON.parse(text) : null;
    return { status: r.status, text, json };
  };
  const poll = () =>
    pollLeaderboard(db, loadIndexerConfig({ LEADERBOARD_URL: api.url, LEADERBOARD_BACKFILL_DAYS: "20", SUBGRAPH_MAX_RETRIES: "0" }).leaderboard!, {
      log: () => {},
      nowS: clock,
      sleep: async () => {},
    });
  const fromS = unix(`${WINDOW.from}T00:00:00Z`);
  const toS = unix(`${WINDOW.to}T23:59:59Z`);

  beforeAll(async () => {
    db = await openTestDb(backend);
    await seedNetwork(db);
    await seedJobs(db);
    api = await startLeaderboardStandIn({ schedule: SCHEDULE, now: () => clock });
    // o5 is polled (an active Transcoder) and its queries fail with a body quoting markup.
    api.fault = (url) => (url.pathname === "/api/raw_stats" && url.searchParams.get("orchestrator") === ORCH.o5 ? { status: 500, body: `{"error":"${EVIL}"}` } : null);
    const first = await poll();
    expect(first.failures.map((f) => f.what)).toEqual([ORCH.o5]);
    expect(first.stored).toBe(PROBES.length);
    server = await startServer({ db, port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => {
    await server?.close();
    await api?.close();
    await db?.close();
  });

  it("the orchestrators table and its API carry probe columns for the network's most probed pair, as the official score", async () => {
    const pair = busiest(null, fromS, toS);
    const want = expected(pair, fromS, toS);
    const { status, json } = await get("/api/orchestrators?sort=address");
    expect(status).toBe(200);
    expect(json.from).toBe(WINDOW.from);
    expect(json.probes).toEqual({ ...pair, choice: "busiest", window: { from: `${WINDOW.from}T00:00:00.000Z`, to: `${WINDOW.to}T23:59:59.000Z` } });
    expect(want.get(ORCH.o1)!.probes).toBeGreaterThan(0);
    for (const r of json.rows) {
      // Every field of before is still there.
      for (const k of ["address", "feesEth30d", "jobs", "successRate", "latencyMs", "gpus", "livePrice"]) expect(r, k).toHaveProperty(k);
      const w = want.get(r.address);
      if (!w) {
        expect(r).toMatchObject({ probeCount: 0, probeSuccessRate: null, probeScore: null, probeRoundTripSamples: 0, probeRoundTripS: { p50: null, p95: null, p99: null } });
        continue;
      }
      expect(r.probeCount).toBe(w.probes);
      expect(r.probeRoundTripSamples).toBe(w.ok.length);
      close(r.probeScore, w.score);
      close(r.probeSuccessRate, w.successRate);
      closeRtt(r.probeRoundTripS.p95, percentileCont(w.ok, 0.95)!);
      closeRtt(r.probeRoundTripS.p50, percentileCont(w.ok, 0.5)!);
    }
    // Sorted by score, best first, orchestrators without probes last.
    const sorted = (await get("/api/orchestrators?sort=probeScore")).json.rows;
    const scores = sorted.map((r: Json) => r.probeScore);
    const known = scores.filter((s: number | null) => s !== null);
    expect(known).toEqual([...known].sort((a: number, b: number) => b - a));
    expect(scores.slice(known.length).every((s: number | null) => s === null)).toBe(true);
    // The CSV holds the same figures.
    const [h, ...rows] = parseCsv((await get("/api/orchestrators?sort=address&format=csv")).text);
    const o1 = rows.find((r) => r[0] === ORCH.o1)!;
    expect(o1[h.indexOf("probe_score")]).toBe(String(json.rows.find((r: Json) => r.address === ORCH.o1).probeScore));
    expect(o1[h.indexOf("probe_pipeline")]).toBe(pair.pipeline);
    // The page: the group names the pair, o1's score x100 is in its row.
    const page = await get("/orchestrators");
    expect(page.status).toBe(200);
    expect(page.text).toContain(`Probes: ${pair.pipeline} ${pair.model}`);
    expect(page.text).toContain("the most probed pair in the range");
    const row = page.text.slice(page.text.indexOf(`title="${ORCH.o1}"`));
    expect(row.slice(0, row.indexOf("</tr>"))).toContain(`>${(want.get(ORCH.o1)!.score * 100).toFixed(2)}<`);
  });

  it("a requested pipeline and model drive the probe columns when it is probed", async () => {
    const pair = { pipeline: PIPE.t2i.pipeline, model: PIPE.t2i.model };
    const want = expected(pair, fromS, toS);
    const { json } = await get(`/api/orchestrators?${new URLSearchParams(pair)}`);
    expect(json.probes).toMatchObject({ ...pair, choice: "requested" });
    const o1 = json.rows.find((r: Json) => r.address === ORCH.o1);
    close(o1.probeScore, want.get(ORCH.o1)!.score);
    expect(o1.probeCount).toBe(want.get(ORCH.o1)!.probes);
  });

  it("the compare page and /api/compare: the compared orchestrators' most probed pair, side by side", async () => {
    const pair = busiest([ORCH.o1, ORCH.o2], fromS, toS);
    const want = expected(pair, fromS, toS);
    const { status, json } = await get(`/api/compare?address=${ORCH.o1}&address=${ORCH.o2}&address=${ORCH.o4}`);
    expect(status).toBe(200);
    expect(json.probes).toMatchObject({ ...pair, choice: "busiest" });
    for (const o of json.orchestrators) {
      const w = want.get(o.address);
      if (!w) {
        expect(o).toMatchObject({ probeCount: 0, probeScore: null });
        continue;
      }
      close(o.probeScore, w.score);
      close(o.probeSuccessRate, w.successRate);
      expect(o.probeRoundTripSamples).toBe(w.ok.length);
      closeRtt(o.probeRoundTripS.p95, percentileCont(w.ok, 0.95)!);
    }
    const page = await get(`/compare?address=${ORCH.o1}&address=${ORCH.o2}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Probe score (x100)");
    expect(page.text).toContain(`>${(want.get(ORCH.o1)!.score * 100).toFixed(2)}<`);
    const csv = parseCsv((await get(`/api/compare?address=${ORCH.o1}&address=${ORCH.o2}&format=csv`)).text);
    expect(csv[1][csv[0].indexOf("probes")]).toBe(String(want.get(ORCH.o1)?.probes ?? 0));
  });

  it("an orchestrator's page: its most probed pair by default, figures per region and the score per day", async () => {
    const range = "from=2025-03-18&to=2025-03-31";
    const [f, t] = [unix("2025-03-18T00:00:00Z"), unix("2025-03-31T23:59:59Z")];
    const pair = busiest([ORCH.o1], f, t);
    const want = expected(pair, f, t).get(ORCH.o1)!;
    const { status, json } = await get(`/api/orchestrators/${ORCH.o1}?${range}`);
    expect(status).toBe(200);
    const p = json.probes;
    expect(p.pair).toMatchObject({ ...pair, choice: "busiest" });
    expect(p.stored).toBe(true);
    expect(p.rows.map((r: Json) => r.region)).toEqual([null, ...want.byRegion.keys()]);
    close(p.rows[0].probeScore, want.score);
    close(p.rows[0].probeSuccessRate, want.successRate);
    expect(p.rows[0].probeCount).toBe(want.probes);
    for (const r of p.rows.slice(1)) {
      const w = want.byRegion.get(r.region)!;
      close(r.probeScore, w.score);
      close(r.probeSuccessRate, w.successRate);
      expect(r.probeCount).toBe(w.probes);
      expect(r.probeRoundTripSamples).toBe(w.ok.length);
      closeRtt(r.probeRoundTripS.p50, percentileCont(w.ok, 0.5)!);
      if (w.ok.length >= 20) closeRtt(r.probeRoundTripS.p95, percentileCont(w.ok, 0.95)!);
      else expect(r.probeRoundTripS.p95).toBeNull();
    }
    // Per day: each day's own median over every orchestrator and region; GLOBAL is the mean over regions.
    const days = [...new Set(PROBES.filter((x) => x.orchestrator === ORCH.o1 && x.pipeline === pair.pipeline && x.model === pair.model).map((x) => new Date(x.at * 1000).toISOString().slice(0, 10)))].sort();
    expect(p.series.map((x: Json) => x.t)).toEqual(days);
    for (const point of p.series) {
      const d0 = unix(`${point.t}T00:00:00Z`);
      const day = expected(pair, d0, d0 + 86_399).get(ORCH.o1)!;
      close(point.score, day.score);
      expect(point.probes).toBe(day.probes);
      for (const [region, w] of day.byRegion) close(p.regions[region].find((x: Json) => x.t === point.t).score, w.score);
    }
    // The page shows the panel: the pair and why, the mean row's score, a row per region, the chart and the export links.
    const page = await get(`/orchestrators/${ORCH.o1}?${range}`);
    expect(page.status).toBe(200);
    const panel = page.text.slice(page.text.indexOf('data-testid="probe-panel"'));
    expect(panel).toContain("its most probed pipeline and model in this range");
    expect(panel).toContain(`>${(want.score * 100).toFixed(2)}<`);
    for (const region of want.byRegion.keys()) expect(panel).toContain(`data-region="${region}"`);
    expect(panel).toContain(`/api/probes/${ORCH.o1}?`);
    expect(panel).toContain("table=probes");
    const csv = parseCsv((await get(`/api/orchestrators/${ORCH.o1}?${range}&table=probes&format=csv`)).text);
    expect(csv.slice(1).map((r) => r[0])).toEqual(["all", ...want.byRegion.keys()]);
    expect(Number(csv[1][csv[0].indexOf("probes")])).toBe(want.probes);
  });

  it("with the pair of its job logs chosen, the probes sit next to the gateway's job figures for the same pair", async () => {
    const pair = { pipeline: PIPE.t2i.pipeline, model: PIPE.t2i.model };
    const want = expected(pair, unix("2025-03-25T00:00:00Z"), unix("2025-03-31T23:59:59Z")).get(ORCH.o1)!;
    const q = `from=2025-03-25&to=2025-03-31&${new URLSearchParams(pair)}`;
    const { json } = await get(`/api/orchestrators/${ORCH.o1}?${q}`);
    expect(json.probes.pair).toMatchObject({ ...pair, choice: "requested" });
    close(json.probes.rows[0].probeScore, want.score);
    expect(json.jobs.jobs).toBeGreaterThan(0);
    const page = (await get(`/orchestrators/${ORCH.o1}?${q}`)).text;
    const panel = page.slice(page.indexOf('data-testid="probe-panel"'));
    expect(panel).toContain("the pipeline and model chosen above");
    const jobsRow = panel.slice(panel.indexOf('data-region="jobs"'));
    expect(jobsRow.slice(0, jobsRow.indexOf("</tr>"))).toContain(`>${json.jobs.jobs}<`);
  });

  it("an orchestrator with no probes says so and names the source", async () => {
    const { json } = await get(`/api/orchestrators/${ORCH.o4}`);
    expect(json.probes).toMatchObject({ stored: false, rows: [], series: [], regions: {}, pair: { choice: "none", pipeline: null } });
    const page = (await get(`/orchestrators/${ORCH.o4}`)).text;
    const panel = page.slice(page.indexOf('data-testid="probe-panel"'));
    expect(panel.slice(0, panel.indexOf("</section>"))).toMatch(/data-testid="empty-note">No public probe of this orchestrator is stored.*LEADERBOARD_URL/s);
    // Probes stored, but none in the range asked for.
    const before = (await get(`/orchestrators/${ORCH.o1}?from=2025-02-01&to=2025-02-28`)).text;
    expect(before.slice(before.indexOf('data-testid="probe-panel"'))).toContain("it has probes at other times");
  });

  it("/status lists each orchestrator whose probe query failed: error as text, failed runs, when, and the cursor it holds", async () => {
    // A later run: o1 fails too (its cursor stays at the first poll's end), o5 fails again.
    clock = NOW_S + 3600;
    api.fault = (url) =>
      url.pathname === "/api/raw_stats" && [ORCH.o1, ORCH.o5].includes(url.searchParams.get("orchestrator")!) ? { status: 500, body: `{"error":"${EVIL}"}` } : null;
    const second = await poll();
    expect(second.failures.map((f) => f.what).sort()).toEqual([ORCH.o1, ORCH.o5]);
    const { json } = await get("/api/status");
    const by = new Map(json.leaderboardFailures.map((f: Json) => [f.orchestrator, f]));
    expect([...by.keys()].sort()).toEqual([ORCH.o1, ORCH.o5]);
    expect(by.get(ORCH.o1)).toMatchObject({ failures: 1, polledUntil: new Date(NOW_S * 1000).toISOString() });
    expect(by.get(ORCH.o5)).toMatchObject({ failures: 2, polledUntil: null });
    for (const f of by.values()) expect((f as Json).lastError).toContain(EVIL);
    const page = await get("/status");
    const panel = page.text.slice(page.text.indexOf('data-testid="leaderboard-failures"'));
    const table = panel.slice(0, panel.indexOf("</table>"));
    expect(table).toContain(ORCH.o1);
    expect(table).toContain(ORCH.o5);
    expect(table).toContain("held at");
    expect(table).toContain("nothing stored yet");
    expect(page.text).not.toContain(EVIL);
    expect(table).toContain("&lt;script&gt;");
    const csv = parseCsv((await get("/api/status?format=csv&table=leaderboard-failures")).text);
    expect(csv[0]).toEqual(["orchestrator", "last_error", "failures", "last_error_at", "polled_until"]);
    expect(csv.slice(1).map((r) => r[0]).sort()).toEqual([ORCH.o1, ORCH.o5]);
  });
});
