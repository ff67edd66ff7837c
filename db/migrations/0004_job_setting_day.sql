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
