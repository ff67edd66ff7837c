// Real job log files in a temp directory, and checks that the rollups agree with the raw jobs.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import type { Db, Querier } from "../../db/client";
import { aggregateJobs, ratioToDecimal, type CostJob } from "../../core/cost";
import { LATENCY_CHUNK } from "../../core/latency-histogram";
import type { JobLine } from "../../indexer/demo/job-lines";
import { JOBLOGS_SOURCE, runJobLogs as ingestLogFiles, type JobLogsOptions } from "../../indexer/sources/joblogs/ingest-files";

export const GATEWAY = "0x" + "a1".repeat(20);
export const ORCH = "0x" + "b2".repeat(20);

/** A valid line; override any field (undefined removes it). */
export function jobLine(n: number, over: Partial<Record<keyof JobLine, unknown>> = {}): string {
  const base: Record<string, unknown> = {
    request_id: `r-${n}`,
    gateway: GATEWAY,
    timestamp: Date.parse("2026-05-01T10:00:00Z") + n * 1000,
    pipeline: "text-to-image",
    model_id: "ByteDance/SDXL-Lightning",
    orch_address: ORCH,
    success: true,
    duration_ms: 1000 + n,
  };
  return JSON.stringify({ ...base, ...over });
}

export const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => jobLine(from + i));

export function tempDir(prefix = "observatory-joblogs-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function write(dir: string, name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

export function append(dir: string, name: string, content: string | Buffer): void {
  fs.appendFileSync(path.join(dir, name), content);
}

export function gzip(dir: string, from: string, to: string): void {
  fs.writeFileSync(path.join(dir, to), zlib.gzipSync(fs.readFileSync(path.join(dir, from))));
  fs.rmSync(path.join(dir, from));
}

export async function runJobLogs(db: Db, dir: string, over: Partial<JobLogsOptions> = {}) {
  await db.query(`insert into source_state (name) values ($1) on conflict (name) do nothing`, [JOBLOGS_SOURCE]);
  return ingestLogFiles(db, { dir, batchLines: 50_000, maxLineBytes: 1 << 20, log: () => {}, ...over });
}

export async function count(q: Querier, sql: string, params: unknown[] = []): Promise<number> {
  const [r] = await q.query<{ n: number }>(sql, params);
  return Number(r.n);
}

/**
 * Rows where the rollups disagree with aggregates computed directly from jobs (empty = they agree).
 * An independent statement of what every rollup table must hold.
 */
export async function rollupMismatches(q: Querier): Promise<unknown[]> {
  return [...(await countMismatches(q)), ...(await costMismatches(q))];
}

/**
 * job_day's cost columns against the cost model's reference aggregation (aggregateJobs) of the
 * stored jobs, per orchestrator: the same jobs in both sums, fees to the wei.
 */
async function costMismatches(q: Querier): Promise<unknown[]> {
  const jobs = await q.query<{
    orchestrator: string;
    ts: number;
    pipeline: string;
    model_id: string;
    success: boolean;
    fee: string | null;
    billable_units: string | null;
    width: number | null;
    height: number | null;
    num_images: number | null;
    output_seconds: string | null;
  }>(`select orch_address as orchestrator, (extract(epoch from finished_at) * 1000)::int8 as ts, pipeline, model_id, success,
            expected_fee_wei::text as fee, billable_units::text, width, height, num_images, output_seconds::text from jobs`);
  const byOrch = new Map<string, CostJob[]>();
  for (const j of jobs) {
    const list = byOrch.get(j.orchestrator) ?? [];
    byOrch.set(j.orchestrator, list);
    list.push({
      pipeline: j.pipeline, modelId: j.model_id, timestampMs: Number(j.ts), success: j.success, computedFee: j.fee,
      billableUnits: j.billable_units, width: j.width, height: j.height, numImages: j.num_images, outputSeconds: j.output_seconds,
    });
  }
  const expected = new Map<string, string>();
  const round = (r: { num: bigint; den: bigint }) => ((2n * r.num + r.den) / (2n * r.den)).toString();
  for (const [orch, list] of byOrch)
    for (const g of aggregateJobs(list))
      expected.set(
        [g.date, orch, g.pipeline, g.modelId].join("|"),
        [
          g.video.jobs + g.image.jobs, (g.video.feeWei + g.image.feeWei).toString(), ratioToDecimal(g.video.outputSeconds),
          g.image.images.toString(), round(g.image.pixels), g.unpricedJobs, g.failedFeeWei.toString(),
        ].join(","),
      );
  const rows = await q.query<{ k: string; v: string }>(
    `select concat_ws('|', day, orchestrator, pipeline, model_id) as k,
            concat_ws(',', cost_jobs, cost_fee_wei, trim_scale(video_seconds), images, billed_pixels, unpriced_jobs, failed_fee_wei) as v
       from job_day`,
  );
  const out: unknown[] = [];
  for (const r of rows) {
    if (expected.get(r.k) !== r.v) out.push({ t: "job_day cost", k: r.k, stored: r.v, expected: expected.get(r.k) });
    expected.delete(r.k);
  }
  for (const [k, v] of expected) out.push({ t: "job_day cost", k, stored: undefined, expected: v });
  return out;
}

async function countMismatches(q: Querier): Promise<unknown[]> {
  const group = "orch_address as orchestrator, pipeline, model_id";
  return q.query(`
    with raw_hour as (
      select date_trunc('hour', finished_at, 'UTC') as hour, ${group}, count(*)::int as jobs, count(*) filter (where success)::int as successes,
             coalesce(sum(expected_fee_wei), 0) as fee, coalesce(sum(output_seconds), 0) as seconds
        from jobs group by 1, 2, 3, 4),
    raw_hour_errors as (
      select date_trunc('hour', finished_at, 'UTC') as hour, ${group}, coalesce(error_type, 'unknown') as error_type, count(*)::int as n
        from jobs where not success group by 1, 2, 3, 4, 5),
    raw_hour_latency as (
      select date_trunc('hour', finished_at, 'UTC') as hour, ${group}, latency_bucket as bucket, count(*)::int as n
        from jobs where success group by 1, 2, 3, 4, 5),
    rolled_errors as (
      select hour, orchestrator, pipeline, model_id, t as error_type, n from job_hour, unnest(error_types, error_counts) as u(t, n)),
    rolled_latency as (
      select hour, orchestrator, pipeline, model_id, b as bucket, n from job_hour, unnest(latency_buckets, latency_counts) as u(b, n)),
    raw_day_latency as (
      select (finished_at at time zone 'UTC')::date as day, ${group}, latency_bucket as bucket, count(*)::int as n
        from jobs where success group by 1, 2, 3, 4, 5),
    rolled_day_latency as (
      select day, orchestrator, pipeline, model_id, chunk * ${LATENCY_CHUNK} + i - 1 as bucket, c as n
        from job_latency_day, unnest(counts) with ordinality as u(c, i) where c <> 0)
    select 'job_hour' as t, coalesce(r.hour, j.hour)::text as k from raw_hour r
      full join job_hour j using (hour, orchestrator, pipeline, model_id)
     where (r.jobs, r.successes, r.fee, r.seconds) is distinct from (j.jobs, j.successes, j.expected_fee_wei, j.output_seconds)
    union all
    select 'job_day', coalesce(r.day, j.day)::text from (
        select (hour at time zone 'UTC')::date as day, orchestrator, pipeline, model_id, sum(jobs) as jobs, sum(successes) as successes,
               sum(fee) as fee, sum(seconds) as seconds from raw_hour group by 1, 2, 3, 4) r
      full join job_day j using (day, orchestrator, pipeline, model_id)
     where (r.jobs, r.successes, r.fee, r.seconds) is distinct from (j.jobs, j.successes, j.expected_fee_wei, j.output_seconds)
    union all
    select 'errors by hour', coalesce(r.hour, j.hour)::text from raw_hour_errors r
      full join rolled_errors j using (hour, orchestrator, pipeline, model_id, error_type) where r.n is distinct from j.n
    union all
    select 'job_error_day', coalesce(r.day, j.day)::text from (
        select (hour at time zone 'UTC')::date as day, orchestrator, pipeline, model_id, error_type, sum(n) as n from raw_hour_errors group by 1, 2, 3, 4, 5) r
      full join job_error_day j using (day, orchestrator, pipeline, model_id, error_type) where r.n is distinct from j.jobs
    union all
    select 'latency by hour', coalesce(r.hour, j.hour)::text from raw_hour_latency r
      full join rolled_latency j using (hour, orchestrator, pipeline, model_id, bucket) where r.n is distinct from j.n
    union all
    select 'job_setting_day', coalesce(r.day, j.day)::text from (
        select (finished_at at time zone 'UTC')::date as day, pipeline, model_id, coalesce(width, 0) as width, coalesce(height, 0) as height,
               coalesce(frames, 0) as frames, coalesce(fps, 0) as fps, count(*)::int as n
          from jobs where success group by 1, 2, 3, 4, 5, 6, 7) r
      full join job_setting_day j using (day, pipeline, model_id, width, height, frames, fps) where r.n is distinct from j.jobs
    union all
    select 'job_latency_day', coalesce(r.day, j.day)::text from raw_day_latency r
      full join rolled_day_latency j using (day, orchestrator, pipeline, model_id, bucket) where r.n is distinct from j.n`);
}

/** A canonical digest of jobs and every rollup (histograms and error maps as sorted rows). */
export async function tablesDigest(q: Querier): Promise<Record<string, string>> {
  const digest = async (sql: string) =>
    (await q.query<{ d: string }>(`select md5(coalesce(string_agg(x, '|' order by x), '')) as d from (${sql}) t(x)`))[0].d;
  return {
    jobs: await digest(`select j::text from jobs j`),
    job_hour: await digest(
      `select concat_ws(',', hour, orchestrator, pipeline, model_id, jobs, successes, expected_fee_wei, output_seconds) from job_hour`,
    ),
    job_hour_errors: await digest(
      `select concat_ws(',', hour, orchestrator, pipeline, model_id, t, n) from job_hour, unnest(error_types, error_counts) u(t, n)`,
    ),
    job_hour_latency: await digest(
      `select concat_ws(',', hour, orchestrator, pipeline, model_id, b, n) from job_hour, unnest(latency_buckets, latency_counts) u(b, n)`,
    ),
    job_day: await digest(`select d::text from job_day d`),
    job_error_day: await digest(`select d::text from job_error_day d`),
    job_latency_day: await digest(`select d::text from job_latency_day d`),
    job_setting_day: await digest(`select d::text from job_setting_day d`),
  };
}
