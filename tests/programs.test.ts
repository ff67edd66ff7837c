// Issue 14 parts 1 and 2 end to end: the demo network's funded free-tier gateway and its treasury
// grant, served by the stand-in subgraph on loopback, indexed into a real database (PGlite, and
// Postgres with TEST_DATABASE_URL), then read through the real server: GET /api/subsidy against the
// demo's own events summed here, the reconciliation against the stand-in's Broadcaster row, GET
// /api/treasury with the grant decoded to the wei, /programs with the untrusted description escaped,
// malformed budget and recipient entries that stop nothing (on /programs, /status and /api/status),
// and the stand-in's paging and errors on the new collections.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSubsidy } from "../app/lib/programs.server";
import type { Rule } from "../core/alerts/rules";
import { observe } from "../indexer/alerts/metrics";
import { ethToWei } from "../core/programs/ledger";
import type { IndexerConfig } from "../indexer/config";
import { DAY_SECONDS, generateDemoNetwork } from "../indexer/demo/generate";
import { DEMO_GRANT_WEI, demoProgramsOf } from "../indexer/demo/programs";
import { startDemoSubgraph, type DemoSubgraph } from "../indexer/demo/subgraph-server";
import { runAllSources } from "../indexer/run";
import { startServer, type StartedServer } from "../server";
import { parseCsv } from "./helpers/csv";
import { backends, openTestDb, type TestDb } from "./helpers/db";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const END_DAY = "2026-06-30";
const network = generateDemoNetwork({ seed: 7, endDay: END_DAY });
const programs = demoProgramsOf(network);
const { meta } = network;
const GW = meta.subsidizedGateway;
const OTHER = meta.gateways.find((g) => g.address !== GW)!;
const dayOf = (ts: number) => new Date(ts * 1000).toISOString().slice(0, 10);
const eth = (wei: bigint) => {
  const s = wei.toString().padStart(19, "0");
  const frac = s.slice(-18).replace(/0+$/, "");
  return `${s.slice(0, -18)}${frac ? `.${frac}` : ""}`;
};

describe.each(backends())("programs on %s", (backend) => {
  let db: TestDb;
  let subgraph: DemoSubgraph;
  let server: StartedServer;
  const logs: string[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "observatory-programs-"));
  const get = async (p: string) => {
    const r = await fetch(server.url + p);
    const text = await r.text();
    return { status: r.status, text, json: (r.headers.get("content-type") ?? "").includes("json") ? (JSON.parse(text) as Json) : null };
  };

  beforeAll(async () => {
    db = await openTestDb(backend);
    subgraph = await startDemoSubgraph({ network, now: () => Date.parse(`${END_DAY}T23:59:59Z`) });
    const tags = path.join(dir, "tags.json");
    fs.writeFileSync(
      tags,
      JSON.stringify({
        gateways: [
          { address: GW, tag: "subsidized", label: "Free tier", from: meta.subsidy.from, to: meta.subsidy.to, budgetEth: programs.budgetEth },
          // a JSON number is refused (not exact); the tag itself still works
          { address: OTHER.address, tag: "organic", label: "Other", budgetEth: 12.5 },
        ],
      }),
    );
    const recipients = path.join(dir, "recipients.json");
    fs.writeFileSync(
      recipients,
      JSON.stringify({
        recipients: [
          { address: programs.multisig, label: "Free-tier program multisig", program: { name: "Free-tier infra credits", from: meta.subsidy.from, to: meta.subsidy.to } },
          { address: "0x123", label: "broken" },
        ],
      }),
    );
    const config: IndexerConfig = {
      subgraphUrl: subgraph.url,
      subgraphUrlLabel: subgraph.url,
      schedule: "*/5 * * * *",
      gatewayTagsFile: tags,
      treasuryRecipientsFile: recipients,
      pageSize: 1000,
      retry: { maxRetries: 2, baseMs: 1, maxMs: 10 },
      timeoutMs: 10_000,
      log: (l) => logs.push(l),
    };
    const runs = await runAllSources(db, config);
    expect(runs.find((r) => r.source === "subgraph")).toMatchObject({ ok: true });
    server = await startServer({ db, port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => {
    await server?.close();
    await subgraph?.close();
    await db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("stores every funding event once, as the stand-in serves them", async () => {
    const [r] = await db.query<{ n: number }>(`select count(*)::int as n from ledger_events where gateway = $1`, [GW]);
    expect(r.n).toBe(programs.ledger.length);
    const kinds = await db.query<{ kind: string; n: number }>(`select kind, count(*)::int as n from ledger_events group by kind order by kind`);
    const count = (entity: string) => programs.ledger.filter((e) => e.entity === entity).length;
    expect(Object.fromEntries(kinds.map((k) => [k.kind, k.n]))).toEqual({
      claim: count("ReserveClaimedEvent"),
      deposit: count("DepositFundedEvent"),
      reserve: count("ReserveFundedEvent"),
      withdrawal: 1,
    });
    expect(count("ReserveClaimedEvent")).toBeGreaterThan(0);
  });

  it("GET /api/subsidy: the ledger to the wei against the demo's events summed here", async () => {
    const from = meta.startDay;
    const to = END_DAY;
    const { status, json } = await get(`/api/subsidy?from=${from}&to=${to}`);
    expect(status).toBe(200);
    expect(Object.keys(json).sort()).toEqual(["gateways", "provenance"]);
    expect(json.gateways).toHaveLength(1);
    const g = json.gateways[0];
    expect(Object.keys(g).sort()).toEqual(
      ["address", "label", "fundedEth", "spentEth", "withdrawnEth", "balanceEth", "subgraphBalanceEth", "burnEthPerDay", "runwayDays", "budgetEth", "series"].sort(),
    );
    // Hand sums: funding = deposits + reserves; withdrawn = both parts; every demo ticket is paid in full
    // (by the deposit or, for the short one, partly by its reserve claim), so spent = face values.
    let funded = 0n;
    let withdrawn = 0n;
    for (const e of programs.ledger) {
      if (e.entity === "DepositFundedEvent" || e.entity === "ReserveFundedEvent") funded += e.amountWei;
      if (e.entity === "WithdrawalEvent") withdrawn += e.amountWei + (e.reserveWei ?? 0n);
    }
    const spent = network.tickets.filter((t) => t.sender.id === GW).reduce((s, t) => s + ethToWei(t.faceValue), 0n);
    expect(g).toMatchObject({ address: GW, label: "Free tier", fundedEth: eth(funded), spentEth: eth(spent), withdrawnEth: eth(withdrawn), budgetEth: programs.budgetEth });
    expect(g.balanceEth).toBe(eth(funded - spent - withdrawn));
    expect(g.series).toHaveLength(Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1);
    expect(Object.keys(g.series[0]).sort()).toEqual(["balanceEth", "day", "fundedEth", "spentEth", "withdrawnEth"]);
    const withdrawal = programs.ledger.find((e) => e.entity === "WithdrawalEvent")!;
    expect(g.series.find((s: Json) => s.day === dayOf(withdrawal.timestamp)).withdrawnEth).toBe(eth(withdrawn));
    // the day before the withdrawal the balance is exactly what it then took
    const before = g.series[g.series.findIndex((s: Json) => s.day === dayOf(withdrawal.timestamp)) - 1];
    expect(ethToWei(before.balanceEth)).toBe(withdrawn);
    // money leaves as decimal strings
    for (const v of [g.fundedEth, g.burnEthPerDay.d7, g.burnEthPerDay.d30]) expect(typeof v).toBe("string");
  });

  it("burn and runway over the 7 and 30 days ending `to`", async () => {
    const to = meta.subsidy.to;
    const { json } = await get(`/api/subsidy?from=${meta.subsidy.from}&to=${to}`);
    const g = json.gateways[0];
    const tickets = network.tickets.filter((t) => t.sender.id === GW);
    const last = (n: number) => tickets.filter((t) => dayOf(t.timestamp) <= to && t.timestamp >= Date.parse(`${to}T00:00:00Z`) / 1000 - (n - 1) * DAY_SECONDS);
    const spent7 = last(7).reduce((s, t) => s + ethToWei(t.faceValue), 0n);
    expect(ethToWei(g.burnEthPerDay.d7.slice(0, g.burnEthPerDay.d7.indexOf(".") + 19)) * 7n - spent7 < 7n).toBe(true);
    expect(Number(g.runwayDays.d7)).toBeCloseTo(Number(ethToWei(g.balanceEth) * 7000n / spent7) / 1000, 1);
    const bad = await get(`/api/subsidy?from=2026-13-01`);
    expect(bad.status).toBe(400);
    // The alert metric subsidy.runwayDays reads the same runway, for the days ending its evaluation.
    const rule = { name: "runway", metric: "subsidy.runwayDays", subject: { kind: "all" }, condition: { below: 14 }, windowMs: 7 * DAY_SECONDS * 1000, window: "7d",
      minSamples: 0, for: 1, notify: [], pipeline: null, model: null, region: null } as unknown as Rule;
    const observed = await observe(db, rule, new Date(`${to}T12:00:00Z`));
    expect(observed.observations).toEqual([{ subject: GW, scope: "", value: Number(g.runwayDays.d7), samples: null, link: "/programs" }]);
  });

  it("reconciles with the subgraph's Broadcaster.deposit + reserve, and explains any difference", async () => {
    const res = await fetch(subgraph.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: `{ broadcaster(id: "${GW}") { deposit reserve } }` }) });
    const b = ((await res.json()) as Json).data.broadcaster;
    const { json } = await get(`/api/subsidy`);
    expect(json.gateways[0].subgraphBalanceEth).toBe(eth(ethToWei(b.deposit) + ethToWei(b.reserve)));
    const { details } = await loadSubsidy(db, { from: meta.startDay, to: END_DAY });
    const r = details[0].reconciliation;
    // whatever differs is the handler's arithmetic, and nothing else
    expect(r.unexplainedEth).toBe("0");
    expect(r.differenceEth).toBe(r.handlerEffectEth);
    // the short week's ticket is where the handler goes wrong
    const claim = programs.ledger.find((e) => e.entity === "ReserveClaimedEvent")!;
    expect(r.shortfalls.map((s) => s.day)).toContain(dayOf(claim.timestamp));
    expect(r.unpaidEth).toBe("0");
  });

  it("GET /api/treasury: the grant decoded to the wei, its votes and state, filtered by recipient", async () => {
    const { status, json } = await get(`/api/treasury`);
    expect(status).toBe(200);
    expect(json.proposals).toHaveLength(1);
    const p = json.proposals[0];
    expect(Object.keys(p).sort()).toEqual(["description", "id", "state", "transfers", "votesAgainst", "votesFor"]);
    expect(p).toMatchObject({ id: programs.proposals[0].id, state: "Succeeded", transfers: [{ to: programs.multisig, amountLpt: eth(DEMO_GRANT_WEI) }] });
    const votes = programs.votes;
    expect(p.votesFor).toBe(eth(votes.filter((v) => v.support === "For").reduce((s, v) => s + v.weightWei, 0n)));
    expect(p.votesAgainst).toBe(eth(votes.filter((v) => v.support === "Against").reduce((s, v) => s + v.weightWei, 0n)));
    expect((await get(`/api/treasury?recipient=${programs.multisig.toUpperCase().replace("0X", "0x")}`)).json.proposals).toHaveLength(1);
    expect((await get(`/api/treasury?recipient=${GW}`)).json.proposals).toEqual([]);
    expect((await get(`/api/treasury?recipient=0x12`)).status).toBe(400);
    // The CSV: one row per transfer, the same figures; the untrusted description stays text.
    const [header, ...rows] = parseCsv((await get(`/api/treasury?format=csv`)).text);
    expect(header).toEqual(["id", "state", "votes_for", "votes_against", "to", "amount_lpt", "description"]);
    expect(rows.map((r) => r.slice(0, 6))).toEqual([[p.id, p.state, p.votesFor, p.votesAgainst, programs.multisig, eth(DEMO_GRANT_WEI)]]);
    expect(rows[0][6]).toBe(p.description.startsWith("=") ? `'${p.description}` : p.description);
  });

  it("GET /api/subsidy?format=csv: the ledger per gateway and day, as the JSON series", async () => {
    const range = `from=${meta.subsidy.from}&to=${meta.subsidy.to}`;
    const { json } = await get(`/api/subsidy?${range}`);
    const [header, ...rows] = parseCsv((await get(`/api/subsidy?${range}&format=csv`)).text);
    expect(header).toEqual(["address", "label", "day", "funded_eth", "spent_eth", "withdrawn_eth", "balance_eth"]);
    expect(rows).toEqual(
      json.gateways.flatMap((g: Json) => g.series.map((x: Json) => [g.address, g.label, x.day, x.fundedEth, x.spentEth, x.withdrawnEth, x.balanceEth])),
    );
    expect(rows.length).toBeGreaterThan(7);
  });

  it("/programs: ledger, grants with the program's impact, description escaped", async () => {
    const { status, text } = await get(`/programs?from=${meta.startDay}&to=${END_DAY}`);
    expect(status).toBe(200);
    expect(text).toContain("Subsidy ledger");
    expect(text).toContain("Free-tier program multisig");
    expect(text).toContain("Free-tier infra credits: fees against the baseline per LPT granted");
    expect(text).toContain("25,000.50");
    expect(text).not.toContain(`<script>alert("descriptions are untrusted")`);
    expect(text).toContain("&lt;script&gt;alert(");
    expect(text).toContain("Orchestrator bootstrapping");
    const report = await get(`/reports`);
    expect(report.text).toContain('href="/programs?from=');
  });

  it("a malformed budget or recipient stops nothing: logged once, stored and shown with file and path", async () => {
    const problems = await db.query<{ file: string; path: string; message: string }>(`select file, path, message from config_problems order by path`);
    expect(problems.map((p) => [p.file, p.path])).toEqual([
      ["tags.json", "gateways.1.budgetEth"],
      ["recipients.json", "recipients.1.address"],
    ].sort((a, b) => (a[1] < b[1] ? -1 : 1)));
    expect(logs.filter((l) => l.startsWith("[config] tags.json: gateways.1.budgetEth"))).toHaveLength(1);
    expect(logs.join("\n")).not.toContain(dir); // file names, never the server's directories
    const tags = await db.query<{ address: string }>(`select address from gateway_tags order by address`);
    expect(tags).toHaveLength(2);
    const page = await get(`/programs`);
    expect(page.text).toContain("gateways.1.budgetEth");
    const status = await get(`/status`);
    expect(status.text).toContain("Configuration problems");
    expect(status.text).toContain("recipients.1.address");
    const api = await get(`/api/status`);
    expect(api.json.configProblems.map((p: Json) => `${p.file}:${p.path}`).sort()).toEqual(["recipients.json:recipients.1.address", "tags.json:gateways.1.budgetEth"]);
  });
});

describe("the stand-in's program collections behave as graph-node's", () => {
  let subgraph: DemoSubgraph;
  beforeAll(async () => {
    subgraph = await startDemoSubgraph({ network, now: () => Date.parse(`${END_DAY}T23:59:59Z`) });
  });
  afterAll(async () => subgraph?.close());
  const ask = async (query: string, variables: Record<string, unknown> = {}) => {
    const r = await fetch(subgraph.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
    return (await r.json()) as Json;
  };

  it("pages by id_gt without loss, caps first, refuses lists in orderBy and hides what a block has not mined", async () => {
    const all = (await ask(`{ depositFundedEvents(first: 1000, orderBy: id) { id amount sender { id } } }`)).data.depositFundedEvents;
    expect(all.length).toBe(programs.ledger.filter((e) => e.entity === "DepositFundedEvent").length);
    const seen: string[] = [];
    let last = "";
    for (;;) {
      const page = (await ask(`query P($w: DepositFundedEvent_filter) { depositFundedEvents(first: 3, orderBy: id, where: $w) { id } }`, { w: last ? { id_gt: last } : {} })).data.depositFundedEvents;
      seen.push(...page.map((p: Json) => p.id));
      if (page.length < 3) break;
      last = page.at(-1).id;
    }
    expect(seen).toEqual(all.map((e: Json) => e.id));
    expect((await ask(`{ treasuryVotes(first: 1001) { id } }`)).errors[0].message).toContain("between 0 and 1000");
    expect((await ask(`{ treasuryProposals(orderBy: calldatas) { id } }`)).errors[0].message).toMatch(/calldatas/);
    // before the proposal's block there is no proposal; before the withdrawal's block, no withdrawal
    const p = programs.proposals[0];
    expect((await ask(`query Q($b: Int!) { treasuryProposals(block: { number: $b }) { id } }`, { b: p.block - 1 })).data.treasuryProposals).toEqual([]);
    expect((await ask(`query Q($b: Int!) { treasuryProposals(block: { number: $b }) { id forVotes } }`, { b: p.block })).data.treasuryProposals).toEqual([{ id: p.id, forVotes: "0" }]);
    const w = programs.ledger.find((e) => e.entity === "WithdrawalEvent")!;
    expect((await ask(`query Q($b: Int!) { withdrawalEvents(block: { number: $b }) { id } }`, { b: w.block - 1 })).data.withdrawalEvents).toEqual([]);
    // a vote's weight comes back exactly, and support filters as an enum
    const against = (await ask(`{ treasuryVotes(where: { support: Against }) { weight voter { id } proposal { id } } }`)).data.treasuryVotes;
    const v = programs.votes.find((x) => x.support === "Against")!;
    expect(against).toEqual([{ weight: eth(v.weightWei), voter: { id: v.voter }, proposal: { id: p.id } }]);
  });
});

describe("a subgraph deployment older than the treasury", () => {
  it("indexes fees and the ledger, and says why there are no grants (log, config problem) instead of failing the run", async () => {
    const subgraph = await startDemoSubgraph({ network, now: () => Date.parse(`${END_DAY}T23:59:59Z`), without: ["TreasuryProposal", "TreasuryVote"] });
    const db = await openTestDb("pglite");
    try {
      const logs: string[] = [];
      const config: IndexerConfig = {
        subgraphUrl: subgraph.url,
        subgraphUrlLabel: subgraph.url,
        schedule: "*/5 * * * *",
        gatewayTagsFile: path.join(os.tmpdir(), "observatory-no-such-tags.json"),
        pageSize: 1000,
        retry: { maxRetries: 1, baseMs: 1, maxMs: 10 },
        timeoutMs: 10_000,
        log: (l) => logs.push(l),
      };
      const runs = await runAllSources(db, config);
      expect(runs.find((r) => r.source === "subgraph")).toMatchObject({ ok: true });
      const [counts] = await db.query<{ days: number; ledger: number; proposals: number }>(
        `select (select count(*)::int from days) as days, (select count(*)::int from ledger_events) as ledger, (select count(*)::int from treasury_proposals) as proposals`,
      );
      expect(counts.days).toBeGreaterThan(0);
      expect(counts.ledger).toBe(programs.ledger.length);
      expect(counts.proposals).toBe(0);
      expect(logs.some((l) => l.includes("this subgraph deployment has no treasury entities"))).toBe(true);
      const problems = await db.query<{ file: string; message: string }>(`select file, message from config_problems`);
      expect(problems).toEqual([{ file: "SUBGRAPH_URL", message: expect.stringContaining("treasury grants are not indexed") }]);
    } finally {
      await db.close();
      await subgraph.close();
    }
  });
});
