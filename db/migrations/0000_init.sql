CREATE TABLE "broadcaster_days" (
	"id" text PRIMARY KEY NOT NULL,
	"address" text NOT NULL,
	"date" date NOT NULL,
	"volume_eth" numeric NOT NULL,
	"volume_usd" numeric NOT NULL
);
--> statement-breakpoint
CREATE TABLE "broadcasters" (
	"address" text PRIMARY KEY NOT NULL,
	"deposit" numeric,
	"reserve" numeric,
	"total_volume_eth" numeric NOT NULL,
	"total_volume_usd" numeric NOT NULL,
	"ninety_day_volume_eth" numeric
);
--> statement-breakpoint
CREATE TABLE "days" (
	"day_number" integer PRIMARY KEY NOT NULL,
	"date" date NOT NULL,
	"volume_eth" numeric NOT NULL,
	"volume_usd" numeric NOT NULL,
	"total_active_stake" numeric,
	"participation_rate" numeric,
	"active_transcoder_count" numeric,
	CONSTRAINT "days_date_unique" UNIQUE("date")
);
--> statement-breakpoint
CREATE TABLE "fee_day_gateway" (
	"day" date NOT NULL,
	"gateway" text NOT NULL,
	"tickets" integer NOT NULL,
	"volume_eth" numeric NOT NULL,
	"volume_usd" numeric NOT NULL,
	CONSTRAINT "fee_day_gateway_day_gateway_pk" PRIMARY KEY("day","gateway")
);
--> statement-breakpoint
CREATE TABLE "fee_day_orchestrator" (
	"day" date NOT NULL,
	"orchestrator" text NOT NULL,
	"tickets" integer NOT NULL,
	"volume_eth" numeric NOT NULL,
	"volume_usd" numeric NOT NULL,
	CONSTRAINT "fee_day_orchestrator_day_orchestrator_pk" PRIMARY KEY("day","orchestrator")
);
--> statement-breakpoint
CREATE TABLE "gateway_tags" (
	"address" text PRIMARY KEY NOT NULL,
	"tag" text NOT NULL,
	"label" text,
	"period_from" date,
	"period_to" date
);
--> statement-breakpoint
CREATE TABLE "indexer_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"ok" boolean,
	"error" text,
	"rows_written" integer DEFAULT 0 NOT NULL,
	"block" bigint
);
--> statement-breakpoint
CREATE TABLE "protocol" (
	"id" text PRIMARY KEY NOT NULL,
	"total_volume_eth" numeric NOT NULL,
	"total_volume_usd" numeric NOT NULL,
	"winning_ticket_count" bigint NOT NULL,
	"current_round" text,
	"active_transcoder_count" numeric,
	"total_active_stake" numeric,
	"participation_rate" numeric,
	"block" bigint
);
--> statement-breakpoint
CREATE TABLE "source_state" (
	"name" text PRIMARY KEY NOT NULL,
	"cursor" jsonb,
	"block" bigint,
	"block_timestamp" integer,
	"deployment" text,
	"last_run_at" timestamp with time zone,
	"last_success_at" timestamp with time zone,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"rows_written" bigint DEFAULT 0 NOT NULL,
	"last_run_rows" integer,
	"progress" jsonb
);
--> statement-breakpoint
CREATE TABLE "tickets" (
	"id" text PRIMARY KEY NOT NULL,
	"timestamp" integer NOT NULL,
	"day" date NOT NULL,
	"block_number" bigint NOT NULL,
	"round" text NOT NULL,
	"sender" text NOT NULL,
	"recipient" text NOT NULL,
	"face_value_eth" numeric NOT NULL,
	"face_value_usd" numeric NOT NULL,
	"win_prob" numeric
);
--> statement-breakpoint
CREATE TABLE "transcoder_days" (
	"id" text PRIMARY KEY NOT NULL,
	"address" text NOT NULL,
	"date" date NOT NULL,
	"volume_eth" numeric NOT NULL,
	"volume_usd" numeric NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transcoders" (
	"address" text PRIMARY KEY NOT NULL,
	"active" boolean NOT NULL,
	"status" text,
	"activation_round" numeric,
	"deactivation_round" numeric,
	"fee_share" numeric,
	"reward_cut" numeric,
	"total_stake" numeric NOT NULL,
	"total_volume_eth" numeric NOT NULL,
	"total_volume_usd" numeric NOT NULL,
	"thirty_day_volume_eth" numeric,
	"ninety_day_volume_eth" numeric,
	"service_uri" text,
	"last_reward_round" text
);
--> statement-breakpoint
CREATE INDEX "broadcaster_days_address_date" ON "broadcaster_days" USING btree ("address","date");--> statement-breakpoint
CREATE INDEX "fee_day_orchestrator_orch" ON "fee_day_orchestrator" USING btree ("orchestrator","day");--> statement-breakpoint
CREATE INDEX "indexer_runs_source_started" ON "indexer_runs" USING btree ("source","started_at");--> statement-breakpoint
CREATE INDEX "tickets_timestamp" ON "tickets" USING btree ("timestamp");--> statement-breakpoint
CREATE INDEX "tickets_recipient_day" ON "tickets" USING btree ("recipient","day");--> statement-breakpoint
CREATE INDEX "transcoder_days_address_date" ON "transcoder_days" USING btree ("address","date");