// GPU names to catalogue keys: every name the real capture reports (tests/real-samples/gateway-events/
// getNetworkCapabilities.json), names other gateways report, the shipped catalogue's own `gpu`
// texts (each must map to the row's gpu_key), variants (memory, SXM/PCIe/NVL) and unknown names.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parsePrices } from "../catalogue";
import { gpuIdentity, gpuKeyOf, gpuVariant, memoryGbOfBytes, normaliseGpuKey, sameGpuKey, variantDifferences } from "./gpu-names";

const ROOT = path.resolve(__dirname, "../..");

describe("GPU names to catalogue keys", () => {
  it("maps every GPU name of the real capture", () => {
    const capture = JSON.parse(fs.readFileSync(path.join(ROOT, "tests/real-samples/gateway-events/getNetworkCapabilities.json"), "utf8"));
    const names = new Set<string>();
    for (const o of capture.orchestrators)
      for (const h of o.hardware ?? []) for (const g of Object.values(h.gpu_info ?? {}) as { name: string }[]) names.add(g.name);
    const keys = Object.fromEntries([...names].sort().map((n) => [n, gpuKeyOf(n)]));
    expect(keys).toEqual({
      "NVIDIA A100-SXM4-40GB": "A100",
      "NVIDIA GeForce RTX 3090": "RTX3090",
      "NVIDIA GeForce RTX 4070 Ti SUPER": "RTX4070TiSUPER",
      "NVIDIA GeForce RTX 4090": "RTX4090",
      "NVIDIA GeForce RTX 5090": "RTX5090",
      "NVIDIA RTX 6000 Ada Generation": "RTX6000Ada",
      "NVIDIA RTX A4000": "A4000",
      "Tesla P4": "P4",
    });
  });

  it.each([
    ["NVIDIA H100 80GB HBM3", "H100", "H100"],
    ["NVIDIA H100 NVL", "H100", "H100"],
    ["NVIDIA H100 PCIe", "H100", "H100"],
    ["NVIDIA A100 80GB PCIe", "A100", "A100"],
    ["NVIDIA A10G", "A10G", "A10G"],
    ["NVIDIA A10", "A10", "A10"],
    ["NVIDIA L4", "L4", "L4"],
    ["NVIDIA L40", "L40", "L40"],
    ["NVIDIA L40S", "L40S", "L40S"],
    ["Tesla T4", "T4", "T4"],
    ["Tesla V100-SXM2-16GB", "V100", "V100"],
    ["NVIDIA H200", "H200", "H200"],
    ["NVIDIA B200", "B200", "B200"],
    ["NVIDIA RTX A6000", "A6000", "RTX A6000"],
    ["NVIDIA RTX 4000 SFF Ada Generation", "RTX4000SFFAda", "RTX 4000 SFF Ada"],
    ["NVIDIA RTX PRO 6000 Blackwell Workstation Edition", "RTXPRO6000", "RTX PRO 6000"],
    ["Quadro RTX 8000", "QuadroRTX8000", "Quadro RTX 8000"],
    ["NVIDIA TITAN RTX", "TITANRTX", "TITAN RTX"],
    ["NVIDIA GeForce RTX 4090 D", "RTX4090D", "RTX 4090 D"],
    ["NVIDIA GeForce RTX 3090 Ti", "RTX3090Ti", "RTX 3090 Ti"],
    ["NVIDIA GeForce RTX 4080 SUPER", "RTX4080SUPER", "RTX 4080 SUPER"],
    ["NVIDIA GeForce GTX 1080 Ti", "GTX1080Ti", "GTX 1080 Ti"],
    ["NVIDIA GeForce RTX 5090", "RTX5090", "RTX 5090"],
    ["  nvidia   geforce rtx 4090 ", "RTX4090", "RTX 4090"],
    ["AMD Instinct MI300X", "MI300X", "Instinct MI300X"],
    ["AMD Radeon RX 7900 XTX", "RX7900XTX", "Radeon RX 7900 XTX"],
  ])("%s -> %s", (name, key, label) => {
    expect(gpuIdentity(name)).toMatchObject({ key, label, laptop: false });
  });

  it("a laptop part never takes the desktop card's key", () => {
    expect(gpuIdentity("NVIDIA GeForce RTX 4090 Laptop GPU")).toMatchObject({ key: "RTX4090Laptop", laptop: true });
    expect(sameGpuKey(gpuKeyOf("NVIDIA GeForce RTX 4090 Laptop GPU"), "RTX4090")).toBe(false);
  });

  it("an unknown name has no key and keeps its text as the label", () => {
    expect(gpuIdentity("Mystery Accelerator X1")).toEqual({ key: null, label: "Mystery Accelerator X1", memoryGb: null, formFactor: null, laptop: false });
    expect(gpuKeyOf("")).toBeNull();
    expect(sameGpuKey(null, "RTX4090")).toBe(false);
  });

  it("keys compare without case, spaces or dashes", () => {
    expect(normaliseGpuKey("rtx 4070-ti_super")).toBe("RTX4070TISUPER");
    expect(sameGpuKey("RTX4090", "rtx 4090")).toBe(true);
    expect(sameGpuKey("RTX4090", "RTX4090D")).toBe(false);
  });

  it("every GPU row of the shipped catalogue: its gpu text maps to its gpu_key", () => {
    const { rows, problems } = parsePrices(fs.readFileSync(path.join(ROOT, "indexer/data/cloud-prices.csv"), "utf8"));
    expect(problems).toEqual([]);
    const gpuRows = rows.filter((r) => r.gpuKey);
    expect(gpuRows.length).toBeGreaterThan(40);
    for (const r of gpuRows) expect(sameGpuKey(gpuKeyOf(r.gpu!), r.gpuKey), `line ${r.line}: ${r.gpu}`).toBe(true);
  });
});

describe("GPU variants", () => {
  it("reads memory and form factor from names and catalogue texts", () => {
    expect(gpuVariant("NVIDIA A100-SXM4-40GB")).toEqual({ memoryGb: 40, formFactor: "SXM" });
    expect(gpuVariant("A100 80GB PCIe")).toEqual({ memoryGb: 80, formFactor: "PCIe" });
    expect(gpuVariant("H100 NVL 94GB")).toEqual({ memoryGb: 94, formFactor: "NVL" });
    expect(gpuVariant("RTX 4090 24GB")).toEqual({ memoryGb: 24, formFactor: null });
    expect(gpuVariant(null)).toEqual({ memoryGb: null, formFactor: null });
  });

  it("memory in whole GiB, as makers count it", () => {
    expect(memoryGbOfBytes(25_757_220_864)).toBe(24); // RTX 4090
    expect(memoryGbOfBytes(34_190_917_632)).toBe(32); // RTX 5090
    expect(memoryGbOfBytes(42_949_672_960)).toBe(40); // A100 40GB
    expect(memoryGbOfBytes(null)).toBeNull();
  });

  it("labels an offer of another variant, where both sides say", () => {
    const a100 = { name: "NVIDIA A100-SXM4-40GB", memoryBytes: 42_949_672_960 };
    expect(variantDifferences(a100, "A100 80GB PCIe")).toEqual(["80 GB vs 40 GB", "PCIe vs SXM"]);
    expect(variantDifferences(a100, "A100 40GB SXM")).toEqual([]);
    expect(variantDifferences(a100, "A100 80GB SXM")).toEqual(["80 GB vs 40 GB"]);
    // Memory from the reported bytes when the name does not say; a 24 GB card reports 23.99 GiB.
    expect(variantDifferences({ name: "NVIDIA GeForce RTX 4090", memoryBytes: 25_757_220_864 }, "RTX 4090 24GB")).toEqual([]);
    expect(variantDifferences({ name: "NVIDIA GeForce RTX 4090", memoryBytes: null }, "RTX 4090 24GB")).toEqual([]);
    expect(variantDifferences({ name: "NVIDIA H100 NVL", memoryBytes: null }, "H100 80GB SXM")).toEqual(["SXM vs NVL"]);
  });
});
