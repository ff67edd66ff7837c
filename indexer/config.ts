// One schema validates the indexer's environment at start-up and reports every bad variable at once.
import fs from "node:fs";
import cron from "node-cron";
import { z } from "zod";

const schema = z.object({
  SUBGRAPH_URL: z.string().url("SUBGRAPH_URL must be a URL, e.g. https://gateway.thegraph.com/api/<API_KEY>/subgraphs/id/<ID>").optional(),
  INDEXER_SCHEDULE: z
    .string()
    .default("*/5 * * * *")
    .refine((s) => cron.validate(s), "INDEXER_SCHEDULE must be a cron expression, e.g. '*/5 * * * *'"),
  GATEWAY_TAGS_FILE: z.string().default("indexer/gateway-tags.json"),
  SUBGRAPH_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(1000),
  SUBGRAPH_MAX_RETRIES: z.coerce.number().int().min(0).max(20).default(5),
  SUBGRAPH_RETRY_BASE_MS: z.coerce.number().int().min(0).default(500),
  SUBGRAPH_RETRY_MAX_MS: z.coerce.number().int().min(0).default(30_000),
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  GATEWAY_LOG_DIR: z
    .string()
    .refine((d) => fs.existsSync(d) && fs.statSync(d).isDirectory(), "GATEWAY_LOG_DIR must be an existing directory of *.jsonl / *.jsonl.gz files")
    .optional(),
  JOBLOG_BATCH_LINES: z.coerce.number().int().min(100).max(200_000).default(50_000),
  JOBLOG_MAX_LINE_BYTES: z.coerce.number().int().min(1024).max(64 << 20).default(1 << 20),
  INGEST_TOKEN: z.string().min(16, "INGEST_TOKEN must be at least 16 characters (it guards POST /api/ingest/jobs)").optional(),
  INGEST_MAX_BYTES: z.coerce.number().int().min(1024).max(1 << 30).default(16 << 20),
  // Not checked here (the web app shares this schema): a missing file fails the prices run, naming it.
  PRICES_DIR: z.string().default("indexer/data"),
});

export interface IndexerConfig {
  subgraphUrl: string | undefined;
  /** The URL without its API key, safe to print and show on the status page. */
  subgraphUrlLabel: string;
  schedule: string;
  gatewayTagsFile: string;
  pageSize: number;
  retry: RetryPolicy;
  timeoutMs: number;
  /** The joblogs source, when GATEWAY_LOG_DIR is set. */
  jobLogs?: JobLogsConfig;
  /**
   * The prices source's directory (PRICES_DIR). loadIndexerConfig always sets it; it runs first,
   * whenever a data source (subgraph or joblogs) is configured.
   */
  pricesDir?: string;
  /** Progress lines on stderr (terminals); the status page shows progress regardless. */
  log: (line: string) => void;
}

export interface JobLogsConfig {
  dir: string;
  batchLines: number;
  maxLineBytes: number;
}

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

export class ConfigError extends Error {}

function parseEnv(env: NodeJS.ProcessEnv): z.infer<typeof schema> {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== "")));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

export function loadIngestConfig(env: NodeJS.ProcessEnv = process.env): IngestConfig {
  const e = parseEnv(env);
  return { token: e.INGEST_TOKEN, maxBytes: e.INGEST_MAX_BYTES, maxLineBytes: e.JOBLOG_MAX_LINE_BYTES };
}

export function loadIndexerConfig(env: NodeJS.ProcessEnv = process.env): IndexerConfig {
  const e = parseEnv(env);
  return {
    subgraphUrl: e.SUBGRAPH_URL,
    subgraphUrlLabel: e.SUBGRAPH_URL ? redactUrl(e.SUBGRAPH_URL) : "(SUBGRAPH_URL not set)",
    schedule: e.INDEXER_SCHEDULE,
    gatewayTagsFile: e.GATEWAY_TAGS_FILE,
    pageSize: e.SUBGRAPH_PAGE_SIZE,
    retry: { maxRetries: e.SUBGRAPH_MAX_RETRIES, baseMs: e.SUBGRAPH_RETRY_BASE_MS, maxMs: e.SUBGRAPH_RETRY_MAX_MS },
    timeoutMs: e.SUBGRAPH_TIMEOUT_MS,
    jobLogs: e.GATEWAY_LOG_DIR
      ? { dir: e.GATEWAY_LOG_DIR, batchLines: e.JOBLOG_BATCH_LINES, maxLineBytes: e.JOBLOG_MAX_LINE_BYTES }
      : undefined,
    pricesDir: e.PRICES_DIR,
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
