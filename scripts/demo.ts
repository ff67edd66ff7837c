// `npm run demo`: the whole product on one machine with no other service. Generates the demo
// network (a local stand-in for the Livepeer subgraph, clearly labelled as demo data), serves it over
// HTTP on loopback, writes gateway job logs that agree with it (data/demo/joblogs), indexes both into
// a fresh embedded PGlite database exactly as real sources would be indexed, then serves the
// dashboard on PORT (default 3000) with the scheduler running and job lines still being appended.
import fs from "node:fs";
import path from "node:path";
import { environmentWith, settings } from "../core/settings";
import { openDb } from "../db/client";
import { loadIndexerConfig } from "../indexer/config";
import { generateDemoNetwork } from "../indexer/demo/generate";
import { generateDemoJobLogs, startJobLogAppender, writeDemoJobLogs } from "../indexer/demo/job-logs";
import { startDemoSubgraph } from "../indexer/demo/subgraph-server";
import { runAllSources } from "../indexer/run";
import { startScheduler } from "../indexer/scheduler";
import { startServer } from "../server";
import { exitOnSignals } from "../server/shutdown";

const DEMO_LOG_DAYS = 140;

async function main() {
  const s = settings();
  const dataDir = path.resolve(s.DEMO_DATA_DIR);
  const pgliteDir = path.join(dataDir, "pglite");
  // The demo network is anchored on today, so yesterday's demo database would not match it.
  fs.rmSync(pgliteDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });

  const t0 = Date.now();
  const network = generateDemoNetwork({ seed: s.DEMO_SEED });
  const subgraph = await startDemoSubgraph({ network, port: s.DEMO_SUBGRAPH_PORT });
  console.log(`Demo network: ${network.meta.startDay} .. ${network.meta.endDay}, served at ${subgraph.url}`);

  const tagsFile = path.join(dataDir, "gateway-tags.json");
  const { subsidizedGateway, subsidy, gateways } = network.meta;
  fs.writeFileSync(
    tagsFile,
    JSON.stringify(
      {
        gateways: gateways.map((g: { address: string; label: string }) =>
          g.address === subsidizedGateway
            ? { address: g.address, tag: "subsidized", label: g.label, from: subsidy.from, to: subsidy.to }
            : { address: g.address, tag: "organic", label: g.label },
        ),
      },
      null,
      2,
    ),
  );

  // Gateway job logs that agree with the network's tickets; the rest of today is appended as it comes.
  const logDir = path.join(dataDir, "joblogs");
  fs.rmSync(logDir, { recursive: true, force: true });
  const nowMs = Date.now();
  // 140 days: the subsidy window and the weeks before it, so reports of the window have AI jobs too.
  const jobLogs = generateDemoJobLogs(network, { nowMs, days: DEMO_LOG_DAYS });
  writeDemoJobLogs(logDir, jobLogs, nowMs);
  console.log(`Demo job logs: ${jobLogs.due.length.toLocaleString("en-US")} jobs since ${jobLogs.firstDay} in ${logDir} (one rotated .gz), more appended as the day goes on`);

  const config = {
    ...loadIndexerConfig(environmentWith({ SUBGRAPH_URL: subgraph.url, GATEWAY_TAGS_FILE: tagsFile, GATEWAY_LOG_DIR: logDir })),
    schedule: s.INDEXER_SCHEDULE ?? "* * * * *",
  };
  const db = await openDb({ pgliteDir, databaseUrl: "" });
  console.log(`Indexing the demo network into ${db.label} ...`);
  const firstRun = await runAllSources(db, config);
  const failed = firstRun.find((o) => !o.ok);
  if (failed) throw new Error(`The first indexing run failed (${failed.source}): ${failed.error}`);
  for (const o of firstRun) console.log(`Indexed ${o.source}: ${o.rowsWritten.toLocaleString("en-US")} rows in ${o.seconds.toFixed(1)} s.`);
  const appender = startJobLogAppender(logDir, jobLogs.later);

  const scheduler = startScheduler(db, config);
  const server = await startServer({ db, port: s.PORT });
  console.log(`\nObservatory (DEMO DATA) is ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${server.url}`);
  console.log(`The indexer re-reads the demo subgraph on '${config.schedule}' (UTC); Ctrl-C stops everything.`);

  exitOnSignals([
    { name: "the job log appender", run: async () => appender.stop() },
    { name: "the indexer run in progress", run: async () => scheduler?.stop() },
    { name: "requests in flight", run: () => server.close() },
    { name: "the demo subgraph", run: () => subgraph.close() },
    { name: "the database", run: () => db.close() },
  ]);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
