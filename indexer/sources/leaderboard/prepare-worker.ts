// The poll's preparing thread: turns each raw_stats answer (bytes as fetched on the main thread) into
// what store.ts writes (prepare.ts): JSON parse, reading, dedupe, COPY text and rollup increments. The
// main thread keeps the HTTP and the database, so with PGlite (which runs on the main thread) the
// database never waits for this work, and with Postgres the writes are not held up by it either.
// It never touches the database.
import { parentPort } from "node:worker_threads";
import { parseJsonBody } from "../../http-json";
import { prepareWindow } from "./prepare";
import type { PrepareReply, PrepareRequest } from "./preparer";

parentPort!.on("message", (m: PrepareRequest) => {
  let reply: PrepareReply;
  try {
    const json = parseJsonBody(m.body, m.what);
    try {
      reply = { id: m.id, prepared: prepareWindow(json, m.orchestrator, m.notBeforeMs) };
    } catch (e) {
      reply = { id: m.id, error: `The leaderboard API's raw_stats answer is not usable: ${(e as Error).message}` };
    }
  } catch (e) {
    reply = { id: m.id, error: (e as Error).message };
  }
  // The COPY texts move to the main thread rather than being copied (their own buffers: prepare.ts).
  parentPort!.postMessage(reply, reply.prepared ? [reply.prepared.data.buffer as ArrayBuffer, reply.prepared.day.buffer as ArrayBuffer] : []);
});
