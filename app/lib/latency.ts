// Latency percentiles and success rates as the pages and the API show them. Pure (no database), so
// loaders, API routes and components share one rule for when a percentile has enough samples.

export type PercentileKey = "p50" | "p95" | "p99";

/**
 * Fewest successful jobs a percentile needs before it is shown: below this the estimate rests on
 * too few jobs (p99 of 50 jobs is just the largest one), so the API gives null and pages show "—".
 */
export const MIN_SAMPLES: Record<PercentileKey, number> = { p50: 1, p95: 20, p99: 100 };

export const PERCENTILES: readonly PercentileKey[] = ["p50", "p95", "p99"];

export interface LatencyMs {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** Hides each percentile whose sample size is below its threshold; rounds to 0.01 ms. */
export function shownLatency(p: { n: number; p50: number | null; p95: number | null; p99: number | null }): LatencyMs {
  const show = (k: PercentileKey) => {
    const v = p[k];
    return v === null || p.n < MIN_SAMPLES[k] ? null : Math.round(v * 100) / 100;
  };
  return { p50: show("p50"), p95: show("p95"), p99: show("p99") };
}

/** Why a percentile is not shown, for a title attribute; null when it is shown. */
export function hiddenReason(k: PercentileKey, n: number): string | null {
  if (n >= MIN_SAMPLES[k]) return null;
  if (n === 0) return "No successful jobs in this selection, so there is no latency.";
  return `${k} is shown from ${MIN_SAMPLES[k]} successful jobs; this selection has ${n}.`;
}

/** "850 ms", "12.35 s" (milliseconds below a second, else seconds with two decimals). */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  if (Math.abs(ms) < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toLocaleString("en", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} s`;
}

/** A 0..1 ratio as "98.7%"; never rounds a failure away (">99.9%") or a success to nothing ("<0.1%"). */
export function formatRate(r: number | null | undefined): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return "—";
  const pct = r * 100;
  const s = pct.toFixed(1);
  if (r < 1 && s === "100.0") return ">99.9%";
  if (r > 0 && s === "0.0") return "<0.1%";
  return `${s}%`;
}
