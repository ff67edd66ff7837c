import { describe, expect, it } from "vitest";
import { evaluateProgram, latencyRatios, splitBudget, type OrchestratorEvidence } from "./bootstrap";
import { parseProgramsFile, type BootstrapProgram } from "./bootstrap-file";
import { lptToWei } from "./treasury";

const A = "0x" + "a".repeat(40);
const B = "0x" + "b".repeat(40);
const C = "0x" + "c".repeat(40);

function program(over: Record<string, unknown> = {}, criteria: Record<string, unknown> = { minServed: 10, minSuccessRate: 0.9 }): BootstrapProgram {
  const { programs, problems } = parseProgramsFile(
    JSON.stringify({ programs: [{ name: "p", from: "2026-05-01", to: "2026-05-31", pipelines: ["live-video-to-video"], budgetLpt: "100", criteria, ...over }] }),
  );
  expect(problems).toEqual([]);
  return programs[0];
}

const orch = (address: string, served: number | null, success: number | null, seconds = "0"): OrchestratorEvidence => ({
  address,
  measures: { minServed: { value: served, samples: served, detail: null }, minSuccessRate: { value: success, samples: served, detail: null } },
  deliveredSeconds: seconds,
});

describe("eligibility at the edges", () => {
  const evidence = { minServed: "events", minSuccessRate: "events" } as const;
  it("exactly at the threshold passes, one below fails, no evidence fails with the reason", () => {
    const { rows } = evaluateProgram(program(), evidence, [orch(A, 10, 0.9), orch(B, 9, 0.9), orch(C, null, null)]);
    const by = Object.fromEntries(rows.map((r) => [r.address, r]));
    expect(by[A].eligible).toBe(true);
    expect(by[A].reasons).toEqual([]);
    expect(by[B].eligible).toBe(false);
    expect(by[B].reasons).toEqual(["sessions or jobs served 9 below the minimum 10 (gateway events (live sessions))"]);
    expect(by[C].eligible).toBe(false);
    expect(by[C].reasons).toHaveLength(2);
    expect(by[C].reasons[0]).toMatch(/no evidence for this orchestrator/);
    expect(by[C].metrics.minServed).toMatchObject({ value: null, threshold: 10, test: "min", evidence: "events", pass: false });
  });
  it("a success rate one job short of the threshold fails (9/10 vs 0.9 passes, 8/9 fails)", () => {
    const { rows } = evaluateProgram(program(), evidence, [orch(A, 10, 9 / 10), orch(B, 10, 8 / 9)]);
    expect(rows.find((r) => r.address === A)!.eligible).toBe(true);
    expect(rows.find((r) => r.address === B)!.reasons[0]).toMatch(/success rate 0.888888889 below the minimum 0.9/);
  });
  it("a criterion whose sources have no data at all fails everyone, saying so", () => {
    const { rows, totals } = evaluateProgram(program(), { minServed: "events", minSuccessRate: null }, [orch(A, 10, 1)]);
    expect(rows[0].eligible).toBe(false);
    expect(rows[0].reasons[0]).toMatch(/no evidence \(none of gateway events/);
    expect(totals.note).toMatch(/no orchestrator is eligible/);
    expect(totals.unallocatedLpt).toBe("100");
  });
  it("a maximum passes at the threshold and fails just above", () => {
    const p = program({}, { maxLatencyVsMedian: 2 });
    const m = (a: string, v: number) => ({ address: a, measures: { maxLatencyVsMedian: { value: v, samples: 20, detail: null } }, deliveredSeconds: "1" });
    const { rows } = evaluateProgram(p, { maxLatencyVsMedian: "joblogs" }, [m(A, 2), m(B, 2.000000001)]);
    expect(rows.find((r) => r.address === A)!.eligible).toBe(true);
    expect(rows.find((r) => r.address === B)!.reasons[0]).toMatch(/above the maximum 2/);
  });
  it("GPU classes: every advertised GPU must be of an accepted class, by catalogue key", () => {
    const p = program({}, { gpuClasses: ["RTX 4090", "RTX 5090"] });
    const g = (a: string, v: string[]) => ({ address: a, measures: { gpuClasses: { value: v, samples: v.length, detail: null } }, deliveredSeconds: "1" });
    const { rows } = evaluateProgram(p, { gpuClasses: "capabilities" }, [g(A, ["NVIDIA GeForce RTX 4090"]), g(B, ["NVIDIA GeForce RTX 4090", "NVIDIA GeForce RTX 3060"]), g(C, [])]);
    const by = Object.fromEntries(rows.map((r) => [r.address, r]));
    expect(by[A].eligible).toBe(true);
    expect(by[B].reasons[0]).toMatch(/RTX 3060 not among/);
    expect(by[C].reasons[0]).toMatch(/no GPU advertised/);
  });
});

describe("the split", () => {
  it("sums exactly to the budget, remainder by largest remainder then address", () => {
    const budget = lptToWei("100");
    const g = splitBudget(budget, [{ address: B, weight: "1" }, { address: A, weight: "1" }, { address: C, weight: "1" }]);
    expect([...g.values()].reduce((a, x) => a + x, 0n)).toBe(budget);
    // 100e18 / 3 = 33.333...e18 with 1 wei left: the lowest address gets it
    expect(g.get(A)).toBe(33_333_333_333_333_333_334n);
    expect(g.get(B)).toBe(33_333_333_333_333_333_333n);
    expect(g.get(C)).toBe(33_333_333_333_333_333_333n);
  });
  it("pro rata to decimal seconds, exact, for awkward budgets and many shares", () => {
    const budget = lptToWei("12345.678901234567890123");
    const shares = Array.from({ length: 37 }, (_, i) => ({ address: "0x" + i.toString(16).padStart(40, "0"), weight: `${(i * 7919) % 1000}.${i % 7}3` }));
    const g = splitBudget(budget, shares);
    expect([...g.values()].reduce((a, x) => a + x, 0n)).toBe(budget);
    // each share is within one wei of its exact value
    const scale = 10n ** 2n;
    const w = shares.map((s) => BigInt(s.weight.replace(".", "")));
    const total = w.reduce((a, x) => a + x, 0n);
    shares.forEach((s, i) => {
      const exact = budget * w[i];
      const got = g.get(s.address)! * total;
      expect(got - exact < total && exact - got < total).toBe(true);
    });
    expect(scale).toBe(100n);
  });
  it("largest remainder wins the leftover wei before the address order does", () => {
    const g = splitBudget(10n, [{ address: A, weight: "1" }, { address: B, weight: "2" }]);
    // 10 x 1/3 = 3.33, 10 x 2/3 = 6.67: the one wei left goes to B (remainder 2 of 3)
    expect(g.get(A)).toBe(3n);
    expect(g.get(B)).toBe(7n);
  });
  it("zero weights give nothing; an eligible orchestrator without seconds gets nothing pro rata", () => {
    const p = program({ split: "delivered-seconds" });
    const ev = { minServed: "events", minSuccessRate: "events" } as const;
    const { rows, totals } = evaluateProgram(p, ev, [orch(A, 10, 1, "150.5"), orch(B, 10, 1, "0"), orch(C, 10, 1, "49.5")]);
    const by = Object.fromEntries(rows.map((r) => [r.address, r.grantLpt]));
    expect(by).toEqual({ [A]: "75.25", [B]: "0", [C]: "24.75" });
    expect(totals).toMatchObject({ eligible: 3, allocatedLpt: "100", unallocatedLpt: "0", eligibleDeliveredSeconds: "200", note: null });
    const none = evaluateProgram(p, ev, [orch(A, 10, 1, "0")]);
    expect(none.totals).toMatchObject({ allocatedLpt: "0", unallocatedLpt: "100" });
    expect(none.totals.note).toMatch(/no seconds/);
  });
  it("is deterministic: the same input in another order gives the same rows", () => {
    const p = program({ budgetLpt: "1" });
    const ev = { minServed: "events", minSuccessRate: "events" } as const;
    const xs = [orch(C, 10, 1), orch(A, 10, 1), orch(B, 3, 1)];
    expect(evaluateProgram(p, ev, xs)).toEqual(evaluateProgram(p, ev, [...xs].reverse()));
    expect(evaluateProgram(p, ev, xs).rows.map((r) => r.address)).toEqual([A, C, B]);
  });
});

describe("latency against the network median", () => {
  it("median of the p95s with enough samples; the worst pair counts; too few samples is no figure", () => {
    const pairs = new Map([
      ["x / m1", [{ address: A, p95: 100, samples: 20 }, { address: B, p95: 200, samples: 20 }, { address: C, p95: 900, samples: 19 }]],
      ["x / m2", [{ address: A, p95: 300, samples: 25 }, { address: B, p95: 100, samples: 25 }]],
    ]);
    const r = latencyRatios(pairs, 20, "ms");
    expect(r.get(A)!.value).toBeCloseTo(300 / 200); // m2: median (300 + 100) / 2
    expect(r.get(B)!.value).toBeCloseTo(200 / 150); // m1: median of 100 and 200
    expect(r.get(C)!.value).toBeNull();
    expect(r.get(C)!.detail).toMatch(/19 of 20 samples/);
  });
});
