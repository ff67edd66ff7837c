// The bulk path's contract with each engine (db/client.ts copyIn): a COPY the server rejects must
// reject promptly with the server's error, wherever in the data the bad row is (first, middle or
// last row of a large COPY), and leave the transaction usable after ROLLBACK TO SAVEPOINT. The job
// ingest relies on this to fall back from COPY into jobs to ON CONFLICT (decision 005). On Postgres,
// postgres.js alone hangs when the error comes after the last row was sent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, openTestDb, type TestDb } from "./helpers/db";

const ROWS = 200_000;

describe.each(backends())("COPY errors on %s", (backend) => {
  let db: TestDb;

  beforeAll(async () => {
    db = await openTestDb(backend);
    await db.query(`create table copy_probe (k text primary key, v int not null)`);
  });
  afterAll(async () => {
    await db?.close();
  });

  it.each(["first", "middle", "last"] as const)(
    "a unique violation in the %s row rejects with 23505; the transaction goes on after ROLLBACK TO SAVEPOINT",
    async (where) => {
      await db.query(`truncate copy_probe`);
      await db.query(`insert into copy_probe values ('taken', 0)`);
      const rows = Array.from({ length: ROWS }, (_, i) => `${where}-${i}\t${i}`);
      const at = where === "first" ? 0 : where === "middle" ? ROWS / 2 : ROWS;
      rows.splice(at, 0, "taken\t1");
      const data = Buffer.from(rows.join("\n") + "\n");

      const outcome = await db.tx(async (q) => {
        await q.query("savepoint probe");
        let error: { code?: string } | null = null;
        try {
          await q.copyIn("copy_probe", ["k", "v"], data);
        } catch (e) {
          error = e as { code?: string };
          await q.query("rollback to savepoint probe");
        }
        await q.query("release savepoint probe");
        // The same transaction still works: a good COPY and a query after the failed one.
        await q.copyIn("copy_probe", ["k", "v"], Buffer.from(`after-${where}\t7\n`));
        const [{ n }] = await q.query<{ n: number }>(`select count(*)::int as n from copy_probe`);
        return { code: error?.code, n };
      });

      expect(outcome).toEqual({ code: "23505", n: 2 });
      const [{ n }] = await db.query<{ n: number }>(`select count(*)::int as n from copy_probe`);
      expect(n).toBe(2); // 'taken' and the row COPYed after the rollback; nothing of the failed COPY
    },
  );

  it("a COPY with no error stores every row", async () => {
    await db.query(`truncate copy_probe`);
    const data = Buffer.from(Array.from({ length: ROWS }, (_, i) => `ok-${i}\t${i}`).join("\n") + "\n");
    await db.tx((q) => q.copyIn("copy_probe", ["k", "v"], data));
    const [{ n, s }] = await db.query<{ n: number; s: string }>(`select count(*)::int as n, sum(v)::text as s from copy_probe`);
    expect({ n, s }).toEqual({ n: ROWS, s: String((ROWS * (ROWS - 1)) / 2) });
  });
});
