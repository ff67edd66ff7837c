// The gateway event and capability parsers against the real captures (tests/real-samples, copied
// verbatim from shared/data/real-samples with their SOURCES.md) and against every malformed shape.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseNetworkCapabilities, stateHash } from "./capabilities";
import { parseEventLine, parseFaceValue, type PaymentRecord } from "./events";
import { normaliseUrl, orchAlias } from "./identity";

const DIR = path.resolve(__dirname, "../../tests/real-samples/gateway-events");
const NOW = Date.parse("2026-12-07T00:00:00Z");
const realLines = () =>
  fs
    .readdirSync(DIR)
    .filter((f) => f.endsWith(".jsonl"))
    .sort()
    .flatMap((f) => fs.readFileSync(path.join(DIR, f), "utf8").split("\n").filter(Boolean));

describe("real gateway events", () => {
  it("parse with no reject, each as its known type", () => {
    const parsed = realLines().map((l) => parseEventLine(l, NOW));
    expect(parsed.map((p) => (p.ok ? p.record?.kind : p.reason))).toEqual([
      "stream_trace",
      "discovery_results",
      "create_new_payment",
      "ai_stream_status",
      "network_capabilities",
    ]);
  });

  it("read the payment's face value, win probability and expected value exactly", () => {
    const p = parseEventLine(realLines()[2], NOW);
    if (!p.ok || !p.record) throw new Error("not parsed");
    const r = p.record as PaymentRecord;
    expect(p.envelope).toEqual({ id: "9c838785-dc30-4725-9769-34cc47792393", type: "create_new_payment", atMs: 1767908945560, feed: "" });
    expect(r.faceValueWei).toBe("2402400000000000");
    expect(r.winProb).toBe("0.000999001");
    expect(r.numTickets).toBe(2);
    // 2,402,400,000,000,000 x 0.0009990010 x 2, by hand: 2,402,400,000,000,000 x 0.001998002 = 4,800,000,004,800 wei.
    expect(r.expectedValueWei).toBe("4800000004800");
    expect(r.sender).toBe("0x5ae4e42db3671370a0c25aff451e7482aaec3d0b");
    expect(r.recipient).toBe("0xd00354656922168815fcd1e51cbddb9e359e3c7f");
  });

  it("read the stream trace's request time and the status's frame rates", () => {
    const [trace, , , status] = realLines().map((l) => parseEventLine(l, NOW));
    if (!trace.ok || !status.ok) throw new Error("not parsed");
    expect(trace.record).toMatchObject({ traceType: "gateway_receive_stream_request", atMs: 1767908945298, streamId: "stream-o5s73x-mk5zc8fy", orch: "" });
    expect(status.record).toMatchObject({
      modelId: "streamdiffusion-sdxl-faceid",
      state: "ONLINE",
      orch: "0x52cf2968b3dc6016778742d3539449a6597d5954",
      inputFps: 20.484865861692217,
      outputFps: 17.298215447072742,
      restartCount: 0,
      lastError: null,
    });
  });

  it("read the capabilities event: hot wallet differs from the canonical address, one RTX 5090, exact price", () => {
    const p = parseEventLine(realLines()[4], NOW);
    if (!p.ok || p.record?.kind !== "network_capabilities") throw new Error("not parsed");
    const [o] = p.record.orchestrators;
    expect(o.address).toBe("0xd00354656922168815fcd1e51cbddb9e359e3c7f");
    expect(o.localAddress).toBe("0x52cf2968b3dc6016778742d3539449a6597d5954");
    expect(o.orchUri).toBe("https://rtav-orch2.xodeapp.xyz:28935");
    expect(o.gpus).toEqual([
      { gpuId: "GPU-a8d13655-197b-2226-d09f-b4b81e07504b", name: "NVIDIA GeForce RTX 5090", memoryTotal: 34190917632, pipeline: "live-video-to-video", modelId: "streamdiffusion-sdxl-faceid" },
    ]);
    expect(o.models).toEqual([
      { pipeline: "live-video-to-video", modelId: "streamdiffusion-sdxl-faceid", capability: 35, pricePerUnit: "1618", pixelsPerUnit: "1", warm: true, capacity: null, capacityInUse: 1, runnerVersion: "0.14.0" },
    ]);
  });
});

describe("the real /getNetworkCapabilities answer", () => {
  const orchs = parseNetworkCapabilities(JSON.parse(fs.readFileSync(path.join(DIR, "getNetworkCapabilities.json"), "utf8")));
  const raw = JSON.parse(fs.readFileSync(path.join(DIR, "getNetworkCapabilities.json"), "utf8")).orchestrators as {
    hardware: { gpu_info?: Record<string, { id: string; name: string }> }[] | null;
  }[];

  it("parses all 53 entries into 52 nodes: the capture lists one node twice", () => {
    expect(raw).toHaveLength(53);
    expect(orchs).toHaveLength(52);
    expect(new Set(orchs.map((o) => `${o.address} ${o.orchUri}`)).size).toBe(52);
    expect(orchs.filter((o) => o.address === "0x733da28b0145ff561868e408d2ac8565ebe73aab")).toHaveLength(1);
  });

  it("finds the same distinct (orchestrator, GPU id) pairs as a direct walk of the JSON", () => {
    const byHand = new Map<string, number>();
    raw.forEach((o, i) => {
      const ids = new Set<string>();
      for (const h of o.hardware ?? []) for (const g of Object.values(h.gpu_info ?? {})) ids.add(`${i}/${g.id}/${g.name}`);
      for (const k of ids) {
        const name = k.split("/")[2];
        byHand.set(name, (byHand.get(name) ?? 0) + 1);
      }
    });
    const parsed = new Map<string, number>();
    for (const o of orchs) for (const g of new Map(o.gpus.map((g) => [g.gpuId, g.name])).values()) parsed.set(g, (parsed.get(g) ?? 0) + 1);
    expect(parsed).toEqual(byHand);
    expect([...parsed.keys()].some((n) => n.includes("RTX 5090"))).toBe(true);
  });

  it("keeps every advertised live-video price exact", () => {
    const live = orchs.flatMap((o) => o.models.filter((m) => m.capability === 35 && m.pricePerUnit !== null));
    expect(live.length).toBeGreaterThan(0);
    for (const m of live) expect(m.pricePerUnit).toMatch(/^[0-9]+$/);
  });

  it("hashes an unchanged state alike and a changed price differently", () => {
    const o = orchs.find((x) => x.models.some((m) => m.pricePerUnit))!;
    const again = parseNetworkCapabilities(JSON.parse(fs.readFileSync(path.join(DIR, "getNetworkCapabilities.json"), "utf8"))).find((x) => x.address === o.address)!;
    expect(stateHash(again)).toBe(stateHash(o));
    const changed = { ...o, models: o.models.map((m) => (m.pricePerUnit ? { ...m, pricePerUnit: String(BigInt(m.pricePerUnit) + 1n) } : m)) };
    expect(stateHash(changed)).not.toBe(stateHash(o));
  });
});

describe("face values", () => {
  it("reads both forms exactly", () => {
    expect(parseFaceValue("2402400000000000 WEI")).toBe(2402400000000000n);
    expect(parseFaceValue("0.0123 ETH")).toBe(12300000000000000n);
    expect(parseFaceValue("1.000000000000000001 ETH")).toBe(1000000000000000001n);
    expect(() => parseFaceValue("0.0000000000000000001 ETH")).toThrow(/whole number of wei/);
    expect(() => parseFaceValue("12 GWEI")).toThrow(/WEI.*ETH/);
  });
});

describe("malformed envelopes and events", () => {
  const env = (over: Record<string, unknown>) =>
    JSON.stringify({ id: "59485235-8460-472f-a894-3b84f37ee9bb", type: "stream_trace", timestamp: "1767908945298", gateway: "", ...over });
  const reason = (line: string) => {
    const p = parseEventLine(line, NOW);
    return p.ok ? "ok" : p.reason;
  };
  const trace = { type: "gateway_receive_stream_request", stream_id: "s", request_id: "r", timestamp: 1767908945298 };

  it.each([
    ["{not json", /not JSON/],
    ["[1,2]", /not a JSON object/],
    [env({ id: "nope", data: trace }), /UUID/],
    [env({ type: "", data: trace }), /type is empty/],
    [env({ timestamp: "1767908945", data: trace }), /reads as seconds/],
    [env({ timestamp: "abc", data: trace }), /unix milliseconds/],
    [env({ timestamp: String(NOW + 3_600_000), data: trace }), /ahead of this server's clock/],
    [env({ data: null }), /data is missing/],
    [env({ data: { ...trace, stream_id: "" } }), /stream_id is empty/],
    [env({ data: { ...trace, stream_id: 5 } }), /stream_id must be a string/],
    [env({ data: { ...trace, stream_id: "a\u0000b" } }), /NUL/],
    [env({ type: "create_new_payment", data: { faceValue: "12 GWEI", winProb: "0.1", numTickets: "1", sender: "0x5aE4E42dB3671370a0c25AfF451E7482aAEc3D0B", recipient: "0x5aE4E42dB3671370a0c25AfF451E7482aAEc3D0B" } }), /faceValue/],
    [env({ type: "create_new_payment", data: { faceValue: "1 WEI", winProb: "1.5", numTickets: "1", sender: "0x5aE4E42dB3671370a0c25AfF451E7482aAEc3D0B", recipient: "0x5aE4E42dB3671370a0c25AfF451E7482aAEc3D0B" } }), /winProb/],
    [env({ type: "create_new_payment", data: { faceValue: "1 WEI", winProb: "0.5", numTickets: "1", sender: "gateway", recipient: "0x5aE4E42dB3671370a0c25AfF451E7482aAEc3D0B" } }), /sender must be 0x/],
    [env({ type: "create_signed_ticket", data: { session_id: "s", billable_secs: -1, computed_fee: "1" } }), /billable_secs must be at least 0/],
    [env({ type: "create_signed_ticket", data: { session_id: "s", billable_secs: 1, computed_fee: 1e30 } }), /computed_fee must be an integer amount of wei/],
    [env({ type: "discovery_results", data: { address: "x" } }), /must be an array/],
    [env({ type: "discovery_results", data: [{ address: "0x52cf2968b3dc6016778742d3539449a6597d5954", latency_ms: "fast" }] }), /latency_ms must be a number/],
    [env({ type: "network_capabilities", data: [{ address: "nope" }] }), /address must be 0x/],
    [env({ type: "ai_stream_status", data: { stream_id: "s", input_status: { fps: "NaN" } } }), /fps must be a number/],
  ])("%s is rejected", (line, why) => {
    expect(reason(line)).toMatch(why);
  });

  it("counts an unknown type instead of rejecting it, whatever its data", () => {
    const p = parseEventLine(env({ type: "stream_ingest_metrics", data: "anything" }), NOW);
    expect(p).toMatchObject({ ok: true, record: null, envelope: { type: "stream_ingest_metrics" } });
  });
});

describe("identity", () => {
  it("normalises URLs and prefers an address", () => {
    expect(normaliseUrl(" HTTPS://Orch.Example:8935/ ")).toBe("https://orch.example:8935");
    expect(normaliseUrl("https://orch.example:443")).toBe("https://orch.example");
    expect(orchAlias("0xABCDEF0123456789abcdef0123456789ABCDEF01", "https://x")).toBe("0xabcdef0123456789abcdef0123456789abcdef01");
    expect(orchAlias("", "https://X.example:1/")).toBe("https://x.example:1");
    expect(orchAlias(null, null)).toBe("");
  });
});
