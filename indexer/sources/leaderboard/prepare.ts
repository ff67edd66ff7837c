// What a window of the leaderboard API becomes before it reaches the database, with no database in
// sight, so it runs on the poll's preparing thread (prepare-worker.ts): its answer parsed into probe
// records, repeats inside it dropped, probes stamped before the raw-retention cut refused, the rest
// encoded as COPY text for probes, and their daily rollup increments and median marks computed.
// store.ts writes the result.
import { parseRawStats, type ProbeRecord } from "../../../core/probes/raw";
import { MonthSet } from "../../../db/partitions";

/** A window's answer, ready for the database (store.ts insertPrepared). */
export interface PreparedProbes {
  /** Records after dedupe: the rows of `data`. */
  count: number;
  /** probes rows as COPY text (PROBE_COLUMNS of store.ts). */
  data: Uint8Array;
  /** probe_day increments as COPY text (`day`, then ROLL_COLUMNS), when every probe is new. */
  day: Uint8Array;
  /** The days, pipelines and models whose official median these probes change. */
  dirty: { day: string; pipeline: string; model: string }[];
  /** Month starts (ms) of the probes' instants: the partitions they need (db/partitions.ts). */
  months: number[];
}

export interface PreparedWindow extends PreparedProbes {
  /** Rows in the answer: probes, transcoding tests and unreadable rows. */
  read: number;
  /** Transcoding tests, unreadable rows and probes before the retention cut. */
  rejected: number;
  /** Unreadable rows, and one reason of theirs. */
  unreadable: number;
  unreadableReason: string | null;
  /** Probes stamped before the retention cut (refused). */
  beforeCut: number;
}

/** The records' COPY text, rollup increments and months (records unique by key: dedupe()). */
export function prepareRecords(records: readonly ProbeRecord[]): PreparedProbes {
  const r = rollupsOf(records);
  const months = new MonthSet();
  for (const p of records) months.add(p.ts * 1000);
  return { count: records.length, data: encodeProbes(records), day: r.day, dirty: r.dirty, months: months.values() };
}

/** A raw_stats answer (parsed JSON) of one orchestrator, prepared; throws TypeError on a body of another shape. */
export function prepareWindow(body: unknown, orchestrator: string, notBeforeMs: number): PreparedWindow {
  const parsed = parseRawStats(body, orchestrator);
  const kept = parsed.probes.filter((p) => p.ts * 1000 >= notBeforeMs);
  const beforeCut = parsed.probes.length - kept.length;
  const prepared = prepareRecords(dedupe(kept));
  return {
    ...prepared,
    read: parsed.probes.length + parsed.transcoding + parsed.rejected.length,
    rejected: parsed.transcoding + parsed.rejected.length + beforeCut,
    unreadable: parsed.rejected.length,
    unreadableReason: parsed.rejected[0]?.reason ?? null,
    beforeCut,
  };
}

/** UTF-8 bytes in an ArrayBuffer of their own (Buffer.from can return a slice of a shared pool, which must not be transferred). */
const utf8 = (s: string) => new TextEncoder().encode(s);

/** COPY text of one field: backslash, tab, newline and carriage return escaped. */
const COPY_SPECIAL = /[\\\t\n\r]/;
const copyText = (v: string) =>
  COPY_SPECIAL.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r")) : v;
/** copyText of the few names a batch repeats (orchestrator, region, pipeline, model), made once each. */
class CopyNames {
  private readonly m = new Map<string, string>();
  of(v: string): string {
    let t = this.m.get(v);
    if (t === undefined) this.m.set(v, (t = copyText(v)));
    return t;
  }
}
/** A text[] literal: each element quoted, its backslashes and quotes escaped. */
const textArray = (xs: readonly string[]) => (xs.length ? `{${xs.map((x) => `"${x.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(",")}}` : "{}");
const dayCache = new Map<number, string>();
const hourCache = new Map<number, string>();
const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
/** 'YYYY-MM-DD' of unix seconds (UTC), cached per day: a window's rows share a few days. */
function dayOf(s: number): string {
  const d = Math.floor(s / 86_400);
  let v = dayCache.get(d);
  if (v === undefined) {
    if (dayCache.size > 10_000) dayCache.clear();
    dayCache.set(d, (v = new Date(d * 86_400_000).toISOString().slice(0, 10)));
  }
  return v;
}
/** 'YYYY-MM-DD HH:' of unix seconds (UTC), cached per hour. */
function hourPrefixOf(s: number): string {
  const h = Math.floor(s / 3600);
  let v = hourCache.get(h);
  if (v === undefined) {
    if (hourCache.size > 100_000) hourCache.clear();
    hourCache.set(h, (v = `${dayOf(h * 3600)} ${pad2(h % 24)}:`));
  }
  return v;
}
/** Unix seconds as timestamptz text ('YYYY-MM-DD HH:MM:SS+00'), without a Date per row. */
function isoOf(s: number): string {
  const soh = s - Math.floor(s / 3600) * 3600;
  return `${hourPrefixOf(s)}${pad2(Math.floor(soh / 60))}:${pad2(soh % 60)}+00`;
}

/** The records as COPY text rows of probes (PROBE_COLUMNS). Numbers print exactly (shortest round-trip form). */
export function encodeProbes(records: readonly ProbeRecord[]): Uint8Array {
  const names = new CopyNames();
  let out = "";
  for (const p of records)
    out +=
      `${names.of(p.orchestrator)}\t${isoOf(p.ts)}\t${names.of(p.region)}\t${names.of(p.pipeline)}\t${names.of(p.model)}\t${p.fingerprint}\t` +
      `${p.successRate}\t${p.roundTripS}\t${p.warm ? "t" : "f"}\t${p.rttBucket ?? "\\N"}\t${p.errorCodes.length ? copyText(textArray(p.errorCodes)) : "{}"}\t{${p.errorCounts.join(",")}}\n`;
  return utf8(out);
}

// ---------------------------------------------------------------------------------------------
// Rollup increments computed here when every row of a window is new (a backfill, nearly always):
// the sums store.ts makes in SQL for a window holding stored probes, without grouping rows in SQL.

interface Roll {
  /** Day number (unix days). */
  period: number;
  p: ProbeRecord;
  probes: number;
  successSum: number;
  rttSum: number;
  warm: number;
  ok: number;
  /** Round-trip buckets and their counts, in first-seen order (a group holds a handful). */
  buckets: number[];
  counts: number[];
  errs: Map<string, number> | null;
}

const newRoll = (period: number, p: ProbeRecord): Roll => ({ period, p, probes: 0, successSum: 0, rttSum: 0, warm: 0, ok: 0, buckets: [], counts: [], errs: null });

function addTo(g: Roll, p: ProbeRecord): void {
  g.probes++;
  g.successSum += p.successRate;
  g.rttSum += p.roundTripS;
  if (p.warm) g.warm++;
  if (p.rttBucket !== null) {
    g.ok++;
    const i = g.buckets.indexOf(p.rttBucket);
    if (i < 0) {
      g.buckets.push(p.rttBucket);
      g.counts.push(1);
    } else g.counts[i]++;
  }
  for (let i = 0; i < p.errorCodes.length; i++) {
    g.errs ??= new Map();
    g.errs.set(p.errorCodes[i], (g.errs.get(p.errorCodes[i]) ?? 0) + p.errorCounts[i]);
  }
}

/** One rollup row as COPY text: `period` text first, then ROLL_COLUMNS. */
function rollLine(g: Roll, period: string, names: CopyNames): string {
  let buckets = g.buckets;
  let counts = g.counts;
  if (buckets.length > 1) {
    const order = buckets.map((_, i) => i).sort((a, b) => g.buckets[a] - g.buckets[b]);
    buckets = order.map((i) => g.buckets[i]);
    counts = order.map((i) => g.counts[i]);
  }
  let codes = "{}";
  let codeCounts = "{}";
  if (g.errs) {
    const errs = g.errs;
    const sorted = [...errs.keys()].filter((c) => errs.get(c)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    codes = copyText(textArray(sorted));
    codeCounts = `{${sorted.map((c) => errs.get(c)).join(",")}}`;
  }
  return (
    `${period}\t${names.of(g.p.orchestrator)}\t${names.of(g.p.region)}\t${names.of(g.p.pipeline)}\t${names.of(g.p.model)}\t` +
    `${g.probes}\t${g.successSum}\t${g.rttSum}\t${g.warm}\t${g.ok}\t{${buckets.join(",")}}\t{${counts.join(",")}}\t${codes}\t${codeCounts}\n`
  );
}

type Nested<V> = Map<string, Map<string, Map<string, Map<string, V>>>>;
/** The value of (orchestrator, region, pipeline, model), made by `make` the first time: nested maps keyed by the records' shared name strings. */
function groupOf<V>(m: Nested<V>, p: ProbeRecord, make: () => V): V {
  let a = m.get(p.orchestrator);
  if (!a) m.set(p.orchestrator, (a = new Map()));
  let b = a.get(p.region);
  if (!b) a.set(p.region, (b = new Map()));
  let c = b.get(p.pipeline);
  if (!c) b.set(p.pipeline, (c = new Map()));
  let v = c.get(p.model);
  if (v === undefined) c.set(p.model, (v = make()));
  return v;
}

interface Rollups {
  /** probe_day rows as COPY text (`day` first, then ROLL_COLUMNS). */
  day: Uint8Array;
  /** The days, pipelines and models whose official median these records change (those with an ok probe). */
  dirty: { day: string; pipeline: string; model: string }[];
}

/** The daily rollup increments of the records, in one pass: the sums the SQL above makes, without grouping rows in SQL. */
function rollupsOf(records: readonly ProbeRecord[]): Rollups {
  const groups: Nested<Map<number, Roll>> = new Map();
  const mk = () => new Map<number, Roll>();
  for (const p of records) {
    const days = groupOf(groups, p, mk);
    const day = Math.floor(p.ts / 86_400);
    let d = days.get(day);
    if (!d) days.set(day, (d = newRoll(day, p)));
    addTo(d, p);
  }
  const names = new CopyNames();
  let dayText = "";
  const dirty: Rollups["dirty"] = [];
  const dirtySeen = new Set<string>();
  for (const a of groups.values())
    for (const b of a.values())
      for (const c of b.values())
        for (const days of c.values()) {
          for (const d of days.values()) {
            const day = dayOf(d.period * 86_400);
            dayText += rollLine(d, day, names);
            if (d.ok) {
              const k = `${day}\u0000${d.p.pipeline}\u0000${d.p.model}`;
              if (!dirtySeen.has(k)) {
                dirtySeen.add(k);
                dirty.push({ day, pipeline: d.p.pipeline, model: d.p.model });
              }
            }
          }
        }
  return { day: utf8(dayText), dirty };
}

const sameKey = (a: ProbeRecord, b: ProbeRecord) =>
  a.ts === b.ts && a.orchestrator === b.orchestrator && a.region === b.region && a.pipeline === b.pipeline && a.model === b.model && a.fingerprint === b.fingerprint;

/** Drops repeats of one key inside an answer (an API row posted twice is one probe). Records are looked up by fingerprint, then compared. */
export function dedupe(records: readonly ProbeRecord[]): ProbeRecord[] {
  const seen = new Map<string, ProbeRecord | ProbeRecord[]>();
  const out: ProbeRecord[] = [];
  for (const p of records) {
    const s = seen.get(p.fingerprint);
    if (s === undefined) seen.set(p.fingerprint, p);
    else if (Array.isArray(s)) {
      if (s.some((q) => sameKey(p, q))) continue;
      s.push(p);
    } else {
      if (sameKey(p, s)) continue;
      seen.set(p.fingerprint, [s, p]);
    }
    out.push(p);
  }
  return out;
}
