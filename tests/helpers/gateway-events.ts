// Gateway event fixtures for the tests: the real captures (tests/real-samples/gateway-events) and
// live sessions built with the demo's envelope builders (real shapes, known figures).
import fs from "node:fs";
import type { Db } from "../../db/client";
import path from "node:path";
import { liveSessionEnvelopes, type Envelope, type LiveSessionSpec } from "../../indexer/demo/gateway-envelopes";

export const REAL_DIR = path.resolve(__dirname, "../real-samples/gateway-events");

/** The five real envelopes, one per line, in capture order. */
export function realEnvelopeLines(): string[] {
  return fs
    .readdirSync(REAL_DIR)
    .filter((f) => f.endsWith(".jsonl"))
    .sort()
    .flatMap((f) => fs.readFileSync(path.join(REAL_DIR, f), "utf8").split("\n").filter(Boolean));
}

export const ORCH = {
  address: "0xd00354656922168815fcd1e51cbddb9e359e3c7f",
  hot: "0x52cf2968b3dc6016778742d3539449a6597d5954",
  url: "https://rtav-orch2.xodeapp.xyz:28935",
};
export const ORCH_B = {
  address: "0x1111111111111111111111111111111111111111",
  hot: "0x2222222222222222222222222222222222222222",
  url: "https://orch-b.example:8935",
};
export const GATEWAY = "0x5ae4e42db3671370a0c25aff451e7482aaec3d0b";

/** A session that starts at `startMs`, with a startup of `startupMs` and three payments (60 + 60 + 30 s). */
export function session(n: number, over: Partial<LiveSessionSpec> = {}): LiveSessionSpec {
  const o = over.orchAddress === ORCH_B.address ? ORCH_B : ORCH;
  return {
    key: `test-session-${n}`,
    streamId: `stream-test-${n}`,
    requestId: `req${String(n).padStart(5, "0")}`,
    startMs: Date.parse("2026-11-20T12:00:00Z") + n * 600_000,
    orchHot: o.hot,
    orchUrl: o.url,
    orchAddress: o.address,
    gatewayAddress: GATEWAY,
    modelId: "streamdiffusion-sdxl-faceid",
    startupMs: 1500 + n * 100,
    durationMs: 150_000,
    fps: [
      [30, 27],
      [30, 30],
      [20, 17],
    ],
    swaps: n % 2,
    errors: 0,
    priceWeiPerPixel: 1618n,
    paymentSecs: [60, 60, 30],
    faceValueWei: 2402400000000000n,
    winProb: "0.0009990010",
    ...over,
  };
}

export const linesOf = (envelopes: Envelope[]) => envelopes.map((e) => JSON.stringify(e));
export const sessionLines = (spec: LiveSessionSpec) => linesOf(liveSessionEnvelopes(spec));

/** A network_capabilities envelope naming `o` with its hot wallet and URL (like the real one). */
export function capabilitiesLine(o: typeof ORCH, atMs: number, id = "e89def1c-7a3c-40aa-a51a-ad490a30" + String(atMs % 10000).padStart(4, "0")): string {
  return JSON.stringify({
    id,
    type: "network_capabilities",
    timestamp: String(atMs),
    gateway: "",
    data: [
      {
        address: o.address,
        local_address: o.hot,
        orch_uri: o.url,
        capabilities: { version: "0.8.8", constraints: { PerCapability: { "35": { models: { "streamdiffusion-sdxl-faceid": { warm: true, capacityInUse: 1 } } } } } },
        capabilities_prices: [{ pricePerUnit: 1618, pixelsPerUnit: 1, capability: 35, constraint: "streamdiffusion-sdxl-faceid" }],
        hardware: [{ pipeline: "live-video-to-video", model_id: "streamdiffusion-sdxl-faceid", gpu_info: { "0": { id: `GPU-${o.address.slice(2, 10)}`, name: "NVIDIA GeForce RTX 5090", memory_total: 34190917632 } } }],
      },
    ],
  });
}

/** Rollup rows that differ from a recomputation over live_sessions and live_tickets (empty when exact). */
export async function liveRollupMismatches(db: Db): Promise<unknown[]> {
  const diff = async (name: string, truth: string, rolled: string) =>
    (
      await db.query<{ r: unknown }>(
        `with truth as (${truth}), rolled as (${rolled})
         select to_jsonb(x) as r from ((select * from truth except all select * from rolled) union all (select * from rolled except all select * from truth)) x`,
      )
    ).map((x) => ({ [name]: x.r }));
  return [
    ...(await diff(
      "sessions",
      `select (first_at at time zone 'UTC')::date as day, orch, coalesce(model_id, '') as model_id, count(*)::int as sessions,
              count(startup_ms)::int as startups, sum(swaps)::int as swaps, sum(errors)::int as errors from live_sessions group by 1, 2, 3`,
      `select day, orch, model_id, sessions, startups, swaps, errors from live_session_day where sessions <> 0`,
    )),
    ...(await diff(
      "startup",
      `select (first_at at time zone 'UTC')::date as day, orch, coalesce(model_id, '') as model_id, latency_bucket(startup_ms) as bucket, count(*)::int as n
         from live_sessions where startup_ms is not null group by 1, 2, 3, 4`,
      `select day, orch, model_id, u.bucket, u.n from live_session_day, unnest(startup_buckets, startup_counts) as u(bucket, n)`,
    )),
    ...(await diff(
      "pay",
      `select day, orch, coalesce(model_id, '') as model_id, count(*)::int as n, sum(computed_fee_wei) as fee, sum(billable_secs) as secs from live_tickets group by 1, 2, 3`,
      `select day, orch, model_id, payments as n, fee_wei as fee, billable_secs as secs from live_pay_day where payments <> 0`,
    )),
  ];
}
