CREATE TABLE "alert_evaluation" (
	"id" integer PRIMARY KEY NOT NULL,
	"evaluated_at" timestamp with time zone NOT NULL,
	"ok" boolean NOT NULL,
	"error" text,
	"rules" integer NOT NULL,
	"alerts" integer NOT NULL,
	"firing" integer NOT NULL,
	"ms" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"rule" text NOT NULL,
	"key" text NOT NULL,
	"subject" text NOT NULL,
	"scope" text NOT NULL,
	"state" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"since" timestamp with time zone NOT NULL,
	"value" double precision,
	"threshold" double precision,
	"message" text NOT NULL,
	"link" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"event_id" bigint NOT NULL,
	"target" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_attempt_at" timestamp with time zone,
	"last_error" text,
	"last_status" integer,
	"delivered_at" timestamp with time zone,
	"gave_up_at" timestamp with time zone,
	CONSTRAINT "alert_outbox_event_target" UNIQUE("event_id","target")
);
--> statement-breakpoint
CREATE TABLE "alert_state" (
	"rule" text NOT NULL,
	"key" text NOT NULL,
	"subject" text NOT NULL,
	"scope" text NOT NULL,
	"phase" text NOT NULL,
	"streak" integer NOT NULL,
	"since" timestamp with time zone,
	"value" double precision,
	"threshold" double precision,
	"samples" integer,
	"message" text NOT NULL,
	"link" text NOT NULL,
	"evaluated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "alert_state_rule_key_pk" PRIMARY KEY("rule","key")
);
--> statement-breakpoint
CREATE INDEX "alert_events_subject" ON "alert_events" USING btree ("subject","id");--> statement-breakpoint
CREATE INDEX "alert_events_rule" ON "alert_events" USING btree ("rule","key","id");--> statement-breakpoint
CREATE INDEX "alert_outbox_due" ON "alert_outbox" USING btree ("target","id") WHERE delivered_at is null and gave_up_at is null;--> statement-breakpoint
CREATE INDEX "alert_state_subject" ON "alert_state" USING btree ("subject");