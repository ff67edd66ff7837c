CREATE TABLE "program_snapshots" (
	"id" text PRIMARY KEY NOT NULL,
	"program" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"definition" jsonb NOT NULL,
	"result" jsonb NOT NULL,
	"provenance" jsonb NOT NULL
);
--> statement-breakpoint
CREATE INDEX "program_snapshots_program_created" ON "program_snapshots" USING btree ("program","created_at");