// Every environment variable the product reads, in one schema, validated at start: a bad value
// stops the start with a message naming the variable and the form expected, all bad variables at
// once. Nothing else reads process.env (tests aside). The README's settings tables list exactly these
// variables (tests/settings.test.ts checks both ways).
//
// Groups: `product` (npm start, npm run indexer), `demo` (npm run demo), `bench` (npm run bench*),
// and `test` (hooks for the test suite and CI only: never set them in a deployment).
//
// The one exception to "core does no I/O": this module reads the environment, and checks that
// GATEWAY_LOG_DIR is a directory, so that a typo fails the start rather than the first run.
import fs from "node:fs";
import cron from "node-cron";
import { z } from "zod";
import { BadInputError } from "./errors";

export class ConfigError extends BadInputError {}

const int = (min: number, max: number, dflt: number) => z.coerce.number().int().min(min).max(max).default(dflt);
const flag = (dflt: boolean) =>
  z
    .string()
    .regex(/^(1|0|true|false|yes|no|on|off)$/i, "must be 1 or 0 (or true/false, yes/no, on/off)")
    .transform((s) => /^(1|true|yes|on)$/i.test(s))
    .default(dflt ? "1" : "0");

/** The schema; each variable's group is in GROUPS. */
const schema = z.object({
  // -- product
  PORT: int(0, 65_535, 3000),
  NODE_ENV: z.enum(["production", "development", "test"]).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgres:// URL, e.g. postgres://user@localhost:5432/observatory")
    .optional(),
  DATABASE_READ_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_READ_URL must be a postgres:// URL of a streaming replica of DATABASE_URL")
    .optional(),
  REPLICA_MAX_LAG_SECONDS: int(0, 86_400, 30),
  PGLITE_DIR: z.string().default("./data/pglite"),
  DATABASE_POOL_SIZE: int(1, 1000, 10),
  MIGRATIONS_DIR: z.string().optional(),
  SUBGRAPH_URL: z.string().url("SUBGRAPH_URL must be a URL, e.g. https://gateway.thegraph.com/api/<API_KEY>/subgraphs/id/<ID>").optional(),
  // Unset: every 5 minutes for npm start and npm run indexer, every minute for the demo.
  INDEXER_SCHEDULE: z
    .string()
    .refine((s) => cron.validate(s), "INDEXER_SCHEDULE must be a cron expression, e.g. '*/5 * * * *'")
    .optional(),
  INDEXER_IN_PROCESS: flag(true),
  RENDER_CACHE_MB: int(0, 4096, 64),
  // Unset: 2 on PGlite, 8 on Postgres (server/render-gate.ts).
  RENDER_CONCURRENCY: z.coerce.number().int().min(1).max(1000).optional(),
  GATEWAY_TAGS_FILE: z.string().default("indexer/gateway-tags.json"),
  TREASURY_RECIPIENTS_FILE: z.string().default("indexer/treasury-recipients.json"),
  SUBGRAPH_PAGE_SIZE: int(1, 1000, 1000),
  SUBGRAPH_MAX_RETRIES: int(0, 20, 5),
  SUBGRAPH_RETRY_BASE_MS: int(0, 3_600_000, 500),
  SUBGRAPH_RETRY_MAX_MS: int(0, 3_600_000, 30_000),
  SUBGRAPH_TIMEOUT_MS: int(100, 3_600_000, 30_000),
  GATEWAY_LOG_DIR: z
    .string()
    .refine((d) => fs.existsSync(d) && fs.statSync(d).isDirectory(), "GATEWAY_LOG_DIR must be an existing directory of *.jsonl / *.jsonl.gz files")
    .optional(),
  JOBLOG_BATCH_LINES: int(100, 200_000, 50_000),
  JOBLOG_MAX_LINE_BYTES: int(1024, 64 << 20, 1 << 20),
  INGEST_TOKEN: z.string().min(16, "INGEST_TOKEN must be at least 16 characters (it guards POST /api/ingest/jobs)").optional(),
  INGEST_MAX_BYTES: int(1024, 1 << 30, 16 << 20),
  GATEWAY_CAPABILITIES_URL: z
    .string()
    .url("GATEWAY_CAPABILITIES_URL must be a URL, e.g. http://gateway:5935/getNetworkCapabilities")
    .optional(),
  GATEWAY_TIMEOUT_MS: int(100, 600_000, 15_000),
  GATEWAY_EVENTS_DIR: z
    .string()
    .refine((d) => fs.existsSync(d) && fs.statSync(d).isDirectory(), "GATEWAY_EVENTS_DIR must be an existing directory of *.jsonl / *.jsonl.gz files")
    .optional(),
  EVENTS_BATCH_LINES: int(1, 200_000, 20_000),
  EVENTS_BATCH_MS: int(10, 3_600_000, 1000),
  LEADERBOARD_URL: z.string().url("LEADERBOARD_URL must be a URL, e.g. https://leaderboard-api.livepeer.cloud").optional(),
  LEADERBOARD_BACKFILL_DAYS: int(1, 3650, 30),
  LEADERBOARD_CONCURRENCY: int(1, 32, 4),
  LEADERBOARD_TIMEOUT_MS: int(100, 600_000, 30_000),
  // Raw rows are kept at least as long as any figure is computed from them (decision 017).
  RAW_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(35, "RAW_RETENTION_DAYS must be at least 35: the pages' default windows reach 30 days back and take the probe score's median from raw probes")
    .max(36_500)
    .optional(),
  // Not checked here: a missing file fails the prices run, naming it.
  PRICES_DIR: z.string().default("indexer/data"),
  // Not checked here: a broken rules file is reported (log, /status, /alerts) and the rest still serves.
  ALERTS_FILE: z.string().optional(),
  // Not checked here either: a program with a problem is left out and named (log, /status, /programs).
  PROGRAMS_FILE: z.string().optional(),
  CHROMIUM_PATH: z.string().default("/usr/bin/chromium"),
  PDF_TIMEOUT_MS: int(1, 600_000, 30_000),
  TRUST_PROXY: flag(false),
  // -- demo
  DEMO_DATA_DIR: z.string().default("data/demo"),
  DEMO_SEED: int(0, 2 ** 31 - 1, 42),
  DEMO_SUBGRAPH_PORT: int(0, 65_535, 0),
  // -- bench
  BENCH_DATABASE_URL: z.string().optional(),
  BENCH_BUILD: flag(false),
  BENCH_DAYS: int(1, 36_500, 1095),
  BENCH_TICKETS: int(1, 1e9, 1_000_000),
  BENCH_ITERATIONS: int(1, 1e6, 60),
  BENCH_INGEST_LINES: int(1, 1e9, 1_000_000),
  // Day spans of the ingest bench, each a case of its own (dense recent logs, sparse history).
  BENCH_INGEST_DAYS: z
    .string()
    .regex(/^\s*\d{1,4}\s*(,\s*\d{1,4}\s*)*$/, "BENCH_INGEST_DAYS must be day spans separated by commas, e.g. 3,70")
    .transform((s) => s.split(",").map(Number))
    .refine((xs) => xs.every((x) => x >= 1 && x <= 3650), "BENCH_INGEST_DAYS spans must be 1 to 3650 days")
    .default("3,70"),
  BENCH_INGEST_RUNS: int(1, 100, 3),
  BENCH_QUERY_JOBS: int(1, 1e10, 10_000_000),
  BENCH_EVENTS: int(1, 1e9, 1_000_000),
  BENCH_LIVE_DAYS: int(1, 3650, 30),
  BENCH_LIVE_SESSIONS_PER_DAY: int(1, 1e7, 10_000),
  BENCH_LIVE_ORCHESTRATORS: int(1, 100_000, 100),
  BENCH_LOAD_SECONDS: int(1, 3600, 10),
  // -- test-only hooks
  TEST_DATABASE_URL: z.string().optional(),
  TEST_REPLICA_URL: z.string().optional(),
  REQUIRE_POSTGRES: flag(false),
  REQUIRE_REPLICA: flag(false),
  REQUIRE_BROWSER: flag(false),
  SKIP_BUILD: flag(false),
  OBSERVATORY_CRASH_AT: z
    .string()
    .regex(/^(after-copy|before-commit|after-commit|after-alert-commit)@\d+$/, "OBSERVATORY_CRASH_AT must be after-copy@N, before-commit@N, after-commit@N or after-alert-commit@1")
    .optional(),
  REPORT_PDF_OUT: z.string().optional(),
});

export type Settings = z.infer<typeof schema>;
export type SettingName = keyof Settings;
export type SettingGroup = "product" | "demo" | "bench" | "test";

const DEMO = ["DEMO_DATA_DIR", "DEMO_SEED", "DEMO_SUBGRAPH_PORT"] as const;
const TEST = ["TEST_DATABASE_URL", "TEST_REPLICA_URL", "REQUIRE_POSTGRES", "REQUIRE_REPLICA", "REQUIRE_BROWSER", "SKIP_BUILD", "OBSERVATORY_CRASH_AT", "REPORT_PDF_OUT"] as const;

export function settingGroup(name: SettingName): SettingGroup {
  if ((DEMO as readonly string[]).includes(name)) return "demo";
  if ((TEST as readonly string[]).includes(name)) return "test";
  if (name.startsWith("BENCH_")) return "bench";
  return "product";
}

export const SETTING_NAMES = Object.keys(schema.shape) as SettingName[];

/** Parses an environment; an empty value counts as unset. Throws ConfigError naming every bad variable. */
export function parseSettings(env: Record<string, string | undefined>): Settings {
  const known = Object.fromEntries(SETTING_NAMES.map((k) => [k, env[k]]).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(known);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

let current: { key: string; value: Settings } | null = null;

/**
 * This process's settings. Parsed again only when one of the variables changed since the last call
 * (a join of ~50 lookups), so callers may read it per request and a test may change the environment
 * between requests.
 */
export function settings(): Settings {
  const key = SETTING_NAMES.map((k) => process.env[k] ?? "").join("\u0000");
  if (current?.key !== key) current = { key, value: parseSettings(process.env) };
  return current.value;
}

/** This process's environment with some variables replaced (the demo points the indexer at its own services). */
export function environmentWith(overrides: Record<string, string | undefined>): Record<string, string | undefined> {
  return { ...process.env, ...overrides };
}

/**
 * Sets one variable for the rest of this process (the demo points ALERTS_FILE at its own rules, which
 * the indexer and the pages then both read). Checked like any other: a bad value throws ConfigError.
 */
export function setForThisProcess(name: SettingName, value: string): void {
  parseSettings({ ...process.env, [name]: value });
  (process.env as Record<string, string | undefined>)[name] = value;
}

/** The Postgres server the benches create their databases on. */
export function benchDatabaseUrl(): string {
  const s = settings();
  return s.BENCH_DATABASE_URL ?? s.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
}
