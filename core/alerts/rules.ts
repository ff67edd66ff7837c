// Alert rules (ALERTS_FILE, README "Alerts"): the file's shape (JSON, or YAML by the file's extension), checked in full before anything is
// evaluated. A bad file is refused with every problem at once, each naming the file, the path inside
// it (rules[1].when.metric) and what is wrong; nothing of a bad file is used. Pure: the caller reads
// the file (indexer/alerts/rules-file.ts) and hands its text here.
import { parse as parseYaml } from "yaml";
import { BadInputError } from "../errors";

/** Every metric a rule may watch, with what it is measured on and how (docs/decisions/014-alerts.md). */
export const METRICS = {
  "jobs.latencyP95Ms": { subject: "orchestrator", unit: "ms", window: "24h", minSamples: 20, median: true, perPair: true },
  "jobs.successRate": { subject: "orchestrator", unit: "fraction", window: "24h", minSamples: 20, median: false, perPair: false },
  "live.startupP95Ms": { subject: "orchestrator", unit: "ms", window: "24h", minSamples: 20, median: true, perPair: true },
  "live.fpsRatioP50": { subject: "orchestrator", unit: "ratio", window: "24h", minSamples: 20, median: false, perPair: true },
  "probes.successRate": { subject: "orchestrator", unit: "fraction", window: "24h", minSamples: 5, median: false, perPair: false },
  "probes.roundTripP95S": { subject: "orchestrator", unit: "s", window: "24h", minSamples: 20, median: true, perPair: true },
  "probes.scoreDrop": { subject: "orchestrator", unit: "points", window: "24h", minSamples: 5, median: false, perPair: true },
  "fees.daysWithout": { subject: "orchestrator", unit: "days", window: null, minSamples: 0, median: false, perPair: false },
  "reward.roundsBehind": { subject: "orchestrator", unit: "rounds", window: null, minSamples: 0, median: false, perPair: false },
  "price.ratioToMedian": { subject: "orchestrator", unit: "x", window: null, minSamples: 0, median: false, perPair: true },
  "source.lagSeconds": { subject: "source", unit: "s", window: null, minSamples: 0, median: false, perPair: false },
  "source.failing": { subject: "source", unit: "flag", window: null, minSamples: 0, median: false, perPair: false },
  "subsidy.runwayDays": { subject: "network", unit: "days", window: null, minSamples: 0, median: false, perPair: false },
} as const;

export type MetricName = keyof typeof METRICS;
export const METRIC_NAMES = Object.keys(METRICS) as MetricName[];

export type TargetType = "webhook" | "slack" | "discord";
export interface Target {
  name: string;
  type: TargetType;
  url: string;
  /** HMAC-SHA256 key of the generic webhook's X-Observatory-Signature. */
  secret: string | null;
}

export type Subject =
  | { kind: "all" }
  | { kind: "orchestrators"; addresses: string[] }
  | { kind: "sources"; names: string[] };

export interface Condition {
  kind: "above" | "below" | "aboveMedianTimes";
  /** The threshold (aboveMedianTimes: the multiple of the network median). */
  value: number;
  /** Hysteresis: a firing alert resolves only once the value is back past this (default: value). */
  clear: number;
}

export interface Rule {
  name: string;
  metric: MetricName;
  subject: Subject;
  condition: Condition;
  /** Window ending at the evaluation time, in ms (null for metrics of the latest state). */
  windowMs: number | null;
  window: string | null;
  minSamples: number;
  /** Consecutive evaluations the condition must hold before the alert fires. */
  for: number;
  notify: string[];
  pipeline: string | null;
  model: string | null;
  region: string | null;
}

export interface RulesFile {
  /** Absolute links in notifications start with this (else links are paths). */
  dashboardUrl: string | null;
  targets: Map<string, Target>;
  rules: Rule[];
}

/** A rules file that cannot be used: every problem, each with the file and the path inside it. */
export class RulesFileError extends BadInputError {
  constructor(
    public file: string,
    public problems: { path: string; message: string }[],
  ) {
    super(`Alert rules file ${file} is not valid (nothing of it is used):\n${problems.map((p) => `  ${p.path || "(file)"}: ${p.message}`).join("\n")}`);
  }
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const WINDOW = /^(\d{1,4})(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "6h" -> 21,600,000 ms; null when not a window (minutes, hours or days, up to 90 days). */
export function windowMs(text: string): number | null {
  const m = WINDOW.exec(text);
  if (!m) return null;
  const ms = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  return ms > 0 && ms <= 90 * UNIT_MS.d ? ms : null;
}

type Problems = { path: string; message: string }[];
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
const show = (x: unknown) => JSON.stringify(x)?.slice(0, 60) ?? String(x);

/** Parses and checks a rules file's text (YAML when the name ends in .yaml/.yml, else JSON). */
export function parseRulesFile(file: string, text: string): RulesFile {
  let doc: unknown;
  try {
    // YAML: 0x... stays text (an address), not a hexadecimal integer.
    doc = /\.ya?ml$/i.test(file) ? parseYaml(text, { customTags: (tags) => tags.filter((t) => !(typeof t === "object" && t.tag === "tag:yaml.org,2002:int" && t.format === "HEX")) }) : JSON.parse(text);
  } catch (e) {
    throw new RulesFileError(file, [{ path: "", message: `cannot be parsed as ${/\.ya?ml$/i.test(file) ? "YAML" : "JSON"}: ${(e as Error).message.split("\n")[0]}` }]);
  }
  const problems: Problems = [];
  const out = checkDocument(doc, problems);
  if (problems.length) throw new RulesFileError(file, problems);
  return out;
}

function checkDocument(doc: unknown, problems: Problems): RulesFile {
  const result: RulesFile = { dashboardUrl: null, targets: new Map(), rules: [] };
  if (!isObject(doc)) {
    problems.push({ path: "", message: `must be an object with "targets" and "rules", got ${show(doc)}` });
    return result;
  }
  for (const k of Object.keys(doc)) if (!["targets", "rules", "dashboardUrl"].includes(k)) problems.push({ path: k, message: `unknown key (expected targets, rules, dashboardUrl)` });
  if (doc.dashboardUrl !== undefined) {
    if (typeof doc.dashboardUrl === "string" && httpUrl(doc.dashboardUrl)) result.dashboardUrl = doc.dashboardUrl.replace(/\/+$/, "");
    else problems.push({ path: "dashboardUrl", message: `must be an http(s) URL, got ${show(doc.dashboardUrl)}` });
  }
  const targets = doc.targets ?? {};
  if (!isObject(targets)) problems.push({ path: "targets", message: `must be an object of named targets` });
  else for (const [name, t] of Object.entries(targets)) {
    const target = checkTarget(`targets.${name}`, name, t, problems);
    if (target) result.targets.set(name, target);
  }
  if (!Array.isArray(doc.rules)) {
    problems.push({ path: "rules", message: `must be a list of rules, got ${show(doc.rules)}` });
    return result;
  }
  const seen = new Set<string>();
  doc.rules.forEach((r, i) => {
    const rule = checkRule(`rules[${i}]`, r, problems, Object.keys(isObject(targets) ? targets : {}));
    if (!rule) return;
    if (seen.has(rule.name)) problems.push({ path: `rules[${i}].name`, message: `"${rule.name}" is used by an earlier rule (names must be unique)` });
    seen.add(rule.name);
    result.rules.push(rule);
  });
  return result;
}

function httpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}

function checkTarget(path: string, name: string, t: unknown, problems: Problems): Target | null {
  const before = problems.length;
  if (!NAME.test(name)) problems.push({ path, message: `target names are letters, digits, '.', '_' or '-' (up to 64)` });
  if (!isObject(t)) {
    problems.push({ path, message: `must be an object {"type", "url"}` });
    return null;
  }
  for (const k of Object.keys(t)) if (!["type", "url", "secret"].includes(k)) problems.push({ path: `${path}.${k}`, message: `unknown key (expected type, url, secret)` });
  if (!["webhook", "slack", "discord"].includes(t.type as string)) problems.push({ path: `${path}.type`, message: `must be webhook, slack or discord, got ${show(t.type)}` });
  if (typeof t.url !== "string" || !httpUrl(t.url)) problems.push({ path: `${path}.url`, message: `must be an http(s) URL, got ${show(t.url)}` });
  if (t.secret !== undefined && (typeof t.secret !== "string" || t.secret.length < 8)) problems.push({ path: `${path}.secret`, message: `must be a string of at least 8 characters` });
  if (t.secret !== undefined && t.type !== "webhook") problems.push({ path: `${path}.secret`, message: `only a webhook target is signed` });
  if (problems.length > before) return null;
  return { name, type: t.type as TargetType, url: t.url as string, secret: (t.secret as string | undefined) ?? null };
}

const RULE_KEYS = ["name", "subject", "when", "for", "notify"];
const WHEN_KEYS = ["metric", "above", "below", "aboveMedianTimes", "clear", "window", "minSamples", "pipeline", "model", "region"];

function checkRule(path: string, r: unknown, problems: Problems, targetNames: string[]): Rule | null {
  const before = problems.length;
  if (!isObject(r)) {
    problems.push({ path, message: `must be an object {"name", "subject", "when", "notify"}` });
    return null;
  }
  for (const k of Object.keys(r)) if (!RULE_KEYS.includes(k)) problems.push({ path: `${path}.${k}`, message: `unknown key (expected ${RULE_KEYS.join(", ")})` });
  if (typeof r.name !== "string" || !NAME.test(r.name)) problems.push({ path: `${path}.name`, message: `must be a name of letters, digits, '.', '_' or '-' (up to 64), got ${show(r.name)}` });
  const when = r.when;
  if (!isObject(when)) {
    problems.push({ path: `${path}.when`, message: `must be an object {"metric", "above"|"below"|"aboveMedianTimes", ...}` });
    return null;
  }
  for (const k of Object.keys(when)) if (!WHEN_KEYS.includes(k)) problems.push({ path: `${path}.when.${k}`, message: `unknown key (expected ${WHEN_KEYS.join(", ")})` });
  const metric = when.metric as MetricName;
  const spec = METRICS[metric];
  if (!spec) {
    problems.push({ path: `${path}.when.metric`, message: `unknown metric ${show(when.metric)} (one of ${METRIC_NAMES.join(", ")})` });
    return null;
  }
  const subject = checkSubject(`${path}.subject`, r.subject ?? "all", spec.subject, problems);
  const condition = checkCondition(`${path}.when`, when, metric, problems);
  let window: string | null = null;
  let ms: number | null = null;
  if (spec.window !== null) {
    window = when.window === undefined ? spec.window : String(when.window);
    ms = windowMs(window);
    if (ms === null) problems.push({ path: `${path}.when.window`, message: `must be minutes, hours or days up to 90d, e.g. "30m", "6h", "7d"; got ${show(when.window)}` });
  } else if (when.window !== undefined) problems.push({ path: `${path}.when.window`, message: `${metric} is the latest state and takes no window` });
  let minSamples: number = spec.minSamples;
  if (when.minSamples !== undefined) {
    if (spec.minSamples === 0) problems.push({ path: `${path}.when.minSamples`, message: `${metric} has no samples to count` });
    else if (!Number.isInteger(when.minSamples) || (when.minSamples as number) < 1) problems.push({ path: `${path}.when.minSamples`, message: `must be a whole number of at least 1` });
    else minSamples = when.minSamples as number;
  }
  const forCount = r.for ?? 1;
  if (!Number.isInteger(forCount) || (forCount as number) < 1 || (forCount as number) > 1000) problems.push({ path: `${path}.for`, message: `must be a whole number of evaluations from 1 to 1000, got ${show(r.for)}` });
  const notify = r.notify ?? [];
  if (!Array.isArray(notify) || notify.some((n) => typeof n !== "string")) problems.push({ path: `${path}.notify`, message: `must be a list of target names` });
  else notify.forEach((n, i) => {
    if (!targetNames.includes(n)) problems.push({ path: `${path}.notify[${i}]`, message: `no target named "${n}" in "targets"${targetNames.length ? ` (${targetNames.join(", ")})` : ""}` });
  });
  const text = (k: "pipeline" | "model" | "region") => {
    const v = when[k];
    if (v === undefined) return null;
    if (typeof v !== "string" || !v || v.length > 200) problems.push({ path: `${path}.when.${k}`, message: `must be a non-empty string` });
    return typeof v === "string" ? v : null;
  };
  const pipeline = text("pipeline");
  const model = text("model");
  const region = text("region");
  if (region !== null && !metric.startsWith("probes.")) problems.push({ path: `${path}.when.region`, message: `only probe metrics have regions` });
  if ((pipeline !== null || model !== null) && ["fees.daysWithout", "reward.roundsBehind", "source.lagSeconds", "source.failing", "subsidy.runwayDays"].includes(metric))
    problems.push({ path: `${path}.when`, message: `${metric} has no pipeline or model` });
  if (metric.startsWith("live.") && pipeline !== null && pipeline !== "live-video-to-video") problems.push({ path: `${path}.when.pipeline`, message: `live metrics are live-video-to-video` });
  if (problems.length > before || !subject || !condition) return null;
  return {
    name: r.name as string, metric, subject, condition, window, windowMs: ms, minSamples, for: forCount as number, notify: notify as string[],
    pipeline, model, region: region?.toUpperCase() ?? null,
  };
}

function checkSubject(path: string, s: unknown, kind: "orchestrator" | "source" | "network", problems: Problems): Subject | null {
  if (s === "all" || s === "network") return { kind: "all" };
  if (kind === "orchestrator") {
    const list = typeof s === "string" ? [s] : isObject(s) && Array.isArray(s.orchestrators) ? s.orchestrators : null;
    if (!list || !list.length || list.some((a) => typeof a !== "string" || !ADDRESS.test(a))) {
      problems.push({ path, message: `must be "all", one orchestrator's 0x address (40 hex digits) or {"orchestrators": ["0x...", ...]}, got ${show(s)}` });
      return null;
    }
    return { kind: "orchestrators", addresses: [...new Set((list as string[]).map((a) => a.toLowerCase()))] };
  }
  if (kind === "source") {
    const list = typeof s === "string" ? [s] : isObject(s) && Array.isArray(s.sources) ? s.sources : null;
    if (!list || !list.length || list.some((a) => typeof a !== "string" || !NAME.test(a))) {
      problems.push({ path, message: `must be "all", one source's name (e.g. "subgraph") or {"sources": ["subgraph", ...]}, got ${show(s)}` });
      return null;
    }
    return { kind: "sources", names: list as string[] };
  }
  problems.push({ path, message: `this metric is about the whole network: use "all" (or leave it out)` });
  return null;
}

function checkCondition(path: string, when: Record<string, unknown>, metric: MetricName, problems: Problems): Condition | null {
  const given = (["above", "below", "aboveMedianTimes"] as const).filter((k) => when[k] !== undefined);
  // source.failing is a flag: it fires when the last run failed unless told otherwise.
  if (!given.length && metric === "source.failing") return { kind: "above", value: 0, clear: 0 };
  if (given.length !== 1) {
    problems.push({ path, message: `needs exactly one of "above", "below" or "aboveMedianTimes"${given.length ? ` (got ${given.join(" and ")})` : ""}` });
    return null;
  }
  const kind = given[0];
  const value = when[kind];
  if (typeof value !== "number" || !Number.isFinite(value)) {
    problems.push({ path: `${path}.${kind}`, message: `must be a number, got ${show(value)}` });
    return null;
  }
  if (kind === "aboveMedianTimes" && !METRICS[metric].median) {
    problems.push({ path: `${path}.aboveMedianTimes`, message: `${metric} has no network median (aboveMedianTimes works with ${METRIC_NAMES.filter((m) => METRICS[m].median).join(", ")})` });
    return null;
  }
  if (kind === "aboveMedianTimes" && value <= 0) problems.push({ path: `${path}.aboveMedianTimes`, message: `must be above 0` });
  let clear = value;
  if (when.clear !== undefined) {
    if (typeof when.clear !== "number" || !Number.isFinite(when.clear)) problems.push({ path: `${path}.clear`, message: `must be a number` });
    else if (kind === "below" ? when.clear < value : when.clear > value)
      problems.push({ path: `${path}.clear`, message: `must be ${kind === "below" ? "at least" : "at most"} the threshold ${value} (an alert resolves once the value is back past it)` });
    else clear = when.clear;
  }
  return { kind, value, clear };
}
