// One schema validates the indexer's environment at start-up and reports every bad variable at once.
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
  /** Progress lines on stderr (terminals); the status page shows progress regardless. */
  log: (line: string) => void;
}

export interface RetryPolicy {
  maxRetries: number;
  baseMs: number;
  maxMs: number;
}

export class ConfigError extends Error {}

export function loadIndexerConfig(env: NodeJS.ProcessEnv = process.env): IndexerConfig {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== "")));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  return {
    subgraphUrl: e.SUBGRAPH_URL,
    subgraphUrlLabel: e.SUBGRAPH_URL ? redactUrl(e.SUBGRAPH_URL) : "(SUBGRAPH_URL not set)",
    schedule: e.INDEXER_SCHEDULE,
    gatewayTagsFile: e.GATEWAY_TAGS_FILE,
    pageSize: e.SUBGRAPH_PAGE_SIZE,
    retry: { maxRetries: e.SUBGRAPH_MAX_RETRIES, baseMs: e.SUBGRAPH_RETRY_BASE_MS, maxMs: e.SUBGRAPH_RETRY_MAX_MS },
    timeoutMs: e.SUBGRAPH_TIMEOUT_MS,
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
