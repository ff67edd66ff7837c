// `npm run indexer -- once` as a user runs it: a real child process, a real PGlite directory, the
// demo subgraph on loopback. Exit codes and messages are the interface.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../db/client";
import { generateDemoNetwork } from "../indexer/demo/generate";
import { startDemoSubgraph, type DemoSubgraph } from "../indexer/demo/subgraph-server";

const tsx = path.resolve("node_modules/.bin/tsx");

function runOnce(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(tsx, ["indexer/main.ts", "once"], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NODE_ENV: "production", ...env },
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code) => resolve({ code, out }));
  });
}

describe("npm run indexer -- once", () => {
  let server: DemoSubgraph;
  let dir: string;
  beforeAll(async () => {
    const network = generateDemoNetwork({ seed: 3, endDay: "2026-03-31" });
    server = await startDemoSubgraph({ network, now: () => Date.parse("2026-03-31T12:00:00Z") });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "observatory-cli-"));
  });
  afterAll(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("indexes every configured source and exits 0; progress goes to the terminal", async () => {
    const r = await runOnce({ SUBGRAPH_URL: server.url, PGLITE_DIR: path.join(dir, "a") });
    expect(r.out).toMatch(/subgraph: ok in [\d.]+ s, \d+ rows written, block \d+/);
    expect(r.out).toMatch(/\[subgraph\] tickets: [\d,]+ rows [\d.]+%, [\d,]+ rows\/s/);
    expect(r.code).toBe(0);
  });

  it("exits 1 with the reason when the subgraph cannot be reached", async () => {
    const r = await runOnce({ SUBGRAPH_URL: "http://127.0.0.1:9/subgraphs/name/x", SUBGRAPH_MAX_RETRIES: "1", SUBGRAPH_RETRY_BASE_MS: "1", PGLITE_DIR: path.join(dir, "b") });
    expect(r.out).toMatch(/subgraph: FAILED .*Network error reaching the subgraph/);
    expect(r.code).toBe(1);
  });

  it("exits 1 and says what to set when nothing is configured or the config is bad", async () => {
    const none = await runOnce({ PGLITE_DIR: path.join(dir, "c") });
    expect(none.out).toMatch(/No sources are configured: set SUBGRAPH_URL/);
    expect(none.code).toBe(1);
    const bad = await runOnce({ SUBGRAPH_URL: "not a url", INDEXER_SCHEDULE: "every tuesday", PGLITE_DIR: path.join(dir, "c") });
    expect(bad.out).toMatch(/SUBGRAPH_URL: .*\n.*INDEXER_SCHEDULE/);
    expect(bad.code).toBe(1);
  });

  it("refuses a PGlite directory another process has open (exit 3, like the Postgres writer lock)", async () => {
    const held = await openDb({ pgliteDir: path.join(dir, "d"), databaseUrl: "" });
    try {
      const r = await runOnce({ SUBGRAPH_URL: server.url, PGLITE_DIR: path.join(dir, "d") });
      expect(r.out).toMatch(/is open in another process \(pid \d+\)/);
      expect(r.code).toBe(3);
    } finally {
      await held.close();
    }
  });
});
