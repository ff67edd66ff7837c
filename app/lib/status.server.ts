// Indexer health per source (rules in health.ts), the job log sources' line counters and latest
// rejected lines, the leaderboard source's failing orchestrators, and the recent runs, for /status
// and /api/status. The rows come from
// db/queries/status.ts; this module classifies and combines them.
import { settings } from "../../core/settings";
import { partitionInfo, type PartitionInfo } from "../../db/partitions";
import type { Querier } from "../../db/client";
import {
  eventTypeCounts,
  indexerRuns,
  ingestCounters,
  recentEventRejects,
  recentRejects,
  sourceStates,
  type EventReject,
  type EventTypeCount,
  type IndexerRun,
  type JobReject,
  type Progress,
} from "../../db/queries/status";
import { failingOrchestrators, type ProbeFailure } from "../../db/queries/probes";
import { configProblems, type ConfigProblem } from "../../db/queries/programs";
import { programsFileProblems } from "./bootstrap.server";
import { classify, PASSIVE_SOURCES, type Health } from "./health";
import { getIndexState } from "./index-state.server";

export type { EventReject, EventTypeCount, Health, IndexerRun, JobReject, ProbeFailure, Progress };

export interface SourceStatus {
  name: string;
  lastRunAt: string | null;
  lastSuccessAt: string | null;
  block: number | null;
  blockTimestamp: string | null;
  lagSeconds: number | null;
  status: Health;
  /** The last run's error while failing, else null. */
  error: string | null;
  /** The most recent error ever recorded, even if a later run succeeded. */
  lastError: string | null;
  lastErrorAt: string | null;
  rowsWritten: number;
  lastRunRows: number | null;
  progress: Progress | null;
  deployment: string | null;
  /** Sources that read job log lines (joblogs, joblogs-push): cumulative counts; null for others. */
  linesRead: number | null;
  accepted: number | null;
  duplicates: number | null;
  rejected: number | null;
}

/** How many rejected lines the status page and API list (newest first). */
export const REJECTS_SHOWN = 50;

export async function getRejects(q: Querier, limit = REJECTS_SHOWN): Promise<JobReject[]> {
  return recentRejects(q, limit);
}

/** Gateway events per type and the newest rejected event lines. */
export async function getGatewayEvents(q: Querier, limit = REJECTS_SHOWN): Promise<{ counts: EventTypeCount[]; rejects: EventReject[] }> {
  return { counts: await eventTypeCounts(q), rejects: await recentEventRejects(q, limit) };
}

/** How many failing orchestrators of the leaderboard source the status page and API list (newest failure first). */
export const PROBE_FAILURES_SHOWN = 200;

/**
 * Orchestrators whose leaderboard query failed in their last attempt (after its retries), newest
 * first: error, failed runs in a row, when, and polledUntil, where their cursor is held (null: no
 * window stored yet). An orchestrator leaves the list when a window of it is stored again.
 */
export async function getLeaderboardFailures(q: Querier, limit = PROBE_FAILURES_SHOWN): Promise<ProbeFailure[]> {
  return failingOrchestrators(q, limit);
}

export async function getSources(q: Querier, nowMs = Date.now()): Promise<SourceStatus[]> {
  const rows = await sourceStates(q);
  const lines = new Map((await ingestCounters(q)).map((c) => [c.source, c]));
  return rows.map((r) => {
    const l = lines.get(r.name);
    const c = classify({ lastSuccessAt: r.last_success_at, lastErrorAt: r.last_error_at, blockTimestamp: r.block_timestamp }, nowMs, {
      passive: PASSIVE_SOURCES.includes(r.name),
    });
    return {
      name: r.name,
      lastRunAt: r.last_run_at,
      lastSuccessAt: r.last_success_at,
      block: r.block,
      blockTimestamp: r.block_timestamp === null ? null : new Date(r.block_timestamp * 1000).toISOString(),
      lagSeconds: c.lagSeconds,
      status: c.status,
      error: c.status === "failing" ? r.last_error : null,
      lastError: r.last_error,
      lastErrorAt: r.last_error_at,
      rowsWritten: r.rows_written,
      lastRunRows: r.last_run_rows,
      progress: r.progress && typeof r.progress === "object" ? r.progress : null,
      deployment: r.deployment,
      linesRead: l ? l.linesRead : null,
      accepted: l ? l.accepted : null,
      duplicates: l ? l.duplicates : null,
      rejected: l ? l.rejected : null,
    };
  });
}

/** The last runs the status page and API list (newest first). */
export async function getRuns(q: Querier, limit = 20): Promise<IndexerRun[]> {
  return indexerRuns(q, limit);
}

const RANK: Record<Health, number> = { ok: 0, degraded: 1, failing: 2 };

export interface Freshness {
  block: number | null;
  blockTimestamp: string | null;
  lagSeconds: number | null;
  /** Worst status over all sources; null when nothing has been indexed yet. */
  status: Health | null;
  running: boolean;
  demo: boolean;
}

/** For the badge on every page: the subgraph's last block and the worst status of any source. */
export async function getFreshness(q: Querier, nowMs = Date.now()): Promise<Freshness> {
  const [sources, state] = [await getSources(q, nowMs), await getIndexState(q)];
  const status = sources.reduce<Health | null>((w, s) => (w === null || RANK[s.status] > RANK[w] ? s.status : w), null);
  return {
    block: state.block,
    blockTimestamp: state.blockTimestamp === null ? null : new Date(state.blockTimestamp * 1000).toISOString(),
    lagSeconds: state.blockTimestamp === null ? null : Math.max(0, Math.floor(nowMs / 1000) - state.blockTimestamp),
    status,
    running: sources.some((s) => s.progress !== null),
    demo: state.demo,
  };
}

/**
 * Program-file entries left out: at the last run (a tags budget, the recipients file) and in
 * PROGRAMS_FILE as it is now (its line and path), with file, path and reason.
 */
export async function getConfigProblems(q: Querier): Promise<ConfigProblem[]> {
  return [...(await configProblems(q)), ...programsFileProblems()];
}

/** The raw tables' months and where RAW_RETENTION_DAYS cut them (db/partitions.ts), with the setting. */
export async function getRawPartitions(q: Querier): Promise<{ tables: PartitionInfo[]; retentionDays: number | null }> {
  return { tables: await partitionInfo(q), retentionDays: settings().RAW_RETENTION_DAYS ?? null };
}
