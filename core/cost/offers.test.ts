// The cost model on hand-computed cases (every figure below was worked out by hand or with exact
// fractions outside this code): cloud offer classes, the unit conversion of every
// class (rented GPU, serverless per-second, hosted API) and the utilisation bounds.
import { describe, expect, it } from "vitest";
import Decimal from "decimal.js";
import {
  DEFAULT_UTILISATION,
  compareOffers,
  offerClass,
  parseUtilisation,
  ratio,
  ratioToLivepeer,
  rentedUsdPerVideoSecond,
  serverlessUsdPerVideoSecond,
  usdPerGpuSecond,
  type OfferRow,
  type ThroughputFigure,
} from "./index";

const SVD = "stabilityai/stable-video-diffusion-img2vid-xt-1-1";
const D50 = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -9e15, toExpPos: 9e15 });

describe("cloud offers: unit conversions for every class", () => {
  it("classes come from provider and unit", () => {
    expect(offerClass("AWS", "instance_hour")).toBe("hyperscaler-on-demand");
    expect(offerClass("GCP (historical)", "instance_hour")).toBe("hyperscaler-on-demand");
    expect(offerClass("Azure", "instance_hour")).toBe("hyperscaler-on-demand");
    expect(offerClass("RunPod", "instance_hour")).toBe("neocloud-marketplace");
    expect(offerClass("Lambda (historical)", "instance_hour")).toBe("neocloud-marketplace");
    expect(offerClass("Vast.ai", "instance_hour")).toBe("neocloud-marketplace");
    expect(offerClass("CoreWeave", "instance_hour")).toBe("neocloud-marketplace");
    expect(offerClass("OpenRelay", "gpu_hour")).toBe("neocloud-marketplace");
    expect(offerClass("RunPod", "gpu_second")).toBe("serverless-per-second");
    expect(offerClass("Replicate", "instance_second")).toBe("serverless-per-second");
    expect(offerClass("Modal", "gpu_hour")).toBe("serverless-per-second");
    expect(offerClass("fal.ai", "video_second")).toBe("hosted-api");
    expect(offerClass("Runway", "credit")).toBe("hosted-api");
    expect(offerClass("Livepeer", "output_pixel")).toBe("livepeer-reference");
    expect(offerClass("Livepeer (Daydream/pipelines app)", "stream_hour")).toBe("livepeer-reference");
    expect(offerClass("Livepeer Studio", "megapixel")).toBe("livepeer-reference");
    expect(offerClass("Acme GPU", "instance_hour")).toBe("neocloud-marketplace"); // unlisted: by unit
    expect(offerClass("Acme GPU", "gpu_second")).toBe("serverless-per-second");
  });

  it("rented GPU: usd_per_gpu_hour / 3600 x GPU-s per output s / utilisation, per GPU of the instance", () => {
    // AWS p4d.24xlarge: 21.957642 USD/h for 8 A100 -> 2.74470525 per GPU-hour; SVD on A100: 6.2
    // 21.957642 x 6.2 / (8 x 3600 x 0.5) = 136.1373804 / 14400 = 0.00945398475
    const p4d = { unit: "instance_hour", usdPerUnit: "21.957642", gpus: 8, gpuSecondsPerOutputSecond: "6.2" };
    expect(rentedUsdPerVideoSecond(p4d)).toBe("0.00945398475");
    expect(rentedUsdPerVideoSecond({ ...p4d, utilisation: 1 })).toBe("0.004726992375");
    expect(rentedUsdPerVideoSecond({ ...p4d, utilisation: "0.25" })).toBe("0.0189079695");
    expect(usdPerGpuSecond(p4d)).toBe(new D50("2.74470525").div(3600).toFixed());
    // RunPod A100 PCIe 1.19/h: 1.19 x 6.2 / 1800 = 0.004098888... (50 significant digits)
    expect(rentedUsdPerVideoSecond({ unit: "instance_hour", usdPerUnit: "1.19", gpus: 1, gpuSecondsPerOutputSecond: "6.2" })).toBe(
      "0.0040988888888888888888888888888888888888888888888889",
    );
    // gpu_hour is already per GPU: OpenRelay RTX 4090 0.29/h x 7.0 / 1800
    expect(rentedUsdPerVideoSecond({ unit: "gpu_hour", usdPerUnit: "0.29", gpus: 1, gpuSecondsPerOutputSecond: "7.0" })).toBe(new D50("2.03").div(1800).toFixed());
    expect(() => rentedUsdPerVideoSecond({ ...p4d, gpus: 0 })).toThrow(RangeError);
    expect(() => rentedUsdPerVideoSecond({ ...p4d, unit: "video_second" })).toThrow(RangeError);
  });

  it("serverless per-second: usd_per_gpu_second x GPU-s per output s, no utilisation", () => {
    expect(serverlessUsdPerVideoSecond({ unit: "gpu_second", usdPerUnit: "0.00031", gpuSecondsPerOutputSecond: "7.0" })).toBe("0.00217");
    // Replicate 8x H100 at 0.0122 per instance-second = 0.001525 per GPU-second; x 6.2
    expect(serverlessUsdPerVideoSecond({ unit: "instance_second", usdPerUnit: "0.0122", gpus: 8, gpuSecondsPerOutputSecond: "6.2" })).toBe("0.009455");
    // Modal bills active time but quotes per hour: 2.4984 / 3600 x 6.2
    expect(serverlessUsdPerVideoSecond({ unit: "gpu_hour", usdPerUnit: "2.4984", gpuSecondsPerOutputSecond: "6.2" })).toBe("0.0043028");
  });

  it("ratio to Livepeer: above 1 means Livepeer is cheaper", () => {
    expect(ratioToLivepeer("0.06", "0.048")).toEqual({ ratio: "1.25", display: 1.25 });
    expect(ratioToLivepeer("0.00945398475", "0.047999999803392")!.display).toBe(0.197);
    expect(ratioToLivepeer("0.01", "0.03")).toEqual({ ratio: "0." + "3".repeat(50), display: 0.333 });
    expect(ratioToLivepeer("0.01", "0")).toBeNull();
    expect(ratioToLivepeer("0.01", null)).toBeNull();
    expect(ratioToLivepeer(null, "0.01")).toBeNull();
  });
});

describe("utilisation", () => {
  it("defaults to 0.5 and must be greater than 0 and at most 1", () => {
    expect(DEFAULT_UTILISATION).toBe("0.5");
    expect(parseUtilisation()).toBe("0.5");
    expect(parseUtilisation(null)).toBe("0.5");
    expect(parseUtilisation("")).toBe("0.5");
    expect(parseUtilisation(1)).toBe("1");
    expect(parseUtilisation("0.75")).toBe("0.75");
    expect(parseUtilisation(0.001)).toBe("0.001");
    for (const bad of [0, -0.1, 1.01, 2, "abc", Number.NaN, Number.POSITIVE_INFINITY, "1e3"]) {
      expect(() => parseUtilisation(bad as number | string)).toThrow(RangeError);
    }
  });

  it("1.0 gives the lowest rented cost and does not touch serverless or hosted prices", () => {
    const offer = { unit: "instance_hour", usdPerUnit: "2", gpus: 1, gpuSecondsPerOutputSecond: "6" };
    const costs = ["0.1", "0.5", "0.9", "1"].map((u) => new Decimal(rentedUsdPerVideoSecond({ ...offer, utilisation: u })));
    for (let i = 1; i < costs.length; i++) expect(costs[i].lt(costs[i - 1])).toBe(true);
    const prices: OfferRow[] = [
      { provider: "RunPod", offering: "pod", gpuKey: "A100", gpus: 1, unit: "instance_hour", usdPerUnit: "1.8", source: "s", asOf: "2026-01-01" },
      { provider: "RunPod", offering: "serverless", gpuKey: "A100", gpus: 1, unit: "gpu_second", usdPerUnit: "0.0006", source: "s", asOf: "2026-01-01" },
      { provider: "fal.ai", offering: "x", unit: "video_second", usdPerUnit: "0.05", source: "s", asOf: "2026-01-01", pipeline: "image-to-video" },
    ];
    const throughput: ThroughputFigure[] = [{ pipeline: "image-to-video", model: SVD, gpuKey: "A100", gpuSecondsPerOutputSecond: "6", source: "s", quality: "estimate" }];
    const at = (u: number) => compareOffers({ livepeer: { pipeline: "image-to-video" }, prices, throughput, utilisation: u }).map((c) => [c.usd, c.utilisation]);
    expect(at(1)).toEqual([["0.003", "1"], ["0.0036", null], ["0.05", null]]);
    expect(at(0.5)).toEqual([["0.006", "0.5"], ["0.0036", null], ["0.05", null]]);
    expect(() => at(0)).toThrow(RangeError);
  });
});
