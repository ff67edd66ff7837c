// The cloud comparison by GPU end to end, on PGlite and (with TEST_DATABASE_URL) Postgres: the shipped
// price catalogue loaded by the prices source, the real /getNetworkCapabilities capture applied as
// capability history (plus one node with a GPU no catalogue could list), subgraph day rates, and live
// sessions pushed as gateway event envelopes. Every per-GPU figure is checked against a computation
// done here from the capture's JSON, the CSV and the envelopes' prices, then read again through
// GET /api/cloud/gpus (JSON and CSV) and the /cloud page.
import fs from "node:fs";
import path from "node:path";
import Decimal from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloudGpus, type CloudGpus } from "../app/lib/cloud-gpus.server";
import { parseCsv } from "../core/catalogue";
import { parseNetworkCapabilities } from "../core/gateway/capabilities";
import { applyCapabilities } from "../indexer/sources/capabilities/store";
import { ingestEventBody } from "../indexer/sources/events/push";
import { runPrices } from "../indexer/sources/prices/load";
import { startServer, type StartedServer } from "../server";
import { backends, openTestDb, type TestDb } from "./helpers/db";
import { ORCH_B, session, sessionLines } from "./helpers/gateway-events";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const ROOT = path.resolve(__dirname, "..");
const CAPTURE: Json = JSON.parse(fs.readFileSync(path.join(ROOT, "tests/real-samples/gateway-events/getNetworkCapabilities.json"), "utf8"));
const D50 = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -9e15, toExpPos: 9e15 });
const WINDOW = { from: "2026-11-20", to: "2026-11-21" };
const OBSERVED_AT = "2026-11-22T06:00:00.000Z";
const G4090 = "NVIDIA GeForce RTX 4090";
const G5090 = "NVIDIA GeForce RTX 5090";
const MYSTERY = "Contoso NPU 9000";
/** Billed pixels of an hour of live video. */
const PX_HOUR = 27_648_000 * 3600;
/** USD per ETH by day: Day.volumeUSD / Day.volumeETH. */
const RATES: [string, string, string][] = [
  ["2026-11-20", "10", "31234.5"], // 3123.45
  ["2026-11-21", "2", "7000"], // 3500
  ["2026-11-22", "1", "4000"], // 4000: the capabilities' day
];

/** A node of the capture by address prefix. */
const node = (prefix: string): Json => CAPTURE.orchestrators.find((o: Json) => o.address.toLowerCase().startsWith(prefix));
const orchOf = (prefix: string) => {
  const n = node(prefix);
  return { orchAddress: n.address.toLowerCase(), orchHot: n.local_address.toLowerCase(), orchUrl: n.orch_uri };
};

/** The capture plus one node whose GPU no catalogue could list. */
function capture(): Json {
  const a = structuredClone(CAPTURE);
  a.orchestrators.push({
    address: "0x9999999999999999999999999999999999999999",
    local_address: "0x9999999999999999999999999999999999999999",
    orch_uri: "https://npu.example:8935",
    capabilities: { version: "0.8.8", constraints: { PerCapability: { "27": { models: { "some/model": { warm: true, capacity: 1 } } } } } },
    capabilities_prices: [{ pricePerUnit: 4768371, pixelsPerUnit: 1, capability: 27, constraint: "some/model" }],
    hardware: [{ pipeline: "text-to-image", model_id: "some/model", gpu_info: { "0": { id: "NPU-0", name: MYSTERY, memory_total: 68719476736 } } }],
  });
  return a;
}

/** GPU names and counts straight from the JSON: distinct (address, GPU id) and addresses per name. */
function inventory(answer: Json) {
  const gpus = new Map<string, string>();
  for (const o of answer.orchestrators)
    for (const h of o.hardware ?? []) for (const g of Object.values(h.gpu_info ?? {}) as Json[]) gpus.set(`${o.address.toLowerCase()} ${g.id}`, g.name);
  const out = new Map<string, { gpus: number; orchestrators: Set<string> }>();
  for (const [k, name] of gpus) {
    const e = out.get(name) ?? { gpus: 0, orchestrators: new Set<string>() };
    e.gpus++;
    e.orchestrators.add(k.split(" ")[0]);
    out.set(name, e);
  }
  return out;
}

/** Catalogue GPU-time rows of a gpu_key, per GPU-hour, straight from the shipped CSV. */
function catalogueRows(key: string) {
  const [head, ...rows] = parseCsv(fs.readFileSync(path.join(ROOT, "indexer/data/cloud-prices.csv"), "utf8")).map((r) => r.fields);
  const col = (r: string[], c: string) => r[head.indexOf(c)];
  const perHour: Record<string, number> = { instance_hour: 1, gpu_hour: 1, instance_second: 3600, gpu_second: 3600 };
  return rows
    .filter((r) => col(r, "gpu_key") === key && perHour[col(r, "unit")])
    .map((r) => ({
      provider: col(r, "provider"),
      gpu: col(r, "gpu"),
      source: col(r, "source"),
      asOf: col(r, "as_of"),
      usdPerGpuHour: new D50(col(r, "usd_per_unit"))
        .times(perHour[col(r, "unit")])
        .div(col(r, "unit").startsWith("instance") ? col(r, "gpus") : 1),
    }));
}

describe.each(backends())("cloud comparison by GPU on %s", (backend) => {
  let db: TestDb;
  let server: StartedServer;
  let result: CloudGpus;
  const byName = (n: string) => result.gpus.find((g) => g.name === n)!;
  const FEE = (price: number, secs: number) => BigInt(price) * 27_648_000n * BigInt(secs);

  beforeAll(async () => {
    db = await openTestDb(backend);
    server = await startServer({ db, port: 0, host: "127.0.0.1" });
    await runPrices(db, { dir: path.join(ROOT, "indexer/data") });
    for (const [day, eth, usd] of RATES)
      await db.query(`insert into days (day_number, date, volume_eth, volume_usd) values ($1, $2, $3, $4)`, [Date.parse(`${day}T00:00:00Z`) / 86_400_000, day, eth, usd]);
    await applyCapabilities(db, parseNetworkCapabilities(capture()), OBSERVED_AT, { origin: "endpoint", complete: true });
    // Live sessions (payments 60 + 60 + 30 s): two RTX 4090 orchestrators on two days at 1588, one RTX 5090
    // orchestrator at 1618, and one orchestrator the capabilities do not list.
    const body = [
      ...sessionLines(session(1, { ...orchOf("0xbd677e96"), modelId: "streamdiffusion-sdxl", priceWeiPerPixel: 1588n, startMs: Date.parse("2026-11-20T10:00:00Z") })),
      ...sessionLines(session(2, { ...orchOf("0x104a7ca0"), priceWeiPerPixel: 1588n, startMs: Date.parse("2026-11-21T10:00:00Z") })),
      ...sessionLines(session(3, { ...orchOf("0x75fbf65a"), priceWeiPerPixel: 1618n, startMs: Date.parse("2026-11-20T12:00:00Z") })),
      ...sessionLines(session(4, { orchAddress: ORCH_B.address, orchHot: ORCH_B.hot, orchUrl: ORCH_B.url, startMs: Date.parse("2026-11-21T12:00:00Z") })),
      // Outside the window: in no figure.
      ...sessionLines(session(5, { ...orchOf("0xbd677e96"), priceWeiPerPixel: 9999n, startMs: Date.parse("2026-11-23T10:00:00Z") })),
    ].join("\n");
    const pushed = await ingestEventBody(db, new TextEncoder().encode(body), 1 << 20);
    expect(pushed.rejected).toEqual([]);
    result = await cloudGpus(db, { range: WINDOW, at: { at: null, until: null, day: null } });
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it("lists every GPU model of the capabilities with its orchestrators and GPUs", () => {
    const inv = inventory(capture());
    expect(result.asOf).toBe(OBSERVED_AT);
    expect(result.gpus.map((g) => g.name).sort()).toEqual([...inv.keys()].sort());
    for (const g of result.gpus) expect([g.name, g.orchestrators, g.gpus]).toEqual([g.name, inv.get(g.name)!.orchestrators.size, inv.get(g.name)!.gpus]);
    expect(result.gpus.map((g) => [g.name, g.gpuKey])).toEqual([
      [G5090, "RTX5090"], // 6 live GPUs
      [G4090, "RTX4090"], // 5
      ["NVIDIA GeForce RTX 3090", "RTX3090"],
      ["NVIDIA GeForce RTX 4070 Ti SUPER", "RTX4070TiSUPER"],
      [MYSTERY, null],
      ["NVIDIA A100-SXM4-40GB", "A100"],
      ["NVIDIA RTX 6000 Ada Generation", "RTX6000Ada"],
      ["NVIDIA RTX A4000", "A4000"],
      ["Tesla P4", "P4"],
    ]);
    // 0x0fc80afb advertises live video at 1588 without reporting a GPU.
    expect(result.liveOffersWithoutGpu).toBe(1);
  });

  it("advertised price per hour of video: 1588 wei/pixel x 27,648,000 x 3600 / 1e18 x 4000 USD/ETH", () => {
    const eth = new D50(1588 * PX_HOUR).div("1e18"); // 0.0001580580864
    const usd = eth.times(4000); // 0.6322323456
    expect(usd.toFixed()).toBe("0.6322323456");
    for (const [name, nodes, gpus] of [
      [G4090, 3, 5],
      [G5090, 3, 6],
    ] as const) {
      const l = byName(name).live!;
      expect(l).toMatchObject({ orchestrators: nodes, nodes, gpus, offers: nodes, streamsPerGpu: "1", nodesAboveOnePerGpu: 0 });
      expect(l.priceWeiPerPixel).toEqual({ min: "1588", median: "1588", max: "1588" });
      expect(l.ethPerVideoHour!.median).toBe(eth.toFixed());
      expect(l.usdPerVideoHour).toEqual({ min: usd.toFixed(), median: usd.toFixed(), max: usd.toFixed() });
    }
    expect(result.usdRate).toEqual({ date: "2026-11-22", rateDate: "2026-11-22", usdPerEth: "4000" });
    expect(byName("NVIDIA A100-SXM4-40GB").live).toBeNull();
  });

  it("realized per hour: fees over billable seconds, each payment day at its rate", () => {
    const r4090 = byName(G4090).realized!;
    // Two sessions of 150 s at 1588 wei/pixel, on 2026-11-20 (3123.45) and 2026-11-21 (3500).
    const fee = FEE(1588, 150);
    expect(r4090).toMatchObject({ orchestrators: 2, payments: 6, billableSeconds: "300", missingRate: false });
    expect(r4090.feesEth).toBe(new D50((fee * 2n).toString()).div("1e18").toFixed());
    expect(r4090.ethPerVideoHour).toBe("0.0001580580864");
    const usd = new D50(fee.toString()).times("3123.45").plus(new D50(fee.toString()).times(3500)).div(300).times(3600).div("1e18");
    expect(r4090.usdPerVideoHour).toBe(usd.toFixed()); // 0.0001580580864 x 3311.725
    expect(usd.toFixed()).toBe("0.52344491618304");
    const r5090 = byName(G5090).realized!;
    expect(r5090).toMatchObject({ orchestrators: 1, payments: 3, billableSeconds: "150" });
    expect(r5090.usdPerVideoHour).toBe(new D50(1618 * PX_HOUR).div("1e18").times("3123.45").toFixed());
    expect(result.unattributed.unknown).toEqual({ orchestrators: 1, payments: 3, billableSeconds: "150" });
    expect(result.unattributed.mixed.payments).toBe(0);
  });

  it("rentals from the shipped catalogue, per stream-hour, with source, as_of and the ratio", () => {
    const g = byName(G4090);
    const rows = catalogueRows("RTX4090");
    expect(g.rentals).toHaveLength(rows.length);
    const cheapest = rows.reduce((a, r) => (r.usdPerGpuHour.lt(a.usdPerGpuHour) ? r : a));
    expect(g.cheapest).toMatchObject({ provider: cheapest.provider, source: cheapest.source, asOf: cheapest.asOf, usdPerStreamHour: cheapest.usdPerGpuHour.toFixed() });
    expect(g.cheapest!.ratioToAdvertised).toBe(cheapest.usdPerGpuHour.div("0.6322323456").toFixed());
    expect(g.cheapest!.ratioToRealized).toBe(cheapest.usdPerGpuHour.div(g.realized!.usdPerVideoHour!).toFixed());
    expect(g.cheapest).toMatchObject({ provider: "OpenRelay", usdPerStreamHour: "0.29", ratioToAdvertisedDisplay: 0.459 });

    const a100 = byName("NVIDIA A100-SXM4-40GB");
    const a100Rows = catalogueRows("A100");
    expect(a100.rentals).toHaveLength(a100Rows.length);
    expect(a100.rentals.map((r) => r.usdPerGpuHour).sort()).toEqual(a100Rows.map((r) => r.usdPerGpuHour.toFixed()).sort());
    // The cheapest current A100 is an 80 GB PCIe card: labelled, not taken for the network's 40 GB SXM.
    expect(a100.cheapest).toMatchObject({ provider: "RunPod", usdPerGpuHour: "1.19", variantDifferences: ["80 GB vs 40 GB", "PCIe vs SXM"], ratioToAdvertised: null });
  });

  it("GPUs without a dated price say so: the RTX 4070 Ti SUPER and others, and an unmapped name; the RTX 5090 has one", () => {
    expect(catalogueRows("RTX5090")).toHaveLength(1);
    expect(byName(G5090)).toMatchObject({ noPrice: null, cheapest: { provider: "RunPod", usdPerGpuHour: "1.22" } });
    expect(byName("NVIDIA GeForce RTX 4070 Ti SUPER")).toMatchObject({ rentals: [], cheapest: null, noPrice: "no dated price in the catalogue for RTX4070TiSUPER" });
    for (const name of ["NVIDIA RTX A4000", "NVIDIA RTX 6000 Ada Generation", "Tesla P4"])
      expect(byName(name).noPrice, name).toMatch(/^no dated price in the catalogue for /);
    expect(byName(MYSTERY)).toMatchObject({ gpuKey: null, rentals: [], noPrice: expect.stringMatching(/^no dated price in the catalogue \(the name is not recognised/) });
  });

  it("a node advertising more capacity than GPUs shares a GPU's rental among its streams", async () => {
    const a = capture();
    const n = a.orchestrators.find((o: Json) => o.address.toLowerCase().startsWith("0x2e3a21ae")); // one RTX 4090, capacity 1
    n.capabilities.constraints.PerCapability["35"].models["streamdiffusion-sdxl"].capacity = 3;
    await applyCapabilities(db, parseNetworkCapabilities(a), "2026-11-22T07:00:00.000Z", { origin: "endpoint", complete: true });
    const later = await cloudGpus(db, { range: WINDOW, at: { at: null, until: null, day: null } });
    const g = later.gpus.find((x) => x.name === G4090)!;
    // 3 streams on the one GPU, one each on the other four: 7 streams on 5 GPUs.
    expect(g.live).toMatchObject({ streams: "7", streamsPerGpu: "1.4", nodesAboveOnePerGpu: 1 });
    expect(g.cheapest!.usdPerStreamHour).toBe(new D50("0.29").div("1.4").toFixed());
    // The state before, at its instant, is unchanged.
    const before = await cloudGpus(db, { range: WINDOW, at: { at: OBSERVED_AT, until: OBSERVED_AT, day: "2026-11-22" } });
    expect(before.gpus).toEqual(result.gpus);
  });

  it("GET /api/cloud/gpus answers the same figures as JSON and CSV; /cloud shows them", async () => {
    const at = encodeURIComponent(OBSERVED_AT);
    const r = await fetch(`${server.url}/api/cloud/gpus?from=${WINDOW.from}&to=${WINDOW.to}&at=${at}`);
    expect(r.status).toBe(200);
    const json = await r.json();
    expect(json).toMatchObject({ from: WINDOW.from, to: WINDOW.to, capabilitiesAsOf: OBSERVED_AT, usdRate: result.usdRate });
    expect(json.gpus).toEqual(JSON.parse(JSON.stringify(result.gpus)));
    expect(json.provenance.source).toMatch(/getNetworkCapabilities/);
    const csv = await (await fetch(`${server.url}/api/cloud/gpus?from=${WINDOW.from}&to=${WINDOW.to}&at=${at}&format=csv`)).text();
    const [head, ...rows] = parseCsv(csv).map((x) => x.fields);
    const row = (name: string) => Object.fromEntries(head.map((h, i) => [h, rows.find((x) => x[0] === name)![i]]));
    expect(row(G4090)).toMatchObject({ gpu_key: "RTX4090", live_gpus: "5", advertised_usd_per_video_hour_median: "0.6322323456", cheapest_provider: "OpenRelay" });
    expect(row(G5090)).toMatchObject({ rentals: "1", cheapest_provider: "RunPod" });
    const offers = parseCsv(await (await fetch(`${server.url}/api/cloud/gpus?from=${WINDOW.from}&to=${WINDOW.to}&format=csv&table=offers`)).text());
    expect(offers.length - 1).toBe(result.gpus.reduce((n, g) => n + g.rentals.length, 0));
    expect((await fetch(`${server.url}/api/cloud/gpus?at=yesterday`)).status).toBe(400);
    expect((await fetch(`${server.url}/api/cloud/gpus?table=nope`)).status).toBe(400);

    const page = await fetch(`${server.url}/cloud?from=${WINDOW.from}&to=${WINDOW.to}&at=${at}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("By GPU");
    expect(html).toContain("no dated price in the catalogue for RTX4070TiSUPER");
    expect(html).toContain("no dated price in the catalogue (the name is not recognised");
    expect(html).toContain("$0.632");
    expect(html).toContain('href="/api/cloud/gpus?from=2026-11-20&amp;to=2026-11-21');
  });
});
