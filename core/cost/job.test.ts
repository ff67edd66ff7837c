// The cost model on hand-computed cases (every figure below was worked out by hand or with exact
// fractions outside this code): pipelines and their billable units, one job's fee to the last
// wei, billable units derived when the log has none, output seconds and images.
import { describe, expect, it } from "vitest";
import {
  PIPELINES,
  billableUnits,
  costPerVideoSecond,
  jobFeeWei,
  jobFeeWeiExact,
  normalisePipeline,
  outputImages,
  outputSeconds,
  outputSecondsExact,
  weiToEth,
  type CostJob,
} from "./index";

const SVD = "stabilityai/stable-video-diffusion-img2vid-xt-1-1";
/** The image-to-video clip: 1024 x 576, 25 frames at 6 fps, 3,390,842 wei per pixel. */
const clip: CostJob = { pipeline: "image-to-video", modelId: SVD, width: 1024, height: 576, frames: 25, fps: 6, pricePerUnit: "3390842", pixelsPerUnit: "1" };

describe("pipelines", () => {
  it("has every pipeline of the data contract with its billable unit and output", () => {
    const expected: Record<string, [string, string]> = {
      "text-to-image": ["pixel", "images"],
      "image-to-image": ["pixel", "images"],
      upscale: ["pixel", "images"],
      "segment-anything-2": ["pixel", "none"],
      "image-to-text": ["pixel", "none"],
      "image-to-video": ["pixel", "video-seconds"],
      "audio-to-text": ["ms", "none"],
      llm: ["token", "none"],
      "text-to-speech": ["character", "none"],
      "live-video-to-video": ["pixel", "video-seconds"],
    };
    expect(Object.keys(PIPELINES).sort()).toEqual(Object.keys(expected).sort());
    for (const [p, [unit, output]] of Object.entries(expected)) {
      expect(PIPELINES[p].billableUnit).toBe(unit);
      expect(PIPELINES[p].output).toBe(output);
    }
  });

  it("normalises slugs like the job log validator", () => {
    expect(normalisePipeline("Image to video")).toBe("image-to-video");
    expect(normalisePipeline("  Text_To_Image ")).toBe("text-to-image");
    expect(normalisePipeline("live-video-to-video")).toBe("live-video-to-video");
    expect(normalisePipeline(normalisePipeline("Image to video"))).toBe("image-to-video");
  });
});

describe("one job's fee", () => {
  it("image-to-video: 1024 x 576 x 25 = 14,745,600 pixels at 3,390,842 wei costs exactly 49,999,999,795,200 wei", () => {
    expect(billableUnits(clip)).toBe("14745600");
    expect(jobFeeWei(clip)).toBe(49_999_999_795_200n);
    expect(jobFeeWei({ ...clip, pipeline: "Image to video" })).toBe(49_999_999_795_200n);
    // 25 frames are billed whatever frames the job logs (go-livepeer hard-codes them)
    expect(jobFeeWei({ ...clip, frames: 14 })).toBe(49_999_999_795_200n);
    expect(weiToEth(49_999_999_795_200n)).toBe("0.0000499999997952");
  });

  it("image-to-video: that clip is 25/6 s, so 0.000011999999950848 ETH per second, exactly", () => {
    expect(outputSecondsExact(clip)).toEqual({ num: 25n, den: 6n });
    const c = costPerVideoSecond([{ day: "2026-01-01", feeWei: jobFeeWei(clip)!, outputSeconds: outputSecondsExact(clip)! }])!;
    expect(c.weiPerSecond).toBe("11999999950848");
    expect(c.ethPerSecond).toBe("0.000011999999950848");
    expect(c.ethPerSecond.startsWith("0.0000119999999508")).toBe(true);
    expect(c.usdPerSecond).toBeNull(); // no rates given
  });

  it("live-video-to-video: a minute at 1,600 wei per pixel is 1280 x 720 x 30 x 60 x 1,600 = 2,654,208,000,000 wei", () => {
    const minute: CostJob = { pipeline: "live-video-to-video", outputSeconds: 60, pricePerUnit: "1600", pixelsPerUnit: "1" };
    expect(billableUnits(minute)).toBe("1658880000");
    expect(jobFeeWei(minute)).toBe(2_654_208_000_000n);
    // the real resolution does not matter: billed as 720p30
    expect(jobFeeWei({ ...minute, width: 1920, height: 1080 })).toBe(2_654_208_000_000n);
    expect(outputSeconds(minute)).toBe("60");
    // logged billable units win over the derivation
    expect(jobFeeWei({ ...minute, billableUnits: "1658880000" })).toBe(2_654_208_000_000n);
  });

  it("uses computed_fee when present, else billable_units x price_per_unit / pixels_per_unit", () => {
    expect(jobFeeWei({ ...clip, computedFee: "123456789012345678901234567890" })).toBe(123456789012345678901234567890n);
    expect(jobFeeWei({ pipeline: "audio-to-text", billableUnits: "90000", pricePerUnit: "20000000", pixelsPerUnit: "1000" })).toBe(1_800_000_000n);
    expect(jobFeeWei({ pipeline: "audio-to-text", pricePerUnit: "20000000", pixelsPerUnit: "1000" })).toBeNull(); // ms unknown
    expect(jobFeeWei({ pipeline: "llm", billableUnits: "512" })).toBeNull(); // no price
    expect(jobFeeWei({ pipeline: "llm", billableUnits: "512", pricePerUnit: "10" })).toBeNull(); // no pixels_per_unit: not assumed
  });

  it("keeps wei exact beyond 2^53 and refuses wei as anything but digits", () => {
    const big: CostJob = { pipeline: "image-to-video", width: 4096, height: 4096, pricePerUnit: "99999999999999999999", pixelsPerUnit: "1" };
    expect(jobFeeWei(big)).toBe(4096n * 4096n * 25n * 99999999999999999999n);
    expect(() => jobFeeWei({ ...clip, pricePerUnit: "3.5" })).toThrow(TypeError);
    expect(() => jobFeeWei({ ...clip, computedFee: "1e18" })).toThrow(TypeError);
  });

  it("rounds fractional wei half up to a whole wei (the same rule as the insert's SQL), and exposes the exact fee", () => {
    const job = (b: string, p: string, d: string): CostJob => ({ pipeline: "llm", billableUnits: b, pricePerUnit: p, pixelsPerUnit: d });
    expect(jobFeeWeiExact(job("3", "1", "2"))).toEqual({ num: 3n, den: 2n });
    expect(jobFeeWei(job("3", "1", "2"))).toBe(2n); // 1.5 -> 2
    expect(jobFeeWei(job("5", "1", "2"))).toBe(3n); // 2.5 -> 3 (half up, not to even)
    expect(jobFeeWei(job("1", "1", "3"))).toBe(0n); // 0.333 -> 0
    expect(jobFeeWei(job("2", "1", "3"))).toBe(1n); // 0.667 -> 1
    expect(jobFeeWei(job("2.5", "3", "1"))).toBe(8n); // decimal billable units: 7.5 -> 8
    // SQL: floor((2bp + d) / 2d)
    for (const [b, p, d] of [[7n, 11n, 13n], [1000n, 4768371n, 1000000n], [3n, 1n, 2n]]) {
      expect(jobFeeWei(job(String(b), String(p), String(d)))).toBe((2n * b * p + d) / (2n * d));
    }
  });
});

describe("billable units when the log has none", () => {
  it("derives them per pipeline from the go-livepeer rules", () => {
    expect(billableUnits({ pipeline: "text-to-image", width: 1024, height: 1024, numImages: 2 })).toBe(String(1024 * 1024 * 2));
    expect(billableUnits({ pipeline: "text-to-image", width: 512, height: 512 })).toBe("262144"); // num_images absent = 1
    expect(billableUnits({ pipeline: "text-to-image", width: 512, height: 512, numImages: 0 })).toBe("262144"); // never below 1
    expect(billableUnits({ pipeline: "image-to-image", width: 768, height: 512, numImages: 3 })).toBe(String(768 * 512 * 3));
    expect(billableUnits({ pipeline: "upscale", width: 512, height: 512, numImages: 4 })).toBe("262144");
    expect(billableUnits({ pipeline: "segment-anything-2", width: 1920, height: 1080 })).toBe("2073600");
    expect(billableUnits({ pipeline: "image-to-text", width: 640, height: 480 })).toBe("307200");
    expect(billableUnits({ pipeline: "live-video-to-video", outputSeconds: "0.5" })).toBe("13824000");
  });

  it("never assumes what the log does not say", () => {
    expect(billableUnits({ pipeline: "text-to-image", width: 1024 })).toBeNull();
    expect(billableUnits({ pipeline: "image-to-video" })).toBeNull();
    expect(billableUnits({ pipeline: "audio-to-text" })).toBeNull();
    expect(billableUnits({ pipeline: "llm" })).toBeNull();
    expect(billableUnits({ pipeline: "text-to-speech" })).toBeNull();
    expect(billableUnits({ pipeline: "live-video-to-video" })).toBeNull();
    expect(billableUnits({ pipeline: "some-new-pipeline", width: 10, height: 10 })).toBeNull();
    expect(billableUnits({ pipeline: "audio-to-text", billableUnits: "1234.5" })).toBe("1234.5");
  });
});

describe("output seconds and images", () => {
  it("output_seconds when logged, else frames / fps for image-to-video, exactly", () => {
    expect(outputSecondsExact({ ...clip, outputSeconds: 3.5 })).toEqual({ num: 7n, den: 2n });
    expect(outputSecondsExact({ ...clip, fps: 7 })).toEqual({ num: 25n, den: 7n });
    expect(outputSecondsExact({ ...clip, fps: "7.5" })).toEqual({ num: 10n, den: 3n });
    expect(outputSeconds({ ...clip, fps: 8 })).toBe("3.125");
    expect(outputSecondsExact({ ...clip, fps: null })).toBeNull(); // fps default "6 or 7" is not guessed
    expect(outputSecondsExact({ ...clip, frames: null })).toBeNull();
    expect(outputSecondsExact({ ...clip, fps: 0 })).toBeNull();
    expect(outputSecondsExact({ pipeline: "text-to-image", outputSeconds: 4 })).toBeNull();
    expect(outputSecondsExact({ pipeline: "live-video-to-video", outputSeconds: "12.25" })).toEqual({ num: 49n, den: 4n });
  });

  it("counts images for image pipelines only", () => {
    expect(outputImages({ pipeline: "text-to-image", numImages: 3 })).toBe(3n);
    expect(outputImages({ pipeline: "image-to-image" })).toBe(1n);
    expect(outputImages({ pipeline: "upscale", numImages: 4 })).toBe(1n);
    expect(outputImages({ pipeline: "image-to-video" })).toBeNull();
    expect(outputImages({ pipeline: "segment-anything-2" })).toBeNull();
  });
});
