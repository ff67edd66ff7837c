// Only one indexer writes at a time: a second `npm run indexer -- once` exits at once with code 3
// and says why, on PGlite (the directory lock) and on Postgres (the advisory lock).
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../db/client";
import { backends, openTestDb, type TestDb } from "./helpers/db";
import { runIndexer } from "./helpers/indexer-process";
import { count, lines, tempDir, write } from "./helpers/joblogs";

describe("a second indexer", () => {
  let logs: string;
  beforeAll(() => {
    logs = tempDir();
    write(logs, "gw.jsonl", lines(0, 100).join("\n") + "\n");
  });
  afterAll(() => fs.rmSync(logs, { recursive: true, force: true }));

  it("exits 3 at once when another process has the PGlite directory open", async () => {
    const pgliteDir = path.join(logs, "..", path.basename(logs) + "-pglite");
    const held = await openDb({ pgliteDir, databaseUrl: "" });
    try {
      const r = await runIndexer({ PGLITE_DIR: pgliteDir, GATEWAY_LOG_DIR: logs });
      expect(r.out).toMatch(/The PGlite directory .* is open in another process \(pid \d+\)/);
      expect(r.code).toBe(3);
      expect(await count(held, `select count(*) as n from jobs`)).toBe(0);
    } finally {
      await held.close();
      fs.rmSync(pgliteDir, { recursive: true, force: true });
    }
  });

  describe.skipIf(!backends().includes("postgres"))("on Postgres", () => {
    let db: TestDb;
    beforeAll(async () => {
      db = await openTestDb("postgres");
    });
    afterAll(async () => {
      await db?.close();
    });

    it("exits 3 at once while another indexer holds the writer lock, then runs once it is free", async () => {
      const holder = await db.sql!.reserve();
      try {
        await holder`select pg_advisory_lock(7217701)`;
        const r = await runIndexer({ DATABASE_URL: db.url!, GATEWAY_LOG_DIR: logs });
        expect(r.out).toMatch(/Another indexer is writing to this database right now; this run exits without doing anything/);
        expect(r.code).toBe(3);
        expect(await count(db, `select count(*) as n from jobs`)).toBe(0);
      } finally {
        await holder`select pg_advisory_unlock(7217701)`;
        holder.release();
      }
      const r = await runIndexer({ DATABASE_URL: db.url!, GATEWAY_LOG_DIR: logs });
      expect(r.out).toMatch(/joblogs: ok in [\d.]+ s, 100 rows written/);
      expect(r.code).toBe(0);
    });
  });
});
