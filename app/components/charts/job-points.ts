// Job rows to chart points, written once for every page that draws them: jobs per pipeline and
// model (/pipelines, /embed/pipelines, reports) and latency percentiles per period (an
// orchestrator's page and /embed/orchestrator-latency).
import { formatInt } from "~/lib/format";
import { formatMs, formatRate, PERCENTILES, type LatencyMs } from "~/lib/latency";
import type { SeriesDatum, SeriesSpec } from "./series";

/** Succeeded and failed jobs, stacked. */
export const SUCCEEDED_FAILED: SeriesSpec[] = [
  { key: "ok", name: "Succeeded", color: "var(--series-succeeded)" },
  { key: "failed", name: "Failed", color: "var(--series-failed)" },
];

/** p50, p95 and p99 lines. */
export const PERCENTILE_SERIES: SeriesSpec[] = [
  { key: "p50", name: "p50", color: "var(--series-p50)" },
  { key: "p95", name: "p95", color: "var(--series-p95)" },
  { key: "p99", name: "p99", color: "var(--series-p99)" },
];

/**
 * Jobs per pipeline and model, succeeded and failed (SUCCEEDED_FAILED). Categories are "pipeline ·
 * model", which CategoryStackedBars draws on two lines; the model is its last path segment when that
 * stays unambiguous. `label` (the tick's title and the tooltip's heading) has the full id.
 */
export function pipelinePoints(rows: { pipeline: string; modelId: string; jobs: number; successes: number; successRate: number | null }[]): SeriesDatum[] {
  const short = (r: (typeof rows)[number]) => `${r.pipeline} · ${r.modelId.split("/").pop()}`;
  const unique = new Set(rows.map(short)).size === rows.length;
  return rows.map((r) => ({
    period: unique ? short(r) : `${r.pipeline} · ${r.modelId}`,
    label: `${r.pipeline} · ${r.modelId}`,
    values: { ok: r.successes, failed: r.jobs - r.successes },
    texts: { ok: `${formatInt(r.successes)} (${formatRate(r.successRate)})`, failed: formatInt(r.jobs - r.successes) },
  }));
}

/** Latency percentiles per period (PERCENTILE_SERIES); each tooltip says how many jobs are behind it. */
export function percentilePoints(series: { period: string; latencyMs: LatencyMs; latencySamples: number }[]): SeriesDatum[] {
  return series.map((s) => ({
    period: s.period,
    values: { p50: s.latencyMs.p50, p95: s.latencyMs.p95, p99: s.latencyMs.p99 },
    texts: Object.fromEntries(PERCENTILES.map((k) => [k, s.latencyMs[k] === null ? `— (n = ${s.latencySamples})` : `${formatMs(s.latencyMs[k])} (n = ${s.latencySamples})`])),
  }));
}
