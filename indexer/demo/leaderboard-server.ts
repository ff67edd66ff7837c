// A stand-in for the public AI leaderboard API (livepeer/leaderboard-serverless, facts in
// ../shared/docs/leaderboard-api.md), for the tests, the bench and the demo, with the real semantics:
// `since`/`until` are unix seconds (floats accepted, a non-number is a 400 with Go's strconv text)
// and filter the server's insert time, not the rows' `timestamp`; both ends inclusive; `pipeline` and
// `model` both or neither (400 `{"error":"pipeline required"}` / `{"error":"model required"}`);
// `job_type=ai|transcoding`, and without it AI only when pipeline and model are given; orchestrator
// lowercased, region uppercased; rows as Go encodes models.Stats (omitempty fields absent when zero,
// `model_is_warm` absent when false); raw_stats newest first, keyed by region; aggregated_stats
// computing the official score exactly as score/stats_scorer.go does, with the median of every
// orchestrator's success_rate = 1, round_trip_time <> 0 rows under the same filters, a NULL median
// as 0, one arbitrary (the last) pipeline-model group per region without a pipeline filter, and a
// 500 when the score is NaN (Go's JSON encoder refuses it). Rows come from a ProbeSchedule
// (leaderboard-probes.ts, computed on demand) plus rows inserted by hand (late rows in tests). Faults
// (status, delay, Retry-After, a raw body) can be injected per request.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { medianCont } from "../../core/probes/score";
import type { DemoNetwork } from "./generate";
import { allRows, DEFAULT_PAIRS, DEFAULT_REGIONS, rowsOf, type ProbePayload, type ProbeSchedule, type StoredProbe } from "./leaderboard-probes";

/** Days of probes the demo's stand-in holds before now. */
export const DEMO_PROBE_DAYS = 7;

/**
 * The demo network's probes: its active orchestrators (the ones a tester finds), four regions, the
 * production pipeline names, every two hours from DEMO_PROBE_DAYS ago and on into the next day, each
 * row served once the stand-in's clock reaches its insert time (so new probes keep arriving).
 */
export function demoProbeSchedule(network: DemoNetwork, seed: number, nowS: number): ProbeSchedule {
  const fromS = Math.floor((nowS - DEMO_PROBE_DAYS * 86_400) / 7200) * 7200;
  return {
    seed,
    orchestrators: network.transcoders.filter((t) => t.active).map((t) => t.id.toLowerCase()),
    regions: [...DEFAULT_REGIONS],
    pairs: DEFAULT_PAIRS,
    fromS,
    toS: nowS + 86_400,
    everyS: 7200,
  };
}

export interface RegionDef {
  id: string;
  name: string;
  type: "ai" | "transcoding";
}

export interface Fault {
  status?: number;
  /** Body of a faulty answer (default: Go's JSON error text for the status). */
  body?: string;
  delayMs?: number;
  retryAfter?: string;
}

export interface StandInOptions {
  schedule?: ProbeSchedule;
  regions?: RegionDef[];
  port?: number;
  host?: string;
  /** The server's clock in unix seconds (default: the real one); rows inserted after it are not served yet. */
  now?: () => number;
}

export interface LeaderboardStandIn {
  url: string;
  /** Every request's path and query, in order. */
  requests: { path: string; query: URLSearchParams }[];
  /** Consulted for each request: a fault to answer with, or null for the real answer. */
  fault: ((url: URL) => Fault | null) | null;
  /** Stores a row at an insert time (default now), as a POST /api/post_stats would. */
  insert(payload: ProbePayload, eventTime?: number, jobType?: "ai" | "transcoding"): void;
  /** The answer a GET would get (status and body), without HTTP: for tests comparing figures. */
  answer(path: string, query: URLSearchParams): { status: number; body: string; json: boolean };
  close(): Promise<void>;
}

interface StatsQuery {
  orchestrator: string;
  region: string;
  pipeline: string;
  model: string;
  since: number;
  until: number;
  jobType: "" | "ai" | "transcoding";
}

class BadRequest extends Error {}

/** Go's strconv.ParseFloat on a query value: decimal or exponent forms, inf and nan; anything else fails. */
function parseGoFloat(s: string): number {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Number(s);
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith("-") ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  throw new BadRequest(`strconv.ParseFloat: parsing ${JSON.stringify(s)}: invalid syntax`);
}

/** common.ParseStatsQueryParams: since/until first, then the both-or-neither rule. */
export function parseStatsQuery(q: URLSearchParams, nowS: number): StatsQuery {
  const get = (k: string) => q.get(k) ?? "";
  const since = get("since") === "" ? nowS - 86_400 : parseGoFloat(get("since"));
  const until = get("until") === "" ? nowS : parseGoFloat(get("until"));
  const jt = get("job_type");
  const jobType = jt === "ai" || jt === "transcoding" ? jt : "";
  const pipeline = get("pipeline");
  const model = get("model");
  if (model !== "" && pipeline === "") throw new BadRequest("pipeline required");
  if (pipeline !== "" && model === "") throw new BadRequest("model required");
  return { orchestrator: get("orchestrator").toLowerCase(), region: get("region").toUpperCase(), pipeline, model, since, until, jobType };
}

/** setJobTypeIfEmpty: AI when pipeline or model is given, else transcoding (backwards compatibility). */
const effectiveJobType = (q: StatsQuery): "ai" | "transcoding" => q.jobType || (q.pipeline || q.model ? "ai" : "transcoding");

/** The WHERE of the API's queries, except the window and orchestrator (applied while enumerating). */
function matches(row: StoredProbe, q: StatsQuery, jobType: string): boolean {
  return (
    row.jobType === jobType &&
    (q.region === "" || row.region === q.region) &&
    (q.pipeline === "" || row.payload.pipeline === q.pipeline) &&
    (q.model === "" || row.payload.model === q.model)
  );
}

/** models.Stats in Go's field order, omitempty fields left out when zero. */
function encodeStats(p: ProbePayload): Record<string, unknown> {
  const o: Record<string, unknown> = {
    region: p.region,
    orchestrator: p.orchestrator,
    success_rate: p.success_rate ?? 0,
    round_trip_time: p.round_trip_time ?? 0,
    errors: p.errors ? p.errors.map((e) => (e.message ? { error_code: e.error_code, message: e.message, count: e.count } : { error_code: e.error_code, count: e.count })) : null,
    timestamp: p.timestamp ?? 0,
  };
  for (const k of ["seg_duration", "segments_sent", "segments_received", "upload_time", "download_time", "transcode_time", "model", "model_is_warm", "pipeline", "input_parameters", "response_payload"] as const)
    if (p[k]) o[k] = p[k];
  return o;
}

/** Go's encoding/json of a map: keys sorted. */
function sortedObject<T>(m: Map<string, T>): Record<string, T> {
  return Object.fromEntries([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export async function startLeaderboardStandIn(opts: StandInOptions = {}): Promise<LeaderboardStandIn> {
  const schedule = opts.schedule;
  const nowS = opts.now ?? (() => Date.now() / 1000);
  const regions: RegionDef[] = opts.regions ?? [
    { id: "GLOBAL", name: "Global", type: "ai" },
    ...(schedule?.regions ?? []).map((id) => ({ id, name: id, type: "ai" as const })),
  ];
  const index = new Map((schedule?.orchestrators ?? []).map((a, i) => [a.toLowerCase(), i]));
  const inserted: StoredProbe[] = [];

  /** Rows stored with an insert time in [since, until] that the server's clock has reached. */
  function* window(since: number, until: number, orchestrator: string): Generator<StoredProbe> {
    const upTo = Math.min(until, nowS());
    if (schedule) {
      if (orchestrator === "") yield* allRows(schedule, since, upTo);
      else if (index.has(orchestrator)) yield* rowsOf(schedule, index.get(orchestrator)!, since, upTo);
    }
    for (const r of inserted)
      if (r.eventTime >= since && r.eventTime <= upTo && (orchestrator === "" || r.payload.orchestrator.toLowerCase() === orchestrator)) yield r;
  }

  function rawStats(q: StatsQuery): unknown {
    if (q.orchestrator === "") throw new BadRequest("orchestrator is a required parameter");
    const jobType = effectiveJobType(q);
    const rows = [...window(q.since, q.until, q.orchestrator)].filter((r) => matches(r, q, jobType));
    rows.sort((a, b) => b.eventTime - a.eventTime); // ORDER BY event_time DESC
    const byRegion = new Map<string, Record<string, unknown>[]>();
    for (const r of rows) {
      const list = byRegion.get(r.payload.region) ?? [];
      list.push(encodeStats(r.payload));
      byRegion.set(r.payload.region, list);
    }
    return sortedObject(byRegion);
  }

  function aggregatedStats(q: StatsQuery): unknown {
    const jobType = effectiveJobType(q);
    // The median is over every orchestrator: the handler clears the orchestrator filter and applies it after scoring.
    const rows = [...window(q.since, q.until, "")].filter((r) => matches(r, q, jobType));
    const groups = new Map<string, { orchestrator: string; region: string; model: string; pipeline: string; n: number; success: number; rtt: number; seg: number }>();
    const oks: number[] = [];
    for (const r of rows) {
      const p = r.payload;
      const key = [p.orchestrator, r.region, r.jobType, p.model ?? "", p.pipeline ?? ""].join("\u0000");
      const g = groups.get(key) ?? { orchestrator: p.orchestrator, region: r.region, model: p.model ?? "", pipeline: p.pipeline ?? "", n: 0, success: 0, rtt: 0, seg: 0 };
      g.n++;
      g.success += p.success_rate ?? 0;
      g.rtt += p.round_trip_time ?? 0;
      g.seg += p.seg_duration ?? 0;
      groups.set(key, g);
      if (p.round_trip_time && p.round_trip_time !== 0 && p.success_rate === 1) oks.push(p.round_trip_time);
    }
    const median = medianCont(oks) ?? 0; // extractFloat64 of a NULL is 0
    const results = new Map<string, Map<string, { success_rate: number; round_trip_score: number; score: number }>>();
    for (const g of groups.values()) {
      const successRate = g.success / g.n;
      const avgRtt = g.rtt / g.n;
      const ai = g.model !== "" && g.pipeline !== "";
      let roundTripScore: number;
      if (ai) {
        const k = -Math.log(0.8) / median;
        roundTripScore = Math.exp(-k * avgRtt);
      } else {
        const latency = avgRtt === 0 ? 0 : g.seg / g.n / avgRtt;
        roundTripScore = 1 - Math.pow(Math.E, -latency);
      }
      const score = successRate === 0 ? 0 : ai ? 0.65 * successRate + 0.35 * roundTripScore : successRate * roundTripScore;
      const byRegion = results.get(g.orchestrator) ?? new Map();
      byRegion.set(g.region, { success_rate: successRate, round_trip_score: roundTripScore, score });
      results.set(g.orchestrator, byRegion);
    }
    const picked = q.orchestrator ? new Map(results.has(q.orchestrator) ? [[q.orchestrator, results.get(q.orchestrator)!]] : []) : results;
    for (const byRegion of picked.values())
      for (const v of byRegion.values())
        if (![v.success_rate, v.round_trip_score, v.score].every(Number.isFinite))
          throw new Error(`json: unsupported value: ${Number.isNaN(v.score) || Number.isNaN(v.round_trip_score) ? "NaN" : "+Inf"}`);
    return Object.fromEntries([...picked].sort(([a], [b]) => (a < b ? -1 : 1)).map(([o, m]) => [o, sortedObject(m)]));
  }

  function pipelines(q: StatsQuery): unknown {
    const by = new Map<string, { models: Set<string>; regions: Set<string> }>();
    for (const r of window(q.since, q.until, "")) {
      if (!r.payload.pipeline || (q.region && r.region !== q.region)) continue;
      const e = by.get(r.payload.pipeline) ?? { models: new Set(), regions: new Set() };
      if (r.payload.model !== undefined) e.models.add(r.payload.model);
      e.regions.add(r.region);
      by.set(r.payload.pipeline, e);
    }
    const sorted = (s: Set<string>) => [...s].sort();
    return { pipelines: [...by.keys()].sort().map((id) => ({ id, models: sorted(by.get(id)!.models), regions: sorted(by.get(id)!.regions) })) };
  }

  function answer(path: string, query: URLSearchParams): { status: number; body: string; json: boolean } {
    const error = (status: number, message: string) => ({ status, body: `{"error":"${message}"}\n`, json: false }); // http.Error, unescaped as Go's Sprintf
    try {
      if (path === "/api/regions") return { status: 200, body: JSON.stringify({ regions }), json: true };
      const handlers: Record<string, (q: StatsQuery) => unknown> = { "/api/raw_stats": rawStats, "/api/aggregated_stats": aggregatedStats, "/api/pipelines": pipelines };
      const h = handlers[path];
      if (!h) return { status: 404, body: "404 page not found\n", json: false };
      return { status: 200, body: JSON.stringify(h(parseStatsQuery(query, nowS()))), json: true };
    } catch (e) {
      if (e instanceof BadRequest) return error(400, e.message);
      return error(500, (e as Error).message);
    }
  }

  const state: LeaderboardStandIn = {
    url: "",
    requests: [],
    fault: null,
    insert(payload, eventTime, jobType) {
      const region = payload.region.toUpperCase();
      inserted.push({ eventTime: eventTime ?? nowS(), region, jobType: jobType ?? (payload.pipeline && payload.model ? "ai" : "transcoding"), payload });
    },
    answer,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    state.requests.push({ path: url.pathname, query: url.searchParams });
    const f = state.fault?.(url) ?? null;
    const respond = () => {
      if (res.destroyed) return;
      if (f?.status) {
        const headers: Record<string, string> = { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" };
        if (f.retryAfter !== undefined) headers["retry-after"] = f.retryAfter;
        res.writeHead(f.status, headers).end(f.body ?? `{"error":"HTTP ${f.status}"}\n`);
        return;
      }
      const a = answer(url.pathname, url.searchParams);
      const headers: Record<string, string> = a.json
        ? { "content-type": "application/json", "access-control-allow-origin": "*", "cache-control": "public, max-age=30, stale-while-revalidate=15" }
        : { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff", "access-control-allow-origin": "*" };
      res.writeHead(a.status, headers).end(f?.body ?? a.body);
    };
    if (f?.delayMs) setTimeout(respond, f.delayMs);
    else respond();
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", r));
  state.url = `http://${opts.host ?? "127.0.0.1"}:${(server.address() as AddressInfo).port}`;
  return state;
}

// `node --import tsx indexer/demo/leaderboard-server.ts '<ProbeSchedule as JSON>' [port]`: the stand-in
// in its own process (the bench runs it so, beside the indexer), printing its URL on one line.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const schedule = JSON.parse(process.argv[2] ?? "null") as ProbeSchedule | null;
  startLeaderboardStandIn({ schedule: schedule ?? undefined, port: Number(process.argv[3] ?? 0) }).then(
    (s) => process.stdout.write(`${s.url}\n`),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
