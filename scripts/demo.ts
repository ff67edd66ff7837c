// `npm run demo`: the whole product on one machine with no other service. Generates the demo
// network (a local stand-in for the Livepeer subgraph, clearly labelled as demo data), serves it over
// HTTP on loopback together with a demo gateway's /getNetworkCapabilities, writes the AI traffic its
// tickets were paid with: gateway job logs (data/demo/joblogs) and Kafka gateway events of live
// video sessions (data/demo/events), indexes all of it into a fresh embedded PGlite database exactly
// as real sources would be indexed, then serves the dashboard on PORT (default 3000) with the
// scheduler running and job lines and events still being appended.
import { fork } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { environmentWith, setForThisProcess, settings } from "../core/settings";
import { openDb } from "../db/client";
import { loadIndexerConfig } from "../indexer/config";
import { stageSubgraphOutage, startDemoAlerts } from "../indexer/demo/alerts";
import { generateDemoEvents, startDemoGateway, startEventAppender, writeDemoEvents } from "../indexer/demo/gateway";
import { generateDemoNetwork } from "../indexer/demo/generate";
import { writeDemoProgramsFile } from "../indexer/demo/bootstrap-program";
import { demoProgramsOf, writeDemoRecipients } from "../indexer/demo/programs";
import { generateDemoJobLogs, startJobLogAppender, writeDemoJobLogs } from "../indexer/demo/job-logs";
import { demoProbeSchedule, startLeaderboardStandIn } from "../indexer/demo/leaderboard-server";
import { startDemoSubgraph } from "../indexer/demo/subgraph-server";
import type { SourceOutcome } from "../indexer/run";
import { startScheduler } from "../indexer/scheduler";
import { startServer } from "../server";
import { exitOnSignals } from "../server/shutdown";

const DEMO_LOG_DAYS = 140;
/** Days of live video sessions in the event files (the /live page shows the last 7 by default). */
const DEMO_EVENT_DAYS = 14;

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
  const gateway = await startDemoGateway({ network });
  console.log(`Demo network: ${network.meta.startDay} .. ${network.meta.endDay}, served at ${subgraph.url}; its gateway at ${gateway.url}`);
  const leaderboard = await startLeaderboardStandIn({ schedule: demoProbeSchedule(network, s.DEMO_SEED, Math.floor(Date.now() / 1000)) });
  console.log(`Demo AI leaderboard API (public probes of its orchestrators): ${leaderboard.url}`);

  const tagsFile = path.join(dataDir, "gateway-tags.json");
  const { subsidizedGateway, subsidy, gateways } = network.meta;
  fs.writeFileSync(
    tagsFile,
    JSON.stringify(
      {
        gateways: gateways.map((g: { address: string; label: string }) =>
          g.address === subsidizedGateway
            ? { address: g.address, tag: "subsidized", label: g.label, from: subsidy.from, to: subsidy.to, budgetEth: demoProgramsOf(network).budgetEth }
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

  // Kafka gateway events of the live video sessions of the last days; the rest of today is appended as it comes.
  const eventDir = path.join(dataDir, "events");
  fs.rmSync(eventDir, { recursive: true, force: true });
  const events = generateDemoEvents(network, { nowMs, days: DEMO_EVENT_DAYS });
  writeDemoEvents(eventDir, events, nowMs);
  console.log(
    `Demo gateway events: ${events.sessions.length.toLocaleString("en-US")} live video sessions since ${events.firstDay} ` +
      `(${events.due.length.toLocaleString("en-US")} envelopes) in ${eventDir} (one rotated .gz), more appended as the day goes on`,
  );

  // Alert rules over the demo data and a local webhook receiver that prints deliveries (unless ALERTS_FILE is set).
  const alerts = s.ALERTS_FILE ? null : await startDemoAlerts(dataDir, s.PORT ? `http://localhost:${s.PORT}` : null);
  if (alerts) setForThisProcess("ALERTS_FILE", alerts.file);
  // An orchestrator bootstrapping program over the demo's orchestrators (unless PROGRAMS_FILE is set).
  if (!s.PROGRAMS_FILE) setForThisProcess("PROGRAMS_FILE", writeDemoProgramsFile(dataDir, network));

  const sourceEnv = environmentWith({
    SUBGRAPH_URL: subgraph.url,
    GATEWAY_TAGS_FILE: tagsFile,
    TREASURY_RECIPIENTS_FILE: writeDemoRecipients(dataDir, network),
    GATEWAY_LOG_DIR: logDir,
    GATEWAY_CAPABILITIES_URL: gateway.url,
    GATEWAY_EVENTS_DIR: eventDir,
    LEADERBOARD_URL: leaderboard.url,
  });
  const config = { ...loadIndexerConfig(sourceEnv), schedule: s.INDEXER_SCHEDULE ?? "* * * * *" };
  console.log(`Indexing the demo network into PGlite ${pgliteDir} ...`);
  // The first runs index everything generated above; in a child process, so the memory they grow
  // (PGlite's WebAssembly memory never shrinks) is not this serving process's (scripts/demo-index.ts).
  const { firstRun, secondRun } = await indexInChildProcess(pgliteDir, sourceEnv);
  const db = await openDb({ pgliteDir, databaseUrl: "" });
  const failed = [...firstRun, ...secondRun].find((o) => !o.ok);
  if (failed) throw new Error(`The first indexing run failed (${failed.source}): ${failed.error}`);
  for (const o of [...firstRun, ...secondRun.filter((x) => x.source === "capabilities")])
    console.log(`Indexed ${o.source}: ${o.rowsWritten.toLocaleString("en-US")} rows in ${o.seconds.toFixed(1)} s.`);
  const appender = startJobLogAppender(logDir, jobLogs.later);
  const eventAppender = startEventAppender(eventDir, events.later);

  // A staged outage of the stand-in subgraph: the next run fails, so the demo-subgraph-failing alert
  // fires (the receiver prints it), and the run after that recovers it.
  if (alerts) stageSubgraphOutage(subgraph, config.retry.maxRetries);
  const scheduler = startScheduler(db, config);
  const server = await startServer({ db, port: s.PORT });
  console.log(`\nObservatory (DEMO DATA) is ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${server.url}`);
  console.log(`Bootstrapping programs: ${settings().PROGRAMS_FILE}, on ${server.url}/programs`);
  if (alerts)
    console.log(
      `Alerts: rules in ${alerts.file}, on ${server.url}/alerts and the feed ${server.url}/alerts.atom; deliveries go to the local webhook ${alerts.receiver.url} and are printed here. ` +
        `The demo subgraph fails the first scheduled run on purpose: demo-subgraph-failing fires, then recovers a minute later.`,
    );
  console.log(`The indexer re-reads the demo subgraph on '${config.schedule}' (UTC); Ctrl-C stops everything.`);

  exitOnSignals([
    { name: "the job log appender", run: async () => appender.stop() },
    { name: "the event appender", run: async () => eventAppender.stop() },
    { name: "the indexer run in progress", run: async () => scheduler?.stop() },
    { name: "requests in flight", run: () => server.close() },
    { name: "the demo subgraph", run: () => subgraph.close() },
    { name: "the demo gateway", run: () => gateway.close() },
    { name: "the demo leaderboard API", run: () => leaderboard.close() },
    { name: "the database", run: () => db.close() },
    { name: "the demo webhook receiver", run: async () => alerts?.receiver.close() },
  ]);
}

/** Runs scripts/demo-index.ts on the directory and returns its outcomes once it has exited (and released the directory). */
function indexInChildProcess(pgliteDir: string, env: Record<string, string | undefined>): Promise<{ firstRun: SourceOutcome[]; secondRun: SourceOutcome[] }> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL("./demo-index.ts", import.meta.url)), [pgliteDir], { env: env as NodeJS.ProcessEnv, stdio: "inherit" });
    let outcomes: { firstRun: SourceOutcome[]; secondRun: SourceOutcome[] } | undefined;
    child.on("message", (m) => (outcomes = m as typeof outcomes));
    child.on("error", reject);
    child.on("exit", (code, signal) =>
      outcomes && code === 0 ? resolve(outcomes) : reject(new Error(`The first indexing runs stopped (${signal ?? `exit code ${code}`}); see the messages above.`)),
    );
  });
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
