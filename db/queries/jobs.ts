// Job queries: what the job pages, the orchestrator tables and the reports read from the gateway job
// logs. They read only the rollups (job_hour, job_day, job_error_day, job_latency_day), never raw
// jobs. Takes any Querier (a Db or a transaction) and imports no database driver, so the Remix app
// can import it. Days are UTC 'YYYY-MM-DD', ranges inclusive. Amounts are exact decimal strings
// (wei, seconds); percentiles are milliseconds within 1% of Postgres percentile_cont over the raw
// rows (docs/decisions/008-latency-histograms.md).
import type { Querier } from "../client";
import { addChunk, LATENCY_CHUNK, percentilesFromHistogram, type LatencyHistogram, type Percentiles } from "../../core/latency-histogram";
import { formatMicros, parseMicros } from "../units";
import type { DayRange, JobFilter, JobInterval } from "./params";

export type { Percentiles };

export interface JobTotals {
  jobs: number;
  successes: number;
  /** successes / jobs, null without jobs. */
  successRate: number | null;
  /** Sum of expected fees (wei, integer string) over jobs that logged a price. */
  expectedFeeWei: string;
  /** Sum of output seconds (decimal string) over jobs that have them. */
  outputSeconds: string;
  /** Latency of successful jobs (ms) and its sample size (n). */
  latency: Percentiles;
}

export interface OrchestratorJobs extends JobTotals {
  orchestrator: string;
}

export interface PipelineJobs extends JobTotals {
  pipeline: string;
  modelId: string;
  /** expected fee per output second, wei (rounded to whole wei), when any output seconds. */
  weiPerOutputSecond: string | null;
}

export interface SeriesPoint extends JobTotals {
  /** ISO timestamp of the hour, or 'YYYY-MM-DD' of the day. */
  period: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** WHERE clause and parameters for a filter on a rollup table keyed by `timeColumn`. */
export function where(f: JobFilter, timeColumn: "day" | "hour"): { sql: string; params: unknown[] } {
  if (!DAY.test(f.from) || !DAY.test(f.to)) throw new RangeError(`days must be YYYY-MM-DD, got ${f.from}..${f.to}`);
  const params: unknown[] = [f.from, f.to];
  const parts =
    timeColumn === "day"
      ? ["day between $1::date and $2::date"]
      : ["hour >= $1::date::timestamp at time zone 'UTC'", "hour < ($2::date + 1)::timestamp at time zone 'UTC'"];
  for (const [column, value] of [
    ["orchestrator", f.orchestrator?.toLowerCase()],
    ["pipeline", f.pipeline],
    ["model_id", f.modelId],
  ] as const) {
    if (value === undefined) continue;
    params.push(value);
    parts.push(`${column} = $${params.length}`);
  }
  return { sql: parts.join(" and "), params };
}

const chunkSums = `array[${Array.from({ length: LATENCY_CHUNK }, (_, i) => `sum(counts[${i + 1}])::int`).join(", ")}]`;

interface CounterRow {
  jobs: number;
  successes: number;
  fee: string;
  seconds: string;
}

function totals(c: CounterRow | undefined, h: LatencyHistogram | undefined): JobTotals {
  const jobs = Number(c?.jobs ?? 0);
  const successes = Number(c?.successes ?? 0);
  return {
    jobs,
    successes,
    successRate: jobs ? successes / jobs : null,
    expectedFeeWei: c?.fee ?? "0",
    outputSeconds: c?.seconds ?? "0",
    latency: percentilesFromHistogram(h ?? new Map()),
  };
}

/**
 * Counters and latency histograms over days, grouped by `groupBy` (columns of the daily rollups),
 * merged per group key (the group columns joined by a tab).
 */
async function dailyByGroup(q: Querier, f: JobFilter, groupBy: string[]) {
  const w = where(f, "day");
  const cols = groupBy.map((c) => `${c}, `).join("");
  const [counters, chunks] = await Promise.all([
    q.query<CounterRow & Record<string, string>>(
      `select ${cols}sum(jobs)::int8 as jobs, sum(successes)::int8 as successes,
              coalesce(sum(expected_fee_wei), 0)::text as fee, coalesce(sum(output_seconds), 0)::text as seconds
         from job_day where ${w.sql} ${groupBy.length ? `group by ${groupBy.join(", ")}` : ""}`,
      w.params,
    ),
    q.query<{ chunk: number; counts: number[] } & Record<string, string>>(
      `select ${cols}chunk, ${chunkSums} as counts from job_latency_day where ${w.sql} group by ${cols}chunk`,
      w.params,
    ),
  ]);
  const keyOf = (r: Record<string, unknown>) => groupBy.map((c) => r[c]).join("\t");
  const histograms = new Map<string, LatencyHistogram>();
  for (const r of chunks) {
    const k = keyOf(r);
    let h = histograms.get(k);
    if (!h) histograms.set(k, (h = new Map()));
    addChunk(h, r.chunk, r.counts);
  }
  return counters.map((c) => ({ row: c, totals: totals(c, histograms.get(keyOf(c))) }));
}

/** The orchestrator table: jobs, success rate, expected fees and p50/p95/p99 (with n) per orchestrator, most jobs first. */
export async function orchestratorJobs(q: Querier, f: JobFilter): Promise<OrchestratorJobs[]> {
  const rows = await dailyByGroup(q, f, ["orchestrator"]);
  return rows.map(({ row, totals }) => ({ orchestrator: row.orchestrator, ...totals })).sort((a, b) => b.jobs - a.jobs);
}

/** Per pipeline and model: jobs, fees, output seconds, fee per output second (volume-weighted) and latency. */
export async function pipelineJobs(q: Querier, f: JobFilter): Promise<PipelineJobs[]> {
  const rows = await dailyByGroup(q, f, ["pipeline", "model_id"]);
  return rows
    .map(({ row, totals }) => ({
      pipeline: row.pipeline,
      modelId: row.model_id,
      ...totals,
      weiPerOutputSecond: weiPerSecond(totals.expectedFeeWei, totals.outputSeconds),
    }))
    .sort((a, b) => b.jobs - a.jobs);
}

/** sum(fee) / sum(seconds) rounded half up to whole wei, exactly (BigInt on microseconds). */
function weiPerSecond(feeWei: string, seconds: string): string | null {
  const micros = parseMicros(seconds);
  if (micros === 0n) return null;
  return ((2n * BigInt(feeWei) * 1_000_000n + micros) / (2n * micros)).toString();
}

/** Totals of the whole filter (all orchestrators, pipelines and models unless filtered). */
export async function jobTotals(q: Querier, f: JobFilter): Promise<JobTotals> {
  const [row] = await dailyByGroup(q, f, []);
  return row.totals;
}

/**
 * A series for charts, one point per UTC day or hour (periods without jobs are absent). Hourly
 * points read job_hour, whose rows carry their own histograms; keep hourly ranges to days or weeks.
 */
export async function jobSeries(q: Querier, f: JobFilter, interval: JobInterval): Promise<SeriesPoint[]> {
  if (interval === "day") {
    const rows = await dailyByGroup(q, f, ["day"]);
    return rows.map(({ row, totals }) => ({ period: row.day, ...totals })).sort((a, b) => (a.period < b.period ? -1 : 1));
  }
  const w = where(f, "hour");
  const rows = await q.query<CounterRow & { hour: string; latency_buckets: number[]; latency_counts: number[] }>(
    `select hour, jobs, successes, expected_fee_wei::text as fee, output_seconds::text as seconds, latency_buckets, latency_counts
       from job_hour where ${w.sql} order by hour`,
    w.params,
  );
  const points = new Map<string, { c: CounterRow; h: LatencyHistogram; fee: bigint; micros: bigint }>();
  for (const r of rows) {
    let p = points.get(r.hour);
    if (!p) points.set(r.hour, (p = { c: { jobs: 0, successes: 0, fee: "0", seconds: "0" }, h: new Map(), fee: 0n, micros: 0n }));
    p.c.jobs += Number(r.jobs);
    p.c.successes += Number(r.successes);
    p.fee += BigInt(r.fee);
    p.micros += parseMicros(r.seconds);
    r.latency_buckets.forEach((b, i) => p!.h.set(b, (p!.h.get(b) ?? 0) + r.latency_counts[i]));
  }
  return [...points].map(([period, p]) => ({
    period,
    ...totals({ ...p.c, fee: p.fee.toString(), seconds: formatMicros(p.micros) }, p.h),
  }));
}

/** Failed jobs by error type ('unknown' when the log gave none), most frequent first. */
export async function errorsByType(q: Querier, f: JobFilter): Promise<{ errorType: string; jobs: number }[]> {
  const w = where(f, "day");
  const rows = await q.query<{ error_type: string; jobs: number }>(
    `select error_type, sum(jobs)::int8 as jobs from job_error_day where ${w.sql} group by error_type order by 2 desc, 1`,
    w.params,
  );
  return rows.map((r) => ({ errorType: r.error_type, jobs: Number(r.jobs) }));
}

/**
 * The latest day with logged jobs ('YYYY-MM-DD'), null without any. May lie in the future (a gateway
 * with a wrong clock): callers clamp it (core/dates.ts defaultEndDay).
 */
export async function latestJobDay(q: Querier): Promise<string | null> {
  const [r] = await q.query<{ d: string | null }>(`select to_char(max(day), 'YYYY-MM-DD') as d from job_day`);
  return r?.d ?? null;
}

/** The pipelines and models that have jobs in the range, for the filter selects. */
export async function jobFacets(q: Querier, range: DayRange): Promise<{ pipelines: string[]; models: { pipeline: string; model: string }[] }> {
  const rows = await q.query<{ pipeline: string; model_id: string }>(
    `select distinct pipeline, model_id from job_day where day between $1::date and $2::date order by pipeline, model_id`,
    [range.from, range.to],
  );
  return {
    pipelines: [...new Set(rows.map((r) => r.pipeline))],
    models: rows.map((r) => ({ pipeline: r.pipeline, model: r.model_id })),
  };
}

/** True when the orchestrator has any job in the rollups (orchestrators known only from logs). */
export async function hasJobs(q: Querier, address: string): Promise<boolean> {
  const [r] = await q.query<{ x: boolean }>(`select exists (select 1 from job_day where orchestrator = $1) as x`, [address]);
  return r?.x === true;
}

export interface PairJobs {
  pipeline: string;
  modelId: string;
  jobs: number;
}

/**
 * Pipeline and model pairs by jobs over a filter, busiest first (ties: pipeline, then model, A-Z),
 * optionally over several orchestrators together. `limit` keeps the first ones only.
 */
export async function busiestPairs(q: Querier, f: JobFilter & { orchestrators?: string[] }, limit = 1): Promise<PairJobs[]> {
  const w = where(f, "day");
  const params = [...w.params];
  let sql = w.sql;
  if (f.orchestrators?.length) {
    params.push(f.orchestrators.map((a) => a.toLowerCase()));
    sql += ` and orchestrator = any($${params.length}::text[])`;
  }
  params.push(limit);
  const rows = await q.query<{ pipeline: string; model_id: string; jobs: string }>(
    `select pipeline, model_id, sum(jobs)::int8 as jobs from job_day where ${sql}
      group by pipeline, model_id order by sum(jobs) desc, pipeline, model_id limit $${params.length}::int`,
    params,
  );
  return rows.map((r) => ({ pipeline: r.pipeline, modelId: r.model_id, jobs: Number(r.jobs) }));
}

/** Orchestrators with any logged job in the range (every pipeline and model), A-Z. */
export async function jobOrchestrators(q: Querier, range: DayRange): Promise<string[]> {
  const rows = await q.query<{ orchestrator: string }>(
    `select distinct orchestrator from job_day where day between $1::date and $2::date order by orchestrator`,
    [range.from, range.to],
  );
  return rows.map((r) => r.orchestrator);
}
