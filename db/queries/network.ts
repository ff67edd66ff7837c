// The orchestrators' advertised state at one instant, from the capability history
// (db/schema-gateway.ts: orch_versions and their models and GPUs, written by the capabilities
// source): which poll an instant falls on, the network's orchestrators and GPUs, per pipeline and
// model the orchestrators, GPUs, warm state, capacity and every priced offer, a daily history, and
// each node's detail; per orchestrator its GPUs, live video offers and the history of its prices. A version is in force at `at` when valid_from <= at and (valid_to is null or
// valid_to > at). Prices come back as "pricePerUnit/pixelsPerUnit" integer texts: the exact
// arithmetic (min, median, max, USD) is app/lib/network.server.ts's.
import type { GpuSlot } from "../../core/cost/by-gpu";
import type { Querier } from "../client";

/** The live video pipeline (docs/gateway-events.md section 5). */
export const LIVE_VIDEO_PIPELINE = "live-video-to-video";

/** ISO instant to the microsecond, UTC ("2026-12-07T12:00:00.123456Z"): exact back in SQL. */
const ISO_US = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Versions in force at $1. */
const IN_FORCE = (v: string, at = "$1::timestamptz") => `${v}.valid_from <= ${at} and (${v}.valid_to is null or ${v}.valid_to > ${at})`;

export interface PollSpan {
  /** The newest poll at or before the instant asked (µs ISO, UTC); null when there is none. */
  asOf: string | null;
  /** First and newest polls of all (null: the capabilities source never ran). */
  firstAt: string | null;
  latestAt: string | null;
  polls: number;
}

/** Which poll describes the network at `until` (inclusive; null: now, i.e. the newest poll). */
export async function pollSpan(q: Querier, until: string | null): Promise<PollSpan> {
  const [r] = await q.query<{ as_of: string | null; first_at: string | null; latest_at: string | null; polls: number }>(
    `select ${ISO_US(`max(observed_at) filter (where $1::timestamptz is null or observed_at <= $1::timestamptz)`)} as as_of,
            ${ISO_US("min(observed_at)")} as first_at, ${ISO_US("max(observed_at)")} as latest_at, count(*)::int as polls
       from capability_polls`,
    [until],
  );
  return { asOf: r?.as_of ?? null, firstAt: r?.first_at ?? null, latestAt: r?.latest_at ?? null, polls: Number(r?.polls ?? 0) };
}

export interface NetworkCounts {
  /** Distinct canonical addresses (transcoding-only ones included). */
  orchestrators: number;
  /** Distinct (address, service URL) nodes. */
  nodes: number;
  /** Addresses advertising at least one AI pipeline and model. */
  aiOrchestrators: number;
  /** Distinct (address, GPU id) pairs. */
  gpus: number;
}

export async function networkCounts(q: Querier, at: string): Promise<NetworkCounts> {
  const [r] = await q.query<{ orchestrators: number; nodes: number; ai: number; gpus: number }>(
    `select (select count(distinct v.address)::int from orch_versions v where ${IN_FORCE("v")}) as orchestrators,
            (select count(*)::int from orch_versions v where ${IN_FORCE("v")}) as nodes,
            (select count(distinct v.address)::int from orch_versions v where ${IN_FORCE("v")}
                and exists (select 1 from orch_version_models m where m.version_id = v.id)) as ai,
            (select count(*)::int from (select distinct v.address, g.gpu_id from orch_versions v
                join orch_version_gpus g on g.version_id = v.id where ${IN_FORCE("v")}) x) as gpus`,
    [at],
  );
  return { orchestrators: Number(r.orchestrators), nodes: Number(r.nodes), aiOrchestrators: Number(r.ai), gpus: Number(r.gpus) };
}

export interface GpuNameRow {
  name: string;
  /** Distinct (address, GPU id) pairs of that name. */
  count: number;
  /** The most common memory_total among them (ties: the larger), bytes; null when none reports it. */
  memoryBytes: number | null;
}

/**
 * GPUs by name. A physical GPU (address, id) is listed once per pipeline and model it serves: it
 * counts once, under its first name (A-Z) and its largest reported memory.
 */
export async function gpusByName(q: Querier, at: string): Promise<GpuNameRow[]> {
  const rows = await q.query<{ name: string; count: number; memory: string | null }>(
    `with gpu as (
       select v.address, g.gpu_id, min(g.name) as name, max(g.memory_total) as memory
         from orch_versions v join orch_version_gpus g on g.version_id = v.id
        where ${IN_FORCE("v")}
        group by v.address, g.gpu_id
     ), per_memory as (
       select name, memory, count(*) as n from gpu group by name, memory
     ), common as (
       select distinct on (name) name, memory from per_memory
        order by name, (memory is null), n desc, memory desc
     )
     select gpu.name, count(*)::int as count, max(common.memory)::text as memory
       from gpu join common using (name)
      group by gpu.name
      order by count(*) desc, gpu.name`,
    [at],
  );
  return rows.map((r) => ({ name: r.name, count: Number(r.count), memoryBytes: r.memory === null ? null : Number(r.memory) }));
}

export interface PipelineModelRow {
  pipeline: string;
  modelId: string;
  /** Distinct addresses advertising it. */
  orchestrators: number;
  /** Nodes advertising it (an address can run several). */
  nodes: number;
  /** Distinct (address, GPU id) pairs reported under it. */
  gpus: number;
  /** Addresses with a node reporting it warm. */
  warm: number;
  /** Sum of the nodes' advertised capacity and capacity in use (nodes that report none add nothing). */
  capacity: number;
  capacityInUse: number;
  /** Every node's priced offer, "pricePerUnit/pixelsPerUnit" (integers), in no particular order. */
  offers: string[];
}

/** Per pipeline and model, ordered by pipeline then most orchestrators. */
export async function pipelineModels(q: Querier, at: string): Promise<PipelineModelRow[]> {
  const rows = await q.query<{
    pipeline: string;
    model_id: string;
    orchestrators: number;
    nodes: number;
    gpus: number;
    warm: number;
    capacity: string;
    in_use: string;
    offers: string[] | null;
  }>(
    `with m as (
       select v.address, v.id, m.pipeline, m.model_id, m.warm, m.capacity, m.capacity_in_use, m.price_per_unit, m.pixels_per_unit
         from orch_versions v join orch_version_models m on m.version_id = v.id
        where ${IN_FORCE("v")}
     ), g as (
       select g.pipeline, g.model_id, count(distinct (v.address, g.gpu_id))::int as gpus
         from orch_versions v join orch_version_gpus g on g.version_id = v.id
        where ${IN_FORCE("v")}
        group by g.pipeline, g.model_id
     )
     select m.pipeline, m.model_id, count(distinct m.address)::int as orchestrators, count(*)::int as nodes,
            coalesce(max(g.gpus), 0)::int as gpus,
            count(distinct m.address) filter (where m.warm)::int as warm,
            coalesce(sum(m.capacity), 0)::text as capacity, coalesce(sum(m.capacity_in_use), 0)::text as in_use,
            array_agg(m.price_per_unit::text || '/' || coalesce(m.pixels_per_unit, 1)::text) filter (where m.price_per_unit is not null) as offers
       from m left join g on g.pipeline = m.pipeline and g.model_id = m.model_id
      group by m.pipeline, m.model_id
      order by m.pipeline, count(distinct m.address) desc, m.model_id`,
    [at],
  );
  return rows.map((r) => ({
    pipeline: r.pipeline,
    modelId: r.model_id,
    orchestrators: Number(r.orchestrators),
    nodes: Number(r.nodes),
    gpus: Number(r.gpus),
    warm: Number(r.warm),
    capacity: Number(r.capacity),
    capacityInUse: Number(r.in_use),
    offers: r.offers ?? [],
  }));
}

export interface HistoryRow {
  /** UTC day and its last poll (µs ISO): the figures are the network's state at that poll. */
  day: string;
  at: string;
  orchestrators: number;
  gpus: number;
  /** Priced live-video-to-video offers (every model), "pricePerUnit/pixelsPerUnit". */
  liveOffers: string[];
}

/** One point per UTC day with a poll, from `days` days before `until` up to it (inclusive). */
export async function networkHistory(q: Querier, until: string, days: number): Promise<HistoryRow[]> {
  const rows = await q.query<{ day: string; at: string; orchestrators: number; gpus: number; live: string[] | null }>(
    `with instants as (
       select (observed_at at time zone 'UTC')::date as day, max(observed_at) as at
         from capability_polls
        where observed_at <= $1::timestamptz and observed_at > $1::timestamptz - make_interval(days => $2::int)
        group by 1
     )
     select i.day::text as day, ${ISO_US("i.at")} as at,
            (select count(distinct v.address)::int from orch_versions v where ${IN_FORCE("v", "i.at")}) as orchestrators,
            (select count(*)::int from (select distinct v.address, g.gpu_id from orch_versions v
                join orch_version_gpus g on g.version_id = v.id where ${IN_FORCE("v", "i.at")}) x) as gpus,
            (select array_agg(m.price_per_unit::text || '/' || coalesce(m.pixels_per_unit, 1)::text)
               from orch_versions v join orch_version_models m on m.version_id = v.id
              where ${IN_FORCE("v", "i.at")} and m.pipeline = '${LIVE_VIDEO_PIPELINE}' and m.price_per_unit is not null) as live
       from instants i
      order by i.day`,
    [until, days],
  );
  return rows.map((r) => ({ day: r.day, at: r.at, orchestrators: Number(r.orchestrators), gpus: Number(r.gpus), liveOffers: r.live ?? [] }));
}

export interface NodeGpu {
  id: string;
  name: string;
  memoryBytes: number | null;
}

export interface NodeModel {
  pipeline: string;
  modelId: string;
  /** Integer wei per pixelsPerUnit units, as advertised; null when not priced. */
  pricePerUnit: string | null;
  pixelsPerUnit: string | null;
  warm: boolean | null;
  capacity: number | null;
  capacityInUse: number | null;
}

export interface NodeDetail {
  address: string;
  hotWallet: string | null;
  url: string | null;
  version: string | null;
  /** When this version began, and the last poll that still saw it (µs ISO). */
  since: string;
  lastSeenAt: string;
  gpus: NodeGpu[];
  models: NodeModel[];
}

/**
 * Every node in force at `at`, by address then URL, with its GPUs (once per id) and models; only
 * the nodes of `address` when given.
 */
export async function nodesAt(q: Querier, at: string, address?: string): Promise<NodeDetail[]> {
  const only = address === undefined ? "" : ` and v.address = $2`;
  const params = address === undefined ? [at] : [at, address.toLowerCase()];
  const [versions, models, gpus] = await Promise.all([
    q.query<{ id: number; address: string; local_address: string | null; orch_uri: string; version: string | null; since: string; seen: string }>(
      `select v.id, v.address, v.local_address, v.orch_uri, v.version, ${ISO_US("v.valid_from")} as since, ${ISO_US("v.last_seen_at")} as seen
         from orch_versions v where ${IN_FORCE("v")}${only} order by v.address, v.orch_uri`,
      params,
    ),
    q.query<{ version_id: number; pipeline: string; model_id: string; price: string | null; ppu: string | null; warm: boolean | null; capacity: number | null; in_use: number | null }>(
      `select m.version_id, m.pipeline, m.model_id, m.price_per_unit::text as price, m.pixels_per_unit::text as ppu, m.warm, m.capacity, m.capacity_in_use as in_use
         from orch_versions v join orch_version_models m on m.version_id = v.id
        where ${IN_FORCE("v")}${only} order by m.version_id, m.pipeline, m.model_id`,
      params,
    ),
    q.query<{ version_id: number; gpu_id: string; name: string; memory: string | null }>(
      `select g.version_id, g.gpu_id, min(g.name) as name, max(g.memory_total)::text as memory
         from orch_versions v join orch_version_gpus g on g.version_id = v.id
        where ${IN_FORCE("v")}${only} group by g.version_id, g.gpu_id order by g.version_id, g.gpu_id`,
      params,
    ),
  ]);
  const byVersion = new Map<number, NodeDetail>();
  const out = versions.map((v) => {
    const d: NodeDetail = {
      address: v.address,
      hotWallet: v.local_address,
      url: v.orch_uri === "" ? null : v.orch_uri,
      version: v.version,
      since: v.since,
      lastSeenAt: v.seen,
      gpus: [],
      models: [],
    };
    byVersion.set(Number(v.id), d);
    return d;
  });
  for (const m of models)
    byVersion.get(Number(m.version_id))?.models.push({
      pipeline: m.pipeline,
      modelId: m.model_id,
      pricePerUnit: m.price,
      pixelsPerUnit: m.ppu,
      warm: m.warm,
      capacity: m.capacity === null ? null : Number(m.capacity),
      capacityInUse: m.in_use === null ? null : Number(m.in_use),
    });
  for (const g of gpus) byVersion.get(Number(g.version_id))?.gpus.push({ id: g.gpu_id, name: g.name, memoryBytes: g.memory === null ? null : Number(g.memory) });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Per orchestrator (the orchestrators table and one orchestrator's page)

/** One GPU of an orchestrator, under the pipeline and model it was reported under (one row per pair it serves). */
export type OrchestratorGpuRow = Omit<GpuSlot, "node">;

/**
 * The GPUs of every node in force at `at` (only `address`'s when given), one row per GPU id and
 * pipeline/model it serves, merged over an address's nodes (first name A-Z, largest memory).
 */
export async function orchestratorGpus(q: Querier, at: string, address: string | null = null): Promise<OrchestratorGpuRow[]> {
  const rows = await q.query<{ address: string; gpu_id: string; name: string; memory: string | null; pipeline: string; model_id: string }>(
    `select v.address, g.gpu_id, min(g.name) as name, max(g.memory_total)::text as memory, g.pipeline, g.model_id
       from orch_versions v join orch_version_gpus g on g.version_id = v.id
      where ${IN_FORCE("v")} and ($2::text is null or v.address = $2)
      group by v.address, g.gpu_id, g.pipeline, g.model_id
      order by v.address, g.pipeline, g.model_id, g.gpu_id`,
    [at, address?.toLowerCase() ?? null],
  );
  return rows.map((r) => ({
    address: r.address,
    gpuId: r.gpu_id,
    name: r.name,
    memoryBytes: r.memory === null ? null : Number(r.memory),
    pipeline: r.pipeline,
    modelId: r.model_id,
  }));
}

/** Addresses with a node in force at `at`, A-Z. */
export async function addressesAt(q: Querier, at: string): Promise<string[]> {
  const rows = await q.query<{ address: string }>(`select distinct v.address from orch_versions v where ${IN_FORCE("v")} order by v.address`, [at]);
  return rows.map((r) => r.address);
}

export interface LiveOfferRow {
  address: string;
  modelId: string;
  /** "pricePerUnit/pixelsPerUnit" (integers), one per node offering it. */
  offer: string;
}

/** Every priced live-video-to-video offer in force at `at`, by address and model. */
export async function liveOffersByAddress(q: Querier, at: string): Promise<LiveOfferRow[]> {
  const rows = await q.query<{ address: string; model_id: string; offer: string }>(
    `select v.address, m.model_id, m.price_per_unit::text || '/' || coalesce(m.pixels_per_unit, 1)::text as offer
       from orch_versions v join orch_version_models m on m.version_id = v.id
      where ${IN_FORCE("v")} and m.pipeline = '${LIVE_VIDEO_PIPELINE}' and m.price_per_unit is not null
      order by v.address, m.model_id, v.orch_uri`,
    [at],
  );
  return rows.map((r) => ({ address: r.address, modelId: r.model_id, offer: r.offer }));
}

export interface PricePeriodRow {
  url: string | null;
  pipeline: string;
  modelId: string;
  /** Integer wei per pixelsPerUnit units; null while not priced. */
  pricePerUnit: string | null;
  pixelsPerUnit: string | null;
  /** From the first version with this price (µs ISO) to the version that changed it (null: in force now). */
  from: string;
  to: string | null;
}

/**
 * An address's advertised prices over its whole history, per node (URL), pipeline and model: one
 * period per run of consecutive versions with the same price (a model that leaves and comes back
 * starts a new period), oldest first. Reads only this address's versions.
 */
export async function priceHistory(q: Querier, address: string): Promise<PricePeriodRow[]> {
  const rows = await q.query<{ orch_uri: string; pipeline: string; model_id: string; price: string | null; ppu: string | null; from_at: string; to_at: string | null }>(
    `with m as (
       select v.orch_uri, m.pipeline, m.model_id, m.price_per_unit, m.pixels_per_unit, v.valid_from, v.valid_to
         from orch_versions v join orch_version_models m on m.version_id = v.id
        where v.address = $1
     ), marked as (
       select m.*,
              case when lag(valid_to) over w is distinct from valid_from
                     or lag(price_per_unit) over w is distinct from price_per_unit
                     or lag(pixels_per_unit) over w is distinct from pixels_per_unit then 1 else 0 end as brk
         from m window w as (partition by orch_uri, pipeline, model_id order by valid_from)
     ), runs as (
       select marked.*, sum(brk) over (partition by orch_uri, pipeline, model_id order by valid_from rows unbounded preceding) as run
         from marked
     )
     select orch_uri, pipeline, model_id, price_per_unit::text as price, pixels_per_unit::text as ppu,
            ${ISO_US("min(valid_from)")} as from_at,
            case when bool_or(valid_to is null) then null else ${ISO_US("max(valid_to)")} end as to_at
       from runs
      group by orch_uri, pipeline, model_id, run, price_per_unit, pixels_per_unit
      order by pipeline, model_id, orch_uri, min(valid_from)`,
    [address.toLowerCase()],
  );
  return rows.map((r) => ({
    url: r.orch_uri === "" ? null : r.orch_uri,
    pipeline: r.pipeline,
    modelId: r.model_id,
    pricePerUnit: r.price,
    pixelsPerUnit: r.ppu,
    from: r.from_at,
    to: r.to_at,
  }));
}
