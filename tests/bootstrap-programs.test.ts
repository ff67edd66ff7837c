// Issue 14 part 3 end to end: a bootstrapping program in PROGRAMS_FILE over live sessions ingested as
// real gateway events (with their capabilities: hot wallets, GPUs) into a real database (PGlite, and
// Postgres with TEST_DATABASE_URL), read through the real server on loopback: GET /api/programs and
// /api/programs/<name> with every orchestrator's figures, eligibility, reasons and grants summing to
// the budget to the wei; freezing by POST (a cross-site form refused), the frozen snapshot unchanged
// after more data is indexed, by id and by time; the payout CSV; the pages; 404 and 400 with reasons;
// and a malformed program named by line on /status and /programs while the good one serves.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lptToWei } from "../core/programs/treasury";
import { ingestEventBody } from "../indexer/sources/events/push";
import { startServer, type StartedServer } from "../server";
import { parseCsv } from "./helpers/csv";
import { backends, openTestDb, type TestDb } from "./helpers/db";
import { capabilitiesLine, ORCH, ORCH_B, session, sessionLines } from "./helpers/gateway-events";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const ORCH_C = { address: "0x3333333333333333333333333333333333333333", hot: "0x4444444444444444444444444444444444444444", url: "https://orch-c.example:8935" };
const ORCH_D = { address: "0x5555555555555555555555555555555555555555", hot: "0x6666666666666666666666666666666666666666", url: "https://orch-d.example:8935" };
const BUDGET = "1000.000000000000000001";
const CAPS_AT = Date.parse("2026-11-19T00:00:00Z");

const program = {
  name: "test-live",
  label: "Live video bootstrapping (test)",
  from: "2026-11-18",
  to: "2026-11-25",
  pipelines: ["live-video-to-video"],
  budgetLpt: BUDGET,
  criteria: { minServed: { value: 20, evidence: "events" }, minFpsRatio: 0.8, gpuClasses: ["RTX 5090"] },
  split: "delivered-seconds",
};

/** `count` sessions of one orchestrator, numbered from `first`, each paying `secs`. */
function sessions(o: typeof ORCH, first: number, count: number, secs: number[]): string[] {
  return Array.from({ length: count }, (_, i) =>
    sessionLines(session(first + i, { orchAddress: o.address, orchHot: o.hot, orchUrl: o.url, paymentSecs: secs, key: `s-${o.address.slice(2, 6)}-${first + i}` })),
  ).flat();
}

describe.each(backends())("bootstrapping programs on %s", (backend) => {
  let db: TestDb;
  let server: StartedServer;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "observatory-bootstrap-"));
  const file = path.join(dir, "programs.json");
  const get = async (p: string) => {
    const r = await fetch(server.url + p);
    const text = await r.text();
    return { status: r.status, text, json: (r.headers.get("content-type") ?? "").includes("json") ? (JSON.parse(text) as Json) : null };
  };
  const ingest = async (lines: string[]) => {
    const r = await ingestEventBody(db, Buffer.from(lines.join("\n")), 1 << 20);
    expect(r.rejected).toEqual([]);
  };

  beforeAll(async () => {
    db = await openTestDb(backend);
    const caps = [ORCH, ORCH_B, ORCH_C].map((o, i) => capabilitiesLine(o, CAPS_AT + i));
    caps.push(capabilitiesLine(ORCH_D, CAPS_AT + 3).replace("RTX 5090", "RTX 4090"));
    await ingest(caps);
    await ingest([
      ...sessions(ORCH, 0, 22, [60, 60, 30]), // 3300 s
      ...sessions(ORCH_B, 100, 5, [60]), // too few sessions
      ...sessions(ORCH_C, 200, 21, [60, 60, 10]), // 2730 s
      ...sessions(ORCH_D, 300, 20, [60]), // an RTX 4090
    ]);
    fs.writeFileSync(file, JSON.stringify({ programs: [program] }, null, 2));
    process.env.PROGRAMS_FILE = file;
    process.env.RENDER_CACHE_MB = "0";
    server = await startServer({ db, port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => {
    delete process.env.PROGRAMS_FILE;
    delete process.env.RENDER_CACHE_MB;
    await server?.close();
    await db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("GET /api/programs lists the program with no snapshot yet", async () => {
    const { status, json } = await get("/api/programs");
    expect(status).toBe(200);
    expect(json.programs).toEqual([{ name: "test-live", label: program.label, from: program.from, to: program.to, budgetLpt: BUDGET, inFile: true, frozen: [] }]);
  });

  it("GET /api/programs/<name>: each criterion against its threshold, eligibility with reasons, grants summing to the budget", async () => {
    const { status, json } = await get("/api/programs/test-live");
    expect(status).toBe(200);
    expect(json.program).toMatchObject({ name: "test-live", budgetLpt: BUDGET, split: "delivered-seconds" });
    expect(json.snapshot).toBeNull();
    const by = Object.fromEntries(json.rows.map((r: Json) => [r.address, r]));
    expect(Object.keys(by).sort()).toEqual([ORCH_B.address, ORCH_C.address, ORCH_D.address, ORCH.address].sort());
    expect(by[ORCH.address]).toMatchObject({ eligible: true, reasons: [] });
    expect(by[ORCH.address].metrics.minServed).toMatchObject({ value: 22, threshold: 20, test: "min", evidence: "events", pass: true });
    expect(by[ORCH.address].metrics.gpuClasses).toMatchObject({ value: ["RTX 5090"], pass: true, evidence: "capabilities" });
    expect(by[ORCH.address].metrics.deliveredSeconds).toBe("3300");
    expect(by[ORCH_C.address]).toMatchObject({ eligible: true });
    expect(by[ORCH_C.address].metrics.deliveredSeconds).toBe("2730");
    expect(by[ORCH_B.address].eligible).toBe(false);
    expect(by[ORCH_B.address].reasons).toEqual(["sessions or jobs served 5 below the minimum 20 (gateway events (live sessions))"]);
    expect(by[ORCH_D.address].eligible).toBe(false);
    expect(by[ORCH_D.address].reasons).toEqual(["GPU classes: RTX 4090 not among RTX 5090"]);
    // Pro rata to 3300 : 2730 of 1000.000000000000000001 LPT, exactly, the odd wei by largest remainder.
    const budget = lptToWei(BUDGET);
    const a = lptToWei(by[ORCH.address].grantLpt);
    const c = lptToWei(by[ORCH_C.address].grantLpt);
    expect(a + c).toBe(budget);
    expect(a).toBe((budget * 3300n) / 6030n + ((budget * 3300n) % 6030n > (budget * 2730n) % 6030n ? 1n : 0n));
    expect(json.totals).toMatchObject({ orchestrators: 4, eligible: 2, budgetLpt: BUDGET, allocatedLpt: BUDGET, unallocatedLpt: "0", eligibleDeliveredSeconds: "6030", note: null });
    expect(json.totals.evidence).toEqual({ minServed: "events", minFpsRatio: "events", gpuClasses: "capabilities" });
  });

  it("bad input: 404 with a reason for an unknown program, 400 for bad parameters, never 500", async () => {
    const unknown = await get("/api/programs/no-such-program");
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toMatch(/no program "no-such-program"/);
    for (const [p, re] of [
      ["/api/programs/test-live?at=yesterday", /at must be/],
      ["/api/programs/test-live?format=xml", /unknown format/],
      ["/api/programs/Bad%20Name", /program name/],
    ] as const) {
      const r = await get(p);
      expect(r.status, p).toBe(400);
      expect(r.json.error).toMatch(re);
    }
    const noSnap = await get("/api/programs/test-live?at=0000000000");
    expect(noSnap.status).toBe(404);
    expect(noSnap.json.error).toMatch(/no frozen snapshot/);
    expect((await get("/api/programs/test-live?at=2020-01-01")).status).toBe(404);
  });

  it("freezing: POST stores a snapshot equal to the live figures; more data later changes the live figures, never the frozen one", async () => {
    const crossSite = await fetch(`${server.url}/api/programs/test-live`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" }, body: "" });
    expect(crossSite.status).toBe(403);
    const before = (await get("/api/programs/test-live")).json;
    const post = await fetch(`${server.url}/api/programs/test-live`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(post.status).toBe(201);
    const { id, at, url } = (await post.json()) as Json;
    expect(id).toMatch(/^[0-9a-z]{10}$/);
    expect(url).toBe(`/programs/test-live?at=${id}`);
    const frozen = (await get(`/api/programs/test-live?at=${id}`)).json;
    expect(frozen.snapshot).toEqual({ id, at });
    expect(frozen.rows).toEqual(before.rows);
    expect(frozen.totals).toEqual(before.totals);
    expect(frozen.program).toEqual(before.program);
    // B serves 20 more sessions: it becomes eligible now, and the frozen snapshot does not move.
    await ingest(sessions(ORCH_B, 400, 20, [60]));
    const live = (await get("/api/programs/test-live")).json;
    expect(live.rows.find((r: Json) => r.address === ORCH_B.address).eligible).toBe(true);
    expect(live.totals.eligible).toBe(3);
    const again = (await get(`/api/programs/test-live?at=${id}`)).json;
    expect(again.rows).toEqual(before.rows);
    expect(again.totals).toEqual(before.totals);
    // by time: the latest frozen at or before it
    const byTime = (await get(`/api/programs/test-live?at=${encodeURIComponent(new Date(Date.parse(at) + 1000).toISOString())}`)).json;
    expect(byTime.snapshot.id).toBe(id);
    expect((await get("/api/programs")).json.programs[0].frozen).toEqual([{ id, at }]);
    // the payout CSV of the frozen snapshot: address, amount; the amounts sum to the budget
    const csv = await fetch(`${server.url}/api/programs/test-live?at=${id}&format=csv`);
    expect(csv.headers.get("content-disposition")).toContain(`program-test-live-${id}-payout.csv`);
    const table = parseCsv(await csv.text());
    expect(table[0]).toEqual(["address", "amount"]);
    expect(table.slice(1).map((r) => r[0]).sort()).toEqual([ORCH.address, ORCH_C.address].sort());
    expect(table.slice(1).reduce((s, r) => s + lptToWei(r[1]), 0n)).toBe(lptToWei(BUDGET));
    // the pages: the frozen permalink, its print view, the live page with its freeze form, /programs
    const page = await get(`/programs/test-live?at=${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`Frozen snapshot <span class="mono">${id}</span>`);
    const print = await get(`/programs/test-live?at=${id}&view=print`);
    expect(print.status).toBe(200);
    expect(print.text).not.toContain("<form");
    const livePage = await get("/programs/test-live");
    expect(livePage.text).toContain('action="/api/programs/test-live"');
    const list = await get("/programs");
    expect(list.text).toContain('href="/programs/test-live"');
    expect((await get("/programs/no-such-program")).status).toBe(404);
  });

  it("a form POST lands on the snapshot's page (303)", async () => {
    const r = await fetch(`${server.url}/api/programs/test-live`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "", redirect: "manual" });
    expect(r.status).toBe(303);
    expect(r.headers.get("location")).toMatch(/^\/programs\/test-live\?at=[0-9a-z]{10}$/);
  });

  it("a malformed program is named by file and line on /status, /api/status and /programs; the good one still serves", async () => {
    const bad = { ...program, name: "broken", budgetLpt: 12.5 };
    const text = JSON.stringify({ programs: [program, bad] }, null, 2);
    fs.writeFileSync(file, text);
    const line = text.split("\n").findIndex((l) => l.includes('"budgetLpt": 12.5')) + 1;
    const status = await get("/api/status");
    expect(status.json.configProblems).toContainEqual(expect.objectContaining({ file: "programs.json", path: `line ${line}, programs[1].budgetLpt` }));
    const statusPage = await get("/status");
    expect(statusPage.text).toContain(`line ${line}, programs[1].budgetLpt`);
    const programsPage = await get("/programs");
    expect(programsPage.status).toBe(200);
    expect(programsPage.text).toContain("programs[1].budgetLpt");
    expect((await get("/api/programs/test-live")).status).toBe(200);
    expect((await get("/api/programs/broken")).status).toBe(404);
    fs.writeFileSync(file, "{ not json");
    const broken = await get("/api/programs");
    expect(broken.status).toBe(200);
    expect(broken.json.problems[0]).toMatchObject({ line: 1, message: expect.stringMatching(/not valid JSON/) });
    expect((await get("/")).status).toBe(200);
    fs.writeFileSync(file, JSON.stringify({ programs: [program] }, null, 2));
  });
});
