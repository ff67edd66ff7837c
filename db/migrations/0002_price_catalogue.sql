CREATE TABLE "catalogue_meta" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"loaded_at" timestamp with time zone NOT NULL,
	"prices_file" text NOT NULL,
	"prices_sha256" text NOT NULL,
	"throughput_file" text NOT NULL,
	"throughput_sha256" text NOT NULL,
	"price_rows" integer NOT NULL,
	"throughput_rows" integer NOT NULL,
	"newest_as_of" text,
	"newest_as_of_date" date,
	"oldest_as_of" text,
	"oldest_as_of_date" date,
	CONSTRAINT "catalogue_meta_single_row" CHECK ("catalogue_meta"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "cloud_prices" (
	"provider" text NOT NULL,
	"offering" text NOT NULL,
	"gpu" text,
	"gpu_key" text,
	"gpus" integer,
	"unit" text NOT NULL,
	"usd_per_unit" numeric NOT NULL,
	"source" text NOT NULL,
	"as_of" text NOT NULL,
	"as_of_date" date NOT NULL,
	"as_of_precision" text NOT NULL,
	"as_of_bound" text NOT NULL,
	"as_of_note" text,
	"pipeline" text,
	"model" text,
	"setting" text,
	"line" integer NOT NULL,
	CONSTRAINT "cloud_prices_offer" UNIQUE NULLS NOT DISTINCT("provider","offering","gpu","gpu_key","gpus","unit","as_of","pipeline","model","setting")
);
--> statement-breakpoint
CREATE TABLE "gpu_throughput" (
	"pipeline" text NOT NULL,
	"model" text NOT NULL,
	"setting" text,
	"gpu" text,
	"gpu_key" text NOT NULL,
	"gpu_seconds_per_output_second" numeric NOT NULL,
	"basis" text,
	"source" text NOT NULL,
	"quality" text NOT NULL,
	"line" integer NOT NULL,
	CONSTRAINT "gpu_throughput_figure" UNIQUE NULLS NOT DISTINCT("pipeline","model","setting","gpu_key")
);
