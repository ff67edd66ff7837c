// The leaderboard source against the stand-in API (indexer/demo/leaderboard-server.ts), on PGlite and
// (with TEST_DATABASE_URL) Postgres: which orchestrators are polled, the backfill stores every probe
// the stand-in holds exactly once with rollups equal to a recomputation from the probes, overlapping
// polls and late-inserted rows add each probe once, failures (500, timeouts, Retry-After) are retried,
// then recorded without moving that orchestrator's cursor past unstored data, and the stand-in keeps
// the API's own rules (both-or-neither, job_type, case, seconds, absent fields).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseRawRow, parseRawStats, type ProbeRecord } from "../core/probes/raw";
import { loadIndexerConfig, type LeaderboardConfig } from "../indexer/config";
import { allRows, DEFAULT_PAIRS, type ProbeSchedule } from "../indexer/demo/leaderboard-probes";
import { startLeaderboardStandIn, type LeaderboardStandIn } from "../indexer/demo/leaderboard-server";
import { runAllSources } from "../indexer/run";
import { pollLeaderboard, WINDOW_S } from "../indexer/sources/leaderboard/poll";
import { insertProbes } from "../indexer/sources/leaderboard/store";
import { ensureMonths } from "../db/partitions";
import { backends, openTestDb, type TestDb } from "./helpers/db";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const addr = (i: number) => `0x${(0xa0 + i).toString(16)}${"0".repeat(36)}${String(i).padStart(2, "0")}`;
const ORCHS = Array.from({ length: 6 }, (_, i) => addr(i));
const FEES_ONLY = addr(7); // inactive, but paid fees 10 days ago: polled
const IDLE = addr(8); // inactive, no fees: not polled
const NOW = Math.floor(Date.now() / 1000);
const HOUR = 3600;

function schedule(): ProbeSchedule {
  const fromS = Math.floor((NOW - 36 * HOUR) / 7200) * 7200;
  return {
    seed: 7,
    orchestrators: [...ORCHS, FEES_ONLY],
    regions: ["MDW", "FRA", "LAX"],
    pairs: DEFAULT_PAIRS.slice(0, 3),
    fromS,
    toS: NOW - 2 * HOUR,
    everyS: 7200,
  };
}

const keyOf = (p: { orchestrator: string; ts: number; region: string; pipeline: string; model: string; fingerprint: string }) =>
  `${p.orchestrator}|${p.ts}|${p.region}|${p.pipeline}|${p.model}|${p.fingerprint}`;

/** The probe keys the stand-in holds (parsed as the source parses them). */
function expectedKeys(api: LeaderboardStandIn, orchestrators: string[], since: number, until: number): Set<string> {
  const keys = new Set<string>();
  for (const o of orchestrators) {
    const q = new URLSearchParams({ orchestrator: o, job_type: "ai", since: String(since), until: String(until) });
    const a = api.answer("/api/raw_stats", q);
    for (const p of parseRawStats(JSON.parse(a.body)).probes) keys.add(keyOf(p));
  }
  return keys;
}

describe.each(backends())("leaderboard source on %s", (backend) => {
  let db: TestDb;
  let api: LeaderboardStandIn;
  const sched = schedule();
  const cfg = (over: Record<string, string> = {}): LeaderboardConfig =>
    loadIndexerConfig({
      LEADERBOARD_URL: api.url,
      LEADERBOARD_BACKFILL_DAYS: "2",
      LEADERBOARD_TIMEOUT_MS: "400",
      SUBGRAPH_MAX_RETRIES: "2",
      SUBGRAPH_RETRY_BASE_MS: "5",
      SUBGRAPH_RETRY_MAX_MS: "20",
      ...over,
    }).leaderboard!;
  const log = () => {};
  const storedKeys = async () => {
    const rows = await db.query<{ k: string }>(
      `select orchestrator || '|' || extract(epoch from at)::bigint || '|' || region || '|' || pipeline || '|' || model || '|' || fingerprint as k from probes`,
    );
    return new Set(rows.map((r) => r.k));
  };
  const count = async () => (await db.query<{ n: number }>(`select count(*)::int as n from probes`))[0].n;

  /** Every daily rollup row equals its recomputation from the probes. */
  async function expectRollupsExact() {
    for (const [table, col, expr] of [["probe_day", "day", `(at at time zone 'UTC')::date`]]) {
      const diff = await db.query(
        `with b as (
           select ${expr} as period, orchestrator, region, pipeline, model, rtt_bucket, count(*)::int as n, sum(success_rate) as s, sum(round_trip_s) as rt,
                  (count(*) filter (where warm))::int as warm
             from probes group by 1, 2, 3, 4, 5, 6),
         raw as (
           select period, orchestrator, region, pipeline, model, sum(n)::int as probes, sum(s) as s, sum(rt) as rt, sum(warm)::int as warm,
                  coalesce(sum(n) filter (where rtt_bucket is not null), 0)::int as ok,
                  coalesce(array_agg(rtt_bucket order by rtt_bucket) filter (where rtt_bucket is not null), '{}') as buckets,
                  coalesce(array_agg(n order by rtt_bucket) filter (where rtt_bucket is not null), '{}') as counts
             from b group by 1, 2, 3, 4, 5)
         select r.*, t.probes as t_probes from raw r full join ${table} t on t.${col} = r.period and t.orchestrator = r.orchestrator and t.region = r.region
                                            and t.pipeline = r.pipeline and t.model = r.model
          where r.probes is distinct from t.probes or abs(r.s - t.success_sum) > 1e-9 or abs(r.rt - t.rtt_sum) > 1e-9
             or r.warm is distinct from t.warm or r.ok is distinct from t.ok_probes or r.buckets is distinct from t.rtt_buckets
             or r.counts is distinct from t.rtt_counts`,
      );
      expect(diff, `${table} equals its recomputation`).toEqual([]);
    }
    const errs = await db.query(
      `with raw as (select orchestrator, code, sum(n)::int as n from probes, unnest(error_codes, error_counts) e(code, n) group by 1, 2),
            rolled as (select orchestrator, code, sum(n)::int as n from probe_day, unnest(error_codes, error_counts) e(code, n) group by 1, 2)
       select * from raw full join rolled using (orchestrator, code) where raw.n is distinct from rolled.n`,
    );
    expect(errs).toEqual([]);
  }

  beforeAll(async () => {
    db = await openTestDb(backend);
    api = await startLeaderboardStandIn({ schedule: sched });
    for (const a of [...ORCHS, FEES_ONLY, IDLE])
      await db.query(`insert into transcoders (address, active, total_stake, total_volume_eth, total_volume_usd) values ($1, $2, '1', '0', '0')`, [
        a,
        ORCHS.includes(a),
      ]);
    await db.query(`insert into fee_day_orchestrator (day, orchestrator, tickets, volume_eth, volume_usd) values ((now() at time zone 'UTC')::date - 10, $1, 1, '0.1', '300')`, [FEES_ONLY]);
    await db.query(`insert into fee_day_orchestrator (day, orchestrator, tickets, volume_eth, volume_usd) values ((now() at time zone 'UTC')::date - 200, $1, 1, '0.1', '300')`, [IDLE]);
  });
  afterAll(async () => {
    await api?.close();
    await db?.close();
  });

  it("first run (through the registry) backfills every probe of active and recently paid orchestrators exactly once", async () => {
    const outcomes = await runAllSources(db, { ...loadIndexerConfig({ LEADERBOARD_URL: api.url, LEADERBOARD_BACKFILL_DAYS: "2" }), log });
    const o = outcomes.find((x) => x.source === "leaderboard")!;
    expect(o).toMatchObject({ ok: true });
    const want = expectedKeys(api, [...ORCHS, FEES_ONLY], NOW - 3 * 86_400, NOW + 60);
    expect(want.size).toBeGreaterThan(300);
    expect(o.rowsWritten).toBe(want.size);
    expect(await storedKeys()).toEqual(want);
    const polled = api.requests.filter((r) => r.path === "/api/raw_stats").map((r) => r.query.get("orchestrator"));
    expect(new Set(polled)).toEqual(new Set([...ORCHS, FEES_ONLY]));
    for (const r of api.requests.filter((x) => x.path === "/api/raw_stats")) {
      expect(r.query.get("job_type")).toBe("ai");
      expect(Number(r.query.get("until"))).toBeGreaterThanOrEqual(NOW - 5);
      expect(Number(r.query.get("until"))).toBeLessThan(4_102_444_800); // seconds, not milliseconds
    }
    expect(api.requests.map((r) => r.path).slice(0, 2)).toEqual(["/api/regions", "/api/pipelines"]);
    const [state] = await db.query<Json>(`select stats, last_error, progress from source_state where name = 'leaderboard'`);
    expect(state.last_error).toBeNull();
    expect(state.stats).toMatchObject({ accepted: want.size, duplicates: 0, rejected: 0 });
    const [pipes] = await db.query<{ n: number }>(`select count(*)::int as n from probe_pipelines where pipeline = 'text-to-image' and name = 'Text to image'`);
    expect(pipes.n).toBe(3);
    await expectRollupsExact();
    // Daily medians are the percentile_cont of each day's ok probes.
    const med = await db.query(
      `select m.day, m.region, m.median, x.median as want from probe_median_day m
         join (select (at at time zone 'UTC')::date as day, pipeline, model, region, percentile_cont(0.5) within group (order by round_trip_s) as median
                 from probes where success_rate = 1 and round_trip_s <> 0 group by 1, 2, 3, 4) x using (day, pipeline, model, region)
        where abs(m.median - x.median) > 1e-12`,
    );
    expect(med).toEqual([]);
    expect((await db.query<{ n: number }>(`select count(*)::int as n from probe_median_dirty`))[0].n).toBe(0);
  });

  it("overlapping polls store nothing twice; late-inserted rows (old timestamps, new insert times) are stored once", async () => {
    const before = await count();
    const again = await pollLeaderboard(db, cfg(), { log });
    expect(again.stored).toBe(0);
    // Each window starts 15 minutes before the previous one ended.
    const polls = api.requests.filter((r) => r.path === "/api/raw_stats");
    const last = new Map<string, number[]>();
    for (const r of polls) last.set(r.query.get("orchestrator")!, [...(last.get(r.query.get("orchestrator")!) ?? []), Number(r.query.get("since")), Number(r.query.get("until"))]);
    for (const seq of last.values()) expect(seq.at(-2)).toBe(seq.at(-3)! - 900);
    // A probe from three days ago arrives now (a tester that posted late), one posted twice, a cold one with no warm flag.
    const late = { region: "FRA", orchestrator: ORCHS[1], success_rate: 1, round_trip_time: 1.75, errors: [], timestamp: NOW - 3 * 86_400, model: "ByteDance/SDXL-Lightning", pipeline: "Text to image" };
    api.insert(late, Date.now() / 1000 - 120);
    api.insert({ ...late }, Date.now() / 1000 - 60);
    api.insert({ ...late, region: "MDW", timestamp: NOW - 3 * 86_400 + 5, round_trip_time: 2.5 }, Date.now() / 1000 - 30);
    const r = await pollLeaderboard(db, cfg(), { log });
    expect(r.stored).toBe(2);
    expect(await count()).toBe(before + 2);
    const [row] = await db.query<Json>(`select warm, success_rate, round_trip_s, rtt_bucket from probes where orchestrator = $1 and region = 'FRA' and at = to_timestamp($2)`, [
      ORCHS[1],
      NOW - 3 * 86_400,
    ]);
    expect(row).toMatchObject({ warm: false, success_rate: 1, round_trip_s: 1.75 });
    await expectRollupsExact();
  });

  it("a 500 or a timeout is retried, then recorded; the other orchestrators go on and the failing cursor stays", async () => {
    const [bad500, slow] = [ORCHS[2], ORCHS[3]];
    const cursorsBefore = new Map(
      (await db.query<{ orchestrator: string; until: number }>(`select orchestrator, extract(epoch from polled_until)::float8 as until from probe_cursors`)).map((r) => [r.orchestrator, Number(r.until)]),
    );
    const newRow = (o: string, ts: number) => ({ region: "LAX", orchestrator: o, success_rate: 1, round_trip_time: 3.25, errors: null, timestamp: ts, model: "ByteDance/SDXL-Lightning", pipeline: "Text to image", model_is_warm: true });
    for (const o of [bad500, slow, ORCHS[4]]) api.insert(newRow(o, NOW - 600), Date.now() / 1000 - 5);
    api.requests.length = 0;
    api.fault = (url) => {
      const o = url.searchParams.get("orchestrator");
      if (url.pathname !== "/api/raw_stats") return null;
      if (o === bad500) return { status: 500, body: '{"error":"json: unsupported value: NaN"}\n' };
      if (o === slow) return { delayMs: 1500 };
      return null;
    };
    const r = await pollLeaderboard(db, cfg(), { log });
    api.fault = null;
    expect(r.failures.map((f) => f.what).sort()).toEqual([bad500, slow].sort());
    expect(r.failures.find((f) => f.what === bad500)!.error).toMatch(/HTTP 500.*NaN.*gave up after 3 attempts/);
    expect(r.failures.find((f) => f.what === slow)!.error).toMatch(/did not answer in time/);
    expect(api.requests.filter((q) => q.query.get("orchestrator") === bad500)).toHaveLength(3);
    expect(r.stored).toBe(1); // ORCHS[4]'s new row
    const cursors = await db.query<Json>(`select orchestrator, extract(epoch from polled_until)::float8 as until, last_error, failures from probe_cursors`);
    const by = new Map(cursors.map((c: Json) => [c.orchestrator, c]));
    for (const o of [bad500, slow]) {
      expect(Number(by.get(o).until)).toBe(cursorsBefore.get(o));
      expect(by.get(o).failures).toBe(1);
      expect(by.get(o).last_error).toBeTruthy();
    }
    expect(Number(by.get(ORCHS[4]).until)).toBeGreaterThanOrEqual(cursorsBefore.get(ORCHS[4])!);
    expect(by.get(ORCHS[4]).last_error).toBeNull();

    // Through the runner: the run fails naming them, and the status row says so.
    api.fault = (url) => (url.searchParams.get("orchestrator") === bad500 ? { status: 503, body: "busy" } : null);
    const outcomes = await runAllSources(db, { ...loadIndexerConfig({ LEADERBOARD_URL: api.url, SUBGRAPH_MAX_RETRIES: "0" }), log });
    api.fault = null;
    const o = outcomes.find((x) => x.source === "leaderboard")!;
    expect(o.ok).toBe(false);
    expect(o.error).toContain(`1 of 7 orchestrators could not be read and keep their cursors (${bad500}: HTTP 503`);
    const [state] = await db.query<Json>(`select last_error from source_state where name = 'leaderboard'`);
    expect(state.last_error).toContain(bad500);

    // Once the API answers again, both catch up from where they were: nothing was skipped.
    const ok = await pollLeaderboard(db, cfg(), { log });
    expect(ok.failures).toEqual([]);
    for (const o2 of [bad500, slow])
      expect((await db.query<{ n: number }>(`select count(*)::int as n from probes where orchestrator = $1 and round_trip_s = 3.25`, [o2]))[0].n).toBe(1);
    expect(await storedKeys()).toEqual(expectedKeys(api, [...ORCHS, FEES_ONLY], NOW - 10 * 86_400, NOW + 3600));
    await expectRollupsExact();
  });

  it("new probes sharing a day with stored ones merge into their rollup rows; a repeat adds nothing", async () => {
    const base = { orchestrator: ORCHS[5], region: "SIN", pipeline: "llm", model: "merge-test", timestamp: NOW - 5 * 86_400 + 60, success_rate: 1, round_trip_time: 2 };
    const rec = (over: Record<string, unknown>) => parseRawRow({ ...base, ...over }, "SIN") as ProbeRecord;
    const first = [rec({}), rec({ timestamp: base.timestamp + 10, success_rate: 0, round_trip_time: 0, errors: [{ error_code: "E1", count: 1 }] })];
    const second = [rec({ timestamp: base.timestamp + 20, round_trip_time: 3, model_is_warm: true }), rec({ timestamp: base.timestamp + 30, success_rate: 0.5, errors: [{ error_code: "E1", count: 2 }, { error_code: "E0", count: 1 }] })];
    await ensureMonths(db, "probes", [...first, ...second].map((p) => p.ts * 1000)); // as the poll does before its transaction
    expect(await db.tx((q) => insertProbes(q, first))).toBe(2);
    expect(await db.tx((q) => insertProbes(q, second))).toBe(2); // all new: straight in, rollup rows merged
    expect(await db.tx((q) => insertProbes(q, [...first, ...second]))).toBe(0);
    const [h] = await db.query<Json>(`select probes, success_sum, rtt_sum, warm, ok_probes, rtt_buckets, rtt_counts, error_codes, error_counts from probe_day where model = 'merge-test'`);
    expect(h).toMatchObject({ probes: 4, success_sum: 2.5, rtt_sum: 7, warm: 1, ok_probes: 2, rtt_counts: [1, 1], error_codes: ["E0", "E1"], error_counts: [1, 3] });
    await expectRollupsExact();
  });

  it("honours Retry-After on a 429 and stores the answer", async () => {
    let first = true;
    api.fault = (url) => {
      if (url.pathname === "/api/raw_stats" && url.searchParams.get("orchestrator") === ORCHS[0] && first) {
        first = false;
        return { status: 429, retryAfter: "0", body: "slow down" };
      }
      return null;
    };
    api.insert({ region: "MDW", orchestrator: ORCHS[0], success_rate: 0, round_trip_time: 0, errors: [{ error_code: "CONNECTION-REFUSED", count: 2 }], timestamp: NOW - 100, model: "m", pipeline: "text-to-image" }, Date.now() / 1000 - 1);
    const r = await pollLeaderboard(db, cfg(), { log });
    api.fault = null;
    expect(r.failures).toEqual([]);
    expect(r.stored).toBe(1);
    const [row] = await db.query<Json>(`select error_codes, error_counts, rtt_bucket from probes where orchestrator = $1 and model = 'm'`, [ORCHS[0]]);
    expect(row).toMatchObject({ error_codes: ["CONNECTION-REFUSED"], error_counts: [2], rtt_bucket: null });
  });

  it("a failure in a later window of a long backfill keeps the cursor at the last stored window", async () => {
    const newcomer = addr(9);
    await db.query(`insert into transcoders (address, active, total_stake, total_volume_eth, total_volume_usd) values ($1, true, '1', '0', '0')`, [newcomer]);
    const old = { region: "FRA", orchestrator: newcomer, success_rate: 1, round_trip_time: 4.5, errors: [], timestamp: NOW - 9 * 86_400, model: "m", pipeline: "llm" };
    api.insert(old, NOW - 9 * 86_400 + 30);
    api.insert({ ...old, timestamp: NOW - 100 }, Date.now() / 1000 - 10);
    api.fault = (url) => (url.searchParams.get("orchestrator") === newcomer && Number(url.searchParams.get("until")) >= NOW - 5 ? { status: 502 } : null);
    const now = Math.floor(Date.now() / 1000);
    const r = await pollLeaderboard(db, cfg({ LEADERBOARD_BACKFILL_DAYS: "10" }), { log, nowS: now });
    api.fault = null;
    expect(r.failures.map((f) => f.what)).toEqual([newcomer]);
    const [c] = await db.query<Json>(`select extract(epoch from polled_until)::float8 as until, extract(epoch from backfilled_from)::float8 as from_s from probe_cursors where orchestrator = $1`, [newcomer]);
    expect(Number(c.until)).toBe(now - 10 * 86_400 + WINDOW_S);
    expect(Number(c.from_s)).toBe(now - 10 * 86_400);
    expect((await db.query<{ n: number }>(`select count(*)::int as n from probes where orchestrator = $1`, [newcomer]))[0].n).toBe(1);
    const r2 = await pollLeaderboard(db, cfg({ LEADERBOARD_BACKFILL_DAYS: "10" }), { log });
    expect(r2.failures).toEqual([]);
    expect((await db.query<{ n: number }>(`select count(*)::int as n from probes where orchestrator = $1`, [newcomer]))[0].n).toBe(2);
  });
});

describe("the stand-in keeps the API's rules", () => {
  let api: LeaderboardStandIn;
  const sched = schedule();
  beforeAll(async () => {
    api = await startLeaderboardStandIn({ schedule: sched });
  });
  afterAll(async () => api?.close());
  const get = async (path: string, q: Record<string, string>) => {
    const r = await fetch(`${api.url}${path}?${new URLSearchParams(q)}`);
    return { status: r.status, text: await r.text(), type: r.headers.get("content-type") };
  };
  const o = ORCHS[0];
  const window = { since: String(sched.fromS - 3600), until: String(NOW) };

  it("pipeline and model go together, with the API's 400 texts", async () => {
    expect(await get("/api/raw_stats", { orchestrator: o, pipeline: "Text to image", ...window })).toMatchObject({ status: 400, text: '{"error":"model required"}\n' });
    expect(await get("/api/raw_stats", { orchestrator: o, model: "ByteDance/SDXL-Lightning", ...window })).toMatchObject({ status: 400, text: '{"error":"pipeline required"}\n' });
    expect(await get("/api/aggregated_stats", { model: "x" })).toMatchObject({ status: 400, text: '{"error":"pipeline required"}\n' });
    expect(await get("/api/raw_stats", { ...window })).toMatchObject({ status: 400, text: '{"error":"orchestrator is a required parameter"}\n' });
    expect(await get("/api/raw_stats", { orchestrator: o, since: "yesterday" })).toMatchObject({ status: 400, text: '{"error":"strconv.ParseFloat: parsing "yesterday": invalid syntax"}\n' });
    const both = await get("/api/raw_stats", { orchestrator: o, pipeline: "Text to image", model: "ByteDance/SDXL-Lightning", ...window });
    expect(both.status).toBe(200);
    const rows = Object.values(JSON.parse(both.text)).flat() as Json[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.pipeline === "Text to image" && r.model === "ByteDance/SDXL-Lightning")).toBe(true);
  });

  it("job_type: AI rows only with job_type=ai or a pipeline; case of orchestrator and region; seconds, not milliseconds", async () => {
    const noType = JSON.parse((await get("/api/raw_stats", { orchestrator: o, ...window })).text);
    expect(noType).toEqual({});
    const ai = JSON.parse((await get("/api/raw_stats", { orchestrator: o.toUpperCase().replace("0X", "0x"), job_type: "ai", region: "fra", ...window })).text);
    expect(Object.keys(ai)).toEqual(["FRA"]);
    const times = ai.FRA.map((r: Json) => r.timestamp);
    expect(times.length).toBeGreaterThan(3);
    const ms = JSON.parse((await get("/api/raw_stats", { orchestrator: o, job_type: "ai", since: String(Number(window.since) * 1000) })).text);
    expect(ms).toEqual({});
    // Absent when false: model_is_warm; zero values of omitempty fields; success_rate and round_trip_time always there.
    const all = Object.values(JSON.parse((await get("/api/raw_stats", { orchestrator: o, job_type: "ai", ...window })).text)).flat() as Json[];
    expect(all.some((r) => !("model_is_warm" in r))).toBe(true);
    expect(all.every((r) => r.model_is_warm === undefined || r.model_is_warm === true)).toBe(true);
    expect(all.every((r) => "success_rate" in r && "round_trip_time" in r && !("seg_duration" in r))).toBe(true);
  });

  it("windows on insert time, not on the rows' timestamps", async () => {
    const late = { region: "MDW", orchestrator: o, success_rate: 1, round_trip_time: 1, errors: [], timestamp: 1_600_000_000, model: "m", pipeline: "p" };
    api.insert(late, NOW - 10);
    const byInsert = JSON.parse((await get("/api/raw_stats", { orchestrator: o, job_type: "ai", since: String(NOW - 20), until: String(NOW) })).text);
    expect(byInsert.MDW.map((r: Json) => r.timestamp)).toContain(1_600_000_000);
    const byTimestamp = JSON.parse((await get("/api/raw_stats", { orchestrator: o, job_type: "ai", since: "1599999990", until: "1600000010" })).text);
    expect(byTimestamp).toEqual({});
    expect([...allRows(sched, 0, NOW)].length).toBeGreaterThan(100);
  });
});
