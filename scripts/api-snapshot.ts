// Every API answer of a fixed demo network, to prove a refactor changed nothing a client sees.
//
//   npx tsx scripts/api-snapshot.ts OUT.json [--postgres postgres://…/admin-db]
//   npx tsx scripts/api-snapshot.ts --compare BEFORE.json AFTER.json
//
// Builds the demo network for a fixed day (seed 42, ending 2026-11-30, job logs up to noon of that
// day), indexes it exactly as `npm run demo` does into a fresh database (PGlite in memory, or a
// throwaway database on the given Postgres server), serves the build on loopback and fetches every
// API route with several parameter sets, JSON and CSV. Timestamps that depend on when the script
// ran (run times, computedAt) are replaced by "<time>"; everything else is kept byte for byte.
// --compare prints each answer that differs and exits 1 if any does. Needs `npm run build` first.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { environmentWith } from "../core/settings";
import { openDb, type Db } from "../db/client";
import { loadIndexerConfig } from "../indexer/config";
import { generateDemoNetwork } from "../indexer/demo/generate";
import { generateDemoJobLogs, writeDemoJobLogs } from "../indexer/demo/job-logs";
import { startDemoSubgraph } from "../indexer/demo/subgraph-server";
import { runAllSources } from "../indexer/run";
import { startServer } from "../server";

const END_DAY = "2026-11-30";
const NOW_MS = Date.parse(`${END_DAY}T12:00:00Z`);

type Snapshot = Record<string, { status: number; type: string | null; body: string }>;

/**
 * Run-dependent values: instants stamped within the last day of wall-clock time, and the status
 * page's lag behind the wall clock and run durations, and the script's temporary directory.
 */
function normalise(body: string, startedMs: number, workDir: string): string {
  return body
    .split(workDir)
    .join("<work>")
    .replace(/"(lagSeconds|durationSeconds)":[\d.]+/g, '"$1":"<n>"')
    .replace(/(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})(\d{2})(?=\.(?:json|csv))/g, (stamp, d, h, m, sec) =>
      Date.parse(`${d}T${h}:${m}:${sec}Z`) >= startedMs - 86_400_000 ? "<time>" : stamp,
    )
    .replace(/(\d{4}-\d{2}-\d{2}T[\d:.]+Z),\d+,/g, "$1,<lag>,")
    .replace(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}(?::?\d{2})?)?/g, (ts) => {
    const ms = Date.parse(ts.includes("T") || ts.includes("Z") ? ts : ts.replace(" ", "T") + "Z");
    return Number.isFinite(ms) && ms >= startedMs - 86_400_000 ? "<time>" : ts;
  });
}

async function openFresh(adminUrl: string | undefined): Promise<{ db: Db; drop: () => Promise<void> }> {
  if (!adminUrl) return { db: await openDb({ pgliteDir: "memory://", databaseUrl: "" }), drop: async () => {} };
  const name = `observatory_snapshot_${process.pid}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const db = await openDb({ databaseUrl: u.toString() });
  return {
    db,
    drop: async () => {
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

function routes(orchestrators: string[]): string[] {
  const ranges = ["", "from=2026-10-01&to=2026-10-31", "from=2026-11-20&to=2026-11-30"];
  const [a, b, c] = orchestrators;
  const out: string[] = ["/healthz", "/api/fees/summary", "/api/status", "/api/status?format=csv&table=sources"];
  for (const r of ranges) {
    const q = r ? `?${r}` : "";
    const amp = r ? `&${r}` : "";
    out.push(
      `/api/fees${q}`,
      `/api/fees?interval=week${amp}`,
      `/api/fees?interval=month&view=cumulative${amp}`,
      `/api/fees?format=csv${amp}`,
      `/api/fees/gateways${q}`,
      `/api/fees/gateways?format=csv${amp}`,
      `/api/fees/orchestrators${q}`,
      `/api/fees/orchestrators?format=csv${amp}`,
      `/api/orchestrators${q}`,
      `/api/orchestrators?sort=latencyP95&dir=desc${amp}`,
      `/api/orchestrators?format=csv${amp}`,
      `/api/orchestrators?pipeline=live-video-to-video${amp}`,
      `/api/pipelines${q}`,
      `/api/pipelines?format=csv${amp}`,
      `/api/cost${q}`,
      `/api/cost?format=csv${amp}`,
      `/api/cloud-comparison${q}`,
      `/api/cloud-comparison?utilization=0.8${amp}`,
      `/api/cloud-comparison?format=csv${amp}`,
      `/api/cloud-comparison?table=sources&format=csv${amp}`,
      `/api/orchestrators/${a}${q}`,
      `/api/orchestrators/${a}?interval=hour${amp}`,
      `/api/orchestrators/${b}?format=csv${amp}`,
      `/api/compare?address=${a}&address=${b}&address=${c}${amp}`,
      `/api/compare?address=${a}&address=${b}&format=csv${amp}`,
    );
  }
  out.push(
    "/api/fees/growth?baselineFrom=2026-09-01&baselineTo=2026-09-30&from=2026-10-01&to=2026-10-31",
    "/api/fees/growth?baselineFrom=2026-09-01&baselineTo=2026-09-30&from=2026-10-01&to=2026-10-31&format=csv",
    "/api/fees/growth",
    "/api/reports?from=2026-10-01&to=2026-10-31&baselineFrom=2026-09-01&baselineTo=2026-09-30",
    "/api/reports?from=2026-10-01&to=2026-10-31&baselineFrom=2026-09-01&baselineTo=2026-09-30&format=csv",
    // Bad input: the errors are part of the interface too.
    "/api/fees?from=2026-13-01",
    "/api/orchestrators/0xnot-an-address",
    "/api/compare?address=" + a,
    "/api/cost?format=xml",
    "/api/cloud-comparison?utilization=2",
  );
  return out;
}

async function snapshot(out: string, adminUrl: string | undefined): Promise<void> {
  const startedMs = Date.now();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "observatory-snapshot-"));
  const network = generateDemoNetwork({ seed: 42, endDay: END_DAY });
  const subgraph = await startDemoSubgraph({ network, now: () => NOW_MS });
  const { subsidizedGateway, subsidy, gateways } = network.meta;
  const tagsFile = path.join(work, "gateway-tags.json");
  fs.writeFileSync(
    tagsFile,
    JSON.stringify({
      gateways: gateways.map((g: { address: string; label: string }) =>
        g.address === subsidizedGateway ? { address: g.address, tag: "subsidized", label: g.label, from: subsidy.from, to: subsidy.to } : { address: g.address, tag: "organic", label: g.label },
      ),
    }),
  );
  const logDir = path.join(work, "joblogs");
  writeDemoJobLogs(logDir, generateDemoJobLogs(network, { nowMs: NOW_MS, days: 140 }), NOW_MS);
  const { db, drop } = await openFresh(adminUrl);
  try {
    const config = { ...loadIndexerConfig(environmentWith({ SUBGRAPH_URL: subgraph.url, GATEWAY_TAGS_FILE: tagsFile, GATEWAY_LOG_DIR: logDir })), log: () => {} };
    const outcomes = await runAllSources(db, config);
    const failed = outcomes.find((o) => !o.ok);
    if (failed) throw new Error(`indexing failed (${failed.source}): ${failed.error}`);
    const server = await startServer({ db, port: 0, host: "127.0.0.1" });
    try {
      const list = (await (await fetch(`${server.url}/api/orchestrators`)).json()) as { rows: { address: string; jobs: number | null }[] };
      // The three with the most jobs, so the per-orchestrator answers carry job figures.
      const addresses = [...list.rows].sort((x, y) => (y.jobs ?? 0) - (x.jobs ?? 0) || x.address.localeCompare(y.address)).map((o) => o.address).slice(0, 3);
      const snap: Snapshot = {};
      for (const route of routes(addresses)) {
        const r = await fetch(server.url + route);
        snap[route] = { status: r.status, type: r.headers.get("content-type"), body: normalise(await r.text(), startedMs, work) };
      }
      fs.writeFileSync(out, JSON.stringify(snap, null, 1));
      console.log(`${Object.keys(snap).length} answers written to ${out} (${db.label})`);
    } finally {
      await server.close();
    }
  } finally {
    await db.close();
    await drop();
    await subgraph.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function compare(beforeFile: string, afterFile: string): number {
  const before = JSON.parse(fs.readFileSync(beforeFile, "utf8")) as Snapshot;
  const after = JSON.parse(fs.readFileSync(afterFile, "utf8")) as Snapshot;
  let differ = 0;
  for (const route of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[route];
    const b = after[route];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    differ++;
    if (!a || !b) {
      console.log(`${route}: only in ${a ? beforeFile : afterFile}`);
      continue;
    }
    let at = 0;
    while (at < a.body.length && a.body[at] === b.body[at]) at++;
    console.log(`${route}: status ${a.status} -> ${b.status}, type ${a.type} -> ${b.type}; bodies differ at ${at}:\n  before …${a.body.slice(Math.max(0, at - 60), at + 100)}\n  after  …${b.body.slice(Math.max(0, at - 60), at + 100)}`);
  }
  console.log(`${Object.keys(before).length} answers compared, ${differ} differ`);
  return differ ? 1 : 0;
}

const args = process.argv.slice(2);
if (args[0] === "--compare") process.exit(compare(args[1], args[2]));
const pgAt = args.indexOf("--postgres");
snapshot(args[0] ?? "api-snapshot.json", pgAt >= 0 ? args[pgAt + 1] : undefined).then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
