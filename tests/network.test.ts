// The Network page and API end to end, on PGlite and (with TEST_DATABASE_URL) Postgres: a loopback
// stand-in gateway serves the real /getNetworkCapabilities capture, the capabilities source polls it
// through runAllSources (config from loadIndexerConfig), and /api/network, /api/network/orchestrators
// and /network are read from the real server. Expected figures are computed here from the JSON
// itself (not through the parser): orchestrators, GPUs per name, live video price min/median/max.
import http from "node:http";
import type { AddressInfo } from "node:net";
import fs from "node:fs";
import Decimal from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { offerRatio, ratioStats } from "../app/lib/network.server";
import { ratioToDecimal } from "../core/units";
import { loadIndexerConfig } from "../indexer/config";
import { runAllSources } from "../indexer/run";
import { startServer, type StartedServer } from "../server";
import { backends, openTestDb, type TestDb } from "./helpers/db";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const CAPTURE: Json = JSON.parse(fs.readFileSync(new URL("./real-samples/gateway-events/getNetworkCapabilities.json", import.meta.url), "utf8"));
const LIVE = "live-video-to-video";
const LIVE_CAP = 35;
const CHANGED = "0x2e3a21ae"; // streamdiffusion-sdxl at 1588 wei/pixel, one RTX 4090
const REMOVED = "0x10b21af7"; // streamdiffusion-sdxl, one RTX 5090
const NEW_PRICE = 2500;
const USD_PER_ETH = new Decimal("31234.5").div(10);

const lower = (s: string) => s.toLowerCase();
const byPrefix = (answer: Json, prefix: string) => answer.orchestrators.filter((o: Json) => lower(o.address).startsWith(prefix));

/** The capture with one live price changed and one node removed. */
function modified(): Json {
  const a = structuredClone(CAPTURE);
  const [changed] = byPrefix(a, CHANGED);
  const price = changed.capabilities_prices.find((p: Json) => p.capability === LIVE_CAP);
  price.pricePerUnit = NEW_PRICE;
  a.orchestrators = a.orchestrators.filter((o: Json) => !lower(o.address).startsWith(REMOVED));
  return a;
}

/** Figures computed straight from an answer's JSON. */
function expected(answer: Json) {
  const orchs: Json[] = answer.orchestrators;
  const gpus = new Map<string, { name: string; memory: number }>();
  for (const o of orchs)
    for (const h of o.hardware ?? [])
      for (const g of Object.values(h.gpu_info ?? {}) as Json[]) gpus.set(`${lower(o.address)} ${g.id}`, { name: g.name, memory: g.memory_total });
  const perName = new Map<string, { count: number; memories: number[] }>();
  for (const g of gpus.values()) {
    const e = perName.get(g.name) ?? { count: 0, memories: [] };
    e.count++;
    e.memories.push(g.memory);
    perName.set(g.name, e);
  }
  // Live prices, one per node (address, URL) and model.
  const live = new Map<string, number>();
  for (const o of orchs)
    for (const p of o.capabilities_prices ?? [])
      if (p.capability === LIVE_CAP) live.set(`${lower(o.address)} ${o.orch_uri} ${p.constraint}`, p.pricePerUnit / p.pixelsPerUnit);
  const prices = [...live.values()].sort((x, y) => x - y);
  const n = prices.length;
  const median = n % 2 ? prices[n >> 1] : (prices[n / 2 - 1] + prices[n / 2]) / 2;
  return {
    orchestrators: new Set(orchs.map((o) => lower(o.address))).size,
    gpuTotal: gpus.size,
    gpuCounts: Object.fromEntries([...perName].map(([k, v]) => [k, v.count])),
    gpuMemoryGb: Object.fromEntries([...perName].map(([k, v]) => [k, Math.round(Math.max(...v.memories) / 2 ** 30)])),
    live: { min: prices[0], median, max: prices[n - 1], n },
  };
}

/** Sums a live price's USD per second of video: price x 27,648,000 / 1e18 x USD/ETH. */
const usdPerSecond = (weiPerPixel: number) => new Decimal(weiPerPixel).times(27_648_000).div("1e18").times(USD_PER_ETH);

interface StandIn {
  url: string;
  body: Json;
  status: number;
  requests: number;
  close(): Promise<void>;
}

async function standInGateway(): Promise<StandIn> {
  const state = { body: CAPTURE as Json, status: 200, requests: 0 };
  const server = http.createServer((req, res) => {
    if (req.url !== "/getNetworkCapabilities") {
      res.writeHead(404).end();
      return;
    }
    state.requests++;
    if (state.status !== 200) {
      res.writeHead(state.status, { "content-type": "text/plain" }).end("gateway trouble");
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(state.body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/getNetworkCapabilities`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("advertised price statistics", () => {
  it("are exact: fractional prices, and the median of an even count is the mean of the middle two", () => {
    const st = ratioStats(["2000/1", "1000/3", "5/2", "1588/1"].map(offerRatio))!;
    expect(ratioToDecimal(st.min)).toBe("2.5");
    expect(ratioToDecimal(st.max)).toBe("2000");
    // (1000/3 + 1588) / 2 = 2882/3
    expect(st.median).toEqual({ num: 2882n, den: 3n });
    expect(ratioToDecimal(st.median)).toBe("960.66666666666666666666666666666666666666666666667");
    const odd = ratioStats(["7/2", "1/2", "3/1"].map(offerRatio))!;
    expect(odd.median).toEqual({ num: 3n, den: 1n });
    // beyond 2^53, exactly
    const big = ratioStats(["123456789012345678901234567890/1", "123456789012345678901234567892/1"].map(offerRatio))!;
    expect(ratioToDecimal(big.median)).toBe("123456789012345678901234567891");
    expect(ratioStats([])).toBeNull();
  });
});

describe.each(backends())("network page and API on %s", (backend) => {
  let db: TestDb;
  let server: StartedServer;
  let gateway: StandIn;
  const config = () => ({
    ...loadIndexerConfig({ GATEWAY_CAPABILITIES_URL: gateway.url, SUBGRAPH_MAX_RETRIES: "1", SUBGRAPH_RETRY_BASE_MS: "10" }),
    log: () => {},
  });
  const run = async () => {
    const outcomes = await runAllSources(db, config());
    return outcomes.find((o) => o.source === "capabilities")!;
  };
  const get = async (path: string) => {
    const r = await fetch(server.url + path);
    const text = await r.text();
    const json = (r.headers.get("content-type") ?? "").includes("application/json") ? JSON.parse(text) : null;
    return { status: r.status, type: r.headers.get("content-type") ?? "", text, json };
  };
  let beforeChange = "";

  beforeAll(async () => {
    db = await openTestDb(backend);
    gateway = await standInGateway();
    server = await startServer({ db, port: 0, host: "127.0.0.1" });
    // A USD rate two days ago: the nearest day with one.
    const day = Math.floor(Date.now() / 86_400_000) - 2;
    await db.query(`insert into days (day_number, date, volume_eth, volume_usd) values ($1, $2, '10', '31234.5')`, [
      day,
      new Date(day * 86_400_000).toISOString().slice(0, 10),
    ]);
  });
  afterAll(async () => {
    await server?.close();
    await gateway?.close();
    await db?.close();
  });

  it("explains how to set GATEWAY_CAPABILITIES_URL before any poll", async () => {
    const page = await get("/network");
    expect(page.status).toBe(200);
    expect(page.text).toContain("GATEWAY_CAPABILITIES_URL");
    const api = await get("/api/network");
    expect(api.status).toBe(200);
    expect(api.json).toMatchObject({ asOf: null, orchestrators: 0, gpus: [], pipelines: [] });
  });

  it("stores the real capture once: 53 entries, 52 nodes; a second poll writes no new version", async () => {
    const first = await run();
    expect(first).toMatchObject({ ok: true, rowsWritten: 52 });
    const second = await run();
    expect(second).toMatchObject({ ok: true, rowsWritten: 0 });
    const [v] = await db.query<{ n: number; open: number }>(`select count(*)::int as n, count(*) filter (where valid_to is null)::int as open from orch_versions`);
    expect(v).toEqual({ n: 52, open: 52 });
    const polls = await db.query<{ changed: number; gone: number }>(`select changed, gone from capability_polls order by id`);
    expect(polls).toEqual([
      { changed: 52, gone: 0 },
      { changed: 0, gone: 0 },
    ]);
  });

  it("/api/network matches figures computed from the JSON", async () => {
    const want = expected(CAPTURE);
    const { status, json } = await get("/api/network");
    expect(status).toBe(200);
    for (const k of ["asOf", "orchestrators", "gpus", "pipelines"]) expect(json).toHaveProperty(k);
    const [poll] = await db.query<{ at: string }>(`select max(observed_at) as at from capability_polls`);
    expect(Date.parse(json.asOf)).toBe(new Date(poll.at).getTime());
    expect(json.orchestrators).toBe(want.orchestrators);
    expect(json.gpuTotal).toBe(want.gpuTotal);
    expect(Object.fromEntries(json.gpus.map((g: Json) => [g.name, g.count]))).toEqual(want.gpuCounts);
    expect(Object.fromEntries(json.gpus.map((g: Json) => [g.name, g.memoryGb]))).toEqual(want.gpuMemoryGb);
    expect(want).toMatchObject({ orchestrators: 52, gpuTotal: 19 }); // the hand count of the capture
    expect(json.gpus.find((g: Json) => g.name === "NVIDIA GeForce RTX 5090")).toMatchObject({ count: 6, memoryGb: 32, memoryBytes: 34190917632 });
    for (const g of json.gpus) expect(Object.keys(g).sort()).toEqual(["count", "memoryBytes", "memoryGb", "name"]);

    const live = json.pipelines.filter((p: Json) => p.pipeline === LIVE);
    expect(live.map((p: Json) => p.modelId).sort()).toEqual(["streamdiffusion-sdxl", "streamdiffusion-sdxl-faceid"]);
    for (const p of json.pipelines) {
      for (const k of ["pipeline", "modelId", "orchestrators", "gpus", "warm", "capacity", "priceWeiPerUnit", "usdPerVideoSecond"]) expect(p).toHaveProperty(k);
      if (p.pipeline !== LIVE) expect(p.usdPerVideoSecond).toBeNull();
    }
    const sdxl = live.find((p: Json) => p.modelId === "streamdiffusion-sdxl");
    // Nodes: 0x2e3a (4090), 0x10b2 (5090), 0xbd67 (2 x 4090), 0x0fc8 (price only, no hardware)
    expect(sdxl).toMatchObject({ orchestrators: 4, gpus: 4, warm: 4, capacity: 4, pricedOffers: 4 });
    expect(sdxl.priceWeiPerUnit).toEqual({ min: "1588", median: "1588", max: "1588" });
    // Every live offer in the capture: min, median, max over all models (the history's last point).
    const last = json.history[json.history.length - 1];
    expect(last.at).toBe(json.asOf);
    expect(last.livePriceWeiPerPixel).toEqual({ min: String(want.live.min), median: String(want.live.median), max: String(want.live.max) });
    expect(last.liveOffers).toBe(want.live.n);
    expect(last).toMatchObject({ orchestrators: want.orchestrators, gpus: want.gpuTotal });
    // USD per second of video at the nearest day's rate, exactly.
    expect(json.usdRate.usdPerEth).toBe(USD_PER_ETH.toFixed());
    expect(new Decimal(sdxl.usdPerVideoSecond.median).equals(usdPerSecond(1588))).toBe(true);
    expect(new Decimal(sdxl.usdPerVideoHour.max).equals(usdPerSecond(1588).times(3600))).toBe(true);
    expect(sdxl.ethPerVideoSecond.min).toBe("0.000000043905024");
  });

  it("/api/network/orchestrators lists each node's wallet, URL, version, GPUs and exact prices", async () => {
    const { status, json } = await get("/api/network/orchestrators");
    expect(status).toBe(200);
    expect(json.orchestrators).toHaveLength(52);
    const [src] = byPrefix(CAPTURE, "0x75fbf65a");
    const node = json.orchestrators.find((o: Json) => o.address === lower(src.address));
    expect(node).toMatchObject({ hotWallet: lower(src.local_address), version: src.capabilities.version });
    expect(node.url).toContain("ai.brzeczyszczykiewicz.work:8935");
    expect(node.gpus).toHaveLength(4);
    expect(node.gpus[0]).toMatchObject({ name: "NVIDIA GeForce RTX 5090", memoryGb: 32 });
    expect(node.models).toEqual([
      { pipeline: LIVE, modelId: "streamdiffusion-sdxl-faceid", priceWeiPerUnit: "1588", pricePerUnit: "1588", pixelsPerUnit: "1", warm: true, capacity: 4, capacityInUse: null },
    ]);
    const csv = await get("/api/network/orchestrators?format=csv");
    expect(csv.status).toBe(200);
    expect(csv.type).toContain("text/csv");
    expect(csv.text.split("\r\n")[0]).toMatch(/^as_of,address,hot_wallet,url,version,gpu_count,gpus,pipeline,model_id,price_wei_per_unit/);
  });

  it("a changed price opens a new version, a node that left is closed, and ?at= before the change gives the old price", async () => {
    beforeChange = new Date().toISOString();
    await sleep(5);
    gateway.body = modified();
    const third = await run();
    expect(third).toMatchObject({ ok: true, rowsWritten: 1 });
    const [poll] = await db.query<{ changed: number; gone: number }>(`select changed, gone from capability_polls order by id desc limit 1`);
    expect(poll).toEqual({ changed: 1, gone: 1 });
    const changed = await db.query<{ valid_to: string | null }>(`select valid_to from orch_versions where address like $1 order by id`, [`${CHANGED}%`]);
    expect(changed.map((c) => c.valid_to === null)).toEqual([false, true]);
    const removed = await db.query<{ valid_to: string | null }>(`select valid_to from orch_versions where address like $1`, [`${REMOVED}%`]);
    expect(removed).toHaveLength(1);
    expect(removed[0].valid_to).not.toBeNull();

    const want = expected(gateway.body);
    const now = (await get("/api/network")).json;
    expect(now.orchestrators).toBe(want.orchestrators);
    expect(now.gpuTotal).toBe(want.gpuTotal);
    expect(Object.fromEntries(now.gpus.map((g: Json) => [g.name, g.count]))).toEqual(want.gpuCounts);
    const sdxl = now.pipelines.find((p: Json) => p.modelId === "streamdiffusion-sdxl");
    expect(sdxl).toMatchObject({ orchestrators: 3, gpus: 3, pricedOffers: 3 });
    expect(sdxl.priceWeiPerUnit).toEqual({ min: "1588", median: "1588", max: String(NEW_PRICE) });
    expect(want.live).toMatchObject({ max: NEW_PRICE });
    expect(now.history[now.history.length - 1].livePriceWeiPerPixel).toEqual({ min: String(want.live.min), median: String(want.live.median), max: String(want.live.max) });

    const then = await get(`/api/network?at=${encodeURIComponent(beforeChange)}`);
    expect(then.status).toBe(200);
    expect(then.json.at).toBe(beforeChange);
    expect(Date.parse(then.json.asOf)).toBeLessThan(Date.parse(beforeChange) + 1);
    // The same instant with a UTC offset, its "+" unencoded (it arrives as a space).
    const ms = Date.parse(beforeChange);
    const offset = `${new Date(ms + 3_600_000).toISOString().slice(0, 23)}+01:00`;
    const then2 = await get(`/api/network?at=${offset}`);
    expect(then2.status).toBe(200);
    expect(then2.json.asOf).toBe(then.json.asOf);
    const old = then.json.pipelines.find((p: Json) => p.modelId === "streamdiffusion-sdxl");
    expect(old).toMatchObject({ orchestrators: 4, priceWeiPerUnit: { min: "1588", median: "1588", max: "1588" } });
    expect(then.json.orchestrators).toBe(expected(CAPTURE).orchestrators);
    const node = (await get(`/api/network/orchestrators?at=${encodeURIComponent(beforeChange)}`)).json.orchestrators.find((o: Json) =>
      o.address.startsWith(CHANGED),
    );
    expect(node.models[0]).toMatchObject({ priceWeiPerUnit: "1588" });
    const current = (await get(`/api/network/orchestrators`)).json.orchestrators;
    expect(current.find((o: Json) => o.address.startsWith(CHANGED)).models[0]).toMatchObject({ priceWeiPerUnit: String(NEW_PRICE) });
    expect(current.some((o: Json) => o.address.startsWith(REMOVED))).toBe(false);

    // A day is its end; a day before the first poll has no state.
    const today = (await get(`/api/network?at=${now.asOf.slice(0, 10)}`)).json;
    expect(today.asOf).toBe(now.asOf);
    expect(await get("/api/network?at=2000-01-01").then((r) => r.json)).toMatchObject({ asOf: null, orchestrators: 0, pipelines: [] });
  });

  it("answers 400 with a reason to a malformed at", async () => {
    for (const bad of ["yesterday", "2026-02-30", "2026-12-07T25:00:00Z", "2026-12-07T12:00:00+99:00", "12/07/2026"]) {
      const r = await get(`/api/network?at=${encodeURIComponent(bad)}`);
      expect(r.status, bad).toBe(400);
      expect(r.json.error, bad).toMatch(/at/);
      expect((await get(`/api/network/orchestrators?at=${encodeURIComponent(bad)}`)).status).toBe(400);
    }
    expect((await get("/network?at=yesterday")).status).toBe(400);
    expect((await get("/api/network?format=xml")).status).toBe(400);
  });

  it("serves CSV tables", async () => {
    const { json } = await get("/api/network");
    const pipes = await get("/api/network?format=csv");
    expect(pipes.type).toContain("text/csv");
    const lines = pipes.text.trim().split("\r\n");
    expect(lines[0]).toMatch(/^as_of,pipeline,model_id,orchestrators,nodes,gpus,warm,capacity/);
    expect(lines).toHaveLength(json.pipelines.length + 1);
    const gpus = (await get("/api/network?format=csv&table=gpus")).text.trim().split("\r\n");
    expect(gpus).toHaveLength(json.gpus.length + 1);
    const history = (await get("/api/network?format=csv&table=history")).text.trim().split("\r\n");
    expect(history).toHaveLength(json.history.length + 1);
  });

  it("renders /network with the GPUs and models, escaping what the network says", async () => {
    const evil = structuredClone(gateway.body);
    const [node] = byPrefix(evil, "0xf909ac60");
    node.hardware[0].gpu_info["0"].name = `<img src=x onerror=alert(1)>`;
    node.capabilities_prices[0].constraint = `<script>alert(2)</script>`;
    gateway.body = evil;
    expect(await run()).toMatchObject({ ok: true, rowsWritten: 1 });
    const page = await get("/network");
    expect(page.status).toBe(200);
    expect(page.text).toContain("NVIDIA GeForce RTX 5090");
    expect(page.text).toContain("streamdiffusion-sdxl-faceid");
    expect(page.text).not.toContain("<img src=x");
    expect(page.text).not.toContain("<script>alert(2)");
    expect(page.text).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  it("records a failing gateway without throwing out of runAllSources", async () => {
    gateway.status = 500;
    gateway.requests = 0;
    const before = await db.query(`select count(*)::int as n from orch_versions`);
    const outcomes = await runAllSources(db, config());
    const r = outcomes.find((o) => o.source === "capabilities")!;
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/HTTP 500/);
    expect(gateway.requests).toBe(2); // one attempt and one retry (SUBGRAPH_MAX_RETRIES=1)
    const [state] = await db.query<{ last_error: string | null }>(`select last_error from source_state where name = 'capabilities'`);
    expect(state.last_error).toMatch(/HTTP 500/);
    expect(await db.query(`select count(*)::int as n from orch_versions`)).toEqual(before);
    // The page still shows the last known state.
    expect((await get("/network")).status).toBe(200);
    gateway.status = 200;
  });
});
