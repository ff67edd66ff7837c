// Frozen orchestrator bootstrapping programs (db/schema-programs.ts program_snapshots, decision 018):
// inserted once under a fresh report-style id, read back exactly as stored, never recomputed. The
// definition, result and provenance are opaque JSON here; their shape belongs to
// app/lib/bootstrap.server.ts. Any Querier; no driver.
import type { Querier } from "../client";
import { newReportId } from "./reports";

export interface StoredSnapshot<D = unknown, R = unknown, P = unknown> {
  id: string;
  program: string;
  createdAt: string;
  definition: D;
  result: R;
  provenance: P;
}

/** Stores a snapshot under a new id (retried on the unlikely collision) and returns the id. */
export async function insertSnapshot(q: Querier, s: Omit<StoredSnapshot, "id">): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const rows = await q.query<{ id: string }>(
      `insert into program_snapshots (id, program, created_at, definition, result, provenance)
       values ($1, $2, $3::timestamptz, $4::jsonb, $5::jsonb, $6::jsonb) on conflict (id) do nothing returning id`,
      [newReportId(), s.program, s.createdAt, JSON.stringify(s.definition), JSON.stringify(s.result), JSON.stringify(s.provenance)],
    );
    if (rows.length) return rows[0].id;
  }
  throw new Error("could not find a free snapshot id in 5 attempts");
}

const ISO = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * One program's snapshot: by id, or the latest frozen at or before an instant. null when there is none.
 */
export async function findSnapshot<D, R, P>(q: Querier, program: string, at: { id: string } | { before: string }): Promise<StoredSnapshot<D, R, P> | null> {
  const rows = await q.query<{ id: string; program: string; created_at: string; definition: D | string; result: R | string; provenance: P | string }>(
    `select id, program, ${ISO("created_at")} as created_at, definition, result, provenance from program_snapshots
      where program = $1 and ${"id" in at ? "id = $2" : "created_at <= $2::timestamptz"}
      order by created_at desc, id limit 1`,
    [program, "id" in at ? at.id : at.before],
  );
  const r = rows[0];
  if (!r) return null;
  const json = <T,>(v: T | string): T => (typeof v === "string" ? (JSON.parse(v) as T) : v);
  return { id: r.id, program: r.program, createdAt: r.created_at, definition: json(r.definition), result: json(r.result), provenance: json(r.provenance) };
}

/** Every program's snapshots, newest first: [{program, id, at}]. */
export async function snapshotList(q: Querier): Promise<{ program: string; id: string; at: string }[]> {
  return q.query<{ program: string; id: string; at: string }>(
    `select program, id, ${ISO("created_at")} as at from program_snapshots order by program, created_at desc, id limit 10000`,
  );
}
