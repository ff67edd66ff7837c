// Cost per video second and the cloud comparison over the real API (PGlite, and Postgres when
// TEST_DATABASE_URL is set): jobs go in through the real ingest, the shipped catalogue through the
// real prices source, and every expectation is recomputed here by hand with exact decimals from the
// seeded lines, the seeded subgraph days and the catalogue CSV.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { weiToEth } from "../core/units";
import type { JobLine } from "../indexer/demo/job-lines";
import { ingestNdjson } from "../indexer/sources/joblogs/push";
import { runPrices } from "../indexer/sources/prices/load";
import { startServer, type StartedServer } from "../server";
import { parseCsv } from "./helpers/csv";
import { backends, openTestDb, type TestDb } from "./helpers/db";
import { formatUsdPrecise } from "../app/lib/cost-format";
import { buildJobLines, Decimal, ORCH, seedJobs, seedNetwork, type SeededNetwork } from "./helpers/seed";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A shipped catalogue file as header -> cell records. */
function records(file: string): { fields: Record<string, string> }[] {
  const [header, ...rows] = parseCsv(fs.readFileSync(file, "utf8")).filter((r) => r.length > 1);
  return rows.map((cells) => ({ fields: Object.fromEntries(header.map((h, i) => [h, cells[i]])) }));
}

const GATEWAY = "0x" + "c3".repeat(20);
const LIVE = { pipeline: "live-video-to-video", model_id: "streamdiffusion" };
const at = (day: string, n: number) => Date.parse(`${day}T12:00:00Z`) + n * 1000;
/** 27,648,000 billed pixels per stream second (1280 x 720 x 30) at 1,600 wei each. */
const liveFee = (seconds: number) => BigInt(seconds) * 27_648_000n * 1_600n;

function liveLines(): JobLine[] {
  const base = { gateway: GATEWAY, orch_address: ORCH.o1, ...LIVE, duration_ms: 1200, price_per_unit: "1600", pixels_per_unit: "1", width: 512, height: 512 };
  return [
    ...[0, 1, 2, 3].map((i) => ({ ...base, request_id: `live-${i}`, timestamp: at("2025-03-30", i), success: true, output_seconds: 60 })),
    // A day the subgraph has no Day for: converted at the nearest day's rate, and the page says so.
    { ...base, request_id: "live-4", timestamp: at("2025-04-10", 0), success: true, output_seconds: 30 },
    // A failed job's fee is shown apart, never inside the cost; an unpriced job is in no figure.
    { ...base, request_id: "live-5", timestamp: at("2025-03-30", 9), success: false, error_type: "timeout", computed_fee: "5" },
    { ...base, request_id: "live-6", timestamp: at("2025-03-30", 10), success: true, output_seconds: 600, price_per_unit: undefined },
  ] as JobLine[];
}

describe.each(backends())("cost API on %s", (backend) => {
  let db: TestDb;
  let server: StartedServer;
  let seeded: SeededNetwork;
  const RANGE = "from=2025-03-01&to=2025-04-30";

  const get = async (path: string) => {
    const r = await fetch(server.url + path);
    const text = await r.text();
    const json = (r.headers.get("content-type") ?? "").includes("application/json");
    return { status: r.status, headers: r.headers, body: (json ? JSON.parse(text) : text) as Json, text };
  };

  /** The seeded subgraph's USD per ETH on a day (Day.volumeUSD / Day.volumeETH). */
  const rateOn = (day: string) => {
    const d = seeded.byDay.get(day)!;
    return d.usd.div(d.eth);
  };

  beforeAll(async () => {
    db = await openTestDb(backend);
    seeded = await seedNetwork(db);
    await seedJobs(db);
    const r = await ingestNdjson(db, liveLines().map((l) => JSON.stringify(l)).join("\n"), { maxLineBytes: 1 << 20 });
    expect(r.rejected).toEqual([]);
    await runPrices(db, { dir: "indexer/data", log: () => {} });
    server = await startServer({ db, port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it("live video: fee over the same jobs' stream seconds, USD at each job's day rate, nearest day when the day has none", async () => {
    const { status, body } = await get(`/api/cost?${RANGE}`);
    expect(status).toBe(200);
    const row = body.rows.find((r: Json) => r.pipeline === LIVE.pipeline && r.modelId === LIVE.model_id);
    const fee30 = 4n * liveFee(60); // 2,654,208,000,000 wei per minute
    const fee410 = liveFee(30);
    expect(liveFee(60)).toBe(2_654_208_000_000n);
    expect(row).toMatchObject({ jobs: 5, totalJobs: 7, outputSeconds: "270", feesEth: weiToEth(fee30 + fee410), unpricedJobs: 1, failedFeesEth: "0.000000000000000005" });
    expect(row.usdPerImage).toBeNull();
    expect(row.usdPerMegapixel).toBeNull();
    const eth = (wei: bigint) => new Decimal(wei.toString()).div("1e18");
    expect(new Decimal(row.ethPerVideoSecond).toFixed(40)).toBe(eth(fee30 + fee410).div(270).toFixed(40));

    // 2025-04-10 has no subgraph Day: the nearest seeded day is the last one (ties go to the earlier day).
    const lastSeeded = [...seeded.byDay.keys()].sort().at(-1)!;
    expect(lastSeeded < "2025-04-10").toBe(true);
    expect(row.rates.fallbacks).toEqual([{ date: "2025-04-10", rateDate: lastSeeded, distanceDays: (Date.parse("2025-04-10") - Date.parse(lastSeeded)) / 86_400_000 }]);
    const usd = eth(fee30).times(rateOn("2025-03-30")).plus(eth(fee410).times(rateOn(lastSeeded)));
    expect(new Decimal(row.usdPerVideoSecond).div(usd.div(270)).minus(1).abs().lt("1e-30")).toBe(true);
    expect(new Decimal(row.feesUsd).div(usd).minus(1).abs().lt("1e-30")).toBe(true);
  });

  it("image-to-video: volume-weighted (sum of fees / sum of seconds), which differs from the mean of per-orchestrator ratios", async () => {
    const { body } = await get(`/api/cost?${RANGE}&pipeline=image-to-video`);
    expect(body.rows).toHaveLength(1);
    const row = body.rows[0];
    // seeded: o1 25 clips of 4 s, o4 12 clips of 3.571428 s, each 49,999,999,795,200 wei
    const clip = new Decimal("49999999795200").div("1e18");
    const seconds = new Decimal(25 * 4).plus(new Decimal("3.571428").times(12));
    expect(row).toMatchObject({ jobs: 37, outputSeconds: seconds.toFixed(), feesEth: clip.times(37).toFixed() });
    const weighted = clip.times(37).div(seconds);
    expect(new Decimal(row.ethPerVideoSecond).minus(weighted).abs().lt("1e-40")).toBe(true);
    const meanOfRatios = clip.div(4).plus(clip.div("3.571428")).div(2);
    expect(new Decimal(row.ethPerVideoSecond).minus(meanOfRatios).abs().gt("1e-9")).toBe(true);
  });

  it("image pipelines without dimensions have no per-image cost, and pipelines without output are not listed", async () => {
    const { body } = await get(`/api/cost?${RANGE}`);
    const t2i = body.rows.find((r: Json) => r.pipeline === "text-to-image");
    expect(t2i).toMatchObject({ output: "images", jobs: 0, usdPerImage: null, usdPerMegapixel: null, usdPerVideoSecond: null });
    expect(body.rows.some((r: Json) => r.pipeline === "llm")).toBe(false);
  });

  it("CSV parses back to the JSON's numbers", async () => {
    const [json, csv] = await Promise.all([get(`/api/cost?${RANGE}`), get(`/api/cost?${RANGE}&format=csv`)]);
    expect(csv.headers.get("content-disposition")).toContain("cost-2025-03-01_2025-04-30");
    const [header, ...rows] = parseCsv(csv.text);
    expect(rows).toHaveLength(json.body.rows.length);
    rows.forEach((cells, i) => {
      const r = Object.fromEntries(header.map((h, j) => [h, cells[j]]));
      const j = json.body.rows[i];
      expect([r.pipeline, r.model_id, Number(r.jobs), r.output_seconds, r.fees_eth, r.usd_per_video_second]).toEqual([
        j.pipeline, j.modelId, j.jobs, j.outputSeconds ?? "", j.feesEth, j.usdPerVideoSecond ?? "",
      ]);
    });
  });

  it("cloud comparison: every rented-GPU figure recomputes by hand from the catalogue CSV, and utilization scales it", async () => {
    const q = `/api/cloud-comparison?${RANGE}&pipeline=${LIVE.pipeline}&model=${LIVE.model_id}`;
    const [half, quarter, cost] = await Promise.all([get(q), get(`${q}&utilization=0.25`), get(`/api/cost?${RANGE}&pipeline=${LIVE.pipeline}`)]);
    expect(half.status).toBe(200);
    expect(half.body.utilization).toBe("0.5");
    const lp = half.body.livepeer;
    expect(lp).toMatchObject({ usdPerVideoSecond: cost.body.rows[0].usdPerVideoSecond, jobs: 5, outputSeconds: "270" });

    const prices = records("indexer/data/cloud-prices.csv");
    const throughput = records("indexer/data/gpu-throughput.csv").filter(
      (t) => t.fields.pipeline === LIVE.pipeline,
    );
    expect(throughput.map((t) => t.fields.gpu_key)).toEqual(["*"]); // one assumption row: any GPU
    const gpuSeconds = new Decimal(throughput[0].fields.gpu_seconds_per_output_second);
    const rented = half.body.offers.filter((o: Json) => o.status === "compared" && o.utilization !== null);
    expect(rented.length).toBeGreaterThan(10);
    for (const o of rented) {
      const p = prices.find((r) => r.fields.provider === o.provider && r.fields.offering === o.offering && r.fields.gpu === o.gpu)!;
      expect(p, `${o.provider} ${o.offering}`).toBeDefined();
      const perGpuHour = new Decimal(p.fields.usd_per_unit).div(p.fields.unit === "instance_hour" ? Number(p.fields.gpus) : 1);
      const want = perGpuHour.div(3600).times(gpuSeconds).div("0.5");
      expect(new Decimal(o.usdPerVideoSecond).minus(want).abs().lte(want.times("1e-30")), `${o.provider} ${o.offering}`).toBe(true);
      expect(new Decimal(o.ratioToLivepeer).minus(want.div(lp.usdPerVideoSecond)).abs().lte(want.div(lp.usdPerVideoSecond).times("1e-20"))).toBe(true);
      expect(o).toMatchObject({ source: p.fields.source, asOf: p.fields.as_of, gpuSecondsPerOutputSecond: gpuSeconds.toFixed(), throughputQuality: "assumption" });
      const q4 = quarter.body.offers.find((x: Json) => x.provider === o.provider && x.offering === o.offering && x.gpu === o.gpu);
      expect(new Decimal(q4.usdPerVideoSecond).div(o.usdPerVideoSecond).toFixed(20)).toBe(new Decimal(2).toFixed(20));
    }
    const classes = new Set(half.body.offers.map((o: Json) => o.class));
    expect(classes.has("hyperscaler-on-demand") && classes.has("neocloud-marketplace")).toBe(true);
    for (const o of half.body.offers.filter((x: Json) => x.status === "excluded")) expect(o.reason).toMatch(/\w/);
    expect(half.body.catalogue).toMatchObject({ pricesFile: expect.stringMatching(/cloud-prices\.csv$/), priceRows: prices.length });
    // The setting behind Livepeer's figure: the successful jobs' logged output size (no frames or fps for a stream).
    expect(lp.setting).toEqual({ width: 512, height: 512, frames: null, fps: null, jobs: 6, ofJobs: 6 });
  });

  it("says when an offer is not like for like: the live stream setting is known, the image-to-video one is not logged", async () => {
    const { body } = await get(`/api/cloud-comparison?${RANGE}&pipeline=image-to-video`);
    expect(body.model).toBe("stabilityai/stable-video-diffusion-img2vid-xt-1-1");
    expect(body.livepeer.setting).toEqual({ width: null, height: null, frames: null, fps: null, jobs: 37, ofJobs: 37 });
    const gpuOffers = body.offers.filter((o: Json) => o.gpuSecondsPerOutputSecond !== null);
    expect(gpuOffers.length).toBeGreaterThan(0);
    expect(body.offers.some((o: Json) => o.comparability === "different model")).toBe(true); // LTX-Video and Wan rows
    expect(body.offers.filter((o: Json) => o.comparability !== null).every((o: Json) => o.likeForLike === (o.comparability === "like for like"))).toBe(true);
  });

  it("orchestrators: cost per video second over each one's own video jobs, on the table, the API and the orchestrator page", async () => {
    // o4 served only image-to-video: 12 clips of 3.571428 s at 49,999,999,795,200 wei, each on its own day's rate.
    const o4 = buildJobLines().filter((l) => l.orch_address === ORCH.o4);
    const usd = o4.reduce((a, l) => a.plus(new Decimal(l.computed_fee!).div("1e18").times(rateOn(new Date(l.timestamp).toISOString().slice(0, 10)))), new Decimal(0));
    const want = usd.div(new Decimal("3.571428").times(12));
    // Costs are per pipeline and model: the table's default pair is the busiest (text-to-image here), so ask for the video one.
    const I2V = "pipeline=image-to-video";
    const [list, detail] = await Promise.all([get(`/api/orchestrators?${RANGE}&${I2V}`), get(`/api/orchestrators/${ORCH.o4}?${RANGE}`)]);
    const row = list.body.rows.find((r: Json) => r.address === ORCH.o4);
    expect(row).toMatchObject({ videoJobs: 12, videoSeconds: "42.857136" });
    expect(new Decimal(row.usdPerVideoSecond).div(want).minus(1).abs().lt("1e-30")).toBe(true);
    expect(detail.body.cost).toMatchObject({ usdPerVideoSecond: row.usdPerVideoSecond, videoJobs: 12 });
    // The network figure covers every orchestrator's video jobs of the same pipeline and model (o4's only pair: image-to-video),
    // never video jobs of other pipelines: their fees in USD over their seconds.
    const cost = await get(`/api/cost?${RANGE}`);
    const video = cost.body.rows.filter((r: Json) => r.output === "video-seconds" && r.pipeline === "image-to-video");
    const net = video.reduce((a: Decimal, r: Json) => a.plus(r.feesUsd), new Decimal(0)).div(video.reduce((a: Decimal, r: Json) => a.plus(r.outputSeconds), new Decimal(0)));
    expect(new Decimal(detail.body.cost.network.usdPerVideoSecond).div(net).minus(1).abs().lt("1e-30")).toBe(true);
    // An orchestrator without video jobs has no figure, not a zero.
    expect((await get(`/api/orchestrators?${RANGE}`)).body.rows.find((r: Json) => r.address === ORCH.o2)).toMatchObject({ usdPerVideoSecond: null, videoJobs: 0 });
    // Sorting by cost puts the cheapest first and those without a figure last.
    const sorted = await get(`/api/orchestrators?${RANGE}&${I2V}&sort=usdPerVideoSecond`);
    const figures = sorted.body.rows.map((r: Json) => r.usdPerVideoSecond);
    const shown = figures.filter((f: string | null) => f !== null);
    expect(shown.length).toBeGreaterThan(1);
    expect(figures.slice(0, shown.length)).toEqual([...shown].sort((a, b) => new Decimal(a).cmp(b)));

    const page = await get(`/orchestrators?${RANGE}&${I2V}`);
    expect(page.text).toContain(formatUsdPrecise(row.usdPerVideoSecond));
  });

  it("pipelines and the overview carry the same cost figures as /api/cost", async () => {
    const [pipes, cost] = await Promise.all([get(`/api/pipelines?${RANGE}`), get(`/api/cost?${RANGE}`)]);
    for (const c of cost.body.rows) {
      const p = pipes.body.rows.find((r: Json) => r.pipeline === c.pipeline && r.modelId === c.modelId);
      expect(p, `${c.pipeline} ${c.modelId}`).toMatchObject({ costJobs: c.jobs, usdPerVideoSecond: c.usdPerVideoSecond, usdPerImage: c.usdPerImage, usdPerMegapixel: c.usdPerMegapixel });
    }
    // The overview KPI: the 30 days ending at the latest day with job logs (2025-04-10 here).
    const kpiRange = "from=2025-03-12&to=2025-04-10";
    const k = await get(`/api/cost?${kpiRange}`);
    // It covers the busiest priced video pipeline and model only, never several together.
    const video = k.body.rows.filter((r: Json) => r.output === "video-seconds");
    expect(video.length).toBeGreaterThan(1);
    const busiest = [...video].sort((a: Json, b: Json) => b.jobs - a.jobs)[0];
    const home = await get("/");
    expect(home.text).toContain("AI video, cost per second");
    expect(home.text).toContain(formatUsdPrecise(busiest.usdPerVideoSecond));
    expect(home.text.replaceAll("<!-- -->", "")).toContain(`${busiest.pipeline}, ${busiest.modelId} (the busiest video pipeline and model)`);
    const cloud = await get(`/cloud?${RANGE}&pipeline=${LIVE.pipeline}&model=${LIVE.model_id}`);
    expect(cloud.status).toBe(200);
    expect(cloud.text).toContain(formatUsdPrecise(k.body.rows.find((r: Json) => r.pipeline === LIVE.pipeline).usdPerVideoSecond));
  });

  it("refuses bad parameters with a reason, never a 500", async () => {
    for (const [path, reason] of [
      [`/api/cloud-comparison?${RANGE}&utilization=0`, /utilization/],
      [`/api/cloud-comparison?${RANGE}&utilization=1.5`, /utilization/],
      [`/api/cloud-comparison?${RANGE}&utilization=abc`, /utilization/],
      [`/api/cloud-comparison?${RANGE}&pipeline=llm`, /neither video nor images/],
      [`/api/cloud-comparison?${RANGE}&pipeline=Bad%20Slug`, /pipeline/],
      [`/api/cost?from=2025-04-30&to=2025-03-01`, /reversed/],
      [`/api/cost?${RANGE}&format=xml`, /format/],
    ] as const) {
      const r = await get(path);
      expect(r.status, path).toBe(400);
      expect(r.body.error, path).toMatch(reason);
    }
    const empty = await get(`/api/cloud-comparison?from=2020-01-01&to=2020-01-31`);
    expect(empty.status).toBe(404);
    expect(empty.body.error).toMatch(/no video or image jobs/);
  });
});
