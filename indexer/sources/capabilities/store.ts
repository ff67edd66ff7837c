// The orchestrators' advertised state as history (db/schema-gateway.ts, orch_versions): a node's
// new version is written only when its state changed, an unchanged poll only moves last_seen_at,
// and a node that leaves a complete answer has its version closed. Also keeps orch_aliases (hot
// wallet and URL to canonical address). Used by the capabilities source (complete answers) and by
// `network_capabilities` events (partial: only the nodes they list).
import type { Querier } from "../../../db/client";
import { stateHash, type OrchState } from "../../../core/gateway/capabilities";
import { normaliseUrl } from "../../../core/gateway/identity";

export interface ApplyResult {
  orchestrators: number;
  changed: number;
  gone: number;
}

interface Current {
  id: number;
  address: string;
  orch_uri: string;
  valid_from: string;
  content_hash: string;
}

/**
 * Applies one observation at `observedAt` (ISO instant). `complete`: the answer lists every node
 * the gateway knows, so current nodes missing from it are closed. An observation older than a
 * node's current version does not rewrite history (events can arrive late); it is skipped.
 */
export async function applyCapabilities(
  q: Querier,
  states: OrchState[],
  observedAt: string,
  opts: { origin: "endpoint" | "event"; complete: boolean },
): Promise<ApplyResult> {
  const current = await q.query<Current>(
    `select id, address, orch_uri, valid_from::text as valid_from, content_hash from orch_versions where valid_to is null`,
  );
  const byNode = new Map(current.map((c) => [`${c.address} ${c.orch_uri}`, c]));
  const at = Date.parse(observedAt);
  // Decide per node in memory, then write with one statement per kind of change.
  const touched: number[] = [];
  const closed: number[] = [];
  const fresh: (OrchState & { hash: string })[] = [];
  const seen = new Set<string>();
  for (const s of states) {
    const node = `${s.address} ${s.orchUri ?? ""}`;
    seen.add(node);
    const hash = stateHash(s);
    const cur = byNode.get(node);
    if (cur && cur.content_hash === hash) touched.push(cur.id);
    else if (cur && Date.parse(cur.valid_from) >= at) continue; // late: history already has something newer
    else {
      if (cur) closed.push(cur.id);
      fresh.push({ ...s, hash });
    }
  }
  const changed = fresh.length;
  let gone = 0;
  if (opts.complete)
    for (const c of current)
      if (!seen.has(`${c.address} ${c.orch_uri}`) && Date.parse(c.valid_from) < at) {
        closed.push(c.id);
        gone++;
      }
  if (touched.length)
    await q.query(`update orch_versions set last_seen_at = greatest(last_seen_at, $2::timestamptz) where id = any($1::int[])`, [touched, observedAt]);
  if (closed.length) await q.query(`update orch_versions set valid_to = $2 where id = any($1::int[])`, [closed, observedAt]);
  if (fresh.length) await insertVersions(q, fresh, observedAt);
  await saveCapabilityAliases(q, states, observedAt);
  await q.query(`insert into capability_polls (observed_at, origin, orchestrators, changed, gone) values ($1, $2, $3, $4, $5)`, [
    observedAt,
    opts.origin,
    states.length,
    changed,
    gone,
  ]);
  return { orchestrators: states.length, changed, gone };
}

/** New versions with their models and GPUs, in one statement (each node appears once in `states`). */
async function insertVersions(q: Querier, states: (OrchState & { hash: string })[], observedAt: string): Promise<void> {
  const node = (s: OrchState) => ({ address: s.address, orch_uri: s.orchUri ?? "" });
  await q.query(
    `with v as (
       insert into orch_versions (address, valid_from, last_seen_at, local_address, orch_uri, version, content_hash)
       select n.address, $1, $1, n.local_address, n.orch_uri, n.version, n.content_hash
         from json_to_recordset($2::json) as n(address text, orch_uri text, local_address text, version text, content_hash text)
       returning id, address, orch_uri),
     m as (
       insert into orch_version_models (version_id, pipeline, model_id, capability, price_per_unit, pixels_per_unit, warm, capacity, capacity_in_use, runner_version)
       select v.id, m.pipeline, m.model_id, m.capability, m.price_per_unit::numeric, m.pixels_per_unit::numeric, m.warm, m.capacity, m.capacity_in_use, m.runner_version
         from json_to_recordset($3::json) as m(address text, orch_uri text, pipeline text, model_id text, capability smallint, price_per_unit text,
              pixels_per_unit text, warm boolean, capacity integer, capacity_in_use integer, runner_version text)
         join v using (address, orch_uri)
       returning 1),
     g as (
       insert into orch_version_gpus (version_id, gpu_id, name, memory_total, pipeline, model_id)
       select v.id, g.gpu_id, g.name, g.memory_total, g.pipeline, g.model_id
         from json_to_recordset($4::json) as g(address text, orch_uri text, gpu_id text, name text, memory_total bigint, pipeline text, model_id text)
         join v using (address, orch_uri)
       returning 1)
     select (select count(*) from m) + (select count(*) from g) as n`,
    [
      observedAt,
      JSON.stringify(states.map((s) => ({ ...node(s), local_address: s.localAddress, version: s.version, content_hash: s.hash }))),
      JSON.stringify(
        states.flatMap((s) =>
          s.models.map((m) => ({
            ...node(s),
            pipeline: m.pipeline,
            model_id: m.modelId,
            capability: m.capability,
            price_per_unit: m.pricePerUnit,
            pixels_per_unit: m.pixelsPerUnit,
            warm: m.warm,
            capacity: m.capacity,
            capacity_in_use: m.capacityInUse,
            runner_version: m.runnerVersion,
          })),
        ),
      ),
      JSON.stringify(
        states.flatMap((s) => s.gpus.map((g) => ({ ...node(s), gpu_id: g.gpuId, name: g.name, memory_total: g.memoryTotal, pipeline: g.pipeline, model_id: g.modelId }))),
      ),
    ],
  );
}

/** Hot wallet, URL and the address itself to the canonical address; the newest observation wins. */
async function saveCapabilityAliases(q: Querier, states: OrchState[], observedAt: string): Promise<void> {
  const rows: { alias: string; address: string }[] = [];
  for (const s of states) {
    rows.push({ alias: s.address, address: s.address });
    if (s.localAddress) rows.push({ alias: s.localAddress, address: s.address });
    if (s.orchUri) rows.push({ alias: s.orchUri, address: s.address });
  }
  await upsertAliases(q, rows, "capabilities", observedAt);
}

/**
 * Service URIs from the subgraph (transcoders.service_uri) as aliases, where the capabilities do
 * not already name that URL: capabilities are what a gateway really reached, the chain what an
 * operator registered.
 */
export async function syncSubgraphAliases(q: Querier): Promise<number> {
  const rows = await q.query<{ id: string; service_uri: string }>(`select address as id, service_uri from transcoders where service_uri is not null and service_uri <> ''`);
  const aliases = rows.map((r) => ({ alias: normaliseUrl(r.service_uri), address: r.id }));
  if (!aliases.length) return 0;
  await q.query(
    `insert into orch_aliases (alias, address, origin, updated_at)
     select a.alias, a.address, 'subgraph', now() from json_to_recordset($1::json) as a(alias text, address text)
     on conflict (alias) do update set address = excluded.address, updated_at = excluded.updated_at
       where orch_aliases.origin = 'subgraph' and orch_aliases.address <> excluded.address`,
    [JSON.stringify(dedupe(aliases))],
  );
  return aliases.length;
}

async function upsertAliases(q: Querier, rows: { alias: string; address: string }[], origin: string, at: string): Promise<void> {
  if (!rows.length) return;
  await q.query(
    `insert into orch_aliases (alias, address, origin, updated_at)
     select a.alias, a.address, $2, $3::timestamptz from json_to_recordset($1::json) as a(alias text, address text)
     on conflict (alias) do update set address = excluded.address, origin = excluded.origin, updated_at = excluded.updated_at
       where orch_aliases.origin <> 'capabilities' or orch_aliases.updated_at <= excluded.updated_at`,
    [JSON.stringify(dedupe(rows)), origin, at],
  );
}

/** One row per alias (ON CONFLICT cannot touch a row twice in one statement); the last one wins. */
function dedupe(rows: { alias: string; address: string }[]): { alias: string; address: string }[] {
  return [...new Map(rows.map((r) => [r.alias, r])).values()];
}
