// Request bodies, limited while they are read. Every request with a body is read here, before any
// route sees it, against the limit of its path: job and event ingest take INGEST_MAX_BYTES, every
// other route (report forms, POST /api/reports) 16 KB. Content-Length is checked first, then every
// chunk as it arrives, so a chunked body is never held past its limit (a 300 MB chunked form used to
// be buffered whole). A body that stops arriving is answered 408 after BODY_IDLE_MS; a compressed
// body 415 (nothing here decodes it, and a gzip bomb is not ours to inflate).
//
// Refusing mid-body: the answer goes out with `Connection: close`, the rest of the body is read and
// discarded for a moment so the client sees the status instead of a reset, then the socket closes.
import type { IncomingMessage, ServerResponse } from "node:http";

export const FORM_MAX_BYTES = 16 * 1024;
/** A body with no byte for this long is abandoned (408). */
export const BODY_IDLE_MS = 15_000;
/** After a refusal, how long the rest of a body is drained before the socket is closed. */
const DRAIN_MS = 2_000;

export interface BodyLimits {
  /** Paths that take large NDJSON bodies, with their limit in bytes. */
  ingestPaths: string[];
  ingestMaxBytes: number;
  /** BODY_IDLE_MS unless set (tests shorten it). */
  idleMs?: number;
}

export type BodyResult = { ok: true; body: Buffer | null } | { ok: false };

export function limitFor(path: string, limits: BodyLimits): number {
  const p = path.replace(/\/+$/, "");
  return limits.ingestPaths.includes(p) ? limits.ingestMaxBytes : FORM_MAX_BYTES;
}

const hasBody = (method: string | undefined) => method !== "GET" && method !== "HEAD" && method !== "OPTIONS" && method !== "TRACE";

function refuse(req: IncomingMessage, res: ServerResponse, status: number, error: string): void {
  if (!res.headersSent) {
    const body = JSON.stringify({ error });
    res.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(body),
      "cache-control": "no-store",
      connection: "close",
    });
    res.end(body);
  }
  // Read and drop what is still coming, briefly, so the client reads the answer before the close.
  req.removeAllListeners("data");
  req.on("data", () => {});
  req.on("error", () => {});
  const timer = setTimeout(() => req.socket.destroy(), DRAIN_MS);
  timer.unref();
  req.once("end", () => clearTimeout(timer));
}

/**
 * Reads the request's body within its path's limit. On refusal the response has been sent (413,
 * 408, 415 or 400) and the caller does nothing more. GET, HEAD, OPTIONS and TRACE have no body.
 */
export function readLimitedBody(req: IncomingMessage, res: ServerResponse, path: string, limits: BodyLimits): Promise<BodyResult> {
  if (!hasBody(req.method)) return Promise.resolve({ ok: true, body: null });
  const max = limitFor(path, limits);
  const encoding = (req.headers["content-encoding"] ?? "identity").toString().trim().toLowerCase();
  if (encoding !== "identity" && encoding !== "") {
    refuse(req, res, 415, `Content-Encoding "${encoding.slice(0, 20)}" is not accepted; send the body uncompressed`);
    return Promise.resolve({ ok: false });
  }
  const declared = req.headers["content-length"];
  if (declared !== undefined && (!/^\d+$/.test(declared) || Number(declared) > max)) {
    refuse(req, res, /^\d+$/.test(declared) ? 413 : 400, /^\d+$/.test(declared) ? `The body is larger than ${max} bytes` : "Content-Length is not a number");
    return Promise.resolve({ ok: false });
  }
  return new Promise<BodyResult>((resolve) => {
    const parts: Buffer[] = [];
    let total = 0;
    let settled = false;
    const finish = (r: BodyResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("aborted", onError);
      resolve(r);
    };
    const idleMs = limits.idleMs ?? BODY_IDLE_MS;
    let idle = setTimeout(onIdle, idleMs);
    function onIdle() {
      refuse(req, res, 408, `No part of the body arrived for ${idleMs / 1000} s`);
      finish({ ok: false });
    }
    function onData(chunk: Buffer) {
      total += chunk.byteLength;
      if (total > max) {
        refuse(req, res, 413, `The body is larger than ${max} bytes`);
        return finish({ ok: false });
      }
      parts.push(chunk);
      clearTimeout(idle);
      idle = setTimeout(onIdle, idleMs);
    }
    function onEnd() {
      finish({ ok: true, body: Buffer.concat(parts, total) });
    }
    function onError() {
      // The client went away mid-body: nobody is left to answer.
      req.socket.destroy();
      finish({ ok: false });
    }
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("aborted", onError);
  });
}
