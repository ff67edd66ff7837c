// Rollups of job rows: per hour (job_hour: counters, errors by type and the latency histogram in
// one row) and per day (job_day, job_error_day, job_latency_day, job_setting_day). A batch's
// increments are computed here, in JS, from the rows it inserts, and written in the batch's
// transaction: rows of hours and days no rollup row holds yet by COPY straight into the tables,
// the others by one upsert statement (applyRollups, decision 005). Integer and BigInt arithmetic
// only: fees are wei, output seconds whole microseconds.
import type { TxQuerier } from "../../../db/client";
import { LATENCY_CHUNK } from "../../../core/latency-histogram";
import { formatMicros } from "../../../db/units";
import type { JobRecord } from "./validate";

/**
 * What one (hour, orchestrator, pipeline, model) group adds to the rollups. Sparse history has
 * nearly a group per job, so a group is one object while it has one latency bucket and one output
 * setting (a second one of either starts a map).
 */
interface GroupIncrement {
  jobs: number;
  successes: number;
  feeWei: bigint;
  outputMicros: bigint;
  /** error_type -> failed jobs (null until the group's first failure: most sparse groups have none) */
  errors: Map<string, number> | null;
  /** The first latency bucket of successful jobs (-1: none yet) and its jobs; other buckets in `latency`. */
  bucket: number;
  bucketJobs: number;
  latency: Map<number, number> | null;
  /** Cost sums over the same jobs (job_day only; core/cost aggregateJobs). */
  costJobs: number;
  costFeeWei: bigint;
  videoMicros: bigint;
  images: number;
  pixels: bigint;
  unpriced: number;
  failedFeeWei: bigint;
  /**
   * The first output setting of successful jobs, "width\theight\tframes\tfps" (0 = not logged), and its
   * jobs; other settings in `settings` (job_setting_day only).
   */
  setting: string | null;
  settingJobs: number;
  settings: Map<string, number> | null;
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

const emptyGroup = (): GroupIncrement => ({
  jobs: 0,
  successes: 0,
  feeWei: 0n,
  outputMicros: 0n,
  errors: null,
  bucket: -1,
  bucketJobs: 0,
  latency: null,
  costJobs: 0,
  costFeeWei: 0n,
  videoMicros: 0n,
  images: 0,
  pixels: 0n,
  unpriced: 0,
  failedFeeWei: 0n,
  setting: null,
  settingJobs: 0,
  settings: null,
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

/** Adds a job to the increments. */
export function addToIncrements(inc: RollupIncrements, r: RollupFields): void {
  const g = groupOf(inc, r);
  g.jobs++;
  const fee = r.expectedFeeWei;
  if (fee !== null) g.feeWei += fee;
  if (r.outputMicros !== null) g.outputMicros += r.outputMicros;
  if (!r.success) {
    if (fee !== null) g.failedFeeWei += fee;
  } else if (fee === null) g.unpriced++;
  else if (r.outputMicros !== null && r.outputMicros > 0n) {
    g.costJobs++;
    g.costFeeWei += fee;
    g.videoMicros += r.outputMicros;
  } else if (r.images !== null && r.billedPixels !== null) {
    g.costJobs++;
    g.costFeeWei += fee;
    g.images += r.images;
    g.pixels += r.billedPixels;
  }
  if (r.success) {
    const setting =
      r.width === null && r.height === null && r.frames === null && r.fps === null
        ? NO_SETTING
        : `${r.width ?? 0}\t${r.height ?? 0}\t${r.frames ?? 0}\t${r.fps ?? 0}`;
    if (g.setting === null) g.setting = setting;
    if (g.setting === setting) g.settingJobs++;
    else {
      const m = (g.settings ??= new Map());
      m.set(setting, (m.get(setting) ?? 0) + 1);
    }
    g.successes++;
    const b = r.latencyBucket;
    if (g.bucket < 0) g.bucket = b;
    if (g.bucket === b) g.bucketJobs++;
    else {
      const m = (g.latency ??= new Map());
      m.set(b, (m.get(b) ?? 0) + 1);
    }
  } else {
    // A failure without a type still counts, as 'unknown'.
    const type = r.errorType ?? "unknown";
    const errors = (g.errors ??= new Map());
    errors.set(type, (errors.get(type) ?? 0) + 1);
  }
}

/** A day's group: what job_day, job_error_day and job_latency_day add for it, summed over its hours. */
interface DayGroup {
  /** `orchestrator \t pipeline \t model`, encoded for COPY. */
  group: string;
  jobs: number;
  successes: number;
  feeWei: bigint;
  outputMicros: bigint;
  errors: Map<string, number> | null;
  /** latency chunk -> its LATENCY_CHUNK counts */
  chunks: Map<number, Int32Array>;
  costJobs: number;
  costFeeWei: bigint;
  videoMicros: bigint;
  images: number;
  pixels: bigint;
  unpriced: number;
  failedFeeWei: bigint;
}

const newDayGroup = (group: string): DayGroup => ({
  group,
  jobs: 0,
  successes: 0,
  feeWei: 0n,
  outputMicros: 0n,
  errors: null,
  chunks: new Map(),
  costJobs: 0,
  costFeeWei: 0n,
  videoMicros: 0n,
  images: 0,
  pixels: 0n,
  unpriced: 0,
  failedFeeWei: 0n,
});

function chunkAdd(d: DayGroup, bucket: number, n: number): void {
  const c = Math.floor(bucket / LATENCY_CHUNK);
  let counts = d.chunks.get(c);
  if (counts === undefined) d.chunks.set(c, (counts = new Int32Array(LATENCY_CHUNK)));
  counts[bucket - c * LATENCY_CHUNK] += n;
}

/** Adds an hour's group to its day. */
function addToDay(d: DayGroup, g: GroupIncrement): void {
  d.jobs += g.jobs;
  d.successes += g.successes;
  d.feeWei += g.feeWei;
  d.outputMicros += g.outputMicros;
  if (g.errors) {
    const errors = (d.errors ??= new Map());
    for (const [t, n] of g.errors) errors.set(t, (errors.get(t) ?? 0) + n);
  }
  if (g.bucket >= 0) chunkAdd(d, g.bucket, g.bucketJobs);
  if (g.latency) for (const [b, n] of g.latency) chunkAdd(d, b, n);
  d.costJobs += g.costJobs;
  d.costFeeWei += g.costFeeWei;
  d.videoMicros += g.videoMicros;
  d.images += g.images;
  d.pixels += g.pixels;
  d.unpriced += g.unpriced;
  d.failedFeeWei += g.failedFeeWei;
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
const UPSERTS: [Stage, string][] = [
  ["job_stage_hour", `  job_hour_w as (
    insert into job_hour (hour, ${key}, jobs, successes, expected_fee_wei, output_seconds, error_types, error_counts, latency_buckets, latency_counts)
    select * from job_stage_hour order by ${byKey("hour")}
    on conflict (hour, ${key}) do update set ${counterUpdates("job_hour")},
      ${mergeSparse("error_types", "error_counts", "text")},
      ${mergeSparse("latency_buckets", "latency_counts", "int2")}
    returning 1
  )`],
  ["job_stage_day", `  job_day_w as (
    insert into job_day (day, ${key}, jobs, successes, expected_fee_wei, output_seconds, ${COST_COLUMNS})
    select * from job_stage_day order by ${byKey("day")}
    on conflict (day, ${key}) do update set ${counterUpdates("job_day")},
      ${COST_COLUMNS.split(", ")
        .map((c) => (c === "video_seconds" ? `${c} = trim_scale(job_day.${c} + excluded.${c})` : `${c} = job_day.${c} + excluded.${c}`))
        .join(",\n      ")}
    returning 1
  )`],
  ["job_stage_error_day", `  job_error_day_w as (
    insert into job_error_day (day, ${key}, error_type, jobs)
    select * from job_stage_error_day order by ${byKey("day", `error_type collate "C"`)}
    on conflict (day, ${key}, error_type) do update set jobs = job_error_day.jobs + excluded.jobs
    returning 1
  )`],
  ["job_stage_setting_day", `  job_setting_day_w as (
    insert into job_setting_day (day, pipeline, model_id, width, height, frames, fps, jobs)
    select * from job_stage_setting_day order by day, pipeline collate "C", model_id collate "C", width, height, frames, fps
    on conflict (day, pipeline, model_id, width, height, frames, fps) do update set jobs = job_setting_day.jobs + excluded.jobs
    returning 1
  )`],
  ["job_stage_latency_day", `  job_latency_day_w as (
    insert into job_latency_day (day, ${key}, chunk, counts)
    select * from job_stage_latency_day order by ${byKey("day", "chunk")}
    on conflict (day, ${key}, chunk) do update set
      counts = array[${positions.map((i) => `job_latency_day.counts[${i}] + excluded.counts[${i}]`).join(", ")}]
    returning 1
  )`],
];

/** One statement adding the staged rows of `stages` to their rollup tables. */
const upsertStatement = (stages: readonly Stage[]) =>
  `with\n${UPSERTS.filter(([s]) => stages.includes(s)).map(([, cte]) => cte).join(",\n")}\n  select 1`;

/** A Postgres array literal of untrusted strings: every element quoted, quotes and backslashes escaped. */
const textArray = (xs: string[]) => `{${xs.map((x) => `"${x.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(",")}}`;
const intArray = (xs: number[]): string => `{${xs.join(",")}}`;
const DIGITS = Array.from({ length: 1000 }, (_, i) => String(i));
/** A daily chunk's counts as an array literal: mostly zeros and small counts, spelled from a table. */
function countsArray(xs: Int32Array): string {
  let out = "{";
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    out += (i ? "," : "") + (x < 1000 ? DIGITS[x] : String(x));
  }
  return `${out}}`;
}

/** The error_types and error_counts fields of an hourly row (COPY text), by type. */
function errorArrays(errors: Map<string, number> | null, copyText: (s: string) => string): string {
  if (!errors || errors.size === 0) return "{}\t{}";
  const e = [...errors].sort(([a], [b]) => (a < b ? -1 : 1));
  return `${copyText(textArray(e.map(([t]) => t)))}\t${intArray(e.map(([, n]) => n))}`;
}

/** The latency_buckets and latency_counts fields of an hourly row (COPY text), by bucket. */
function latencyArrays(g: GroupIncrement): string {
  if (g.bucket < 0) return "{}\t{}";
  if (!g.latency) return `{${g.bucket}}\t{${g.bucketJobs}}`;
  const l = [[g.bucket, g.bucketJobs], ...g.latency].sort(([a], [b]) => a - b);
  return `${intArray(l.map(([b]) => b))}\t${intArray(l.map(([, n]) => n))}`;
}

/**
 * One rollup table's share of a batch, as COPY text: rows ordered by period (hour for job_hour, day
 * for the daily tables), the rows of `periods[i]` in bytes `ends[i - 1]` (0 for the first) up to
 * `ends[i]`. A period that has no stored row yet is copied straight into the table; a stored one
 * is added by upsert (applyRollups).
 */
export interface TableCopy {
  data: Uint8Array;
  /** ISO 8601 instants (hours) or dates (days), ascending. */
  periods: string[];
  ends: number[];
}

/** COPY text written into one growing buffer of its own (never Buffer's shared pool, so it can move to another thread). */
class RowWriter {
  private buf: Buffer | null = null;
  private pos = 0;
  private readonly periods: string[] = [];
  private readonly ends: number[] = [];

  /** One row: its fields, tab-separated, already encoded for COPY; the newline is added here. */
  row(line: string): void {
    const need = this.pos + line.length * 3 + 1;
    if (!this.buf || need > this.buf.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(need, this.buf ? this.buf.length * 2 : 64 << 10));
      if (this.buf) this.buf.copy(bigger, 0, 0, this.pos);
      this.buf = bigger;
    }
    this.pos += this.buf.write(line, this.pos, "utf8");
    this.buf[this.pos++] = 10;
  }

  /** Closes the rows written since the last call as those of `period` (nothing when there were none). */
  endPeriod(period: string): void {
    if (this.pos > (this.ends.length ? this.ends[this.ends.length - 1] : 0)) {
      this.periods.push(period);
      this.ends.push(this.pos);
    }
  }

  done(): TableCopy {
    return { data: this.buf && this.pos ? this.buf.subarray(0, this.pos) : new Uint8Array(0), periods: this.periods, ends: this.ends };
  }
}

/** COPY data for each rollup table (a table without rows has empty data): what a batch adds to the rollups. */
export type RollupCopy = Record<Stage, TableCopy>;

/**
 * Encodes increments for the rollup tables. Pure, so the reader thread does it for the common case
 * (every staged row new) while the previous batch is written. Hours are written in time order, so
 * each hour's rows, and each day's, are one run of the data (TableCopy).
 */
export function encodeIncrements(inc: RollupIncrements, copyText: (s: string) => string): RollupCopy {
  const w = {
    job_stage_hour: new RowWriter(),
    job_stage_day: new RowWriter(),
    job_stage_error_day: new RowWriter(),
    job_stage_latency_day: new RowWriter(),
    job_stage_setting_day: new RowWriter(),
  } satisfies Record<Stage, RowWriter>;
  // A batch of sparse history has hundreds of thousands of groups over a few hundred hours: each
  // group's name is made once per batch, and each day's groups are summed while its hours are
  // written, then written when the next day starts.
  const names = new Map<string, Map<string, Map<string, GroupName>>>();
  let day = "";
  let dayGroups = new Map<string, DayGroup>(); // group -> the day's sums
  // "pipeline \t model" -> setting -> the day's successful jobs
  let settings = new Map<string, Map<string, number>>();
  for (const hour of [...inc.keys()].sort((a, b) => a - b)) {
    const hourIso = new Date(hour).toISOString();
    const d = hourIso.slice(0, 10);
    if (d !== day) {
      if (day) writeDay(w, day, dayGroups, settings, copyText);
      day = d;
      dayGroups = new Map();
      settings = new Map();
    }
    for (const [orch, byPipeline] of inc.get(hour)!) {
      let pipelineNames = names.get(orch);
      if (pipelineNames === undefined) names.set(orch, (pipelineNames = new Map()));
      for (const [pipeline, byModel] of byPipeline) {
        let modelNames = pipelineNames.get(pipeline);
        if (modelNames === undefined) pipelineNames.set(pipeline, (modelNames = new Map()));
        for (const [model, g] of byModel) {
          if (g.jobs === 0) continue;
          let name = modelNames.get(model);
          if (name === undefined) {
            const pipelineModel = `${pipeline}\t${copyText(model)}`;
            modelNames.set(model, (name = { group: `${orch}\t${pipelineModel}`, pipelineModel }));
          }
          const group = name.group;
          w.job_stage_hour.row(
            `${hourIso}\t${group}\t${g.jobs}\t${g.successes}\t${g.feeWei}\t${micros(g.outputMicros)}\t${errorArrays(g.errors, copyText)}\t${latencyArrays(g)}`,
          );
          let dg = dayGroups.get(group);
          if (dg === undefined) dayGroups.set(group, (dg = newDayGroup(group)));
          addToDay(dg, g);
          if (g.setting !== null) {
            let bySetting = settings.get(name.pipelineModel);
            if (bySetting === undefined) settings.set(name.pipelineModel, (bySetting = new Map()));
            bySetting.set(g.setting, (bySetting.get(g.setting) ?? 0) + g.settingJobs);
            if (g.settings) for (const [setting, n] of g.settings) bySetting.set(setting, (bySetting.get(setting) ?? 0) + n);
          }
        }
      }
    }
    w.job_stage_hour.endPeriod(hourIso);
  }
  if (day) writeDay(w, day, dayGroups, settings, copyText);
  return {
    job_stage_hour: w.job_stage_hour.done(),
    job_stage_day: w.job_stage_day.done(),
    job_stage_error_day: w.job_stage_error_day.done(),
    job_stage_latency_day: w.job_stage_latency_day.done(),
    job_stage_setting_day: w.job_stage_setting_day.done(),
  };
}

/** A group's name in COPY text: `orchestrator \t pipeline \t model`, and `pipeline \t model` (job_setting_day). */
interface GroupName {
  group: string;
  pipelineModel: string;
}

/** Whole microseconds as stored decimal seconds; most groups have none. */
const micros = (x: bigint): string => (x === 0n ? "0" : formatMicros(x));

function writeDay(
  w: Record<Stage, RowWriter>,
  day: string,
  dayGroups: Map<string, DayGroup>,
  settings: Map<string, Map<string, number>>,
  copyText: (s: string) => string,
): void {
  for (const g of dayGroups.values()) {
    w.job_stage_day.row(
      `${day}\t${g.group}\t${g.jobs}\t${g.successes}\t${g.feeWei}\t${micros(g.outputMicros)}\t` +
        `${g.costJobs}\t${g.costFeeWei}\t${micros(g.videoMicros)}\t${g.images}\t${g.pixels}\t${g.unpriced}\t${g.failedFeeWei}`,
    );
    if (g.errors) for (const [type, n] of g.errors) w.job_stage_error_day.row(`${day}\t${g.group}\t${copyText(type)}\t${n}`);
    for (const [chunk, counts] of g.chunks) w.job_stage_latency_day.row(`${day}\t${g.group}\t${chunk}\t${countsArray(counts)}`);
  }
  for (const [pipelineModel, bySetting] of settings)
    for (const [setting, n] of bySetting) w.job_stage_setting_day.row(`${day}\t${pipelineModel}\t${setting}\t${n}`);
  for (const t of ["job_stage_day", "job_stage_error_day", "job_stage_latency_day", "job_stage_setting_day"] as const) w[t].endPeriod(day);
}

/** Each staging table's rollup table and the columns its COPY data fills, in order. */
const TARGETS: Record<Stage, { table: string; period: "hour" | "day"; columns: string[] }> = {
  job_stage_hour: {
    table: "job_hour",
    period: "hour",
    columns: ["hour", "orchestrator", "pipeline", "model_id", "jobs", "successes", "expected_fee_wei", "output_seconds", "error_types", "error_counts", "latency_buckets", "latency_counts"],
  },
  job_stage_day: {
    table: "job_day",
    period: "day",
    columns: ["day", "orchestrator", "pipeline", "model_id", "jobs", "successes", "expected_fee_wei", "output_seconds", ...COST_COLUMNS.split(", ")],
  },
  job_stage_error_day: { table: "job_error_day", period: "day", columns: ["day", "orchestrator", "pipeline", "model_id", "error_type", "jobs"] },
  job_stage_latency_day: { table: "job_latency_day", period: "day", columns: ["day", "orchestrator", "pipeline", "model_id", "chunk", "counts"] },
  job_stage_setting_day: { table: "job_setting_day", period: "day", columns: ["day", "pipeline", "model_id", "width", "height", "frames", "fps", "jobs"] },
};
const STAGE_NAMES = Object.keys(STAGES) as Stage[];

// Which of a batch's periods already have rows, per rollup table: one index probe per period.
const STORED_PERIODS = STAGE_NAMES.map(
  (stage, t) =>
    `select ${t} as t, i::int as i from unnest($${t + 1}::${TARGETS[stage].period === "hour" ? "timestamptz" : "date"}[]) with ordinality as u(p, i)
      where exists (select 1 from ${TARGETS[stage].table} r where r.${TARGETS[stage].period} = u.p)`,
).join("\n    union all ");

/** The rows of the chosen periods (by index), as one buffer. */
function runsOf(c: TableCopy, pick: (i: number) => boolean): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < c.periods.length; i++) if (pick(i)) parts.push(c.data.subarray(i ? c.ends[i - 1] : 0, c.ends[i]));
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

/**
 * Adds encoded increments to the rollup tables, in the caller's transaction. Rows of periods that
 * no rollup row holds yet (a backfill of sparse history: hours never seen before) are copied
 * straight in, like the jobs themselves; rows of periods already stored (an hour or day that spans
 * two batches) are staged and upserted, in key order. The straight COPY runs in a savepoint: a key
 * stored meanwhile by a concurrent writer (a unique violation, or a deadlock against it) undoes
 * it, and every row is then upserted.
 */
export async function applyRollups(q: TxQuerier, copy: RollupCopy): Promise<void> {
  if (!copy.job_stage_hour.data.length) return;
  const found = await q.query<{ t: number; i: number }>(
    STORED_PERIODS,
    STAGE_NAMES.map((s) => copy[s].periods),
  );
  const stored = STAGE_NAMES.map(() => new Set<number>());
  for (const r of found) stored[r.t].add(r.i - 1);
  const fresh = new Map<Stage, Uint8Array>();
  const upsert = new Map<Stage, Uint8Array>();
  STAGE_NAMES.forEach((stage, t) => {
    const c = copy[stage];
    if (!c.data.length) return;
    if (stored[t].size === 0) fresh.set(stage, c.data);
    else if (stored[t].size === c.periods.length) upsert.set(stage, c.data);
    else {
      fresh.set(stage, runsOf(c, (i) => !stored[t].has(i)));
      upsert.set(stage, runsOf(c, (i) => stored[t].has(i)));
    }
  });
  if (fresh.size && !(await copyAllNew(q, fresh)))
    for (const stage of STAGE_NAMES) if (copy[stage].data.length) upsert.set(stage, copy[stage].data);
  if (!upsert.size) return;
  const stages = STAGE_NAMES.filter((s) => upsert.has(s));
  for (const stage of stages) {
    await q.query(`create temp table if not exists ${stage} (${STAGES[stage]}) on commit delete rows`);
    await q.copyIn(stage, columnsOf(STAGES[stage]), upsert.get(stage)!);
  }
  await q.query(upsertStatement(stages));
}

const UNIQUE_VIOLATION = "23505";
const DEADLOCK = "40P01";

/** COPY straight into the rollup tables, in a savepoint; false (and nothing written) when a key was stored after all. */
async function copyAllNew(q: TxQuerier, fresh: Map<Stage, Uint8Array>): Promise<boolean> {
  await q.query("savepoint rollup_copy");
  try {
    for (const [stage, data] of fresh) await q.copyIn(TARGETS[stage].table, TARGETS[stage].columns, data);
    await q.query("release savepoint rollup_copy");
    return true;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== UNIQUE_VIOLATION && code !== DEADLOCK) throw e;
    await q.query("rollback to savepoint rollup_copy");
    await q.query("release savepoint rollup_copy");
    return false;
  }
}

/** The buffers of a RollupCopy, to move it to another thread without copying. */
export const rollupBuffers = (copy: RollupCopy): ArrayBuffer[] =>
  Object.values(copy).filter((c) => c.data.length).map((c) => c.data.buffer as ArrayBuffer);

const columnsOf = (ddl: string) => ddl.split(",").map((c) => c.trim().split(" ")[0]);
