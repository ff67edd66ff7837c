// The comparison by GPU on a small hand-built network, every figure worked out by hand: advertised
// price statistics per GPU model, streams per GPU from advertised capacity (mixed nodes shared by
// their GPUs), realized prices from payments of single-model orchestrators only, rentals per stream
// hour with their ratios, the cheapest current offer, and "no dated price" for GPUs the catalogue lacks.
import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { compareByGpu, ethPerVideoHour, exactStats, NO_DATED_PRICE, usdPerGpuHour, usdPerVideoHour, type GpuSlot, type LiveModel } from "./by-gpu";
import type { OfferRow } from "./compare";
import { ratio } from "../units";

const D50 = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -9e15, toExpPos: 9e15 });
const LIVE = "live-video-to-video";
const G4090 = "NVIDIA GeForce RTX 4090";
const G5090 = "NVIDIA GeForce RTX 5090";

const slot = (node: number, address: string, gpuId: string, name: string, pipeline = LIVE, modelId = "streamdiffusion-sdxl"): GpuSlot => ({
  node,
  address,
  gpuId,
  name,
  memoryBytes: name === G4090 ? 25_757_220_864 : name === G5090 ? 34_190_917_632 : 42_949_672_960,
  pipeline,
  modelId,
});
const model = (node: number, address: string, price: string | null, capacity: number | null, capacityInUse: number | null = null): LiveModel => ({
  node,
  address,
  modelId: "streamdiffusion-sdxl",
  pricePerUnit: price,
  pixelsPerUnit: price === null ? null : "1",
  capacity,
  capacityInUse,
});
const offer = (provider: string, gpu: string, gpuKey: string, unit: string, usd: string, gpus: number | null, asOf = "2026-09-20"): OfferRow => ({
  provider,
  offering: `${provider} ${gpu}`,
  gpu,
  gpuKey,
  gpus,
  unit,
  usdPerUnit: usd,
  source: `example.org/${provider.toLowerCase().replace(/\W+/g, "-")}`,
  asOf,
});

// a: 2 x 4090 at 1588, capacity 2. b: 1 x 4090 at 1620, no capacity. c: 1 x 5090 at 2000, capacity 3.
// d: 4090 + 5090 at 1600, capacity 2 (mixed). e: an A100 for text-to-image. f: a live offer without GPUs.
// g: an unknown accelerator.
const GPUS: GpuSlot[] = [
  slot(1, "0xa", "a0", G4090),
  slot(1, "0xa", "a1", G4090),
  slot(2, "0xb", "b0", G4090),
  slot(3, "0xc", "c0", G5090),
  slot(4, "0xd", "d0", G4090),
  slot(4, "0xd", "d1", G5090),
  slot(5, "0xe", "e0", "NVIDIA A100-SXM4-40GB", "text-to-image", "black-forest-labs/FLUX.1-dev"),
  slot(7, "0xg", "g0", "Mystery Accelerator X1", "text-to-image", "some/model"),
];
const MODELS: LiveModel[] = [model(1, "0xa", "1588", 2), model(2, "0xb", "1620", null), model(3, "0xc", "2000", 3), model(4, "0xd", "1600", 2, 1), model(6, "0xf", "1700", 1)];
const PRICES: OfferRow[] = [
  offer("OpenRelay", "RTX 4090 24GB", "RTX4090", "gpu_hour", "0.29", 1),
  offer("Vast.ai", "RTX 4090 24GB", "RTX4090", "instance_hour", "0.682", 1, "2026-06"),
  offer("AWS", "A100 40GB SXM", "A100", "instance_hour", "21.957642", 8, "2026-01-21"),
  offer("Lambda (historical)", "A100 80GB PCIe", "A100", "instance_hour", "1.10", 1, "<=2023-08-16"),
  offer("Modal", "H100", "H100", "gpu_hour", "3.9492", 1),
];
// a: 150 s at 1588 (rate 4000); b: 60 s at 1620 (rate 3000); d (mixed) and z (unknown) apart.
const FEE_A = 1588n * 27_648_000n * 150n; // 6,585,753,600,000
const FEE_B = 1620n * 27_648_000n * 60n; // 2,687,385,600,000
const PAYMENTS = [
  { orchestrator: "0xa", payments: 3, feeWei: FEE_A.toString(), billableSecs: "150", usdWei: (FEE_A * 4000n).toString() },
  { orchestrator: "0xb", payments: 1, feeWei: FEE_B.toString(), billableSecs: "60", usdWei: (FEE_B * 3000n).toString() },
  { orchestrator: "0xd", payments: 1, feeWei: "1", billableSecs: "30", usdWei: "4000" },
  { orchestrator: "0xz", payments: 3, feeWei: "2", billableSecs: "45.5", usdWei: "8000" },
];

describe("cloud comparison by GPU", () => {
  const result = compareByGpu({ gpus: GPUS, liveModels: MODELS, payments: PAYMENTS, prices: PRICES, usdPerEth: "4000" });
  const byName = (n: string) => result.gpus.find((g) => g.name === n)!;

  it("lists every GPU model, live ones first, with orchestrators, nodes and GPUs", () => {
    expect(result.gpus.map((g) => [g.name, g.gpuKey, g.orchestrators, g.nodes, g.gpus])).toEqual([
      [G4090, "RTX4090", 3, 3, 4],
      [G5090, "RTX5090", 2, 2, 2],
      ["Mystery Accelerator X1", null, 1, 1, 1],
      ["NVIDIA A100-SXM4-40GB", "A100", 1, 1, 1],
    ]);
    expect(result.liveOffersWithoutGpu).toBe(1);
  });

  it("advertised: min, median and max over (node, model) offers, per hour of video at the day's rate", () => {
    const g = byName(G4090).live!;
    expect(g).toMatchObject({ orchestrators: 3, nodes: 3, gpus: 4, offers: 3, models: ["streamdiffusion-sdxl"] });
    expect(g.priceWeiPerPixel).toEqual({ min: "1588", median: "1600", max: "1620" });
    // 1588 x 27,648,000 x 3600 = 158,058,086,400,000 wei = 0.0001580580864 ETH; x 4000 = 0.6322323456
    expect(g.ethPerVideoHour).toEqual({ min: "0.0001580580864", median: "0.00015925248", max: "0.000161243136" });
    expect(g.usdPerVideoHour).toEqual({ min: "0.6322323456", median: "0.63700992", max: "0.644972544" });
    // 5090: 2000 and 1600, median 1800: 0.00017915904 ETH, 0.71663616 USD
    expect(byName(G5090).live!.usdPerVideoHour).toEqual({ min: "0.63700992", median: "0.71663616", max: "0.7962624" });
  });

  it("streams per GPU: one unless capacity says more; a mixed node's streams are shared by its GPUs", () => {
    expect(byName(G4090).live).toMatchObject({ streams: "4", streamsPerGpu: "1", nodesAboveOnePerGpu: 0 });
    expect(byName(G4090).live!.streamsBasis).toMatch(/^one stream per GPU/);
    // c: 3 streams on its one 5090; d: 2 streams on 2 GPUs, one of them the 5090's: 4 streams on 2 GPUs.
    expect(byName(G5090).live).toMatchObject({ streams: "4", streamsPerGpu: "2", nodesAboveOnePerGpu: 1 });
    expect(byName(G5090).live!.streamsBasis).toContain("4 streams on 2 GPUs");
    expect(byName("NVIDIA A100-SXM4-40GB").live).toBeNull();
  });

  it("realized: fees over seconds of single-model orchestrators, each payment at its day's rate", () => {
    const r = byName(G4090).realized!;
    expect(r).toMatchObject({ orchestrators: 2, payments: 4, billableSeconds: "210", feesEth: "0.0000092731392", missingRate: false });
    // (6,585,753,600,000 + 2,687,385,600,000) wei / 210 s x 3600
    const eth = new D50((FEE_A + FEE_B).toString()).div("1e18").div(210).times(3600);
    expect(r.ethPerVideoHour).toBe(eth.toFixed());
    const usd = new D50((FEE_A * 4000n + FEE_B * 3000n).toString()).times(3600).div(210).div("1e18");
    expect(r.usdPerVideoHour).toBe(usd.toFixed());
    expect(r.usdPerVideoHour!.slice(0, 12)).toBe("0.5898029348");
    expect(byName(G5090).realized).toBeNull(); // its orchestrators c (no payments) and d (mixed)
    expect(result.unattributed).toEqual({
      mixed: { orchestrators: 1, payments: 1, billableSeconds: "30" },
      unknown: { orchestrators: 1, payments: 3, billableSeconds: "45.5" },
    });
  });

  it("rentals per stream-hour with their ratios; the cheapest current offer", () => {
    const g = byName(G4090);
    expect(g.noPrice).toBeNull();
    expect(g.rentals.map((r) => [r.provider, r.usdPerGpuHour, r.usdPerStreamHour, r.historical])).toEqual([
      ["OpenRelay", "0.29", "0.29", false],
      ["Vast.ai", "0.682", "0.682", false],
    ]);
    const open = g.rentals[0];
    // 0.29 / 0.63700992 and 0.29 / 0.589802934857...
    expect(open.ratioToAdvertised).toBe(new D50("0.29").div("0.63700992").toFixed());
    expect(open.ratioToAdvertisedDisplay).toBe(0.455);
    expect(open.ratioToRealized).toBe(new D50("0.29").div(g.realized!.usdPerVideoHour!).toFixed());
    expect(open.ratioToRealizedDisplay).toBe(0.492);
    expect(g.rentals[1].ratioToAdvertisedDisplay).toBe(1.07);
    expect(open.basis).toBe("0.29 USD per gpu hour = 0.29 USD per GPU-hour, one stream per GPU");
    expect(open).toMatchObject({ class: "neocloud-marketplace", source: "example.org/openrelay", asOf: "2026-09-20", variantDifferences: [] });
    expect(g.cheapest?.provider).toBe("OpenRelay");
  });

  it("A100: instance price over its GPUs; a historical offer is listed but not the cheapest; variants labelled", () => {
    const g = byName("NVIDIA A100-SXM4-40GB");
    expect(g.rentals.map((r) => [r.provider, r.usdPerGpuHour, r.historical])).toEqual([
      ["Lambda (historical)", "1.1", true],
      ["AWS", "2.74470525", false], // 21.957642 / 8
    ]);
    expect(g.rentals[0].variantDifferences).toEqual(["80 GB vs 40 GB", "PCIe vs SXM"]);
    expect(g.rentals[1].variantDifferences).toEqual([]);
    expect(g.cheapest?.provider).toBe("AWS");
    expect(g.rentals[1].ratioToAdvertised).toBeNull(); // serves no live video
    expect(g.rentals[1].basis).toBe("21.957642 USD per instance hour / 8 GPUs = 2.74470525 USD per GPU-hour, one stream per GPU");
  });

  it("a GPU without a dated price says so; an unrecognised name says why", () => {
    expect(byName(G5090)).toMatchObject({ rentals: [], cheapest: null, noPrice: `${NO_DATED_PRICE} for RTX5090` });
    expect(byName("Mystery Accelerator X1").noPrice).toMatch(/^no dated price in the catalogue \(the name is not recognised/);
  });

  it("with streams above one per GPU, the rental is divided by them", () => {
    const r = compareByGpu({ gpus: GPUS, liveModels: MODELS, payments: [], prices: [offer("Vast.ai", "RTX 5090 32GB", "RTX5090", "instance_hour", "0.9", 1)], usdPerEth: "4000" });
    const g = r.gpus.find((x) => x.name === G5090)!;
    expect(g.rentals[0]).toMatchObject({ usdPerGpuHour: "0.9", usdPerStreamHour: "0.45" });
    expect(g.rentals[0].basis).toContain("/ 2 streams per GPU");
    expect(g.rentals[0].ratioToAdvertised).toBe(new D50("0.45").div("0.71663616").toFixed());
  });

  it("without a USD rate, advertised USD is null and ratios too; ETH stays", () => {
    const r = compareByGpu({ gpus: GPUS, liveModels: MODELS, payments: [], prices: PRICES, usdPerEth: null });
    const g = r.gpus.find((x) => x.name === G4090)!;
    expect(g.live!.usdPerVideoHour).toBeNull();
    expect(g.live!.ethPerVideoHour!.median).toBe("0.00015925248");
    expect(g.rentals[0].ratioToAdvertised).toBeNull();
  });

  it("building blocks", () => {
    expect(exactStats([ratio(3n), ratio(1n), ratio(2n), ratio(10n)])!.median).toEqual({ num: 5n, den: 2n });
    expect(exactStats([])).toBeNull();
    expect(ethPerVideoHour(ratio(1618n))).toBe("0.0001610440704");
    expect(usdPerVideoHour(ratio(1n, 3n), "3000")).toBe("0.0000995328");
    expect(usdPerGpuHour({ unit: "gpu_second", usdPerUnit: "0.00031" })).toBe("1.116");
    expect(usdPerGpuHour({ unit: "instance_second", usdPerUnit: "0.0122", gpus: 8 })).toBe("5.49");
    expect(usdPerGpuHour({ unit: "video_second", usdPerUnit: "0.04" })).toBeNull();
    expect(usdPerGpuHour({ unit: "instance_hour", usdPerUnit: "1", gpus: null })).toBeNull();
  });
});
