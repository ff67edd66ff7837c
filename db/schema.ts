// Every table the product keeps. One file, one source of truth.
// Money: `numeric` everywhere (ETH decimals as the subgraph gives them, or wei); never float.
// Addresses: lowercase hex text. Days: SQL `date` (UTC).
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";

/** Subgraph `Day`: network fees per UTC day (a day without activity has no row). */
export const days = pgTable("days", {
  dayNumber: integer("day_number").primaryKey(), // floor(ts / 86400)
  date: date("date", { mode: "string" }).notNull().unique(),
  volumeEth: numeric("volume_eth").notNull(),
  volumeUsd: numeric("volume_usd").notNull(),
  totalActiveStake: numeric("total_active_stake"),
  participationRate: numeric("participation_rate"),
  activeTranscoderCount: numeric("active_transcoder_count"),
});

/** Subgraph `Transcoder` (an orchestrator). */
export const transcoders = pgTable("transcoders", {
  address: text("address").primaryKey(),
  active: boolean("active").notNull(),
  status: text("status"),
  activationRound: numeric("activation_round"),
  deactivationRound: numeric("deactivation_round"),
  feeShare: numeric("fee_share"), // parts per 1,000,000
  rewardCut: numeric("reward_cut"), // parts per 1,000,000
  totalStake: numeric("total_stake").notNull(),
  totalVolumeEth: numeric("total_volume_eth").notNull(),
  totalVolumeUsd: numeric("total_volume_usd").notNull(),
  thirtyDayVolumeEth: numeric("thirty_day_volume_eth"),
  ninetyDayVolumeEth: numeric("ninety_day_volume_eth"),
  serviceUri: text("service_uri"),
  lastRewardRound: text("last_reward_round"),
});

/** Subgraph `TranscoderDay`. */
export const transcoderDays = pgTable(
  "transcoder_days",
  {
    id: text("id").primaryKey(),
    address: text("address").notNull(),
    date: date("date", { mode: "string" }).notNull(),
    volumeEth: numeric("volume_eth").notNull(),
    volumeUsd: numeric("volume_usd").notNull(),
  },
  (t) => [index("transcoder_days_address_date").on(t.address, t.date)],
);

/** Subgraph `Broadcaster` (a gateway). */
export const broadcasters = pgTable("broadcasters", {
  address: text("address").primaryKey(),
  deposit: numeric("deposit"),
  reserve: numeric("reserve"),
  totalVolumeEth: numeric("total_volume_eth").notNull(),
  totalVolumeUsd: numeric("total_volume_usd").notNull(),
  ninetyDayVolumeEth: numeric("ninety_day_volume_eth"),
});

/** Subgraph `BroadcasterDay`. */
export const broadcasterDays = pgTable(
  "broadcaster_days",
  {
    id: text("id").primaryKey(),
    address: text("address").notNull(),
    date: date("date", { mode: "string" }).notNull(),
    volumeEth: numeric("volume_eth").notNull(),
    volumeUsd: numeric("volume_usd").notNull(),
  },
  (t) => [index("broadcaster_days_address_date").on(t.address, t.date)],
);

/** Subgraph `WinningTicketRedeemedEvent`: every redeemed winning ticket. */
export const tickets = pgTable(
  "tickets",
  {
    id: text("id").primaryKey(), // <txHash>-<logIndex>
    timestamp: integer("timestamp").notNull(), // unix seconds
    day: date("day", { mode: "string" }).notNull(), // UTC day of timestamp
    blockNumber: bigint("block_number", { mode: "number" }).notNull(),
    round: text("round").notNull(),
    sender: text("sender").notNull(), // gateway
    recipient: text("recipient").notNull(), // orchestrator
    faceValueEth: numeric("face_value_eth").notNull(),
    faceValueUsd: numeric("face_value_usd").notNull(),
    winProb: numeric("win_prob"),
  },
  (t) => [index("tickets_timestamp").on(t.timestamp), index("tickets_recipient_day").on(t.recipient, t.day)],
);

/**
 * Exact per-day rollups of `tickets`, maintained in the same statement that inserts tickets
 * (only rows that were really inserted are added), so pages never scan raw tickets.
 */
export const feeDayGateway = pgTable(
  "fee_day_gateway",
  {
    day: date("day", { mode: "string" }).notNull(),
    gateway: text("gateway").notNull(),
    tickets: integer("tickets").notNull(),
    volumeEth: numeric("volume_eth").notNull(),
    volumeUsd: numeric("volume_usd").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.gateway] })],
);

export const feeDayOrchestrator = pgTable(
  "fee_day_orchestrator",
  {
    day: date("day", { mode: "string" }).notNull(),
    orchestrator: text("orchestrator").notNull(),
    tickets: integer("tickets").notNull(),
    volumeEth: numeric("volume_eth").notNull(),
    volumeUsd: numeric("volume_usd").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.orchestrator] }), index("fee_day_orchestrator_orch").on(t.orchestrator, t.day)],
);

/** Subgraph `Protocol` singleton (id "0"). */
export const protocol = pgTable("protocol", {
  id: text("id").primaryKey(),
  totalVolumeEth: numeric("total_volume_eth").notNull(),
  totalVolumeUsd: numeric("total_volume_usd").notNull(),
  winningTicketCount: bigint("winning_ticket_count", { mode: "number" }).notNull(),
  currentRound: text("current_round"),
  activeTranscoderCount: numeric("active_transcoder_count"),
  totalActiveStake: numeric("total_active_stake"),
  participationRate: numeric("participation_rate"),
  block: bigint("block", { mode: "number" }),
});

/** Gateway tags from the config file (e.g. `subsidized` for the free-tier gateway). */
export const gatewayTags = pgTable("gateway_tags", {
  address: text("address").primaryKey(),
  tag: text("tag").notNull(),
  label: text("label"),
  // Optional marked period (e.g. the free-tier subsidy window), inclusive UTC days.
  periodFrom: date("period_from", { mode: "string" }),
  periodTo: date("period_to", { mode: "string" }),
  // Its -gatewayHost (the `gateway` field of its event envelopes), lowercase; unique in the file
  // (indexer/gateway-tags.ts checks it; a constraint would fail a sync that swaps two hosts).
  host: text("host"),
});

/** One row per indexer source: its checkpoint and health. The cursor moves with the rows. */
export const sourceState = pgTable("source_state", {
  name: text("name").primaryKey(),
  cursor: jsonb("cursor"),
  block: bigint("block", { mode: "number" }),
  blockTimestamp: integer("block_timestamp"),
  deployment: text("deployment"),
  lastRunAt: timestamp("last_run_at", { withTimezone: true }),
  lastSuccessAt: timestamp("last_success_at", { withTimezone: true }),
  lastError: text("last_error"),
  lastErrorAt: timestamp("last_error_at", { withTimezone: true }),
  rowsWritten: bigint("rows_written", { mode: "number" }).notNull().default(0),
  lastRunRows: integer("last_run_rows"),
  progress: jsonb("progress"), // live progress of the current run, null when idle
  // Cumulative counters of sources that read lines (joblogs, joblogs-http):
  // { linesRead, accepted, duplicates, rejected }, added in the transaction of each batch.
  stats: jsonb("stats"),
});

/**
 * Raw tables partitioned by month (db/partitions.ts, decision 017): the boundary before which
 * RAW_RETENTION_DAYS dropped their rows. Rows stamped before it are refused at ingest, since their
 * rollups are final and a second copy would be counted twice.
 */
export const rawRetention = pgTable("raw_retention", {
  tableName: text("table_name").primaryKey(),
  droppedBefore: timestamp("dropped_before", { withTimezone: true, mode: "string" }).notNull(),
  droppedRows: bigint("dropped_rows", { mode: "number" }).notNull(),
  droppedAt: timestamp("dropped_at", { withTimezone: true, mode: "string" }).notNull(),
});

/** History of indexer runs, newest first on the status page. */
export const indexerRuns = pgTable(
  "indexer_runs",
  {
    id: serial("id").primaryKey(),
    source: text("source").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    ok: boolean("ok"),
    error: text("error"),
    rowsWritten: integer("rows_written").notNull().default(0),
    block: bigint("block", { mode: "number" }),
  },
  (t) => [index("indexer_runs_source_started").on(t.source, t.startedAt)],
);

// ---------------------------------------------------------------------------------------------
// Gateway job logs (docs/data-contract.md section 4, job log record): one row per finished AI
// request, and rollups that the insert statement maintains for exactly the rows it inserted
// (decisions 005 and 008).

/**
 * One finished AI request from a gateway's job log. Natural key: (gateway, request_id, finished_at):
 * partitioned by month of finished_at (db/partitions.ts, decision 017), and Postgres keys a
 * partitioned table only with its partition column.
 */
export const jobs = pgTable(
  "jobs",
  {
    gateway: text("gateway").notNull(), // lowercase address
    requestId: text("request_id").notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true, mode: "string" }).notNull(),
    pipeline: text("pipeline").notNull(), // normalised slug: "Image to video" -> image-to-video
    modelId: text("model_id").notNull(),
    orchAddress: text("orch_address").notNull(), // lowercase address
    orchUrl: text("orch_url"),
    success: boolean("success").notNull(),
    durationMs: integer("duration_ms").notNull(), // gateway end-to-end
    latencyBucket: smallint("latency_bucket").notNull(), // core/latency-histogram.ts latencyBucket(duration_ms)
    orchDurationMs: integer("orch_duration_ms"),
    tries: integer("tries"),
    httpStatus: integer("http_status"),
    errorType: text("error_type"),
    region: text("region"),
    billableUnits: numeric("billable_units"),
    unit: text("unit"),
    pricePerUnit: numeric("price_per_unit"), // wei per pixels_per_unit units
    pixelsPerUnit: numeric("pixels_per_unit"),
    computedFee: numeric("computed_fee"), // wei, as logged
    // computed_fee, else billable_units x price_per_unit / pixels_per_unit rounded half up to whole wei
    expectedFeeWei: numeric("expected_fee_wei"),
    width: integer("width"),
    height: integer("height"),
    frames: integer("frames"),
    fps: numeric("fps"),
    numImages: integer("num_images"),
    // output_seconds as logged, else frames / fps for image-to-video, else null
    outputSeconds: numeric("output_seconds"),
  },
  (t) => [primaryKey({ columns: [t.gateway, t.requestId, t.finishedAt] })],
);

// The group every rollup is keyed by besides time. A function: drizzle needs fresh builders per table.
const jobGroup = () => ({
  orchestrator: text("orchestrator").notNull(),
  pipeline: text("pipeline").notNull(),
  modelId: text("model_id").notNull(),
});
const jobCounters = () => ({
  jobs: integer("jobs").notNull(),
  successes: integer("successes").notNull(),
  expectedFeeWei: numeric("expected_fee_wei").notNull(), // sum over jobs that have a fee
  outputSeconds: numeric("output_seconds").notNull(), // sum over jobs that have output seconds
});

/**
 * Per UTC hour, orchestrator, pipeline and model: counters, failures by error type and the latency
 * histogram of successful jobs, all in one row (one upsert per group and batch). The histogram is
 * sparse: latency_counts[i] jobs fell in bucket latency_buckets[i] (core/latency-histogram.ts), buckets
 * ascending; error_counts[i] jobs failed with error_types[i] ('unknown' when the log had none).
 */
export const jobHour = pgTable(
  "job_hour",
  {
    hour: timestamp("hour", { withTimezone: true, mode: "string" }).notNull(),
    ...jobGroup(),
    ...jobCounters(),
    errorTypes: text("error_types").array().notNull(),
    errorCounts: integer("error_counts").array().notNull(),
    latencyBuckets: smallint("latency_buckets").array().notNull(),
    latencyCounts: integer("latency_counts").array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.hour, t.orchestrator, t.pipeline, t.modelId] })],
);

/**
 * Per UTC day: what pages over days and months read (a 30-day page reads 30 x groups rows, never
 * 720 x groups). Errors and latency are keyed rows here, so SQL can add them up across groups.
 */
export const jobDay = pgTable(
  "job_day",
  {
    day: date("day", { mode: "string" }).notNull(),
    ...jobGroup(),
    ...jobCounters(),
    // Cost (decision 009): fees and units summed over the SAME jobs, as core/cost
    // aggregateJobs defines them. cost_jobs are successful jobs with a fee and a unit of output:
    // video seconds > 0 (video pipelines) or images (image pipelines).
    costJobs: integer("cost_jobs").notNull().default(0),
    costFeeWei: numeric("cost_fee_wei").notNull().default("0"),
    videoSeconds: numeric("video_seconds").notNull().default("0"),
    images: bigint("images", { mode: "number" }).notNull().default(0),
    billedPixels: numeric("billed_pixels").notNull().default("0"),
    /** Successful jobs with no fee (no computed_fee, price or billable units): in no cost figure. */
    unpricedJobs: integer("unpriced_jobs").notNull().default(0),
    /** Fees of failed jobs: shown next to cost figures, never inside them. */
    failedFeeWei: numeric("failed_fee_wei").notNull().default("0"),
  },
  (t) => [primaryKey({ columns: [t.day, t.orchestrator, t.pipeline, t.modelId] })],
);

/**
 * The output settings of successful jobs, per UTC day, pipeline and model: how many ran at each
 * width x height, frames and fps (0 = not logged). The cloud comparison reads the
 * dominant setting to say whether an offer is like for like, and to convert per-pixel prices.
 */
export const jobSettingDay = pgTable(
  "job_setting_day",
  {
    day: date("day", { mode: "string" }).notNull(),
    pipeline: text("pipeline").notNull(),
    modelId: text("model_id").notNull(),
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    frames: integer("frames").notNull(),
    fps: numeric("fps").notNull(),
    jobs: integer("jobs").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.pipeline, t.modelId, t.width, t.height, t.frames, t.fps] })],
);

/** Failed jobs per day by error type. */
export const jobErrorDay = pgTable(
  "job_error_day",
  {
    day: date("day", { mode: "string" }).notNull(),
    ...jobGroup(),
    errorType: text("error_type").notNull(),
    jobs: integer("jobs").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.orchestrator, t.pipeline, t.modelId, t.errorType] })],
);

/**
 * Daily latency histograms of successful jobs: counts[i] (1-based) is the number of jobs in bucket
 * chunk * 64 + i - 1 (LATENCY_CHUNK in core/latency-histogram.ts). One row per chunk of 64 buckets that
 * has any job, so a query sums 64 fixed positions instead of unnesting arrays.
 */
export const jobLatencyDay = pgTable(
  "job_latency_day",
  {
    day: date("day", { mode: "string" }).notNull(),
    ...jobGroup(),
    chunk: smallint("chunk").notNull(),
    counts: integer("counts").array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.orchestrator, t.pipeline, t.modelId, t.chunk] })],
);

/** Lines that could not be ingested, with where they came from and why. Never dropped silently. */
export const jobRejects = pgTable(
  "job_rejects",
  {
    id: serial("id").primaryKey(),
    source: text("source").notNull(), // 'file' | 'http'
    file: text("file"), // path when read (file), null for HTTP pushes
    fingerprint: text("fingerprint"), // identity of the file (job_log_files), null for HTTP
    byteOffset: bigint("byte_offset", { mode: "number" }).notNull(), // of the line's first byte
    lineNumber: bigint("line_number", { mode: "number" }).notNull(), // 1-based, in the file or body; 0: the file itself
    reason: text("reason").notNull(),
    excerpt: text("excerpt").notNull(), // the line's start, escaped: untrusted text
    receivedAt: timestamp("received_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
  },
  (t) => [
    // A line re-read (after a truncation restart or a crash) is one reject.
    uniqueIndex("job_rejects_file_line").on(t.fingerprint, t.byteOffset),
    index("job_rejects_received").on(t.receivedAt),
    check("job_rejects_source", sql`${t.source} in ('file', 'http')`),
  ],
);

/**
 * Checkpoint per log file. Identity is a SHA-256 of the file's first line(s) of uncompressed
 * content (decision 005), so a file keeps its checkpoint when renamed and when compressed.
 */
export const jobLogFiles = pgTable("job_log_files", {
  fingerprint: text("fingerprint").primaryKey(),
  path: text("path").notNull(), // where it was last read
  compressed: boolean("compressed").notNull(),
  device: bigint("device", { mode: "number" }),
  inode: bigint("inode", { mode: "number" }),
  byteOffset: bigint("byte_offset", { mode: "number" }).notNull(), // uncompressed bytes consumed (complete lines)
  lineNumber: bigint("line_number", { mode: "number" }).notNull(), // lines consumed
  done: boolean("done").notNull().default(false), // a .gz read to its end: never read again
  firstSeenAt: timestamp("first_seen_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
});

// ---------------------------------------------------------------------------------------------
// Price catalogue (decision 006): indexer/data/*.csv as parsed by core/catalogue.ts, replaced as a
// whole by the `prices` source when the files change. Every parsed column is kept, with its source.

/**
 * cloud-prices.csv. Natural key: the offer as the parser tells duplicates apart (provider,
 * offering, GPU, GPUs, unit, as_of and what a per-output price is for); nulls compare equal.
 */
export const cloudPrices = pgTable(
  "cloud_prices",
  {
    provider: text("provider").notNull(),
    offering: text("offering").notNull(),
    gpu: text("gpu"),
    gpuKey: text("gpu_key"),
    gpus: integer("gpus"),
    unit: text("unit").notNull(),
    usdPerUnit: numeric("usd_per_unit").notNull(),
    source: text("source").notNull(),
    asOf: text("as_of").notNull(), // as written, e.g. "<=2023-08-16" or "2025 (H1 rollout planned)"
    asOfDate: date("as_of_date", { mode: "string" }).notNull(), // earliest day the text allows
    asOfPrecision: text("as_of_precision").notNull(), // day | month | year
    asOfBound: text("as_of_bound").notNull(), // on | on-or-before
    asOfNote: text("as_of_note"),
    pipeline: text("pipeline"),
    model: text("model"),
    setting: text("setting"),
    line: integer("line").notNull(), // in the file, for messages
  },
  (t) => [
    unique("cloud_prices_offer")
      .on(t.provider, t.offering, t.gpu, t.gpuKey, t.gpus, t.unit, t.asOf, t.pipeline, t.model, t.setting)
      .nullsNotDistinct(),
  ],
);

/** gpu-throughput.csv. Natural key: (pipeline, model, setting, gpu_key); nulls compare equal. */
export const gpuThroughput = pgTable(
  "gpu_throughput",
  {
    pipeline: text("pipeline").notNull(),
    model: text("model").notNull(),
    setting: text("setting"),
    gpu: text("gpu"),
    gpuKey: text("gpu_key").notNull(),
    gpuSecondsPerOutputSecond: numeric("gpu_seconds_per_output_second").notNull(),
    basis: text("basis"),
    source: text("source").notNull(),
    quality: text("quality").notNull(),
    line: integer("line").notNull(),
  },
  (t) => [unique("gpu_throughput_figure").on(t.pipeline, t.model, t.setting, t.gpuKey).nullsNotDistinct()],
);

/** The loaded catalogue: one row (id 1), written in the transaction that replaces the tables. */
export const catalogueMeta = pgTable(
  "catalogue_meta",
  {
    id: smallint("id").primaryKey().default(1),
    loadedAt: timestamp("loaded_at", { withTimezone: true, mode: "string" }).notNull(),
    pricesFile: text("prices_file").notNull(),
    pricesSha256: text("prices_sha256").notNull(),
    throughputFile: text("throughput_file").notNull(),
    throughputSha256: text("throughput_sha256").notNull(),
    priceRows: integer("price_rows").notNull(),
    throughputRows: integer("throughput_rows").notNull(),
    // Catalogue age: newest and oldest price as_of, as written and as the earliest day it allows.
    newestAsOf: text("newest_as_of"),
    newestAsOfDate: date("newest_as_of_date", { mode: "string" }),
    oldestAsOf: text("oldest_as_of"),
    oldestAsOfDate: date("oldest_as_of_date", { mode: "string" }),
  },
  (t) => [check("catalogue_meta_single_row", sql`${t.id} = 1`)],
);

// ---------------------------------------------------------------------------------------------
// Saved reports (decision 010): figures computed once, server-side, and frozen. A saved report is
// read back as stored and never recomputed, so re-indexing can never change a published report.

/**
 * One frozen report. `figures` holds every number the page shows (money as decimal strings) and
 * `provenance` what they were computed from (subgraph block, log time, catalogue, method, caveats).
 * `format` is the version of the figures' shape, so the page can render every version ever stored.
 */
export const reports = pgTable(
  "reports",
  {
    id: text("id").primaryKey(), // 10 characters of Crockford base32 (50 random bits)
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull(),
    periodFrom: date("period_from", { mode: "string" }).notNull(),
    periodTo: date("period_to", { mode: "string" }).notNull(),
    baselineFrom: date("baseline_from", { mode: "string" }).notNull(),
    baselineTo: date("baseline_to", { mode: "string" }).notNull(),
    format: smallint("format").notNull(),
    figures: jsonb("figures").notNull(),
    provenance: jsonb("provenance").notNull(),
  },
  (t) => [
    index("reports_created_at").on(t.createdAt),
    check("reports_id_format", sql`${t.id} ~ '^[0-9a-hjkmnp-tv-z]{10}$'`),
    check("reports_ranges", sql`${t.periodFrom} <= ${t.periodTo} and ${t.baselineFrom} <= ${t.baselineTo}`),
  ],
);
