// Alerts end to end over a real database and a real webhook receiver on loopback: job logs ingested
// as files, rules evaluated as after an indexer run, notifications delivered through the outbox.
// Figures are checked against values computed here from the lines written (p95 within 1%: the
// histograms' bound, decision 008).
import fs from "node:fs";
import path from "node:path";
import { createHmac } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseRulesFile } from "../core/alerts/rules";
import { deliverDue } from "../indexer/alerts/deliver";
import { evaluateRules } from "../indexer/alerts/evaluate";
import { runAlerts } from "../indexer/alerts";
import { startWebhookReceiver, type WebhookReceiver } from "../indexer/demo/webhook-receiver";
import { lastEvaluation, listAlerts, targetHealth } from "../db/queries/alerts";
import { backends, openTestDb, type TestDb } from "./helpers/db";
import { count, jobLine, runJobLogs, tempDir, write } from "./helpers/joblogs";

const SECRET = "receiver-secret-1";
const addr = (n: string) => "0x" + n.repeat(20);
const A = addr("a1");
const B = addr("b2");
const C = addr("c3");
const D = addr("d4");
const PAIR = { pipeline: "text-to-image", model: "ByteDance/SDXL-Lightning" };

/** percentile_cont(0.95) of the values, as Postgres defines it. */
function p95(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const rank = (s.length - 1) * 0.95;
  const lo = Math.floor(rank);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (rank - lo);
}

describe.each(backends())("alerts on %s", (backend) => {
  let db: TestDb;
  let receiver: WebhookReceiver;
  let dir: string;
  let seq = 0;
  const durations = new Map<string, number[]>();
  const now = () => new Date();

  /** Writes and ingests `n` successful jobs of `orch` lasting `ms`, stamped in the last hour. */
  async function jobs(orch: string, n: number, ms: number) {
    const t = Date.now() - 30 * 60_000;
    const lines = Array.from({ length: n }, () => jobLine(++seq, { orch_address: orch, duration_ms: ms, timestamp: t + seq }));
    write(dir, `jobs-${seq}.jsonl`, lines.join("\n") + "\n");
    durations.set(orch, [...(durations.get(orch) ?? []), ...Array(n).fill(ms)]);
    await runJobLogs(db, dir);
  }
  const rules = (doc: unknown) => parseRulesFile("alerts.json", JSON.stringify(doc));
  const target = (url: string) => ({ ops: { type: "webhook", url, secret: SECRET } });

  beforeAll(async () => {
    db = await openTestDb(backend);
    receiver = await startWebhookReceiver({ secret: SECRET });
  });
  afterAll(async () => {
    await receiver?.close();
    await db?.close();
  });
  afterEach(async () => {
    await db.reset();
    receiver.deliveries.length = 0;
    receiver.status = 204;
    durations.clear();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const fresh = () => (dir = tempDir("observatory-alerts-"));

  it("fires once (after `for` evaluations), stays quiet while it holds, resolves once past the clear level; signed", async () => {
    fresh();
    await jobs(A, 20, 5000);
    const file = rules({
      targets: target(receiver.url + "/hook"),
      rules: [{ name: "slow-jobs", subject: "all", when: { metric: "jobs.latencyP95Ms", above: 4000, clear: 3000, window: "24h", minSamples: 20, ...{ pipeline: PAIR.pipeline, model: PAIR.model } }, for: 2, notify: ["ops"] }],
    });
    const evaluate = async () => {
      const s = await evaluateRules(db, file, now(), () => {});
      await deliverDue(db, file);
      return s;
    };
    // First evaluation: pending, nothing sent.
    expect((await evaluate()).events).toEqual([]);
    expect((await listAlerts(db, {})).map((a) => [a.subject, a.phase, a.streak])).toEqual([[A, "pending", 1]]);
    expect(receiver.deliveries).toHaveLength(0);
    // Second: fires, once.
    expect((await evaluate()).events).toEqual([{ rule: "slow-jobs", key: `${A} ${PAIR.pipeline} / ${PAIR.model}`, state: "firing" }]);
    await evaluate();
    await evaluate();
    expect(receiver.deliveries).toHaveLength(1);
    const d = receiver.deliveries[0];
    expect(d.verified).toBe(true);
    expect(d.headers["x-observatory-signature"]).toBe("sha256=" + createHmac("sha256", SECRET).update(d.body).digest("hex"));
    const body = d.json as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["link", "message", "rule", "since", "state", "subject", "threshold", "value"]);
    expect(body).toMatchObject({ rule: "slow-jobs", subject: A, state: "firing", threshold: 4000 });
    expect(Math.abs((body.value as number) - p95(durations.get(A)!)) / p95(durations.get(A)!)).toBeLessThan(0.01);
    expect(body.link).toBe(`/orchestrators/${A}?from=${new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)}&to=${new Date().toISOString().slice(0, 10)}&pipeline=text-to-image&model=ByteDance%2FSDXL-Lightning`);

    // Hysteresis: p95 falls to 3,500 ms: below the threshold, above the clear level: still firing, silent.
    await jobs(A, 400, 3500);
    expect(p95(durations.get(A)!)).toBe(3500);
    await evaluate();
    expect(receiver.deliveries).toHaveLength(1);
    expect((await listAlerts(db, { phase: "firing" })).map((a) => a.subject)).toEqual([A]);
    // Back below 3,000 ms: resolved, once.
    await jobs(A, 8000, 1000);
    expect(p95(durations.get(A)!)).toBe(1000);
    await evaluate();
    await evaluate();
    expect(receiver.deliveries.map((x) => (x.json as { state: string }).state)).toEqual(["firing", "resolved"]);
    expect((receiver.deliveries[1].json as { since: string }).since).toBe(body.since);
    expect(await count(db, `select count(*) as n from alert_events`)).toBe(2);
  });

  it("minimum samples and k x the network median at their edges", async () => {
    fresh();
    await jobs(A, 20, 5000);
    await jobs(B, 20, 1000);
    await jobs(C, 20, 1200);
    await jobs(D, 19, 9000);
    const file = rules({ targets: {}, rules: [{ name: "vs-median", when: { metric: "jobs.latencyP95Ms", aboveMedianTimes: 2, minSamples: 20 } }] });
    await evaluateRules(db, file, now(), () => {});
    // D has 19 samples: no figure, and not part of the median (of A, B, C: C's p95).
    let firing = await listAlerts(db, { phase: "firing" });
    expect(firing.map((a) => a.subject)).toEqual([A]);
    const median = p95(durations.get(C)!);
    expect(Math.abs(firing[0].threshold! - 2 * median) / (2 * median)).toBeLessThan(0.01);
    expect(firing[0].message).toMatch(/above [\d,]+ ms \(2 x the network median [\d,]+ ms\)/);
    // The 20th sample: D counts, and the median is of four: the mean of C's and A's p95 (about 3,100 ms).
    await jobs(D, 1, 9000);
    await evaluateRules(db, file, now(), () => {});
    firing = await listAlerts(db, { phase: "firing" });
    // D (9,000 ms) is above 2 x 3,100; A (5,000 ms) no longer is: resolved.
    expect(firing.map((a) => a.subject)).toEqual([D]);
    const m4 = (p95(durations.get(C)!) + p95(durations.get(A)!)) / 2;
    expect(Math.abs(firing[0].threshold! - 2 * m4) / (2 * m4)).toBeLessThan(0.01);
    expect((await listAlerts(db, {})).map((a) => [a.subject, a.phase])).toEqual([[D, "firing"], [A, "ok"]]);
  });

  it("job success rate below a threshold, over every pipeline unless narrowed", async () => {
    fresh();
    const t = Date.now() - 30 * 60_000;
    const lines = Array.from({ length: 20 }, (_, i) => jobLine(++seq, { orch_address: A, success: i >= 5, duration_ms: 900, timestamp: t + i, ...(i >= 5 ? {} : { error_type: "timeout" }) }));
    write(dir, "mixed.jsonl", lines.join("\n") + "\n");
    await runJobLogs(db, dir);
    const file = rules({
      targets: {},
      rules: [
        { name: "success", when: { metric: "jobs.successRate", below: 0.8, minSamples: 20 } },
        { name: "success-21", when: { metric: "jobs.successRate", below: 0.8, minSamples: 21 } },
        { name: "success-other", when: { metric: "jobs.successRate", below: 0.8, pipeline: "image-to-video" } },
      ],
    });
    await evaluateRules(db, file, now(), () => {});
    expect((await listAlerts(db, {})).map((a) => [a.rule, a.subject, a.phase, a.value, a.samples])).toEqual([["success", A, "firing", 15 / 20, 20]]);
  });

  it("the receiver down then up gets the notification exactly once; a failing target is reported and holds up no other", async () => {
    fresh();
    const down = await startWebhookReceiver();
    const port = down.port;
    await down.close();
    await db.query(`insert into source_state (name, last_success_at, last_error, last_error_at) values ('subgraph', now() - interval '1 hour', 'HTTP 502', now())`);
    const file = rules({
      targets: { ...target(`http://127.0.0.1:${port}/hook`), ok: { type: "webhook", url: receiver.url + "/other" } },
      rules: [{ name: "subgraph-failing", subject: "subgraph", when: { metric: "source.failing" }, notify: ["ops", "ok"] }],
    });
    await evaluateRules(db, file, now(), () => {});
    const first = await deliverDue(db, file);
    expect(first).toEqual({ delivered: 1, failed: 1, gaveUp: 0 });
    expect(receiver.deliveries.map((d) => d.path)).toEqual(["/other"]);
    let health = await targetHealth(db);
    expect(health.find((h) => h.target === "ops")).toMatchObject({ delivered: 0, retrying: 1, gaveUp: 0, lastError: "ECONNREFUSED" });
    // Not due again before its backoff.
    expect(await deliverDue(db, file)).toEqual({ delivered: 0, failed: 0, gaveUp: 0 });
    // The receiver comes back on the same port; after the backoff it is delivered, once.
    const back = await startWebhookReceiver({ port, secret: SECRET });
    try {
      const later = () => new Date(Date.now() + 31_000);
      expect(await deliverDue(db, file, { now: later })).toEqual({ delivered: 1, failed: 0, gaveUp: 0 });
      expect(await deliverDue(db, file, { now: later })).toEqual({ delivered: 0, failed: 0, gaveUp: 0 });
      expect(back.deliveries).toHaveLength(1);
      expect(back.deliveries[0].verified).toBe(true);
      expect(back.deliveries[0].json).toMatchObject({ rule: "subgraph-failing", subject: "subgraph", state: "firing", value: 1, threshold: 0 });
    } finally {
      await back.close();
    }
    health = await targetHealth(db);
    expect(health.map((h) => [h.target, h.delivered, h.retrying, h.gaveUp])).toEqual([["ok", 1, 0, 0], ["ops", 1, 0, 0]]);
    // The source recovers: the recovery goes to both; 'ok' answers 400 (not retried: given up),
    // 'ops' is down again (retried later).
    receiver.status = 400;
    await db.query(`update source_state set last_success_at = now() + interval '1 second'`);
    await evaluateRules(db, file, new Date(Date.now() + 2000), () => {});
    expect(await deliverDue(db, file, { now: () => new Date(Date.now() + 120_000) })).toEqual({ delivered: 0, failed: 1, gaveUp: 1 });
    health = await targetHealth(db);
    expect(health.map((h) => [h.target, h.delivered, h.retrying, h.gaveUp, h.lastError])).toEqual([["ok", 1, 0, 1, "HTTP 400"], ["ops", 1, 1, 0, "ECONNREFUSED"]]);
  });

  it("source lag, fees, reward rounds and a broken rules file", async () => {
    fresh();
    const nowS = Math.floor(Date.now() / 1000);
    await db.query(`insert into source_state (name, last_success_at, block, block_timestamp) values ('subgraph', now(), 1, $1), ('joblogs', now() - interval '3 hours', null, null)`, [nowS - 7300]);
    await db.query(
      `insert into transcoders (address, active, total_stake, total_volume_eth, total_volume_usd, last_reward_round) values ($1, true, 1, 0, 0, '4000'), ($2, true, 1, 0, 0, '3998'), ($3, false, 1, 0, 0, '1')`,
      [A, B, C],
    );
    await db.query(`insert into protocol (id, total_volume_eth, total_volume_usd, winning_ticket_count, current_round) values ('0', 0, 0, 0, '4000')`);
    const today = new Date().toISOString().slice(0, 10);
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
    await db.query(`insert into fee_day_orchestrator (day, orchestrator, tickets, volume_eth, volume_usd) values ($1, $2, 1, 0.1, 1), ($3, $4, 1, 0.1, 1), ($5, $6, 1, 0.1, 1)`, [
      today, A, daysAgo(3), B, daysAgo(10), C,
    ]);
    const file = rules({
      targets: {},
      rules: [
        { name: "lag", when: { metric: "source.lagSeconds", above: 7200 } },
        { name: "unpaid", when: { metric: "fees.daysWithout", above: 2 } },
        { name: "reward", when: { metric: "reward.roundsBehind", above: 1 } },
        { name: "runway", when: { metric: "subsidy.runwayDays", below: 14 } },
      ],
    });
    const summary = await evaluateRules(db, file, now(), () => {});
    const firing = (await listAlerts(db, { phase: "firing" })).map((a) => [a.rule, a.subject, a.value]);
    // subgraph: block lag 7,300 s (> 7,200); joblogs: no block, 3 h since its last success (10,800 s).
    expect(firing.filter((f) => f[0] === "lag").map((f) => f[1]).sort()).toEqual(["joblogs", "subgraph"]);
    expect(firing.find((f) => f[0] === "lag" && f[1] === "subgraph")![2]).toBeGreaterThanOrEqual(7300);
    // Only active orchestrators: B last paid 3 UTC days ago: 3 days without (C is inactive, A paid today: 0).
    expect(firing.filter((f) => f[0] === "unpaid")).toEqual([["unpaid", B, 3]]);
    expect(firing.filter((f) => f[0] === "reward")).toEqual([["reward", B, 2]]);
    // No gateway tagged subsidized here: the runway rule reads nothing and fires nothing
    // (its figure against the ledger is checked in tests/programs.test.ts).
    expect(summary.unavailable.get("runway")).toBeUndefined();
    expect(firing.filter((f) => f[0] === "runway")).toEqual([]);
    // The rule narrowed to one source: the other source's alert is forgotten (no recovery is sent), its history kept.
    await evaluateRules(db, rules({ targets: {}, rules: [{ name: "lag", subject: { sources: ["subgraph"] }, when: { metric: "source.lagSeconds", above: 7200 } }] }), now(), () => {});
    expect((await listAlerts(db, {})).map((a) => [a.rule, a.subject, a.phase])).toEqual([["lag", "subgraph", "firing"]]);
    expect(await count(db, `select count(*) as n from alert_events where rule = 'lag' and subject = 'joblogs'`)).toBe(1);

    // A broken file: nothing evaluated, the evaluation records the file, the path and the problem.
    const bad = path.join(dir, "alerts.json");
    fs.writeFileSync(bad, JSON.stringify({ targets: {}, rules: [{ name: "x", when: { metric: "nope", above: 1 } }] }));
    const lines: string[] = [];
    const out = await runAlerts(db, bad, (l) => lines.push(l));
    expect(out.error).toContain(`Alert rules file ${bad} is not valid`);
    expect(out.error).toContain(`rules[0].when.metric: unknown metric "nope"`);
    expect(lines.join("\n")).toContain("rules[0].when.metric");
    expect(await lastEvaluation(db)).toMatchObject({ ok: false });
  });
});
