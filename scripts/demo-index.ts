// The demo's first indexing runs, in a child process of scripts/demo.ts (issue 13: the demo's
// resident memory). Indexing 180 days of tickets, 140 days of job logs and 14 days of gateway events
// grows PGlite's WebAssembly memory (big COPYs, index builds, sorts), which never shrinks, and leaves
// the process's native heap fragmented; done here, all of it goes when this process exits, and the
// serving process opens the indexed directory fresh. The indexer configuration comes from the
// environment the parent sets (its stand-ins' URLs and the demo's files); the outcomes go back over
// the IPC channel.
import { openDb } from "../db/client";
import { loadIndexerConfig } from "../indexer/config";
import { runAllSources } from "../indexer/run";

async function main() {
  const pgliteDir = process.argv[2];
  if (!pgliteDir || !process.send) throw new Error("scripts/demo-index.ts is started by scripts/demo.ts (fork, with the PGlite directory as argument)");
  const config = loadIndexerConfig();
  const db = await openDb({ pgliteDir, databaseUrl: "" });
  try {
    // The events' network_capabilities first, so the advertised history starts with the files'
    // first day; then the gateway's answer of now (a poll older than the history would be skipped).
    const firstRun = await runAllSources(db, { ...config, capabilities: undefined });
    const secondRun = await runAllSources(db, config);
    await new Promise<void>((resolve, reject) => process.send!({ firstRun, secondRun }, undefined, {}, (e: Error | null) => (e ? reject(e) : resolve())));
  } finally {
    await db.close();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
