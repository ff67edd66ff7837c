// One alert's life, evaluation by evaluation (pure): an alert fires once, after its condition has
// held for `for` consecutive evaluations, stays quiet while it holds, and resolves once, when the
// value is back past the clear level (hysteresis). An evaluation without enough data changes
// nothing for a firing alert and breaks a pending streak (docs/decisions/014-alerts.md).
import type { Condition } from "./rules";

export type AlertPhase = "ok" | "pending" | "firing";

export interface AlertState {
  phase: AlertPhase;
  /** Consecutive evaluations the condition has held. */
  streak: number;
  /** When the condition started holding (pending or firing), ISO; null when ok. */
  since: string | null;
}

export const OK_STATE: AlertState = { phase: "ok", streak: 0, since: null };

/** The evaluation's reading: the value and the threshold it is compared with, or null without enough data. */
export interface Reading {
  value: number;
  /** The threshold in the value's unit (aboveMedianTimes: k x the network median). */
  threshold: number;
  /** The clear level in the value's unit. */
  clear: number;
}

/** Whether a reading crosses the threshold (fires) and whether it is back past the clear level (resolves). */
export function compare(kind: Condition["kind"], r: Reading): { triggered: boolean; cleared: boolean } {
  if (kind === "below") return { triggered: r.value < r.threshold, cleared: r.value >= r.clear };
  return { triggered: r.value > r.threshold, cleared: r.value <= r.clear };
}

/** The threshold and clear level of a condition in the value's unit (aboveMedianTimes needs the median). */
export function levels(c: Condition, median: number | null): { threshold: number; clear: number } | null {
  if (c.kind !== "aboveMedianTimes") return { threshold: c.value, clear: c.clear };
  if (median === null || !(median > 0)) return null;
  return { threshold: c.value * median, clear: c.clear * median };
}

export interface Step {
  next: AlertState;
  /** A notification to send: the alert started firing, or resolved. */
  event: "firing" | "resolved" | null;
}

export function step(prev: AlertState, kind: Condition["kind"], reading: Reading | null, forCount: number, nowIso: string): Step {
  if (reading === null) {
    if (prev.phase === "firing") return { next: prev, event: null };
    return { next: OK_STATE, event: null };
  }
  const { triggered, cleared } = compare(kind, reading);
  if (prev.phase === "firing") {
    if (cleared) return { next: OK_STATE, event: "resolved" };
    return { next: { ...prev, streak: prev.streak + 1 }, event: null };
  }
  if (!triggered) return { next: OK_STATE, event: null };
  const streak = prev.streak + 1;
  const since = prev.since ?? nowIso;
  if (streak >= forCount) return { next: { phase: "firing", streak, since }, event: "firing" };
  return { next: { phase: "pending", streak, since }, event: null };
}
