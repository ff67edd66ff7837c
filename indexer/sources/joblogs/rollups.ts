// Rollups of job rows: per hour (job_hour: counters, errors by type and the latency histogram in
// one row) and per day (job_day, job_error_day, job_latency_day). A batch's increments are computed
// here, in JS, from the rows it inserts, then applied by one statement in the batch's transaction.
// Integer and BigInt arithmetic only: fees are wei, output seconds whole microseconds.
import type { TxQuerier } from "../../../db/client";
import { LATENCY_CHUNK } from "../../../core/latency-histogram";
import { formatMicros } from "../../../db/units";
import type { JobRecord } from "./validate";

/** What one (hour or day, orchestrator, pipeline, model) group adds to the rollups. */
interface GroupIncrement {
  jobs: number;
  successes: number;
  feeWei: bigint;
  outputMicros: bigint;
  /** error_type -> failed jobs (null until the group's first failure: most sparse groups have none) */
  errors: Map<string, number> | null;
  /** latency bucket -> successful jobs */
  latency: Map<number, number>;
  /** Cost sums over the same jobs (job_day only; core/cost aggregateJobs). */
  cost: CostIncrement;
  /** "width\theight\tframes\tfps" (0 = not logged) -> successful jobs (job_setting_day only). */
  settings: Map<string, number>;
}

interface CostIncrement {
  jobs: number;
  feeWei: bigint;
  videoMicros: bigint;
  images: number;
  pixels: bigint;
  unpriced: number;
  failedFeeWei: bigint;
}

/**
 * hour (ms) -> orchestrator -> pipeline -> model -> increment. Nested maps keyed by strings the
 * records already hold, so adding a job allocates nothing once its group exists.
 */
export type RollupIncrements = Map<number, Map<string, Map<string, Map<string, GroupIncrement>>>>;

/** The fields of a job that rollups read. */
export type RollupFields = Pick<
  JobRecord,
  "timestampMs" | "orchAddress" | "pipeline" | "modelId" | "success" | "errorType" | "latencyBucket" | "expectedFeeWei" | "outputMicros" | "images" | "billedPixels" | "width" | "height" | "frames" | "fps"
>;

const HOUR_MS = 3_600_000;

function child<K, V>(m: Map<K, V>, k: K, make: () => V): V {
  let v = m.get(k);
  if (v === undefined) m.set(k, (v = make()));
  return v;
}

const emptyCost = (): CostIncrement => ({ jobs: 0, feeWei: 0n, videoMicros: 0n, images: 0, pixels: 0n, unpriced: 0, failedFeeWei: 0n });
const emptyGroup = (): GroupIncrement => ({
  jobs: 0,
  successes: 0,
  feeWei: 0n,
  outputMicros: 0n,
  errors: null,
  latency: new Map(),
  cost: emptyCost(),
  settings: new Map(),
});

/** A job's group, created when new. Spelled out rather than with child(): this runs for every line. */
function groupOf(inc: RollupIncrements, r: RollupFields): GroupIncrement {
  const hour = Math.floor(r.timestampMs / HOUR_MS) * HOUR_MS;
  let byOrch = inc.get(hour);
  if (byOrch === undefined) inc.set(hour, (byOrch = new Map()));
  let byPipeline = byOrch.get(r.orchAddress);
  if (byPipeline === undefined) byOrch.set(r.orchAddress, (byPipeline = new Map()));
  let byModel = byPipeline.get(r.pipeline);
  if (byModel === undefined) byPipeline.set(r.pipeline, (byModel = new Map()));
  let g = byModel.get(r.modelId);
  if (g === undefined) byModel.set(r.modelId, (g = emptyGroup()));
  return g;
}

/** The settings key of a job that logged none (LLM, audio): one string, not one per job. */
const NO_SETTING = "0\t0\t0\t0";

/** Adds a job to the increments (sign 1), or takes it out again (sign -1). */
export function addToIncrements(inc: RollupIncrements, r: RollupFields, sign: 1 | -1 = 1): void {
  const g = groupOf(inc, r);
  g.jobs += sign;
  if (r.expectedFeeWei !== null) g.feeWei += sign === 1 ? r.expectedFeeWei : -r.expectedFeeWei;
  if (r.outputMicros !== null) g.outputMicros += sign === 1 ? r.outputMicros : -r.outputMicros;
  const fee = r.expectedFeeWei === null ? null : sign === 1 ? r.expectedFeeWei : -r.expectedFeeWei;
  const c = g.cost;
  if (!r.success) {
    if (fee !== null) c.failedFeeWei += fee;
  } else if (fee === null) c.unpriced += sign;
  else if (r.outputMicros !== null && r.outputMicros > 0n) {
    c.jobs += sign;
    c.feeWei += fee;
    c.videoMicros += sign === 1 ? r.outputMicros : -r.outputMicros;
  } else if (r.images !== null && r.billedPixels !== null) {
    c.jobs += sign;
    c.feeWei += fee;
    c.images += sign * r.images;
    c.pixels += sign === 1 ? r.billedPixels : -r.billedPixels;
  }
  if (r.success) {
    const setting =
      r.width === null && r.height === null && r.frames === null && r.fps === null
        ? NO_SETTING
        : `${r.width ?? 0}\t${r.height ?? 0}\t${r.frames ?? 0}\t${r.fps ?? 0}`;
    g.settings.set(setting, (g.settings.get(setting) ?? 0) + sign);
    g.successes += sign;
    g.latency.set(r.latencyBucket, (g.latency.get(r.latencyBucket) ?? 0) + sign);
  } else {
    // A failure without a type still counts, as 'unknown'.
    const type = r.errorType ?? "unknown";
    const errors = (g.errors ??= new Map());
    errors.set(type, (errors.get(type) ?? 0) + sign);
  }
}

function addGroup(into: GroupIncrement, g: GroupIncrement): void {
  into.jobs += g.jobs;
  into.successes += g.successes;
  into.feeWei += g.feeWei;
  into.outputMicros += g.outputMicros;
  if (g.errors) {
    const errors = (into.errors ??= new Map());
    for (const [t, n] of g.errors) errors.set(t, (errors.get(t) ?? 0) + n);
  }
  for (const [b, n] of g.latency) into.latency.set(b, (into.latency.get(b) ?? 0) + n);
  const [a, b] = [into.cost, g.cost];
  a.jobs += b.jobs;
  a.feeWei += b.feeWei;
  a.videoMicros += b.videoMicros;
  a.images += b.images;
  a.pixels += b.pixels;
  a.unpriced += b.unpriced;
  a.failedFeeWei += b.failedFeeWei;
}

// Staging tables for the increments: session-local, emptied at commit, like job_stage.
const GROUP = "orchestrator text, pipeline text, model_id text";
const COUNTERS = "jobs int, successes int, fee numeric, seconds numeric";
const COST_COLUMNS = "cost_jobs, cost_fee_wei, video_seconds, images, billed_pixels, unpriced_jobs, failed_fee_wei";
const COST =
  "cost_jobs int, cost_fee_wei numeric, video_seconds numeric, images int8, billed_pixels numeric, unpriced_jobs int, failed_fee_wei numeric";
const STAGES = {
  job_stage_hour: `hour timestamptz, ${GROUP}, ${COUNTERS}, error_types text[], error_counts int[], latency_buckets int2[], latency_counts int[]`,
  job_stage_day: `day date, ${GROUP}, ${COUNTERS}, ${COST}`,
  job_stage_error_day: `day date, ${GROUP}, error_type text, jobs int`,
  job_stage_latency_day: `day date, ${GROUP}, chunk int2, counts int[]`,
  job_stage_setting_day: "day date, pipeline text, model_id text, width int, height int, frames int, fps numeric, jobs int",
} as const;
type Stage = keyof typeof STAGES;

const key = "orchestrator, pipeline, model_id";
// Lock order only needs to be the same for every writer: byte order sorts far faster than a collation.
const byKey = (time: string, ...more: string[]) =>
  [time, `orchestrator collate "C"`, `pipeline collate "C"`, `model_id collate "C"`, ...more].join(", ");
const counterUpdates = (table: string) => `
      jobs = ${table}.jobs + excluded.jobs,
      successes = ${table}.successes + excluded.successes,
      expected_fee_wei = ${table}.expected_fee_wei + excluded.expected_fee_wei,
      output_seconds = trim_scale(${table}.output_seconds + excluded.output_seconds)`; // 7.0 and 7 are one value: store one text
/** Adds two sparse (key, count) array pairs: the union of keys, counts summed, keys ascending. */
const mergeSparse = (keys: string, counts: string, keyType: string) => `
      (${keys}, ${counts}) = (
        select coalesce(array_agg(k order by k), '{}'::${keyType}[]), coalesce(array_agg(n order by k), '{}'::int[])
          from (select k, sum(n)::int as n
                  from unnest(job_hour.${keys} || excluded.${keys}, job_hour.${counts} || excluded.${counts}) as u(k, n)
                 group by k) as merged)`;
const positions = Array.from({ length: LATENCY_CHUNK }, (_, i) => i + 1);

// Every insert is ordered by its key, so two concurrent writers (the indexer and an HTTP push on
// Postgres) lock rollup rows in the same order and cannot deadlock on them.
const APPLY = `with
  job_hour_w as (
    insert into job_hour (hour, ${key}, jobs, successes, expected_fee_wei, output_seconds, error_types, error_counts, latency_buckets, latency_counts)
    select * from job_stage_hour order by ${byKey("hour")}
    on conflict (hour, ${key}) do update set ${counterUpdates("job_hour")},
      ${mergeSparse("error_types", "error_counts", "text")},
      ${mergeSparse("latency_buckets", "latency_counts", "int2")}
    returning 1
  ),
  job_day_w as (
    insert into job_day (day, ${key}, jobs, successes, expected_fee_wei, output_seconds, ${COST_COLUMNS})
    select * from job_stage_day order by ${byKey("day")}
    on conflict (day, ${key}) do update set ${counterUpdates("job_day")},
      ${COST_COLUMNS.split(", ")
        .map((c) => (c === "video_seconds" ? `${c} = trim_scale(job_day.${c} + excluded.${c})` : `${c} = job_day.${c} + excluded.${c}`))
        .join(",\n      ")}
    returning 1
  ),
  job_error_day_w as (
    insert into job_error_day (day, ${key}, error_type, jobs)
    select * from job_stage_error_day order by ${byKey("day", `error_type collate "C"`)}
    on conflict (day, ${key}, error_type) do update set jobs = job_error_day.jobs + excluded.jobs
    returning 1
  ),
  job_setting_day_w as (
    insert into job_setting_day (day, pipeline, model_id, width, height, frames, fps, jobs)
    select * from job_stage_setting_day order by day, pipeline collate "C", model_id collate "C", width, height, frames, fps
    on conflict (day, pipeline, model_id, width, height, frames, fps) do update set jobs = job_setting_day.jobs + excluded.jobs
    returning 1
  ),
  job_latency_day_w as (
    insert into job_latency_day (day, ${key}, chunk, counts)
    select * from job_stage_latency_day order by ${byKey("day", "chunk")}
    on conflict (day, ${key}, chunk) do update set
      counts = array[${positions.map((i) => `job_latency_day.counts[${i}] + excluded.counts[${i}]`).join(", ")}]
    returning 1
  )
  select 1`;

/** A Postgres array literal of untrusted strings: every element quoted, quotes and backslashes escaped. */
const textArray = (xs: string[]) => `{${xs.map((x) => `"${x.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(",")}}`;
function intArray(xs: ArrayLike<number>): string {
  let out = "{";
  for (let i = 0; i < xs.length; i++) out += i ? `,${xs[i]}` : `${xs[i]}`;
  return `${out}}`;
}

/** The error_types and error_counts fields of an hourly row (COPY text), nonzero ones by type. */
function errorArrays(errors: Map<string, number> | null, copyText: (s: string) => string): string {
  if (!errors || errors.size === 0) return "{}\t{}";
  const e = [...errors].filter(([, n]) => n !== 0).sort(([a], [b]) => (a < b ? -1 : 1));
  return `${copyText(textArray(e.map(([t]) => t)))}\t${intArray(e.map(([, n]) => n))}`;
}

/** The latency_buckets and latency_counts fields of an hourly row (COPY text), nonzero ones by bucket. */
function latencyArrays(latency: Map<number, number>): string {
  if (latency.size === 0) return "{}\t{}";
  if (latency.size === 1) {
    const [[b, n]] = latency;
    return n === 0 ? "{}\t{}" : `{${b}}\t{${n}}`;
  }
  const l = [...latency].filter(([, n]) => n !== 0).sort(([a], [b]) => a - b);
  return `${intArray(l.map(([b]) => b))}\t${intArray(l.map(([, n]) => n))}`;
}

function* groups(
  inc: RollupIncrements,
): Generator<[hour: number, orchestrator: string, pipeline: string, model: string, g: GroupIncrement]> {
  for (const [hour, byOrch] of inc)
    for (const [orch, byPipeline] of byOrch)
      for (const [pipeline, byModel] of byPipeline) for (const [model, g] of byModel) yield [hour, orch, pipeline, model, g];
}

/** COPY rows for every staging table. Groups whose jobs were all already stored are left out. */
function stagedRows(inc: RollupIncrements, copyText: (s: string) => string): Record<Stage, string[]> {
  const rows: Record<Stage, string[]> = {
    job_stage_hour: [],
    job_stage_day: [],
    job_stage_error_day: [],
    job_stage_latency_day: [],
    job_stage_setting_day: [],
  };
  const settings = new Map<string, number>(); // "day \t pipeline \t model \t setting" -> jobs
  const days = new Map<string, GroupIncrement>(); // "day \t group" -> the day's increment
  // A batch of sparse history has hundreds of thousands of groups over a few hundred hours: each
  // hour's text, each group's name and the common empty arrays are made once, not once per group.
  const isoOf = new Map<number, { iso: string; day: string }>();
  for (const [hour, orch, pipeline, model, g] of groups(inc)) {
    if (g.jobs === 0) continue;
    const group = `${orch}\t${pipeline}\t${copyText(model)}`;
    let t = isoOf.get(hour);
    if (!t) {
      const iso = new Date(hour).toISOString();
      isoOf.set(hour, (t = { iso, day: iso.slice(0, 10) }));
    }
    rows.job_stage_hour.push(`${t.iso}\t${group}\t${g.jobs}\t${g.successes}\t${g.feeWei}\t${formatMicros(g.outputMicros)}\t${errorArrays(g.errors, copyText)}\t${latencyArrays(g.latency)}`);
    addGroup(child(days, `${t.day}\t${group}`, emptyGroup), g);
    for (const [setting, n] of g.settings) {
      const k = `${t.day}\t${pipeline}\t${copyText(model)}\t${setting}`;
      settings.set(k, (settings.get(k) ?? 0) + n);
    }
  }
  for (const [k, n] of settings) if (n !== 0) rows.job_stage_setting_day.push(`${k}\t${n}`);
  for (const [dayGroup, g] of days) {
    const c = g.cost;
    rows.job_stage_day.push(
      `${dayGroup}\t${g.jobs}\t${g.successes}\t${g.feeWei}\t${formatMicros(g.outputMicros)}\t` +
        `${c.jobs}\t${c.feeWei}\t${formatMicros(c.videoMicros)}\t${c.images}\t${c.pixels}\t${c.unpriced}\t${c.failedFeeWei}`,
    );
    if (g.errors) for (const [type, n] of g.errors) if (n !== 0) rows.job_stage_error_day.push(`${dayGroup}\t${copyText(type)}\t${n}`);
    const chunks = new Map<number, Int32Array>();
    for (const [b, n] of g.latency)
      child(chunks, Math.floor(b / LATENCY_CHUNK), () => new Int32Array(LATENCY_CHUNK))[b % LATENCY_CHUNK] += n;
    for (const [chunk, counts] of chunks)
      if (counts.some((c) => c !== 0)) rows.job_stage_latency_day.push(`${dayGroup}\t${chunk}\t${intArray(counts)}`);
  }
  return rows;
}

const utf8 = new TextEncoder();

/** COPY data for each rollup staging table (empty when it has no rows): what a batch adds to the rollups. */
export type RollupCopy = Record<Stage, Uint8Array>;

/**
 * Encodes increments for the rollup staging tables. Pure, so the reader thread does it for the
 * common case (every staged row new) while the previous batch is written.
 */
export function encodeIncrements(inc: RollupIncrements, copyText: (s: string) => string): RollupCopy {
  const rows = stagedRows(inc, copyText);
  const copy = {} as RollupCopy;
  // Each table gets an ArrayBuffer of its own (never a slice of Buffer's shared pool), so the
  // buffers can be moved to another thread.
  for (const table of Object.keys(STAGES) as Stage[])
    copy[table] = rows[table].length ? utf8.encode(rows[table].join("\n") + "\n") : new Uint8Array(0);
  return copy;
}

/** Adds encoded increments to the rollup tables, in the caller's transaction. */
export async function applyRollups(q: TxQuerier, copy: RollupCopy): Promise<void> {
  if (!copy.job_stage_hour.length) return;
  for (const table of Object.keys(STAGES) as Stage[]) {
    await q.query(`create temp table if not exists ${table} (${STAGES[table]}) on commit delete rows`);
    if (copy[table].length) await q.copyIn(table, columnsOf(STAGES[table]), copy[table]);
  }
  await q.query(APPLY);
}

/** The buffers of a RollupCopy, to move it to another thread without copying. */
export const rollupBuffers = (copy: RollupCopy): ArrayBuffer[] =>
  Object.values(copy).filter((b) => b.length).map((b) => b.buffer as ArrayBuffer);

const columnsOf = (ddl: string) => ddl.split(",").map((c) => c.trim().split(" ")[0]);
