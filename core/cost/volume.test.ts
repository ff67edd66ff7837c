// The cost model on hand-computed cases (every figure below was worked out by hand or with exact
// fractions outside this code): volume weighting (sum of fees over sum of output, never a
// mean of ratios), ETH to USD at the job's own UTC day, nearest-day fallback, USD per image and per
// megapixel, and day arithmetic on UTC.
import { describe, expect, it } from "vitest";
import Decimal from "decimal.js";
import {
  aggregateJobs,
  costPerVideoSecond,
  dayNumber,
  dayNumberOfMs,
  feesToUsd,
  imageCost,
  indexRates,
  isoDate,
  jobFeeWei,
  outputSeconds,
  ratio,
  ratioToDecimal,
  usdPerEth,
  usdPerImage,
  usdPerMegapixel,
  type CostJob,
  type DayRate,
} from "./index";

const SVD = "stabilityai/stable-video-diffusion-img2vid-xt-1-1";
const DAY = 86_400_000;
const D50 = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -9e15, toExpPos: 9e15 });
/** The image-to-video clip: 1024 x 576, 25 frames at 6 fps, 3,390,842 wei per pixel. */
const clip: CostJob = { pipeline: "image-to-video", modelId: SVD, width: 1024, height: 576, frames: 25, fps: 6, pricePerUnit: "3390842", pixelsPerUnit: "1" };

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

describe("day arithmetic stays on UTC", () => {
  it("a job one millisecond before UTC midnight belongs to that day", () => {
    expect(isoDate(dayNumberOfMs(Date.UTC(2026, 5, 30) - 1))).toBe("2026-06-29");
    expect(isoDate(dayNumberOfMs(Date.UTC(2026, 5, 30) + DAY - 1))).toBe("2026-06-30");
  });
});
