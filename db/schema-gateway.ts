// What real go-livepeer gateways tell us (docs/gateway-events.md): the orchestrators' advertised
// state from /getNetworkCapabilities kept as history, and the Kafka gateway events (live video
// sessions, their payments, discovery) stored exactly once by envelope id. db/schema.ts holds the
// rest; drizzle.config.ts reads both files.
// Money: `numeric` wei. Addresses: lowercase hex text. Times: timestamptz.
import {
  bigint,
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "string" });

// ---------------------------------------------------------------------------------------------
// Capabilities: one version per orchestrator each time what it advertises changes.

/** One poll of /getNetworkCapabilities, or one `network_capabilities` event applied. */
export const capabilityPolls = pgTable("capability_polls", {
  id: serial("id").primaryKey(),
  observedAt: ts("observed_at").notNull(),
  origin: text("origin").notNull(), // 'endpoint' | 'event'
  orchestrators: integer("orchestrators").notNull(), // in the answer
  changed: integer("changed").notNull(), // new versions written
  gone: integer("gone").notNull(), // versions closed because the orchestrator left the answer
});

/**
 * An orchestrator node's advertised state from valid_from until valid_to (null: still current). A
 * node is an (address, service URL) pair: one operator may run several behind one address.
 * `content_hash` covers everything compared (GPUs, models, prices, warm, capacity, version, hot
 * wallet, URL); last_seen_at moves on every poll that still shows the same state.
 */
export const orchVersions = pgTable(
  "orch_versions",
  {
    id: serial("id").primaryKey(),
    address: text("address").notNull(), // canonical, lowercase
    validFrom: ts("valid_from").notNull(),
    validTo: ts("valid_to"),
    lastSeenAt: ts("last_seen_at").notNull(),
    localAddress: text("local_address"), // hot wallet, lowercase
    orchUri: text("orch_uri").notNull(), // normalised service URL; '' when none. One version line per (address, URL)
    version: text("version"),
    contentHash: text("content_hash").notNull(),
  },
  (t) => [
    index("orch_versions_address").on(t.address, t.validFrom),
    uniqueIndex("orch_versions_current").on(t.address, t.orchUri).where(sql`${t.validTo} is null`),
    index("orch_versions_span").on(t.validFrom, t.validTo),
  ],
);

/** Per version: each pipeline and model it serves, its exact price, warm state and capacity. */
export const orchVersionModels = pgTable(
  "orch_version_models",
  {
    versionId: integer("version_id").notNull(),
    pipeline: text("pipeline").notNull(), // slug, e.g. live-video-to-video
    modelId: text("model_id").notNull(),
    capability: smallint("capability"),
    pricePerUnit: numeric("price_per_unit"), // wei per pixels_per_unit units; null when not priced
    pixelsPerUnit: numeric("pixels_per_unit"),
    warm: boolean("warm"),
    capacity: integer("capacity"),
    capacityInUse: integer("capacity_in_use"),
    runnerVersion: text("runner_version"),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.pipeline, t.modelId] })],
);

/** Per version: each GPU (by its id) and the pipeline and model it was reported under. */
export const orchVersionGpus = pgTable(
  "orch_version_gpus",
  {
    versionId: integer("version_id").notNull(),
    gpuId: text("gpu_id").notNull(),
    name: text("name").notNull(),
    memoryTotal: bigint("memory_total", { mode: "number" }), // bytes
    pipeline: text("pipeline").notNull(),
    modelId: text("model_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.gpuId, t.pipeline, t.modelId] })],
);

/**
 * Other names of an orchestrator (docs/gateway-events.md section 4): its hot wallet or its
 * service URL, to its canonical address. From the latest capabilities, then the subgraph's
 * serviceURI. Events keep the name they carry; queries resolve it through this table, so an
 * event seen before its orchestrator's capabilities is resolved once they arrive.
 */
export const orchAliases = pgTable("orch_aliases", {
  alias: text("alias").primaryKey(), // lowercase address, or a normalised URL (core/gateway/identity.ts)
  address: text("address").notNull(),
  origin: text("origin").notNull(), // 'capabilities' | 'subgraph'
  updatedAt: ts("updated_at").notNull(),
});

// ---------------------------------------------------------------------------------------------
// Gateway events, each table keyed by the envelope id and time (exactly once across files, pushes,
// stdin; a replayed envelope is the same bytes) and partitioned by month of that time (db/partitions.ts).

/** `stream_trace`: one step of a live session's timeline. */
export const liveTraces = pgTable(
  "live_traces",
  {
    eventId: uuid("event_id").notNull(),
    at: ts("at").notNull(),
    streamId: text("stream_id").notNull(),
    requestId: text("request_id").notNull(),
    kind: text("kind").notNull(), // data.type, e.g. gateway_receive_stream_request
    orch: text("orch").notNull(), // alias: lowercase hot wallet, else normalised URL, else ''
    pipeline: text("pipeline"),
    feed: text("feed").notNull(), // the envelope's gateway field ('' in every real capture)
  },
  // No index besides the key: rows are read by the statement that inserts them (live-merge.ts).
  // The key holds the partition column (db/partitions.ts): a replayed envelope has the same time.
  (t) => [primaryKey({ columns: [t.eventId, t.at] })],
);

/** `ai_stream_status`: a live session's frame rates and health at one moment. */
export const liveStatuses = pgTable(
  "live_statuses",
  {
    eventId: uuid("event_id").notNull(),
    at: ts("at").notNull(),
    streamId: text("stream_id").notNull(),
    requestId: text("request_id").notNull(),
    modelId: text("model_id").notNull(), // data.pipeline is the model
    state: text("state").notNull(),
    orch: text("orch").notNull(),
    inputFps: doublePrecision("input_fps"),
    outputFps: doublePrecision("output_fps"),
    restartCount: integer("restart_count"),
    lastError: text("last_error"),
  },
  // No index besides the key, as live_traces.
  (t) => [primaryKey({ columns: [t.eventId, t.at] })],
);

/**
 * A live session (by stream id) as far as its events tell: merged at ingest from exactly the events
 * newly stored, with commutative rules (earliest, latest, sums), so the order events arrive in does
 * not matter. startup_ms = first processed segment received - stream request received.
 */
export const liveSessions = pgTable(
  "live_sessions",
  {
    streamId: text("stream_id").primaryKey(),
    requestId: text("request_id"),
    feed: text("feed").notNull(),
    firstAt: ts("first_at").notNull(), // earliest event of the session
    lastAt: ts("last_at").notNull(),
    requestedAt: ts("requested_at"),
    firstProcessedAt: ts("first_processed_at"),
    startupMs: integer("startup_ms"),
    orch: text("orch").notNull(), // the latest orchestrator alias seen ('' when none yet)
    orchAt: ts("orch_at"), // when that alias was seen (the latest wins)
    modelId: text("model_id"),
    swaps: integer("swaps").notNull(),
    errors: integer("errors").notNull(),
    noOrchestrator: integer("no_orchestrator").notNull(), // gateway_no_orchestrators_available events
    closed: boolean("closed").notNull(),
    statusSamples: integer("status_samples").notNull(),
    restarts: integer("restarts").notNull(), // the highest restart_count reported
  },
  // By request id: a payment finds its session's model (live-merge.ts).
  (t) => [index("live_sessions_request").on(t.requestId)],
);

/**
 * Frame-rate ratio (delivered / input) of status samples per UTC day, orchestrator alias and model,
 * as a sparse histogram: ratio_counts[i] samples had round(100 x ratio) = ratio_centis[i] (capped at 400).
 */
export const liveFpsDay = pgTable(
  "live_fps_day",
  {
    day: date("day", { mode: "string" }).notNull(),
    orch: text("orch").notNull(),
    modelId: text("model_id").notNull(),
    samples: integer("samples").notNull(),
    ratioCentis: smallint("ratio_centis").array().notNull(),
    ratioCounts: integer("ratio_counts").array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.orch, t.modelId] })],
);

// Rollups of live sessions per UTC day (of the session's first event), orchestrator alias and model
// ('' while unknown), kept exact at ingest by adding each merged session's new contribution and
// taking out its old one (indexer/sources/events/live-merge.ts). Pages read these, never raw events.

/** Sessions and their counters. */
export const liveSessionDay = pgTable(
  "live_session_day",
  {
    day: date("day", { mode: "string" }).notNull(),
    orch: text("orch").notNull(),
    modelId: text("model_id").notNull(),
    sessions: integer("sessions").notNull(),
    startups: integer("startups").notNull(), // sessions with a startup (both ends seen)
    swaps: integer("swaps").notNull(),
    errors: integer("errors").notNull(),
    noOrchestrator: integer("no_orchestrator").notNull(),
    restarts: integer("restarts").notNull(),
    // Startup latency, sparse: startup_counts[i] sessions in bucket startup_buckets[i] (core/latency-histogram.ts, SQL latency_bucket()).
    startupBuckets: smallint("startup_buckets").array().notNull(),
    startupCounts: integer("startup_counts").array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.orch, t.modelId] })],
);

/** Payments of live sessions per UTC day (of the payment), orchestrator alias and model ('' until its session is seen). */
export const livePayDay = pgTable(
  "live_pay_day",
  {
    day: date("day", { mode: "string" }).notNull(),
    orch: text("orch").notNull(),
    modelId: text("model_id").notNull(),
    payments: integer("payments").notNull(),
    feeWei: numeric("fee_wei").notNull(),
    billableSecs: numeric("billable_secs").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.orch, t.modelId] })],
);

/** `create_signed_ticket`: one payment of a live session, its exact fee and the seconds it paid for. */
export const liveTickets = pgTable(
  "live_tickets",
  {
    eventId: uuid("event_id").notNull(),
    at: ts("at").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    sessionId: text("session_id").notNull(),
    requestId: text("request_id"),
    pipeline: text("pipeline").notNull(),
    orch: text("orch").notNull(),
    billableSecs: numeric("billable_secs").notNull(),
    pixels: numeric("pixels"),
    computedFeeWei: numeric("computed_fee_wei").notNull(),
    modelId: text("model_id"), // its session's (by request id), filled by whichever arrives second
  },
  // By request id: a session whose model arrives late finds its payments (live-merge.ts).
  (t) => [primaryKey({ columns: [t.eventId, t.at] }), index("live_tickets_request").on(t.requestId)],
);

/** `create_new_payment`: tickets a gateway sent; expected value = face value x win prob x tickets. */
export const paymentsSent = pgTable(
  "payments_sent",
  {
    eventId: uuid("event_id").notNull(),
    at: ts("at").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    requestId: text("request_id"),
    sessionId: text("session_id"),
    manifestId: text("manifest_id"),
    sender: text("sender").notNull(), // gateway, lowercase
    recipient: text("recipient").notNull(), // canonical orchestrator, lowercase
    orchUrl: text("orch_url"),
    faceValueWei: numeric("face_value_wei").notNull(),
    winProb: numeric("win_prob").notNull(),
    numTickets: integer("num_tickets").notNull(),
    expectedValueWei: numeric("expected_value_wei").notNull(),
    price: text("price"), // display string as sent, e.g. "1635.021 wei/pixel"
  },
  // By request id: a batch or LLM completion finds its gateway (events/completions.ts).
  (t) => [primaryKey({ columns: [t.eventId, t.at] }), index("payments_sent_request").on(t.requestId)],
);

/** `discovery_results`: the gateway's round trip to each orchestrator at discovery. */
export const discoveryLatencies = pgTable(
  "discovery_latencies",
  {
    eventId: uuid("event_id").notNull(),
    idx: smallint("idx").notNull(),
    at: ts("at").notNull(),
    orch: text("orch").notNull(),
    latencyMs: integer("latency_ms").notNull(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.idx, t.at] })],
);

/**
 * Envelope ids of events stored elsewhere (network_capabilities into the capability history, batch
 * and LLM completions into jobs): so those are exactly once too.
 */
export const gatewayEventIds = pgTable("gateway_event_ids", {
  eventId: uuid("event_id").primaryKey(),
  type: text("type").notNull(),
});

/** Running counts per event type (unknown types are counted, not stored). */
export const gatewayEventCounts = pgTable("gateway_event_counts", {
  type: text("type").primaryKey(),
  known: boolean("known").notNull(),
  accepted: bigint("accepted", { mode: "number" }).notNull(),
  duplicates: bigint("duplicates", { mode: "number" }).notNull(),
  rejected: bigint("rejected", { mode: "number" }).notNull(),
  lastAt: ts("last_at"),
});

/** Event lines that could not be read, with where they were. */
export const gatewayEventRejects = pgTable(
  "gateway_event_rejects",
  {
    id: serial("id").primaryKey(),
    origin: text("origin").notNull(), // 'file' | 'http' | 'stdin'
    file: text("file"),
    fingerprint: text("fingerprint").notNull(), // the file's identity, or the push/stdin batch's
    byteOffset: bigint("byte_offset", { mode: "number" }).notNull(),
    lineNumber: bigint("line_number", { mode: "number" }).notNull(),
    reason: text("reason").notNull(),
    excerpt: text("excerpt").notNull(),
    rejectedAt: ts("rejected_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("gateway_event_rejects_at").on(t.fingerprint, t.byteOffset)],
);

/** Checkpoints of event files, like job_log_files. */
export const gatewayEventFiles = pgTable("gateway_event_files", {
  fingerprint: text("fingerprint").primaryKey(),
  path: text("path").notNull(),
  compressed: boolean("compressed").notNull(),
  device: bigint("device", { mode: "number" }),
  inode: bigint("inode", { mode: "number" }),
  byteOffset: bigint("byte_offset", { mode: "number" }).notNull(),
  lineNumber: bigint("line_number", { mode: "number" }).notNull(),
  done: boolean("done").notNull().default(false),
  firstSeenAt: ts("first_seen_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});
