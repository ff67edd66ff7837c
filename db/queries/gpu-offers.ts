// What the cloud comparison by GPU reads from the capability history (db/schema-gateway.ts:
// orch_versions and their GPUs and models, written by the capabilities source): which poll an
// instant falls on, every GPU of the nodes in force then (one row per GPU id and pipeline/model it
// serves) and every live-video-to-video model of those nodes with its exact price and capacity. A
// version is in force at `at` when valid_from <= at and (valid_to is null or valid_to > at).
// Grouping by GPU model and all arithmetic are core/cost/by-gpu.ts's; payments come from
// db/queries/live.ts (livePayments), the catalogue from db/queries/cost.ts (storedCatalogue).
import type { GpuSlot, LiveModel } from "../../core/cost/by-gpu";
import type { Querier } from "../client";

const LIVE_VIDEO = "live-video-to-video";

/** ISO instant to the microsecond, UTC: exact back in SQL. */
const ISO_US = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const IN_FORCE = `v.valid_from <= $1::timestamptz and (v.valid_to is null or v.valid_to > $1::timestamptz)`;

/** The newest capabilities poll at or before `until` (null: the newest of all); null when none. */
export async function capabilitiesAsOf(q: Querier, until: string | null): Promise<string | null> {
  const [r] = await q.query<{ as_of: string | null }>(
    `select ${ISO_US("max(observed_at)")} as as_of from capability_polls where $1::timestamptz is null or observed_at <= $1::timestamptz`,
    [until],
  );
  return r?.as_of ?? null;
}

/** Rows as core/cost/by-gpu.ts reads them (its input types, so the two never drift). */
export type GpuSlotRow = GpuSlot;

/** Every GPU of the nodes in force at `at`, once per node, GPU id, pipeline and model. */
export async function gpuSlotsAt(q: Querier, at: string): Promise<GpuSlotRow[]> {
  const rows = await q.query<{ node: number; address: string; gpu_id: string; name: string; memory: string | null; pipeline: string; model_id: string }>(
    `select v.id as node, v.address, g.gpu_id, g.name, g.memory_total::text as memory, g.pipeline, g.model_id
       from orch_versions v join orch_version_gpus g on g.version_id = v.id
      where ${IN_FORCE}
      order by v.address, v.id, g.gpu_id, g.pipeline, g.model_id`,
    [at],
  );
  return rows.map((r) => ({
    node: Number(r.node),
    address: r.address,
    gpuId: r.gpu_id,
    name: r.name,
    memoryBytes: r.memory === null ? null : Number(r.memory),
    pipeline: r.pipeline,
    modelId: r.model_id,
  }));
}

export type LiveModelRow = LiveModel;

/** Every live-video-to-video model of the nodes in force at `at`: price, capacity, capacity in use. */
export async function liveModelsAt(q: Querier, at: string): Promise<LiveModelRow[]> {
  const rows = await q.query<{ node: number; address: string; model_id: string; price: string | null; ppu: string | null; capacity: number | null; in_use: number | null }>(
    `select v.id as node, v.address, m.model_id, m.price_per_unit::text as price, m.pixels_per_unit::text as ppu, m.capacity, m.capacity_in_use as in_use
       from orch_versions v join orch_version_models m on m.version_id = v.id
      where ${IN_FORCE} and m.pipeline = '${LIVE_VIDEO}'
      order by v.address, v.id, m.model_id`,
    [at],
  );
  return rows.map((r) => ({
    node: Number(r.node),
    address: r.address,
    modelId: r.model_id,
    pricePerUnit: r.price,
    pixelsPerUnit: r.ppu,
    capacity: r.capacity === null ? null : Number(r.capacity),
    capacityInUse: r.in_use === null ? null : Number(r.in_use),
  }));
}
