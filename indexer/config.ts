// The indexer's configuration, built from the settings (core/settings.ts: one schema for every
// environment variable, validated at start, every bad variable reported at once).
import { ConfigError, parseSettings, settings, type Settings } from "../core/settings";

export { ConfigError };

export const DEFAULT_SCHEDULE = "*/5 * * * *";

export interface IndexerConfig {
  subgraphUrl: string | undefined;
  /** The URL without its API key, safe to print and show on the status page. */
  subgraphUrlLabel: string;
  schedule: string;
  gatewayTagsFile: string;
  /** Treasury grant recipients (TREASURY_RECIPIENTS_FILE); unset in tests that need none. */
  treasuryRecipientsFile?: string;
  pageSize: number;
  retry: RetryPolicy;
  timeoutMs: number;
  /** The joblogs source, when GATEWAY_LOG_DIR is set. */
  jobLogs?: JobLogsConfig;
  /** The capabilities source, when GATEWAY_CAPABILITIES_URL is set. */
  capabilities?: CapabilitiesConfig;
  /** The leaderboard source (public probes), when LEADERBOARD_URL is set. */
  leaderboard?: LeaderboardConfig;
  /** The events source's files, when GATEWAY_EVENTS_DIR is set (stdin and the push need no directory). */
  events?: EventsConfig;
  /** How stdin and file batches of events are cut (EVENTS_BATCH_LINES, EVENTS_BATCH_MS). */
  eventBatches?: EventBatchConfig;
  /**
   * The prices source's directory (PRICES_DIR). loadIndexerConfig always sets it; it runs first,
   * whenever a data source (subgraph or joblogs) is configured.
   */
  pricesDir?: string;
  /** RAW_RETENTION_DAYS: raw months older than this are dropped (db/partitions.ts); unset: kept forever. */
  rawRetentionDays?: number;
  /** ALERTS_FILE: rules evaluated after every run (indexer/alerts/); unset: no alerts. */
  alertsFile?: string;
  /** Progress lines on stderr (terminals); the status page shows progress regardless. */
  log: (line: string) => void;
}

export interface JobLogsConfig {
  dir: string;
  batchLines: number;
  maxLineBytes: number;
}

export interface CapabilitiesConfig {
  url: string;
  timeoutMs: number;
  retry: RetryPolicy;
}

export interface LeaderboardConfig {
  /** The API's base URL, without a trailing slash. */
  url: string;
  backfillDays: number;
  concurrency: number;
  timeoutMs: number;
  retry: RetryPolicy;
}

export interface EventsConfig {
  dir: string;
}

export interface EventBatchConfig {
  lines: number;
  ms: number;
  maxLineBytes: number;
}

/** The settings' defaults, for configs built by hand (tests). */
export const DEFAULT_EVENT_BATCHES: EventBatchConfig = { lines: 20_000, ms: 1000, maxLineBytes: 1 << 20 };

/** POST /api/ingest/jobs: disabled (404) without a token. */
export interface IngestConfig {
  token: string | undefined;
  maxBytes: number;
  maxLineBytes: number;
}

export interface RetryPolicy {
  maxRetries: number;
  baseMs: number;
  maxMs: number;
}

/** The given environment's settings (tests, the demo), or this process's (core/settings.ts). */
const settingsOf = (env?: Record<string, string | undefined>): Settings => (env ? parseSettings(env) : settings());

export function loadIngestConfig(env?: Record<string, string | undefined>): IngestConfig {
  const e = settingsOf(env);
  return { token: e.INGEST_TOKEN, maxBytes: e.INGEST_MAX_BYTES, maxLineBytes: e.JOBLOG_MAX_LINE_BYTES };
}

export function loadIndexerConfig(env?: Record<string, string | undefined>): IndexerConfig {
  const e = settingsOf(env);
  return {
    subgraphUrl: e.SUBGRAPH_URL,
    subgraphUrlLabel: e.SUBGRAPH_URL ? redactUrl(e.SUBGRAPH_URL) : "(SUBGRAPH_URL not set)",
    schedule: e.INDEXER_SCHEDULE ?? DEFAULT_SCHEDULE,
    gatewayTagsFile: e.GATEWAY_TAGS_FILE,
    treasuryRecipientsFile: e.TREASURY_RECIPIENTS_FILE,
    pageSize: e.SUBGRAPH_PAGE_SIZE,
    retry: { maxRetries: e.SUBGRAPH_MAX_RETRIES, baseMs: e.SUBGRAPH_RETRY_BASE_MS, maxMs: e.SUBGRAPH_RETRY_MAX_MS },
    timeoutMs: e.SUBGRAPH_TIMEOUT_MS,
    jobLogs: e.GATEWAY_LOG_DIR
      ? { dir: e.GATEWAY_LOG_DIR, batchLines: e.JOBLOG_BATCH_LINES, maxLineBytes: e.JOBLOG_MAX_LINE_BYTES }
      : undefined,
    capabilities: e.GATEWAY_CAPABILITIES_URL
      ? {
          url: e.GATEWAY_CAPABILITIES_URL,
          timeoutMs: e.GATEWAY_TIMEOUT_MS,
          retry: { maxRetries: e.SUBGRAPH_MAX_RETRIES, baseMs: e.SUBGRAPH_RETRY_BASE_MS, maxMs: e.SUBGRAPH_RETRY_MAX_MS },
        }
      : undefined,
    leaderboard: e.LEADERBOARD_URL
      ? {
          url: e.LEADERBOARD_URL.replace(/\/+$/, ""),
          backfillDays: e.LEADERBOARD_BACKFILL_DAYS,
          concurrency: e.LEADERBOARD_CONCURRENCY,
          timeoutMs: e.LEADERBOARD_TIMEOUT_MS,
          retry: { maxRetries: e.SUBGRAPH_MAX_RETRIES, baseMs: e.SUBGRAPH_RETRY_BASE_MS, maxMs: e.SUBGRAPH_RETRY_MAX_MS },
        }
      : undefined,
    events: e.GATEWAY_EVENTS_DIR ? { dir: e.GATEWAY_EVENTS_DIR } : undefined,
    eventBatches: { lines: e.EVENTS_BATCH_LINES, ms: e.EVENTS_BATCH_MS, maxLineBytes: e.JOBLOG_MAX_LINE_BYTES },
    pricesDir: e.PRICES_DIR,
    alertsFile: e.ALERTS_FILE,
    rawRetentionDays: e.RAW_RETENTION_DAYS,
    log: (line) => process.stderr.write(line + "\n"),
  };
}

/** Hides The Graph API key (`/api/<key>/`) and any credentials in a URL. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    u.pathname = u.pathname.replace(/\/api\/[^/]+\//, "/api/<key>/");
    return u.toString();
  } catch {
    return "(invalid URL)";
  }
}
