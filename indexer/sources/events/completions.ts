// Batch AI and LLM completion events as jobs (the job log figures: latency, success, pipelines),
// written through the job logs' own batch writer. These events name their orchestrator by URL only
// and their gateway not at all, so each is resolved here: the URL through orch_aliases (the latest
// capabilities, then the subgraph's serviceURI), the gateway as the sender of the gateway's payment
// for the same request id (create_new_payment), else the gateway whose `host` in the tags file is
// the envelope's `gateway` field. What does not resolve stays visible under the name it has (the
// URL; `feed:<gateway host>` for the gateway) rather than being dropped.
import type { TxQuerier } from "../../../db/client";
import type { CompletionRecord } from "../../../core/gateway/events";
import { latencyBucket } from "../../../core/latency-histogram";
import { prepareRecords, writeJobBatch } from "../joblogs/batch";
import type { JobRecord } from "../joblogs/validate";

export async function writeCompletionJobs(q: TxQuerier, jobs: { c: CompletionRecord; feed: string }[]): Promise<void> {
  const urls = [...new Set(jobs.map((j) => j.c.orch).filter(Boolean))];
  const requests = [...new Set(jobs.map((j) => j.c.requestId))];
  const feeds = [...new Set(jobs.map((j) => j.feed.toLowerCase()).filter(Boolean))];
  const [aliases, senders, hosts] = await Promise.all([
    q.query<{ alias: string; address: string }>(`select alias, address from orch_aliases where alias = any($1::text[])`, [urls]),
    q.query<{ request_id: string; sender: string }>(
      `select distinct on (request_id) request_id, sender from payments_sent where request_id = any($1::text[]) order by request_id, at`,
      [requests],
    ),
    feeds.length ? q.query<{ host: string; address: string }>(`select host, address from gateway_tags where host = any($1::text[])`, [feeds]) : [],
  ]);
  const orchOf = new Map(aliases.map((a) => [a.alias, a.address]));
  const gatewayOf = new Map(senders.map((s) => [s.request_id, s.sender]));
  const gatewayOfHost = new Map(hosts.map((h) => [h.host, h.address]));
  const records: JobRecord[] = jobs.map(({ c, feed }) => ({
    requestId: c.requestId,
    gateway: gatewayOf.get(c.requestId) ?? gatewayOfHost.get(feed.toLowerCase()) ?? `feed:${feed}`,
    timestampMs: c.atMs,
    pipeline: c.pipeline,
    modelId: c.modelId,
    orchAddress: orchOf.get(c.orch) ?? (c.orch || "unknown"),
    orchUrl: c.orch || null,
    success: c.success,
    durationMs: c.durationMs,
    latencyBucket: latencyBucket(c.durationMs),
    orchDurationMs: null,
    tries: c.tries,
    httpStatus: null,
    errorType: c.errorType,
    region: null,
    billableUnits: null,
    unit: null,
    // The events' price_per_unit is a float, not the exact advertised price: no fee is derived from it.
    pricePerUnit: null,
    pixelsPerUnit: null,
    computedFee: null,
    expectedFeeWei: null,
    width: null,
    height: null,
    frames: null,
    fps: null,
    numImages: null,
    outputSeconds: null,
    outputMicros: null,
    images: null,
    billedPixels: null,
  }));
  await writeJobBatch(q, prepareRecords(records), { source: "http" });
}
