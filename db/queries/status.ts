// The indexer's own records, for /status, /api/status, the freshness badge and /healthz: one
// source_state row per source (with the job log sources' line counters), the recent indexer_runs,
// and the latest rejected job log lines (job_rejects). Any Querier; no driver. These pages are
// public: files are named without their directory and errors lose the server's paths
// (core/public-paths.ts).
import { publicFileName, withoutServerPaths } from "../../core/public-paths";
import type { Querier } from "../client";

/** A run's progress as the indexer stores it (source_state.progress), while it runs. */
export interface Progress {
  phase?: string;
  done?: number;
  total?: number;
  /** 0..1 when the indexer knows the share done. */
  fraction?: number | null;
  ratePerSec?: number;
  etaSeconds?: number;
  [k: string]: unknown;
}

/** One source_state row as stored (block_timestamp in unix seconds). */
export interface SourceStateRow {
  name: string;
  last_run_at: string | null;
  last_success_at: string | null;
  block: number | null;
  block_timestamp: number | null;
  last_error: string | null;
  last_error_at: string | null;
  rows_written: number;
  last_run_rows: number | null;
  progress: Progress | null;
  deployment: string | null;
}

/** Every source's state row, by name. */
export async function sourceStates(q: Querier): Promise<SourceStateRow[]> {
  const rows = await q.query<SourceStateRow>(
    `select name, last_run_at, last_success_at, block, block_timestamp, last_error, last_error_at, rows_written,
            last_run_rows, progress, deployment
       from source_state order by name`,
  );
  return rows.map((r) => ({ ...r, last_error: withoutServerPaths(r.last_error) }));
}

export interface IndexerRun {
  id: number;
  source: string;
  startedAt: string;
  finishedAt: string | null;
  durationSeconds: number | null;
  ok: boolean | null;
  error: string | null;
  rowsWritten: number;
  block: number | null;
}

/** The newest `limit` runs of any source. */
export async function indexerRuns(q: Querier, limit: number): Promise<IndexerRun[]> {
  const rows = await q.query<IndexerRun>(
    `select id, source, started_at as "startedAt", finished_at as "finishedAt",
            round(extract(epoch from (finished_at - started_at))::numeric, 1)::float8 as "durationSeconds",
            ok, error, rows_written as "rowsWritten", block
       from indexer_runs order by started_at desc, id desc limit $1`,
    [limit],
  );
  return rows.map((r) => ({ ...r, error: withoutServerPaths(r.error) }));
}

/** true when the database answers `select 1` as expected (GET /healthz); throws when it cannot answer. */
export async function ping(q: Querier): Promise<boolean> {
  const [r] = await q.query<{ ok: number }>("select 1 as ok");
  return r?.ok === 1;
}

export interface IngestCounters {
  source: string;
  linesRead: number;
  accepted: number;
  duplicates: number;
  rejected: number;
}

export interface JobReject {
  source: "file" | "http";
  file: string | null;
  byteOffset: number;
  lineNumber: number;
  reason: string;
  /** Escaped start of the line; still untrusted text: render it as text. */
  excerpt: string;
  receivedAt: string;
}

/** Cumulative line counters of the job log sources (joblogs, joblogs-push) for the status page. */
export async function ingestCounters(q: Querier): Promise<IngestCounters[]> {
  const rows = await q.query<{ name: string; stats: Record<string, number> }>(
    `select name, stats from source_state where stats is not null order by name`,
  );
  return rows.map((r) => ({
    source: r.name,
    linesRead: Number(r.stats.linesRead ?? 0),
    accepted: Number(r.stats.accepted ?? 0),
    duplicates: Number(r.stats.duplicates ?? 0),
    rejected: Number(r.stats.rejected ?? 0),
  }));
}

/** The newest rejected lines, with where they came from and why. */
export async function recentRejects(q: Querier, limit = 50): Promise<JobReject[]> {
  const rows = await q.query<{
    source: "file" | "http";
    file: string | null;
    byte_offset: number;
    line_number: number;
    reason: string;
    excerpt: string;
    received_at: string;
  }>(`select source, file, byte_offset, line_number, reason, excerpt, received_at from job_rejects order by id desc limit $1`, [
    Math.max(1, Math.min(1000, Math.floor(limit))),
  ]);
  return rows.map((r) => ({
    source: r.source,
    file: publicFileName(r.file),
    byteOffset: Number(r.byte_offset),
    lineNumber: Number(r.line_number),
    reason: withoutServerPaths(r.reason),
    excerpt: r.excerpt,
    receivedAt: r.received_at,
  }));
}

export interface EventTypeCount {
  type: string;
  /** false: a type this version does not read (counted, not stored). */
  known: boolean;
  accepted: number;
  duplicates: number;
  rejected: number;
  lastAt: string | null;
}

/** Gateway events seen per envelope type (gateway_event_counts), known types first. */
export async function eventTypeCounts(q: Querier): Promise<EventTypeCount[]> {
  const rows = await q.query<{ type: string; known: boolean; accepted: string; duplicates: string; rejected: string; last_at: string | null }>(
    `select type, known, accepted, duplicates, rejected, last_at from gateway_event_counts order by known desc, accepted desc, type`,
  );
  return rows.map((r) => ({
    type: r.type,
    known: r.known,
    accepted: Number(r.accepted),
    duplicates: Number(r.duplicates),
    rejected: Number(r.rejected),
    lastAt: r.last_at,
  }));
}

export interface EventReject {
  origin: "file" | "http" | "stdin";
  file: string | null;
  byteOffset: number;
  lineNumber: number;
  reason: string;
  /** Escaped start of the line; still untrusted text: render it as text. */
  excerpt: string;
  rejectedAt: string;
}

/** The newest rejected gateway event lines, with where they came from and why. */
export async function recentEventRejects(q: Querier, limit = 50): Promise<EventReject[]> {
  const rows = await q.query<{ origin: EventReject["origin"]; file: string | null; byte_offset: string; line_number: string; reason: string; excerpt: string; rejected_at: string }>(
    `select origin, file, byte_offset, line_number, reason, excerpt, rejected_at from gateway_event_rejects order by id desc limit $1`,
    [Math.max(1, Math.min(1000, Math.floor(limit)))],
  );
  return rows.map((r) => ({
    origin: r.origin,
    file: publicFileName(r.file),
    byteOffset: Number(r.byte_offset),
    lineNumber: Number(r.line_number),
    reason: withoutServerPaths(r.reason),
    excerpt: r.excerpt,
    rejectedAt: r.rejected_at,
  }));
}
