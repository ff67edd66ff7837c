import { describe, expect, it } from "vitest";
import { parseProgramsFile } from "./bootstrap-file";

const good = {
  name: "q2-video",
  from: "2026-05-01",
  to: "2026-06-30",
  pipelines: ["live-video-to-video"],
  models: ["streamdiffusion"],
  budgetLpt: "10000.000000000000000001",
  criteria: { minServed: { value: 20, evidence: "events" }, minSuccessRate: 0.95, maxLatencyVsMedian: { value: 1.5, minSamples: 10 }, gpuClasses: ["RTX 4090"] },
  split: "delivered-seconds",
};

describe("PROGRAMS_FILE", () => {
  it("reads a program with short and long criteria", () => {
    const { programs, problems } = parseProgramsFile(JSON.stringify({ programs: [good] }, null, 2));
    expect(problems).toEqual([]);
    expect(programs[0]).toMatchObject({ name: "q2-video", label: "q2-video", budgetLpt: "10000.000000000000000001", split: "delivered-seconds", recipient: null });
    expect(programs[0].criteria.map((c) => [c.name, c.value, c.evidence, c.minSamples])).toEqual([
      ["minServed", 20, "events", 1],
      ["minSuccessRate", 0.95, "auto", 1],
      ["maxLatencyVsMedian", 1.5, "auto", 10],
      ["gpuClasses", ["RTX 4090"], "auto", 1],
    ]);
  });
  it("names the line, the path and the problem; a bad program is left out, the others kept", () => {
    const bad = { ...good, name: "bad-one", budgetLpt: 5, criteria: { minSuccessRate: 1.5, minFpsRatio: { value: 0.9, evidence: "probes" } } };
    const text = JSON.stringify({ programs: [good, bad] }, null, 2);
    const { programs, problems } = parseProgramsFile(text);
    expect(programs.map((p) => p.name)).toEqual(["q2-video"]);
    const lines = text.split("\n");
    const lineOf = (needle: string) => lines.findIndex((l, i) => i > lines.findIndex((x) => x.includes('"bad-one"')) - 2 && l.includes(needle)) + 1;
    expect(problems).toEqual([
      { line: lineOf('"budgetLpt": 5'), path: "programs[1].budgetLpt", message: expect.stringMatching(/decimal string of LPT/) },
      { line: lineOf('"minSuccessRate": 1.5'), path: "programs[1].criteria.minSuccessRate", message: expect.stringMatching(/fraction from 0 to 1/) },
      { line: lineOf('"evidence": "probes"'), path: "programs[1].criteria.minFpsRatio.evidence", message: expect.stringMatching(/"auto" or one of "events"/) },
    ]);
  });
  it("a file that is not JSON: the line of the error, no program", () => {
    const { programs, problems } = parseProgramsFile('{\n  "programs": [\n    {"name": "x",}\n  ]\n}');
    expect(programs).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0].line).toBe(3);
    expect(problems[0].message).toMatch(/not valid JSON/);
  });
  it("refuses repeated names, reversed windows, unknown keys and criteria, events without live video", () => {
    const text = JSON.stringify({
      programs: [good, { ...good, to: "2026-04-01", pipelines: ["text-to-image"], criteria: { minFpsRatio: 0.9, fastest: 1 }, extra: 1 }],
    });
    const { programs, problems } = parseProgramsFile(text);
    expect(programs).toHaveLength(1);
    expect(problems.map((p) => p.path)).toEqual([
      "programs[1].extra",
      "programs[1].to",
      "programs[1].criteria.minFpsRatio",
      "programs[1].criteria.fastest",
      "programs[1].name",
    ]);
  });
});
