// Only one indexer writes at a time: a second `npm run indexer -- once` exits at once with code 3
// and says why, on PGlite (the directory lock) and on Postgres (the advisory lock). A directory
// whose owner died is free again at once (db/pglite-lock.ts).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
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

describe("the PGlite directory lock after its owner dies", () => {
  it("a restart right after kill -9 opens the directory, even while the dead owner is an unreaped zombie", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "observatory-lock-"));
    // The holder's parent is `sleep`, which never reaps it: after kill -9 it stays a zombie, and
    // kill(pid, 0) still succeeds on it (what the old pid-file lock trusted).
    const holderScript = `import { openDb } from "./db/client.ts"; await openDb({ pgliteDir: ${JSON.stringify(dir)}, databaseUrl: "" }); console.log("holding " + process.pid); setInterval(() => {}, 1000);`;
    const parent = spawn("sh", ["-c", `${JSON.stringify(process.execPath)} --import tsx --input-type=module -e ${shellQuote(holderScript)} & exec sleep 60`], { cwd: process.cwd() });
    try {
      const pid = await new Promise<number>((resolve, reject) => {
        let out = "";
        parent.stdout.on("data", (d) => {
          out += d;
          const m = /holding (\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        parent.once("close", () => reject(new Error(`holder ended: ${out}`)));
      });
      // While it lives, a second opener is refused and told who holds the directory.
      await expect(openDb({ pgliteDir: dir, databaseUrl: "" })).rejects.toThrow(new RegExp(`open in another process \\(pid ${pid}\\)`));
      process.kill(pid, "SIGKILL");
      await expect.poll(() => fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0], { timeout: 5_000 }).toBe("Z");
      const db = await openDb({ pgliteDir: dir, databaseUrl: "" });
      const [{ n }] = await db.query<{ n: number }>("select count(*)::int as n from source_state");
      expect(n).toBeGreaterThanOrEqual(0);
      await db.close();
    } finally {
      parent.kill("SIGKILL");
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("an old pid file naming a live process (pid reuse after a reboot) does not lock the directory", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "observatory-lock-"));
    try {
      fs.writeFileSync(path.join(dir, "observatory.lock"), "1"); // init: always alive, never ours
      const db = await openDb({ pgliteDir: dir, databaseUrl: "" });
      await db.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
