CREATE TABLE "probe_cursors" (
	"orchestrator" text PRIMARY KEY NOT NULL,
	"polled_until" timestamp with time zone,
	"backfilled_from" timestamp with time zone,
	"last_success_at" timestamp with time zone,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"failures" integer DEFAULT 0 NOT NULL,
	"probes" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "probe_day" (
	"day" date NOT NULL,
	"orchestrator" text NOT NULL,
	"region" text NOT NULL,
	"pipeline" text NOT NULL,
	"model" text NOT NULL,
	"probes" integer NOT NULL,
	"success_sum" double precision NOT NULL,
	"rtt_sum" double precision NOT NULL,
	"warm" integer NOT NULL,
	"ok_probes" integer NOT NULL,
	"rtt_buckets" smallint[] NOT NULL,
	"rtt_counts" integer[] NOT NULL,
	"error_codes" text[] NOT NULL,
	"error_counts" integer[] NOT NULL,
	CONSTRAINT "probe_day_day_orchestrator_region_pipeline_model_pk" PRIMARY KEY("day","orchestrator","region","pipeline","model")
);
--> statement-breakpoint
CREATE TABLE "probe_hour" (
	"hour" timestamp with time zone NOT NULL,
	"orchestrator" text NOT NULL,
	"region" text NOT NULL,
	"pipeline" text NOT NULL,
	"model" text NOT NULL,
	"probes" integer NOT NULL,
	"success_sum" double precision NOT NULL,
	"rtt_sum" double precision NOT NULL,
	"warm" integer NOT NULL,
	"ok_probes" integer NOT NULL,
	"rtt_buckets" smallint[] NOT NULL,
	"rtt_counts" integer[] NOT NULL,
	"error_codes" text[] NOT NULL,
	"error_counts" integer[] NOT NULL,
	CONSTRAINT "probe_hour_hour_orchestrator_region_pipeline_model_pk" PRIMARY KEY("hour","orchestrator","region","pipeline","model")
);
--> statement-breakpoint
CREATE TABLE "probe_median_day" (
	"day" date NOT NULL,
	"pipeline" text NOT NULL,
	"model" text NOT NULL,
	"region" text NOT NULL,
	"median" double precision,
	"n" integer NOT NULL,
	CONSTRAINT "probe_median_day_day_pipeline_model_region_pk" PRIMARY KEY("day","pipeline","model","region")
);
--> statement-breakpoint
CREATE TABLE "probe_median_dirty" (
	"day" date NOT NULL,
	"pipeline" text NOT NULL,
	"model" text NOT NULL,
	CONSTRAINT "probe_median_dirty_day_pipeline_model_pk" PRIMARY KEY("day","pipeline","model")
);
--> statement-breakpoint
CREATE TABLE "probe_pipelines" (
	"pipeline" text NOT NULL,
	"model" text NOT NULL,
	"name" text NOT NULL,
	"regions" text[] DEFAULT '{}' NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "probe_pipelines_pipeline_model_pk" PRIMARY KEY("pipeline","model")
);
--> statement-breakpoint
CREATE TABLE "probe_regions" (
	"id" text NOT NULL,
	"type" text NOT NULL,
	"name" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "probe_regions_id_type_pk" PRIMARY KEY("id","type")
);
--> statement-breakpoint
CREATE TABLE "probes" (
	"orchestrator" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"region" text NOT NULL,
	"pipeline" text NOT NULL,
	"model" text NOT NULL,
	"fingerprint" text NOT NULL,
	"success_rate" double precision NOT NULL,
	"round_trip_s" double precision NOT NULL,
	"warm" boolean NOT NULL,
	"rtt_bucket" smallint,
	"error_codes" text[] NOT NULL,
	"error_counts" integer[] NOT NULL,
	CONSTRAINT "probes_at_orchestrator_region_pipeline_model_fingerprint_pk" PRIMARY KEY("at","orchestrator","region","pipeline","model","fingerprint")
);
--> statement-breakpoint
CREATE INDEX "probe_day_pair" ON "probe_day" USING btree ("pipeline","model","day");--> statement-breakpoint
CREATE INDEX "probes_pair_at" ON "probes" USING btree ("pipeline","model","at");