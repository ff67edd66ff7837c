// Reads on a streaming replica (issue 13): with DATABASE_READ_URL set, the web server's page and API
// reads (GET and HEAD; nothing they run writes) go to a Postgres hot standby, and everything else
// (pushes, saved reports, the indexer) to the primary. A check every CHECK_MS asks the standby how far
// behind it is; while it is down, not a standby, or more than REPLICA_MAX_LAG_SECONDS behind, reads go
// to the primary, and they return by themselves when it is healthy again. A read that fails on the
// standby is retried once on the primary, so a standby dying between checks costs no answer.
//
// Lag: 0 when the standby has applied all the WAL it has received (it is as fresh as its stream),
// else the age of the last transaction it replayed. The standby's own clock and the primary's are
// the same machine's or NTP's: seconds, not milliseconds, matter here.
import type { Db, Session, TxQuerier } from "./client";
import { openDb } from "./client";

export interface ReplicaStatus {
  /** The replica's address without credentials. */
  label: string;
  /** Whether page and API reads go to it now. */
  serving: boolean;
  /** Seconds behind the primary at the last check; null when it could not be asked. */
  lagSeconds: number | null;
  maxLagSeconds: number;
  checkedAt: string | null;
  /** Why reads go to the primary, when they do. */
  reason: string | null;
}

export interface ReadRouter {
  /** The Db that GET and HEAD handlers read: the replica while it is healthy, else the primary. */
  reads: Db;
  status(): ReplicaStatus;
  close(): Promise<void>;
}

export const CHECK_MS = 2_000;

export async function openReadRouter(primary: Db, url: string, maxLagSeconds: number, opts: { checkMs?: number } = {}): Promise<ReadRouter> {
  const replica = await openDb({ databaseUrl: url, migrate: false, poolSize: 10 });
  const state: ReplicaStatus = { label: replica.label, serving: false, lagSeconds: null, maxLagSeconds, checkedAt: null, reason: "not checked yet" };

  const check = async (): Promise<void> => {
    try {
      const [r] = await replica.query<{ standby: boolean; lag: number | null }>(
        `select pg_is_in_recovery() as standby,
                case when pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0
                     else extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 end as lag`,
      );
      state.lagSeconds = r.lag === null ? null : Math.max(0, Number(r.lag));
      if (!r.standby) state.reason = "DATABASE_READ_URL is not a standby (pg_is_in_recovery() is false)";
      else if (state.lagSeconds === null) state.reason = "the standby has not replayed anything yet";
      else if (state.lagSeconds > maxLagSeconds) state.reason = `the standby is ${state.lagSeconds.toFixed(1)} s behind (bound ${maxLagSeconds} s)`;
      else state.reason = null;
    } catch (e) {
      state.lagSeconds = null;
      state.reason = `the standby does not answer: ${(e as Error).message.split("\n")[0].slice(0, 200)}`;
    }
    state.serving = state.reason === null;
    state.checkedAt = new Date().toISOString();
  };
  await check();
  const timer = setInterval(() => void check(), opts.checkMs ?? CHECK_MS);
  timer.unref();

  // A read on the standby that fails (it went away since the last check) is asked of the primary.
  const read = async <T>(fn: (db: Db) => Promise<T>): Promise<T> => {
    if (!state.serving) return fn(primary);
    try {
      return await fn(replica);
    } catch (e) {
      if (!isConnectionError(e)) throw e;
      state.serving = false;
      state.reason = `the standby failed a read: ${(e as Error).message.split("\n")[0].slice(0, 200)}`;
      return fn(primary);
    }
  };
  const reads: Db = {
    ...primary,
    label: `${primary.label} (reads: ${replica.label} when in step)`,
    query: <T>(text: string, params?: unknown[]) => read((d) => d.query<T>(text, params)),
    tx: <T>(fn: (q: TxQuerier) => Promise<T>) => read((d) => d.tx(fn)),
    session: <T>(fn: (s: Session) => Promise<T>) => read((d) => d.session(fn)),
    close: async () => {},
  };
  return {
    reads,
    status: () => ({ ...state }),
    async close() {
      clearInterval(timer);
      await replica.close();
    },
  };
}

function isConnectionError(e: unknown): boolean {
  const code = (e as { code?: string }).code ?? "";
  // Connection failures (postgres.js and node), and SQLSTATE class 08 (connection exception), 57P (shutdown).
  return /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|CONNECTION_|CONNECT_TIMEOUT)/.test(code) || /^(08|57P)/.test(code);
}
