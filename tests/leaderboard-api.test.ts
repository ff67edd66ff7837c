// GET /api/leaderboard, GET /api/probes/<address> and the /leaderboard page through the real server
// (the Remix build), on PGlite and (with TEST_DATABASE_URL) Postgres, with probes polled from the
// stand-in API: the answer's exact shape, defaults, the both-or-neither rule and other 400s, region
// figures against the stand-in's aggregated_stats over HTTP, CSV, series, 404s, and untrusted text
// from the API rendered escaped.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadIndexerConfig } from "../indexer/config";
import { DEFAULT_PAIRS, type ProbeSchedule } from "../indexer/demo/leaderboard-probes";
import { startLeaderboardStandIn, type LeaderboardStandIn } from "../indexer/demo/leaderboard-server";
import { pollLeaderboard } from "../indexer/sources/leaderboard/poll";
import { startServer, type StartedServer } from "../server";
import { backends, openTestDb, type TestDb } from "./helpers/db";
import { parseCsv } from "./helpers/csv";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const DAY = 86_400;
const CYCLE = 7200;
const NOW = Math.floor(Date.now() / 1000);
const FROM = Math.floor(NOW / DAY) * DAY - 2 * DAY;
const ORCHS = Array.from({ length: 5 }, (_, i) => `0x${(i + 1).toString(16).padStart(2, "0")}${"c".repeat(38)}`);
const SCHEDULE: ProbeSchedule = { seed: 5, orchestrators: ORCHS, regions: ["MDW", "FRA", "SIN"], pairs: [DEFAULT_PAIRS[0], DEFAULT_PAIRS[8]], fromS: FROM, toS: NOW - 3 * 3600, everyS: CYCLE };
const EVIL = `<script>alert("x")</script>`;

describe.each(backends())("leaderboard API and page on %s", (backend) => {
  let db: TestDb;
  let api: LeaderboardStandIn;
  let server: StartedServer;
  const get = async (path: string) => {
    const r = await fetch(server.url + path);
    const text = await r.text();
    const json = (r.headers.get("content-type") ?? "").includes("application/json") ? JSON.parse(text) : null;
    return { status: r.status, type: r.headers.get("content-type") ?? "", disposition: r.headers.get("content-disposition"), text, json };
  };

  beforeAll(async () => {
    db = await openTestDb(backend);
    api = await startLeaderboardStandIn({ schedule: SCHEDULE });
    api.insert({ region: "FRA", orchestrator: ORCHS[1], success_rate: 1, round_trip_time: 1.5, errors: [], timestamp: FROM + 3 * CYCLE + 7, model: EVIL, pipeline: "Text to image" }, FROM + 3 * CYCLE + 20);
    for (const o of ORCHS) await db.query(`insert into transcoders (address, active, total_stake, total_volume_eth, total_volume_usd) values ($1, true, '1', '0', '0')`, [o]);
    const r = await pollLeaderboard(db, loadIndexerConfig({ LEADERBOARD_URL: api.url, LEADERBOARD_BACKFILL_DAYS: "4" }).leaderboard!, { log: () => {} });
    expect(r.failures).toEqual([]);
    server = await startServer({ db, port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => {
    await server?.close();
    await api?.close();
    await db?.close();
  });

  it("answers exactly the documented shape, by default over the 24 hours up to the newest probe", async () => {
    const { status, json } = await get("/api/leaderboard");
    expect(status).toBe(200);
    expect(Object.keys(json).sort()).toEqual(["medianRoundTripS", "rows", "window"]);
    const [newest] = await db.query<{ at: string }>(`select max(at) as at from probes`);
    const to = new Date(newest.at).toISOString();
    expect(json.window).toEqual({ from: new Date(Date.parse(to) - DAY * 1000).toISOString(), to });
    expect(json.medianRoundTripS).toBeNull(); // no pipeline and model: no score
    expect(json.rows.length).toBe(ORCHS.length);
    for (const row of json.rows) {
      expect(Object.keys(row).sort()).toEqual(["address", "avgRoundTripS", "probes", "roundTripS", "roundTripScore", "score", "successRate", "warmRatio"]);
      expect(Object.keys(row.roundTripS).sort()).toEqual(["p50", "p95", "p99"]);
      expect(row.score).toBeNull();
      expect(row.roundTripScore).toBeNull();
    }
  });

  it("refuses pipeline without model and model without pipeline, and other bad parameters, with 400 and a reason", async () => {
    for (const [q, reason] of [
      ["pipeline=text-to-image", /model required/],
      ["model=ByteDance%2FSDXL-Lightning", /pipeline required/],
      ["from=yesterday", /malformed from/],
      ["from=2026-02-30", /impossible date/],
      ["from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", /reversed window/],
      ["from=2020-01-01&to=2026-01-01", /window too long/],
      ["region=%3Cx%3E", /malformed region/],
      ["format=xml", /unknown format/],
    ] as const) {
      const r = await get(`/api/leaderboard?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.json.error, q).toMatch(reason);
    }
    expect((await get("/api/probes/0x1234")).status).toBe(400);
    expect((await get(`/api/probes/${ORCHS[0]}?interval=week`)).status).toBe(400);
    expect((await get(`/api/probes/${ORCHS[0]}?interval=hour&from=2026-01-01&to=2026-03-01`)).json.error).toMatch(/window too long/);
    expect((await get(`/api/probes/0x${"9".repeat(40)}`)).status).toBe(404);
  });

  it("with a pipeline (by name or slug), a model and a region, each row is that region's aggregated_stats", async () => {
    const since = FROM + 2 * CYCLE - 1000;
    const until = FROM + 20 * CYCLE - 1000;
    const from = new Date(since * 1000).toISOString();
    const to = new Date(until * 1000).toISOString();
    const pair = DEFAULT_PAIRS[0];
    const theirs = await (await fetch(`${api.url}/api/aggregated_stats?${new URLSearchParams({ since: String(since), until: String(until), pipeline: pair.pipeline, model: pair.model, region: "sin" })}`)).json();
    for (const pipeline of ["text-to-image", "Text to image"]) {
      const { json } = await get(`/api/leaderboard?${new URLSearchParams({ from, to, pipeline, model: pair.model, region: "sin" })}`);
      expect(json.window).toEqual({ from, to });
      expect(json.medianRoundTripS).toBeGreaterThan(0);
      expect(json.rows.map((r: Json) => r.address).sort()).toEqual(Object.keys(theirs).sort());
      for (const r of json.rows) {
        expect(Math.abs(r.score - theirs[r.address].SIN.score)).toBeLessThan(1e-9);
        expect(Math.abs(r.successRate - theirs[r.address].SIN.success_rate)).toBeLessThan(1e-9);
        expect(Math.abs(r.roundTripScore - theirs[r.address].SIN.round_trip_score)).toBeLessThan(1e-9);
      }
    }
    const csv = await get(`/api/leaderboard?${new URLSearchParams({ from, to, pipeline: "text-to-image", model: pair.model, region: "SIN", format: "csv" })}`);
    expect(csv.status).toBe(200);
    expect(csv.disposition).toMatch(/^attachment; filename="observatory-leaderboard-SIN-text-to-image-ByteDance_SDXL-Lightning-[0-9T-]+Z_[0-9T-]+Z\.csv"$/);
    const records = parseCsv(csv.text);
    expect(records[0].slice(0, 3)).toEqual(["address", "score", "success_rate"]);
    expect(records.length - 1).toBe(Object.keys(theirs).length);
  });

  it("/api/probes/<address> returns a daily or hourly series, per region too", async () => {
    const pair = DEFAULT_PAIRS[8];
    const d = await get(`/api/probes/${ORCHS[0].toUpperCase().replace("0X", "0x")}?${new URLSearchParams({ pipeline: "llm", model: pair.model })}`);
    expect(d.status).toBe(200);
    expect(d.json).toMatchObject({ address: ORCHS[0], interval: "day", pipeline: "llm", model: pair.model, region: null });
    expect(d.json.series.length).toBeGreaterThanOrEqual(2);
    for (const p of d.json.series) {
      expect(Object.keys(p).sort()).toEqual(["avgRoundTripS", "medianRoundTripS", "okProbes", "probes", "roundTripS", "roundTripScore", "score", "successRate", "t", "warmRatio"]);
      expect(p.t).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(Object.keys(d.json.regions).sort()).toEqual(["FRA", "MDW", "SIN"]);
    const total = d.json.series.reduce((n: number, p: Json) => n + p.probes, 0);
    const [n] = await db.query<{ n: number }>(`select count(*)::int as n from probes where orchestrator = $1 and pipeline = 'llm' and model = $2`, [ORCHS[0], pair.model]);
    expect(total).toBe(n.n);
    const h = await get(`/api/probes/${ORCHS[0]}?interval=hour&region=FRA`);
    expect(h.status).toBe(200);
    expect(h.json.series.every((p: Json) => /^\d{4}-\d{2}-\d{2}T\d{2}:00:00Z$/.test(p.t) && p.score === null)).toBe(true);
    expect(Object.keys(h.json.regions)).toEqual(["FRA"]);
    // Hourly figures come from the probes themselves: each whole hour starting in the window, as a scan.
    const scan = await db.query<{ t: string; n: number; s: number }>(
      `select to_char(date_trunc('hour', at at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:00:00"Z"') as t, count(*)::int as n, sum(success_rate) as s
         from probes where orchestrator = $1 and region = 'FRA' and at >= date_trunc('hour', $2::timestamptz) and at <= $3 group by 1 order by 1`,
      [ORCHS[0], h.json.window.from, h.json.window.to],
    );
    expect(scan.length).toBeGreaterThan(0);
    expect(h.json.series.map((p: Json) => [p.t, p.probes])).toEqual(scan.map((r) => [r.t, r.n]));
    for (const [i, r] of scan.entries()) expect(h.json.series[i].successRate).toBeCloseTo(r.s / r.n, 12);
    const csv = await get(`/api/probes/${ORCHS[0]}?format=csv`);
    expect(csv.status).toBe(200);
    expect(parseCsv(csv.text)[0][0]).toBe("address");
  });

  it("/leaderboard ranks by score with the busiest pair by default, links CSV and JSON, and escapes the API's text", async () => {
    const page = await get("/leaderboard");
    expect(page.status).toBe(200);
    expect(page.text).toContain("AI leaderboard");
    expect(page.text).toContain("(the most probed on this window");
    const hrefs = [...page.text.matchAll(/href="(\/api\/leaderboard[^"]*)"/g)].map((m) => m[1].replace(/&amp;/g, "&"));
    expect(hrefs.some((h) => h.includes("format=csv"))).toBe(true);
    for (const h of hrefs) {
      const r = await get(h);
      expect(r.status, h).toBe(200);
    }
    const json = (await get(hrefs.find((h) => !h.includes("format=csv"))!)).json;
    expect(json.rows[0].score).not.toBeNull();
    for (const r of json.rows.slice(0, 3)) expect(page.text).toContain(r.address);
    expect(page.text).toContain('class="sparkline"');
    // A model name from the API is text, never markup.
    const all = await get(`/leaderboard?from=${new Date((FROM - DAY) * 1000).toISOString()}&to=${new Date(NOW * 1000).toISOString()}`);
    expect(all.status).toBe(200);
    expect(all.text).not.toContain(EVIL);
    expect(all.text).toContain("&lt;script&gt;");
    const chosen = await get(`/leaderboard?pair=${encodeURIComponent(`text-to-image ${EVIL}`)}&from=${new Date((FROM - DAY) * 1000).toISOString()}&to=${new Date(NOW * 1000).toISOString()}`);
    expect(chosen.status).toBe(200);
    expect(chosen.text).not.toContain(EVIL);
    expect((await get("/leaderboard?pair=nospace")).status).toBe(400);
    expect((await get("/leaderboard?pair=all")).text).toContain("every pipeline (the score exists per pipeline and model");
  });
});
