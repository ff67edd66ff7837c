// Alerts for /alerts, /api/alerts, /alerts.atom, the orchestrator page and /status: the rules in
// ALERTS_FILE (or what is wrong with it), each alert's state, the history and the targets' delivery
// health. Public pages: the rules file is named without its directory and target URLs (which may
// carry a webhook's secret path) are never shown, only the targets' names and types.
import { METRICS } from "../../core/alerts/rules";
import { publicFileName } from "../../core/public-paths";
import { settings } from "../../core/settings";
import type { Querier } from "../../db/client";
import { alertEvents, lastEvaluation, listAlerts, targetHealth, type AlertEventRow, type EvaluationRow, type StoredAlert, type TargetHealth } from "../../db/queries/alerts";
import { loadRules } from "../../indexer/alerts/rules-file";
import { badRequest } from "./http.server";

export type { AlertEventRow, EvaluationRow, StoredAlert, TargetHealth };

export interface RulesProblem {
  file: string;
  problems: { path: string; message: string }[];
}

export interface RuleView {
  name: string;
  metric: string;
  unit: string;
  subject: string;
  condition: string;
  window: string | null;
  minSamples: number | null;
  for: number;
  notify: string[];
  firing: number;
  pending: number;
}

export interface RulesView {
  /** false: ALERTS_FILE is not set. */
  configured: boolean;
  file: string | null;
  problem: RulesProblem | null;
  rules: RuleView[];
  targets: { name: string; type: string; signed: boolean }[];
}

/** The rules file as the pages show it (a broken file: its problems, no rules). */
export function rulesView(alerts: StoredAlert[] = []): RulesView {
  const loaded = loadRules(settings().ALERTS_FILE);
  if (!loaded) return { configured: false, file: null, problem: null, rules: [], targets: [] };
  const file = publicFileName(loaded.file) ?? loaded.file;
  if (!loaded.ok) return { configured: true, file, problem: { file, problems: loaded.error.problems }, rules: [], targets: [] };
  const f = loaded.rules;
  return {
    configured: true,
    file,
    problem: null,
    targets: [...f.targets.values()].map((t) => ({ name: t.name, type: t.type, signed: t.secret !== null })),
    rules: f.rules.map((r) => {
      const c = r.condition;
      const cond = c.kind === "aboveMedianTimes" ? `above ${c.value} x the network median` : `${c.kind} ${c.value}`;
      return {
        name: r.name,
        metric: r.metric,
        unit: METRICS[r.metric].unit,
        subject: r.subject.kind === "all" ? "all" : r.subject.kind === "orchestrators" ? r.subject.addresses.join(", ") : r.subject.names.join(", "),
        condition: `${cond}${c.clear !== c.value ? ` (clears at ${c.clear})` : ""}${[r.pipeline, r.model, r.region].some(Boolean) ? ` for ${[r.pipeline, r.model, r.region].filter(Boolean).join(" / ")}` : ""}`,
        window: r.window,
        minSamples: METRICS[r.metric].minSamples ? r.minSamples : null,
        for: r.for,
        notify: r.notify,
        firing: alerts.filter((a) => a.rule === r.name && a.phase === "firing").length,
        pending: alerts.filter((a) => a.rule === r.name && a.phase === "pending").length,
      };
    }),
  };
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** `orchestrator=0x...` (lower-cased), null when absent; 400 when malformed. */
export function parseOrchestratorParam(url: URL): string | null {
  const o = url.searchParams.get("orchestrator");
  if (o === null || o === "") return null;
  if (!ADDRESS.test(o)) throw badRequest(`orchestrator must be a 0x address of 40 hex digits, got "${o.slice(0, 50)}"`);
  return o.toLowerCase();
}

/** `state=firing|all` (firing when absent); 400 otherwise. */
export function parseStateParam(url: URL): "firing" | "all" {
  const s = url.searchParams.get("state");
  if (s === null || s === "" || s === "firing") return "firing";
  if (s === "all") return "all";
  throw badRequest(`state must be firing or all, got "${s.slice(0, 20)}"`);
}

export async function loadAlertsPage(q: Querier) {
  const alerts = await listAlerts(q, {});
  const [events, evaluation, targets] = await Promise.all([alertEvents(q, { limit: 200 }), lastEvaluation(q), targetHealth(q)]);
  return { view: rulesView(alerts), alerts: alerts.filter((a) => a.phase !== "ok"), events, evaluation, targets };
}

/** An orchestrator's firing alerts (its page). */
export async function activeAlertsFor(q: Querier, address: string): Promise<StoredAlert[]> {
  return listAlerts(q, { phase: "firing", subject: address.toLowerCase() });
}

/** What /status shows of alerts: the rules file's problem, the last evaluation and the targets that fail. */
export async function alertsStatus(q: Querier) {
  const view = rulesView();
  if (!view.configured) return null;
  const [evaluation, targets] = await Promise.all([lastEvaluation(q), targetHealth(q)]);
  return { file: view.file, problem: view.problem, evaluation, targets };
}
