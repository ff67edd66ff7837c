// The alert metrics that read live sessions, public probes and advertised prices, each at its edges,
// over a real database: gateway events pushed as a gateway sends them, probes stored as the
// leaderboard source stores them, and the values compared with figures computed here from what was
// written (p95s within 1%: the histograms' bound).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseRulesFile } from "../core/alerts/rules";
import { rttBucketOf, type ProbeRecord } from "../core/probes/raw";
import { evaluateRules } from "../indexer/alerts/evaluate";
import { observe } from "../indexer/alerts/metrics";
import { ingestEventBody } from "../indexer/sources/events/push";
import { insertProbes, refreshDailyMedians } from "../indexer/sources/leaderboard/store";
import { ensureMonths } from "../db/partitions";
import { listAlerts } from "../db/queries/alerts";
import { backends, openTestDb, type TestDb } from "./helpers/db";
import { capabilitiesLine, ORCH, ORCH_B, session, sessionLines } from "./helpers/gateway-events";

const rules = (doc: unknown) => parseRulesFile("alerts.json", JSON.stringify({ targets: {}, ...(doc as object) }));
const within1pct = (a: number | null, b: number) => expect(Math.abs((a as number) - b) / b).toBeLessThan(0.01);

function percentileCont(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const r = (s.length - 1) * p;
  const lo = Math.floor(r);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (r - lo);
}

describe.each(backends())("alert metrics on %s", (backend) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(backend);
  });
  afterAll(async () => {
    await db?.close();
  });
  afterEach(async () => {
    await db.reset();
  });

  it("live startup p95 and frame-rate ratio, with the minimum sample count at its edge", async () => {
    const now = Date.now();
    const start = now - 3 * 3_600_000;
    const specs = Array.from({ length: 20 }, (_, i) => session(i + 1, { startMs: start + i * 300_000 }));
    const body = [capabilitiesLine(ORCH, start - 60_000), ...specs.flatMap(sessionLines)].join("\n");
    const r = await ingestEventBody(db, Buffer.from(body), 1 << 20);
    expect(r.rejected).toEqual([]);
    const startups = specs.map((s) => s.startupMs as number);
    const model = specs[0].modelId;
    const f = rules({
      rules: [
        { name: "startup-20", when: { metric: "live.startupP95Ms", above: 3000, window: "6h", minSamples: 20 } },
        { name: "startup-21", when: { metric: "live.startupP95Ms", above: 3000, window: "6h", minSamples: 21 } },
        { name: "fps", when: { metric: "live.fpsRatioP50", below: 0.95, window: "6h" } },
      ],
    });
    await evaluateRules(db, f, new Date(), () => {});
    const firing = await listAlerts(db, { phase: "firing" });
    expect(firing.map((a) => [a.rule, a.subject, a.scope, a.samples])).toEqual([
      ["fps", ORCH.address, model, 60],
      ["startup-20", ORCH.address, model, 20],
    ]);
    within1pct(firing[1].value, percentileCont(startups, 0.95));
    expect(percentileCont(startups, 0.95)).toBeGreaterThan(3000);
    // 20 sessions x 3 status samples: 27/30 = 0.90, 30/30 = 1.00, 17/20 = 0.85; the 30th of 60 is 0.90.
    expect(firing[0].value).toBe(0.9);
    expect(firing[1].link).toBe(`/live?from=${new Date(now - 6 * 3_600_000).toISOString().slice(0, 10)}&to=${new Date(now).toISOString().slice(0, 10)}&model=${encodeURIComponent(model)}`);
  });

  it("probe success per region, round-trip p95, and the official score's drop against the window before", async () => {
    const nowS = Math.floor(Date.now() / 1000);
    const A = "0x" + "a1".repeat(20);
    const B = "0x" + "b2".repeat(20);
    const pair = { pipeline: "text-to-image", model: "m1" };
    const records: ProbeRecord[] = [];
    let fp = 0;
    const probe = (orchestrator: string, region: string, ageS: number, successRate: number, roundTripS: number) =>
      records.push({
        orchestrator, ts: nowS - ageS, region, ...pair, fingerprint: String(++fp).padStart(16, "0"), successRate, roundTripS, warm: true,
        rttBucket: successRate === 1 && roundTripS !== 0 ? rttBucketOf(roundTripS) : null, errorCodes: [], errorCounts: [],
      });
    // The window before (24-48 h ago): A and B both healthy, 1 s round trips.
    for (let i = 0; i < 10; i++) for (const o of [A, B]) for (const region of ["FRA", "MDW"]) probe(o, region, 30 * 3600 + i * 600, 1, 1);
    // The last 24 h: B unchanged; A fails 6 of 10 in FRA and takes 2 s when it answers.
    for (let i = 0; i < 10; i++) {
      probe(B, "FRA", 3600 + i * 600, 1, 1);
      probe(B, "MDW", 3600 + i * 600, 1, 1);
      probe(A, "FRA", 3600 + i * 600, i < 4 ? 1 : 0, i < 4 ? 2 : 0);
      probe(A, "MDW", 3600 + i * 600, 1, 2);
    }
    await ensureMonths(db, "probes", records.map((r) => r.ts * 1000)); // as the poll does before its transaction
    await db.tx(async (q) => {
      await insertProbes(q, records);
      await refreshDailyMedians(q);
    });
    const f = rules({
      rules: [
        { name: "fra", when: { metric: "probes.successRate", below: 0.5, region: "fra", window: "24h", minSamples: 10 } },
        { name: "fra-11", when: { metric: "probes.successRate", below: 0.5, region: "FRA", window: "24h", minSamples: 11 } },
        { name: "rtt", when: { metric: "probes.roundTripP95S", above: 1.5, window: "24h", minSamples: 14 } },
        { name: "score", when: { metric: "probes.scoreDrop", above: 10, window: "24h" } },
      ],
    });
    await evaluateRules(db, f, new Date(nowS * 1000), () => {});
    const firing = await listAlerts(db, { phase: "firing" });
    expect(firing.map((a) => [a.rule, a.subject, a.samples])).toEqual([
      ["fra", A, 10],
      ["rtt", A, 14],
      ["score", A, 20],
    ]);
    expect(firing[0].value).toBeCloseTo(0.4, 12);
    within1pct(firing[1].value, 2);
    // The official score, computed here: median of every ok round trip in each window (all regions).
    const score = (success: number, avgRtt: number, median: number) => (success === 0 ? 0 : 0.65 * success + 0.35 * Math.exp((Math.log(0.8) / median) * avgRtt));
    const okNow = [...Array(20).fill(1), ...Array(4).fill(2), ...Array(10).fill(2)];
    const medNow = percentileCont(okNow, 0.5);
    const before = score(1, 1, 1);
    const after = (score(0.4, (4 * 2) / 10, medNow) + score(1, 2, medNow)) / 2;
    expect(firing[2].value).toBeCloseTo((before - after) * 100, 9);
    // B's score did not move: no reading above 10 (its drop is 0 points, not stored as an alert).
    const obs = await observe(db, f.rules[3], new Date(nowS * 1000));
    expect(obs.observations.find((o) => o.subject === B)?.value).toBeCloseTo(0, 9);
  });

  it("advertised price over the median offer of its pipeline and model", async () => {
    const at = Date.now() - 3_600_000;
    const pricey = capabilitiesLine(ORCH_B, at, "e89def1c-7a3c-40aa-a51a-ad490a30aaaa").replace('"pricePerUnit":1618', '"pricePerUnit":6472');
    expect(pricey).toContain("6472");
    const r = await ingestEventBody(db, Buffer.from([capabilitiesLine(ORCH, at), pricey].join("\n")), 1 << 20);
    expect(r.rejected).toEqual([]);
    const f = rules({ rules: [{ name: "pricey", when: { metric: "price.ratioToMedian", above: 3.99 } }, { name: "pricier", when: { metric: "price.ratioToMedian", above: 4 } }] });
    await evaluateRules(db, f, new Date(), () => {});
    const firing = await listAlerts(db, { phase: "firing" });
    // Offers 1618 and 6472 wei per pixel: the median of two is the lower one; 6472 / 1618 = 4 exactly (not above 4).
    expect(firing.map((a) => [a.rule, a.subject, a.value, a.scope])).toEqual([["pricey", ORCH_B.address, 4, "live-video-to-video / streamdiffusion-sdxl-faceid"]]);
  });
});
