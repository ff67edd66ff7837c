// Raw rows partitioned by month, rollups forever (issue 13, decision 017). The raw tables below are
// partitioned by month of their own time (migration 0012): <table>_pYYYY_MM. Writers make the
// months a batch needs before its transaction (ensureMonths); each indexer run makes this month's
// and next month's ahead of time and, with RAW_RETENTION_DAYS, drops every month that ended more
// than that many days ago (maintainPartitions). Pages and APIs read rollups, which are never
// dropped, so their figures do not change; raw rows older than the boundary a drop leaves
// (raw_retention.dropped_before) are refused at ingest, because their rollups already count them.
import type { Db, Querier } from "./client";

/** Each partitioned raw table and the time column it is partitioned by. */
export const RAW_TABLES = [
  { table: "jobs", column: "finished_at" },
  { table: "probes", column: "at" },
  { table: "live_traces", column: "at" },
  { table: "live_statuses", column: "at" },
  { table: "live_tickets", column: "at" },
  { table: "payments_sent", column: "at" },
  { table: "discovery_latencies", column: "at" },
] as const;

export type RawTable = (typeof RAW_TABLES)[number]["table"];

/** The raw tables a gateway event batch writes to (completions become jobs). */
export const EVENT_TABLES: readonly RawTable[] = ["live_traces", "live_statuses", "live_tickets", "payments_sent", "discovery_latencies", "jobs"];

/** The start (UTC, ms) of the month holding `ms`. */
export function monthStartMs(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/**
 * Distinct month starts of many instants, cheaply: an instant within the month last seen costs
 * two comparisons, not a Date.
 */
export class MonthSet {
  private readonly starts = new Set<number>();
  private lo = 0;
  private hi = -1;

  add(ms: number): void {
    if (ms >= this.lo && ms < this.hi) return;
    this.lo = monthStartMs(ms);
    const d = new Date(this.lo);
    this.hi = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    this.starts.add(this.lo);
  }

  values(): number[] {
    return [...this.starts].sort((a, b) => a - b);
  }
}

/**
 * Makes the month partitions of `tables` that hold the given instants (ms; any instant of a month
 * stands for it), where missing. Run it in a
 * statement of its own before the batch's transaction, never inside it: making a partition locks the
 * parent table, and a batch that already writes to it would deadlock against another one doing the
 * same. A month that retention dropped is not made again (the batch's rows there are refused first).
 */
export async function ensureMonths(q: Querier, tables: RawTable | readonly RawTable[], months: readonly number[]): Promise<number> {
  if (!months.length) return 0;
  const [r] = await q.query<{ made: string }>(`select coalesce(sum(ensure_month_partitions(t, $2::timestamptz[])), 0)::text as made from unnest($1::text[]) t`, [
    typeof tables === "string" ? [tables] : tables,
    months.map((m) => new Date(m).toISOString()),
  ]);
  return Number(r.made);
}

/** Where raw rows of `tables` start being refused (the latest of their boundaries); -Infinity: none. */
export async function horizonOf(q: Querier, tables: RawTable | readonly RawTable[]): Promise<number> {
  const [r] = await q.query<{ at: string | null }>(`select max(dropped_before) as at from raw_retention where table_name = any($1::text[])`, [
    typeof tables === "string" ? [tables] : tables,
  ]);
  return r?.at ? new Date(r.at).getTime() : -Infinity;
}

/** Why a row before the horizon is refused, for reject rows and answers. */
export function beforeHorizonReason(horizonMs: number): string {
  return `stamped before ${new Date(horizonMs).toISOString()}: raw rows before then were dropped (RAW_RETENTION_DAYS) and their rollups are final`;
}

export interface PartitionInfo {
  table: RawTable;
  partitions: number;
  /** The oldest and newest month kept (YYYY-MM), null without partitions. */
  oldest: string | null;
  newest: string | null;
  /** Approximate rows (the planner's statistics: exact counts would read every month); null before any month was analysed. */
  approxRows: number | null;
  droppedBefore: string | null;
  droppedRows: number;
}

/** Each raw table's months, for the status page. */
export async function partitionInfo(q: Querier): Promise<PartitionInfo[]> {
  const rows = await q.query<{ parent: string; child: string; tuples: number }>(
    `select p.relname as parent, c.relname as child, c.reltuples::float8 as tuples
       from pg_inherits i join pg_class p on p.oid = i.inhparent join pg_class c on c.oid = i.inhrelid
      where p.relname = any($1::text[]) and p.relnamespace = 'public'::regnamespace`,
    [RAW_TABLES.map((t) => t.table)],
  );
  const dropped = await q.query<{ table_name: string; dropped_before: string; dropped_rows: string }>(`select * from raw_retention`);
  return RAW_TABLES.map(({ table }) => {
    const months = rows
      .filter((r) => r.parent === table)
      .map((r) => ({ month: monthOfName(table, r.child), tuples: Number(r.tuples) }))
      .filter((m) => m.month !== null)
      .sort((a, b) => a.month!.localeCompare(b.month!));
    const d = dropped.find((x) => x.table_name === table);
    return {
      table,
      partitions: months.length,
      oldest: months[0]?.month ?? null,
      newest: months.at(-1)?.month ?? null,
      approxRows: months.some((m) => m.tuples >= 0) ? months.reduce((s, m) => s + Math.max(0, m.tuples), 0) : null,
      droppedBefore: d ? new Date(d.dropped_before).toISOString() : null,
      droppedRows: d ? Number(d.dropped_rows) : 0,
    };
  });
}

/** "2025-03" from "jobs_p2025_03"; null for anything else. */
function monthOfName(table: string, child: string): string | null {
  const m = /^_p(\d{4})_(\d{2})$/.exec(child.slice(table.length));
  return child.startsWith(table) && m ? `${m[1]}-${m[2]}` : null;
}

export interface Maintenance {
  created: number;
  dropped: { partition: string; rows: number }[];
}

/**
 * Each run: this month's and next month's partitions of every raw table, so writers seldom make
 * one; with `retentionDays`, every month that ended at least that many days before `nowMs` is
 * dropped, its rows counted, and raw_retention moves to its end (in the same transaction as the
 * drop, so a writer never sees the month gone without the boundary that refuses its rows).
 */
export async function maintainPartitions(
  q: Pick<Db, "query" | "tx">,
  opts: { retentionDays?: number; nowMs?: number },
): Promise<Maintenance> {
  const now = opts.nowMs ?? Date.now();
  const thisMonth = monthStartMs(now);
  const next = new Date(thisMonth);
  const ahead = [thisMonth, Date.UTC(next.getUTCFullYear(), next.getUTCMonth() + 1, 1)];
  const created = await ensureMonths(q, RAW_TABLES.map((t) => t.table), ahead);
  await analyseChangedMonths(q);
  const dropped: Maintenance["dropped"] = [];
  if (!opts.retentionDays) return { created, dropped };
  const cutoff = now - opts.retentionDays * 86_400_000;
  const parts = await q.query<{ parent: RawTable; child: string; upper: string }>(
    `select p.relname as parent, c.relname as child,
            (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1] as upper
       from pg_inherits i join pg_class p on p.oid = i.inhparent join pg_class c on c.oid = i.inhrelid
      where p.relname = any($1::text[]) and p.relnamespace = 'public'::regnamespace`,
    [RAW_TABLES.map((t) => t.table)],
  );
  const old = parts.filter((p) => monthOfName(p.parent, p.child) !== null && new Date(p.upper).getTime() <= cutoff);
  old.sort((a, b) => a.child.localeCompare(b.child));
  for (const p of old) {
    const rows = await q.tx(async (t) => {
      const [c] = await t.query<{ n: string }>(`select count(*)::text as n from ${quoteIdent(p.child)}`);
      await t.query(`drop table ${quoteIdent(p.child)}`);
      await t.query(
        `insert into raw_retention (table_name, dropped_before, dropped_rows, dropped_at) values ($1, $2, $3, now())
         on conflict (table_name) do update set dropped_before = greatest(raw_retention.dropped_before, excluded.dropped_before),
           dropped_rows = raw_retention.dropped_rows + excluded.dropped_rows, dropped_at = now()`,
        [p.parent, new Date(p.upper).toISOString(), c.n],
      );
      return Number(c.n);
    });
    dropped.push({ partition: p.child, rows });
  }
  return { created, dropped };
}

/**
 * Row estimates for /status: ANALYZE (a sample, not a count) of each month that changed since it was
 * last analysed more than an hour ago, or never was. Postgres's autovacuum does this too; PGlite has
 * no autovacuum. Usually only the current month qualifies.
 */
async function analyseChangedMonths(q: Pick<Db, "query">): Promise<void> {
  const stale = await q.query<{ child: string }>(
    `select c.relname as child
       from pg_inherits i join pg_class p on p.oid = i.inhparent join pg_class c on c.oid = i.inhrelid
       left join pg_stat_user_tables s on s.relid = c.oid
      where p.relname = any($1::text[]) and p.relnamespace = 'public'::regnamespace
        and (c.reltuples < 0 or (coalesce(s.n_mod_since_analyze, 0) > 0
             and coalesce(greatest(s.last_analyze, s.last_autoanalyze), '-infinity') < now() - interval '1 hour'))`,
    [RAW_TABLES.map((t) => t.table)],
  );
  for (const { child } of stale) await q.query(`analyze ${quoteIdent(child)}`);
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected partition name ${JSON.stringify(name)}`);
  return `"${name}"`;
}
