// Writes one batch of job log lines, from a file or an HTTP push, the same way: validate in JS, COPY
// the valid records into jobs (or, when a key is already stored, into a session-local staging table
// and `INSERT ... SELECT ... ON CONFLICT DO NOTHING`), then add exactly the rows really inserted to
// every rollup. The caller runs this inside the transaction that also stores its checkpoint, so
// rows, rollups, rejects and checkpoint commit together or not at all (decision 005).
import { BadInputError } from "../../../core/errors";
import { noHooks, type CrashHooks } from "../../crash-hooks";
import type { Querier, TxQuerier } from "../../../db/client";
import { costFields, excerptOf, validateJobLineBytes, type JobRecord } from "./validate";
import { formatMicros } from "../../../db/units";
import { addToIncrements, applyRollups, encodeIncrements, type RollupCopy, type RollupIncrements } from "./rollups";
import type { RawLine } from "../../log-files";
import { beforeHorizonReason, MonthSet } from "../../../db/partitions";

export interface BatchCounts {
  /** Lines read; always accepted + duplicates + rejected. */
  read: number;
  accepted: number;
  /** Valid lines whose (gateway, request_id, finished_at) was already stored, or came earlier in the batch. */
  duplicates: number;
  rejected: number;
}

export interface RejectRow {
  byteOffset: number;
  lineNumber: number;
  reason: string;
  excerpt: string;
}

/** A batch validated and encoded for COPY: everything the database step needs, no raw bytes. */
export interface PreparedBatch {
  read: number;
  /** Valid lines, including repeats of a key within the batch. */
  valid: number;
  /** Rows in copyData: one per key, the first line of each key in batch order. */
  staged: number;
  copyData: Uint8Array;
  /**
   * The rollup increments of the staged rows, encoded for COPY: used as they are when every staged
   * row is new. Otherwise the increments are made again from the rows really inserted. (The
   * increments themselves stay in the reader thread: cloning them to the main thread cost more
   * than making them, for sparse history.)
   */
  rollups: RollupCopy;
  rejects: RejectRow[];
  /** Month starts (ms) of the staged rows: their partitions are made before the batch's transaction (db/partitions.ts). */
  months: number[];
}

/** Where rejects came from: a file (path and identity) or an HTTP push. */
export type RejectOrigin = { source: "file"; file: string; fingerprint: string } | { source: "http" };

/** The rule: a batch with over 1,000 rejects that are over 1% of its lines fails the run. */
export function isMostlyGarbage(read: number, rejected: number): boolean {
  return rejected > 1000 && rejected > read / 100;
}

/** A batch that is mostly garbage (bad-input): a push is answered 422, a file run stops with its checkpoint kept. */
export class GarbageBatchError extends BadInputError {
  override get httpStatus(): number {
    return 422;
  }
}

/** The columns of jobs, in order: COPY data carries them, into jobs or into its staging twin. */
const JOB_COLUMNS = [
  "gateway",
  "request_id",
  "finished_at",
  "pipeline",
  "model_id",
  "orch_address",
  "orch_url",
  "success",
  "duration_ms",
  "latency_bucket",
  "orch_duration_ms",
  "tries",
  "http_status",
  "error_type",
  "region",
  "billable_units",
  "unit",
  "price_per_unit",
  "pixels_per_unit",
  "computed_fee",
  "expected_fee_wei",
  "width",
  "height",
  "frames",
  "fps",
  "num_images",
  "output_seconds",
] as const;

// The staging twin of jobs (without its key), for a batch that holds a key already stored.
// Session-local and emptied at every commit, so concurrent writers (the indexer and HTTP pushes on
// Postgres) never see each other's rows.
const CREATE_STAGE = `create temp table if not exists job_stage (
  gateway text, request_id text, finished_at timestamptz, pipeline text, model_id text, orch_address text, orch_url text,
  success bool, duration_ms int, latency_bucket int2, orch_duration_ms int, tries int, http_status int, error_type text,
  region text, billable_units numeric, unit text, price_per_unit numeric, pixels_per_unit numeric, computed_fee numeric,
  expected_fee_wei numeric, width int, height int, frames int, fps numeric, num_images int, output_seconds numeric
) on commit delete rows`;

/** Lines validated between two yields to the event loop, so the previous batch's database round trips keep moving. */
const SLICE_LINES = 250;

/**
 * Validates a batch, encodes its records for COPY and computes their rollup increments. A key
 * (gateway, request id, finish time) seen earlier in the batch is a duplicate: the first line wins,
 * as it does across batches. `nowMs` is this server's clock when the batch is prepared (read here,
 * per batch, not once per process): lines stamped more than MAX_CLOCK_SKEW_MS after it are
 * rejected. `notBeforeMs` is where RAW_RETENTION_DAYS dropped raw jobs (db/partitions.ts): lines
 * stamped before it are rejected too, since the rollups they would go into are final.
 */
export async function prepareBatch(
  lines: readonly RawLine[],
  maxLineBytes: number,
  { nowMs = Date.now(), notBeforeMs = -Infinity }: { nowMs?: number; notBeforeMs?: number } = {},
): Promise<PreparedBatch> {
  const seen = new SeenKeys();
  const months = new MonthSet();
  const increments: RollupIncrements = new Map();
  const copy = new CopyWriter();
  const rejects: RejectRow[] = [];
  let valid = 0;
  let staged = 0;
  for (let i = 0; i < lines.length; i++) {
    if (i > 0 && i % SLICE_LINES === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const line = lines[i];
    const v =
      line.bytes === null ? { ok: false as const, reason: `line longer than ${maxLineBytes} bytes` } : validateJobLineBytes(line.bytes, nowMs, line.utf8);
    if (!v.ok) {
      rejects.push({
        byteOffset: line.offset,
        lineNumber: line.lineNumber,
        reason: v.reason,
        excerpt: line.bytes ? excerptOf(line.bytes) : `${excerptOf(line.head ?? Buffer.alloc(0))}...`,
      });
      continue;
    }
    const r = v.record;
    if (r.timestampMs < notBeforeMs) {
      rejects.push({ byteOffset: line.offset, lineNumber: line.lineNumber, reason: beforeHorizonReason(notBeforeMs), excerpt: excerptOf(line.bytes!) });
      continue;
    }
    valid++;
    if (!seen.firstOf(r)) continue;
    copy.row(r, v.plain ? asIs : text);
    staged++;
    addToIncrements(increments, r);
    months.add(r.timestampMs);
  }
  return { read: lines.length, valid, staged, copyData: copy.bytes(), rollups: encodeIncrements(increments, text), rejects, months: months.values() };
}

/**
 * Keys seen in a batch: per gateway, each request id's finish time. A request id seen again with
 * another finish time (a second record, rare) goes to `others` as a string key; the common case
 * allocates nothing per line.
 */
class SeenKeys {
  private readonly byGateway = new Map<string, Map<string, number>>();
  private readonly others = new Set<string>();

  /** Whether this is the first record of its key (gateway, request id, finish time) in the batch. */
  firstOf(r: JobRecord): boolean {
    let ids = this.byGateway.get(r.gateway);
    if (!ids) this.byGateway.set(r.gateway, (ids = new Map()));
    const t = ids.get(r.requestId);
    if (t === undefined) {
      ids.set(r.requestId, r.timestampMs);
      return true;
    }
    if (t === r.timestampMs) return false;
    const key = `${r.gateway} ${r.requestId} ${r.timestampMs}`;
    if (this.others.has(key)) return false;
    this.others.add(key);
    return true;
  }
}

/**
 * Job records made elsewhere (gateway completion events, already checked by their parser) as a
 * batch that writeJobBatch stores exactly like log lines: COPY, rollups, duplicates by key.
 */
export function prepareRecords(records: readonly JobRecord[]): PreparedBatch {
  const seen = new SeenKeys();
  const increments: RollupIncrements = new Map();
  const copy = new CopyWriter();
  const months = new MonthSet();
  let staged = 0;
  for (const r of records) {
    if (!seen.firstOf(r)) continue;
    copy.row(r, text);
    staged++;
    addToIncrements(increments, r);
    months.add(r.timestampMs);
  }
  return {
    read: records.length,
    valid: records.length,
    staged,
    copyData: copy.bytes(),
    rollups: encodeIncrements(increments, text),
    rejects: [],
    months: months.values(),
  };
}

// COPY text format: tab-separated, \N for null, backslash escapes for the four special characters.
const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };
const text = (s: string | null): string =>
  s === null ? "\\N" : COPY_SPECIAL.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]) : s;

const DAY_MS = 86_400_000;
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, "0"));
let cachedDay = NaN;
let cachedDayText = "";

/**
 * Unix milliseconds (2000 to 2100, as validated) as ISO 8601 in UTC, e.g. 2026-10-01T07:05:09.042Z:
 * what Date#toISOString gives, without a Date per row. The date part is kept per UTC day.
 */
export function isoMillis(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDayText = new Date(day * DAY_MS).toISOString().slice(0, 11); // "2026-10-01T"
  }
  let t = ms - day * DAY_MS;
  const milli = t % 1000;
  t = (t - milli) / 1000;
  const second = t % 60;
  t = (t - second) / 60;
  const minute = t % 60;
  const hour = (t - minute) / 60;
  return `${cachedDayText}${TWO_DIGITS[hour]}:${TWO_DIGITS[minute]}:${TWO_DIGITS[second]}.${milli < 10 ? "00" : milli < 100 ? "0" : ""}${milli}Z`;
}

/** COPY text of a string known to hold none of the four special characters. */
const asIs = (s: string | null): string => (s === null ? "\\N" : s);

const n = (x: number | string | bigint | null): string | number | bigint => (x === null ? "\\N" : x);

/**
 * Writes COPY rows into one growing buffer. Values are known ASCII (numbers, addresses, slugs) or
 * escaped text.
 */
class CopyWriter {
  private buf = Buffer.allocUnsafe(1 << 20);
  private pos = 0;

  private ensure(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + bytes));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  /**
   * One string per row and one write: a native write per field costs more than the field, and
   * joining many rows into one string costs more again (flattening). `text` encodes the row's
   * untrusted strings: escaping, or as they are when the line had no backslash.
   */
  row(r: JobRecord, text: (s: string | null) => string): void {
    const line =
      `${r.gateway}\t${text(r.requestId)}\t${isoMillis(r.timestampMs)}\t${r.pipeline}\t${text(r.modelId)}\t${r.orchAddress}\t${text(r.orchUrl)}\t` +
      `${r.success ? "t" : "f"}\t${r.durationMs}\t${r.latencyBucket}\t${n(r.orchDurationMs)}\t${n(r.tries)}\t${n(r.httpStatus)}\t` +
      `${text(r.errorType)}\t${text(r.region)}\t${n(r.billableUnits)}\t${text(r.unit)}\t` +
      `${n(r.pricePerUnit)}\t${n(r.pixelsPerUnit)}\t${n(r.computedFee)}\t${n(r.expectedFeeWei)}\t${n(r.width)}\t${n(r.height)}\t` +
      `${n(r.frames)}\t${n(r.fps)}\t${n(r.numImages)}\t${r.outputMicros === null ? "\\N" : formatMicros(r.outputMicros)}\n`;
    this.ensure(line.length * 3); // up to 3 UTF-8 bytes per UTF-16 unit
    this.pos += this.buf.write(line, this.pos, "utf8");
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}

// The staged rows whose key was not stored yet, and what the rollups read of each: RETURNING gives
// exactly the rows this statement inserted.
const INSERT_NEW_JOBS = `insert into jobs (${JOB_COLUMNS.join(", ")})
  select ${JOB_COLUMNS.join(", ")} from job_stage
  on conflict (gateway, request_id, finished_at) do nothing
  returning (extract(epoch from finished_at) * 1000)::int8 as ts_ms, orch_address, pipeline, model_id,
    success, error_type, latency_bucket, billable_units::text, price_per_unit::text, pixels_per_unit::text,
    computed_fee::text, width, height, frames, fps::text, num_images, output_seconds::text`;

/** Stores a prepared batch: jobs, rollups and rejects. Call inside the caller's transaction. */
export async function writeJobBatch(
  q: TxQuerier,
  batch: PreparedBatch,
  origin: RejectOrigin,
  hooks: CrashHooks = noHooks,
): Promise<BatchCounts> {
  let accepted = 0;
  if (batch.staged) {
    const inserted = await insertJobs(q, batch, hooks);
    if (inserted === "all") {
      // Usually every staged row is new and the encoded increments are exactly those of the inserted rows.
      accepted = batch.staged;
      await applyRollups(q, batch.rollups);
    } else {
      // Otherwise the increments are made again from the rows really inserted.
      accepted = inserted.length;
      await applyRollups(q, encodeIncrements(incrementsOf(inserted), text));
    }
  }
  await insertRejects(q, batch.rejects, origin);
  return { read: batch.read, accepted, duplicates: batch.valid - accepted, rejected: batch.rejects.length };
}

/**
 * Stores the batch's rows in jobs: "all" when every one was new, else the rows inserted. The common
 * case, every key new, is one COPY straight into jobs inside a savepoint: no staging copy, no ON
 * CONFLICT (whose speculative insertion costs about as much again per row). A key that is already
 * stored (a file read again after truncation, a line re-sent across batches, a concurrent push)
 * fails that COPY with a unique violation, or a deadlock with a concurrent writer of the same keys;
 * the savepoint is undone and released, and the rows go through the staging table and INSERT ... ON
 * CONFLICT DO NOTHING RETURNING, which names exactly the rows it inserted.
 */
async function insertJobs(q: TxQuerier, batch: PreparedBatch, hooks: CrashHooks): Promise<"all" | InsertedJob[]> {
  await q.query("savepoint job_insert");
  try {
    await q.copyIn("jobs", JOB_COLUMNS, batch.copyData);
    hooks.at("after-copy");
    await q.query("release savepoint job_insert");
    return "all";
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== UNIQUE_VIOLATION && code !== DEADLOCK) throw e;
    await q.query("rollback to savepoint job_insert");
    await q.query("release savepoint job_insert");
  }
  await q.query(CREATE_STAGE);
  await q.copyIn("job_stage", JOB_COLUMNS, batch.copyData);
  hooks.at("after-copy");
  return q.query<InsertedJob>(INSERT_NEW_JOBS);
}

const UNIQUE_VIOLATION = "23505";
const DEADLOCK = "40P01";

/** What INSERT_NEW_JOBS returns of each row it inserted. */
interface InsertedJob {
  ts_ms: number | string;
  orch_address: string;
  pipeline: string;
  model_id: string;
  success: boolean;
  error_type: string | null;
  latency_bucket: number;
  billable_units: string | null;
  price_per_unit: string | null;
  pixels_per_unit: string | null;
  computed_fee: string | null;
  width: number | null;
  height: number | null;
  frames: number | null;
  fps: string | null;
  num_images: number | null;
  output_seconds: string | null;
}

/** The rollup increments of inserted rows, their stored values counted by the same cost model that counts a line. */
function incrementsOf(rows: readonly InsertedJob[]): RollupIncrements {
  const inc: RollupIncrements = new Map();
  for (const r of rows) {
    const cost = costFields({
      pipeline: r.pipeline,
      billableUnits: r.billable_units,
      pricePerUnit: r.price_per_unit,
      pixelsPerUnit: r.pixels_per_unit,
      computedFee: r.computed_fee,
      width: r.width,
      height: r.height,
      frames: r.frames,
      fps: r.fps,
      numImages: r.num_images,
      outputSeconds: r.output_seconds,
    });
    addToIncrements(inc, {
      timestampMs: Number(r.ts_ms),
      orchAddress: r.orch_address,
      pipeline: r.pipeline,
      modelId: r.model_id,
      success: r.success,
      errorType: r.error_type,
      latencyBucket: r.latency_bucket,
      width: r.width,
      height: r.height,
      frames: r.frames,
      fps: r.fps,
      ...cost,
    });
  }
  return inc;
}

async function insertRejects(q: Querier, rejects: readonly RejectRow[], origin: RejectOrigin): Promise<void> {
  if (!rejects.length) return;
  const file = origin.source === "file" ? origin : { file: null, fingerprint: null };
  await q.query(
    `insert into job_rejects (source, file, fingerprint, byte_offset, line_number, reason, excerpt)
     select $1, $2, $3, o, l, r, e from unnest($4::int8[], $5::int8[], $6::text[], $7::text[]) as t(o, l, r, e)
     on conflict (fingerprint, byte_offset) do nothing`,
    [
      origin.source,
      file.file,
      file.fingerprint,
      rejects.map((x) => x.byteOffset),
      rejects.map((x) => x.lineNumber),
      rejects.map((x) => x.reason),
      rejects.map((x) => x.excerpt),
    ],
  );
}

