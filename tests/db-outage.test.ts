// Postgres going away and coming back (issue 13, defect 1). A real Postgres behind a loopback TCP
// proxy that the test takes down (connections reset, new ones refused, as when the server stops)
// and brings back. While it is down every query, the health check and an indexer run must fail
// promptly with an error; once it is back, the same process answers again with no operator action.
// Before db/client.ts's socket factory stopped rejecting, each failed connect left a pool slot
// "connecting" forever, and after pool-size failures every query waited for good.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "../db/client";
import { loadIndexerConfig } from "../indexer/config";
import { runAllSources } from "../indexer/run";
import { startServer, type StartedServer } from "../server";
import { openTestDb, type TestDb } from "./helpers/db";
import { startTcpProxy, type TcpProxy } from "./helpers/tcp-proxy";

const POOL = 3;

/** The promise's outcome, or "hung" when it has not settled within ms. */
async function settle<T>(p: Promise<T>, ms: number): Promise<{ ok: true; value: T } | { ok: false; error: string } | "hung"> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<"hung">((resolve) => (timer = setTimeout(() => resolve("hung"), ms)));
  try {
    return await Promise.race([p.then((value) => ({ ok: true as const, value })), hung]);
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

async function healthz(url: string): Promise<number | "hung"> {
  try {
    return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(15_000) })).status;
  } catch {
    return "hung";
  }
}

/** Polls until the health check answers 200; returns how long it took. */
async function waitHealthy(url: string, withinMs: number): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < withinMs) {
    if ((await healthz(url)) === 200) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not healthy within ${withinMs} ms`);
}

describe.skipIf(!process.env.TEST_DATABASE_URL)("Postgres stops and starts again", () => {
  let owner: TestDb;
  let proxy: TcpProxy;
  let db: Db;
  let web: StartedServer;
  let logDir: string;

  beforeAll(async () => {
    owner = await openTestDb("postgres");
    const target = new URL(owner.url!);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(owner.url!);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    db = await openDb({ databaseUrl: viaProxy.toString(), poolSize: POOL });
    web = await startServer({ db, port: 0, host: "127.0.0.1" });
    logDir = fs.mkdtempSync(path.join(os.tmpdir(), "observatory-outage-"));
  });
  afterAll(async () => {
    await web?.close();
    await db?.close();
    await proxy?.close();
    await owner?.close();
    fs.rmSync(logDir, { recursive: true, force: true });
  });

  it("queries and /healthz fail promptly while it is down and answer again within seconds after, twice over", async () => {
    expect(await healthz(web.url)).toBe(200);
    for (let outage = 1; outage <= 2; outage++) {
      await proxy.down();
      // Four times the pool size, one after another and all at once: each must fail, none may hang.
      for (let i = 0; i < POOL * 2; i++) {
        const r = await settle(db.query("select 1 as ok"), 12_000);
        expect(r, `outage ${outage}, sequential query ${i}`).not.toBe("hung");
        expect((r as { ok: boolean }).ok).toBe(false);
      }
      const parallel = await Promise.all(Array.from({ length: POOL * 2 }, () => settle(db.query("select 1 as ok"), 12_000)));
      expect(parallel.filter((r) => r === "hung")).toEqual([]);
      expect(await healthz(web.url)).toBe(503);
      const tx = await settle(db.tx((q) => q.query("select 1")), 12_000);
      expect(tx).not.toBe("hung");
      expect((tx as { ok: boolean }).ok).toBe(false);

      await proxy.up();
      const took = await waitHealthy(web.url, 10_000);
      expect(took).toBeLessThan(10_000);
      const [{ n }] = await db.query<{ n: number }>("select 41 + 1 as n");
      expect(n).toBe(42);
    }
  });

  it("an indexer run during the outage fails instead of hanging, and the next run after it succeeds and is recorded", async () => {
    fs.writeFileSync(path.join(logDir, "gw.jsonl"), "");
    const config = {
      ...loadIndexerConfig({ NODE_ENV: "test", GATEWAY_LOG_DIR: logDir, GATEWAY_TAGS_FILE: "/nonexistent/tags.json" }),
      log: () => {},
    };
    await proxy.down();
    const during = await settle(runAllSources(db, config), 20_000);
    expect(during).not.toBe("hung");
    expect((during as { ok: boolean }).ok).toBe(false);
    await proxy.up();
    await waitHealthy(web.url, 10_000);
    const after = await runAllSources(db, config);
    expect(after.map((o) => [o.source, o.ok])).toEqual([
      ["partitions", true],
      ["prices", true],
      ["joblogs", true],
    ]);
    const runs = await db.query<{ source: string; ok: boolean }>(`select source, ok from indexer_runs order by id`);
    expect(runs.filter((r) => r.ok).map((r) => r.source)).toEqual(["partitions", "prices", "joblogs"]);
  });
});
