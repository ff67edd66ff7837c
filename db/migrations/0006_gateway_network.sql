CREATE TABLE "capability_polls" (
	"id" serial PRIMARY KEY NOT NULL,
	"observed_at" timestamp with time zone NOT NULL,
	"origin" text NOT NULL,
	"orchestrators" integer NOT NULL,
	"changed" integer NOT NULL,
	"gone" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "discovery_latencies" (
	"event_id" uuid NOT NULL,
	"idx" smallint NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"orch" text NOT NULL,
	"latency_ms" integer NOT NULL,
	CONSTRAINT "discovery_latencies_event_id_idx_pk" PRIMARY KEY("event_id","idx")
);
--> statement-breakpoint
CREATE TABLE "gateway_event_counts" (
	"type" text PRIMARY KEY NOT NULL,
	"known" boolean NOT NULL,
	"accepted" bigint NOT NULL,
	"duplicates" bigint NOT NULL,
	"rejected" bigint NOT NULL,
	"last_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "gateway_event_files" (
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
CREATE TABLE "gateway_event_ids" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"type" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gateway_event_rejects" (
	"id" serial PRIMARY KEY NOT NULL,
	"origin" text NOT NULL,
	"file" text,
	"fingerprint" text NOT NULL,
	"byte_offset" bigint NOT NULL,
	"line_number" bigint NOT NULL,
	"reason" text NOT NULL,
	"excerpt" text NOT NULL,
	"rejected_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "latency_bucket_bounds" (
	"bucket" smallint PRIMARY KEY NOT NULL,
	"lower" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "live_fps_day" (
	"day" date NOT NULL,
	"orch" text NOT NULL,
	"model_id" text NOT NULL,
	"samples" integer NOT NULL,
	"ratio_centis" smallint[] NOT NULL,
	"ratio_counts" integer[] NOT NULL,
	CONSTRAINT "live_fps_day_day_orch_model_id_pk" PRIMARY KEY("day","orch","model_id")
);
--> statement-breakpoint
CREATE TABLE "live_pay_day" (
	"day" date NOT NULL,
	"orch" text NOT NULL,
	"model_id" text NOT NULL,
	"payments" integer NOT NULL,
	"fee_wei" numeric NOT NULL,
	"billable_secs" numeric NOT NULL,
	CONSTRAINT "live_pay_day_day_orch_model_id_pk" PRIMARY KEY("day","orch","model_id")
);
--> statement-breakpoint
CREATE TABLE "live_session_day" (
	"day" date NOT NULL,
	"orch" text NOT NULL,
	"model_id" text NOT NULL,
	"sessions" integer NOT NULL,
	"startups" integer NOT NULL,
	"swaps" integer NOT NULL,
	"errors" integer NOT NULL,
	"no_orchestrator" integer NOT NULL,
	"restarts" integer NOT NULL,
	"startup_buckets" smallint[] NOT NULL,
	"startup_counts" integer[] NOT NULL,
	CONSTRAINT "live_session_day_day_orch_model_id_pk" PRIMARY KEY("day","orch","model_id")
);
--> statement-breakpoint
CREATE TABLE "live_sessions" (
	"stream_id" text PRIMARY KEY NOT NULL,
	"request_id" text,
	"feed" text NOT NULL,
	"first_at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	"requested_at" timestamp with time zone,
	"first_processed_at" timestamp with time zone,
	"startup_ms" integer,
	"orch" text NOT NULL,
	"orch_at" timestamp with time zone,
	"model_id" text,
	"swaps" integer NOT NULL,
	"errors" integer NOT NULL,
	"no_orchestrator" integer NOT NULL,
	"closed" boolean NOT NULL,
	"status_samples" integer NOT NULL,
	"restarts" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "live_statuses" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"stream_id" text NOT NULL,
	"request_id" text NOT NULL,
	"model_id" text NOT NULL,
	"state" text NOT NULL,
	"orch" text NOT NULL,
	"input_fps" double precision,
	"output_fps" double precision,
	"restart_count" integer,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "live_tickets" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"day" date NOT NULL,
	"session_id" text NOT NULL,
	"request_id" text,
	"pipeline" text NOT NULL,
	"orch" text NOT NULL,
	"billable_secs" numeric NOT NULL,
	"pixels" numeric,
	"computed_fee_wei" numeric NOT NULL,
	"model_id" text
);
--> statement-breakpoint
CREATE TABLE "live_traces" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"stream_id" text NOT NULL,
	"request_id" text NOT NULL,
	"kind" text NOT NULL,
	"orch" text NOT NULL,
	"pipeline" text,
	"feed" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "orch_aliases" (
	"alias" text PRIMARY KEY NOT NULL,
	"address" text NOT NULL,
	"origin" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "orch_version_gpus" (
	"version_id" integer NOT NULL,
	"gpu_id" text NOT NULL,
	"name" text NOT NULL,
	"memory_total" bigint,
	"pipeline" text NOT NULL,
	"model_id" text NOT NULL,
	CONSTRAINT "orch_version_gpus_version_id_gpu_id_pipeline_model_id_pk" PRIMARY KEY("version_id","gpu_id","pipeline","model_id")
);
--> statement-breakpoint
CREATE TABLE "orch_version_models" (
	"version_id" integer NOT NULL,
	"pipeline" text NOT NULL,
	"model_id" text NOT NULL,
	"capability" smallint,
	"price_per_unit" numeric,
	"pixels_per_unit" numeric,
	"warm" boolean,
	"capacity" integer,
	"capacity_in_use" integer,
	"runner_version" text,
	CONSTRAINT "orch_version_models_version_id_pipeline_model_id_pk" PRIMARY KEY("version_id","pipeline","model_id")
);
--> statement-breakpoint
CREATE TABLE "orch_versions" (
	"id" serial PRIMARY KEY NOT NULL,
	"address" text NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_to" timestamp with time zone,
	"last_seen_at" timestamp with time zone NOT NULL,
	"local_address" text,
	"orch_uri" text NOT NULL,
	"version" text,
	"content_hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payments_sent" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"day" date NOT NULL,
	"request_id" text,
	"session_id" text,
	"manifest_id" text,
	"sender" text NOT NULL,
	"recipient" text NOT NULL,
	"orch_url" text,
	"face_value_wei" numeric NOT NULL,
	"win_prob" numeric NOT NULL,
	"num_tickets" integer NOT NULL,
	"expected_value_wei" numeric NOT NULL,
	"price" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX "gateway_event_rejects_at" ON "gateway_event_rejects" USING btree ("fingerprint","byte_offset");--> statement-breakpoint
CREATE INDEX "live_sessions_request" ON "live_sessions" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "live_tickets_request" ON "live_tickets" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "orch_versions_address" ON "orch_versions" USING btree ("address","valid_from");--> statement-breakpoint
CREATE UNIQUE INDEX "orch_versions_current" ON "orch_versions" USING btree ("address","orch_uri") WHERE "orch_versions"."valid_to" is null;--> statement-breakpoint
CREATE INDEX "orch_versions_span" ON "orch_versions" USING btree ("valid_from","valid_to");--> statement-breakpoint
CREATE INDEX "payments_sent_request" ON "payments_sent" USING btree ("request_id");--> statement-breakpoint
-- core/latency-histogram.ts: lower(0) = 0, lower(b + 1) = lower(b) + max(1, floor(lower(b) / 100)), while lower(b) <= 2^31 - 1.
INSERT INTO "latency_bucket_bounds" ("bucket", "lower")
WITH RECURSIVE b(i, lo) AS (
	SELECT 0, 0::bigint
	UNION ALL
	SELECT i + 1, lo + greatest(1, lo / 100) FROM b WHERE lo + greatest(1, lo / 100) <= 2147483647
)
SELECT i, lo FROM b;
--> statement-breakpoint
CREATE FUNCTION latency_bucket(ms integer) RETURNS smallint LANGUAGE sql STABLE STRICT AS $$
	SELECT bucket FROM latency_bucket_bounds WHERE lower <= ms ORDER BY lower DESC LIMIT 1
$$;
