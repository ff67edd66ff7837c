// Alerts after an indexer run (indexer/run.ts): load ALERTS_FILE, evaluate every rule over the stored
// data, commit the states with their outbox rows, then deliver what is due. Never throws: an alert
// failure is logged and recorded (/alerts, /status), the run's outcome is the sources'.
import { settings } from "../../core/settings";
import type { Db } from "../../db/client";
import { saveEvaluation } from "../../db/queries/alerts";
import { deliverDue, type DeliverySummary } from "./deliver";
import { evaluateRules, type EvaluationSummary } from "./evaluate";
import { loadRules } from "./rules-file";

export interface AlertsOutcome {
  evaluation?: EvaluationSummary;
  delivery?: DeliverySummary;
  error?: string;
}

export async function runAlerts(db: Db, alertsFile: string | undefined, log: (line: string) => void, now = new Date()): Promise<AlertsOutcome> {
  const loaded = loadRules(alertsFile);
  if (!loaded) return {};
  try {
    if (!loaded.ok) {
      await saveEvaluation(db, { at: now.toISOString(), ok: false, error: loaded.error.message, rules: 0, alerts: 0, firing: 0, ms: 0 });
      log(`[alerts] not evaluated: ${loaded.error.message}`);
      return { error: loaded.error.message };
    }
    const evaluation = await evaluateRules(db, loaded.rules, now, log);
    for (const e of evaluation.events) log(`[alerts] ${e.rule} ${e.state}: ${e.key}`);
    // Test hook (kill -9 tests): the states and their outbox rows are committed, nothing is sent yet.
    if (settings().OBSERVATORY_CRASH_AT === "after-alert-commit@1") process.kill(process.pid, "SIGKILL");
    const delivery = await deliverDue(db, loaded.rules, { log });
    return { evaluation, delivery };
  } catch (e) {
    const error = (e as Error).message ?? String(e);
    log(`[alerts] evaluation failed: ${error}`);
    await saveEvaluation(db, { at: now.toISOString(), ok: false, error, rules: 0, alerts: 0, firing: 0, ms: 0 }).catch(() => {});
    return { error };
  }
}
