// aggregateJobs: the per-(pipeline, model, UTC day) cost sums the rollups must carry, as a
// reference implementation over job records (fees and output summed over the SAME jobs). Pure.
import { addR, isZeroR, ZERO, type Ratio } from "../units";
import { billedPixelsExact, given, jobFeeWei, outputImages, outputSecondsExact, type CostJob } from "./job";
import { normalisePipeline } from "./pipelines";
import { dayNumberOfMs, isoDate } from "./usd-rates";

/** The per-(pipeline, model, UTC day) sums the rollups must carry; a reference implementation. */
export interface JobCostGroup {
  pipeline: string;
  modelId: string;
  day: number;
  date: string;
  jobs: number;
  successes: number;
  /** Successful jobs with a fee, and the sum of their whole-wei fees. */
  pricedJobs: number;
  feeWei: bigint;
  /** Successful jobs without a fee (no computed_fee, price or billable units). */
  unpricedJobs: number;
  /** Failed jobs' fees (not in any cost figure; shown separately). */
  failedFeeWei: bigint;
  /** Successful video jobs with BOTH a fee and output seconds: the only ones in cost per second. */
  video: { jobs: number; feeWei: bigint; outputSeconds: Ratio };
  /** Successful image jobs with a fee: their images and billed pixels. */
  image: { jobs: number; feeWei: bigint; images: bigint; pixels: Ratio };
}

/** Sums jobs per (pipeline, model, UTC day). Jobs need timestampMs. */
export function aggregateJobs(jobs: Iterable<CostJob>): JobCostGroup[] {
  const groups = new Map<string, JobCostGroup>();
  for (const job of jobs) {
    if (!given(job.timestampMs)) throw new TypeError("aggregateJobs needs timestampMs on every job");
    const pipeline = normalisePipeline(job.pipeline);
    const modelId = job.modelId ?? "";
    const day = dayNumberOfMs(job.timestampMs);
    const key = JSON.stringify([pipeline, modelId, day]);
    let g = groups.get(key);
    if (!g) {
      g = {
        pipeline, modelId, day, date: isoDate(day), jobs: 0, successes: 0, pricedJobs: 0, feeWei: 0n, unpricedJobs: 0, failedFeeWei: 0n,
        video: { jobs: 0, feeWei: 0n, outputSeconds: ZERO },
        image: { jobs: 0, feeWei: 0n, images: 0n, pixels: ZERO },
      };
      groups.set(key, g);
    }
    g.jobs++;
    const fee = jobFeeWei(job);
    if (job.success === false) {
      if (fee !== null) g.failedFeeWei += fee;
      continue;
    }
    g.successes++;
    if (fee === null) {
      g.unpricedJobs++;
      continue;
    }
    g.pricedJobs++;
    g.feeWei += fee;
    const seconds = outputSecondsExact(job);
    if (seconds !== null && !isZeroR(seconds)) {
      g.video.jobs++;
      g.video.feeWei += fee;
      g.video.outputSeconds = addR(g.video.outputSeconds, seconds);
    }
    const images = outputImages(job);
    const pixels = billedPixelsExact(job);
    if (images !== null && pixels !== null) {
      g.image.jobs++;
      g.image.feeWei += fee;
      g.image.images += images;
      g.image.pixels = addR(g.image.pixels, pixels);
    }
  }
  return [...groups.values()].sort((a, b) => a.day - b.day || a.pipeline.localeCompare(b.pipeline) || a.modelId.localeCompare(b.modelId));
}
