// Alerts (db/schema-alerts.ts): the state the evaluator reads and writes, the outbox the sender
// drains, and what /alerts, /api/alerts, the feeds, the orchestrator page and /status show. Also the
// two on-chain reads the alert metrics need that no page has: the last day each active orchestrator
// was paid and how many rounds its reward call is behind. Any Querier; no driver.
import type { AlertEvent } from "../../core/alerts/payload";
import type { Querier, TxQuerier } from "../client";

export interface StoredAlert {
  rule: string;
  key: string;
  subject: string;
  scope: string;
  phase: "ok" | "pending" | "firing";
  streak: number;
  since: string | null;
  value: number | null;
  threshold: number | null;
  samples: number | null;
  message: string;
  link: string;
  evaluatedAt: string;
}

const STATE_COLUMNS = `rule, key, subject, scope, phase, streak, since, value, threshold, samples, message, link, evaluated_at as "evaluatedAt"`;

/** Every alert's state (the evaluator's input). */
export async function alertStates(q: Querier): Promise<StoredAlert[]> {
  return q.query<StoredAlert>(`select ${STATE_COLUMNS} from alert_state`);
}

/** Alerts by phase (null: every phase), optionally of one subject, firing first then by rule. */
export async function listAlerts(q: Querier, f: { phase?: "firing" | null; subject?: string | null }): Promise<StoredAlert[]> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (f.phase) where.push(`phase = $${params.push(f.phase)}`);
  if (f.subject) where.push(`subject = $${params.push(f.subject)}`);
  return q.query<StoredAlert>(
    `select ${STATE_COLUMNS} from alert_state ${where.length ? `where ${where.join(" and ")}` : ""}
      order by phase = 'firing' desc, phase = 'pending' desc, rule, key limit 2000`,
    params,
  );
}

/** An event as the senders and feeds read it (core/alerts/payload.ts), with its alert's key. */
export type AlertEventRow = AlertEvent & { key: string };

const EVENT_COLUMNS = `id, rule, key, subject, scope, state, at, since, value, threshold, message, link`;

/** The newest events, optionally of one subject or one rule. */
export async function alertEvents(q: Querier, f: { subject?: string | null; rule?: string | null; limit: number }): Promise<AlertEventRow[]> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (f.subject) where.push(`subject = $${params.push(f.subject)}`);
  if (f.rule) where.push(`rule = $${params.push(f.rule)}`);
  params.push(f.limit);
  const rows = await q.query<AlertEventRow>(
    `select ${EVENT_COLUMNS} from alert_events ${where.length ? `where ${where.join(" and ")}` : ""} order by id desc limit $${params.length}::int`,
    params,
  );
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** An alert's state as the evaluator writes it (evaluated_at is the write's own time). */
export type AlertWrite = Omit<StoredAlert, "evaluatedAt">;

/** Writes one alert's state. */
export async function saveAlertState(q: TxQuerier, a: AlertWrite, at: string): Promise<void> {
  await q.query(
    `insert into alert_state (rule, key, subject, scope, phase, streak, since, value, threshold, samples, message, link, evaluated_at)
     values ($1, $2, $3, $4, $5, $6, $7::timestamptz, $8, $9, $10, $11, $12, $13::timestamptz)
     on conflict (rule, key) do update set subject = excluded.subject, scope = excluded.scope, phase = excluded.phase, streak = excluded.streak,
       since = excluded.since, value = excluded.value, threshold = excluded.threshold, samples = excluded.samples, message = excluded.message,
       link = excluded.link, evaluated_at = excluded.evaluated_at`,
    [a.rule, a.key, a.subject, a.scope, a.phase, a.streak, a.since, a.value, a.threshold, a.samples, a.message, a.link, at],
  );
}

/** Records an event and queues it for each target, in the caller's transaction. Returns its id. */
export async function recordEvent(q: TxQuerier, a: AlertWrite & { state: "firing" | "resolved"; since: string }, at: string, targets: string[]): Promise<number> {
  const [e] = await q.query<{ id: string }>(
    `insert into alert_events (rule, key, subject, scope, state, at, since, value, threshold, message, link)
     values ($1, $2, $3, $4, $5, $6::timestamptz, $7::timestamptz, $8, $9, $10, $11) returning id`,
    [a.rule, a.key, a.subject, a.scope, a.state, at, a.since, a.value, a.threshold, a.message, a.link],
  );
  const id = Number(e.id);
  if (targets.length)
    await q.query(`insert into alert_outbox (event_id, target, next_attempt_at) select $1, t, $3::timestamptz from unnest($2::text[]) t`, [id, targets, at]);
  return id;
}

/** Forgets the alerts of rules no longer in the file (their history stays). */
export async function dropAlertsOfOtherRules(q: TxQuerier, rules: string[]): Promise<number> {
  return q.execute(`delete from alert_state where not (rule = any($1::text[]))`, [rules]);
}

/** Forgets one alert (its rule no longer covers its subject; the history stays). */
export async function dropAlert(q: TxQuerier, rule: string, key: string): Promise<void> {
  await q.query(`delete from alert_state where rule = $1 and key = $2`, [rule, key]);
}

export async function saveEvaluation(q: Querier, e: { at: string; ok: boolean; error: string | null; rules: number; alerts: number; firing: number; ms: number }): Promise<void> {
  await q.query(
    `insert into alert_evaluation (id, evaluated_at, ok, error, rules, alerts, firing, ms) values (1, $1::timestamptz, $2, $3, $4, $5, $6, $7)
     on conflict (id) do update set evaluated_at = excluded.evaluated_at, ok = excluded.ok, error = excluded.error, rules = excluded.rules,
       alerts = excluded.alerts, firing = excluded.firing, ms = excluded.ms`,
    [e.at, e.ok, e.error, e.rules, e.alerts, e.firing, Math.round(e.ms)],
  );
}

export interface EvaluationRow {
  evaluatedAt: string;
  ok: boolean;
  error: string | null;
  rules: number;
  alerts: number;
  firing: number;
  ms: number;
}

export async function lastEvaluation(q: Querier): Promise<EvaluationRow | null> {
  const [r] = await q.query<EvaluationRow>(`select evaluated_at as "evaluatedAt", ok, error, rules, alerts, firing, ms from alert_evaluation where id = 1`);
  return r ?? null;
}

export interface DueDelivery {
  id: number;
  target: string;
  attempts: number;
  event: AlertEventRow;
}

/** Undelivered notifications whose time has come, oldest first per target (at most `limit` per target). */
export async function dueDeliveries(q: Querier, now: string, limit: number): Promise<DueDelivery[]> {
  const rows = await q.query<{ oid: string; target: string; attempts: number } & AlertEventRow>(
    `select o.id as oid, o.target, o.attempts, ${EVENT_COLUMNS.split(", ").map((c) => `e.${c}`).join(", ")}
       from (select *, row_number() over (partition by target order by id) as n
               from alert_outbox where delivered_at is null and gave_up_at is null) o
       join alert_events e on e.id = o.event_id
      where o.n <= $2::int and o.next_attempt_at <= $1::timestamptz
      order by o.target, o.id`,
    [now, limit],
  );
  return rows.map((r) => ({ id: Number(r.oid), target: r.target, attempts: r.attempts, event: { ...r, id: Number(r.id) } }));
}

/** Marks a notification delivered; false when another sender already did (it is then not counted twice). */
export async function markDelivered(q: Querier, id: number, status: number): Promise<boolean> {
  const rows = await q.query(
    `update alert_outbox set delivered_at = now(), attempts = attempts + 1, last_attempt_at = now(), last_status = $2, last_error = null
      where id = $1 and delivered_at is null returning id`,
    [id, status],
  );
  return rows.length === 1;
}

/** Records a failed attempt: retried at `nextAttemptAt`, or given up (null). */
export async function markFailed(q: Querier, id: number, error: string, status: number | null, nextAttemptAt: string | null): Promise<void> {
  await q.query(
    `update alert_outbox set attempts = attempts + 1, last_attempt_at = now(), last_error = $2, last_status = $3,
       next_attempt_at = coalesce($4::timestamptz, next_attempt_at), gave_up_at = case when $4::timestamptz is null then now() end
      where id = $1 and delivered_at is null`,
    [id, error.slice(0, 500), status, nextAttemptAt],
  );
}

export interface TargetHealth {
  target: string;
  delivered: number;
  /** Waiting for their next attempt after at least one failure. */
  retrying: number;
  gaveUp: number;
  lastError: string | null;
  lastAttemptAt: string | null;
  lastDeliveredAt: string | null;
}

/** Per target: delivered, retrying and given-up notifications, with the last error (the status page). */
export async function targetHealth(q: Querier): Promise<TargetHealth[]> {
  return q.query<TargetHealth>(
    `select target,
            (count(*) filter (where delivered_at is not null))::int as delivered,
            (count(*) filter (where delivered_at is null and gave_up_at is null and attempts > 0))::int as retrying,
            (count(*) filter (where gave_up_at is not null))::int as "gaveUp",
            (array_agg(last_error order by last_attempt_at desc nulls last) filter (where last_error is not null and delivered_at is null))[1] as "lastError",
            max(last_attempt_at) as "lastAttemptAt", max(delivered_at) as "lastDeliveredAt"
       from alert_outbox group by target order by target`,
  );
}

/** Active orchestrators (on chain) and the last UTC day each was paid a fee ('YYYY-MM-DD', null: never). */
export async function activeLastFeeDays(q: Querier): Promise<{ address: string; lastFeeDay: string | null }[]> {
  return q.query(
    `select t.address, to_char(max(f.day), 'YYYY-MM-DD') as "lastFeeDay"
       from transcoders t left join fee_day_orchestrator f on f.orchestrator = t.address
      where t.active group by t.address order by t.address`,
  );
}

/** Active orchestrators' reward calls: the protocol's current round and each one's last reward round (integers as text). */
export async function rewardRounds(q: Querier): Promise<{ address: string; lastRewardRound: string | null; currentRound: string | null }[]> {
  return q.query(
    `select t.address, t.last_reward_round as "lastRewardRound", (select current_round from protocol order by id limit 1) as "currentRound"
       from transcoders t where t.active order by t.address`,
  );
}
