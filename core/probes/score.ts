// The official AI score of the leaderboard API (livepeer/leaderboard-serverless score/stats_scorer.go,
// postgres/postgres.go), reproduced operation for operation so that the same probes give the same
// figures: per orchestrator and region, success = mean of the probes' success_rate and avgRTT = mean
// of their round_trip_time (failed probes included); median = percentile_cont(0.5) of round_trip_time
// over every orchestrator's probes with success_rate = 1 and round_trip_time <> 0 under the same
// filters (region, pipeline, model, window); k = -ln(0.8) / median; round_trip_score = exp(-k avgRTT);
// score = 0.65 success + 0.35 round_trip_score, and 0 when success is 0. A NULL median is 0 to the
// API (so k is +Inf): an avgRTT of 0 then gives NaN, which the API cannot encode (HTTP 500); callers
// here turn NaN into null. The explorer's GLOBAL is the mean over regions. Pure.

export const DESIRED_SCORE_AT_MEDIAN = 0.8;
export const WEIGHT_SUCCESS = 0.65;
export const WEIGHT_RTT = 0.35;

export interface OfficialScore {
  successRate: number;
  roundTripScore: number;
  score: number;
}

/**
 * The Go scorer's arithmetic: `k := -math.Log(0.8) / medianRTT; math.Exp(-k * rtt)`, then
 * `0.65*success + 0.35*rttScore` unless success == 0. `median` null is the API's NULL -> 0.
 */
export function officialScore(successRate: number, avgRoundTripS: number, median: number | null): OfficialScore {
  const k = -Math.log(DESIRED_SCORE_AT_MEDIAN) / (median ?? 0);
  const roundTripScore = Math.exp(-k * avgRoundTripS);
  const score = successRate === 0 ? 0 : WEIGHT_SUCCESS * successRate + WEIGHT_RTT * roundTripScore;
  return { successRate, roundTripScore, score };
}

/** `percentile_cont(0.5)` of the values (any order): the mean of the middle two of an even count; null when empty. */
export function medianCont(values: readonly number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  // percentile_cont: rank (n - 1) * 0.5, interpolated between its floor and ceiling.
  const rank = (n - 1) * 0.5;
  const lo = Math.floor(rank);
  const f = rank - lo;
  return f === 0 ? s[lo] : s[lo] + f * (s[lo + 1] - s[lo]);
}

/** The mean of finite values; null when there is none or any is not finite (a NaN stays visible as null). */
export function meanOf(values: readonly number[]): number | null {
  if (!values.length || values.some((v) => !Number.isFinite(v))) return null;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** A figure for JSON: NaN and infinities (which the API cannot encode either) become null. */
export const finiteOrNull = (v: number | null | undefined): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : v);
