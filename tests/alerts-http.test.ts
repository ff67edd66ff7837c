// Alerts over real HTTP: a broken rules file is named on /status and /alerts (file, path, problem)
// while every other page still serves; with a good file, /alerts, GET /api/alerts, the Atom feeds and
// the orchestrator page show what was evaluated, with untrusted text escaped.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseRulesFile } from "../core/alerts/rules";
import { evaluateRules } from "../indexer/alerts/evaluate";
import { startServer, type StartedServer } from "../server";
import { backends, openTestDb, type TestDb } from "./helpers/db";

const A = "0x" + "a1".repeat(20);
const B = "0x" + "b2".repeat(20);
const HOSTILE = `<img src=x onerror=alert(1)>&"`;

describe.each(backends())("alerts over HTTP on %s", (backend) => {
  let db: TestDb;
  let server: StartedServer;
  let dir: string;
  let saved: string | undefined;

  beforeAll(async () => {
    db = await openTestDb(backend);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "observatory-alerts-http-"));
    saved = process.env.ALERTS_FILE;
    // Pages here depend on the rules file, which a cache of rendered pages would not see change.
    process.env.RENDER_CACHE_MB = "0";
    server = await startServer({ db, port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => {
    delete process.env.RENDER_CACHE_MB;
    if (saved === undefined) delete process.env.ALERTS_FILE;
    else process.env.ALERTS_FILE = saved;
    await server?.close();
    await db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const get = (p: string) => fetch(server.url + p);

  it("a broken rules file: /status and /alerts name the file, the path and the problem; the rest serves", async () => {
    const file = path.join(dir, "broken-alerts.json");
    fs.writeFileSync(file, JSON.stringify({ targets: { ops: { type: "webhook", url: "not a url" } }, rules: [{ name: "r", when: { metric: "jobs.latencyP95Ms", above: "high" } }] }));
    process.env.ALERTS_FILE = file;
    for (const p of ["/status", "/alerts"]) {
      const r = await get(p);
      expect(r.status).toBe(200);
      const html = await r.text();
      expect(html).toContain("broken-alerts.json");
      expect(html).not.toContain(dir); // the server's directories stay private
      expect(html).toContain("targets.ops.url");
      expect(html).toContain("must be an http(s) URL");
      expect(html).toContain("rules[0].when.above");
    }
    for (const p of ["/", "/orchestrators", "/api/alerts", "/alerts.atom", "/healthz"]) expect((await get(p)).status, p).toBe(200);
    // /api/status says the same, for a monitor: the file by name, the problem, no directory.
    const status = await (await get("/api/status")).json();
    expect(status.alerts).toMatchObject({ file: "broken-alerts.json" });
    expect(JSON.stringify(status.alerts.problem)).toContain("targets.ops.url");
    expect(JSON.stringify(status)).not.toContain(dir);
    // The start-up log says it too, with the full path (the log is the operator's).
    const logged: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => (logged.push(String(chunk)), true)) as typeof process.stderr.write;
    let second: StartedServer | undefined;
    try {
      second = await startServer({ db, port: 0, host: "127.0.0.1" });
    } finally {
      process.stderr.write = write;
      await second?.close();
    }
    expect(logged.join("")).toContain(`Alert rules file ${file} is not valid (nothing of it is used):\n  targets.ops.url: must be an http(s) URL, got "not a url"\n  rules[0].when.above: must be a number, got "high"`);
    fs.writeFileSync(file, "{ not json");
    // The file changed: it is read again.
    expect(await (await get("/alerts")).text()).toContain("cannot be parsed as JSON");
  });

  it("shows alerts on /alerts, /api/alerts, the feeds and the orchestrator page, escaped", async () => {
    const file = path.join(dir, "alerts.yaml");
    fs.writeFileSync(
      file,
      [
        "dashboardUrl: https://obs.example.org",
        "targets: {}",
        "rules:",
        "  - {name: source-failing, when: {metric: source.failing}}",
        "  - {name: reward, subject: {orchestrators: [" + A + "]}, when: {metric: reward.roundsBehind, above: 1}}",
      ].join("\n"),
    );
    process.env.ALERTS_FILE = file;
    await db.query(`insert into source_state (name, last_success_at, last_error, last_error_at) values ($1, now() - interval '1 hour', $2, now())`, [HOSTILE, `boom ${HOSTILE}`]);
    await db.query(`insert into transcoders (address, active, total_stake, total_volume_eth, total_volume_usd, last_reward_round) values ($1, true, 1, 0, 0, '3995'), ($2, true, 1, 0, 0, '4000')`, [A, B]);
    await db.query(`insert into protocol (id, total_volume_eth, total_volume_usd, winning_ticket_count, current_round) values ('0', 0, 0, 0, '4000')`);
    await evaluateRules(db, parseRulesFile(file, fs.readFileSync(file, "utf8")), new Date(), () => {});

    const api = await (await get("/api/alerts")).json();
    expect(api.alerts.map((a: { rule: string; subject: string; state: string; value: number; threshold: number }) => [a.rule, a.subject, a.state, a.value, a.threshold])).toEqual([
      ["reward", A, "firing", 5, 1],
      ["source-failing", HOSTILE, "firing", 1, 0],
    ]);
    const mine = await (await get(`/api/alerts?state=all&orchestrator=${A.toUpperCase().replace("0X", "0x")}`)).json();
    expect(mine.alerts).toHaveLength(1);
    expect(mine.alerts[0]).toMatchObject({ rule: "reward", subject: A, state: "firing", link: `/orchestrators/${A}` });
    expect(mine.provenance).toMatchObject({ request: `/api/alerts?state=all&orchestrator=${A.toUpperCase().replace("0X", "0x")}`, file: `observatory-alerts-all-${A}.json` });
    expect((await get(`/api/alerts?orchestrator=0x12`)).status).toBe(400);
    expect((await get(`/api/alerts?state=maybe`)).status).toBe(400);

    const page = await (await get("/alerts")).text();
    expect(page).not.toContain(HOSTILE);
    expect(page).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(page.match(/data-testid="rule-row"/g)).toHaveLength(2);
    expect(page.match(/data-testid="event-row"/g)).toHaveLength(2);

    const feed = await get("/alerts.atom");
    expect(feed.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    const xml = await feed.text();
    expect(xml.match(/<entry>/g)).toHaveLength(2);
    expect(xml).not.toContain(HOSTILE);
    expect(xml).toContain("&lt;img src=x onerror=alert(1)&gt;&amp;&quot;");
    expect(xml).toContain(`<link rel="alternate" type="text/html" href="https://obs.example.org/orchestrators/${A}"/>`);
    const one = await (await get(`/alerts.atom?orchestrator=${A}`)).text();
    expect(one.match(/<entry>/g)).toHaveLength(1);
    expect(one).toContain(`<title>FIRING: reward (${A})</title>`);
    expect((await (await get(`/alerts.atom?orchestrator=${B}`)).text()).match(/<entry>/g)).toBeNull();

    const orch = await (await get(`/orchestrators/${A}`)).text();
    expect(orch).toContain('data-testid="orchestrator-alerts"');
    expect(orch).toContain("reward.roundsBehind of " + A + " is 5 rounds, above 1 rounds");
    expect(await (await get(`/orchestrators/${B}`)).text()).not.toContain('data-testid="orchestrator-alerts"');
  });
});
