// `/live` and `/network` on a network the size issue 11 names: BENCH_LIVE_DAYS (30) days of
// BENCH_LIVE_SESSIONS_PER_DAY (10,000) live sessions on BENCH_LIVE_ORCHESTRATORS (100) orchestrators,
// and their advertised capabilities polled every 5 minutes with prices changing every 6 days. The
// sessions are written as rows, and the rollups the pages read are built from them by the same
// aggregation the tests use to check the ingest's rollups (seeding 7.5 million envelopes through
// the ingest would take longer than the timing). Timed: the page and API loaders, p50/p95.
import { performance } from "node:perf_hooks";
import type { ServerBuild } from "@remix-run/node";
import { settings } from "../core/settings";
import type { Db } from "../db/client";

const DAYS = settings().BENCH_LIVE_DAYS;
const PER_DAY = settings().BENCH_LIVE_SESSIONS_PER_DAY;
const ORCHS = settings().BENCH_LIVE_ORCHESTRATORS;
const MARKER = "bench-live";
export const TARGET_P95_MS = 200;

const log = (s: string) => process.stderr.write(s + "\n");

export interface LiveBenchShape {
  endDay: string;
}

async function isSeeded(db: Db, endDay: string): Promise<boolean> {
  const rows = await db.query<{ cursor: Record<string, unknown> | null }>(`select cursor from source_state where name = $1`, [MARKER]);
  const c = rows[0]?.cursor;
  return !!c && c.days === DAYS && c.perDay === PER_DAY && c.orchs === ORCHS && c.endDay === endDay;
}

/** Hex of n with a salt, as an address. */
const addr = (salt: string, n: string) => `'0x${salt}' || lpad(to_hex(${n}), 32, '0')`;

export async function seedLive(db: Db, endDay: string): Promise<void> {
  if (await isSeeded(db, endDay)) return;
  const started = Date.now();
  log(`Seeding ${DAYS} days x ${PER_DAY.toLocaleString("en-US")} live sessions on ${ORCHS} orchestrators into ${db.label} (cached for later runs) ...`);
  await db.query(
    `truncate live_sessions, live_session_day, live_fps_day, live_pay_day, orch_aliases,
              orch_versions, orch_version_models, orch_version_gpus, capability_polls restart identity`,
  );
  const first = `($1::date - ${DAYS - 1})`;
  await db.query(
    `insert into live_sessions (stream_id, request_id, feed, first_at, last_at, requested_at, first_processed_at, startup_ms, orch, orch_at,
                                model_id, swaps, errors, no_orchestrator, closed, status_samples, restarts)
     select 'bench-' || g, to_hex(g), '', t, t + interval '3 minutes', t, case when g % 50 <> 0 then t + (800 + (g * 37) % 4000) * interval '1 ms' end,
            case when g % 50 <> 0 then 800 + (g * 37) % 4000 end, ${addr("40e10000", "g % $2")}, t,
            (array['streamdiffusion-sdxl', 'streamdiffusion-sdxl-faceid', 'streamdiffusion-sd15'])[1 + g % 3],
            (g % 13 = 0)::int, (g % 29 = 0)::int, 0, true, 18, 0
       from generate_series(0, $3::int * $4::int - 1) g,
            lateral (select ${first}::timestamptz + (g / $4::int) * interval '1 day' + (g % $4::int) * (interval '1 day' / $4::int) as t) x`,
    [endDay, ORCHS, DAYS, PER_DAY],
  );
  await db.query(
    `insert into live_session_day (day, orch, model_id, sessions, startups, swaps, errors, no_orchestrator, restarts, startup_buckets, startup_counts)
     select day, orch, model_id, sum(n), coalesce(sum(n) filter (where b is not null), 0), sum(swaps), sum(errors), 0, 0,
            coalesce(array_agg(b order by b) filter (where b is not null), '{}'), coalesce(array_agg(n order by b) filter (where b is not null), '{}')
       from (select (first_at at time zone 'UTC')::date as day, orch, model_id, latency_bucket(startup_ms) as b, count(*)::int as n,
                    sum(swaps) as swaps, sum(errors) as errors
               from live_sessions group by 1, 2, 3, 4) x
      group by 1, 2, 3`,
  );
  // 18 status samples per session, delivered/input ratios spread around 0.9.
  await db.query(
    `insert into live_fps_day (day, orch, model_id, samples, ratio_centis, ratio_counts)
     select day, orch, model_id, sum(n), array_agg(r order by r), array_agg(n order by r)
       from (select day, orch, model_id, r::smallint as r, greatest(1, round(sessions * 18 * exp(-((r - 90) ^ 2) / 50.0) / 12.53))::int as n
               from live_session_day, generate_series(70, 105) r) x
      group by 1, 2, 3`,
  );
  // Three payments of 60 s per session at the orchestrator's price (1,588 + 10 x its index wei per pixel).
  await db.query(
    `insert into live_pay_day (day, orch, model_id, payments, fee_wei, billable_secs)
     select day, orch, model_id, sessions * 3, sessions::numeric * 180 * 27648000 * (1588 + 10 * ('x' || right(orch, 8))::bit(32)::int), sessions * 180
       from live_session_day`,
  );
  await db.query(
    `insert into orch_aliases (alias, address, origin, updated_at)
     select ${addr("40e10000", "o")}, ${addr("0c4e5700", "o")}, 'capabilities', now() from generate_series(0, $1::int - 1) o`,
    [ORCHS],
  );
  // Capabilities: 5 versions per orchestrator (a price change every 6 days), 1 to 4 GPUs, 3 live models.
  await db.query(
    `insert into orch_versions (address, valid_from, valid_to, last_seen_at, local_address, orch_uri, version, content_hash)
     select ${addr("0c4e5700", "o")}, ${first}::timestamptz + k * interval '6 days',
            case when k < 4 then ${first}::timestamptz + (k + 1) * interval '6 days' end, $1::date + interval '23 hours',
            ${addr("40e10000", "o")}, 'https://orch-' || o || '.bench.invalid:8935', '0.9.1', md5(o || '/' || k)
       from generate_series(0, $2::int - 1) o, generate_series(0, 4) k`,
    [endDay, ORCHS],
  );
  await db.query(
    `insert into orch_version_models (version_id, pipeline, model_id, capability, price_per_unit, pixels_per_unit, warm, capacity, capacity_in_use, runner_version)
     select v.id, 'live-video-to-video', m, 35, 1588 + v.id % 1400, 1, v.id % 5 <> 0, 1 + v.id % 3, v.id % 2, '0.14.0'
       from orch_versions v, unnest(array['streamdiffusion-sdxl', 'streamdiffusion-sdxl-faceid', 'streamdiffusion-sd15']) m`,
  );
  await db.query(
    `insert into orch_version_gpus (version_id, gpu_id, name, memory_total, pipeline, model_id)
     select v.id, 'GPU-' || md5(v.address || g), case when g % 2 = 0 then 'NVIDIA GeForce RTX 5090' else 'NVIDIA GeForce RTX 4090' end,
            case when g % 2 = 0 then 34190917632 else 25757220864 end, 'live-video-to-video', 'streamdiffusion-sdxl'
       from orch_versions v, generate_series(0, ('x' || right(v.address, 2))::bit(8)::int % 4) g`,
  );
  await db.query(
    `insert into capability_polls (observed_at, origin, orchestrators, changed, gone)
     select ${first}::timestamptz + p * interval '5 minutes', 'endpoint', $2, 0, 0 from generate_series(0, $3::int * 288 - 1) p`,
    [endDay, ORCHS, DAYS],
  );
  await db.query(`analyze`);
  await db.query(
    `insert into source_state (name, cursor) values ($1, $2::jsonb) on conflict (name) do update set cursor = excluded.cursor`,
    [MARKER, JSON.stringify({ days: DAYS, perDay: PER_DAY, orchs: ORCHS, endDay })],
  );
  log(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

interface Stat {
  p50: number;
  p95: number;
}

export interface LiveBenchResult {
  live: Stat;
  liveAll: Stat;
  apiLive: Stat;
  network: Stat;
  apiNetwork: Stat;
}

export async function benchLive(
  db: Db,
  build: ServerBuild,
  endDay: string,
  time: (fn: () => Promise<unknown>, variants: number) => Promise<Stat>,
): Promise<LiveBenchResult> {
  await seedLive(db, endDay);
  const call = async (routeId: string, url: string) => {
    const loader = build.routes[routeId]?.module.loader;
    if (!loader) throw new Error(`No loader for ${routeId}`);
    const res = await loader({ request: new Request(`http://bench${url}`), context: { db }, params: {} } as never);
    if (res instanceof Response && !res.ok) throw new Error(`${url} -> ${res.status}: ${await res.text()}`);
    return res;
  };
  const from = new Date(Date.parse(`${endDay}T00:00:00Z`) - (DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
  // A fast wrong answer is worthless: the 30 days must hold every seeded session.
  const check = (await call("routes/api.live", `/api/live?from=${from}&to=${endDay}&model=all`)) as Response;
  const sessions = (await check.json()).network.sessions;
  if (sessions !== DAYS * PER_DAY) throw new Error(`/api/live counted ${sessions} sessions, expected ${DAYS * PER_DAY}`);
  // The page's default (the busiest model) and another model; every model mixed (model=all, an
  // option, twice the rows) is timed on its own.
  const models = ["", "&model=streamdiffusion-sdxl-faceid"];
  let i = 0;
  const next = () => models[i++ % models.length];
  const t0 = performance.now();
  const result = {
    live: await time(() => call("routes/live", `/live?from=${from}&to=${endDay}${next()}`), models.length),
    liveAll: await time(() => call("routes/live", `/live?from=${from}&to=${endDay}&model=all`), 1),
    apiLive: await time(() => call("routes/api.live", `/api/live?from=${from}&to=${endDay}${next()}`), models.length),
    network: await time(() => call("routes/network", `/network`), 1),
    apiNetwork: await time(() => call("routes/api.network", `/api/network?at=${endDay}`), 1),
  };
  log(`  live and network loaders timed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return result;
}

export function printLiveBench(results: { engine: string; r: LiveBenchResult }[]): void {
  const fmt = (x: number) => x.toFixed(1).padStart(8);
  console.log(`\nLive video and network pages: ${DAYS} days x ${PER_DAY.toLocaleString("en-US")} sessions on ${ORCHS} orchestrators (ms)\n`);
  console.log(`engine    what                                   p50       p95   target p95`);
  for (const { engine, r } of results) {
    const line = (what: string, s: Stat) =>
      console.log(`${engine.padEnd(9)} ${what.padEnd(34)}${fmt(s.p50)}  ${fmt(s.p95)}   ${TARGET_P95_MS} ms ${s.p95 <= TARGET_P95_MS ? "ok" : "MISSED"}`);
    line("/live loader, 30 days, one model", r.live);
    line("/live loader, 30 days, model=all", r.liveAll);
    line("/api/live loader, 30 days", r.apiLive);
    line("/network loader (with history)", r.network);
    line("/api/network loader", r.apiNetwork);
  }
}
