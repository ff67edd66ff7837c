// The cost model on hand-computed cases (every figure below was worked out by hand or with exact
// fractions outside this code): fees to the last wei, volume weighting, the job's own UTC day for
// USD, nearest-day fallback, every offer class, like-for-like labels and utilisation bounds.
import { describe, expect, it } from "vitest";
import Decimal from "decimal.js";
import { fileURLToPath } from "node:url";
import {
  DEFAULT_UTILISATION,
  PIPELINES,
  aggregateJobs,
  billableUnits,
  compareOffers,
  costPerVideoSecond,
  dayNumber,
  dayNumberOfMs,
  exactDecimal,
  feesToUsd,
  imageCost,
  indexRates,
  isoDate,
  jobFeeWei,
  jobFeeWeiExact,
  likeForLike,
  normalisePipeline,
  offerClass,
  outputImages,
  outputSeconds,
  outputSecondsExact,
  parseSetting,
  parseUtilisation,
  ratio,
  ratioToDecimal,
  ratioToLivepeer,
  rentedUsdPerVideoSecond,
  serverlessUsdPerVideoSecond,
  usdPerEth,
  usdPerGpuSecond,
  usdPerImage,
  usdPerMegapixel,
  weiToEth,
  type CostJob,
  type DayRate,
  type OfferRow,
  type ThroughputFigure,
} from "../db/cost-model";
import { loadCatalogue } from "../db/catalogue";

const DATA_DIR = fileURLToPath(new URL("../indexer/data", import.meta.url));
const SVD = "stabilityai/stable-video-diffusion-img2vid-xt-1-1";
const DAY = 86_400_000;
const D50 = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -9e15, toExpPos: 9e15 });

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

describe("exact numbers", () => {
  it("parses decimals exactly and prints ratios to 50 significant digits", () => {
    expect(exactDecimal("12.5")).toEqual({ num: 25n, den: 2n });
    expect(exactDecimal(1e-7)).toEqual({ num: 1n, den: 10_000_000n });
    expect(exactDecimal("1.9073484e-08")).toEqual(ratio(19073484n, 10n ** 15n));
    expect(() => exactDecimal("abc")).toThrow(TypeError);
    expect(ratioToDecimal(ratio(1n, 3n))).toBe("0." + "3".repeat(50));
    expect(ratioToDecimal(ratio(2n, 3n))).toBe("0." + "6".repeat(49) + "7");
    expect(ratioToDecimal(ratio(45776367n, 3814697265625n))).toBe("0.000011999999950848");
  });

  it("converts wei to ETH exactly", () => {
    expect(weiToEth(0n)).toBe("0");
    expect(weiToEth("1")).toBe("0.000000000000000001");
    expect(weiToEth(10n ** 18n)).toBe("1");
    expect(weiToEth("1500000000000000000")).toBe("1.5");
    expect(weiToEth("123456789012345678901234567890")).toBe("123456789012.34567890123456789");
    expect(weiToEth(-2_500_000_000_000_000_000n)).toBe("-2.5");
    expect(() => weiToEth("1.5")).toThrow(TypeError);
  });

  it("numbers UTC days like the subgraph", () => {
    expect(dayNumber("1970-01-02")).toBe(1);
    expect(dayNumber(20454)).toBe(20454);
    expect(isoDate(20454)).toBe("2026-01-01");
    expect(dayNumber("2026-01-01")).toBe(20454);
    expect(dayNumberOfMs(Date.UTC(2026, 0, 1, 23, 59, 59, 999))).toBe(20454);
    expect(dayNumberOfMs(Date.UTC(2026, 0, 2))).toBe(20455);
    expect(() => dayNumber("2026-02-30")).toThrow(TypeError);
  });
});

describe("volume weighting", () => {
  it("is sum of fees over sum of seconds, not the mean of per-job ratios", () => {
    // A: 1e12 wei for 1 s (1e12 wei/s); B: 1e13 wei for 100 s (1e11 wei/s).
    // Volume-weighted: 1.1e13 / 101 = 108,910,891,089.1089... wei/s; mean of ratios: 5.5e11 wei/s.
    const t = Date.UTC(2026, 0, 1);
    const jobs: CostJob[] = [
      { pipeline: "live-video-to-video", modelId: "streamdiffusion", timestampMs: t, success: true, computedFee: "1000000000000", outputSeconds: 1 },
      { pipeline: "live-video-to-video", modelId: "streamdiffusion", timestampMs: t + 1000, success: true, computedFee: "10000000000000", outputSeconds: 100 },
    ];
    const [g] = aggregateJobs(jobs);
    const c = costPerVideoSecond([{ day: g.day, feeWei: g.video.feeWei, outputSeconds: g.video.outputSeconds }])!;
    expect(c.feeWei).toBe("11000000000000");
    expect(c.outputSeconds).toBe("101");
    expect(c.weiPerSecond).toBe(ratioToDecimal(ratio(11_000_000_000_000n, 101n)));
    expect(c.weiPerSecond.startsWith("108910891089.10891089")).toBe(true);
    const meanOfRatios = (1e12 / 1 + 1e13 / 100) / 2;
    expect(meanOfRatios).toBe(5.5e11);
    expect(new Decimal(c.weiPerSecond).eq(meanOfRatios)).toBe(false);
    expect(c.ethPerSecond.startsWith("0.00000010891089108910891089")).toBe(true);
  });

  it("pairs fees with seconds: failed jobs, unpriced jobs and jobs without seconds stay out of cost per second", () => {
    const t = Date.UTC(2026, 0, 1);
    const base = { pipeline: "image-to-video", modelId: SVD, timestampMs: t, width: 1024, height: 576, frames: 25, pricePerUnit: "3390842", pixelsPerUnit: "1" };
    const groups = aggregateJobs([
      { ...base, success: true, fps: 6 },
      { ...base, success: true, fps: null }, // priced, but no seconds: must not inflate the fee side
      { ...base, success: true, fps: 6, pricePerUnit: null }, // seconds but no fee
      { ...base, success: false, fps: 6 }, // failed
    ]);
    expect(groups).toHaveLength(1);
    const g = groups[0];
    expect(g).toMatchObject({ jobs: 4, successes: 3, pricedJobs: 2, unpricedJobs: 1, failedFeeWei: 49_999_999_795_200n });
    expect(g.feeWei).toBe(2n * 49_999_999_795_200n);
    expect(g.video).toEqual({ jobs: 1, feeWei: 49_999_999_795_200n, outputSeconds: { num: 25n, den: 6n } });
    const c = costPerVideoSecond([{ day: g.day, feeWei: g.video.feeWei, outputSeconds: g.video.outputSeconds }])!;
    expect(c.ethPerSecond).toBe("0.000011999999950848");
  });

  it("groups by pipeline, model and UTC day", () => {
    const t = Date.UTC(2026, 0, 1, 23, 59, 59);
    const groups = aggregateJobs([
      { ...clip, timestampMs: t, success: true },
      { ...clip, timestampMs: t + 2000, success: true },
      { ...clip, pipeline: "Image to video", timestampMs: t, success: true },
      { ...clip, modelId: "other", timestampMs: t, success: true },
    ]);
    expect(groups.map((g) => [g.date, g.modelId, g.jobs])).toEqual([
      ["2026-01-01", "other", 1],
      ["2026-01-01", SVD, 2],
      ["2026-01-02", SVD, 1],
    ]);
  });

  it("returns null when there are no output seconds", () => {
    expect(costPerVideoSecond([])).toBeNull();
    expect(costPerVideoSecond([{ day: 1, feeWei: "5", outputSeconds: "0" }])).toBeNull();
  });
});

describe("ETH to USD at the job's own UTC day", () => {
  const rates: DayRate[] = [
    { dayNumber: dayNumber("2026-01-01"), volumeEth: "10", volumeUsd: "20000" }, // 2,000 USD/ETH
    { dayNumber: dayNumber("2026-01-02"), volumeEth: "2.5", volumeUsd: "10000" }, // 4,000 USD/ETH
  ];
  const ETH = 10n ** 18n;

  it("converts each day's fees at that day's rate", () => {
    // 3 ETH on day 1 at 2,000 + 1 ETH on day 2 at 4,000 = 10,000 USD, over 20 s = 500 USD/s.
    // (One average rate of 3,000 would give 600; the last day's rate 800; the first day's 400.)
    const buckets = [
      { day: "2026-01-01", feeWei: 3n * ETH, outputSeconds: 10 },
      { day: "2026-01-02", feeWei: 1n * ETH, outputSeconds: 10 },
    ];
    const c = costPerVideoSecond(buckets, rates)!;
    expect(c.feeUsd).toBe("10000");
    expect(c.usdPerSecond).toBe("500");
    expect(c.ethPerSecond).toBe("0.2");
    expect(c.rates.map((r) => [r.date, r.rateDate, r.distanceDays, r.usdPerEth])).toEqual([
      ["2026-01-01", "2026-01-01", 0, "2000"],
      ["2026-01-02", "2026-01-02", 0, "4000"],
    ]);
    // swapping which day had the volume changes the answer: the day matters
    const swapped = costPerVideoSecond([{ ...buckets[0], feeWei: 1n * ETH }, { ...buckets[1], feeWei: 3n * ETH }], rates)!;
    expect(swapped.usdPerSecond).toBe("700");
  });

  it("puts a job on the UTC day of its timestamp", () => {
    const lateOnDay1 = Date.UTC(2026, 0, 1, 23, 59, 59, 999);
    const groups = aggregateJobs([
      { pipeline: "live-video-to-video", modelId: "m", timestampMs: lateOnDay1, success: true, computedFee: String(ETH), outputSeconds: 10 },
      { pipeline: "live-video-to-video", modelId: "m", timestampMs: lateOnDay1 + 1, success: true, computedFee: String(ETH), outputSeconds: 10 },
    ]);
    const c = costPerVideoSecond(groups.map((g) => ({ day: g.day, feeWei: g.video.feeWei, outputSeconds: g.video.outputSeconds })), rates)!;
    expect(c.feeUsd).toBe("6000"); // 2,000 + 4,000
    expect(c.usdPerSecond).toBe("300");
  });

  it("computes USD per ETH as Day.volumeUSD / Day.volumeETH", () => {
    const r = usdPerEth(7, [{ dayNumber: 7, volumeEth: "3.5", volumeUsd: "12345.678" }])!;
    expect(r.usdPerEth).toBe(new D50("12345.678").div("3.5").toFixed());
    expect(r.usdPerEth.startsWith("3527.336571428571428571")).toBe(true);
  });
});

describe("nearest-day fallback", () => {
  const rates: DayRate[] = [
    { dayNumber: 10, volumeEth: "1", volumeUsd: "1000" },
    { dayNumber: 11, volumeEth: "0", volumeUsd: "0" }, // no fees that day: not a rate
    { dayNumber: 14, volumeEth: "1", volumeUsd: "1400" },
  ];

  it("uses the day's own rate, else the nearest day, earlier on a tie, and says which", () => {
    const at = (d: number) => usdPerEth(d, rates)!;
    expect([at(10).rateDay, at(10).distanceDays, at(10).usdPerEth]).toEqual([10, 0, "1000"]);
    expect([at(11).rateDay, at(11).distanceDays]).toEqual([10, 1]); // day 11 has a zero-volume Day
    expect([at(13).rateDay, at(13).distanceDays, at(13).usdPerEth]).toEqual([14, 1, "1400"]);
    expect([at(12).rateDay, at(12).distanceDays]).toEqual([10, 2]); // tie between 10 and 14 -> earlier
    expect([at(2).rateDay, at(2).distanceDays]).toEqual([10, 8]); // before the first
    expect([at(30).rateDay, at(30).distanceDays]).toEqual([14, 16]); // after the last
    expect(at(13)).toMatchObject({ day: 13, date: isoDate(13), rateDate: isoDate(14) });
  });

  it("can be bounded, and has nothing to offer without rates", () => {
    expect(usdPerEth(30, rates, { maxDistanceDays: 7 })).toBeNull();
    expect(usdPerEth(12, rates, { maxDistanceDays: 2 })?.rateDay).toBe(10);
    expect(usdPerEth(12, [])).toBeNull();
    expect(() => indexRates([...rates, { dayNumber: 10, volumeEth: "1", volumeUsd: "1" }])).toThrow(/two rates/);
  });

  it("records the day used for each bucket, and gives no USD when a day has no rate", () => {
    const index = indexRates(rates);
    const c = costPerVideoSecond([{ day: 12, feeWei: 10n ** 18n, outputSeconds: 4 }], index)!;
    expect(c.usdPerSecond).toBe("250");
    expect(c.rates).toEqual([{ day: 12, date: isoDate(12), rateDay: 10, rateDate: isoDate(10), distanceDays: 2, usdPerEth: "1000" }]);
    const far = costPerVideoSecond([{ day: 40, feeWei: 1n, outputSeconds: 1 }], index, { maxDistanceDays: 7 })!;
    expect(far.usdPerSecond).toBeNull();
    expect(far.daysWithoutRate).toEqual([isoDate(40)]);
    expect(feesToUsd([{ day: 12, feeWei: "1" }], null).feeUsd).toBeNull();
  });
});

describe("image pipelines: USD per image and per megapixel", () => {
  it("is volume-weighted over billed pixels", () => {
    // 1024 x 1024 at 4,768,371 wei/px = 4,999,999,389,696 wei; two such jobs on a 4,000 USD/ETH day.
    const job: CostJob = { pipeline: "text-to-image", modelId: "m", timestampMs: Date.UTC(2026, 0, 1), success: true, width: 1024, height: 1024, pricePerUnit: "4768371", pixelsPerUnit: "1" };
    expect(jobFeeWei(job)).toBe(4_999_999_389_696n);
    const rates: DayRate[] = [{ dayNumber: dayNumber("2026-01-01"), volumeEth: "1", volumeUsd: "4000" }];
    const [g] = aggregateJobs([job, { ...job, numImages: 2 }]); // second job: 2 images, 2x the pixels and fee
    expect(g.image).toEqual({ jobs: 2, feeWei: 3n * 4_999_999_389_696n, images: 3n, pixels: { num: 3n * 1048576n, den: 1n } });
    const buckets = [{ day: g.day, feeWei: g.image.feeWei, images: g.image.images, pixels: g.image.pixels }];
    const c = imageCost(buckets, rates);
    expect(c.megapixels).toBe("3.145728");
    expect(c.ethPerImage).toBe("0.000004999999389696");
    expect(c.usdPerImage).toBe("0.019999997558784");
    expect(usdPerImage(buckets, rates)).toBe("0.019999997558784");
    // 4,768,371 wei/px x 10^6 px x 4,000 USD/ETH / 10^18 = 0.019073484 USD per MP (the docs' 1.9073484e-08 per pixel)
    expect(usdPerMegapixel(buckets, rates)).toBe("0.019073484");
    expect(c.ethPerMegapixel).toBe("0.000004768371");
  });
});

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

describe("like for like", () => {
  const target = { pipeline: "image-to-video", modelId: SVD, width: 1024, height: 576, frames: 25, fps: 7 };

  it("reads resolution, frames and fps from settings", () => {
    expect(parseSetting("25 frames 1024x576, fp16, 7 fps output")).toEqual({ width: 1024, height: 576, frames: 25, fps: 7 });
    expect(parseSetting("480p, 5 s, 40 steps, official code")).toEqual({ shortSide: 480 });
    expect(parseSetting("4K frames, torch.compile, 30 fps output")).toEqual({ shortSide: 2160, fps: 30 });
    expect(parseSetting("one warm runner per GPU (capacity 1)")).toEqual({});
    expect(parseSetting(null)).toEqual({});
  });

  it("labels the most important difference", () => {
    expect(likeForLike(target, { model: SVD, setting: "25 frames 1024x576, fp16, 7 fps output" })).toEqual({ likeForLike: true, label: "like for like", differences: [] });
    expect(likeForLike(target, { model: SVD.toUpperCase(), setting: "576x1024, 25 frames, 7 fps" }).likeForLike).toBe(true);
    expect(likeForLike({ ...target, fps: 6 }, { model: SVD, setting: "25 frames 1024x576, 7 fps output" })).toEqual({
      likeForLike: false,
      label: "different fps",
      differences: ["fps 7 vs 6"],
    });
    expect(likeForLike(target, { model: "Lightricks/LTX-Video", setting: "768x512, 24 fps, 5 s clip" })).toMatchObject({
      likeForLike: false,
      label: "different model",
      differences: [`model Lightricks/LTX-Video vs ${SVD}`, "resolution 768x512 vs 1024x576", "fps 24 vs 7"],
    });
    expect(likeForLike(target, { model: SVD, setting: "480p" }).label).toBe("different resolution");
    expect(likeForLike(target, { model: SVD, setting: "576p, 7 fps" }).label).toBe("like for like");
    expect(likeForLike(target, { model: SVD, setting: "14 frames 1024x576" }).label).toBe("different frames");
    expect(likeForLike(target, { model: SVD, setting: "fp16" })).toMatchObject({ likeForLike: false, label: "setting not stated" });
    expect(likeForLike(target, { model: null, setting: "1080p" })).toMatchObject({ likeForLike: false, label: "model not stated" });
    expect(likeForLike({ pipeline: "image-to-video", modelId: SVD }, { model: SVD, setting: "1024x576" }).label).toBe("setting not stated");
  });
});

describe("compareOffers", () => {
  const throughput: ThroughputFigure[] = [
    { pipeline: "image-to-video", model: SVD, setting: "25 frames 1024x576, 7 fps output", gpuKey: "A100", gpuSecondsPerOutputSecond: "6.2", source: "arxiv", quality: "estimate" },
    { pipeline: "live-video-to-video", model: "streamdiffusion", setting: "one runner per GPU", gpuKey: "*", gpuSecondsPerOutputSecond: "1.0", source: "docs", quality: "assumption" },
    { pipeline: "live-video-to-video", model: "streamdiffusion", setting: "1280x720 30 fps", gpuKey: "RTX4090", gpuSecondsPerOutputSecond: "0.5", source: "bench", quality: "paper" },
  ];
  const row = (o: Partial<OfferRow> & Pick<OfferRow, "provider" | "unit" | "usdPerUnit">): OfferRow => ({ offering: "x", source: "example.com", asOf: "2026-01-01", ...o });
  const prices: OfferRow[] = [
    row({ provider: "AWS", offering: "p4d.24xlarge", gpuKey: "A100", gpus: 8, unit: "instance_hour", usdPerUnit: "21.957642" }),
    row({ provider: "AWS", offering: "g4dn.xlarge", gpuKey: "T4", gpus: 1, unit: "instance_hour", usdPerUnit: "0.526" }),
    row({ provider: "AWS", offering: "p5.4xlarge", gpuKey: "H100", gpus: 1, unit: "instance_hour", usdPerUnit: "6.88" }),
    row({ provider: "Vast.ai", offering: "4090", gpuKey: "RTX4090", gpus: 1, unit: "instance_hour", usdPerUnit: "0.682" }),
    row({ provider: "Replicate", offering: "CPU", gpuKey: null, gpus: 0, unit: "instance_second", usdPerUnit: "0.0001" }),
    row({ provider: "Modal", offering: "A100", gpuKey: "A100", gpus: 1, unit: "gpu_hour", usdPerUnit: "2.4984" }),
    row({ provider: "fal.ai", offering: "LTX-2 Pro 1080p", unit: "video_second", usdPerUnit: "0.06", pipeline: "image-to-video", model: "LTX-2 Pro", setting: "1080p" }),
    row({ provider: "VoltageGPU", offering: "SVD XT 1.1 API", unit: "video_second", usdPerUnit: "0.15", pipeline: "image-to-video", model: SVD, setting: "1024x576, 25 frames, 6 fps" }),
    row({ provider: "fal.ai", offering: "Pika per video", unit: "video", usdPerUnit: "0.4", pipeline: "image-to-video" }),
    row({ provider: "fal.ai", offering: "RIFE", unit: "compute_second", usdPerUnit: "0.0013" }),
    row({ provider: "fal.ai", offering: "Crystal", unit: "megapixel_second_of_output", usdPerUnit: "0.10" }),
    row({ provider: "Runway", offering: "API credit", unit: "credit", usdPerUnit: "0.01" }),
    row({ provider: "Cloudflare Workers AI", offering: "whisper", unit: "audio_minute", usdPerUnit: "0.0005", pipeline: "audio-to-text" }),
    row({ provider: "fal.ai", offering: "FLUX dev", unit: "megapixel", usdPerUnit: "0.025", pipeline: "text-to-image", model: "black-forest-labs/FLUX.1-dev" }),
    row({ provider: "Some API", offering: "video, pipeline not stated", unit: "video_second", usdPerUnit: "0.1" }),
    row({ provider: "Livepeer", offering: "Recommended i2v", unit: "output_pixel", usdPerUnit: "1.3563368e-08", pipeline: "image-to-video" }),
    row({ provider: "Livepeer (Daydream/pipelines app)", offering: "tier", unit: "stream_hour", usdPerUnit: "0.50", pipeline: "live-video-to-video" }),
  ];
  const livepeer = { pipeline: "image-to-video", modelId: SVD, width: 1024, height: 576, frames: 25, fps: 6, usdPerVideoSecond: "0.047999999803392" };

  it("converts, excludes with reasons, and omits other pipelines' per-output prices", () => {
    const out = compareOffers({ livepeer, prices, throughput });
    const by = (offering: string) => out.filter((c) => c.offer.offering === offering);
    const [p4d] = by("p4d.24xlarge");
    expect(p4d).toMatchObject({ status: "compared", offerClass: "hyperscaler-on-demand", usd: "0.00945398475", utilisation: "0.5", ratioDisplay: 0.197, reason: null });
    expect(p4d.throughput).toMatchObject({ gpuSecondsPerOutputSecond: "6.2", source: "arxiv", quality: "estimate" });
    expect(p4d.comparability).toMatchObject({ label: "different fps", differences: ["fps 7 vs 6"] });
    expect(by("g4dn.xlarge")[0]).toMatchObject({ status: "excluded", usd: null, reason: "no GPU-seconds-per-output-second figure for T4 on image-to-video" });
    expect(by("CPU")[0]).toMatchObject({ status: "excluded", reason: "no GPU in this offer" });
    expect(by("A100")[0]).toMatchObject({ status: "compared", offerClass: "serverless-per-second", usd: "0.0043028", utilisation: null });
    expect(by("LTX-2 Pro 1080p")[0]).toMatchObject({ status: "compared", offerClass: "hosted-api", usd: "0.06", ratioToLivepeer: new D50("0.06").div("0.047999999803392").toFixed(), throughput: null });
    expect(by("LTX-2 Pro 1080p")[0].comparability!.label).toBe("different model");
    expect(by("SVD XT 1.1 API")[0].comparability).toEqual({ likeForLike: true, label: "like for like", differences: [] });
    expect(by("Pika per video")[0]).toMatchObject({ status: "excluded", reason: "priced per video and the row does not state the clip length" });
    expect(by("RIFE")[0].reason).toMatch(/compute on undisclosed hardware/);
    expect(by("Crystal")[0].reason).toMatch(/does not state the output resolution/);
    expect(by("API credit")[0].reason).toMatch(/a currency/);
    expect(by("video, pipeline not stated")[0].reason).toBe("the row does not state which pipeline its price is for");
    expect(by("whisper")).toEqual([]); // another pipeline's price
    expect(by("FLUX dev")).toEqual([]);
    expect(by("tier")).toEqual([]);
    // Livepeer's recommended 1.3563368e-08 USD/pixel x 1024 x 576 x 25 / (25/6 s) = 0.047999999803392 USD/s
    expect(by("Recommended i2v")[0]).toMatchObject({ status: "reference", offerClass: "livepeer-reference", usd: "0.047999999803392", ratioToLivepeer: "1" });
    for (const c of out) {
      if (c.status === "excluded") expect(c.reason).toBeTruthy();
      else expect(c.usd).toBeTruthy();
    }
  });

  it("joins on gpu_key: a GPU's own figures first, else the '*' (any GPU) figures", () => {
    const live = { pipeline: "live-video-to-video", modelId: "streamdiffusion", width: 1280, height: 720, fps: 30, usdPerVideoSecond: "0.0002" };
    const out = compareOffers({ livepeer: live, prices, throughput });
    const p5 = out.find((c) => c.offer.offering === "p5.4xlarge")!;
    expect(p5.throughput!.gpuKey).toBe("*");
    expect(p5.usd).toBe(new D50("6.88").div(1800).toFixed()); // 6.88 / 3600 x 1.0 / 0.5
    expect(p5.comparability!.label).toBe("setting not stated");
    const vast = out.filter((c) => c.offer.offering === "4090");
    expect(vast).toHaveLength(1);
    expect(vast[0].throughput!.gpuKey).toBe("RTX4090"); // own figure beats '*'
    expect(vast[0].usd).toBe(new D50("0.682").times("0.5").div(1800).toFixed());
    expect(vast[0].comparability!.likeForLike).toBe(true);
    const tier = out.find((c) => c.offer.offering === "tier")!;
    expect(tier).toMatchObject({ status: "reference", usd: new D50("0.5").div(3600).toFixed() });
  });

  it("compares image pipelines per megapixel and per image", () => {
    const out = compareOffers({ livepeer: { pipeline: "text-to-image", modelId: "black-forest-labs/FLUX.1-dev", usdPerMegapixel: "0.02" }, prices, throughput });
    // per-output rows for text-to-image, plus rows that state no pipeline (excluded, visibly)
    expect(out.map((c) => [c.offer.offering, c.status])).toEqual([
      ["RIFE", "excluded"],
      ["Crystal", "excluded"],
      ["API credit", "excluded"],
      ["FLUX dev", "compared"],
      ["video, pipeline not stated", "excluded"],
    ]);
    const flux = out.find((c) => c.offer.offering === "FLUX dev")!;
    expect(flux).toMatchObject({ status: "compared", metric: "usd_per_megapixel", usd: "0.025", ratioToLivepeer: "1.25" });
    expect(out.some((c) => c.offer.unit === "instance_hour")).toBe(false); // no image throughput figures
  });

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

describe("day arithmetic stays on UTC", () => {
  it("a job one millisecond before UTC midnight belongs to that day", () => {
    expect(isoDate(dayNumberOfMs(Date.UTC(2026, 5, 30) - 1))).toBe("2026-06-29");
    expect(isoDate(dayNumberOfMs(Date.UTC(2026, 5, 30) + DAY - 1))).toBe("2026-06-30");
  });
});
