// How a bootstrapping program's criteria and figures read in words, shared by /programs and
// /programs/<name>. Pure formatting.
import type { Criterion } from "../../../core/programs/bootstrap-file";
import type { MetricResult } from "../../../core/programs/bootstrap";

const EVIDENCE: Record<string, string> = {
  events: "gateway events",
  joblogs: "job logs",
  probes: "public probes",
  capabilities: "advertised capabilities",
  auto: "whichever exists",
};

export const CRITERION_LABEL: Record<Criterion["name"], string> = {
  minServed: "Served",
  minSuccessRate: "Success rate",
  maxLatencyVsMedian: "p95 / network median",
  minProbeSuccessPerRegion: "Probe success, worst region",
  minFpsRatio: "Frame-rate ratio",
  gpuClasses: "GPU classes",
};

const pct = (v: number) => `${Math.round(v * 10_000) / 100}%`;

/** A criterion as the program states it. */
export function criterionText(c: Criterion): string {
  const ev = ` (${EVIDENCE[c.evidence]})`;
  switch (c.name) {
    case "minServed":
      return `at least ${c.value} sessions or jobs served${ev}`;
    case "minSuccessRate":
      return `success rate at least ${pct(c.value as number)}${ev}`;
    case "maxLatencyVsMedian":
      return `p95 startup or latency at most ${c.value} x the network median, from ${c.minSamples} samples${ev}`;
    case "minProbeSuccessPerRegion":
      return `probe success at least ${pct(c.value as number)} in ${c.regions ? c.regions.join(", ") : "every region probed"}${ev}`;
    case "minFpsRatio":
      return `median delivered / input frame rate at least ${c.value}${ev}`;
    case "gpuClasses":
      return `every GPU advertised for the program is one of ${(c.value as string[]).join(", ")}${ev}`;
  }
}

/** A measured figure as a cell shows it. */
export function figureText(name: Criterion["name"], m: MetricResult): string {
  if (m.value === null) return "no evidence";
  if (Array.isArray(m.value)) return m.value.join(", ") || "none";
  if (name === "minSuccessRate" || name === "minProbeSuccessPerRegion") return pct(m.value);
  if (name === "maxLatencyVsMedian") return `${Math.round(m.value * 100) / 100}x`;
  return String(m.value);
}

export function thresholdText(name: Criterion["name"], m: MetricResult): string {
  if (Array.isArray(m.threshold)) return `in ${m.threshold.join(", ")}`;
  const t = name === "minSuccessRate" || name === "minProbeSuccessPerRegion" ? pct(m.threshold) : name === "maxLatencyVsMedian" ? `${m.threshold}x` : String(m.threshold);
  return `${m.test === "max" ? "≤" : "≥"} ${t}`;
}

export const evidenceText = (e: string | null) => (e === null ? "none has data" : (EVIDENCE[e] ?? e));
