// Public probes: the AI leaderboard API's synthetic test jobs (docs: README "Public probes"; the API's
// semantics in indexer/sources/leaderboard/), stored exactly once by their natural key and rolled up
// per hour and per UTC day as they are inserted. drizzle.config.ts reads this file with the others.
// Addresses: lowercase hex text. Regions: uppercase ids (MDW, FRA, ...). Pipelines: slugs. Times:
// timestamptz (a probe's own `timestamp`, whole seconds). Round trips: seconds as float8, as the API.
import { sql } from "drizzle-orm";
import { boolean, date, doublePrecision, index, integer, pgTable, primaryKey, smallint, text, timestamp } from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "string" });

/**
 * One probe: a test job one region's tester sent to one orchestrator for one pipeline and model.
 * Natural key: (at, orchestrator, region, pipeline, model, fingerprint). The API serves no id, and the
 * first five are what a tester cycle makes unique (one request per orchestrator, pipeline and model
 * per run and region); the fingerprint (a 64-bit hash, core/probes/raw.ts, of success_rate, round_trip_time,
 * model_is_warm, errors, input_parameters and response_payload) keeps two real probes of the same
 * second apart, while the same stored row read again by an overlapping poll is byte for byte the
 * same and so has the same key (core/probes/raw.ts).
 * ok = success_rate = 1 and round_trip_time <> 0: the probes the official median is taken over;
 * rtt_bucket is their round trip in whole milliseconds in the buckets of core/latency-histogram.ts.
 */
export const probes = pgTable(
  "probes",
  {
    orchestrator: text("orchestrator").notNull(),
    at: ts("at").notNull(),
    region: text("region").notNull(),
    pipeline: text("pipeline").notNull(),
    model: text("model").notNull(),
    fingerprint: text("fingerprint").notNull(),
    successRate: doublePrecision("success_rate").notNull(),
    roundTripS: doublePrecision("round_trip_s").notNull(),
    warm: boolean("warm").notNull(),
    rttBucket: smallint("rtt_bucket"), // null unless ok
    errorCodes: text("error_codes").array().notNull(),
    errorCounts: integer("error_counts").array().notNull(),
  },
  // Time first: inserts land at the right of the key's B-tree, and windows over every pair (the
  // leaderboard without a pipeline filter) are range scans of it. Pair windows (the median) use probes_pair_at.
  (t) => [primaryKey({ columns: [t.at, t.orchestrator, t.region, t.pipeline, t.model, t.fingerprint] }), index("probes_pair_at").on(t.pipeline, t.model, t.at)],
);

/**
 * Rollup columns of the daily table: probes, the sums the official means need
 * (success_rate is a fraction per probe, so it is summed), warm probes (cold = probes - warm), the
 * ok probes' round-trip histogram (sparse: rtt_counts[i] in bucket rtt_buckets[i], ascending) and
 * errors by code (sum of each error's count; error_counts[i] for error_codes[i], ascending).
 */
const rollup = () => ({
  orchestrator: text("orchestrator").notNull(),
  region: text("region").notNull(),
  pipeline: text("pipeline").notNull(),
  model: text("model").notNull(),
  probes: integer("probes").notNull(),
  successSum: doublePrecision("success_sum").notNull(),
  rttSum: doublePrecision("rtt_sum").notNull(),
  warm: integer("warm").notNull(),
  okProbes: integer("ok_probes").notNull(),
  rttBuckets: smallint("rtt_buckets").array().notNull(),
  rttCounts: integer("rtt_counts").array().notNull(),
  errorCodes: text("error_codes").array().notNull(),
  errorCounts: integer("error_counts").array().notNull(),
});

/**
 * Per UTC day of the probes' own timestamps. There is no hourly table (migration 0014 dropped it): a
 * tester probes each orchestrator, region, pipeline and model once every two hours, so an hourly row
 * held one probe and cost as much to write as the probe itself; hourly figures read the probes, as the
 * hourly median always had to (decision 013).
 */
export const probeDay = pgTable(
  "probe_day",
  { day: date("day", { mode: "string" }).notNull(), ...rollup() },
  (t) => [primaryKey({ columns: [t.day, t.orchestrator, t.region, t.pipeline, t.model] }), index("probe_day_pair").on(t.pipeline, t.model, t.day)],
);

/**
 * The official median of a UTC day (percentile_cont(0.5) of round_trip_time over every orchestrator's
 * ok probes) per pipeline and model, for each region and for all regions (region ''), so the daily
 * score history is exact without reading raw probes. Recomputed from probes for the days marked in
 * probe_median_dirty, which the insert marks in its own transaction (a run cut short loses no mark).
 */
export const probeMedianDay = pgTable(
  "probe_median_day",
  {
    day: date("day", { mode: "string" }).notNull(),
    pipeline: text("pipeline").notNull(),
    model: text("model").notNull(),
    region: text("region").notNull(), // '' = all regions
    median: doublePrecision("median"), // null without an ok probe
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.pipeline, t.model, t.region] })],
);

export const probeMedianDirty = pgTable(
  "probe_median_dirty",
  {
    day: date("day", { mode: "string" }).notNull(),
    pipeline: text("pipeline").notNull(),
    model: text("model").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.pipeline, t.model] })],
);

/**
 * Per orchestrator, how far the API has been read: every probe the API inserted up to polled_until
 * (its own insert-time clock, as far as ours tells) is stored. It moves only in the transaction that
 * stores the window's probes; a failed query leaves it and records the error here.
 */
export const probeCursors = pgTable("probe_cursors", {
  orchestrator: text("orchestrator").primaryKey(),
  polledUntil: ts("polled_until"),
  backfilledFrom: ts("backfilled_from"),
  lastSuccessAt: ts("last_success_at"),
  lastError: text("last_error"),
  lastErrorAt: ts("last_error_at"),
  failures: integer("failures").notNull().default(0), // consecutive failed runs
  probes: integer("probes").notNull().default(0), // stored so far
});

/** /api/regions as last read (one row per id and job type; `GLOBAL` is the explorer's mean). */
export const probeRegions = pgTable(
  "probe_regions",
  {
    id: text("id").notNull(),
    type: text("type").notNull(),
    name: text("name").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.id, t.type] })],
);

/** /api/pipelines as last read: each pipeline (slug, and the name the tester posts) and model. */
export const probePipelines = pgTable(
  "probe_pipelines",
  {
    pipeline: text("pipeline").notNull(),
    model: text("model").notNull(),
    name: text("name").notNull(),
    regions: text("regions").array().notNull().default(sql`'{}'`),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.pipeline, t.model] })],
);
