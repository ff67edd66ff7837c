// Alerts (README "Alerts", docs/decisions/014-alerts.md): each alert's state, the history of what fired
// and resolved (the /alerts page and the Atom feeds), and the outbox of notifications, written in the
// same transaction as the state change they announce so a crash never loses or doubles one.
// drizzle.config.ts reads this file with the others. The rules themselves live in ALERTS_FILE, never
// here (targets' URLs and secrets stay in the file).
import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, doublePrecision, index, integer, pgTable, primaryKey, text, timestamp, unique } from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "string" });

/**
 * One alert: a rule applied to one subject (an orchestrator's address, a source's name or "network")
 * in one scope (a pipeline and model, '' when the metric has none). key = subject + scope.
 * phase: ok | pending (holding, not yet `for` evaluations) | firing. value/threshold: the last reading.
 */
export const alertState = pgTable(
  "alert_state",
  {
    rule: text("rule").notNull(),
    key: text("key").notNull(),
    subject: text("subject").notNull(),
    scope: text("scope").notNull(),
    phase: text("phase").notNull(),
    streak: integer("streak").notNull(),
    since: ts("since"),
    value: doublePrecision("value"),
    threshold: doublePrecision("threshold"),
    samples: integer("samples"),
    message: text("message").notNull(),
    link: text("link").notNull(),
    evaluatedAt: ts("evaluated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.rule, t.key] }), index("alert_state_subject").on(t.subject)],
);

/** Every firing and recovery, in order (id): the history, the feeds and what the outbox delivers. */
export const alertEvents = pgTable(
  "alert_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    rule: text("rule").notNull(),
    key: text("key").notNull(),
    subject: text("subject").notNull(),
    scope: text("scope").notNull(),
    state: text("state").notNull(), // firing | resolved
    at: ts("at").notNull(),
    since: ts("since").notNull(),
    value: doublePrecision("value"),
    threshold: doublePrecision("threshold"),
    message: text("message").notNull(),
    link: text("link").notNull(),
  },
  (t) => [index("alert_events_subject").on(t.subject, t.id), index("alert_events_rule").on(t.rule, t.key, t.id)],
);

/**
 * One notification of one event to one target. Delivered at most once per row by the sender's
 * update; a row stays due (next_attempt_at, backoff) until delivered or given up after its attempts.
 */
export const alertOutbox = pgTable(
  "alert_outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    eventId: bigint("event_id", { mode: "number" }).notNull(),
    target: text("target").notNull(),
    createdAt: ts("created_at").notNull().default(sql`now()`),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull().default(sql`now()`),
    lastAttemptAt: ts("last_attempt_at"),
    lastError: text("last_error"),
    lastStatus: integer("last_status"),
    deliveredAt: ts("delivered_at"),
    gaveUpAt: ts("gave_up_at"),
  },
  (t) => [
    unique("alert_outbox_event_target").on(t.eventId, t.target),
    index("alert_outbox_due").on(t.target, t.id).where(sql`delivered_at is null and gave_up_at is null`),
  ],
);

/** The last evaluation (one row, id 1): when, how long, how many rules and alerts, and its error. */
export const alertEvaluation = pgTable("alert_evaluation", {
  id: integer("id").primaryKey(),
  evaluatedAt: ts("evaluated_at").notNull(),
  ok: boolean("ok").notNull(),
  error: text("error"),
  rules: integer("rules").notNull(),
  alerts: integer("alerts").notNull(),
  firing: integer("firing").notNull(),
  ms: integer("ms").notNull(),
});
