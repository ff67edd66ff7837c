CREATE TABLE "config_problems" (
	"file" text NOT NULL,
	"path" text NOT NULL,
	"message" text NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "config_problems_file_path_message_pk" PRIMARY KEY("file","path","message")
);
--> statement-breakpoint
CREATE TABLE "gateway_budgets" (
	"address" text PRIMARY KEY NOT NULL,
	"budget_eth" numeric NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger_events" (
	"kind" text NOT NULL,
	"id" text NOT NULL,
	"gateway" text NOT NULL,
	"timestamp" integer NOT NULL,
	"day" date NOT NULL,
	"block_number" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"amount_eth" numeric NOT NULL,
	"reserve_eth" numeric,
	"claimant" text,
	CONSTRAINT "ledger_events_kind_id_pk" PRIMARY KEY("kind","id")
);
--> statement-breakpoint
CREATE TABLE "treasury_proposals" (
	"id" text PRIMARY KEY NOT NULL,
	"proposer" text NOT NULL,
	"targets" jsonb NOT NULL,
	"values" jsonb NOT NULL,
	"calldatas" jsonb NOT NULL,
	"vote_start" numeric NOT NULL,
	"vote_end" numeric NOT NULL,
	"description" text NOT NULL,
	"for_votes" numeric NOT NULL,
	"against_votes" numeric NOT NULL,
	"abstain_votes" numeric NOT NULL,
	"total_votes" numeric NOT NULL,
	"quorum_stake" numeric,
	"current_round" numeric,
	"block" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "treasury_recipients" (
	"address" text PRIMARY KEY NOT NULL,
	"label" text NOT NULL,
	"program" text,
	"program_from" date,
	"program_to" date,
	"baseline_from" date,
	"baseline_to" date
);
--> statement-breakpoint
CREATE TABLE "treasury_votes" (
	"id" text PRIMARY KEY NOT NULL,
	"proposal" text NOT NULL,
	"voter" text NOT NULL,
	"support" text NOT NULL,
	"weight" numeric NOT NULL,
	"reason" text
);
--> statement-breakpoint
CREATE INDEX "ledger_events_gateway_order" ON "ledger_events" USING btree ("gateway","block_number","log_index");--> statement-breakpoint
CREATE INDEX "treasury_votes_proposal" ON "treasury_votes" USING btree ("proposal");