// Orchestrator bootstrapping (issue 14 part 3): who is eligible under a program's criteria, why not,
// and how its LPT budget is split among the eligible. Pure: the figures are measured elsewhere
// (app/lib/bootstrap.server.ts) and handed here per orchestrator. Money is bigint wei (LPT has 18
// decimals) and decimal strings; it never passes through a JS number. The split sums exactly to the
// budget: floor shares, then the remaining wei one each by largest remainder, ties by address
// (docs/decisions/018-bootstrapping-programs.md).
import { gpuIdentity } from "../cost/gpu-names";
import { medianCont } from "../probes/score";
import { weiToEth } from "../units";
import { lptToWei } from "./treasury";
import { CRITERIA, type BootstrapProgram, type Criterion, type CriterionName, type Evidence } from "./bootstrap-file";

/** One criterion's figure for one orchestrator. */
export interface Measure {
  /** The figure (gpuClasses: the classes of its GPUs); null: no evidence for this orchestrator. */
  value: number | string[] | null;
  samples: number | null;
  /** The figure in words (e.g. the p95 and the median it was divided by). */
  detail: string | null;
}

export interface OrchestratorEvidence {
  address: string;
  measures: Partial<Record<CriterionName, Measure>>;
  /** Seconds of video delivered in the window (decimal string), for the pro rata split. */
  deliveredSeconds: string;
}

export interface MetricResult {
  value: number | string[] | null;
  threshold: number | string[];
  /** "min" or "max" (gpuClasses: "in"). */
  test: "min" | "max" | "in";
  evidence: Evidence | null;
  samples: number | null;
  detail: string | null;
  pass: boolean;
}

export interface BootstrapRow {
  address: string;
  eligible: boolean;
  reasons: string[];
  metrics: Partial<Record<CriterionName, MetricResult>> & { deliveredSeconds: string };
  grantLpt: string;
}

export interface BootstrapTotals {
  orchestrators: number;
  eligible: number;
  budgetLpt: string;
  allocatedLpt: string;
  unallocatedLpt: string;
  /** Delivered seconds of the eligible orchestrators (the pro rata split's denominator). */
  eligibleDeliveredSeconds: string;
  split: BootstrapProgram["split"];
  /** The evidence each criterion used (null: none of its sources has data for the program). */
  evidence: Partial<Record<CriterionName, Evidence | null>>;
  /** Why part of the budget is not allocated, when it is not. */
  note: string | null;
}

export const EVIDENCE_LABEL: Record<Evidence, string> = {
  events: "gateway events (live sessions)",
  joblogs: "gateway job logs",
  probes: "public probes",
  capabilities: "advertised capabilities",
};

/** Figures are compared and shown at 9 decimals, so sums of floats read on any database agree. */
export const round9 = (x: number) => Math.round(x * 1e9) / 1e9;

const show = (v: number | string[]) => (Array.isArray(v) ? v.join(", ") : String(v));

/** Does an orchestrator's measure meet the criterion? */
function judge(c: Criterion, m: Measure | undefined, evidence: Evidence | null): { result: MetricResult; reason: string | null } {
  const spec = CRITERIA[c.name];
  const test: MetricResult["test"] = spec.kind === "classes" ? "in" : c.name.startsWith("max") ? "max" : "min";
  const value = m?.value === null || m?.value === undefined ? null : typeof m.value === "number" ? round9(m.value) : m.value;
  const base = { threshold: c.value, test, evidence, samples: m?.samples ?? null, detail: m?.detail ?? null };
  if (evidence === null) return { result: { ...base, value: null, pass: false }, reason: `${spec.label}: no evidence (none of ${spec.evidence.map((e) => EVIDENCE_LABEL[e]).join(", ")} has data for this program)` };
  if (value === null) return { result: { ...base, value: null, pass: false }, reason: `${spec.label}: no evidence for this orchestrator in ${EVIDENCE_LABEL[evidence]}${m?.detail ? ` (${m.detail})` : ""}` };
  let pass: boolean;
  let reason: string | null = null;
  if (test === "in") {
    const outside = notInClasses(value as string[], c.value as string[]);
    pass = (value as string[]).length > 0 && outside.length === 0;
    if (!pass) reason = (value as string[]).length ? `${spec.label}: ${outside.join(", ")} not among ${show(c.value)}` : `${spec.label}: no GPU advertised`;
  } else if (test === "min") {
    pass = (value as number) >= (c.value as number);
    if (!pass) reason = `${spec.label} ${value} below the minimum ${c.value} (${EVIDENCE_LABEL[evidence]})`;
  } else {
    pass = (value as number) <= (c.value as number);
    if (!pass) reason = `${spec.label} ${value} above the maximum ${c.value} (${EVIDENCE_LABEL[evidence]}${m?.detail ? `: ${m.detail}` : ""})`;
  }
  return { result: { ...base, value, pass }, reason };
}

/** GPU classes compare by the catalogue key of their names (core/cost/gpu-names.ts), else by the name itself. */
export const gpuClassOf = (name: string) => {
  const id = gpuIdentity(name);
  return { key: id.key ?? name.trim().toLowerCase(), label: id.label };
};

/** The classes among `have` that are not in `accepted`. */
export function notInClasses(have: readonly string[], accepted: readonly string[]): string[] {
  const ok = new Set(accepted.map((a) => gpuClassOf(a).key));
  return have.filter((h) => !ok.has(gpuClassOf(h).key));
}

/**
 * Each orchestrator's worst p95 over the network median of the same pipeline and model: the median
 * (percentile_cont) of the p95s of the orchestrators with at least `minSamples` samples of that pair.
 * Pairs where it has fewer samples do not count; no pair with enough: no figure.
 */
export function latencyRatios(
  pairs: Map<string, { address: string; p95: number | null; samples: number }[]>,
  minSamples: number,
  unit: string,
): Map<string, Measure> {
  const out = new Map<string, Measure>();
  for (const [pair, rows] of pairs) {
    const ok = rows.filter((r) => r.p95 !== null && r.samples >= minSamples);
    const median = medianCont(ok.map((r) => r.p95 as number));
    for (const r of rows) if (!out.has(r.address) && !ok.includes(r)) out.set(r.address, { value: null, samples: r.samples, detail: `${r.samples} of ${minSamples} samples needed, ${pair}` });
    if (median === null || median <= 0) continue;
    for (const r of ok) {
      const ratio = (r.p95 as number) / median;
      const prev = out.get(r.address);
      if (prev && typeof prev.value === "number" && prev.value >= ratio) continue;
      out.set(r.address, { value: ratio, samples: r.samples, detail: `p95 ${round9(r.p95 as number)} ${unit} against the network median ${round9(median)} ${unit}, ${pair}` });
    }
  }
  return out;
}

/** A non-negative decimal string as an integer at `scale` decimals. */
function scaled(d: string, scale: number): bigint {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(d.trim());
  if (!m) throw new TypeError(`not a non-negative decimal: ${JSON.stringify(d)}`);
  return BigInt(m[1] + (m[2] ?? "").padEnd(scale, "0").slice(0, scale));
}

/**
 * Splits `budgetWei` among `shares` pro rata to their weights (decimal strings, exact): each gets the
 * floor of its share, then the wei left over go one each to the largest remainders, ties to the lower
 * address. The result sums to the budget exactly unless every weight is zero (then nothing is given).
 */
export function splitBudget(budgetWei: bigint, shares: readonly { address: string; weight: string }[]): Map<string, bigint> {
  const scale = Math.max(0, ...shares.map((s) => (s.weight.split(".")[1] ?? "").length));
  const w = shares.map((s) => ({ address: s.address, w: scaled(s.weight, scale) }));
  const total = w.reduce((a, x) => a + x.w, 0n);
  const out = new Map<string, bigint>(w.map((x) => [x.address, 0n]));
  if (total === 0n) return out;
  let given = 0n;
  const rems = w.map((x) => {
    const base = (budgetWei * x.w) / total;
    given += base;
    out.set(x.address, base);
    return { address: x.address, rem: (budgetWei * x.w) % total };
  });
  rems.sort((a, b) => (a.rem > b.rem ? -1 : a.rem < b.rem ? 1 : a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  for (let left = budgetWei - given, i = 0; left > 0n; left--, i++) out.set(rems[i].address, out.get(rems[i].address)! + 1n);
  return out;
}

/** Exact sum of non-negative decimal strings. */
export const sumDecimals = (xs: readonly string[]) => {
  const scale = Math.max(0, ...xs.map((x) => (x.split(".")[1] ?? "").length));
  const sum = xs.reduce((a, x) => a + scaled(x, scale), 0n).toString().padStart(scale + 1, "0");
  const s = scale ? `${sum.slice(0, -scale)}.${sum.slice(-scale)}`.replace(/\.?0+$/, "") : sum;
  return s || "0";
};

/** Every orchestrator's criteria, eligibility with its reasons, and its grant. Same input, same output. */
export function evaluateProgram(
  program: BootstrapProgram,
  evidence: Partial<Record<CriterionName, Evidence | null>>,
  orchestrators: readonly OrchestratorEvidence[],
): { rows: BootstrapRow[]; totals: BootstrapTotals } {
  const judged = [...orchestrators]
    .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0))
    .map((o) => {
      const metrics: BootstrapRow["metrics"] = { deliveredSeconds: o.deliveredSeconds };
      const reasons: string[] = [];
      for (const c of program.criteria) {
        const { result, reason } = judge(c, o.measures[c.name], evidence[c.name] ?? null);
        metrics[c.name] = result;
        if (reason) reasons.push(reason);
      }
      return { address: o.address, eligible: reasons.length === 0, reasons, metrics };
    });
  const eligible = judged.filter((r) => r.eligible);
  const budgetWei = lptToWei(program.budgetLpt);
  const weights = eligible.map((r) => ({ address: r.address, weight: program.split === "equal" ? "1" : r.metrics.deliveredSeconds }));
  const grants = splitBudget(budgetWei, weights);
  const allocated = [...grants.values()].reduce((a, x) => a + x, 0n);
  const eligibleSeconds = sumDecimals(eligible.map((r) => r.metrics.deliveredSeconds));
  const rows: BootstrapRow[] = judged
    .map((r) => ({ ...r, grantLpt: weiToEth(grants.get(r.address) ?? 0n) }))
    .sort((a, b) => {
      const ga = grants.get(a.address) ?? 0n;
      const gb = grants.get(b.address) ?? 0n;
      return Number(b.eligible) - Number(a.eligible) || (ga > gb ? -1 : ga < gb ? 1 : 0) || (a.address < b.address ? -1 : 1);
    });
  const note = !eligible.length
    ? "no orchestrator is eligible: nothing is allocated"
    : allocated === 0n
      ? "the eligible orchestrators delivered no seconds of video: nothing is allocated pro rata"
      : null;
  return {
    rows,
    totals: {
      orchestrators: rows.length,
      eligible: eligible.length,
      budgetLpt: weiToEth(budgetWei),
      allocatedLpt: weiToEth(allocated),
      unallocatedLpt: weiToEth(budgetWei - allocated),
      eligibleDeliveredSeconds: eligibleSeconds,
      split: program.split,
      evidence,
      note,
    },
  };
}
