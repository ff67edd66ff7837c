// The JSON/CSV API against a real database (PGlite, and Postgres when TEST_DATABASE_URL is set),
// served by the real server (server.ts + the Remix build) on loopback.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../db/client";
import { startServer, type StartedServer } from "../server";
import { csvCell } from "../app/lib/csv.server";
import { backends, openTestDb, type TestDb } from "./helpers/db";
import { Decimal, GW, LAST_BLOCK, LAST_BLOCK_TIMESTAMP, LATEST_DAY, ORCH, SUBSIDY, FORMULA_URI, EVIL_URI, seedNetwork, sumRange, type SeededNetwork } from "./helpers/seed";

import { parseCsv } from "./helpers/csv";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any


const dec = (s: string) => new Decimal(s);
const eq = (a: string, b: Decimal | string) => expect(dec(a).equals(b instanceof Decimal ? b : dec(b)), `${a} = ${b.toString()}`).toBe(true);

describe.each(backends())("API on %s", (backend) => {
  let db: TestDb;
  let server: StartedServer;
  let seeded: SeededNetwork;

  const get = async (path: string) => {
    const r = await fetch(server.url + path);
    const text = await r.text();
    let body: Json = text;
    if ((r.headers.get("content-type") ?? "").includes("application/json")) body = JSON.parse(text);
    return { status: r.status, headers: r.headers, body, text };
  };

  beforeAll(async () => {
    db = await openTestDb(backend);
    seeded = await seedNetwork(db);
    server = await startServer({ db, port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  describe("/api/fees", () => {
    it("defaults to 90 daily rows ending at the latest indexed day, with asOf", async () => {
      const { status, body } = await get("/api/fees");
      expect(status).toBe(200);
      expect(body.interval).toBe("day");
      expect(body.to).toBe(LATEST_DAY);
      expect(body.from).toBe("2025-01-01");
      expect(body.rows).toHaveLength(90);
      expect(body.asOf).toEqual({ block: LAST_BLOCK, timestamp: new Date(LAST_BLOCK_TIMESTAMP * 1000).toISOString() });
      const r = body.rows[0];
      expect(Object.keys(r).sort()).toEqual(["period", "split", "tickets", "volumeEth", "volumeUsd"]);
      expect(typeof r.volumeEth).toBe("string");
      expect(typeof r.volumeUsd).toBe("string");
      expect(typeof r.tickets).toBe("number");
      expect(Object.keys(body.totals).sort()).toEqual(["split", "tickets", "volumeEth", "volumeUsd"]);
    });

    it("zero-fills empty days, UTC day boundaries included", async () => {
      const { body } = await get("/api/fees?from=2024-12-30&to=2025-01-04");
      expect(body.rows.map((r: Json) => r.period)).toEqual(["2024-12-30", "2024-12-31", "2025-01-01", "2025-01-02", "2025-01-03", "2025-01-04"]);
      expect(body.rows.map((r: Json) => r.volumeEth)).toEqual(["0", "0.5", "12.345678901234567891", "0", "0.000000000000000001", "0"]);
      expect(body.rows.map((r: Json) => r.tickets)).toEqual([0, 1, 1, 0, 1, 0]);
      expect(body.rows[3].volumeUsd).toBe("0");
    });

    it("totals are the exact decimal sum of every seeded ticket, to the last digit", async () => {
      const { body } = await get("/api/fees?from=2024-12-01&to=2025-03-31");
      expect(body.totals.volumeEth).toBe(seeded.totalEth);
      eq(body.totals.volumeUsd, seeded.totalUsd);
      expect(body.totals.tickets).toBe(seeded.tickets.length);
      // A float sum would not have matched (so this test can tell).
      const float = seeded.tickets.reduce((a, t) => a + Number(t.faceValueEth), 0);
      expect(String(float)).not.toBe(seeded.totalEth);
      // Rows add up to the totals, and each day matches the seeded tickets.
      const sum = body.rows.reduce((a: Decimal, r: Json) => a.plus(r.volumeEth), new Decimal(0));
      eq(body.totals.volumeEth, sum);
      for (const r of body.rows) {
        const d = seeded.byDay.get(r.period);
        eq(r.volumeEth, d ? d.eth : new Decimal(0));
        eq(r.volumeUsd, d ? d.usd : new Decimal(0));
        expect(r.tickets).toBe(d?.tickets ?? 0);
      }
    });

    it("weeks are ISO weeks labelled by their Monday, edge weeks count only days in range", async () => {
      const { body } = await get("/api/fees?interval=week&from=2025-01-01&to=2025-01-31");
      expect(body.rows.map((r: Json) => r.period)).toEqual(["2024-12-30", "2025-01-06", "2025-01-13", "2025-01-20", "2025-01-27"]);
      for (const r of body.rows) expect(new Date(`${r.period}T00:00:00Z`).getUTCDay()).toBe(1);
      // 2024-12-31 (0.5 ETH) is in the first ISO week but outside the range.
      expect(body.rows[0].volumeEth).toBe("12.345678901234567892");
      expect(body.rows[0].tickets).toBe(2);
      expect(body.rows[1].volumeEth).toBe("0");
      eq(body.rows[4].volumeEth, sumRange(seeded, "2025-01-27", "2025-01-31").eth);
      eq(body.totals.volumeEth, sumRange(seeded, "2025-01-01", "2025-01-31").eth);
    });

    it("months are labelled by their first day, partial first and last months", async () => {
      const { body } = await get("/api/fees?interval=month&from=2025-01-15&to=2025-03-10");
      expect(body.rows.map((r: Json) => r.period)).toEqual(["2025-01-01", "2025-02-01", "2025-03-01"]);
      expect(body.rows[0].volumeEth).toBe("10.440532588074326334"); // 9.007199254740993001 + 0.333333333333333333 + 1.1
      expect(body.rows[1].volumeEth).toBe("28");
      expect(body.rows[2].volumeEth).toBe("40");
      expect(body.rows[2].tickets).toBe(220);
      eq(body.rows[0].volumeUsd, sumRange(seeded, "2025-01-15", "2025-01-31").usd);
    });

    it("splits subsidised and organic fees per row and in totals", async () => {
      const { body } = await get("/api/fees?from=2025-02-27&to=2025-03-02");
      expect(body.rows.map((r: Json) => [r.split.subsidizedEth, r.split.organicEth])).toEqual([
        ["0", "1"],
        ["0", "1"],
        ["2", "2"],
        ["2", "2"],
      ]);
      expect(body.totals.split.subsidizedEth).toBe("4");
      expect(body.totals.split.organicEth).toBe("6");
      expect(body.totals.split.subsidizedUsd).toBe("8000");
      eq(body.totals.split.organicUsd, sumRange(seeded, "2025-02-27", "2025-03-02", (t) => t.sender !== GW.subsidized).usd);
    });

    it("view=cumulative adds running totals that end at the range total", async () => {
      const { body } = await get("/api/fees?interval=week&from=2025-02-01&to=2025-03-31&view=cumulative");
      const last = body.rows[body.rows.length - 1];
      expect(last.cumulative.volumeEth).toBe(body.totals.volumeEth);
      expect(last.cumulative.tickets).toBe(body.totals.tickets);
      expect(last.cumulative.split.subsidizedEth).toBe("62");
      expect(body.rows[0].cumulative.volumeEth).toBe(body.rows[0].volumeEth);
    });

    it("is null-safe before anything is indexed", async () => {
      await db.query(`update source_state set block = null, block_timestamp = null`);
      try {
        const { status, body } = await get("/api/fees?interval=month");
        expect(status).toBe(200);
        expect(body.asOf).toEqual({ block: null, timestamp: null });
        expect(body.to).toBe(new Date().toISOString().slice(0, 10));
      } finally {
        await db.query(`update source_state set block = $1, block_timestamp = $2`, [LAST_BLOCK, LAST_BLOCK_TIMESTAMP]);
      }
    });

    it.each([
      ["/api/fees?interval=year", /interval/],
      ["/api/fees?from=2025-1-5", /malformed date/],
      ["/api/fees?from=yesterday", /malformed date/],
      ["/api/fees?from=2025-02-30", /impossible date/],
      ["/api/fees?to=2025-13-01", /impossible date/],
      ["/api/fees?from=2025-03-10&to=2025-03-01", /reversed/],
      ["/api/fees?from=1900-01-01&to=2025-01-01", /too long/],
      ["/api/fees?view=sideways", /view/],
      ["/api/fees?format=xml", /format/],
      ["/api/fees/growth?baselineFrom=2025-02-31", /impossible date/],
      ["/api/fees/growth?from=2025-03-10&to=2025-03-01", /reversed/],
      ["/api/fees/gateways?from=2025-04-01&to=2025-03-01", /reversed/],
      ["/api/orchestrators?sort=bogus", /sort/],
      ["/api/orchestrators?sort=address&dir=up", /dir/],
      ["/api/orchestrators/0x1234", /malformed address/],
      [`/api/orchestrators/${ORCH.o1}?from=2025-02-30`, /impossible date/],
    ])("%s -> 400 {error}", async (path, reason) => {
      const { status, body, headers } = await get(path);
      expect(status).toBe(400);
      expect(headers.get("content-type")).toMatch(/application\/json/);
      expect(Object.keys(body)).toEqual(["error"]);
      expect(body.error).toMatch(reason);
    });
  });

  describe("/api/fees/growth", () => {
    it("computes the multiple on a crafted baseline: 1 ETH/day vs 4 ETH/day -> 4", async () => {
      const { status, body } = await get("/api/fees/growth?baselineFrom=2025-02-01&baselineTo=2025-02-28&from=2025-03-01&to=2025-03-31");
      expect(status).toBe(200);
      expect(body.baseline).toMatchObject({ from: "2025-02-01", to: "2025-02-28", days: 28, volumeEth: "28", dailyAvgEth: "1", subsidizedEth: "0", organicEth: "28" });
      expect(body.period).toMatchObject({ from: "2025-03-01", to: "2025-03-31", days: 31, volumeEth: "124", dailyAvgEth: "4", subsidizedEth: "62", organicEth: "62" });
      expect(body.multiple).toBe(4);
      expect(body.organicMultiple).toBe(2);
    });

    it("defaults to the tagged subsidy window and the same number of days before it", async () => {
      const { body } = await get("/api/fees/growth");
      expect(body.period).toMatchObject({ from: SUBSIDY.from, to: SUBSIDY.to, days: 31 });
      expect(body.baseline).toMatchObject({ from: "2025-01-29", to: "2025-02-28", days: 31, volumeEth: "29.1" });
      // 29.1 / 31 rounded to 18 decimals, in exact arithmetic.
      expect(body.baseline.dailyAvgEth).toBe(new Decimal("29.1").div(31).toDecimalPlaces(18).toFixed());
      expect(body.multiple).toBe(Number(new Decimal(124).div("29.1").toDecimalPlaces(3).toFixed()));
      expect(body.periodSource).toBe("subsidy-window");
    });

    it("without a tagged window: the last 30 days vs the 30 days before", async () => {
      await db.query(`update gateway_tags set period_from = null, period_to = null where tag = 'subsidized'`);
      try {
        const { body } = await get("/api/fees/growth");
        expect(body.period).toMatchObject({ from: "2025-03-02", to: "2025-03-31", days: 30, volumeEth: "120" });
        expect(body.baseline).toMatchObject({ from: "2025-01-31", to: "2025-03-01", days: 30 });
        eq(body.baseline.volumeEth, sumRange(seeded, "2025-01-31", "2025-03-01").eth);
      } finally {
        await db.query(`update gateway_tags set period_from = $1::date, period_to = $2::date where tag = 'subsidized'`, [SUBSIDY.from, SUBSIDY.to]);
      }
    });

    it("a zero baseline gives a null multiple", async () => {
      const { body } = await get("/api/fees/growth?baselineFrom=2024-11-01&baselineTo=2024-11-30&from=2025-03-01&to=2025-03-31");
      expect(body.baseline.volumeEth).toBe("0");
      expect(body.baseline.dailyAvgEth).toBe("0");
      expect(body.multiple).toBeNull();
      expect(body.organicMultiple).toBeNull();
    });
  });

  describe("/api/fees/summary, gateways, orchestrators", () => {
    it("KPI windows: last 7 and 30 days vs the previous windows", async () => {
      const { body } = await get("/api/fees/summary");
      const [w7, w30] = body.windows;
      expect(w7).toMatchObject({ days: 7, from: "2025-03-25", to: LATEST_DAY, volumeEth: "28", tickets: 154 });
      expect(w7.previous).toMatchObject({ from: "2025-03-18", to: "2025-03-24", volumeEth: "28" });
      expect(w7.changePct.volumeEth).toBe(0);
      expect(w30).toMatchObject({ days: 30, from: "2025-03-02", volumeEth: "120" });
      eq(w30.previous.volumeEth, sumRange(seeded, "2025-01-31", "2025-03-01").eth);
      expect(w30.changePct.volumeEth).toBe(Number(new Decimal(120).minus("33.1").times(100).div("33.1").toDecimalPlaces(1).toFixed()));
    });

    it("fees by gateway carry tag, label and share; by orchestrator add up to the same total", async () => {
      const g = (await get("/api/fees/gateways?from=2025-02-01&to=2025-03-31")).body;
      const sub = g.rows.find((r: Json) => r.address === GW.subsidized);
      expect(sub).toMatchObject({ tag: "subsidized", label: SUBSIDY.label, subsidized: true, volumeEth: "62", tickets: 62 });
      eq(g.rows.reduce((a: Decimal, r: Json) => a.plus(r.volumeEth), new Decimal(0)).toFixed(), g.totals.volumeEth);
      expect(g.rows.reduce((a: number, r: Json) => a + r.sharePct, 0)).toBeCloseTo(100, 1);
      const o = (await get("/api/fees/orchestrators?from=2025-02-01&to=2025-03-31")).body;
      expect(o.totals.volumeEth).toBe(g.totals.volumeEth);
      eq(o.rows.reduce((a: Decimal, r: Json) => a.plus(r.volumeEth), new Decimal(0)).toFixed(), o.totals.volumeEth);
      expect(o.rows.find((r: Json) => r.address === ORCH.o2).serviceUri).toBe(EVIL_URI);
    });
  });

  describe("/api/orchestrators", () => {
    it("lists every orchestrator, including one with fees but no Transcoder row", async () => {
      const { status, body } = await get("/api/orchestrators");
      expect(status).toBe(200);
      expect(body.rows).toHaveLength(5);
      const byAddr = Object.fromEntries(body.rows.map((r: Json) => [r.address, r]));
      expect(Object.keys(byAddr.sort ?? body.rows[0]).sort()).toEqual(
        ["active", "address", "feeSharePct", "feesEth30d", "feesEthTotal", "rewardCutPct", "serviceUri", "status", "totalStake",
         // job figures from the logs (tests/api-jobs.test.ts)
         "jobs", "successes", "successRate", "latencyMs", "latencySamples", "expectedFeesEth", "outputSeconds",
         // cost per video second (tests/api-cost.test.ts)
         "videoJobs", "videoSeconds", "ethPerVideoSecond", "usdPerVideoSecond",
         // advertised at the newest capabilities poll (tests/orchestrator-pages.test.ts)
         "gpus", "gpuCount", "livePrice",
         // public probes (tests/leaderboard-pages.test.ts)
         "probeCount", "probeSuccessRate", "probeRoundTripS", "probeRoundTripSamples", "probeScore"].sort(),
      );
      expect(byAddr[ORCH.o4]).toMatchObject({ serviceUri: null, active: null, totalStake: null, feeSharePct: null });
      expect(byAddr[ORCH.o5]).toMatchObject({ feeSharePct: 12.3456, rewardCutPct: 5, totalStake: "1.000000000000000001", feesEth30d: "0", feesEthTotal: "0" });
      expect(byAddr[ORCH.o1]).toMatchObject({ feeSharePct: 50, rewardCutPct: 10, totalStake: "120000.5", active: true });
      // Pages show the explorer's "fee cut" (what the orchestrator keeps), 100% minus the on-chain feeShare.
      const o5Page = (await fetch(`${server.url}/orchestrators/${ORCH.o5}`)).text().then((t) => t.replaceAll("<!-- -->", ""));
      expect(await o5Page).toContain("87.6544% <span class=\"muted\">kept by the orchestrator, as the explorer shows it; delegators get the rest (feeShare 12.3456%)");
      const table = (await (await fetch(`${server.url}/orchestrators?sort=address`)).text()).replaceAll("<!-- -->", "");
      expect(table).toContain(">Fee cut<");
      expect(table).toContain('<span title="delegators get 12.3456% (feeShare)">87.6544%</span>');
      for (const a of Object.values(ORCH)) {
        eq(byAddr[a].feesEthTotal, seeded.byOrchestrator.get(a) ?? new Decimal(0));
        eq(byAddr[a].feesEth30d, sumRange(seeded, "2025-03-02", LATEST_DAY, (t) => t.recipient === a).eth);
      }
      // Default sort: 30-day fees, largest first.
      const fees = body.rows.map((r: Json) => dec(r.feesEth30d));
      for (let i = 1; i < fees.length; i++) expect(fees[i - 1].gte(fees[i])).toBe(true);
    });

    it("sorts by any column, numerically for numbers, nulls last", async () => {
      const stake = (await get("/api/orchestrators?sort=totalStake&dir=desc")).body.rows.map((r: Json) => r.address);
      expect(stake).toEqual([ORCH.o1, ORCH.o2, ORCH.o5, ORCH.o3, ORCH.o4]);
      const stakeAsc = (await get("/api/orchestrators?sort=totalStake&dir=asc")).body.rows.map((r: Json) => r.address);
      expect(stakeAsc).toEqual([ORCH.o3, ORCH.o5, ORCH.o2, ORCH.o1, ORCH.o4]);
      const addr = (await get("/api/orchestrators?sort=address")).body;
      expect(addr.dir).toBe("asc");
      expect(addr.rows.map((r: Json) => r.address)).toEqual([...Object.values(ORCH)].sort());
      const total = (await get("/api/orchestrators?sort=feesEthTotal&dir=desc")).body.rows.map((r: Json) => r.address);
      const fee = (a: string) => seeded.byOrchestrator.get(a) ?? new Decimal(0);
      expect(total).toEqual([...Object.values(ORCH)].sort((a, b) => fee(b).comparedTo(fee(a)) || (a < b ? -1 : 1)));
    });

    it("one orchestrator: row plus a zero-filled daily series; lowercases; 404 and 400", async () => {
      const { status, body } = await get(`/api/orchestrators/${ORCH.o4.toUpperCase().replace("0X", "0x")}?from=2025-01-01&to=2025-01-05`);
      expect(status).toBe(200);
      expect(body.address).toBe(ORCH.o4);
      expect(body.serviceUri).toBeNull();
      expect(body.series.map((s: Json) => s.volumeEth)).toEqual(["0", "0", "0.000000000000000001", "0", "0"]);
      expect(body.series.map((s: Json) => s.period)).toEqual(["2025-01-01", "2025-01-02", "2025-01-03", "2025-01-04", "2025-01-05"]);
      expect(body.totals).toMatchObject({ volumeEth: "0.000000000000000001", tickets: 1 });
      const def = (await get(`/api/orchestrators/${ORCH.o1}`)).body;
      expect(def.series).toHaveLength(90);
      expect(def.to).toBe(LATEST_DAY);
      const missing = await get(`/api/orchestrators/0x${"99".repeat(20)}`);
      expect(missing.status).toBe(404);
      expect(missing.body.error).toMatch(/unknown orchestrator/);
      const bad = await get("/api/orchestrators/not-an-address");
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatch(/malformed address/);
    });
  });

  describe("/api/status and /healthz", () => {
    it("reports each source and the last runs, newest first", async () => {
      const { status, body } = await get("/api/status");
      expect(status).toBe(200);
      const s = body.sources.find((x: Json) => x.name === "subgraph");
      expect(Object.keys(s)).toEqual(
        expect.arrayContaining(["name", "lastRunAt", "lastSuccessAt", "block", "blockTimestamp", "lagSeconds", "status", "error", "rowsWritten", "lastRunRows", "progress"]),
      );
      expect(s.block).toBe(LAST_BLOCK);
      expect(s.blockTimestamp).toBe(new Date(LAST_BLOCK_TIMESTAMP * 1000).toISOString());
      expect(s.status).toBe("degraded"); // the seeded block is from 2025
      expect(s.lagSeconds).toBeGreaterThan(15 * 60);
      expect(body.runs).toHaveLength(3);
      const started = body.runs.map((r: Json) => Date.parse(r.startedAt));
      expect([...started].sort((a, b) => b - a)).toEqual(started);
      expect(body.runs[1]).toMatchObject({ ok: false, error: expect.stringContaining("bad indexers") });
    });

    it("classifies ok, degraded and failing", async () => {
      const now = Date.now();
      const ago = (s: number) => new Date(now - s * 1000).toISOString();
      const unixAgo = (s: number) => Math.floor(now / 1000) - s;
      const rows: [string, number | null, string | null, string | null, string | null][] = [
        // name, block_timestamp, last_success_at, last_error_at, last_error
        ["t-ok", unixAgo(60), ago(60), null, null],
        ["t-lagging", unixAgo(3600), ago(60), null, null],
        ["t-stale-success", unixAgo(60), ago(7200), null, null],
        ["t-failing", unixAgo(60), ago(600), ago(30), "HTTP 503 from the gateway"],
        ["t-recovered", unixAgo(60), ago(30), ago(600), "old error"],
        ["t-no-block", null, ago(60), null, null],
        ["t-never", null, null, null, null],
      ];
      for (const [name, bt, ok, errAt, err] of rows) {
        await db.query(
          `insert into source_state (name, block, block_timestamp, last_run_at, last_success_at, last_error_at, last_error, progress)
           values ($1, 1, $2, $3::timestamptz, $3::timestamptz, $4::timestamptz, $5, $6::jsonb)`,
          [name, bt, ok, errAt, err, name === "t-ok" ? JSON.stringify({ phase: "tickets", done: 500, total: 1000, ratePerSec: 250, etaSeconds: 2 }) : null],
        );
      }
      try {
        const { body } = await get("/api/status");
        const by = Object.fromEntries(body.sources.map((s: Json) => [s.name, s]));
        expect(by["t-ok"].status).toBe("ok");
        expect(by["t-ok"].progress).toEqual({ phase: "tickets", done: 500, total: 1000, ratePerSec: 250, etaSeconds: 2 });
        expect(by["t-lagging"].status).toBe("degraded");
        expect(by["t-lagging"].lagSeconds).toBeGreaterThanOrEqual(3600);
        expect(by["t-stale-success"].status).toBe("degraded");
        expect(by["t-failing"].status).toBe("failing");
        expect(by["t-failing"].error).toBe("HTTP 503 from the gateway");
        expect(by["t-recovered"].status).toBe("ok");
        expect(by["t-recovered"].error).toBeNull();
        expect(by["t-no-block"].status).toBe("ok");
        expect(by["t-no-block"].lagSeconds).toBeNull();
        expect(by["t-never"].status).toBe("degraded");
      } finally {
        await db.query(`delete from source_state where name like 't-%'`);
      }
    });

    it("/healthz answers 200 when the database does, 503 when it does not", async () => {
      const ok = await get("/healthz");
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ ok: true });
      const broken = { ...db, query: async () => Promise.reject(new Error("connection refused")) } as unknown as Db;
      const down = await startServer({ db: broken, port: 0, host: "127.0.0.1" });
      try {
        const r = await fetch(`${down.url}/healthz`);
        expect(r.status).toBe(503);
        expect((await r.json()).ok).toBe(false);
      } finally {
        await down.close();
      }
    });
  });

  describe("CSV", () => {
    it("fees CSV has a header, a dated filename and parses back to the JSON numbers", async () => {
      const q = "interval=week&from=2025-01-01&to=2025-03-31";
      const csv = await get(`/api/fees?${q}&format=csv`);
      expect(csv.status).toBe(200);
      expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
      expect(csv.headers.get("content-disposition")).toMatch(/attachment; filename="observatory-fees-week-2025-01-01_2025-03-31\.csv"/);
      const [header, ...rows] = parseCsv(csv.text);
      expect(header).toEqual(["period", "volume_eth", "volume_usd", "tickets", "subsidized_eth", "organic_eth", "subsidized_usd", "organic_usd"]);
      const json = (await get(`/api/fees?${q}`)).body;
      expect(rows).toHaveLength(json.rows.length);
      rows.forEach((r, i) => {
        const j = json.rows[i];
        expect(r).toEqual([j.period, j.volumeEth, j.volumeUsd, String(j.tickets), j.split.subsidizedEth, j.split.organicEth, j.split.subsidizedUsd, j.split.organicUsd]);
      });
      eq(rows.reduce((a, r) => a.plus(r[1]), new Decimal(0)).toFixed(), json.totals.volumeEth);
    });

    it("neutralises formula injection but keeps plain numbers", async () => {
      const csv = await get("/api/orchestrators?format=csv&sort=address");
      expect(csv.headers.get("content-disposition")).toMatch(/filename="observatory-orchestrators-fees30d-2025-03-02_2025-03-31\.csv"/);
      const [header, ...rows] = parseCsv(csv.text);
      const uri = header.indexOf("service_uri");
      const o3 = rows.find((r) => r[0] === ORCH.o3)!;
      expect(o3[uri]).toBe(`'${FORMULA_URI}`);
      expect(rows.find((r) => r[0] === ORCH.o2)![uri]).toBe(EVIL_URI);
      const gw = parseCsv((await get("/api/fees/gateways?format=csv&from=2025-01-01&to=2025-03-31")).text);
      expect(gw.find((r) => r[0] === GW.organic2)![2]).toBe("'@SUM(1+1)");
      expect(csvCell("-1.5")).toBe("-1.5");
      expect(csvCell("+3")).toBe("+3");
      expect(csvCell(-2)).toBe("-2");
      expect(csvCell("-1+2")).toBe("'-1+2");
      expect(csvCell("=1+2")).toBe("'=1+2");
      expect(csvCell('a,"b"')).toBe('"a,""b"""');
    });

    it("growth, gateways, orchestrator and status CSVs name their range", async () => {
      const g = await get("/api/fees/growth?format=csv&baselineFrom=2025-02-01&baselineTo=2025-02-28&from=2025-03-01&to=2025-03-31");
      expect(g.headers.get("content-disposition")).toMatch(/fee-growth-2025-02-01_2025-02-28-vs-2025-03-01_2025-03-31\.csv/);
      const rows = parseCsv(g.text);
      expect(rows[2].slice(0, 6)).toEqual(["period", "2025-03-01", "2025-03-31", "31", "124", "4"]);
      expect(rows[2][9]).toBe("4");
      const o = await get(`/api/orchestrators/${ORCH.o1}?format=csv&from=2025-03-01&to=2025-03-03`);
      expect(o.headers.get("content-disposition")).toMatch(new RegExp(`orchestrator-${ORCH.o1}-2025-03-01_2025-03-03\\.csv`));
      expect(parseCsv(o.text)).toHaveLength(4);
      const s = await get("/api/status?format=csv&table=runs");
      expect(parseCsv(s.text)[0]).toContain("started_at");
    });
  });
});
