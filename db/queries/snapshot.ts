// One read-only, repeatable-read transaction: every query run inside sees the same committed state,
// so figures computed together (an impact report and its provenance) agree with each other.
import type { Db, Querier } from "../client";

export async function inReadOnlySnapshot<T>(db: Pick<Db, "tx">, fn: (q: Querier) => Promise<T>): Promise<T> {
  return db.tx(async (q) => {
    await q.query("set transaction isolation level repeatable read, read only");
    return fn(q);
  });
}
