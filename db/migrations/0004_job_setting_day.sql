CREATE TABLE "job_setting_day" (
	"day" date NOT NULL,
	"pipeline" text NOT NULL,
	"model_id" text NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"frames" integer NOT NULL,
	"fps" numeric NOT NULL,
	"jobs" integer NOT NULL,
	CONSTRAINT "job_setting_day_day_pipeline_model_id_width_height_frames_fps_pk" PRIMARY KEY("day","pipeline","model_id","width","height","frames","fps")
);
--> statement-breakpoint
-- Backfill from jobs stored before this migration.
INSERT INTO "job_setting_day" ("day", "pipeline", "model_id", "width", "height", "frames", "fps", "jobs")
SELECT (finished_at AT TIME ZONE 'UTC')::date, pipeline, model_id, coalesce(width, 0), coalesce(height, 0), coalesce(frames, 0),
  coalesce(trim_scale(fps), 0), count(*)::int
FROM jobs WHERE success GROUP BY 1, 2, 3, 4, 5, 6, 7;
