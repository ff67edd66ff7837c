// The latency bucket layout: every duration has a bucket, each bucket narrower than 1% of its
// smallest value (the guarantee behind p50/p95/p99 within 1%, docs/decisions/008), and no
// percentile from an empty histogram. On random samples and on real jobs against Postgres
// percentile_cont: tests/joblogs-percentiles.test.ts.
import { describe, expect, it } from "vitest";
import { bucketRange, LATENCY_BUCKETS, latencyBucket, MAX_DURATION_MS, percentilesFromHistogram } from "./latency-histogram";

describe("latency bucket layout", () => {
  it("covers every duration, with each bucket narrower than 1% of its smallest value", () => {
    let next = 0;
    for (let b = 0; b < LATENCY_BUCKETS; b++) {
      const [min, max] = bucketRange(b);
      expect(min).toBe(next);
      expect(max >= min).toBe(true);
      // (max - min) is the worst error inside the bucket; it must stay below 1% of min
      if (max > min) expect(max - min).toBeLessThan(min / 100);
      next = max + 1;
    }
    expect(next).toBeGreaterThan(MAX_DURATION_MS);
    expect(LATENCY_BUCKETS).toBeLessThan(32_767); // fits a smallint
    for (const ms of [0, 1, 199, 200, 201, 12_345, 1_000_000, MAX_DURATION_MS]) {
      const [min, max] = bucketRange(latencyBucket(ms));
      expect(ms >= min && ms <= max).toBe(true);
    }
  });

  it("says nothing rather than something for an empty histogram", () => {
    expect(percentilesFromHistogram(new Map())).toEqual({ n: 0, p50: null, p95: null, p99: null });
  });
});
