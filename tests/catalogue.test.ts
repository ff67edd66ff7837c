// The price catalogue's files: loading a directory (its age, a missing file), the shipped data
// files in indexer/data, and the cost model's comparison over every shipped row. The parsing and
// validation rules themselves are tested beside them (core/catalogue.test.ts, core/cost/).
import { describe, expect, it } from "vitest";
import Decimal from "decimal.js";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { daysSince, PRICE_COLUMNS, THROUGHPUT_COLUMNS } from "../core/catalogue";
import { compareOffers } from "../core/cost";
import { loadCatalogue } from "../db/catalogue";

const DATA_DIR = fileURLToPath(new URL("../indexer/data", import.meta.url));
const TODAY = "2026-11-29";
const PRICE_HEADER = PRICE_COLUMNS.join(",");
const TP_HEADER = THROUGHPUT_COLUMNS.join(",");
const TP_ROW = 'image-to-video,stabilityai/svd,"25 frames 1024x576, 7 fps",A100,A100,6.2,estimate from paper,arxiv.org/abs/2406.04324,estimate';
const SVD = "stabilityai/stable-video-diffusion-img2vid-xt-1-1";

describe("loading the catalogue", () => {
  it("reads a directory, reports its age, and says when a file is missing", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "catalogue-"));
    try {
      await writeFile(
        path.join(dir, "cloud-prices.csv"),
        [
          PRICE_HEADER,
          "AWS,g5.xlarge,A10G,A10G,1,instance_hour,1.006,github.com/x,2026-01-21",
          "Vast.ai,4090,RTX 4090,RTX4090,1,instance_hour,0.682,usagepricing.com,2026-06",
          "Lambda (historical),1x A10,A10G,A10G,1,instance_hour,0.6,github.com/fsdl,<=2023-08-16",
        ].join("\n"),
      );
      await expect(loadCatalogue(dir, { today: TODAY })).rejects.toThrow(/gpu-throughput\.csv: cannot be read/);
      await writeFile(path.join(dir, "gpu-throughput.csv"), `${TP_HEADER}\n${TP_ROW}\n`);
      const cat = await loadCatalogue(dir, { today: TODAY });
      expect(cat.prices).toHaveLength(3);
      expect(cat.throughput).toHaveLength(1);
      expect(cat.age).toEqual({
        newest: { asOf: "2026-06", date: "2026-06-01", line: 3 },
        oldest: { asOf: "<=2023-08-16", date: "2023-08-16", line: 4 },
        rows: 3,
      });
      expect(daysSince(cat.age!.newest.date, TODAY)).toBe(181);
      expect(cat.files.prices).toBe(path.join(dir, "cloud-prices.csv"));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("the shipped data files (indexer/data)", () => {
  it("load without a problem, every price with its source and date, every figure with its source and quality", async () => {
    const cat = await loadCatalogue(DATA_DIR, { today: TODAY });
    expect(cat.prices).toHaveLength(75);
    expect(cat.throughput).toHaveLength(8);
    for (const r of cat.prices) {
      expect(r.source.length).toBeGreaterThan(3);
      expect(r.asOfDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    for (const t of cat.throughput) {
      expect(t.source.length).toBeGreaterThan(3);
      expect(t.quality.length).toBeGreaterThan(3);
    }
    expect(cat.age!.newest).toMatchObject({ asOf: "2026-11-09" });
    expect(cat.age!.oldest).toMatchObject({ asOf: "<=2023-08-16" });
    // throughput rows join prices on gpu_key; "*" means any GPU
    const keys = new Set(cat.prices.map((p) => p.gpuKey));
    expect(cat.throughput.filter((t) => t.gpuKey === "*")).toHaveLength(1);
    expect(cat.throughput.filter((t) => t.gpuKey !== "*" && keys.has(t.gpuKey)).length).toBeGreaterThanOrEqual(4);
  });
});

describe("compareOffers", () => {
  it("handles every row of the shipped catalogue without guessing", async () => {
    const cat = await loadCatalogue(DATA_DIR, { today: "2026-11-29" });
    for (const pipeline of ["image-to-video", "live-video-to-video", "text-to-image"]) {
      const out = compareOffers({ livepeer: { pipeline, modelId: SVD, width: 1024, height: 576, frames: 25, fps: 6, usdPerVideoSecond: "0.048", usdPerMegapixel: "0.02" }, prices: cat.prices, throughput: cat.throughput });
      expect(out.length).toBeGreaterThan(0);
      for (const c of out) {
        expect(c.offer.source).toBeTruthy();
        expect(c.offer.asOf).toBeTruthy();
        if (c.status === "excluded") expect(c.reason).toBeTruthy();
        else {
          expect(new Decimal(c.usd!).gt(0)).toBe(true);
          if (c.offerClass !== "livepeer-reference") expect(c.comparability).not.toBeNull();
        }
        if (c.throughput) expect(c.throughput.source && c.throughput.quality).toBeTruthy();
      }
    }
    // the four comparison classes are all present for image-to-video
    const i2v = compareOffers({ livepeer: { pipeline: "image-to-video", usdPerVideoSecond: "0.048" }, prices: cat.prices, throughput: cat.throughput });
    const classes = new Set(i2v.filter((c) => c.status === "compared").map((c) => c.offerClass));
    expect([...classes].sort()).toEqual(["hosted-api", "hyperscaler-on-demand", "neocloud-marketplace", "serverless-per-second"]);
  });
});
