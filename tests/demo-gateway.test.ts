// The demo's gateway, as `npm run demo` runs it: /getNetworkCapabilities in the real answer's shape
// (parsed by the same code as a real gateway's), Kafka envelope files of live video sessions that
// parse with no reject, payments that add up (computed_fee = billable pixels x advertised price;
// tickets whose expected value covers them), the AI orchestrators' winning tickets drawn from those
// payments, and live video costing what the network advertises once the files are indexed.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadLive } from "../app/lib/live.server";
import { parseNetworkCapabilities } from "../core/gateway/capabilities";
import { parseEventLine, parseFaceValue } from "../core/gateway/events";
import { priceAt, WIN_PROB_SCALE } from "../indexer/demo/ai-plan";
import { capabilitiesAnswer, generateDemoEvents, startDemoGateway, startEventAppender, writeDemoEvents, type DemoEvents, type DemoGateway } from "../indexer/demo/gateway";
import { LIVE_PIXELS_PER_SECOND, toChecksumAddress } from "../indexer/demo/gateway-envelopes";
import { DAY_SECONDS, generateDemoNetwork, parseUnits } from "../indexer/demo/generate";
import { CAPTURED_PRICES } from "../indexer/demo/job-lines";
import { demoAi } from "../indexer/demo/traffic";
import { DEFAULT_EVENT_BATCHES } from "../indexer/config";
import { runEventFiles } from "../indexer/sources/events/ingest-files";
import { backends, openTestDb, type TestDb } from "./helpers/db";
import { tempDir } from "./helpers/joblogs";

const END_DAY = "2026-11-30";
const NOW = Date.parse(`${END_DAY}T15:00:00Z`);
const DAYS = 4;
const network = generateDemoNetwork({ seed: 42, endDay: END_DAY });
const { plan, traffic } = demoAi(network);
const byHot = new Map(plan.nodes.map((n) => [n.hot, n]));
const liveWei = (weiPerPixel: number) => Number(LIVE_PIXELS_PER_SECOND) * weiPerPixel;

type Answer = { capabilities_names: Record<string, string>; orchestrators: Record<string, unknown>[] };

describe("the demo gateway's /getNetworkCapabilities", () => {
  let gateway: DemoGateway;
  let answer: Answer;
  beforeAll(async () => {
    gateway = await startDemoGateway({ network, now: () => NOW });
    answer = (await (await fetch(gateway.url)).json()) as Answer;
  });
  afterAll(() => gateway?.close());

  it("answers in the real shape, and the real parser reads it without an error", async () => {
    const real = JSON.parse(fs.readFileSync(path.resolve(__dirname, "real-samples/gateway-events/getNetworkCapabilities.json"), "utf8")) as Answer;
    expect(Object.keys(answer)).toEqual(Object.keys(real));
    expect(answer.capabilities_names).toEqual(real.capabilities_names);
    for (const o of answer.orchestrators) expect(Object.keys(o).sort()).toEqual(["address", "capabilities", "capabilities_prices", "hardware", "local_address", "orch_uri"]);
    const states = parseNetworkCapabilities(answer);
    expect(states.length).toBe(answer.orchestrators.length);
    expect(states.length).toBeGreaterThan(40);
    // most list no AI, as in the capture (38 of 53)
    expect(answer.orchestrators.filter((o) => o.hardware === null && o.capabilities_prices === null).length).toBeGreaterThan(states.length / 2);
    expect(await (await fetch(gateway.url.replace("getNetworkCapabilities", "nope"))).text()).toBe("not found\n");
  });

  it("names orchestrators by EIP-55 canonical address, a distinct hot wallet for most AI nodes, and the subgraph's serviceURI", () => {
    const transcoders = new Map(network.transcoders.map((t) => [t.id, t]));
    for (const o of answer.orchestrators) {
      const address = o.address as string;
      expect(address).toBe(toChecksumAddress(address.toLowerCase()));
      expect(address).not.toBe(address.toLowerCase());
      expect(o.orch_uri).toBe(transcoders.get(address.toLowerCase())!.serviceURI);
    }
    const ai = answer.orchestrators.filter((o) => o.capabilities_prices !== null);
    expect(ai.length).toBe(plan.nodes.length);
    expect(ai.filter((o) => o.local_address !== o.address).length).toBeGreaterThan(ai.length * 0.6);
  });

  it("offers live video mostly on RTX 5090 and 4090 at 1,588 to 3,000 wei per pixel, and batch pipelines at captured prices", () => {
    const states = parseNetworkCapabilities(answer);
    const gpus = new Map(states.flatMap((s) => s.gpus.map((g) => [g.gpuId, g.name])));
    const live = states.flatMap((s) => s.gpus.filter((g) => g.pipeline === "live-video-to-video").map((g) => g.name));
    expect(live.length).toBeGreaterThan(10);
    expect(live.every((n) => n === "NVIDIA GeForce RTX 5090" || n === "NVIDIA GeForce RTX 4090")).toBe(true);
    expect([...gpus.values()].filter((n) => /RTX (5090|4090)$/.test(n)).length).toBeGreaterThan(gpus.size / 2);
    expect(new Set(gpus.values()).size).toBeGreaterThanOrEqual(6);
    const models = states.flatMap((s) => s.models);
    const liveModels = models.filter((m) => m.pipeline === "live-video-to-video");
    expect(new Set(liveModels.map((m) => m.modelId))).toEqual(new Set(["streamdiffusion-sdxl", "streamdiffusion-sdxl-faceid", "streamdiffusion"]));
    for (const m of liveModels) {
      expect(m.pixelsPerUnit).toBe("1");
      expect(Number(m.pricePerUnit)).toBeGreaterThanOrEqual(1_588);
      expect(Number(m.pricePerUnit)).toBeLessThanOrEqual(3_000);
    }
    const captured = CAPTURED_PRICES as Record<string, Record<string, readonly bigint[]>>;
    for (const m of models.filter((x) => x.pipeline !== "live-video-to-video")) expect(captured[m.pipeline][m.modelId].map(String)).toContain(m.pricePerUnit);
    expect(new Set(models.map((m) => m.pipeline)).size).toBeGreaterThanOrEqual(7);
  });

  it("keeps who is who when the end day moves, and changes prices only as planned", () => {
    const later = demoAi(generateDemoNetwork({ seed: 42, endDay: "2026-12-31" })).plan;
    expect(later.nodes.map((n) => [n.address, n.hot, n.url, n.gpus.map((g) => g.id)])).toEqual(plan.nodes.map((n) => [n.address, n.hot, n.url, n.gpus.map((g) => g.id)]));
    const changes = plan.nodes.flatMap((n) => n.offers.filter((o) => o.earlier));
    expect(changes.length).toBe(2);
    for (const o of changes) expect(capabilitiesAnswer(network, o.earlier!.untilMs - 1).orchestrators).not.toEqual(capabilitiesAnswer(network, o.earlier!.untilMs).orchestrators);
  });
});

describe("the demo gateway's event files", () => {
  let dir: string;
  let events: DemoEvents;
  let lines: string[];
  beforeAll(() => {
    dir = tempDir();
    events = generateDemoEvents(network, { nowMs: NOW, days: DAYS });
    writeDemoEvents(dir, events, NOW);
    const files = fs.readdirSync(dir).sort();
    lines = files.flatMap((f) => {
      const raw = fs.readFileSync(path.join(dir, f));
      return (f.endsWith(".gz") ? zlib.gunzipSync(raw) : raw).toString("utf8").split("\n").filter(Boolean);
    });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writes one rotated .gz and the active file, every line an envelope the real parser accepts", () => {
    expect(fs.readdirSync(dir).sort()).toEqual([`gateway-events-${events.firstDay}.jsonl.gz`, "gateway-events.jsonl"]);
    expect(lines).toEqual(events.due);
    const types = new Map<string, number>();
    for (const line of lines) {
      const p = parseEventLine(line, NOW);
      if (!p.ok) throw new Error(`${p.reason}: ${line.slice(0, 200)}`);
      expect(p.record).not.toBeNull();
      types.set(p.envelope.type, (types.get(p.envelope.type) ?? 0) + 1);
    }
    expect([...types.keys()].sort()).toEqual(["ai_stream_status", "create_new_payment", "create_signed_ticket", "discovery_results", "network_capabilities", "stream_trace"]);
    expect(events.sessions.length / DAYS).toBeGreaterThan(150);
  });

  it("has the real envelopes' quirks: string timestamps, an empty gateway, EIP-55 payment addresses, both faceValue forms", () => {
    const envelopes = lines.map((l) => JSON.parse(l));
    expect(envelopes.every((e) => typeof e.timestamp === "string" && /^\d{13}$/.test(e.timestamp) && e.gateway === "")).toBe(true);
    const payments = envelopes.filter((e) => e.type === "create_new_payment").map((e) => e.data);
    const forms = new Set(payments.map((d) => d.faceValue.split(" ")[1]));
    expect(forms).toEqual(new Set(["WEI", "ETH"]));
    for (const d of payments) {
      expect(d.recipient).toBe(toChecksumAddress(d.recipient.toLowerCase()));
      expect(d.sender).toBe(toChecksumAddress(network.meta.gateways.find((g) => g.role === "ai-live")!.address));
      expect(typeof d.numTickets).toBe("string");
    }
    // the hot wallet names the orchestrator in stream events, and is not its canonical address for most
    const statuses = envelopes.filter((e) => e.type === "ai_stream_status");
    expect(statuses.filter((e) => byHot.get(e.data.orchestrator_info.address.toLowerCase())!.address !== e.data.orchestrator_info.address.toLowerCase()).length).toBeGreaterThan(statuses.length / 2);
  });

  it("delivers at most once: some sessions lost an event, some requests found no orchestrator", () => {
    expect(events.sessions.filter((s) => s.lost.length).length).toBeGreaterThan(0);
    expect(events.unserved).toBeGreaterThan(0);
    const all = [...lines, ...events.later.map((l) => l.line)];
    expect(all.filter((l) => l.includes('"gateway_no_orchestrators_available"')).length).toBe(events.unserved);
  });

  it("pays each session exactly: computed_fee = billable pixels x advertised price, and tickets whose expected value covers it", () => {
    const fees = new Map<string, { fee: bigint; pixelsTimesPrice: bigint }>();
    const sessions = new Map(events.sessions.map((s) => [s.spec.requestId, s]));
    const ev = new Map<string, bigint>();
    for (const line of lines) {
      const e = JSON.parse(line);
      if (e.type === "create_signed_ticket") {
        const d = e.data;
        const s = sessions.get(d.request_id)!;
        const node = plan.nodes[s.node];
        const offer = node.offers.find((o) => o.modelId === s.spec.modelId)!;
        const price = priceAt(offer, s.spec.startMs);
        expect(d.cost).toBe(`${price}.0000000000`);
        expect(BigInt(d.pixels)).toBe((LIVE_PIXELS_PER_SECOND * BigInt(Math.round(d.billable_secs * 1000))) / 1000n);
        const f = fees.get(node.address) ?? { fee: 0n, pixelsTimesPrice: 0n };
        f.fee += BigInt(d.computed_fee);
        f.pixelsTimesPrice += BigInt(d.pixels) * price;
        fees.set(node.address, f);
      }
      if (e.type === "create_new_payment") {
        const d = e.data;
        const win = BigInt(d.winProb.replace("0.", ""));
        ev.set(d.requestID, (ev.get(d.requestID) ?? 0n) + (parseFaceValue(d.faceValue) * win * BigInt(d.numTickets)) / WIN_PROB_SCALE);
      }
    }
    expect(fees.size).toBeGreaterThan(8);
    for (const f of fees.values()) expect(f.fee).toBe(f.pixelsTimesPrice);
    for (const s of events.sessions) {
      const node = plan.nodes[s.node];
      const perTicket = (node.faceValueWei * node.winProbNum) / WIN_PROB_SCALE;
      const sent = ev.get(s.spec.requestId) ?? 0n;
      if (s.spec.startMs + s.spec.durationMs > NOW) continue; // still being paid
      expect(sent).toBe(s.evWei);
      expect(sent >= s.feeWei && sent - s.feeWei < perTicket).toBe(true);
    }
  });

  it("is what the chain's winning tickets to AI orchestrators were drawn from", () => {
    const ai = new Map(plan.nodes.map((n) => [n.address, n]));
    // the network holds exactly the traffic's winners
    const onChain = new Map<string, bigint>();
    for (const t of network.tickets) if (ai.has(t.recipient.id)) onChain.set(t.recipient.id, (onChain.get(t.recipient.id) ?? 0n) + parseUnits(t.faceValue, 18));
    const winners = new Map<string, bigint>();
    for (const w of traffic.winners) winners.set(plan.nodes[w.node].address, (winners.get(plan.nodes[w.node].address) ?? 0n) + w.wei);
    expect(onChain).toEqual(winners);
    // over the whole span, per orchestrator and in all, within the lottery's randomness of the expected value paid
    let ev = 0;
    let variance = 0;
    for (const node of plan.nodes) {
      const mine = traffic.paid.filter((p) => p.orchestrator === node.address);
      const tickets = mine.reduce((s, p) => s + p.tickets, 0);
      const paid = Number(mine.reduce((s, p) => s + p.evWei, 0n));
      const p = Number(node.winProbNum) / Number(WIN_PROB_SCALE);
      const v = tickets * p * (1 - p) * Number(node.faceValueWei) ** 2;
      expect(Math.abs(Number(onChain.get(node.address) ?? 0n) - paid)).toBeLessThan(4 * Math.sqrt(v));
      ev += paid;
      variance += v;
    }
    const won = Number([...onChain.values()].reduce((a, b) => a + b, 0n));
    expect(Math.abs(won - ev)).toBeLessThan(3 * Math.sqrt(variance));
    // every winning ticket is redeemed the UTC day it was won, so per day the chain follows the traffic too
    const days = new Set(traffic.paid.map((p) => p.day));
    const ticketDays = new Set(network.tickets.filter((t) => ai.has(t.recipient.id)).map((t) => Math.floor(t.timestamp / DAY_SECONDS)));
    for (const d of ticketDays) expect(days.has(d)).toBe(true);
  });

  it("appends the rest of the day's events as the clock reaches them", () => {
    const appender = startEventAppender(dir, events.later, 60_000);
    try {
      expect(appender.tick(NOW)).toBe(0);
      const added = appender.tick(NOW + 30 * 60_000);
      expect(added).toBeGreaterThan(50);
      const appended = fs.readFileSync(path.join(dir, "gateway-events.jsonl"), "utf8").split("\n").filter(Boolean).slice(-added);
      for (const line of appended) expect(parseEventLine(line, NOW + 30 * 60_000).ok).toBe(true);
    } finally {
      appender.stop();
    }
  });
});

describe.each(backends())("the demo's live video on %s", (backend) => {
  let db: TestDb;
  let dir: string;
  beforeAll(async () => {
    db = await openTestDb(backend);
    dir = tempDir();
    writeDemoEvents(dir, generateDemoEvents(network, { nowMs: NOW, days: DAYS }), NOW);
    const r = await runEventFiles(db, { dir, batchLines: DEFAULT_EVENT_BATCHES.lines, maxLineBytes: DEFAULT_EVENT_BATCHES.maxLineBytes, log: () => {} });
    expect(r.rejected).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("costs what the network advertises per second of video, for every orchestrator, all resolved to canonical addresses", async () => {
    const from = new Date(NOW - (DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
    const live = await loadLive(db, { range: { from, to: END_DAY }, model: "all" });
    const [lo, hi] = [liveWei(1_588) / 1e18, liveWei(3_000) / 1e18];
    expect(live.network.sessions).toBeGreaterThan(500);
    expect(Number(live.network.ethPerSecond)).toBeGreaterThanOrEqual(lo);
    expect(Number(live.network.ethPerSecond)).toBeLessThanOrEqual(hi);
    expect(live.rows.length).toBeGreaterThanOrEqual(10);
    for (const r of live.rows) {
      expect(r.resolved).toBe(true);
      expect(plan.nodes.some((n) => n.address === r.address)).toBe(true);
      if (r.ethPerSecond === null) continue;
      expect(Number(r.ethPerSecond)).toBeGreaterThanOrEqual(lo * 0.999999);
      expect(Number(r.ethPerSecond)).toBeLessThanOrEqual(hi * 1.000001);
    }
    // a few sessions never got a first processed segment (lost, or never started)
    expect(live.network.incompleteSessions).toBeGreaterThan(0);
    // the busiest model by default: streamdiffusion-sdxl
    expect((await loadLive(db, { range: { from, to: END_DAY }, model: null })).model).toBe("streamdiffusion-sdxl");
  });
});
