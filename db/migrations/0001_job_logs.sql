CREATE TABLE "job_day" (
	"day" date NOT NULL,
	"orchestrator" text NOT NULL,
	"pipeline" text NOT NULL,
	"model_id" text NOT NULL,
	"jobs" integer NOT NULL,
	"successes" integer NOT NULL,
	"expected_fee_wei" numeric NOT NULL,
	"output_seconds" numeric NOT NULL,
	CONSTRAINT "job_day_day_orchestrator_pipeline_model_id_pk" PRIMARY KEY("day","orchestrator","pipeline","model_id")
);
--> statement-breakpoint
CREATE TABLE "job_error_day" (
	"day" date NOT NULL,
	"orchestrator" text NOT NULL,
	"pipeline" text NOT NULL,
	"model_id" text NOT NULL,
	"error_type" text NOT NULL,
	"jobs" integer NOT NULL,
	CONSTRAINT "job_error_day_day_orchestrator_pipeline_model_id_error_type_pk" PRIMARY KEY("day","orchestrator","pipeline","model_id","error_type")
);
--> statement-breakpoint
CREATE TABLE "job_hour" (
	"hour" timestamp with time zone NOT NULL,
	"orchestrator" text NOT NULL,
	"pipeline" text NOT NULL,
	"model_id" text NOT NULL,
	"jobs" integer NOT NULL,
	"successes" integer NOT NULL,
	"expected_fee_wei" numeric NOT NULL,
	"output_seconds" numeric NOT NULL,
	"error_types" text[] NOT NULL,
	"error_counts" integer[] NOT NULL,
	"latency_buckets" smallint[] NOT NULL,
	"latency_counts" integer[] NOT NULL,
	CONSTRAINT "job_hour_hour_orchestrator_pipeline_model_id_pk" PRIMARY KEY("hour","orchestrator","pipeline","model_id")
);
--> statement-breakpoint
CREATE TABLE "job_latency_day" (
	"day" date NOT NULL,
	"orchestrator" text NOT NULL,
	"pipeline" text NOT NULL,
	"model_id" text NOT NULL,
	"chunk" smallint NOT NULL,
	"counts" integer[] NOT NULL,
	CONSTRAINT "job_latency_day_day_orchestrator_pipeline_model_id_chunk_pk" PRIMARY KEY("day","orchestrator","pipeline","model_id","chunk")
);
--> statement-breakpoint
CREATE TABLE "job_log_files" (
	"fingerprint" text PRIMARY KEY NOT NULL,
	"path" text NOT NULL,
	"compressed" boolean NOT NULL,
	"device" bigint,
	"inode" bigint,
	"byte_offset" bigint NOT NULL,
	"line_number" bigint NOT NULL,
	"done" boolean DEFAULT false NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_rejects" (
	"id" serial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"file" text,
	"fingerprint" text,
	"byte_offset" bigint NOT NULL,
	"line_number" bigint NOT NULL,
	"reason" text NOT NULL,
	"excerpt" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "job_rejects_source" CHECK ("job_rejects"."source" in ('file', 'http'))
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"gateway" text NOT NULL,
	"request_id" text NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	"pipeline" text NOT NULL,
	"model_id" text NOT NULL,
	"orch_address" text NOT NULL,
	"orch_url" text,
	"success" boolean NOT NULL,
	"duration_ms" integer NOT NULL,
	"latency_bucket" smallint NOT NULL,
	"orch_duration_ms" integer,
	"tries" integer,
	"http_status" integer,
	"error_type" text,
	"region" text,
	"billable_units" numeric,
	"unit" text,
	"price_per_unit" numeric,
	"pixels_per_unit" numeric,
	"computed_fee" numeric,
	"expected_fee_wei" numeric,
	"width" integer,
	"height" integer,
	"frames" integer,
	"fps" numeric,
	"num_images" integer,
	"output_seconds" numeric,
	CONSTRAINT "jobs_gateway_request_id_pk" PRIMARY KEY("gateway","request_id")
);
--> statement-breakpoint
ALTER TABLE "source_state" ADD COLUMN "stats" jsonb;--> statement-breakpoint
CREATE UNIQUE INDEX "job_rejects_file_line" ON "job_rejects" USING btree ("fingerprint","byte_offset");--> statement-breakpoint
CREATE INDEX "job_rejects_received" ON "job_rejects" USING btree ("received_at");