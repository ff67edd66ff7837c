ALTER TABLE "job_day" ADD COLUMN "cost_jobs" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "job_day" ADD COLUMN "cost_fee_wei" numeric DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "job_day" ADD COLUMN "video_seconds" numeric DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "job_day" ADD COLUMN "images" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "job_day" ADD COLUMN "billed_pixels" numeric DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "job_day" ADD COLUMN "unpriced_jobs" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "job_day" ADD COLUMN "failed_fee_wei" numeric DEFAULT '0' NOT NULL;--> statement-breakpoint
-- Backfill job_day's cost columns from jobs stored before this migration, by db/cost-model.ts's
-- rules (aggregateJobs): successful jobs with a fee and a unit of output, summed over the same jobs.
WITH c AS (
  SELECT (finished_at AT TIME ZONE 'UTC')::date AS day, orch_address AS orchestrator, pipeline, model_id, success,
    expected_fee_wei AS fee,
    CASE WHEN pipeline IN ('image-to-video', 'live-video-to-video') AND output_seconds > 0 THEN output_seconds END AS seconds,
    CASE WHEN pipeline = 'upscale' THEN 1 WHEN pipeline IN ('text-to-image', 'image-to-image') THEN greatest(coalesce(num_images, 1), 1) END AS images,
    CASE WHEN pipeline IN ('text-to-image', 'image-to-image', 'upscale') THEN coalesce(round(billable_units),
      width::numeric * height * CASE WHEN pipeline = 'upscale' THEN 1 ELSE greatest(coalesce(num_images, 1), 1) END) END AS pixels
  FROM jobs
), k AS (
  SELECT *, success AND fee IS NOT NULL AND (seconds IS NOT NULL OR (images IS NOT NULL AND pixels IS NOT NULL)) AS costed FROM c
), g AS (
  SELECT day, orchestrator, pipeline, model_id,
    count(*) FILTER (WHERE costed)::int AS cost_jobs,
    coalesce(sum(fee) FILTER (WHERE costed), 0) AS cost_fee_wei,
    coalesce(trim_scale(sum(seconds) FILTER (WHERE costed)), 0) AS video_seconds,
    coalesce(sum(images) FILTER (WHERE costed AND seconds IS NULL), 0)::int8 AS images,
    coalesce(sum(pixels) FILTER (WHERE costed AND seconds IS NULL), 0) AS billed_pixels,
    count(*) FILTER (WHERE success AND fee IS NULL)::int AS unpriced_jobs,
    coalesce(sum(fee) FILTER (WHERE NOT success), 0) AS failed_fee_wei
  FROM k GROUP BY 1, 2, 3, 4
)
UPDATE job_day d SET cost_jobs = g.cost_jobs, cost_fee_wei = g.cost_fee_wei, video_seconds = g.video_seconds, images = g.images,
  billed_pixels = g.billed_pixels, unpriced_jobs = g.unpriced_jobs, failed_fee_wei = g.failed_fee_wei
FROM g WHERE d.day = g.day AND d.orchestrator = g.orchestrator AND d.pipeline = g.pipeline AND d.model_id = g.model_id;
