CREATE TABLE "latency_bucket_bounds" (
	"bucket" smallint PRIMARY KEY NOT NULL,
	"lower" bigint NOT NULL
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
	CONSTRAINT "live_session_day_day_orch_model_id_pk" PRIMARY KEY("day","orch","model_id")
);
--> statement-breakpoint
CREATE TABLE "live_startup_day" (
	"day" date NOT NULL,
	"orch" text NOT NULL,
	"model_id" text NOT NULL,
	"bucket" smallint NOT NULL,
	"sessions" integer NOT NULL,
	CONSTRAINT "live_startup_day_day_orch_model_id_bucket_pk" PRIMARY KEY("day","orch","model_id","bucket")
);
--> statement-breakpoint
ALTER TABLE "live_tickets" ADD COLUMN "model_id" text;--> statement-breakpoint
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
