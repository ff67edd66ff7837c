// Reports (issue 5): the builder, saved (frozen) reports, the report API, its rate limit, the PDF and
// escaping, against a real database (PGlite, and Postgres when TEST_DATABASE_URL is set) served by
// the real server on loopback. A report's figures are compared with the JSON API's for the same
// range and with sums of the seeded data; a saved report is compared byte for byte after new
// tickets and jobs are indexed. The PDF and browser suites drive Debian's Chromium.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser } from "playwright-core";
import { insertTickets } from "../indexer/sources/subgraph/store";
import { ingestNdjson } from "../indexer/sources/joblogs/push";
import { runPrices } from "../indexer/sources/prices/load";
import { startServer, type StartedServer } from "../server";
import { chromiumPath } from "./helpers/browser";
import { parseCsv } from "./helpers/csv";
import { backends, openTestDb, type TestDb } from "./helpers/db";
import {
  Decimal,
  EVIL_URI,
  FORMULA_URI,
  GW,
  LAST_BLOCK,
  LAST_BLOCK_TIMESTAMP,
  ORCH,
  PIPE,
  seedJobs,
  seedNetwork,
  sumRange,
  type SeededNetwork,
} from "./helpers/seed";
import type { JobLine } from "../indexer/demo/job-lines";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

// The subsidy window (March 2025) against February.
const RANGE = { from: "2025-03-01", to: "2025-03-31", baselineFrom: "2025-02-01", baselineTo: "2025-02-28" };
const qs = (r: Record<string, string>) => new URLSearchParams(r).toString();
const dayOfMs = (ms: number) => new Date(ms).toISOString().slice(0, 10);

// Every suite tells its clients apart by X-Forwarded-For, so rate limits of one test never reach another.
process.env.TRUST_PROXY = "1";

async function http(base: string, path: string, init: RequestInit & { ip?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.ip) headers.set("x-forwarded-for", `${init.ip}, 10.0.0.1`);
  const r = await fetch(base + path, { redirect: "manual", ...init, headers });
  const text = await r.text();
  let body: Json = text;
  if ((r.headers.get("content-type") ?? "").includes("application/json")) body = JSON.parse(text);
  return { status: r.status, headers: r.headers, body, text };
}

function postJson(base: string, body: unknown, ip: string) {
  return http(base, "/api/reports", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), ip });
}

describe.each(backends().map((b, i) => [b, i] as const))("reports on %s", (backend, index) => {
  let db: TestDb;
  let server: StartedServer;
  let seeded: SeededNetwork;
  let lines: JobLine[];
  let n = 0;
  /** A fresh client address for each use, distinct per backend. */
  const ip = () => `198.51.${100 + index}.${++n}`;
  const get = (path: string) => http(server.url, path);

  async function save(r: Record<string, unknown> = RANGE): Promise<string> {
    const res = await postJson(server.url, r, ip());
    expect(res.status, res.text).toBe(201);
    expect(res.body).toEqual({ id: expect.stringMatching(/^[0-9a-hjkmnp-tv-z]{10}$/) });
    expect(res.headers.get("location")).toBe(`/reports/${res.body.id}`);
    return res.body.id;
  }

  beforeAll(async () => {
    db = await openTestDb(backend);
    seeded = await seedNetwork(db);
    lines = await seedJobs(db);
    await runPrices(db, { dir: "indexer/data", log: () => {} });
    server = await startServer({ db, port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it("a saved report's figures equal the JSON API's figures for the same range", async () => {
    const id = await save();
    const { status, body: rep } = await get(`/api/reports/${id}`);
    expect(status).toBe(200);
    expect(rep).toMatchObject({ id, format: 1, input: RANGE });
    const f = rep.figures;
    const p = { from: RANGE.from, to: RANGE.to };
    const b = { from: RANGE.baselineFrom, to: RANGE.baselineTo };

    // Fees and growth: /api/fees/growth, and the totals of /api/fees/gateways for each window.
    const growth = (await get(`/api/fees/growth?${qs(RANGE)}`)).body;
    expect(f.fees.growth).toEqual({ baseline: growth.baseline, period: growth.period, multiple: growth.multiple, organicMultiple: growth.organicMultiple });
    const gwP = (await get(`/api/fees/gateways?${qs(p)}`)).body;
    const gwB = (await get(`/api/fees/gateways?${qs(b)}`)).body;
    expect(f.fees.period).toEqual(gwP.totals);
    expect(f.fees.baseline).toEqual(gwB.totals);
    expect(f.gateways).toEqual({ paying: gwP.rows.length, top: gwP.rows.slice(0, 10) });

    // Daily chart rows: /api/fees by day over baseline start .. period end.
    const fees = (await get(`/api/fees?interval=day&from=${RANGE.baselineFrom}&to=${RANGE.to}`)).body;
    expect(f.fees.chart).toEqual({ from: RANGE.baselineFrom, to: RANGE.to, interval: "day", rows: fees.rows });

    // Jobs: /api/pipelines for each window; video seconds = the video pipelines' output seconds.
    const pipesP = (await get(`/api/pipelines?${qs(p)}`)).body;
    const pipesB = (await get(`/api/pipelines?${qs(b)}`)).body;
    expect(f.jobs.period).toEqual(pipesP.totals);
    expect(f.jobs.baseline).toEqual(pipesB.totals);
    expect(f.jobs.pipelines).toEqual(pipesP.rows);
    const video = (rows: Json[]) =>
      rows.filter((r) => r.pipeline === "image-to-video" || r.pipeline === "live-video-to-video").reduce((a, r) => a.plus(r.outputSeconds), new Decimal(0));
    expect(new Decimal(f.jobs.videoSeconds).equals(video(pipesP.rows))).toBe(true);

    // Orchestrators: fee columns from /api/fees/orchestrators, job columns from /api/orchestrators over every pipeline
    // (pipeline=all). The API gives no percentile over mixed pipelines; a report's are compared per pipeline above.
    const feeRows = (await get(`/api/fees/orchestrators?${qs(p)}`)).body.rows;
    const jobRows = (await get(`/api/orchestrators?${qs(p)}&pipeline=all`)).body.rows;
    const jobsBy = new Map(jobRows.map((r: Json) => [r.address, r]));
    expect(f.orchestrators.earning).toBe(feeRows.length);
    expect(f.orchestrators.topByFees.map((o: Json) => o.address)).toEqual(feeRows.slice(0, 10).map((r: Json) => r.address));
    const JOB_KEYS = ["jobs", "successes", "successRate", "latencySamples", "expectedFeesEth", "outputSeconds"];
    const pick = (o: Json, keys: string[]) => Object.fromEntries(keys.map((k) => [k, o[k]]));
    for (const [i, o] of f.orchestrators.topByFees.entries()) {
      expect(pick(o, ["address", "serviceUri", "tickets", "volumeEth", "volumeUsd", "sharePct"])).toEqual(feeRows[i]);
      expect(pick(o, JOB_KEYS)).toEqual(pick(jobsBy.get(o.address), JOB_KEYS));
    }
    expect(f.orchestrators.withJobs).toBe(jobRows.filter((r: Json) => r.jobs > 0).length);
    for (const o of f.orchestrators.topByJobs) expect(pick(o, JOB_KEYS)).toEqual(pick(jobsBy.get(o.address), JOB_KEYS));

    // Cost: Livepeer per video second from /api/cost, each class's cheapest compared offer from /api/cloud-comparison.
    const cost = (await get(`/api/cost?${qs(p)}`)).body.rows;
    expect(f.costUnavailable).toBeNull();
    expect(f.cost.rows.length).toBeGreaterThan(0);
    for (const row of f.cost.rows) {
      const c = cost.find((r: Json) => r.pipeline === row.pipeline && r.modelId === row.modelId);
      expect(c.output).toBe("video-seconds");
      expect(row).toMatchObject({ jobs: c.jobs, outputSeconds: c.outputSeconds, livepeerUsdPerVideoSecond: c.usdPerVideoSecond, livepeerEthPerVideoSecond: c.ethPerVideoSecond });
      expect(row.livepeerUsdPerVideoSecond).not.toBeNull();
      const cmp = (await get(`/api/cloud-comparison?${qs({ ...p, pipeline: row.pipeline, model: row.modelId })}`)).body;
      expect(row.classes.length).toBeGreaterThan(0);
      for (const k of row.classes) {
        const offers = cmp.offers.filter((o: Json) => o.class === k.class && o.status === "compared" && o.usdPerVideoSecond !== null);
        expect(k.offers, k.class).toBe(offers.length);
        if (!offers.length) {
          expect(k.cheapest).toBeNull();
          continue;
        }
        const min = offers.reduce((a: Json, o: Json) => (new Decimal(o.usdPerVideoSecond).lessThan(a.usdPerVideoSecond) ? o : a));
        expect(new Decimal(k.cheapest.usdPerVideoSecond).equals(min.usdPerVideoSecond), k.class).toBe(true);
        expect(k.cheapest).toMatchObject({ ratioToLivepeer: min.ratioToLivepeer, source: min.source, asOf: min.asOf });
      }
    }
    const [meta] = await db.query<Json>(`select loaded_at, prices_sha256, newest_as_of, oldest_as_of from catalogue_meta`);
    expect(rep.provenance.catalogue).toMatchObject({ pricesSha256: meta.prices_sha256, newestAsOf: meta.newest_as_of, oldestAsOf: meta.oldest_as_of });
    expect(f.cost.catalogue).toEqual({ loadedAt: rep.provenance.catalogue.loadedAt, newestAsOf: meta.newest_as_of, oldestAsOf: meta.oldest_as_of });

    // Provenance: the subgraph's block and the last logged hour.
    expect(rep.provenance.subgraph).toMatchObject({ block: LAST_BLOCK, blockTimestamp: new Date(LAST_BLOCK_TIMESTAMP * 1000).toISOString(), latestDay: "2025-03-31" });
    expect(rep.provenance.logs).toMatchObject({ firstDay: "2025-02-20", lastDay: "2025-03-31" });
    expect(rep.createdAt).toBe(rep.provenance.computedAt);
  });

  it("the builder's preview (GET /api/reports?…) is the saved report's computation, and its CSV holds every chart's points", async () => {
    const id = await save();
    const [saved, preview, csv, fees] = await Promise.all([
      get(`/api/reports/${id}`),
      get(`/api/reports?${qs(RANGE)}`),
      get(`/api/reports?${qs(RANGE)}&format=csv`),
      get(`/api/fees?${qs({ from: RANGE.baselineFrom, to: RANGE.to, interval: "day" })}`),
    ]);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ id: null, saved: false, input: RANGE });
    expect(preview.body.figures).toEqual(saved.body.figures);
    expect(csv.headers.get("content-disposition")).toContain(`report-preview-${RANGE.from}_${RANGE.to}-vs-${RANGE.baselineFrom}_${RANGE.baselineTo}.csv`);
    const [header, ...rows] = parseCsv(csv.text);
    expect(header).toEqual(["section", "item", "metric", "value"]);
    // The fee chart's points are /api/fees's rows for the chart span, to the wei.
    const chart = new Map(rows.filter((r) => r[0] === "fee_chart" && r[2] === "fees_eth").map((r) => [r[1], r[3]]));
    expect(saved.body.figures.fees.chart.interval).toBe("day");
    expect(chart.size).toBe(fees.body.rows.length);
    for (const r of fees.body.rows) expect(chart.get(r.period), r.period).toBe(r.volumeEth);
    const series = rows.filter((r) => r[0] === "job_series" && r[2] === "jobs");
    expect(series.length).toBe(saved.body.figures.jobs.series.length);
    // A bad range is a 400, as for saving.
    expect((await get(`/api/reports?${qs({ ...RANGE, from: "2025-02-30" })}`)).status).toBe(400);
    // The page offers the chart toolbar's CSV and JSON of the same computation.
    const page = await get(`/reports?${qs(RANGE)}`);
    expect(page.text).toContain(`/api/reports?${qs(RANGE).replace(/&/g, "&amp;")}&amp;format=csv`);
    const savedPage = await get(`/reports/${id}`);
    expect(savedPage.text).toContain(`/api/reports/${id}?format=csv`);
  });

  it("figures are exact sums of the seeded data (money as decimal strings)", async () => {
    const { body: rep } = await get(`/api/reports/${await save()}`);
    const f = rep.figures;
    const period = sumRange(seeded, RANGE.from, RANGE.to);
    const base = sumRange(seeded, RANGE.baselineFrom, RANGE.baselineTo);
    const sub = sumRange(seeded, RANGE.from, RANGE.to, (t) => t.sender === GW.subsidized);
    expect(typeof f.fees.period.volumeEth).toBe("string");
    expect(new Decimal(f.fees.period.volumeEth).equals(period.eth)).toBe(true);
    expect(new Decimal(f.fees.period.volumeUsd).equals(period.usd)).toBe(true);
    expect(f.fees.period.tickets).toBe(period.tickets);
    expect(new Decimal(f.fees.baseline.volumeEth).equals(base.eth)).toBe(true);
    expect(new Decimal(f.fees.period.split.subsidizedEth).equals(sub.eth)).toBe(true);
    // March: 4 ETH a day (2 of them subsidised) against February's 1 ETH a day, all organic.
    expect(f.fees.growth.multiple).toBe(4);
    expect(f.fees.growth.organicMultiple).toBe(2);
    expect(f.fees.subsidizedSharePct).toBe(sub.eth.times(100).div(period.eth).toDecimalPlaces(2).toFixed(2));
    expect(f.fees.subsidizedSharePct).toBe("50.00");
    expect(f.fees.organicSharePct).toBe("50.00");
    // Jobs from the seeded lines: counts, successes, and seconds of image-to-video output.
    const inPeriod = lines.filter((l) => dayOfMs(l.timestamp) >= RANGE.from && dayOfMs(l.timestamp) <= RANGE.to);
    expect(f.jobs.period.jobs).toBe(inPeriod.length);
    expect(f.jobs.period.successes).toBe(inPeriod.filter((l) => l.success).length);
    const secs = inPeriod.filter((l) => l.pipeline === PIPE.i2v.pipeline).reduce((a, l) => a.plus(l.output_seconds ?? 0), new Decimal(0));
    expect(new Decimal(f.jobs.videoSeconds).equals(secs)).toBe(true);
    expect(f.jobs.baseline.jobs).toBe(5);
    // Latency never mixes pipelines: none over every pipeline, and the daily chart is the busiest pair's.
    expect(f.jobs.period.latencyMs).toEqual({ p50: null, p95: null, p99: null });
    const byPair = new Map<string, number>();
    for (const l of inPeriod) byPair.set(`${l.pipeline}\t${l.model_id}`, (byPair.get(`${l.pipeline}\t${l.model_id}`) ?? 0) + 1);
    const [pair] = [...byPair].sort((a, b) => b[1] - a[1])[0][0].split("\t");
    const ls = f.jobs.latencySeries;
    expect(ls.pipeline).toBe(pair);
    expect(ls.points.map((p: { period: string }) => p.period)).toEqual(f.jobs.series.map((p: { period: string }) => p.period));
    const pairJobs = (day: string) => lines.filter((l) => l.pipeline === ls.pipeline && l.model_id === ls.modelId && dayOfMs(l.timestamp) === day).length;
    expect(ls.points.map((p: { period: string; jobs: number }) => [p.period, p.jobs])).toEqual(ls.points.map((p: { period: string }) => [p.period, pairJobs(p.period)]));
    expect(ls.points.some((p: { latencyMs: { p50: number | null } }) => p.latencyMs.p50 !== null)).toBe(true);
  });

  it("ignores unknown fields: nothing a client sends but the four days reaches the figures", async () => {
    const clean = (await get(`/api/reports/${await save()}`)).body;
    const id = await save({ ...RANGE, multiple: 99, figures: { fees: { period: { volumeEth: "1000000" } } }, volumeEth: "1e30", provenance: "x" });
    const dirty = (await get(`/api/reports/${id}`)).body;
    expect(dirty.figures).toEqual(clean.figures);
    expect(dirty.input).toEqual(RANGE);
  });

  it("bad input is a 400 with a reason, never a 500", async () => {
    const cases: [unknown, RegExp][] = [
      [{ ...RANGE, from: undefined }, /missing from/],
      [{ ...RANGE, baselineTo: "" }, /missing baselineTo/],
      [{ ...RANGE, from: "2025-3-1" }, /malformed date from/],
      [{ ...RANGE, to: "2025-02-30" }, /impossible date to/],
      [{ ...RANGE, from: 20250301 }, /from must be a string/],
      [{ ...RANGE, baselineFrom: ["2025-02-01"] }, /baselineFrom must be a string/],
      [{ ...RANGE, from: "2025-04-01" }, /reversed period/],
      [{ ...RANGE, baselineFrom: "2025-03-01" }, /reversed baseline/],
      [{ ...RANGE, baselineFrom: "2010-01-01" }, /range too long/],
      [{ ...RANGE, to: "2999-01-01" }, /in the future/],
      [{ ...RANGE, from: "<script>alert(1)</script>" }, /malformed date/],
      [[RANGE], /JSON object/],
      [null, /JSON object/],
      ["2025-03-01", /JSON object/],
    ];
    for (const [body, reason] of cases) {
      const r = await postJson(server.url, body, ip());
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error, JSON.stringify(body)).toMatch(reason);
      expect(Object.keys(r.body)).toEqual(["error"]);
    }
    const raw = async (body: string, type: string) =>
      http(server.url, "/api/reports", { method: "POST", headers: { "content-type": type }, body, ip: ip() });
    expect((await raw("{not json", "application/json")).body.error).toMatch(/not valid JSON/);
    expect((await raw("<r/>", "application/xml")).body.error).toMatch(/unsupported content type/);
    const big = await raw(JSON.stringify({ ...RANGE, pad: "x".repeat(20_000) }), "application/json");
    expect(big.status).toBe(413);
    // Error text never echoes markup unescaped into HTML: it is JSON.
    const evil = await postJson(server.url, { ...RANGE, from: "<script>" }, ip());
    expect(evil.headers.get("content-type")).toMatch(/^application\/json/);
    expect((await get("/api/reports")).status).toBe(405);
    // Unknown and malformed ids: 404 {"error"}.
    for (const id of ["0000000000", "nope", "..%2F..%2Fetc", "x".repeat(300)]) {
      const r = await get(`/api/reports/${id}`);
      expect(r.status, id).toBe(404);
      expect(Object.keys(r.body)).toEqual(["error"]);
    }
    const page = await get("/reports/0000000000");
    expect(page.status).toBe(404);
    expect(page.text).toContain("Not found");
    // The builder refuses bad links with a friendly 400 page.
    const bad = await get(`/reports?${qs({ ...RANGE, to: "2025-13-01" })}`);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("This link has a problem");
  });

  it("a form POST saves and redirects 303 to the saved report; ids are case-insensitive", async () => {
    const r = await http(server.url, "/api/reports", { method: "POST", body: new URLSearchParams({ ...RANGE, extra: "1" }), ip: ip() });
    expect(r.status).toBe(303);
    const loc = r.headers.get("location") as string;
    expect(loc).toMatch(/^\/reports\/[0-9a-hjkmnp-tv-z]{10}$/);
    const page = await get(loc);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Saved report");
    const id = loc.split("/").pop() as string;
    expect((await get(`/api/reports/${id.toUpperCase()}`)).body.id).toBe(id);
    // The builder's own Save form (Remix action) does the same.
    const own = await http(server.url, `/reports?${qs(RANGE)}&index`, { method: "POST", body: new URLSearchParams(RANGE), ip: ip() });
    expect(own.status).toBe(303);
    expect(own.headers.get("location")).toMatch(/^\/reports\/[0-9a-hjkmnp-tv-z]{10}$/);
  });

  it("rate limit: 10 saves per client per 10 minutes, then 429 with Retry-After; other clients unaffected", async () => {
    const me = ip();
    for (let i = 0; i < 10; i++) expect((await postJson(server.url, RANGE, me)).status).toBe(201);
    const r = await postJson(server.url, RANGE, me);
    expect(r.status).toBe(429);
    expect(r.body.error).toMatch(/at most 10 saved reports per 10 minutes/);
    const retry = Number(r.headers.get("retry-after"));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(600);
    // Invalid requests are refused before the limiter and the next client has its own budget.
    expect((await postJson(server.url, { ...RANGE, from: "x" }, me)).status).toBe(400);
    expect((await postJson(server.url, RANGE, ip())).status).toBe(201);
    // The page's form answers 429 too, with the reason shown.
    const page = await http(server.url, `/reports?${qs(RANGE)}&index`, { method: "POST", body: new URLSearchParams(RANGE), ip: me });
    expect(page.status).toBe(429);
    expect(page.headers.get("retry-after")).toBeTruthy();
  });

  it("the builder: defaults to the subsidy window vs the same days before it, as an explicit permalink", async () => {
    const r = await get("/reports");
    expect(r.status).toBe(302);
    expect(r.headers.get("location")).toBe(`/reports?${qs({ from: "2025-03-01", to: "2025-03-31", baselineFrom: "2025-01-29", baselineTo: "2025-02-28" })}`);
    const page = await get(`/reports?${qs(RANGE)}`);
    expect(page.status).toBe(200);
    const total = sumRange(seeded, RANGE.from, RANGE.to).eth.toFixed(4);
    const text = page.text.replace(/<!-- -->/g, "");
    expect(text).toContain(`${total} ETH`);
    expect(text).toContain("× 4.00");
    expect(page.text).toContain("Last 30 days vs the 30 before");
    expect(page.text).toContain("Free tier (Livepeer Inc) (2025-03-01 – 2025-03-31) vs the 30 days before it");
    expect(page.text).toMatch(/rel="stylesheet" href="[^"]*print[^"]*\.css" media="print"/);
  });

  it("text from the data is escaped in the report page and neutralised in its CSV", async () => {
    const id = await save();
    const page = await get(`/reports/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain("<script>alert(1)");
    expect(page.text).toContain("https://evil.example/&lt;script&gt;alert(1)&lt;/script&gt;");
    const csv = await get(`/api/reports/${id}?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const rows = parseCsv(csv.text);
    expect(rows[0]).toEqual(["section", "item", "metric", "value"]);
    const uri = (addr: string) => rows.find((r) => r[0] === "orchestrator" && r[1] === addr && r[2] === "service_uri")?.[3];
    expect(uri(ORCH.o2)).toBe(EVIL_URI);
    expect(uri(ORCH.o3)).toBe(`'${FORMULA_URI}`);
    for (const r of rows) for (const cell of r) expect(cell).not.toMatch(/^[=+@]/);
    const fees = rows.find((r) => r[0] === "period" && r[2] === "fees_eth")?.[3] as string;
    expect(new Decimal(fees).equals(sumRange(seeded, RANGE.from, RANGE.to).eth)).toBe(true);
  });

  // Last: it indexes more data.
  it("a saved report stays byte-identical after new tickets and jobs are indexed", async () => {
    const id = await save();
    const before = await get(`/api/reports/${id}`);
    const pageBefore = await get(`/reports/${id}`);
    const note = (html: string) => /<p class="report-frozen"[^>]*>[\s\S]*?<\/p>/.exec(html)?.[0];
    // New tickets in the period and the baseline, new jobs, and a newer block.
    const day = (d: string, h: number) => Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10), h) / 1000;
    await db.tx(async (q) => {
      await insertTickets(q, [
        { id: `0x${"e".repeat(64)}-1`, timestamp: day("2025-03-15", 3), blockNumber: LAST_BLOCK + 10, round: "3700", sender: GW.organic1, recipient: ORCH.o1, faceValueEth: "7.000000000000000007", faceValueUsd: "14000.000000000000014", winProb: "1" },
        { id: `0x${"e".repeat(64)}-2`, timestamp: day("2025-02-10", 3), blockNumber: LAST_BLOCK + 11, round: "3700", sender: GW.subsidized, recipient: ORCH.o2, faceValueEth: "3", faceValueUsd: "8100.75", winProb: "1" },
      ]);
      await q.query(`update source_state set block = $1, block_timestamp = $2 where name = 'subgraph'`, [LAST_BLOCK + 500, LAST_BLOCK_TIMESTAMP + 3600]);
    });
    const more = Array.from({ length: 30 }, (_, i) => ({
      request_id: `late-${i}`,
      gateway: GW.organic1,
      timestamp: Date.UTC(2025, 2, 30, 12, i),
      pipeline: PIPE.i2v.pipeline,
      model_id: PIPE.i2v.model,
      orch_address: ORCH.o2,
      success: i % 5 !== 0,
      duration_ms: 20_000 + i,
      ...(i % 5 !== 0 ? { computed_fee: "49999999795200", output_seconds: 4 } : { error_type: "timeout" }),
    }));
    const pushed = await ingestNdjson(db, more.map((l) => JSON.stringify(l)).join("\n"), { maxLineBytes: 1 << 20 });
    expect(pushed.accepted).toBe(30);

    const after = await get(`/api/reports/${id}`);
    expect(after.status).toBe(200);
    expect(after.text).toBe(before.text);
    const pageAfter = await get(`/reports/${id}`);
    expect(note(pageAfter.text)).toBeTruthy();
    expect(note(pageAfter.text)).toBe(note(pageBefore.text));
    // The same ranges computed now do see the new data.
    const fresh = (await get(`/api/reports/${await save()}`)).body;
    const old = before.body;
    expect(new Decimal(fresh.figures.fees.period.volumeEth).minus(old.figures.fees.period.volumeEth).toFixed()).toBe("7.000000000000000007");
    expect(fresh.figures.jobs.period.jobs - old.figures.jobs.period.jobs).toBe(30);
    expect(fresh.provenance.subgraph.block).toBe(LAST_BLOCK + 500);
    expect(old.provenance.subgraph.block).toBe(LAST_BLOCK);
  });
});

describe("reports without a trusted proxy", () => {
  let db: TestDb;
  let server: StartedServer;
  beforeAll(async () => {
    db = await openTestDb("pglite");
    await seedNetwork(db);
    server = await startServer({ db, port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it("ignores X-Forwarded-For: a client cannot buy a fresh budget by forging it", async () => {
    process.env.TRUST_PROXY = "0";
    try {
      for (let i = 0; i < 10; i++) expect((await postJson(server.url, RANGE, `203.0.113.${i}`)).status).toBe(201);
      const r = await postJson(server.url, RANGE, "203.0.113.200");
      expect(r.status).toBe(429);
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      process.env.TRUST_PROXY = "1";
    }
  });
});

const exe = chromiumPath();
const noChromium = !fs.existsSync(exe);
const skipBrowser = noChromium && process.env.REQUIRE_BROWSER !== "1";
if (skipBrowser) console.warn(`[reports.test] PDF and browser tests SKIPPED: no Chromium at ${exe} (apt-get install -y chromium, or set CHROMIUM_PATH).`);

describe.skipIf(skipBrowser)("report PDF and browser", () => {
  let db: TestDb;
  let server: StartedServer;
  let browser: Browser;
  let id: string;

  beforeAll(async () => {
    if (noChromium) throw new Error(`REQUIRE_BROWSER=1 but no Chromium at ${exe}`);
    [db, browser] = await Promise.all([
      openTestDb("pglite"),
      chromium.launch({ executablePath: exe, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] }),
    ]);
    await seedNetwork(db, { demo: true });
    await seedJobs(db);
    await runPrices(db, { dir: "indexer/data", log: () => {} });
    server = await startServer({ db, port: 0, host: "127.0.0.1" });
    const r = await postJson(server.url, RANGE, "192.0.2.1");
    expect(r.status).toBe(201);
    id = r.body.id;
  });
  /** A newly saved report, whose PDF nobody has rendered yet. */
  async function freshReport(ip: string): Promise<string> {
    const r = await postJson(server.url, RANGE, ip);
    expect(r.status).toBe(201);
    return r.body.id;
  }
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.close();
  });

  it("GET /reports/<id>.pdf is a valid multi-page A4 PDF", async () => {
    const r = await fetch(`${server.url}/reports/${id}.pdf`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/pdf");
    const pdf = Buffer.from(await r.arrayBuffer());
    if (process.env.REPORT_PDF_OUT) fs.writeFileSync(process.env.REPORT_PDF_OUT, pdf);
    const text = pdf.toString("latin1");
    expect(text.startsWith("%PDF-")).toBe(true);
    expect(text.trimEnd().endsWith("%%EOF")).toBe(true);
    const pages = text.match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? [];
    expect(pages.length).toBeGreaterThanOrEqual(2);
    const count = Number(/\/Type\s*\/Pages[\s\S]*?\/Count\s+(\d+)/.exec(text)?.[1]);
    expect(count).toBe(pages.length);
    // A4 is 595 x 842 points.
    expect(text).toMatch(/\/MediaBox\s*\[\s*0\s+0\s+59[45](\.\d+)?\s+84[12](\.\d+)?\s*\]/);
    // The hostile service URI never appears as markup in the printed page's source either.
    expect(text).not.toContain("<script>alert(1)");
  });

  it("PDF: 404 for an unknown report, 501 with how to enable it when there is no Chromium", async () => {
    const unknown = await http(server.url, "/reports/0000000000.pdf");
    expect(unknown.status).toBe(404);
    const saved = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = "/nonexistent/chromium";
    try {
      const fresh = await freshReport("192.0.2.2");
      const r = await http(server.url, `/reports/${fresh}.pdf`);
      expect(r.status).toBe(501);
      expect(r.body.error).toMatch(/CHROMIUM_PATH/);
      expect(r.body.error).toMatch(/install/i);
      // A PDF rendered before is kept (a saved report never changes): no Chromium needed to serve it.
      const kept = await fetch(`${server.url}/reports/${id}.pdf`);
      expect(kept.status).toBe(200);
      expect(Buffer.from(await kept.arrayBuffer()).subarray(0, 5).toString("latin1")).toBe("%PDF-");
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved;
    }
  });

  it("PDF: renders are rate limited per client (10 per 10 minutes); a refused one says when to retry", async () => {
    const saved = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = "/nonexistent/chromium"; // each render fails at once, after its limiter hit
    try {
      const fresh = await freshReport("192.0.2.3");
      const me = { "x-forwarded-for": "192.0.2.77" };
      for (let i = 0; i < 10; i++) expect((await http(server.url, `/reports/${fresh}.pdf`, { headers: me })).status).toBe(501);
      const refused = await http(server.url, `/reports/${fresh}.pdf`, { headers: me });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      expect((await http(server.url, `/reports/${fresh}.pdf`, { headers: { "x-forwarded-for": "192.0.2.78" } })).status).toBe(501);
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved;
    }
  });

  it("PDF: a render that takes too long is a 503 saying so", async () => {
    process.env.PDF_TIMEOUT_MS = "50";
    const fresh = await freshReport("192.0.2.4");
    try {
      const r = await http(server.url, `/reports/${fresh}.pdf`);
      expect(r.status).toBe(503);
      expect(r.body.error).toMatch(/longer than/);
      expect(r.headers.get("retry-after")).toBe("30");
    } finally {
      delete process.env.PDF_TIMEOUT_MS;
    }
    // The next render is unaffected (the abandoned browser was closed, its slot released).
    const ok = await fetch(`${server.url}/reports/${fresh}.pdf`);
    const body = Buffer.from(await ok.arrayBuffer());
    expect(ok.status, body.subarray(0, 300).toString()).toBe(200);
  });

  it("in Chromium: open /reports, save, land on /reports/<id>; print hides the site's chrome", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, extraHTTPHeaders: { "x-forwarded-for": "192.0.2.50" } });
    const page = await context.newPage();
    const problems: string[] = [];
    const dialogs: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`console.${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const res = await page.goto(`${server.url}/reports`, { waitUntil: "load" });
    expect(res?.status()).toBe(200);
    expect(new URL(page.url()).search).toBe(`?${qs({ from: "2025-03-01", to: "2025-03-31", baselineFrom: "2025-01-29", baselineTo: "2025-02-28" })}`);
    await page.locator("figure.chart svg.recharts-surface").first().waitFor({ state: "visible", timeout: 15_000 });
    const charts = await page.locator("figure.chart").count();
    expect(charts).toBeGreaterThanOrEqual(6);
    await expect.poll(() => page.locator("figure.chart svg.recharts-surface").count()).toBeGreaterThanOrEqual(charts);
    const g = await (await fetch(`${server.url}/api/fees/growth${new URL(page.url()).search}`)).json();
    expect(await page.locator("[data-testid=kpi-growth] .kpi-value").textContent()).toBe(`× ${g.multiple.toFixed(2)}`);
    // A preset is a link to its permalink.
    await page.getByRole("link", { name: "Last 30 days vs the 30 before" }).click();
    await page.waitForURL(/from=2025-03-02/);
    // Save: the browser lands on the frozen report.
    await expect.poll(() => page.locator(".page-header").textContent()).toContain("2025-03-02 – 2025-03-31");
    await expect.poll(() => page.locator(".report-save input[name=from]").inputValue()).toBe("2025-03-02");
    await Promise.all([page.waitForURL(/\/reports\/[0-9a-hjkmnp-tv-z]{10}$/), page.getByRole("button", { name: /Save/ }).click()]);
    const savedId = new URL(page.url()).pathname.split("/").pop() as string;
    await expect.poll(() => page.locator("[data-testid=frozen-note]").textContent()).toContain(`Saved report ${savedId}`);
    expect(await page.locator("[data-testid=frozen-note]").textContent()).toContain(`block ${LAST_BLOCK}`);
    const api = await (await fetch(`${server.url}/api/reports/${savedId}`)).json();
    expect(api.input).toEqual({ from: "2025-03-02", to: "2025-03-31", baselineFrom: "2025-01-31", baselineTo: "2025-03-01" });
    // The hostile service URI is text.
    await expect.poll(() => page.getByText(EVIL_URI).count()).toBeGreaterThan(0);
    expect(await page.locator("td.uri a[href^='javascript:']").count()).toBe(0);
    // Print: no header, navigation, footer or forms; sections start new pages.
    await page.emulateMedia({ media: "print" });
    for (const sel of [".site-header", ".site-footer", ".report-actions"]) expect(await page.locator(sel).isVisible(), sel).toBe(false);
    const breaks = await page.$$eval(".report-section.report-page", (els) => els.map((e) => getComputedStyle(e).breakBefore));
    expect(breaks.length).toBeGreaterThanOrEqual(4);
    for (const b of breaks) expect(b).toBe("page");
    expect(problems).toEqual([]);
    expect(dialogs).toEqual([]);
    await context.close();
  });
});
