// The orchestrator pages and their API with what orchestrators advertise and their live video, on
// PGlite and (with TEST_DATABASE_URL) Postgres, served by the real server: the seeded network and
// job logs (tests/helpers/seed.ts), two capability polls built from the real /getNetworkCapabilities
// capture (two of its nodes renamed to seeded orchestrators; the second poll changes a live price)
// through the capabilities store, and live sessions through the gateway events ingest. Expected
// figures come from the capture's JSON and exact arithmetic here, and the live ones from /api/live.
import fs from "node:fs";
import Decimal from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseNetworkCapabilities, type OrchState } from "../core/gateway/capabilities";
import { applyCapabilities } from "../indexer/sources/capabilities/store";
import { ingestEventBody } from "../indexer/sources/events/push";
import { startServer, type StartedServer } from "../server";
import { parseCsv } from "./helpers/csv";
import { backends, openTestDb, type TestDb } from "./helpers/db";
import { session, sessionLines } from "./helpers/gateway-events";
import { JOBS_ONLY, ORCH, PIPE, seedJobs, seedNetwork } from "./helpers/seed";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const CAPTURE: Json = JSON.parse(fs.readFileSync(new URL("./real-samples/gateway-events/getNetworkCapabilities.json", import.meta.url), "utf8"));
const LIVE = "live-video-to-video";
const FACEID = "streamdiffusion-sdxl-faceid";
/** Capture nodes renamed to seeded orchestrators: 4 RTX 5090 on live video (1588 wei/pixel); an RTX 4070 Ti SUPER and an RTX 3090 on image pipelines. */
const NODE1 = { capture: "0x75fbf65a3dfe93545c9768f163e59a02daf08d36", address: ORCH.o1, hot: "0xfd7db765c9bfc1493b4c9ea6ddf61a7fc7d40d12", url: "https://ai.brzeczyszczykiewicz.work:8935" };
const NODE2 = { capture: "0xd4c467d8c13752ab7bb9711bc77de2a9f52a65f6", address: ORCH.o2, hot: "0x52f6371fb26c311ea82ac2bfd28ab5c5fc29550e", url: "https://2.9.173.59:8936" };
const POLL1 = "2025-03-30T12:00:00.000Z";
const POLL2 = "2025-03-31T12:00:00.000Z";
const USD_PER_ETH = 2000; // the seed's March rate
const WINDOW = "from=2025-03-25&to=2025-03-31";

/** USD per hour of 1280x720x30 video at a wei-per-pixel price: x 27,648,000 px/s x 3600 s / 1e18 x USD/ETH. */
const usdPerHour = (weiPerPixel: number) => new Decimal(weiPerPixel).times(27_648_000).times(3600).div("1e18").times(USD_PER_ETH);

/** The capture's states with two nodes renamed; o1's live price set to `o1Price`. */
function states(o1Price: string): OrchState[] {
  return parseNetworkCapabilities(CAPTURE).map((s) => {
    if (s.address === NODE1.capture)
      return { ...s, address: NODE1.address, models: s.models.map((m) => (m.pipeline === LIVE ? { ...m, pricePerUnit: o1Price } : m)) };
    if (s.address === NODE2.capture) return { ...s, address: NODE2.address };
    return s;
  });
}

describe.each(backends())("orchestrator pages with capabilities and live video on %s", (backend) => {
  let db: TestDb;
  let server: StartedServer;
  const get = async (path: string) => {
    const r = await fetch(server.url + path);
    const text = await r.text();
    const json = (r.headers.get("content-type") ?? "").includes("application/json") ? JSON.parse(text) : null;
    return { status: r.status, headers: r.headers, text, json };
  };

  beforeAll(async () => {
    db = await openTestDb(backend);
    await seedNetwork(db);
    await seedJobs(db);
    server = await startServer({ db, port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  // First, before any capability or event is stored.
  it("empty blocks name the source that feeds them", async () => {
    const list = (await get("/api/orchestrators")).json;
    expect(list.capabilities).toEqual({ asOf: null, usdRate: null });
    for (const r of list.rows) expect(r).toMatchObject({ gpus: [], gpuCount: null, livePrice: null });
    const api = (await get(`/api/orchestrators/${ORCH.o1}?${WINDOW}`)).json;
    expect(api).toMatchObject({ capabilities: { asOf: null, listed: false }, gpus: [], advertised: [], priceHistory: [], live: { model: null, row: null } });
    const page = (await get(`/orchestrators/${ORCH.o1}?${WINDOW}`)).text;
    expect(page).toContain("No capabilities are indexed yet");
    expect(page).toContain("GATEWAY_CAPABILITIES_URL");
    expect(page).toContain("No live video session is recorded");
    expect(page).toContain("GATEWAY_EVENTS_DIR");
    expect((await get("/orchestrators")).text).toContain("none are indexed yet (set GATEWAY_CAPABILITIES_URL");
  });

  it("stores two polls and live sessions", async () => {
    await db.tx((q) => applyCapabilities(q, states("1588"), POLL1, { origin: "endpoint", complete: true }));
    await db.tx((q) => applyCapabilities(q, states("2000"), POLL2, { origin: "endpoint", complete: true }));
    const at = Date.parse("2025-03-28T10:00:00Z");
    const lines = [
      ...[1, 2, 3].flatMap((n) => sessionLines(session(n, { startMs: at + n * 600_000, orchHot: NODE1.hot, orchUrl: NODE1.url, orchAddress: NODE1.address }))),
      ...sessionLines(session(4, { startMs: at + 4 * 600_000, orchHot: NODE2.hot, orchUrl: NODE2.url, orchAddress: NODE2.address })),
    ];
    const r = await ingestEventBody(db, new TextEncoder().encode(lines.join("\n")), 1 << 20);
    expect(r.rejected).toEqual([]);
    expect(r.accepted).toBe(lines.length);
  });

  it("/api/orchestrators: GPUs and the live video price from the newest poll, as new fields and CSV columns", async () => {
    const { json } = await get("/api/orchestrators?sort=address");
    expect(json.capabilities).toEqual({ asOf: POLL2, usdRate: { date: "2025-03-31", rateDate: "2025-03-31", usdPerEth: String(USD_PER_ETH) } });
    const by = Object.fromEntries(json.rows.map((r: Json) => [r.address, r]));
    expect(by[ORCH.o1]).toMatchObject({
      gpus: [{ name: "NVIDIA GeForce RTX 5090", count: 4, memoryGb: 32, memoryBytes: 34190917632 }],
      gpuCount: 4,
      livePrice: { modelId: FACEID, weiPerPixel: "2000", usdPerVideoHour: usdPerHour(2000).toFixed(), models: 1 },
    });
    expect(by[ORCH.o2]).toMatchObject({ gpuCount: 2, livePrice: null });
    expect(by[ORCH.o2].gpus.map((g: Json) => [g.name, g.count]).sort()).toEqual([
      ["NVIDIA GeForce RTX 3090", 1],
      ["NVIDIA GeForce RTX 4070 Ti SUPER", 1],
    ]);
    // Not in the poll: no GPU figure at all (not zero GPUs).
    for (const a of [ORCH.o3, ORCH.o4, ORCH.o5, JOBS_ONLY]) expect(by[a]).toMatchObject({ gpus: [], gpuCount: null, livePrice: null });
    // The job figures are still the busiest pair's, and said so.
    expect(json).toMatchObject({ pipeline: PIPE.t2i.pipeline, model: PIPE.t2i.model, choice: "busiest" });

    const csv = parseCsv((await get("/api/orchestrators?sort=address&format=csv")).text);
    const h = csv[0];
    const o1 = csv.find((r) => r[0] === ORCH.o1)!;
    expect(o1[h.indexOf("gpus")]).toBe("4 x NVIDIA GeForce RTX 5090");
    expect(o1[h.indexOf("gpu_count")]).toBe("4");
    expect(o1[h.indexOf("live_model")]).toBe(FACEID);
    expect(o1[h.indexOf("live_wei_per_pixel")]).toBe("2000");
    expect(o1[h.indexOf("live_usd_per_video_hour")]).toBe(usdPerHour(2000).toFixed());
    expect(csv.find((r) => r[0] === ORCH.o2)![h.indexOf("gpus")]).toBe("1 x NVIDIA GeForce RTX 3090; 1 x NVIDIA GeForce RTX 4070 Ti SUPER");
    expect(csv.find((r) => r[0] === ORCH.o3)![h.indexOf("gpu_count")]).toBe("");

    // Sorting: most GPUs first, the cheapest live price first; those without a figure last.
    const gpus = (await get("/api/orchestrators?sort=gpuCount")).json;
    expect(gpus.dir).toBe("desc");
    expect(gpus.rows.slice(0, 2).map((r: Json) => r.address)).toEqual([ORCH.o1, ORCH.o2]);
    expect(gpus.rows.slice(2).every((r: Json) => r.gpuCount === null)).toBe(true);
    const live = (await get("/api/orchestrators?sort=livePrice")).json;
    expect(live.dir).toBe("asc");
    expect(live.rows[0].address).toBe(ORCH.o1);
    expect(live.rows.slice(1).every((r: Json) => r.livePrice === null)).toBe(true);
  });

  it("/orchestrators shows the GPU column, the live price and the busiest pair it uses", async () => {
    const { status, text } = await get("/orchestrators");
    expect(status).toBe(200);
    expect(text).toContain("4\u00a0×\u00a0RTX 5090");
    expect(text).toContain("1\u00a0×\u00a0RTX 4070 Ti SUPER");
    expect(text).toContain("$0.398/h");
    expect(text).toMatch(/p50\/p95\/p99 and costs for <strong>text-to-image ByteDance\/SDXL-Lightning<\/strong>, the network&#x27;s busiest in this window/);
    expect(text).toContain("newest capabilities poll, 2025-03-31 12:00:00 UTC");
    // Over every pipeline: no percentile column at all.
    const all = (await get("/orchestrators?pipeline=all")).text;
    expect(all).toContain("No latency percentile or cost is shown");
    expect(all).not.toMatch(/>p50</);
    expect(text).toMatch(/>p50</);
  });

  it("/api/orchestrators/<address>: its GPUs, advertised models, price history and live video next to the network's; older fields unchanged", async () => {
    const { status, json } = await get(`/api/orchestrators/${ORCH.o1}?${WINDOW}`);
    expect(status).toBe(200);
    for (const k of ["address", "serviceUri", "feesEth30d", "window30d", "from", "to", "interval", "pipeline", "model", "series", "totals", "jobs", "network", "errors", "cost", "asOf", "provenance"])
      expect(json, k).toHaveProperty(k);
    expect(json).toMatchObject({ pipeline: PIPE.t2i.pipeline, model: PIPE.t2i.model, choice: "busiest" });
    expect(json.capabilities).toMatchObject({ asOf: POLL2, listed: true, nodes: [NODE1.url] });
    expect(json.gpus).toEqual([{ pipeline: LIVE, modelId: FACEID, name: "NVIDIA GeForce RTX 5090", count: 4, memoryGb: 32, memoryBytes: 34190917632 }]);
    expect(json.gpusByName).toEqual([{ name: "NVIDIA GeForce RTX 5090", count: 4, memoryGb: 32, memoryBytes: 34190917632 }]);
    expect(json.advertised).toEqual([
      {
        url: NODE1.url,
        pipeline: LIVE,
        modelId: FACEID,
        unit: "pixel",
        pricePerUnit: "2000",
        pixelsPerUnit: "1",
        priceWeiPerUnit: "2000",
        usdPerVideoSecond: usdPerHour(2000).div(3600).toFixed(),
        usdPerVideoHour: usdPerHour(2000).toFixed(),
        warm: true,
        capacity: 4,
        capacityInUse: null,
      },
    ]);
    // Two periods: 1588 wei/pixel from the first poll until the second, 2000 since; USD at each one's first day's rate.
    expect(json.priceHistory).toEqual([
      { url: NODE1.url, pipeline: LIVE, modelId: FACEID, pricePerUnit: "1588", pixelsPerUnit: "1", priceWeiPerUnit: "1588", usdPerVideoHour: usdPerHour(1588).toFixed(), rateDate: "2025-03-30", from: POLL1, to: POLL2 },
      { url: NODE1.url, pipeline: LIVE, modelId: FACEID, pricePerUnit: "2000", pixelsPerUnit: "1", priceWeiPerUnit: "2000", usdPerVideoHour: usdPerHour(2000).toFixed(), rateDate: "2025-03-31", from: POLL2, to: null },
    ]);
    expect(json.priceHistoryOmitted).toBe(0);

    // Live video: its row and the network's, exactly what /api/live says for the same window and model.
    const live = (await get(`/api/live?${WINDOW}`)).json;
    expect(json.live).toMatchObject({ window: { from: "2025-03-25", to: "2025-03-31" }, pipeline: LIVE, model: FACEID, modelChoice: "busiest" });
    expect(json.live.row).toEqual(live.rows.find((r: Json) => r.address === ORCH.o1));
    expect(json.live.network).toEqual(live.network);
    expect(json.live.row).toMatchObject({ sessions: 3, billableSeconds: "450" });
    expect(json.live.network).toMatchObject({ sessions: 4, billableSeconds: "600" });
    expect(json.live.usdPerHour.network).toBe(new Decimal(live.network.usdPerSecond).times(3600).toFixed());

    // An orchestrator the poll does not list, with no live session: empty blocks, the network's live figures.
    const o3 = (await get(`/api/orchestrators/${ORCH.o3}?${WINDOW}`)).json;
    expect(o3).toMatchObject({ capabilities: { asOf: POLL2, listed: false }, gpus: [], advertised: [], priceHistory: [], live: { model: FACEID, row: null } });
    expect(o3.live.network.sessions).toBe(4);
  });

  it("CSV tables of the new blocks parse back to the JSON", async () => {
    const base = `/api/orchestrators/${ORCH.o1}?${WINDOW}`;
    const json = (await get(base)).json;
    const gpus = await get(`${base}&format=csv&table=gpus`);
    expect(gpus.headers.get("content-disposition")).toMatch(/observatory-orchestrator-0x0101010101010101010101010101010101010101-gpus-2025-03-25_2025-03-31\.csv/);
    expect(parseCsv(gpus.text)).toEqual([
      ["pipeline", "model_id", "gpu_name", "count", "memory_gb", "memory_bytes", "as_of"],
      [LIVE, FACEID, "NVIDIA GeForce RTX 5090", "4", "32", "34190917632", POLL2],
    ]);
    const adv = parseCsv((await get(`${base}&format=csv&table=advertised`)).text);
    expect(adv[1].slice(0, 9)).toEqual([NODE1.url, LIVE, FACEID, "2000", "1", "2000", "pixel", json.advertised[0].usdPerVideoSecond, json.advertised[0].usdPerVideoHour]);
    const prices = parseCsv((await get(`${base}&format=csv&table=prices`)).text);
    expect(prices.slice(1).map((r) => [r[3], r[4], r[5]])).toEqual([
      [POLL1, POLL2, "1588"],
      [POLL2, "", "2000"],
    ]);
    const live = parseCsv((await get(`${base}&format=csv&table=live`)).text);
    expect(live.map((r) => [r[0], r[1], r[2]])).toEqual([
      ["who", "model_id", "sessions"],
      [ORCH.o1, FACEID, "3"],
      ["network", FACEID, "4"],
    ]);
  });

  it("/orchestrators/<address> shows GPUs, models, the price history and live video, and says which pair its percentiles are for", async () => {
    const { status, text } = await get(`/orchestrators/${ORCH.o1}?${WINDOW}`);
    expect(status).toBe(200);
    expect(text).toContain("Advertised: GPUs, models and prices");
    expect(text).toContain("4 × RTX 5090 (32 GB)");
    expect(text).toContain("2,000 wei/px");
    expect(text).toContain("1,588 wei/px");
    expect(text).toContain("Live video, next to the network");
    expect(text).toContain("This orchestrator");
    expect(text).toMatch(/p50\/p95\/p99 and costs for <strong>text-to-image ByteDance\/SDXL-Lightning<\/strong>, its busiest in this window/);
    // Another pair on request; every pipeline without percentiles.
    const i2v = (await get(`/orchestrators/${ORCH.o1}?${WINDOW}&pipeline=image-to-video`)).text;
    expect(i2v).toMatch(/p50\/p95\/p99 and costs for <strong>image-to-video stabilityai\/stable-video-diffusion-img2vid-xt-1-1<\/strong>, its busiest/);
    const all = (await get(`/orchestrators/${ORCH.o1}?${WINDOW}&pipeline=all`)).text;
    expect(all).toContain("Latency percentiles are shown for one pipeline and model at a time");
    expect(all).not.toContain("Network p50");
    // Not in the poll, no sessions: the empty blocks say where their data comes from.
    const o3 = (await get(`/orchestrators/${ORCH.o3}?${WINDOW}`)).text;
    expect(o3).toContain("The newest poll does not list this orchestrator");
    expect(o3).toContain("Gateway events name this orchestrator in no live session");
  });
});
