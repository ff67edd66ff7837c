import { describe, expect, it } from "vitest";
import { compare, levels, OK_STATE, step, type AlertState } from "./machine";

const r = (value: number, threshold = 100, clear = threshold) => ({ value, threshold, clear });

/** Runs readings through the machine and returns the events, in order, with the last state. */
function run(kind: "above" | "below", readings: (number | null)[], forCount = 1, clear?: number) {
  let s: AlertState = OK_STATE;
  const events: string[] = [];
  readings.forEach((v, i) => {
    const out = step(s, kind, v === null ? null : r(v, 100, clear ?? 100), forCount, `2026-12-01T00:0${i}:00.000Z`);
    if (out.event) events.push(`${i}:${out.event}`);
    s = out.next;
  });
  return { events, state: s };
}

describe("alert state machine", () => {
  it("fires once when the condition starts, stays quiet while it holds, resolves once", () => {
    expect(run("above", [50, 150, 160, 170, 90, 80, 120]).events).toEqual(["1:firing", "4:resolved", "6:firing"]);
  });
  it("the edge itself does not fire (strictly above / below)", () => {
    expect(run("above", [100, 100.0001]).events).toEqual(["1:firing"]);
    expect(run("below", [100, 99.9999, 100]).events).toEqual(["1:firing", "2:resolved"]);
  });
  it("`for` consecutive evaluations before firing; a break resets the streak", () => {
    expect(run("above", [150, 150, 50, 150, 150, 150], 3).events).toEqual(["5:firing"]);
    const { state } = run("above", [150, 150], 3);
    expect(state).toEqual({ phase: "pending", streak: 2, since: "2026-12-01T00:00:00.000Z" });
    // since is when the condition started holding, not when it fired
    expect(run("above", [150, 150, 150], 3).state.since).toBe("2026-12-01T00:00:00.000Z");
  });
  it("hysteresis: resolves only once back past the clear level", () => {
    expect(run("above", [50, 150, 95, 85, 81, 80, 79], 1, 80).events).toEqual(["1:firing", "5:resolved"]);
    expect(compare("below", r(95, 90, 95))).toEqual({ triggered: false, cleared: true });
    expect(compare("below", r(94.9, 90, 95))).toEqual({ triggered: false, cleared: false });
  });
  it("no data: a firing alert stays firing, a pending one starts over", () => {
    expect(run("above", [150, null, null, 150, 50]).events).toEqual(["0:firing", "4:resolved"]);
    expect(run("above", [150, null, 150], 2).events).toEqual([]);
  });
  it("aboveMedianTimes: k x the median, nothing without a median", () => {
    expect(levels({ kind: "aboveMedianTimes", value: 2, clear: 1.5 }, 1200)).toEqual({ threshold: 2400, clear: 1800 });
    expect(levels({ kind: "aboveMedianTimes", value: 2, clear: 2 }, null)).toBeNull();
    expect(levels({ kind: "below", value: 0.9, clear: 0.95 }, null)).toEqual({ threshold: 0.9, clear: 0.95 });
  });
});
