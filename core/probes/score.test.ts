// The official score's arithmetic against the Go scorer's own cases and the real aggregated_stats
// sample, the percentile_cont median, and the raw row reader on the real samples and absent fields.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { parseRawRow, parseRawStats, parsePipelines, parseRegions, pipelineSlug } from "./raw";
import { finiteOrNull, medianCont, meanOf, officialScore } from "./score";

const sample = (name: string) => JSON.parse(fs.readFileSync(new URL(`../../tests/real-samples/leaderboard/${name}`, import.meta.url), "utf8"));

describe("official score", () => {
  it("scores 0.8 at the median round trip and decays exponentially", () => {
    expect(officialScore(1, 2, 2).roundTripScore).toBeCloseTo(0.8, 15);
    expect(officialScore(1, 4, 2).roundTripScore).toBeCloseTo(0.64, 15);
    expect(officialScore(1, 0, 2).roundTripScore).toBe(1);
    const s = officialScore(0.5, 2, 2);
    expect(s.score).toBeCloseTo(0.65 * 0.5 + 0.35 * 0.8, 15);
  });

  it("is 0 when success is 0, whatever the round trip", () => {
    const s = officialScore(0, 1, 2);
    expect(s.score).toBe(0);
    expect(s.roundTripScore).toBeCloseTo(Math.pow(0.8, 0.5), 15);
  });

  it("follows the API with a NULL median: 0 round-trip score, or NaN when the mean round trip is 0", () => {
    expect(officialScore(1, 3, null)).toEqual({ successRate: 1, roundTripScore: 0, score: 0.65 });
    const nan = officialScore(1, 0, null);
    expect(Number.isNaN(nan.roundTripScore) && Number.isNaN(nan.score)).toBe(true);
    expect(finiteOrNull(nan.score)).toBeNull();
  });

  it("agrees with the real aggregated_stats sample: score = 0.65 success + 0.35 round-trip score", () => {
    const agg = sample("aggregated_stats_ai.json");
    for (const regions of Object.values(agg) as Record<string, { success_rate: number; round_trip_score: number; score: number }>[])
      for (const r of Object.values(regions)) expect(Math.abs(0.65 * r.success_rate + 0.35 * r.round_trip_score - r.score)).toBeLessThan(1e-12);
  });

  it("takes the median as percentile_cont does", () => {
    expect(medianCont([])).toBeNull();
    expect(medianCont([3])).toBe(3);
    expect(medianCont([4, 1, 3, 2])).toBe(2.5);
    expect(medianCont([5, 1, 3])).toBe(3);
    expect(meanOf([1, 2, 3])).toBe(2);
    expect(meanOf([1, NaN])).toBeNull();
    expect(meanOf([])).toBeNull();
  });
});

describe("raw rows", () => {
  it("read the real AI sample: seconds, slug, absent model_is_warm = false, errors by code", () => {
    const row = sample("raw_stat_ai.json");
    const p = parseRawRow(row, "MDW");
    expect(p).toMatchObject({
      orchestrator: "0x22a48674a6fdf9335d89b6dbc05c38e2dc181475",
      ts: 1725029035,
      region: "MDW",
      pipeline: "text-to-image",
      model: "ByteDance/SDXL-Lightning",
      successRate: 0,
      roundTripS: 2.21572637,
      warm: false,
      rttBucket: null,
      errorCodes: ["HTTP-STATUS-503"],
      errorCounts: [1],
    });
    expect(p).not.toBe("transcoding");
    if (p !== "transcoding") expect(p.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it("skip the real transcoding sample, and read an answer keyed by region", () => {
    expect(parseRawRow(sample("raw_stat_transcoding.json"), "MDW")).toBe("transcoding");
    const parsed = parseRawStats({ MDW: [sample("raw_stat_ai.json"), sample("raw_stat_transcoding.json")], FRA: null });
    expect(parsed.probes).toHaveLength(1);
    expect(parsed.transcoding).toBe(1);
    expect(parsed.rejected).toEqual([]);
  });

  it("normalise names: production's 'Text to image' and the fixtures' 'text-to-image' are one slug; case of address and region", () => {
    expect(pipelineSlug("Text to image")).toBe("text-to-image");
    expect(pipelineSlug("text-to-image")).toBe("text-to-image");
    expect(pipelineSlug("Image to video")).toBe("image-to-video");
    expect(pipelineSlug("Llm")).toBe("llm");
    const base = sample("raw_stat_ai.json");
    const a = parseRawRow({ ...base, pipeline: "Text to image", orchestrator: base.orchestrator.toUpperCase().replace("0X", "0x"), region: "mdw" }, "X");
    const b = parseRawRow(base, "MDW");
    expect(a).toEqual(b);
  });

  it("treat absent fields as the API does, and warm only when true", () => {
    const r = parseRawRow({ orchestrator: "0x" + "a".repeat(40), timestamp: 1725029035, pipeline: "llm", model: "m", model_is_warm: true, round_trip_time: 1.5, success_rate: 1 }, "fra");
    expect(r).toMatchObject({ region: "FRA", warm: true, successRate: 1, roundTripS: 1.5, errorCodes: [] });
    if (r !== "transcoding") expect(r.rttBucket).not.toBeNull();
    const z = parseRawRow({ orchestrator: "0x" + "a".repeat(40), timestamp: 1725029035, pipeline: "llm", model: "m" }, "FRA");
    expect(z).toMatchObject({ successRate: 0, roundTripS: 0, warm: false, rttBucket: null });
  });

  it("reject what cannot be read, with a reason", () => {
    const base = sample("raw_stat_ai.json");
    const parsed = parseRawStats({
      MDW: [
        { ...base, timestamp: 1725029035000 },
        { ...base, pipeline: undefined },
        { ...base, success_rate: "1" },
        { ...base, orchestrator: "nope" },
      ],
    });
    expect(parsed.probes).toHaveLength(0);
    expect(parsed.rejected.map((r) => r.reason)).toEqual([
      expect.stringContaining("milliseconds"),
      expect.stringContaining("pipeline is missing"),
      expect.stringContaining("success_rate"),
      expect.stringContaining("orchestrator"),
    ]);
  });

  it("read the real regions sample and a pipelines answer", () => {
    const regions = parseRegions(sample("regions.json"));
    expect(regions.filter((r) => r.type === "ai").map((r) => r.id)).toEqual(["GLOBAL", "FRA", "LAX"]);
    const p = parsePipelines({ pipelines: [{ id: "Text to image", models: ["a", "b"], regions: ["fra"] }, { id: "text-to-image", models: ["a"], regions: ["MDW"] }] });
    expect(p).toEqual([
      { pipeline: "text-to-image", name: "text-to-image", model: "a", regions: ["FRA", "MDW"] },
      { pipeline: "text-to-image", name: "Text to image", model: "b", regions: ["FRA"] },
    ]);
  });
});
