/**
 * A local stand-in for the Livepeer subgraph: graph-node's query surface over the demo network.
 *
 * Entity and field names, scalar types and collection arguments (first/skip limits, orderBy,
 * where operators, block pinning, _meta) follow The Graph, so the indexer reads this server exactly
 * as it reads the real one. Every aggregate is recomputed from the tickets visible at the queried
 * block, so the numbers reconcile at any block and the head advances with the wall clock.
 *
 * This file is the HTTP server: the head block, the snapshot cache, the request log and the fault
 * queue. The entity table is in subgraph-entities.ts, the rows at a block in subgraph-snapshots.ts,
 * the `where`/`orderBy`/`first`/`skip` semantics in subgraph-filters.ts, the GraphQL schema in
 * subgraph-schema.ts and the faults in subgraph-faults.ts.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { graphql } from "graphql";
import type { DemoNetwork } from "./generate";
import { faultResponse, safeJson, type Fault } from "./subgraph-faults";
import { BlockNotYetAvailableError, blockHash, buildSchema, DEPLOYMENT, resolveBlock, type RequestContext } from "./subgraph-schema";
import { buildSnapshot, indexChain, stateAt, type Snapshot } from "./subgraph-snapshots";
import type { EntityName } from "./subgraph-entities";

export type { Fault } from "./subgraph-faults";

const SUBGRAPH_PATH = "/subgraphs/name/livepeer/arbitrum-one";
const SNAPSHOT_CACHE_SIZE = 3;

export interface RecordedRequest {
  query: string;
  variables: unknown;
  status: number;
}

export interface DemoSubgraph {
  url: string;
  headBlock(): number;
  /** Each fault answers exactly one later POST, in order. */
  injectFaults(faults: Fault[]): void;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export interface DemoSubgraphOptions {
  network: DemoNetwork;
  /** 0 = a free port. */
  port?: number;
  host?: string;
  /** Unix ms; decides the head block. */
  now?: () => number;
  /** Entities this deployment does not have (their roots answer graph-node's "no field" error). */
  without?: readonly EntityName[];
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function send(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(body);
}

const MAX_RECORDED_REQUESTS = 20_000;

export async function startDemoSubgraph(opts: DemoSubgraphOptions): Promise<DemoSubgraph> {
  const { network } = opts;
  const now = opts.now ?? Date.now;
  const host = opts.host ?? "127.0.0.1";
  const chain = indexChain(network);
  const schema = buildSchema(opts.without);
  const faults: Fault[] = [];
  const requests: RecordedRequest[] = [];
  // A long-running demo must not grow without bound; tests look at far fewer than this.
  const record = (r: RecordedRequest) => {
    requests.push(r);
    if (requests.length > MAX_RECORDED_REQUESTS) requests.splice(0, requests.length - MAX_RECORDED_REQUESTS);
  };
  const snapshots = new Map<string, Snapshot>();

  const headBlock = () => Math.min(network.blockAt(now() / 1000), network.lastBlock);

  /** Small LRU: a run pins one block for all its pages, so a couple of entries are enough. */
  const snapshotAt = (block: number): Snapshot => {
    const state = stateAt(chain, block);
    const key = `${state.visibleTickets}/${state.today}/${state.startedRounds}`;
    let snap = snapshots.get(key);
    if (snap) snapshots.delete(key);
    else snap = buildSnapshot(chain, state);
    snapshots.set(key, snap);
    if (snapshots.size > SNAPSHOT_CACHE_SIZE) snapshots.delete(snapshots.keys().next().value!);
    return snap;
  };

  const contextFor = (head: number): RequestContext => ({
    snapshotFor: (block) => snapshotAt(resolveBlock(block, head)),
    metaFor: (block) => {
      const number = resolveBlock(block, head);
      return { block: { number, hash: blockHash(number), timestamp: network.timestampAt(number) } };
    },
  });

  const execute = async (body: string, head = headBlock()): Promise<{ status: number; payload: unknown; query: string; variables: unknown }> => {
    let request: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      request = JSON.parse(body);
    } catch {
      return { status: 400, payload: { errors: [{ message: "request body is not JSON" }] }, query: body, variables: null };
    }
    const { query, variables = null, operationName } = request ?? {};
    if (typeof query !== "string") {
      return { status: 400, payload: { errors: [{ message: "missing `query` string" }] }, query: "", variables };
    }
    const result = await graphql({
      schema,
      source: query,
      variableValues: (variables ?? undefined) as Record<string, unknown> | undefined,
      operationName: typeof operationName === "string" ? operationName : undefined,
      contextValue: contextFor(head),
    });
    // graph-node resolves the block before running the query, so a block it has not indexed yet
    // fails the whole query: HTTP 200, that error's message alone, no `data`.
    const notYet = (result.errors ?? []).filter((e) => e.originalError instanceof BlockNotYetAvailableError);
    if (notYet.length) {
      return { status: 200, payload: { errors: [...new Set(notYet.map((e) => e.message))].map((message) => ({ message })) }, query, variables };
    }
    return { status: 200, payload: result, query, variables };
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (req.method === "GET" && (path === "/" || path === SUBGRAPH_PATH)) {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(`Observatory demo network (${DEPLOYMENT}): POST GraphQL queries to ${SUBGRAPH_PATH}\n`);
      return;
    }
    if (req.method !== "POST" || path !== SUBGRAPH_PATH) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found\n");
      return;
    }
    const body = await readBody(req);
    const fault = faults.shift();
    if (fault && "delayMs" in fault) {
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs)); // then answer normally
    } else if (fault && "indexedBehind" in fault) {
      const { status, payload, query, variables } = await execute(body, Math.max(0, headBlock() - fault.indexedBehind));
      record({ query, variables, status });
      send(res, status, JSON.stringify(payload));
      return;
    } else if (fault) {
      const { query = "", variables = null } = safeJson(body);
      const answer = faultResponse(fault);
      send(res, answer.status, answer.body, answer.headers);
      record({ query, variables, status: answer.status });
      return;
    }
    const { status, payload, query, variables } = await execute(body);
    record({ query, variables, status });
    send(res, status, JSON.stringify(payload));
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, JSON.stringify({ errors: [{ message: String(error) }] }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host}:${port}${SUBGRAPH_PATH}`,
    headBlock,
    injectFaults: (more) => void faults.push(...more),
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
