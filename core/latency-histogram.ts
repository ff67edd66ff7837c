// Latency histograms: the bucket layout the rollups store and the percentile estimate pages show.
// Pure (no imports), so the dashboard, the indexer and the tests share one definition.
// Why this layout keeps p50/p95/p99 within 1% of Postgres `percentile_cont`: docs/decisions/008.

/** Largest duration the jobs table stores (int4). */
export const MAX_DURATION_MS = 2_147_483_647;

/**
 * Bucket b holds the integer durations [lower(b), lower(b) + width(b) - 1] where
 * lower(0) = 0 and width(b) = max(1, floor(lower(b) / 100)). Every integer below 200 ms has its
 * own bucket; above that each bucket is at most 1% of its lower bound wide (growth factor 1.01).
 * Pure integer arithmetic, so JS and SQL can never disagree about a boundary.
 */
const LOWER: number[] = (() => {
  const lower = [0];
  for (let b = 0; lower[b] <= MAX_DURATION_MS; b++) lower.push(lower[b] + Math.max(1, Math.floor(lower[b] / 100)));
  return lower;
})();

/** Number of buckets (about 1,830): bucket indexes fit a smallint. */
export const LATENCY_BUCKETS = LOWER.length - 1;

/** Rollups store buckets in chunks of 64 consecutive counts: one row per chunk, not per bucket. */
export const LATENCY_CHUNK = 64;

/** Bucket of a duration in integer milliseconds (0 <= ms <= MAX_DURATION_MS). */
export function latencyBucket(ms: number): number {
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_DURATION_MS) throw new RangeError(`duration out of range: ${ms}`);
  let lo = 0;
  let hi = LATENCY_BUCKETS - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (LOWER[mid] <= ms) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Smallest and largest integer duration in bucket b. */
export function bucketRange(b: number): [number, number] {
  if (!Number.isInteger(b) || b < 0 || b >= LATENCY_BUCKETS) throw new RangeError(`no such latency bucket: ${b}`);
  return [LOWER[b], LOWER[b + 1] - 1];
}

/** Counts per bucket (sparse). */
export type LatencyHistogram = Map<number, number>;

/** Adds a rollup chunk row (`chunk`, 32 counts) into a histogram. */
export function addChunk(h: LatencyHistogram, chunk: number, counts: readonly (number | null)[]): void {
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (c) {
      const b = chunk * LATENCY_CHUNK + i;
      h.set(b, (h.get(b) ?? 0) + c);
    }
  }
}

export function histogramOf(durationsMs: Iterable<number>): LatencyHistogram {
  const h: LatencyHistogram = new Map();
  for (const ms of durationsMs) {
    const b = latencyBucket(ms);
    h.set(b, (h.get(b) ?? 0) + 1);
  }
  return h;
}

export interface Percentiles {
  /** Sample size: successful jobs in the histogram. */
  n: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/**
 * p50/p95/p99 as `percentile_cont` defines them (linear interpolation between the order statistics
 * at rank (n-1)p), with each order statistic estimated inside its bucket: the c values of a bucket
 * are taken as spread evenly over its range. Each estimate stays in the same bucket as the true
 * value, so the error is below the bucket's width, which is below 1% of the value. null when n = 0.
 */
export function percentilesFromHistogram(h: LatencyHistogram): Percentiles {
  const [p50, p95, p99] = quantilesFromHistogram(h, [0.5, 0.95, 0.99]);
  let n = 0;
  for (const c of h.values()) n += c;
  return { n, p50, p95, p99 };
}

export function quantilesFromHistogram(h: LatencyHistogram, qs: readonly number[]): (number | null)[] {
  const buckets = [...h.entries()].filter(([, c]) => c > 0).sort((a, b) => a[0] - b[0]);
  const n = buckets.reduce((s, [, c]) => s + c, 0);
  if (n === 0) return qs.map(() => null);
  // cumulative[i] = number of values in buckets before i
  const cumulative: number[] = [];
  let acc = 0;
  for (const [, c] of buckets) {
    cumulative.push(acc);
    acc += c;
  }
  const orderStatistic = (j: number): number => {
    let lo = 0;
    let hi = buckets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (cumulative[mid] <= j) lo = mid;
      else hi = mid - 1;
    }
    const [b, c] = buckets[lo];
    const [min, max] = bucketRange(b);
    return min + ((max - min) * (j - cumulative[lo] + 0.5)) / c;
  };
  return qs.map((q) => {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${q}`);
    const rank = (n - 1) * q;
    const k = Math.floor(rank);
    const f = rank - k;
    const xk = orderStatistic(k);
    return f === 0 ? xk : xk + f * (orderStatistic(k + 1) - xk);
  });
}

/**
 * Nearest-rank quantile of a histogram of hundredths (value x 100 -> count), e.g. the live frame-rate
 * ratio's status samples (as /live computes it); null when empty. Alerts and bootstrapping programs read it.
 */
export function centiQuantile(h: Map<number, number>, q: number): number | null {
  const sorted = [...h].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((n, [, c]) => n + c, 0);
  if (!total) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const [centi, c] of sorted) if ((seen += c) >= rank) return centi / 100;
  return sorted[sorted.length - 1][0] / 100;
}
