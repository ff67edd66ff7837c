CREATE TABLE "reports" (
	"id" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"baseline_from" date NOT NULL,
	"baseline_to" date NOT NULL,
	"format" smallint NOT NULL,
	"figures" jsonb NOT NULL,
	"provenance" jsonb NOT NULL,
	CONSTRAINT "reports_id_format" CHECK ("reports"."id" ~ '^[0-9a-hjkmnp-tv-z]{10}$'),
	CONSTRAINT "reports_ranges" CHECK ("reports"."period_from" <= "reports"."period_to" and "reports"."baseline_from" <= "reports"."baseline_to")
);
--> statement-breakpoint
CREATE INDEX "reports_created_at" ON "reports" USING btree ("created_at");