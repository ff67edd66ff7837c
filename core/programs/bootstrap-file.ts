// Orchestrator bootstrapping programs (PROGRAMS_FILE, README "Programs", issue 14 part 3): the file's
// shape, checked in full. Every problem names the file, the line in it, the path inside it
// (programs[0].criteria.minSuccessRate) and what is wrong; a program with any problem is left out
// and the others are used; a file that is not JSON gives no program. Pure: the caller reads the file
// (app/lib/bootstrap-file.server.ts) and hands its text here. Amounts stay decimal strings.
import { LineCounter, parseDocument } from "yaml";
import { BadInputError } from "../errors";

/** Where a criterion's figures come from. `capabilities`: the GPUs orchestrators advertise. */
export type Evidence = "events" | "joblogs" | "probes" | "capabilities";
export type SplitRule = "equal" | "delivered-seconds";

/** Every criterion a program may set, with the evidence it may use, in the order "auto" tries them. */
export const CRITERIA = {
  minServed: { evidence: ["events", "joblogs"], kind: "count", label: "sessions or jobs served" },
  minSuccessRate: { evidence: ["events", "joblogs", "probes"], kind: "fraction", label: "success rate" },
  maxLatencyVsMedian: { evidence: ["events", "joblogs", "probes"], kind: "multiple", label: "p95 startup or latency over the network median" },
  minProbeSuccessPerRegion: { evidence: ["probes"], kind: "fraction", label: "probe success in every region" },
  minFpsRatio: { evidence: ["events"], kind: "ratio", label: "real-time frame-rate ratio" },
  gpuClasses: { evidence: ["capabilities"], kind: "classes", label: "GPU classes" },
} as const satisfies Record<string, { evidence: readonly Evidence[]; kind: string; label: string }>;

export type CriterionName = keyof typeof CRITERIA;
export const CRITERION_NAMES = Object.keys(CRITERIA) as CriterionName[];

export interface Criterion {
  name: CriterionName;
  /** The threshold (gpuClasses: the accepted classes, as written). */
  value: number | string[];
  /** As written: one source, or "auto" (the first of CRITERIA[name].evidence that has data). */
  evidence: Evidence | "auto";
  /** Percentile criteria: fewest samples an orchestrator (and the median) needs. */
  minSamples: number;
  /** minProbeSuccessPerRegion: regions that must each have probes (null: every region probed). */
  regions: string[] | null;
}

export interface BootstrapProgram {
  name: string;
  label: string;
  from: string;
  to: string;
  pipelines: string[];
  /** Empty: every model of the pipelines. */
  models: string[];
  budgetLpt: string;
  /** The treasury grant recipient funding the program (TREASURY_RECIPIENTS_FILE), if any. */
  recipient: string | null;
  criteria: Criterion[];
  split: SplitRule;
}

export interface FileProblem {
  /** 1-based line in the file; null when it cannot be told. */
  line: number | null;
  path: string;
  message: string;
}

/** What is wrong with a programs file: the programs named in `problems` are left out, the others are used. */
export class ProgramsFileError extends BadInputError {
  constructor(
    public file: string,
    public problems: FileProblem[],
  ) {
    super(`Programs file ${file}: ${problems.map((p) => `\n  line ${p.line ?? "?"}, ${p.path || "(file)"}: ${p.message}`).join("")}`);
  }
}

export interface ProgramsFile {
  programs: BootstrapProgram[];
  problems: FileProblem[];
}

const NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const LPT = /^\d{1,30}(\.\d{1,18})?$/;
const TEXT = /^[A-Za-z0-9][A-Za-z0-9 ._:/+()-]{0,199}$/;
const PROGRAM_KEYS = ["name", "label", "from", "to", "pipelines", "models", "budgetLpt", "recipient", "criteria", "split"];
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
const isDay = (v: unknown): v is string => typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);
const show = (x: unknown) => JSON.stringify(x)?.slice(0, 60) ?? String(x);

/** The line of a byte offset in `text` (1-based). */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < Math.min(offset, text.length); i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Parses and checks a programs file's text (JSON). Returns the good programs and every problem. */
export function parseProgramsFile(text: string): ProgramsFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message.split("\n")[0];
    const at = /line (\d+)/.exec(msg)?.[1] ?? null;
    const pos = /position (\d+)/.exec(msg)?.[1] ?? null;
    const line = at !== null ? Number(at) : pos !== null ? lineAt(text, Number(pos)) : null;
    return { programs: [], problems: [{ line, path: "", message: `not valid JSON: ${msg}` }] };
  }
  // The same text as a YAML document (JSON is YAML) only to find the line of a path.
  const lines = new LineCounter();
  const located = parseDocument(text, { lineCounter: lines, keepSourceTokens: false });
  const lineOf = (path: (string | number)[]): number | null => {
    for (let n = path.length; n >= 0; n--) {
      const node = located.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return lines.linePos(node.range[0]).line;
    }
    return null;
  };
  const problems: FileProblem[] = [];
  const add = (path: (string | number)[], message: string) =>
    problems.push({ line: lineOf(path), path: path.map((p, i) => (typeof p === "number" ? `[${p}]` : i ? `.${p}` : p)).join(""), message });
  if (!isObject(doc) || !Array.isArray(doc.programs)) {
    add([], `must be an object {"programs": [...]}, got ${show(doc)}`);
    return { programs: [], problems };
  }
  for (const k of Object.keys(doc)) if (k !== "programs") add([k], `unknown key (expected programs)`);
  const programs: BootstrapProgram[] = [];
  const seen = new Set<string>();
  doc.programs.forEach((p, i) => {
    const before = problems.length;
    const program = checkProgram(p, (path, message) => add(["programs", i, ...path], message));
    if (program && seen.has(program.name)) add(["programs", i, "name"], `"${program.name}" is used by an earlier program (names must be unique)`);
    if (program) seen.add(program.name);
    if (program && problems.length === before) programs.push(program);
  });
  return { programs, problems };
}

type Add = (path: (string | number)[], message: string) => void;

function checkProgram(p: unknown, add: Add): BootstrapProgram | null {
  if (!isObject(p)) {
    add([], `must be an object {"name", "from", "to", "pipelines", "budgetLpt", "criteria", "split"}`);
    return null;
  }
  for (const k of Object.keys(p)) if (!PROGRAM_KEYS.includes(k)) add([k], `unknown key (expected ${PROGRAM_KEYS.join(", ")})`);
  const name = typeof p.name === "string" && NAME.test(p.name) ? p.name : null;
  if (name === null) add(["name"], `must be lower-case letters, digits and '-' (up to 64; it is the program's address), got ${show(p.name)}`);
  const label = p.label === undefined ? name : typeof p.label === "string" && p.label.trim() && p.label.length <= 200 ? p.label.trim() : null;
  if (label === null && name !== null) add(["label"], `must be a text of 1 to 200 characters`);
  if (!isDay(p.from)) add(["from"], `must be a UTC day YYYY-MM-DD, got ${show(p.from)}`);
  if (!isDay(p.to)) add(["to"], `must be a UTC day YYYY-MM-DD, got ${show(p.to)}`);
  if (isDay(p.from) && isDay(p.to) && p.from > p.to) add(["to"], `must not be before from (${p.from})`);
  const list = (key: "pipelines" | "models", required: boolean): string[] => {
    const v = p[key] ?? (required ? undefined : []);
    if (!Array.isArray(v) || (required && !v.length) || v.some((x) => typeof x !== "string" || !TEXT.test(x))) {
      add([key], `must be a list of ${key === "pipelines" ? "pipeline names such as \"live-video-to-video\" (at least one)" : "model ids"}, got ${show(p[key])}`);
      return [];
    }
    return [...new Set(v as string[])];
  };
  const pipelines = list("pipelines", true);
  const models = list("models", false);
  let budgetLpt = "";
  if (typeof p.budgetLpt !== "string" || !LPT.test(p.budgetLpt.trim()) || !/[1-9]/.test(p.budgetLpt))
    add(["budgetLpt"], `must be a decimal string of LPT above 0 such as "10000.5" (at most 18 decimals; a JSON number is refused: it may not be exact), got ${show(p.budgetLpt)}`);
  else budgetLpt = p.budgetLpt.trim().replace(/^0+(?=\d)/, "");
  let recipient: string | null = null;
  if (p.recipient !== undefined) {
    if (typeof p.recipient === "string" && ADDRESS.test(p.recipient)) recipient = p.recipient.toLowerCase();
    else add(["recipient"], `must be 0x followed by 40 hex digits, got ${show(p.recipient)}`);
  }
  const split = p.split ?? "equal";
  if (split !== "equal" && split !== "delivered-seconds") add(["split"], `must be "equal" or "delivered-seconds", got ${show(p.split)}`);
  const criteria: Criterion[] = [];
  if (!isObject(p.criteria) || !Object.keys(p.criteria).length) add(["criteria"], `must be an object with at least one of ${CRITERION_NAMES.join(", ")}`);
  else
    for (const [k, v] of Object.entries(p.criteria)) {
      const c = checkCriterion(k, v, pipelines, (path, m) => add(["criteria", k, ...path], m));
      if (c) criteria.push(c);
    }
  if (name === null || label === null || !isDay(p.from) || !isDay(p.to) || !budgetLpt) return null;
  return { name, label, from: p.from, to: p.to, pipelines, models, budgetLpt, recipient, criteria, split: split as SplitRule };
}

const LIVE = "live-video-to-video";

function checkCriterion(key: string, raw: unknown, pipelines: string[], add: Add): Criterion | null {
  if (!(key in CRITERIA)) {
    add([], `unknown criterion (one of ${CRITERION_NAMES.join(", ")})`);
    return null;
  }
  const name = key as CriterionName;
  const spec = CRITERIA[name];
  // Short form: the threshold alone; long form: {"value", "evidence", "minSamples", "regions"}.
  const o: Record<string, unknown> = isObject(raw) ? raw : { value: raw };
  const allowed = ["value", "evidence", ...(name === "maxLatencyVsMedian" ? ["minSamples"] : []), ...(name === "minProbeSuccessPerRegion" ? ["regions", "minSamples"] : [])];
  for (const k of Object.keys(o)) if (!allowed.includes(k)) add([k], `unknown key (expected ${allowed.join(", ")})`);
  const v = o.value;
  const at = isObject(raw) ? ["value"] : [];
  let value: number | string[] | null = null;
  if (spec.kind === "classes") {
    if (Array.isArray(v) && v.length && v.every((x) => typeof x === "string" && TEXT.test(x))) value = v as string[];
    else add(at, `must be a list of GPU classes such as ["RTX 4090", "RTX 5090"], got ${show(v)}`);
  } else if (typeof v !== "number" || !Number.isFinite(v)) add(at, `must be a number, got ${show(v)}`);
  else if (spec.kind === "count" && (!Number.isInteger(v) || v < 1)) add(at, `must be a whole number of at least 1, got ${v}`);
  else if (spec.kind === "fraction" && (v < 0 || v > 1)) add(at, `must be a fraction from 0 to 1 (0.95 for 95%), got ${v}`);
  else if ((spec.kind === "multiple" || spec.kind === "ratio") && (v <= 0 || v > 100)) add(at, `must be above 0 (and at most 100), got ${v}`);
  else value = v;
  const evidence = o.evidence ?? "auto";
  const options: readonly string[] = spec.evidence;
  if (evidence !== "auto" && !options.includes(evidence as string)) {
    add(["evidence"], `must be "auto" or one of ${options.map((x) => `"${x}"`).join(", ")}, got ${show(evidence)}`);
    return null;
  }
  if ((evidence === "events" || (evidence === "auto" && options.length === 1 && options[0] === "events")) && !pipelines.includes(LIVE))
    add(isObject(raw) ? ["evidence"] : [], `gateway events describe live video only: add "${LIVE}" to pipelines or use other evidence`);
  let minSamples = name === "maxLatencyVsMedian" ? 20 : 1;
  if (o.minSamples !== undefined) {
    if (typeof o.minSamples === "number" && Number.isInteger(o.minSamples) && o.minSamples >= 1 && o.minSamples <= 1_000_000) minSamples = o.minSamples;
    else add(["minSamples"], `must be a whole number from 1, got ${show(o.minSamples)}`);
  }
  let regions: string[] | null = null;
  if (o.regions !== undefined) {
    if (Array.isArray(o.regions) && o.regions.length && o.regions.every((r) => typeof r === "string" && /^[A-Za-z0-9_-]{1,32}$/.test(r))) regions = (o.regions as string[]).map((r) => r.toUpperCase());
    else add(["regions"], `must be a list of region ids such as ["FRA", "LAX"], got ${show(o.regions)}`);
  }
  if (value === null) return null;
  return { name, value, evidence: evidence as Evidence | "auto", minSamples, regions };
}
