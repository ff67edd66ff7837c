// Gateway events end to end on a real database: the real captures, live sessions from files, pushes
// and standard input, stored exactly once by envelope id whatever the order and however often they
// arrive; rejects with their offsets; unknown types counted; orchestrators resolved through
// capabilities (hot wallet and URL) and the subgraph; and /api/live's figures against hand sums.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import zlib from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadIndexerConfig } from "../indexer/config";
import { runAllSources } from "../indexer/run";
import { createEventIngestHandler, ingestEventBody } from "../indexer/sources/events/push";
import { ingestEventStream } from "../indexer/sources/events/stdin";
import { loadLive } from "../app/lib/live.server";
import { toChecksumAddress } from "../indexer/demo/gateway-envelopes";
import { syncSubgraphAliases } from "../indexer/sources/capabilities/store";
import { readGatewayTags, syncGatewayTags } from "../indexer/gateway-tags";
import { bucketRange, LATENCY_BUCKETS, latencyBucket, MAX_DURATION_MS } from "../core/latency-histogram";
import { backends, openTestDb, type TestDb } from "./helpers/db";
import { capabilitiesLine, GATEWAY, liveRollupMismatches, ORCH, ORCH_B, REAL_DIR, realEnvelopeLines, session, sessionLines } from "./helpers/gateway-events";

const body = (lines: string[]) => Buffer.from(lines.join("\n") + "\n");
const push = (db: TestDb, lines: string[]) => ingestEventBody(db, body(lines), 1 << 20);
const WINDOW = { from: "2026-11-20", to: "2026-11-21" };

describe.each(backends())("gateway events on %s", (backend) => {
  let db: TestDb;
  let dir: string;

  beforeAll(async () => {
    db = await openTestDb(backend);
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db.reset();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "events-"));
  });

  it("stores the real captures with no reject, the payment's expected value to the wei", async () => {
    const r = await push(db, realEnvelopeLines());
    expect(r).toEqual({ accepted: 5, duplicates: 0, unknownTypes: {}, rejected: [] });
    const [p] = await db.query<Record<string, string>>(
      `select face_value_wei::text f, win_prob::text w, num_tickets n, expected_value_wei::text ev, sender, recipient from payments_sent`,
    );
    expect(p).toEqual({ f: "2402400000000000", w: "0.000999001", n: 2, ev: "4800000004800", sender: GATEWAY, recipient: ORCH.address });
    const [s] = await db.query<Record<string, unknown>>(`select stream_id, request_id, model_id, status_samples, startup_ms, orch from live_sessions`);
    // The capture holds the request and one status: no first processed segment, so no startup (incomplete).
    expect(s).toEqual({ stream_id: "stream-o5s73x-mk5zc8fy", request_id: "db936fab", model_id: "streamdiffusion-sdxl-faceid", status_samples: 1, startup_ms: null, orch: ORCH.hot });
    // 17.298.../20.484... = 0.8444 -> 84 hundredths
    expect(await db.query(`select ratio_centis, ratio_counts, samples from live_fps_day`)).toEqual([{ ratio_centis: [84], ratio_counts: [1], samples: 1 }]);
    // The capabilities event makes the hot wallet resolve to the canonical address.
    expect(await db.query(`select alias, address from orch_aliases order by alias`)).toEqual([
      { alias: ORCH.hot, address: ORCH.address },
      { alias: ORCH.address, address: ORCH.address },
      { alias: ORCH.url, address: ORCH.address },
    ]);
    expect(await push(db, realEnvelopeLines())).toEqual({ accepted: 0, duplicates: 5, unknownTypes: {}, rejected: [] });
  });

  it("computes startup, frame-rate ratio, swaps and ETH per second from sessions, in any arrival order", async () => {
    const a = sessionLines(session(1));
    const b = sessionLines(session(2, { orchAddress: ORCH_B.address }));
    // Reversed and split across two pushes, with the capabilities arriving last.
    const all = [...a, ...b].reverse();
    await push(db, all.slice(0, 7));
    await push(db, all.slice(7));
    await push(db, [capabilitiesLine(ORCH, Date.parse("2026-11-20T13:00:00Z")), capabilitiesLine(ORCH_B, Date.parse("2026-11-20T13:00:00Z"))]);
    const sessions = await db.query<Record<string, unknown>>(`select stream_id, startup_ms, swaps, closed, status_samples from live_sessions order by stream_id`);
    expect(sessions).toEqual([
      { stream_id: "stream-test-1", startup_ms: 1600, swaps: 1, closed: true, status_samples: 3 },
      { stream_id: "stream-test-2", startup_ms: 1700, swaps: 0, closed: true, status_samples: 3 },
    ]);
    const live = await loadLive(db, { range: WINDOW, model: null });
    expect(live.model).toBe("streamdiffusion-sdxl-faceid");
    expect(live.modelChoice).toBe("busiest");
    expect(live.rows.map((r) => [r.address, r.resolved, r.sessions])).toEqual([
      [ORCH_B.address, true, 1],
      [ORCH.address, true, 1],
    ]);
    // By hand: 150 billable seconds per session at 1618 wei/pixel x 27,648,000 pixels/s.
    const weiPerSecond = 1618n * 27_648_000n;
    expect(live.network.billableSeconds).toBe("300");
    expect(live.network.feesEth).toBe((Number(weiPerSecond * 300n) / 1e18).toString());
    expect(live.network.ethPerSecond).toBe("0.000000044734464"); // 44,734,464,000 wei per second
    // Frame-rate ratios 0.9, 1.0, 0.85 per session: median 0.9, 5th percentile 0.85.
    expect(live.network.fpsRatio).toEqual({ p50: 0.9, p5: 0.85 });
    // From the 1%-accurate histogram (decision 008): the exact median is 1,650 ms.
    expect(Math.abs(live.network.startupMs.p50! - 1650) / 1650).toBeLessThan(0.01);
    expect(live.network.startupSamples).toBe(2);
    expect(live.network.incompleteSessions).toBe(0);
    expect(live.network.swaps).toBe(0.5);
  });

  it("keeps the rollups equal to the sessions and payments they summarise, whatever the order", async () => {
    const lines = [1, 2, 3, 4, 5, 6].flatMap((n) => sessionLines(session(n, n % 2 ? {} : { orchAddress: ORCH_B.address, modelId: "streamdiffusion-sdxl" })));
    // A deterministic shuffle, pushed in uneven batches: payments often come before their session.
    const shuffled = lines.map((l, i) => [((i * 7919) % 104729) / 104729, l] as const).sort((a, b) => a[0] - b[0]).map(([, l]) => l);
    for (let i = 0; i < shuffled.length; i += 9) await push(db, shuffled.slice(i, i + 9));
    expect(await liveRollupMismatches(db)).toEqual([]);
    const [{ n }] = await db.query<{ n: number }>(`select count(*)::int n from live_tickets where model_id is null`);
    expect(n).toBe(0);
  });

  it("buckets durations in SQL exactly as core/latency-histogram.ts does", async () => {
    // Both ends of every bucket, and values between.
    const samples = [12_345, 99_999, 1_000_000];
    for (let b = 0; b < LATENCY_BUCKETS; b++) samples.push(...bucketRange(b).map((ms) => Math.min(ms, MAX_DURATION_MS)));
    const rows = await db.query<{ ms: number; b: number }>(`select ms, latency_bucket(ms) as b from unnest($1::int[]) as ms`, [samples]);
    expect(rows.map((r) => [r.ms, r.b])).toEqual(samples.map((ms) => [ms, latencyBucket(ms)]));
    expect(await db.query(`select latency_bucket(-1) as neg, latency_bucket(null) as nul`)).toEqual([{ neg: null, nul: null }]);
  });

  it("reads event files once across reruns, rotation to .gz, a partial last line and garbage", async () => {
    const lines = sessionLines(session(3));
    const file = path.join(dir, "network_events.jsonl");
    const cut = lines.slice(0, 5).join("\n") + "\n" + lines[5].slice(0, 40); // a partial last line
    fs.writeFileSync(file, cut);
    const config = loadIndexerConfig({ GATEWAY_EVENTS_DIR: dir, GATEWAY_TAGS_FILE: "/nonexistent.json" });
    config.log = () => {};
    const events = async () => (await runAllSources(db, config)).find((o) => o.source === "events")!;
    const first = await events();
    expect(first).toMatchObject({ source: "events", ok: true, rowsWritten: 5 });
    // The writer finishes the line and adds a bad one and the rest.
    fs.appendFileSync(file, lines[5].slice(40) + "\n" + "{not json\n" + lines.slice(6).join("\n") + "\n");
    const second = await events();
    expect(second.rowsWritten).toBe(lines.length - 5);
    const rejects = await db.query<{ byte_offset: number; line_number: number; reason: string; origin: string }>(
      `select origin, byte_offset, line_number, reason from gateway_event_rejects`,
    );
    const offset = Buffer.byteLength(lines.slice(0, 6).join("\n") + "\n");
    expect(rejects).toEqual([{ origin: "file", byte_offset: offset, line_number: 7, reason: "not JSON" }]);
    // Rotation: the file is compressed under a new name; nothing is read twice.
    fs.writeFileSync(file + ".1.gz", zlib.gzipSync(fs.readFileSync(file)));
    fs.rmSync(file);
    const third = await events();
    expect(third.rowsWritten).toBe(0);
    const [{ n }] = await db.query<{ n: number }>(`select count(*)::int n from live_traces`);
    expect(n).toBe(lines.filter((l) => l.includes('"stream_trace"')).length);
  });

  it("reads standard input in batches, counts unknown types, and rejects malformed known events with offsets", async () => {
    const lines = [
      ...sessionLines(session(4)),
      JSON.stringify({ id: "0b7c1a52-6a6f-4d0e-9d53-8f6a1c0e2b11", type: "stream_ingest_metrics", timestamp: "1763640000000", gateway: "", data: {} }),
      JSON.stringify({ id: "0b7c1a52-6a6f-4d0e-9d53-8f6a1c0e2b12", type: "create_new_payment", timestamp: "1763640000000", gateway: "", data: { faceValue: "lots" } }),
    ];
    const input = Readable.from([Buffer.from(lines.join("\n").slice(0, 100)), Buffer.from(lines.join("\n").slice(100))]); // no final newline
    const c = await ingestEventStream(db, input, { batchLines: 5, batchMs: 50, maxLineBytes: 1 << 20, log: () => {} });
    expect(c).toMatchObject({ read: lines.length, accepted: lines.length - 1, duplicates: 0, rejected: 1, unknownTypes: { stream_ingest_metrics: 1 } });
    const [reject] = await db.query<{ origin: string; byte_offset: number; line_number: number; reason: string }>(
      `select origin, byte_offset, line_number, reason from gateway_event_rejects`,
    );
    expect(reject).toEqual({
      origin: "stdin",
      byte_offset: Buffer.byteLength(lines.slice(0, -1).join("\n") + "\n"),
      line_number: lines.length,
      reason: 'create_new_payment: data.faceValue must read "<n> WEI" or "<x> ETH", not "lots"',
    });
    const counts = await db.query(`select type, known, accepted, rejected from gateway_event_counts where type in ('stream_ingest_metrics', 'create_new_payment') order by type`);
    expect(counts).toEqual([
      { type: "create_new_payment", known: true, accepted: 1, rejected: 1 },
      { type: "stream_ingest_metrics", known: false, accepted: 1, rejected: 0 },
    ]);
  });

  it("resolves URLs through the subgraph's service URI, and keeps unresolved orchestrators visible by name", async () => {
    await db.query(
      `insert into transcoders (address, active, fee_share, reward_cut, total_stake, total_volume_eth, total_volume_usd, thirty_day_volume_eth, ninety_day_volume_eth, service_uri)
       values ($1, true, 0, 0, 0, 0, 0, 0, 0, 'HTTPS://orch-b.example:8935/')`,
      [ORCH_B.address],
    );
    const unknownHot = "0x3333333333333333333333333333333333333333";
    const s = session(5, { orchAddress: ORCH_B.address });
    // Stream events name the orchestrator by URL only (no hot wallet), as some builds do.
    const hot = toChecksumAddress(ORCH_B.hot);
    const lines = sessionLines(s).map((l) => l.replace(`"address":"${hot}"`, '"address":""').replace(`"orch_address":"${hot}"`, '"orch_address":""'));
    const other = sessionLines(session(6, { orchHot: unknownHot, orchUrl: "https://unknown.example:1" }));
    await push(db, [...lines, ...other]);
    await db.tx((q) => syncSubgraphAliases(q));
    const live = await loadLive(db, { range: WINDOW, model: null });
    expect(live.rows.map((r) => [r.address, r.resolved]).sort()).toEqual([
      [ORCH_B.address, true],
      [unknownHot, false],
    ]);
  });

  it("turns batch and LLM completions into jobs, resolving the orchestrator's URL and the gateway by its payment", async () => {
    const example = (name: string) => JSON.parse(fs.readFileSync(path.join(REAL_DIR, "doc-examples", `${name}.data.json`), "utf8"));
    const at = Date.parse("2026-11-20T12:00:00Z");
    const env = (id: string, type: string, data: unknown, gateway = "") => JSON.stringify({ id, type, timestamp: String(at), gateway, data });
    // A second gateway that names itself in its envelopes and is tied to its address by the tags file.
    const EAST = "0x4444444444444444444444444444444444444444";
    const tagsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tags-")), "gateway-tags.json");
    fs.writeFileSync(tagsFile, JSON.stringify({ gateways: [{ address: EAST.toUpperCase().replace("0X", "0x"), tag: "organic", host: "GW-East.example" }] }));
    await db.tx((q) => syncGatewayTags(q, readGatewayTags(tagsFile)));
    const batch = { ...example("ai_batch_request_completed"), timestamp: at, orch_url: ORCH.url + "/" };
    const failed = { ...batch, request_id: "req-002", success: false, error_type: "timeout", duration_ms: 30000 };
    const llm = { ...example("llm_stream_completed"), request_id: "req-003", timestamp: at, orch_url: "https://unknown.example:8935" };
    const payment = JSON.parse(realEnvelopeLines()[2]);
    payment.data.requestID = "req-001";
    const r = await push(db, [
      capabilitiesLine(ORCH, at - 60_000),
      JSON.stringify({ ...payment, id: "9c838785-dc30-4725-9769-34cc47792301" }),
      env("5d7f5b2e-1a0b-4c3d-9e8f-000000000001", "ai_batch_request_completed", batch),
      env("5d7f5b2e-1a0b-4c3d-9e8f-000000000002", "ai_batch_request_completed", failed, "gw-east.EXAMPLE"),
      env("5d7f5b2e-1a0b-4c3d-9e8f-000000000003", "llm_stream_completed", llm),
      env("5d7f5b2e-1a0b-4c3d-9e8f-000000000004", "ai_batch_request_completed", { ...batch, success: "yes" }),
    ]);
    expect(r).toMatchObject({ accepted: 5, duplicates: 0, rejected: [{ line: 6, reason: "ai_batch_request_completed: data.success must be true or false" }] });
    const jobs = await db.query(`select gateway, request_id, pipeline, model_id, orch_address, success, duration_ms, error_type from jobs order by request_id, gateway`);
    expect(jobs).toEqual([
      { gateway: GATEWAY, request_id: "req-001", pipeline: "text-to-image", model_id: "stabilityai/sd-turbo", orch_address: ORCH.address, success: true, duration_ms: 4000, error_type: null },
      { gateway: EAST, request_id: "req-002", pipeline: "text-to-image", model_id: "stabilityai/sd-turbo", orch_address: ORCH.address, success: false, duration_ms: 30000, error_type: "timeout" },
      { gateway: "feed:", request_id: "req-003", pipeline: "llm", model_id: "meta-llama/Llama-3.1-8B-Instruct", orch_address: "https://unknown.example:8935", success: true, duration_ms: 2500, error_type: null },
    ]);
    const [day] = await db.query<{ jobs: number; successes: number }>(`select sum(jobs)::int as jobs, sum(successes)::int as successes from job_day`);
    expect(day).toEqual({ jobs: 3, successes: 2 });
    expect((await push(db, [env("5d7f5b2e-1a0b-4c3d-9e8f-000000000001", "ai_batch_request_completed", batch)])).duplicates).toBe(1);
  });

  it("refuses a tags file that gives one host to two gateways, naming the entry", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tags-")), "gateway-tags.json");
    const g = (n: number, host: string) => ({ address: "0x" + String(n).repeat(40), tag: "organic", host });
    fs.writeFileSync(file, JSON.stringify({ gateways: [g(1, "gw.example"), g(2, "other.example"), g(3, "GW.example")] }));
    expect(() => readGatewayTags(file)).toThrow(/gateways\.2\.host: repeats gateways\.0\.host/);
    fs.writeFileSync(file, JSON.stringify({ gateways: [g(1, "gw.example/<script>")] }));
    expect(() => readGatewayTags(file)).toThrow(/gateways\.0\.host: must be a host name/);
  });

  it("answers pushes over the ingest contract: 404 without a token, 401, 405, then counts", async () => {
    const req = (token?: string, method = "POST") =>
      new Request("http://observatory.test/api/ingest/events", {
        method,
        body: method === "POST" ? body(realEnvelopeLines()) : undefined,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    const off = createEventIngestHandler(db, { token: undefined, maxBytes: 1 << 20, maxLineBytes: 1 << 20 });
    expect((await off(req("x"))).status).toBe(404);
    const on = createEventIngestHandler(db, { token: "a-token-of-16-chars-or-more", maxBytes: 1 << 20, maxLineBytes: 1 << 20 });
    expect((await on(req())).status).toBe(401);
    expect((await on(req("wrong-token-000000000"))).status).toBe(401);
    expect((await on(req("a-token-of-16-chars-or-more", "PUT"))).status).toBe(405);
    const ok = await on(req("a-token-of-16-chars-or-more"));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ accepted: 5, duplicates: 0, unknownTypes: {}, rejected: [] });
  });
});
