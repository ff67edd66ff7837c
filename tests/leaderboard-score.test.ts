// The official score reproduced: probes polled from the stand-in API into PGlite and (with
// TEST_DATABASE_URL) Postgres, then, for windows holding the same probes under both clocks (the API's
// insert time, our probes' timestamps), every orchestrator's per-region success rate, round-trip score
// and score equal the stand-in's own aggregated_stats to 1e-9, with and without a region filter, for
// each pipeline and model; the leaderboard row is the mean over regions (GLOBAL) or the region's own;
// the daily history equals aggregated_stats of each day; the API's NaN round-trip score (no median, no
// round trip) is null here; windows with whole days (rollups) and without (raw probes) agree.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pipelineSlug } from "../core/probes/raw";
import { loadIndexerConfig } from "../indexer/config";
import { DEFAULT_PAIRS, type ProbeSchedule } from "../indexer/demo/leaderboard-probes";
import { startLeaderboardStandIn, type LeaderboardStandIn } from "../indexer/demo/leaderboard-server";
import { pollLeaderboard } from "../indexer/sources/leaderboard/poll";
import { dailyHistory, loadLeaderboard, officialFigures, seriesByOrchestrator, type LeaderboardQuery } from "../app/lib/leaderboard.server";
import { backends, openTestDb, type TestDb } from "./helpers/db";

type Agg = Record<string, Record<string, { success_rate: number; round_trip_score: number; score: number }>>;

const DAY = 86_400;
const CYCLE = 7200;
const NOW = Math.floor(Date.now() / 1000);
const FROM = Math.floor(NOW / DAY) * DAY - 3 * DAY;
const ORCHS = Array.from({ length: 12 }, (_, i) => `0x${(i + 1).toString(16).padStart(2, "0")}${"b".repeat(38)}`);
const REGIONS = ["MDW", "FRA", "LAX", "SIN"];
const PAIRS = [DEFAULT_PAIRS[0], DEFAULT_PAIRS[4], DEFAULT_PAIRS[8]];
const SCHEDULE: ProbeSchedule = { seed: 11, orchestrators: ORCHS, regions: REGIONS, pairs: PAIRS, fromS: FROM, toS: NOW - 3 * 3600, everyS: CYCLE };

/** Windows bounded between cycles, so the API's insert-time window and our timestamp window hold the same probes. */
const between = (a: number, b: number) => ({ since: FROM + a * CYCLE - 1000, until: FROM + b * CYCLE - 1000 });
const WINDOWS = [between(5, 17), between(3, 35)]; // ~24 h across midnight (raw probes only); ~2.7 days with a whole day (rollups)
const iso = (s: number) => new Date(s * 1000).toISOString();

function expectClose(ours: number | null, theirs: number, what: string) {
  expect(ours, what).not.toBeNull();
  expect(Math.abs((ours as number) - theirs), `${what}: ${ours} vs ${theirs}`).toBeLessThan(1e-9);
}

describe.each(backends())("the official score on %s", (backend) => {
  let db: TestDb;
  let api: LeaderboardStandIn;
  const aggregated = (q: Record<string, string>) => {
    const a = api.answer("/api/aggregated_stats", new URLSearchParams(q));
    return { status: a.status, body: a.body, json: a.status === 200 ? (JSON.parse(a.body) as Agg) : null };
  };

  beforeAll(async () => {
    db = await openTestDb(backend);
    api = await startLeaderboardStandIn({ schedule: SCHEDULE });
    // Only failures, and no round trip at all, for a model nobody else serves: the API's median is NULL.
    for (const region of ["MDW", "FRA"])
      api.insert({ region, orchestrator: ORCHS[0], success_rate: 0, round_trip_time: 0, errors: [{ error_code: "CONNECTION-REFUSED", count: 1 }], timestamp: FROM + 10 * CYCLE + 5, model: "ghost/model", pipeline: "Llm" }, FROM + 10 * CYCLE + 30);
    for (const o of ORCHS) await db.query(`insert into transcoders (address, active, total_stake, total_volume_eth, total_volume_usd) values ($1, true, '1', '0', '0')`, [o]);
    const cfg = loadIndexerConfig({ LEADERBOARD_URL: api.url, LEADERBOARD_BACKFILL_DAYS: "5" }).leaderboard!;
    const r = await pollLeaderboard(db, cfg, { log: () => {} });
    expect(r.failures).toEqual([]);
    expect(r.stored).toBeGreaterThan(3000);
  });
  afterAll(async () => {
    await api?.close();
    await db?.close();
  });

  it.each(WINDOWS.map((w, i) => [i, w] as const))("window %i: every orchestrator and region equals aggregated_stats to 1e-9, each pair, each region filter", async (_, w) => {
    let compared = 0;
    for (const pair of PAIRS) {
      const slug = pipelineSlug(pair.pipeline);
      for (const region of [null, ...REGIONS]) {
        const q: Record<string, string> = { since: String(w.since), until: String(w.until), pipeline: pair.pipeline, model: pair.model };
        if (region) q.region = region;
        const theirs = aggregated(q);
        expect(theirs.status).toBe(200);
        const query: LeaderboardQuery = { from: iso(w.since), to: iso(w.until), region, pipeline: slug, model: pair.model };
        const ours = await officialFigures(db, query);
        expect([...ours.byOrchestrator.keys()].sort()).toEqual(Object.keys(theirs.json!).sort());
        for (const [orch, regions] of ours.byOrchestrator) {
          const t = theirs.json![orch];
          expect(regions.map((r) => r.region)).toEqual(Object.keys(t).sort());
          for (const r of regions) {
            const what = `${orch} ${r.region} ${slug} ${pair.model} region=${region ?? "-"}`;
            expectClose(r.successRate, t[r.region].success_rate, `${what} success`);
            expectClose(r.roundTripScore, t[r.region].round_trip_score, `${what} round-trip score`);
            expectClose(r.score, t[r.region].score, `${what} score`);
            compared++;
          }
        }
        // The leaderboard: with a region, that region's figures; without, the mean over regions (the explorer's GLOBAL).
        const board = await loadLeaderboard(db, query);
        expect(board.medianRoundTripS).toBeGreaterThan(0);
        for (const row of board.rows) {
          const per = Object.values(theirs.json![row.address]);
          const mean = (k: "score" | "success_rate" | "round_trip_score") => per.reduce((s, v) => s + v[k], 0) / per.length;
          expectClose(row.score, mean("score"), `${row.address} leaderboard score`);
          expectClose(row.successRate, mean("success_rate"), `${row.address} leaderboard success`);
          expectClose(row.roundTripScore, mean("round_trip_score"), `${row.address} leaderboard round-trip score`);
        }
        const scores = board.rows.map((r) => r.score as number);
        expect(scores).toEqual([...scores].sort((a, b) => b - a));
      }
    }
    expect(compared).toBeGreaterThan(200);
  });

  it("the daily score history equals aggregated_stats of each day", async () => {
    const pair = PAIRS[0];
    const slug = pipelineSlug(pair.pipeline);
    for (const region of [null, "FRA"]) {
      const series = await seriesByOrchestrator(db, { from: iso(FROM), to: iso(FROM + 3 * DAY - 1), region, pipeline: slug, model: pair.model }, "day");
      let days = 0;
      for (let d = 0; d < 3; d++) {
        const day = iso(FROM + d * DAY).slice(0, 10);
        const theirs = aggregated({ since: String(FROM + d * DAY), until: String(FROM + (d + 1) * DAY - 1), pipeline: pair.pipeline, model: pair.model, ...(region ? { region } : {}) }).json!;
        for (const [orch, perRegion] of Object.entries(theirs)) {
          const point = series.get(orch)!.series.find((p) => p.t === day)!;
          const vals = Object.values(perRegion);
          expectClose(point.score, vals.reduce((s, v) => s + v.score, 0) / vals.length, `${orch} ${day} region=${region ?? "-"}`);
          if (!region) for (const [r, v] of Object.entries(perRegion)) expectClose(series.get(orch)!.regions[r].find((p) => p.t === day)!.score, v.score, `${orch} ${r} ${day}`);
          days++;
        }
      }
      expect(days).toBeGreaterThan(20);
      // The sparklines' lean reading gives the same daily scores.
      const dayList = [0, 1, 2].map((d) => iso(FROM + d * DAY).slice(0, 10));
      const lean = await dailyHistory(db, { from: iso(FROM), to: iso(FROM + 3 * DAY - 1), region, pipeline: slug, model: pair.model }, dayList);
      for (const [orch, values] of Object.entries(lean))
        values.forEach((v, i) => {
          const p = series.get(orch)!.series.find((x) => x.t === dayList[i]);
          if (v === null || p?.score === null || p === undefined) expect(v).toBe(p?.score ?? null);
          else expect(Math.abs(v - p.score!)).toBeLessThan(1e-12); // the same terms, summed over regions in another order
        });
    }
  });

  it("where the API's arithmetic gives a NaN round-trip score (a 500 there), it is null here; success 0 still scores 0", async () => {
    const w = between(9, 12);
    const theirs = aggregated({ since: String(w.since), until: String(w.until), pipeline: "Llm", model: "ghost/model" });
    expect(theirs).toMatchObject({ status: 500, body: '{"error":"json: unsupported value: NaN"}\n' });
    const board = await loadLeaderboard(db, { from: iso(w.since), to: iso(w.until), region: null, pipeline: "llm", model: "ghost/model" });
    expect(board.medianRoundTripS).toBeNull();
    expect(board.rows).toEqual([
      { address: ORCHS[0], score: 0, successRate: 0, roundTripScore: null, avgRoundTripS: 0, roundTripS: { p50: null, p95: null, p99: null }, probes: 2, warmRatio: 0 },
    ]);
  });

  it("without pipeline and model there is no score; figures cover every pipeline", async () => {
    const w = WINDOWS[1];
    const board = await loadLeaderboard(db, { from: iso(w.since), to: iso(w.until), region: null, pipeline: null, model: null });
    expect(board.medianRoundTripS).toBeNull();
    expect(board.rows.length).toBe(ORCHS.length);
    const [n] = await db.query<{ n: number }>(`select count(*)::int as n from probes where at >= $1 and at <= $2`, [iso(w.since), iso(w.until)]);
    expect(board.rows.reduce((s, r) => s + r.probes, 0)).toBe(n.n);
    for (const r of board.rows) {
      expect(r.score).toBeNull();
      expect(r.roundTripScore).toBeNull();
      expect(r.successRate).not.toBeNull();
    }
    // Round-trip percentiles within 1% of percentile_cont over the ok probes (regions pooled).
    const exact = await db.query<{ orchestrator: string; p50: number; p95: number; n: number }>(
      `select orchestrator, percentile_cont(0.5) within group (order by round(round_trip_s * 1000)) as p50,
              percentile_cont(0.95) within group (order by round(round_trip_s * 1000)) as p95, count(*)::int as n
         from probes where at >= $1 and at <= $2 and success_rate = 1 and round_trip_s <> 0 group by 1`,
      [iso(w.since), iso(w.until)],
    );
    for (const e of exact) {
      const row = board.rows.find((r) => r.address === e.orchestrator)!;
      expect(Math.abs(row.roundTripS.p50! * 1000 - e.p50)).toBeLessThanOrEqual(e.p50 / 100 + 1);
      if (e.n >= 20) expect(Math.abs(row.roundTripS.p95! * 1000 - e.p95)).toBeLessThanOrEqual(e.p95 / 100 + 1);
      else expect(row.roundTripS.p95).toBeNull();
    }
  });
});
