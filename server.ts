// The dashboard's HTTP server: Express serving the Remix build, with the database opened once and
// handed to every loader through the load context. In embedded mode (PGlite, one process per data
// directory) the indexer's scheduler runs inside this process; with Postgres it does too unless
// INDEXER_IN_PROCESS=0 (then run `npm run indexer` separately).
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Server } from "node:http";
import express from "express";
import type { ServerBuild } from "@remix-run/node";
import { settings } from "./core/settings";
import { openDb, type Db } from "./db/client";
import { openReadRouter, type ReadRouter } from "./db/read-replica";
import { ConfigError } from "./core/settings";
import { loadIndexerConfig, loadIngestConfig, type IndexerConfig } from "./indexer/config";
import { createEventIngestHandler } from "./indexer/sources/events/push";
import { createJobIngestHandler } from "./indexer/sources/joblogs/push";
import { startScheduler } from "./indexer/scheduler";
import { loadRules } from "./indexer/alerts/rules-file";
import { loadPrograms } from "./indexer/programs-file";
import { lastErrorHandler, remixBridge } from "./server/remix-bridge";
import { nonceOf, securityHeaders } from "./server/security-headers";
import { exitOnSignals } from "./server/shutdown";
import { RenderGate } from "./server/render-gate";
import { RenderCache } from "./server/render-cache";
import { compressedStatic } from "./server/static-files";

const root = path.dirname(fileURLToPath(import.meta.url));

export interface StartedServer {
  url: string;
  server: Server;
  close(drainMs?: number): Promise<void>;
}

export async function startServer(opts: {
  db: Db;
  port: number;
  host?: string;
  bodyIdleMs?: number;
  renderCacheMb?: number;
  /** Reads answered at once (server/render-gate.ts); default RENDER_CONCURRENCY, else 2 on PGlite and 8 on Postgres. */
  renderConcurrency?: number;
  /** Where GET and HEAD handlers read (db/read-replica.ts); default the primary. */
  replica?: ReadRouter;
}): Promise<StartedServer> {
  const buildPath = path.join(root, "build", "index.js");
  let build: ServerBuild;
  try {
    build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;
  } catch (e) {
    throw new Error(`Cannot load the dashboard build at ${buildPath}: run \`npm run build\` first. (${(e as Error).message})`);
  }
  const app = express();
  app.disable("x-powered-by");
  app.disable("etag"); // server/http-cache.ts makes strong ETags from the bodies
  // CSP with a fresh nonce, Referrer-Policy, Permissions-Policy, nosniff: on every response.
  app.use(securityHeaders());
  // The bundles (content-hashed names: immutable) and the public files, gzip or brotli when asked.
  app.use("/build", compressedStatic(path.join(root, "public", "build"), "public, max-age=31536000, immutable"));
  app.use("/build", express.static(path.join(root, "public", "build"), { immutable: true, maxAge: "1y" }));
  app.use(compressedStatic(path.join(root, "public"), "public, max-age=3600"));
  app.use(express.static(path.join(root, "public"), { maxAge: "1h" }));
  // POST /api/ingest/jobs and /api/ingest/events call these (404 unless INGEST_TOKEN is set).
  const ingestConfig = loadIngestConfig();
  const log = (line: string) => process.stderr.write(line + "\n");
  const ingestJobs = createJobIngestHandler(opts.db, ingestConfig, log);
  const ingestEvents = createEventIngestHandler(opts.db, ingestConfig, log);
  // A broken alert rules file is said at start, naming the file, the path inside it and the problem;
  // nothing of it is used and everything else serves (/status and /alerts say the same).
  const alertRules = loadRules(settings().ALERTS_FILE);
  if (alertRules && !alertRules.ok) log(alertRules.error.message);
  // So is a programs file's problem: the programs it names are left out, the others and the rest serve.
  const programs = loadPrograms(settings().PROGRAMS_FILE);
  if (programs?.error) log(`${programs.error.message}\n  (those programs are left out; everything else serves)`);
  // Pages and API answers whose data and minute did not change are sent again without rendering.
  const cacheMb = opts.renderCacheMb ?? settings().RENDER_CACHE_MB;
  const reads = opts.replica?.reads ?? opts.db;
  const renderCache = cacheMb > 0 ? new RenderCache(reads, cacheMb * 1024 * 1024) : undefined;
  // Reads answered a few at a time in arrival order (server/render-gate.ts); PGlite runs every query
  // on this thread, so there one at a time with the next one's queries queued behind is already full use.
  const renderGate = new RenderGate(opts.renderConcurrency ?? settings().RENDER_CONCURRENCY ?? (opts.db.kind === "pglite" ? 2 : 8));
  // The server's own address, known once it listens: the only origin a PDF render may load.
  let selfOrigin = "";
  app.all(
    "*",
    remixBridge({
      build,
      limits: { ingestPaths: ["/api/ingest/jobs", "/api/ingest/events"], ingestMaxBytes: ingestConfig.maxBytes, idleMs: opts.bodyIdleMs },
      loadContext: (req, res) => ({
        // Pages and API reads (GET, HEAD) on the replica while it is in step; writes on the primary.
        db: req.method === "GET" || req.method === "HEAD" ? reads : opts.db,
        ingestJobs,
        ingestEvents,
        clientAddress: req.socket.remoteAddress ?? null,
        selfOrigin,
        cspNonce: nonceOf(res),
        replica: () => opts.replica?.status() ?? null,
      }),
      log,
      cache: renderCache,
      gate: renderGate,
    }),
  );
  app.use(lastErrorHandler(log));
  const host = opts.host ?? "0.0.0.0";
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(opts.port, host, () => resolve(s));
    s.once("error", reject);
  });
  // A request (headers and body) must arrive within a minute; request-body.ts also gives up on a
  // body idle for 15 s.
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : opts.port;
  selfOrigin = `http://${loopbackFor(host)}:${port}`;
  return {
    url: `http://${host === "0.0.0.0" ? "localhost" : host}:${port}`,
    server,
    // Stops accepting, lets requests in flight finish for up to drainMs, then cuts what is left.
    close: (drainMs = 10_000) =>
      new Promise<void>((resolve) => {
        const cut = setTimeout(() => server.closeAllConnections(), drainMs);
        cut.unref();
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

/** Where this process can reach its own listener: loopback when it listens on every interface. */
function loopbackFor(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

/** `npm start`: serve the dashboard on PORT against DATABASE_URL (or PGlite) and SUBGRAPH_URL. */
export async function main(overrides: Partial<IndexerConfig> = {}): Promise<void> {
  const config = { ...loadIndexerConfig(), ...overrides };
  const port = settings().PORT;
  const db = await openDb();
  const readUrl = settings().DATABASE_READ_URL;
  if (readUrl && db.kind !== "postgres") throw new ConfigError("DATABASE_READ_URL needs DATABASE_URL: a read replica follows a Postgres primary, not PGlite.");
  const replica = readUrl ? await openReadRouter(db, readUrl, settings().REPLICA_MAX_LAG_SECONDS) : undefined;
  const inProcess = db.kind === "pglite" || settings().INDEXER_IN_PROCESS;
  const scheduler = inProcess ? startScheduler(db, config) : null;
  const started = await startServer({ db, port, replica });
  console.log(`Observatory dashboard on ${started.url} (${db.label})`);
  if (replica) {
    const r = replica.status();
    console.log(`Page and API reads: ${r.label} while it is at most ${r.maxLagSeconds} s behind (now: ${r.serving ? `${r.lagSeconds} s` : r.reason}).`);
  }
  if (scheduler) console.log(`Indexer runs in this process: ${config.schedule} (UTC) against ${config.subgraphUrlLabel}`);
  exitOnSignals([
    { name: "the indexer run in progress", run: async () => scheduler?.stop() },
    { name: "requests in flight", run: () => started.close() },
    { name: "the read replica", run: async () => replica?.close() },
    { name: "the database", run: () => db.close() },
  ]);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
