// One evaluation of every rule over stored data: read each rule's metric (metrics.ts), step each
// alert (core/alerts/machine.ts), then write every changed state, the events and their outbox rows in
// one transaction, so a notification exists exactly when the state change it announces does.
import { levels, OK_STATE, step, type AlertState } from "../../core/alerts/machine";
import { METRICS, type Rule, type RulesFile } from "../../core/alerts/rules";
import type { Db } from "../../db/client";
import { alertStates, dropAlert, dropAlertsOfOtherRules, recordEvent, saveAlertState, saveEvaluation, type AlertWrite, type StoredAlert } from "../../db/queries/alerts";
import { observe, type Observation } from "./metrics";

export interface EvaluationSummary {
  rules: number;
  alerts: number;
  firing: number;
  events: { rule: string; key: string; state: "firing" | "resolved" }[];
  /** Rules whose metric has no stored data to read (why). */
  unavailable: Map<string, string>;
}

const UNITS: Record<string, (v: number) => string> = {
  ms: (v) => `${Math.round(v).toLocaleString("en-US")} ms`,
  s: (v) => `${v.toFixed(v < 10 ? 2 : 1)} s`,
  fraction: (v) => `${(v * 100).toFixed(1)}%`,
  ratio: (v) => v.toFixed(2),
  points: (v) => `${v.toFixed(1)} points`,
  days: (v) => `${v} days`,
  rounds: (v) => `${v} rounds`,
  x: (v) => `${v.toFixed(2)}x`,
  flag: (v) => (v ? "failing" : "ok"),
};
export function formatValue(rule: Rule, v: number): string {
  return (UNITS[METRICS[rule.metric].unit] ?? String)(v);
}

/** Whether the rule's subject covers this observation's subject. */
function covers(rule: Rule, subject: string): boolean {
  if (rule.subject.kind === "all") return true;
  if (rule.subject.kind === "orchestrators") return rule.subject.addresses.includes(subject);
  return rule.subject.names.includes(subject);
}

function message(rule: Rule, o: Observation, threshold: number, median: number | null, state: "firing" | "resolved" | "ok" | "pending"): string {
  const who = `${o.subject}${o.scope ? ` (${o.scope})` : ""}`;
  if (o.value === null) return `${rule.metric} of ${who}: no figure`;
  if (METRICS[rule.metric].unit === "flag")
    return `${rule.metric} of ${who}: ${state === "resolved" || state === "ok" ? "its last run succeeded" : "its last run failed (see /status)"}`;
  const cmp = rule.condition.kind === "below" ? "below" : "above";
  const v = formatValue(rule, o.value);
  const t = `${formatValue(rule, threshold)}${median !== null ? ` (${rule.condition.value} x the network median ${formatValue(rule, median)})` : ""}`;
  const extra = [rule.window ? `over ${rule.window}` : "", o.samples !== null && METRICS[rule.metric].minSamples ? `${o.samples.toLocaleString("en-US")} samples` : ""].filter(Boolean).join(", ");
  const tail = extra ? ` [${extra}]` : "";
  if (state === "resolved") return `${rule.metric} of ${who} is ${v}, back from ${cmp} ${t}${tail}`;
  return `${rule.metric} of ${who} is ${v}, ${state === "ok" ? "not " : ""}${cmp} ${t}${tail}`;
}

/** The network median of a metric per scope: the median of the subjects' values that have enough samples. */
function medians(obs: Observation[], minSamples: number): Map<string, number | null> {
  const by = new Map<string, number[]>();
  for (const o of obs) {
    if (o.value === null || (o.samples ?? 0) < minSamples) continue;
    const l = by.get(o.scope) ?? [];
    l.push(o.value);
    by.set(o.scope, l);
  }
  return new Map([...by].map(([s, l]) => {
    l.sort((a, b) => a - b);
    const mid = l.length >> 1;
    return [s, l.length % 2 ? l[mid] : (l[mid - 1] + l[mid]) / 2];
  }));
}

export async function evaluateRules(db: Db, file: RulesFile, now: Date, log: (line: string) => void): Promise<EvaluationSummary> {
  const started = Date.now();
  const at = now.toISOString();
  const previous = new Map<string, StoredAlert>();
  for (const s of await alertStates(db)) previous.set(`${s.rule}\u0000${s.key}`, s);
  const writes: AlertWrite[] = [];
  const events: (AlertWrite & { state: "firing" | "resolved"; since: string; targets: string[] })[] = [];
  const unavailable = new Map<string, string>();
  const forget: { rule: string; key: string }[] = [];
  let alerts = 0;
  let firing = 0;
  for (const rule of file.rules) {
    let result;
    try {
      result = await observe(db, rule, now);
    } catch (e) {
      // One rule's failure (a query) does not stop the others.
      unavailable.set(rule.name, `could not be read: ${(e as Error).message}`);
      log(`[alerts] rule ${rule.name}: ${(e as Error).message}`);
      continue;
    }
    if (result.unavailable) unavailable.set(rule.name, result.unavailable);
    const obs = result.observations.filter((o) => covers(rule, o.subject));
    const med = rule.condition.kind === "aboveMedianTimes" ? medians(result.observations, rule.minSamples) : null;
    const seen = new Set<string>();
    for (const o of obs) {
      const key = o.scope ? `${o.subject} ${o.scope}` : o.subject;
      seen.add(key);
      const prevRow = previous.get(`${rule.name}\u0000${key}`);
      const prev: AlertState = prevRow && prevRow.phase !== "ok" ? { phase: prevRow.phase, streak: prevRow.streak, since: prevRow.since } : OK_STATE;
      const median = med ? (med.get(o.scope) ?? null) : null;
      const lv = levels(rule.condition, median);
      const enough = o.value !== null && (o.samples === null || o.samples >= rule.minSamples);
      const reading = enough && lv ? { value: o.value!, threshold: lv.threshold, clear: lv.clear } : null;
      const { next, event } = step(prev, rule.condition.kind, reading, rule.for, at);
      // Alerts that were never anything but ok are not stored (the table holds what an operator may look at).
      if (!prevRow && next.phase === "ok" && !event) continue;
      alerts++;
      if (next.phase === "firing") firing++;
      const threshold = lv?.threshold ?? null;
      const w: AlertWrite = {
        rule: rule.name, key, subject: o.subject, scope: o.scope, phase: next.phase, streak: next.streak, since: next.since,
        value: o.value, threshold, samples: o.samples,
        message: reading ? message(rule, o, reading.threshold, median, event ?? next.phase) : `${rule.metric} of ${o.subject}${o.scope ? ` (${o.scope})` : ""}: not enough data (${o.samples ?? 0} of ${rule.minSamples} samples${lv ? "" : ", no network median"})`,
        link: o.link,
      };
      writes.push(w);
      if (event) events.push({ ...w, state: event, since: event === "firing" ? next.since! : prev.since ?? at, targets: rule.notify });
    }
    // Alerts of this rule with no observation now (the subject has no data in the window): as no data.
    // A subject the rule no longer covers (the file changed) is forgotten, as a removed rule is.
    for (const s of previous.values()) {
      if (s.rule !== rule.name || seen.has(s.key)) continue;
      if (!covers(rule, s.subject)) {
        forget.push({ rule: s.rule, key: s.key });
        continue;
      }
      if (s.phase === "ok") continue;
      alerts++;
      if (s.phase === "firing") firing++;
      else writes.push({ ...s, phase: "ok", streak: 0, since: null, message: `${s.message} (no data now)` });
    }
  }
  await db.tx(async (q) => {
    for (const w of writes) await saveAlertState(q, w, at);
    for (const e of events) await recordEvent(q, e, at, e.targets);
    await dropAlertsOfOtherRules(q, file.rules.map((r) => r.name));
    for (const f of forget) await dropAlert(q, f.rule, f.key);
    const notes = [...unavailable].map(([r, why]) => `${r}: ${why}`).join("; ");
    await saveEvaluation(q, { at, ok: true, error: notes || null, rules: file.rules.length, alerts, firing, ms: Date.now() - started });
  });
  return { rules: file.rules.length, alerts, firing, events: events.map((e) => ({ rule: e.rule, key: e.key, state: e.state })), unavailable };
}
