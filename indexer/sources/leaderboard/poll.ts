// One poll of the AI leaderboard API: its regions and pipelines, then every orchestrator the subgraph
// knows (active, or with fees in the last 90 days), a few at a time, each through windows of the
// API's insert time. The API filters `since`/`until` on when it stored a row (events.event_time, set
// by the server at the POST), not on the row's own `timestamp`, so each orchestrator keeps a cursor:
// the `until` of its last stored window. The next window starts OVERLAP_S before it:
//   - an insert's event_time is its transaction's start, and the API's statements run up to 20 s
//     (DB_TIMEOUT), so a row stamped just before our `until` can become visible up to 20 s after;
//   - answers are cacheable for 45 s (max-age=30, stale-while-revalidate=15) at a CDN;
//   - `until` is our clock, the insert time is theirs: minutes of skew are covered.
// 15 minutes covers all three with room, and costs little: rows read twice are the same rows, kept
// once by their natural key (store.ts). A first poll reads LEADERBOARD_BACKFILL_DAYS of history in
// windows of at most 7 days (one request each, under the API's 20 s query limit), each committed with
// its cursor, with progress on the status page. A failing query (network, timeout, 429/5xx, a body
// that is not JSON, such as the NaN the API's scorer can produce) is retried with backoff and
// Retry-After (indexer/http-json.ts), then recorded for that orchestrator (probe_cursors), whose cursor
// stays at its last stored window; the other orchestrators go on. Three stages overlap: fetches (a few
// at a time) on the main thread, parsing and preparing on a thread of their own (prepare-worker.ts),
// and the writes, one transaction at a time, on the main thread.
import { parsePipelines, parseRegions, type PipelineRef, type RegionRef } from "../../../core/probes/raw";
import { Slots } from "../../../core/slots";
import type { Db } from "../../../db/client";
import { beforeHorizonReason, ensureMonths, horizonOf } from "../../../db/partitions";
import type { LeaderboardConfig } from "../../config";
import { getBody, getJson } from "../../http-json";
import { Progress } from "../../progress";
import { addStats } from "../../source-stats";
import type { PreparedWindow } from "./prepare";
import { ProbePreparer } from "./preparer";
import { WindowQueue } from "./window-queue";
import { advanceCursor, insertPrepared, orchestratorsToPoll, readCursors, recordFailure, refreshDailyMedians, saveReference } from "./store";

export const LEADERBOARD_SOURCE = "leaderboard";
/** Each window starts this long before the previous one's end (see above). */
export const OVERLAP_S = 15 * 60;
/** Longest window of one request. */
export const WINDOW_S = 7 * 86_400;

export interface PollFailure {
  /** An orchestrator's address, or "regions" / "pipelines". */
  what: string;
  error: string;
}

export interface PollResult {
  orchestrators: number;
  windows: number;
  read: number;
  stored: number;
  duplicates: number;
  rejected: number;
  failures: PollFailure[];
}

export interface PollOptions {
  log: (line: string) => void;
  /** Unix seconds of "now" (tests); default the clock. */
  nowS?: number;
  sleep?: (ms: number) => Promise<void>;
}

interface Window {
  since: number;
  until: number;
}

/** The windows from `start` to `now`: consecutive, each at most WINDOW_S long, the last ending at now. */
export function windowsFrom(start: number, now: number): Window[] {
  const out: Window[] = [];
  let since = Math.min(start, now);
  do {
    const until = Math.min(since + WINDOW_S, now);
    out.push({ since, until });
    since = until;
  } while (since < now);
  return out;
}

export function rawStatsUrl(base: string, orchestrator: string, w: Window): string {
  const q = new URLSearchParams({ orchestrator: orchestrator.toLowerCase(), job_type: "ai", since: String(w.since), until: String(w.until) });
  return `${base}/api/raw_stats?${q}`;
}

const short = (a: string) => (a.startsWith("0x") && a.length === 42 ? `${a.slice(0, 10)}…` : a);

export async function pollLeaderboard(db: Db, c: LeaderboardConfig, opts: PollOptions): Promise<PollResult> {
  const now = opts.nowS ?? Math.floor(Date.now() / 1000);
  const tag = `[${LEADERBOARD_SOURCE}]`;
  const httpOptions = (what: string) => ({
    what: `leaderboard API (${what})`,
    timeoutMs: c.timeoutMs,
    retry: c.retry,
    sleep: opts.sleep,
    onRetry: (attempt: number, delay: number, e: Error) => opts.log(`${tag} ${what}: ${e.message}; retry ${attempt} in ${delay} ms`),
  });
  const get = (url: string, what: string) => getJson(url, httpOptions(what));
  const result: PollResult = { orchestrators: 0, windows: 0, read: 0, stored: 0, duplicates: 0, rejected: 0, failures: [] };
  const notBeforeMs = await horizonOf(db, "probes");

  // Reference lists: a failure is recorded, the probes are still read.
  let regions: RegionRef[] | null = null;
  let pipelines: PipelineRef[] | null = null;
  try {
    regions = parseRegions(await get(`${c.url}/api/regions`, "regions"));
  } catch (e) {
    result.failures.push({ what: "regions", error: (e as Error).message });
  }
  try {
    pipelines = parsePipelines(await get(`${c.url}/api/pipelines`, "pipelines"));
  } catch (e) {
    result.failures.push({ what: "pipelines", error: (e as Error).message });
  }
  if (regions || pipelines) await db.tx((q) => saveReference(q, regions, pipelines));

  const orchestrators = await orchestratorsToPoll(db);
  const cursors = await readCursors(db);
  result.orchestrators = orchestrators.length;
  const plan = orchestrators.map((o) => {
    const cursor = cursors.get(o) ?? null;
    // A cursor however old is honoured: a long outage is read up, never skipped.
    const start = cursor === null ? now - c.backfillDays * 86_400 : cursor - OVERLAP_S;
    return { orchestrator: o, first: cursor === null, windows: windowsFrom(start, now), start };
  });
  const total = plan.reduce((n, p) => n + p.windows.length, 0);
  const progress = new Progress(LEADERBOARD_SOURCE, opts.log);
  progress.phase = plan.some((p) => p.first) ? "backfill" : "poll";
  progress.fraction = total ? 0 : 1;

  // Writes one at a time, in the order fetches finish.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = chain.then(fn);
    chain = p.catch(() => undefined);
    return p;
  };
  let fatal: unknown = null;

  /** One window of one orchestrator, fetched and prepared; null when its query failed (recorded). */
  const fetchWindow = async (item: (typeof plan)[number], w: Window): Promise<PreparedWindow | null> => {
    const { orchestrator } = item;
    try {
      const what = `raw_stats ${short(orchestrator)}`;
      const body = await getBody(rawStatsUrl(c.url, orchestrator, w), httpOptions(what));
      return await preparer.prepare(body, orchestrator, notBeforeMs, `leaderboard API (${what})`);
    } catch (e) {
      const error = `${(e as Error).message} (window ${new Date(w.since * 1000).toISOString()} .. ${new Date(w.until * 1000).toISOString()})`;
      result.failures.push({ what: orchestrator, error });
      opts.log(`${tag} ${orchestrator}: ${error}; its cursor stays`);
      await serial(() => recordFailure(db, orchestrator, error)).catch(stop);
      return null;
    }
  };

  /** A prepared window stored with its cursor; a failed write is fatal. */
  const storeWindow = async (item: (typeof plan)[number], w: Window, prepared: PreparedWindow): Promise<void> => {
    const { orchestrator } = item;
    // Probes stamped where RAW_RETENTION_DAYS dropped raw probes are in final rollups: not stored again.
    if (prepared.beforeCut) opts.log(`${tag} ${orchestrator}: ${prepared.beforeCut} probes refused, ${beforeHorizonReason(notBeforeMs)}`);
    const { read, rejected } = prepared;
    if (prepared.unreadable) opts.log(`${tag} ${orchestrator}: ${prepared.unreadable} rows rejected, e.g. ${prepared.unreadableReason}`);
    await serial(async () => {
      await ensureMonths(db, "probes", prepared.months); // before the transaction (db/partitions.ts)
      return db.tx(async (q) => {
        // Probes and cursor commit together, so a crash can only lose both and the next run reads
        // that window again: no need to wait for the WAL flush (as the job logs, decision 005).
        await q.query("set local synchronous_commit = off");
        const inserted = await insertPrepared(q, prepared);
        await advanceCursor(q, orchestrator, w.until, item.first ? item.start : null, inserted);
        await addStats(q, LEADERBOARD_SOURCE, { read, accepted: inserted, duplicates: read - rejected - inserted, rejected });
        result.windows++;
        result.read += read;
        result.stored += inserted;
        result.duplicates += read - rejected - inserted;
        result.rejected += rejected;
        progress.done = result.stored;
        progress.fraction = total ? result.windows / total : 1;
        await progress.report(q);
      });
    });
  };

  // c.concurrency windows are fetched and prepared at once; a prepared window waits for its turn to
  // be written (one transaction at a time) while its fetch slot reads the next ready window, with at
  // most c.concurrency prepared windows waiting (their COPY texts are in memory). The order of the
  // windows is window-queue.ts's: earliest round first, each orchestrator's in order.
  const queue = new WindowQueue(plan.filter((p) => p.windows.length > 0));
  /** A failed write ends the poll: nothing more is read, what is under way finishes. */
  function stop(e: unknown): void {
    fatal ??= e;
    queue.close();
  }
  const waitingToWrite = new Slots(c.concurrency);
  const writes = new Set<Promise<void>>();
  const preparer = new ProbePreparer();
  try {
    const fetcher = async () => {
      for (let job = await queue.take(); job; job = await queue.take()) {
        const { item, round } = job;
        const w = item.windows[round];
        const prepared = await fetchWindow(item, w);
        if (!prepared || fatal) {
          queue.done(); // no window after a failed one: its cursor stays there
          continue;
        }
        await waitingToWrite.acquire();
        const write: Promise<void> = storeWindow(item, w, prepared).then(
          () => queue.done(round + 1 < item.windows.length ? { item, round: round + 1 } : undefined),
          stop,
        ).finally(() => {
          waitingToWrite.release();
          writes.delete(write);
        });
        writes.add(write);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, c.concurrency) }, fetcher));
    while (writes.size) await Promise.all([...writes]);
    await chain;
  } finally {
    await preparer.close();
  }
  if (fatal) throw fatal;

  await db.tx(async (q) => {
    await refreshDailyMedians(q);
    progress.fraction = 1;
    await progress.report(q, true);
  });
  return result;
}
