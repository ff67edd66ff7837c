// Exactly once through kill -9: `npm run indexer -- once` as a real child process evaluates a rule
// that fires (the subgraph source fails: nothing listens on its port) and is SIGKILLed right after
// the alert state and its outbox row commit, before anything is sent. The next run delivers it once;
// the one after sends nothing (the alert still holds: it stays quiet).
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../db/client";
import { startWebhookReceiver, type WebhookReceiver } from "../indexer/demo/webhook-receiver";
import { backends, openTestDb, type TestDb } from "./helpers/db";
import { runIndexer } from "./helpers/indexer-process";
import { count, tempDir } from "./helpers/joblogs";

const SECRET = "crash-test-secret";

describe.each(backends())("alert delivery through kill -9 on %s", (backend) => {
  let receiver: WebhookReceiver;
  let dir: string;
  let pg: TestDb | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    receiver = await startWebhookReceiver({ secret: SECRET });
    dir = tempDir("observatory-alerts-crash-");
    const closed = await startWebhookReceiver();
    const deadPort = closed.port;
    await closed.close();
    const rules = path.join(dir, "alerts.json");
    fs.writeFileSync(
      rules,
      JSON.stringify({
        targets: { ops: { type: "webhook", url: `${receiver.url}/hook`, secret: SECRET } },
        rules: [{ name: "subgraph-failing", subject: "subgraph", when: { metric: "source.failing" }, notify: ["ops"] }],
      }),
    );
    env = { ALERTS_FILE: rules, SUBGRAPH_URL: `http://127.0.0.1:${deadPort}/subgraphs/name/x`, SUBGRAPH_MAX_RETRIES: "0", SUBGRAPH_TIMEOUT_MS: "2000" };
    if (backend === "postgres") {
      pg = await openTestDb("postgres");
      env.DATABASE_URL = pg.url!;
    } else env.PGLITE_DIR = path.join(dir, "pglite");
  });
  afterAll(async () => {
    await receiver?.close();
    await pg?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function outbox(): Promise<{ queued: number; delivered: number; events: number }> {
    const db = pg ?? (await openDb({ pgliteDir: env.PGLITE_DIR, databaseUrl: "" }));
    try {
      return {
        queued: await count(db, `select count(*) as n from alert_outbox`),
        delivered: await count(db, `select count(*) as n from alert_outbox where delivered_at is not null`),
        events: await count(db, `select count(*) as n from alert_events`),
      };
    } finally {
      if (!pg) await db.close();
    }
  }

  it("committed before the kill, delivered once after the restart, never again while it holds", async () => {
    const killed = await runIndexer({ ...env, OBSERVATORY_CRASH_AT: "after-alert-commit@1" });
    expect(killed.signal, killed.out).toBe("SIGKILL");
    expect(receiver.deliveries).toHaveLength(0);
    expect(await outbox()).toEqual({ queued: 1, delivered: 0, events: 1 });

    const second = await runIndexer(env);
    expect(second.code, second.out).toBe(1); // the subgraph source still fails
    expect(receiver.deliveries).toHaveLength(1);
    expect(receiver.deliveries[0].verified).toBe(true);
    expect(receiver.deliveries[0].json).toMatchObject({ rule: "subgraph-failing", subject: "subgraph", state: "firing", value: 1, threshold: 0 });

    await runIndexer(env);
    expect(receiver.deliveries).toHaveLength(1);
    expect(await outbox()).toEqual({ queued: 1, delivered: 1, events: 1 });
  });
});
