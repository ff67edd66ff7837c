// Queries behind cost per video second, per image and the cloud comparison (decision 009). They read
// job_day's cost columns (fees and units summed over the same jobs), job_setting_day, the subgraph's
// daily ETH/USD rates and the price catalogue; never raw jobs. Like db/queries/jobs.ts, any Querier.
import type { Querier } from "../client";
import { PIPELINES, type DayRate, type OfferRow, type ThroughputFigure } from "../../core/cost";
import { where } from "./jobs";
import type { JobFilter } from "./params";

/** job_day's cost columns for one day, pipeline and model, summed over orchestrators. */
export interface CostDay {
  day: string;
  pipeline: string;
  modelId: string;
  jobs: number;
  costJobs: number;
  /** Whole wei (integer string), over the cost jobs. */
  costFeeWei: string;
  /** Decimal string, over the same jobs (video pipelines). */
  videoSeconds: string;
  /** Over the same jobs (image pipelines). */
  images: number;
  billedPixels: string;
  unpricedJobs: number;
  failedFeeWei: string;
}

/** Cost columns per day, pipeline and model. */
export async function costDays(q: Querier, f: JobFilter): Promise<CostDay[]> {
  const w = where(f, "day");
  const group = "day, pipeline, model_id";
  const rows = await q.query<{
    day: string;
    pipeline: string;
    model_id: string;
    jobs: number;
    cost_jobs: number;
    fee: string;
    seconds: string;
    images: number;
    pixels: string;
    unpriced: number;
    failed: string;
  }>(
    `select ${group}, sum(jobs)::int8 as jobs, sum(cost_jobs)::int8 as cost_jobs, sum(cost_fee_wei)::text as fee,
            trim_scale(sum(video_seconds))::text as seconds, sum(images)::int8 as images, sum(billed_pixels)::text as pixels,
            sum(unpriced_jobs)::int8 as unpriced, sum(failed_fee_wei)::text as failed
       from job_day where ${w.sql} group by ${group} order by ${group}`,
    w.params,
  );
  return rows.map((r) => ({
    day: r.day,
    pipeline: r.pipeline,
    modelId: r.model_id,
    jobs: Number(r.jobs),
    costJobs: Number(r.cost_jobs),
    costFeeWei: r.fee,
    videoSeconds: r.seconds,
    images: Number(r.images),
    billedPixels: r.pixels,
    unpricedJobs: Number(r.unpriced),
    failedFeeWei: r.failed,
  }));
}

/**
 * Video cost per orchestrator and day, pipelines and models merged (the orchestrators table): only
 * rows of video pipelines that have cost jobs, so the page moves one row per orchestrator-day.
 */
export async function videoCostDays(
  q: Querier,
  f: JobFilter,
): Promise<{ orchestrator: string; day: string; costJobs: number; costFeeWei: string; videoSeconds: string }[]> {
  const w = where(f, "day");
  const video = Object.values(PIPELINES)
    .filter((p) => p.output === "video-seconds")
    .map((p) => p.pipeline);
  const rows = await q.query<{ orchestrator: string; day: string; jobs: number; fee: string; seconds: string }>(
    `select orchestrator, day, sum(cost_jobs)::int8 as jobs, sum(cost_fee_wei)::text as fee, trim_scale(sum(video_seconds))::text as seconds
       from job_day where ${w.sql} and cost_jobs > 0 and pipeline in (${video.map((p) => `'${p}'`).join(", ")})
      group by orchestrator, day order by orchestrator, day`,
    w.params,
  );
  return rows.map((r) => ({ orchestrator: r.orchestrator, day: r.day, costJobs: Number(r.jobs), costFeeWei: r.fee, videoSeconds: r.seconds }));
}

/** Every subgraph day with a USD rate (a few thousand rows at most): nearest-day lookups need days outside any range. */
export async function dayRates(q: Querier): Promise<DayRate[]> {
  const rows = await q.query<{ day_number: number; volume_eth: string; volume_usd: string }>(
    `select day_number, volume_eth::text, volume_usd::text from days where volume_eth > 0 and volume_usd > 0 order by day_number`,
  );
  return rows.map((r) => ({ dayNumber: Number(r.day_number), volumeEth: r.volume_eth, volumeUsd: r.volume_usd }));
}

export interface OutputSetting {
  width: number | null;
  height: number | null;
  frames: number | null;
  fps: string | null;
  /** Successful jobs at this setting, and at every setting, over the range. */
  jobs: number;
  ofJobs: number;
}

/** The most common output setting of a pipeline and model's successful jobs over a range (ties: the larger frame). */
export async function dominantSetting(q: Querier, f: JobFilter): Promise<OutputSetting | null> {
  const w = where({ from: f.from, to: f.to, pipeline: f.pipeline, modelId: f.modelId }, "day");
  const rows = await q.query<{ width: number; height: number; frames: number; fps: string; jobs: number; total: number }>(
    `select width, height, frames, trim_scale(fps)::text as fps, sum(jobs)::int8 as jobs, sum(sum(jobs)) over ()::int8 as total
       from job_setting_day where ${w.sql}
      group by width, height, frames, fps order by 5 desc, width * height desc, frames desc, fps limit 1`,
    w.params,
  );
  const r = rows[0];
  if (!r) return null;
  const orNull = (n: number) => (Number(n) === 0 ? null : Number(n));
  return {
    width: orNull(r.width),
    height: orNull(r.height),
    frames: orNull(r.frames),
    fps: r.fps === "0" ? null : r.fps,
    jobs: Number(r.jobs),
    ofJobs: Number(r.total),
  };
}

export interface CatalogueMeta {
  loadedAt: string;
  pricesFile: string;
  pricesSha256: string;
  throughputFile: string;
  throughputSha256: string;
  priceRows: number;
  throughputRows: number;
  /** Newest and oldest price as_of, as written and as the earliest day the text allows. */
  newestAsOf: string | null;
  newestAsOfDate: string | null;
  oldestAsOf: string | null;
  oldestAsOfDate: string | null;
}

export interface StoredCatalogue {
  prices: (OfferRow & { asOfDate: string })[];
  throughput: ThroughputFigure[];
  meta: CatalogueMeta | null;
}

/** The price catalogue as the `prices` source loaded it (tens of rows). */
export async function storedCatalogue(q: Querier): Promise<StoredCatalogue> {
  const [prices, throughput, meta] = await Promise.all([
    q.query<Record<string, string | number | null>>(
      `select provider, offering, gpu, gpu_key, gpus, unit, usd_per_unit::text, source, as_of, as_of_date, pipeline, model, setting, line
         from cloud_prices order by line`,
    ),
    q.query<Record<string, string | number | null>>(
      `select pipeline, model, setting, gpu, gpu_key, gpu_seconds_per_output_second::text, basis, source, quality, line
         from gpu_throughput order by line`,
    ),
    q.query<Record<string, string | null>>(`select * from catalogue_meta where id = 1`),
  ]);
  const s = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    prices: prices.map((r) => ({
      provider: String(r.provider),
      offering: String(r.offering),
      gpu: s(r.gpu),
      gpuKey: s(r.gpu_key),
      gpus: r.gpus === null ? null : Number(r.gpus),
      unit: String(r.unit),
      usdPerUnit: String(r.usd_per_unit),
      source: String(r.source),
      asOf: String(r.as_of),
      asOfDate: String(r.as_of_date),
      pipeline: s(r.pipeline),
      model: s(r.model),
      setting: s(r.setting),
      line: Number(r.line),
    })),
    throughput: throughput.map((r) => ({
      pipeline: String(r.pipeline),
      model: String(r.model),
      setting: s(r.setting),
      gpu: s(r.gpu),
      gpuKey: String(r.gpu_key),
      gpuSecondsPerOutputSecond: String(r.gpu_seconds_per_output_second),
      basis: s(r.basis),
      source: String(r.source),
      quality: String(r.quality),
      line: Number(r.line),
    })),
    meta: meta[0]
      ? {
          loadedAt: String(meta[0].loaded_at),
          pricesFile: String(meta[0].prices_file),
          pricesSha256: String(meta[0].prices_sha256),
          throughputFile: String(meta[0].throughput_file),
          throughputSha256: String(meta[0].throughput_sha256),
          priceRows: Number(meta[0].price_rows),
          throughputRows: Number(meta[0].throughput_rows),
          newestAsOf: s(meta[0].newest_as_of),
          newestAsOfDate: s(meta[0].newest_as_of_date),
          oldestAsOf: s(meta[0].oldest_as_of),
          oldestAsOfDate: s(meta[0].oldest_as_of_date),
        }
      : null,
  };
}
