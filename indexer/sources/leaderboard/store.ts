// Writes of the leaderboard source (db/schema-probes.ts). Probes go in with ON CONFLICT DO NOTHING
// on their natural key, and only the rows that statement really inserted (RETURNING) move the daily
// rollups and mark their days' medians for recomputation, all in one statement: a probe read
// by two overlapping polls, or by two runs, counts once. The per-orchestrator cursor moves in the
// same transaction as the probes of its window (poll.ts), so a failure never skips unstored data.
import type { Querier, TxQuerier } from "../../../db/client";
import type { PipelineRef, ProbeRecord, RegionRef } from "../../../core/probes/raw";
import { prepareRecords, type PreparedProbes } from "./prepare";

/** Orchestrators to probe: active on chain, or paid fees in the last 90 days (the subgraph's tables). */
export async function orchestratorsToPoll(q: Querier): Promise<string[]> {
  const rows = await q.query<{ address: string }>(
    `select address from transcoders where active
     union
     select orchestrator from fee_day_orchestrator where day >= (now() at time zone 'UTC')::date - 90 and volume_eth > 0
     order by 1`,
  );
  return rows.map((r) => r.address.toLowerCase());
}

/** Adds two sparse (key, count) arrays of a rollup row and the excluded one: keys united and ascending, counts summed. */
function mergeSparse(table: string, keys: string, counts: string): string {
  return `(${keys}, ${counts}) = (
        select coalesce(array_agg(k order by k), '{}'), coalesce(array_agg(n order by k), '{}')
          from (select k, sum(n)::int as n from unnest(${table}.${keys} || excluded.${keys}, ${table}.${counts} || excluded.${counts}) as u(k, n)
                 group by k having sum(n) <> 0) as merged)`;
}

const GROUP = `orchestrator, region, pipeline, model`;

/** ON CONFLICT clause adding an increment row to a stored rollup row of `table` keyed by `column`. */
const onConflictAdd = (table: string, column: string) => `on conflict (${column}, ${GROUP}) do update set
      probes = ${table}.probes + excluded.probes, success_sum = ${table}.success_sum + excluded.success_sum,
      rtt_sum = ${table}.rtt_sum + excluded.rtt_sum, warm = ${table}.warm + excluded.warm, ok_probes = ${table}.ok_probes + excluded.ok_probes,
      ${mergeSparse(table, "rtt_buckets", "rtt_counts")},
      ${mergeSparse(table, "error_codes", "error_counts")}`;

/** The CTEs that add the inserted probes (`ins`) to one rollup table, keyed by `period`. */
function rollupCtes(name: string, table: string, column: string, period: string): string {
  return `
  ${name}_base as (
    select ${period} as period, ${GROUP}, count(*)::int as probes, sum(success_rate) as success_sum, sum(round_trip_s) as rtt_sum,
           (count(*) filter (where warm))::int as warm, count(rtt_bucket)::int as ok_probes
      from ins group by 1, 2, 3, 4, 5),
  ${name}_hist as (
    select period, ${GROUP}, array_agg(b order by b) as buckets, array_agg(n order by b) as counts
      from (select ${period} as period, ${GROUP}, rtt_bucket as b, count(*)::int as n from ins where rtt_bucket is not null group by 1, 2, 3, 4, 5, 6) x
     group by 1, 2, 3, 4, 5),
  ${name}_err as (
    select period, ${GROUP}, array_agg(code order by code) as codes, array_agg(n order by code) as counts
      from (select ${period} as period, ${GROUP}, e.code, sum(e.n)::int as n
              from ins, unnest(ins.error_codes, ins.error_counts) as e(code, n) group by 1, 2, 3, 4, 5, 6) x
     group by 1, 2, 3, 4, 5),
  ${name}_up as (
    insert into ${table} (${column}, ${GROUP}, probes, success_sum, rtt_sum, warm, ok_probes, rtt_buckets, rtt_counts, error_codes, error_counts)
    select b.period, b.orchestrator, b.region, b.pipeline, b.model, b.probes, b.success_sum, b.rtt_sum, b.warm, b.ok_probes,
           coalesce(h.buckets, '{}'), coalesce(h.counts, '{}'), coalesce(e.codes, '{}'), coalesce(e.counts, '{}')
      from ${name}_base b
      left join ${name}_hist h using (period, ${GROUP})
      left join ${name}_err e using (period, ${GROUP})
     order by b.period, b.orchestrator collate "C", b.region collate "C", b.pipeline collate "C", b.model collate "C"
    ${onConflictAdd(table, column)}
    returning 1)`;
}

/** UTC day of a timestamptz, independent of the session's time zone. */
const DAY = `(at at time zone 'UTC')::date`;

const PROBE_COLUMNS = ["orchestrator", "at", "region", "pipeline", "model", "fingerprint", "success_rate", "round_trip_s", "warm", "rtt_bucket", "error_codes", "error_counts"];
const ROLL_COLUMNS = ["orchestrator", "region", "pipeline", "model", "probes", "success_sum", "rtt_sum", "warm", "ok_probes", "rtt_buckets", "rtt_counts", "error_codes", "error_counts"];
const UNIQUE_VIOLATION = "23505";

// When a window holds a probe already stored (an overlapping poll), its rows go through this
// session-local twin of probes (emptied at every commit) and INSERT ... ON CONFLICT DO NOTHING.
const CREATE_STAGE = `create temp table if not exists probe_stage (like probes) on commit delete rows`;
const INSERT_STAGED = `insert into probes select * from probe_stage on conflict do nothing`;

const MARK_DIRTY = (from: string) => `
  insert into probe_median_dirty (day, pipeline, model)
  select distinct ${DAY}, pipeline, model from ${from} where rtt_bucket is not null
  on conflict do nothing`;

// The rollups of exactly the rows this transaction inserted from the stage, told apart by their xmin
// (rows inserted at the transaction's top level carry its xid; the savepoint before was undone).
const ROLLUPS_OF_INSERTED = `
  with ins as (
    select p.orchestrator, p.at, p.region, p.pipeline, p.model, p.success_rate, p.round_trip_s, p.warm, p.rtt_bucket, p.error_codes, p.error_counts
      from probe_stage s
      join probes p on p.at = s.at and p.orchestrator = s.orchestrator and p.region = s.region and p.pipeline = s.pipeline
                   and p.model = s.model and p.fingerprint = s.fingerprint
     where p.xmin::text = (txid_current() % 4294967296)::text),
  ${rollupCtes("dy", "probe_day", "day", DAY)},
  dirty as (${MARK_DIRTY("ins")} returning 1)
  select count(*)::int as n from ins`;

/** COPY into a keyed table inside a savepoint; false, with nothing written, when a key is already there. */
async function copyIfAllNew(q: TxQuerier, table: string, columns: readonly string[], data: Uint8Array): Promise<boolean> {
  await q.query("savepoint probe_copy");
  try {
    await q.copyIn(table, columns, data);
    await q.query("release savepoint probe_copy");
    return true;
  } catch (e) {
    if ((e as { code?: string }).code !== UNIQUE_VIOLATION) throw e;
    await q.query("rollback to savepoint probe_copy");
    await q.query("release savepoint probe_copy");
    return false;
  }
}

/** Adds probe_day increment rows through a staging twin, merged into stored rows (a window's first and last days usually are). */
async function addDayRolls(q: TxQuerier, data: Uint8Array): Promise<void> {
  await q.query(`create temp table if not exists probe_day_stage (like probe_day) on commit delete rows`);
  await q.copyIn("probe_day_stage", ["day", ...ROLL_COLUMNS], data);
  await q.query(`
    insert into probe_day select * from probe_day_stage
     order by day, orchestrator collate "C", region collate "C", pipeline collate "C", model collate "C"
    ${onConflictAdd("probe_day", "day")}`);
}

/**
 * Stores probes once each and moves the rollups and median marks by exactly the rows inserted;
 * returns how many were new. The common case, every key new, is one COPY straight into probes inside
 * a savepoint and the rollups prepared with them (prepare.ts); a window holding a stored probe undoes
 * that savepoint and goes through the stage with ON CONFLICT, its rollups made from the rows inserted.
 */
export async function insertPrepared(q: TxQuerier, p: PreparedProbes): Promise<number> {
  if (!p.count) return 0;
  if (await copyIfAllNew(q, "probes", PROBE_COLUMNS, p.data)) {
    await addDayRolls(q, p.day);
    if (p.dirty.length)
      await q.query(
        `insert into probe_median_dirty (day, pipeline, model)
         select r.day, r.pipeline, r.model from json_to_recordset($1::json) as r(day date, pipeline text, model text) on conflict do nothing`,
        [JSON.stringify(p.dirty)],
      );
    return p.count;
  }
  await q.query(CREATE_STAGE);
  await q.copyIn("probe_stage", PROBE_COLUMNS, p.data);
  const inserted = await q.execute(INSERT_STAGED);
  if (inserted === 0) return 0;
  const [r] = await q.query<{ n: number }>(ROLLUPS_OF_INSERTED);
  if (r.n !== inserted) throw new Error(`probe rollups saw ${r.n} inserted rows, the insert reported ${inserted}`);
  return inserted;
}

/** insertPrepared of records unique by key (dedupe()). */
export const insertProbes = (q: TxQuerier, records: readonly ProbeRecord[]): Promise<number> => insertPrepared(q, prepareRecords(records));

/**
 * Recomputes the official daily medians (per region and for all regions, region '') of every day,
 * pipeline and model marked dirty, exactly as the API's percentile_cont over ok probes; clears the marks.
 * The probes are read once over the span of the marked days (the key's range on `at`) and matched to
 * the marks on (pipeline, model, UTC day) by hash: a join on the day's range instead let the planner
 * merge on (pipeline, model) alone and test every probe against every marked day of its pair
 * (a 30-day backfill: 31 tests per probe, seconds at 228k probes, quadratic in the days). Nested
 * loops and merge joins are off for this statement: with the span's bounds unknown when planning,
 * Postgres otherwise scans the pair index over the whole span once per marked day (150 orchestrators
 * x 30 days: 67 s, against 4 s by hash).
 */
export async function refreshDailyMedians(q: TxQuerier): Promise<number> {
  await q.query("set local enable_nestloop = off");
  await q.query("set local enable_mergejoin = off");
  const [r] = await q.query<{ n: number }>(
    `with d as (delete from probe_median_dirty returning day, pipeline, model),
     span as (select min(day) as lo, max(day) as hi from d),
     v as (
       select d.day, p.pipeline, p.model, p.region, p.round_trip_s
         from probes p join d on d.pipeline = p.pipeline and d.model = p.model and d.day = (p.at at time zone 'UTC')::date
        where p.at >= ((select lo from span)::timestamp at time zone 'UTC') and p.at < (((select hi from span) + 1)::timestamp at time zone 'UTC')
          and p.success_rate = 1 and p.round_trip_s <> 0),
     m as (
       select day, pipeline, model, coalesce(region, '') as region,
              percentile_cont(0.5) within group (order by round_trip_s) as median, count(*)::int as n
         from v group by grouping sets ((day, pipeline, model, region), (day, pipeline, model))),
     up as (
       insert into probe_median_day (day, pipeline, model, region, median, n)
       select day, pipeline, model, region, median, n from m
       on conflict (day, pipeline, model, region) do update set median = excluded.median, n = excluded.n
       returning 1)
     select count(*)::int as n from d`,
  );
  await q.query("set local enable_nestloop = on");
  await q.query("set local enable_mergejoin = on");
  return r.n;
}

export interface CursorRow {
  orchestrator: string;
  /** Unix seconds, null before the first successful window. */
  polledUntil: number | null;
}

export async function readCursors(q: Querier): Promise<Map<string, number | null>> {
  const rows = await q.query<{ orchestrator: string; until: number | null }>(
    `select orchestrator, extract(epoch from polled_until)::float8 as until from probe_cursors`,
  );
  return new Map(rows.map((r) => [r.orchestrator, r.until === null ? null : Number(r.until)]));
}

/** A window's probes are stored: the cursor moves to its end (never back), errors are cleared. */
export async function advanceCursor(q: TxQuerier, orchestrator: string, untilS: number, backfilledFromS: number | null, inserted: number): Promise<void> {
  await q.query(
    `insert into probe_cursors (orchestrator, polled_until, backfilled_from, last_success_at, last_error, last_error_at, failures, probes)
     values ($1, to_timestamp($2::float8), to_timestamp($3::float8), now(), null, null, 0, $4)
     on conflict (orchestrator) do update set
       polled_until = greatest(probe_cursors.polled_until, excluded.polled_until),
       backfilled_from = coalesce(probe_cursors.backfilled_from, excluded.backfilled_from),
       last_success_at = now(), last_error = null, failures = 0, probes = probe_cursors.probes + excluded.probes`,
    [orchestrator, untilS, backfilledFromS, inserted],
  );
}

/** A query failed after its retries: recorded, the cursor left where it was. */
export async function recordFailure(q: Querier, orchestrator: string, error: string): Promise<void> {
  await q.query(
    `insert into probe_cursors (orchestrator, last_error, last_error_at, failures) values ($1, $2, now(), 1)
     on conflict (orchestrator) do update set last_error = excluded.last_error, last_error_at = now(), failures = probe_cursors.failures + 1`,
    [orchestrator, error.slice(0, 2000)],
  );
}

/** Replaces the regions and pipelines the API lists (reference for the pages' filters). */
export async function saveReference(q: TxQuerier, regions: RegionRef[] | null, pipelines: PipelineRef[] | null): Promise<void> {
  if (regions) {
    await q.query(`delete from probe_regions`);
    if (regions.length)
      await q.query(
        `insert into probe_regions (id, type, name, updated_at)
         select r.id, r.type, min(r.name), now() from json_to_recordset($1::json) as r(id text, type text, name text) group by 1, 2`,
        [JSON.stringify(regions)],
      );
  }
  if (pipelines) {
    await q.query(`delete from probe_pipelines`);
    if (pipelines.length)
      await q.query(
        `insert into probe_pipelines (pipeline, model, name, regions, updated_at)
         select r.pipeline, r.model, r.name, coalesce(r.regions, '{}'), now()
           from json_to_recordset($1::json) as r(pipeline text, model text, name text, regions text[])
         on conflict do nothing`,
        [JSON.stringify(pipelines)],
      );
  }
}
