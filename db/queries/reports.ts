// Saved reports (decision 010): insert once under a fresh random id, read back exactly as stored;
// and what a report's provenance records of the sources it was computed from (job log coverage, the
// job log sources' last successes, the loaded price catalogue). Figures and provenance are opaque
// JSON here; their shape belongs to app/lib/report-shapes.ts. Takes any Querier and imports no
// driver, so the Remix app can import it.
import { randomInt } from "node:crypto";
import type { Querier } from "../client";

/** Crockford's base32 in lower case: no i, l, o or u, so an id read aloud or retyped stays unambiguous. */
export const REPORT_ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
export const REPORT_ID_LENGTH = 10;
const ID = /^[0-9a-hjkmnp-tv-z]{10}$/;

/** A fresh id: 10 characters, 50 bits from the OS's CSPRNG (a collision is retried on insert). */
export function newReportId(): string {
  let s = "";
  for (let i = 0; i < REPORT_ID_LENGTH; i++) s += REPORT_ID_ALPHABET[randomInt(32)];
  return s;
}

/**
 * The canonical id for what a reader typed, or null when it cannot be one: Crockford's decoding
 * is case-insensitive and reads I and L as 1, O as 0.
 */
export function normaliseReportId(raw: string): string | null {
  const s = raw.trim().toLowerCase().replace(/[il]/g, "1").replace(/o/g, "0");
  return ID.test(s) ? s : null;
}

export interface ReportRanges {
  from: string;
  to: string;
  baselineFrom: string;
  baselineTo: string;
}

export interface StoredReport<F = unknown, P = unknown> {
  id: string;
  createdAt: string;
  format: number;
  input: ReportRanges;
  figures: F;
  provenance: P;
}

/** Stores a report under a new id (retried on the unlikely collision) and returns the id. */
export async function insertReport(
  q: Querier,
  r: { createdAt: string; format: number; input: ReportRanges; figures: unknown; provenance: unknown },
): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const id = newReportId();
    const rows = await q.query<{ id: string }>(
      `insert into reports (id, created_at, period_from, period_to, baseline_from, baseline_to, format, figures, provenance)
       values ($1, $2::timestamptz, $3::date, $4::date, $5::date, $6::date, $7, $8::jsonb, $9::jsonb)
       on conflict (id) do nothing returning id`,
      [id, r.createdAt, r.input.from, r.input.to, r.input.baselineFrom, r.input.baselineTo, r.format, JSON.stringify(r.figures), JSON.stringify(r.provenance)],
    );
    if (rows.length) return rows[0].id;
  }
  throw new Error("could not find a free report id in 5 attempts");
}

/** The stored report, or null. Returns the stored JSON as it is: nothing is recomputed. */
export async function getReport<F = unknown, P = unknown>(q: Querier, id: string): Promise<StoredReport<F, P> | null> {
  const rows = await q.query<{
    id: string; created_at: string; format: number; period_from: string; period_to: string; baseline_from: string; baseline_to: string;
    figures: F | string; provenance: P | string;
  }>(
    `select id, created_at, format, period_from, period_to, baseline_from, baseline_to, figures, provenance from reports where id = $1`,
    [id],
  );
  const r = rows[0];
  if (!r) return null;
  const json = <T,>(v: T | string): T => (typeof v === "string" ? (JSON.parse(v) as T) : v);
  return {
    id: r.id,
    createdAt: r.created_at,
    format: Number(r.format),
    input: { from: r.period_from, to: r.period_to, baselineFrom: r.baseline_from, baselineTo: r.baseline_to },
    figures: json(r.figures),
    provenance: json(r.provenance),
  };
}

// ---------------------------------------------------------------------------------------------
// Provenance: what the figures were computed from.

/** How far the job logs reach: the end of the latest hour with a job, the first and last days. */
export async function jobLogCoverage(q: Querier): Promise<{ up_to: string | null; first_day: string | null; last_day: string | null } | undefined> {
  const [logs] = await q.query<{ up_to: string | null; first_day: string | null; last_day: string | null }>(
    `select (select max(hour) + interval '1 hour' from job_hour) as up_to,
            (select to_char(min(day), 'YYYY-MM-DD') from job_day) as first_day,
            (select to_char(max(day), 'YYYY-MM-DD') from job_day) as last_day`,
  );
  return logs;
}

/** The job log sources (joblogs, joblogs-push) and their last successful run. */
export async function jobLogSources(q: Querier): Promise<{ name: string; last_success_at: string | null }[]> {
  return q.query<{ name: string; last_success_at: string | null }>(
    `select name, last_success_at from source_state where name like 'joblogs%' order by name`,
  );
}

export interface CatalogueStamp {
  loaded_at: string;
  prices_file: string;
  prices_sha256: string;
  throughput_file: string;
  throughput_sha256: string;
  price_rows: number;
  throughput_rows: number;
  newest_as_of: string | null;
  oldest_as_of: string | null;
}

/** The loaded price catalogue's files, hashes, row counts and price dates; undefined when none is loaded. */
export async function catalogueStamp(q: Querier): Promise<CatalogueStamp | undefined> {
  const [cat] = await q.query<CatalogueStamp>(
    `select loaded_at, prices_file, prices_sha256, throughput_file, throughput_sha256, price_rows, throughput_rows, newest_as_of, oldest_as_of
       from catalogue_meta where id = 1`,
  );
  return cat;
}
