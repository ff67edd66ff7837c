// Express to Remix: turns a Node request into a Fetch Request (its body already read within its
// limit by request-body.ts) and writes Remix's Response back (send-response.ts). Replaces @remix-run/express's handler,
// which streams the raw socket into the Request with no limit at all.
//
// Also here: methods no route serves (TRACE, CONNECT) get 405 rather than reaching Remix (TRACE
// answered 500); an error after the client has gone is dropped instead of logging a stack per
// aborted request; any other error is logged on one line and answered with a plain 500, never a
// stack trace with server paths.
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import { createRequestHandler as createRemixHandler, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import { settings } from "../core/settings";
import { readLimitedBody, type BodyLimits } from "./request-body";
import { nonceOf } from "./security-headers";
import { RenderCache } from "./render-cache";
import type { RenderGate } from "./render-gate";
import { sendCached, startResponse, type StoreTo } from "./send-response";

const SERVED_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

function headersOf(req: ExpressRequest): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else headers.set(key, value);
  }
  return headers;
}

/** The URL Remix sees: the request's Host (for links and redirects only; nothing fetches it). */
function urlOf(req: ExpressRequest): string {
  const host = req.get("host") ?? "localhost";
  const safeHost = /^[A-Za-z0-9.\-[\]:]{1,255}$/.test(host) ? host : "localhost";
  return new URL(req.originalUrl, `${req.protocol}://${safeHost}`).href;
}

const gone = (res: ExpressResponse) => res.destroyed || res.socket?.destroyed === true || !res.socket;

export function remixBridge(opts: {
  build: ServerBuild;
  limits: BodyLimits;
  loadContext: (req: ExpressRequest, res: ExpressResponse) => AppLoadContext;
  log: (line: string) => void;
  /** Rendered answers kept while the data and the minute stay the same (render-cache.ts). */
  cache?: RenderCache;
  /** Reads (GET, HEAD) answered a few at a time, in arrival order (render-gate.ts). */
  gate?: RenderGate;
}) {
  const handle = createRemixHandler(opts.build, settings().NODE_ENV);
  return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    if (!SERVED_METHODS.has(req.method)) {
      res.status(405).set({ allow: "GET, HEAD, POST, OPTIONS", "content-type": "application/json; charset=utf-8" }).end(JSON.stringify({ error: `Method ${req.method} is not served` }));
      return;
    }
    const read = await readLimitedBody(req, res, req.path, opts.limits);
    if (!read.ok) return;
    let store: StoreTo | undefined;
    if (opts.cache && RenderCache.applies(req.method, req.path)) {
      const key = await opts.cache.keyOf(urlOf(req));
      if (key) {
        store = { cache: opts.cache, key };
        const hit = opts.cache.get(key);
        res.setHeader("x-observatory-cache", hit ? "hit" : "miss");
        if (hit) return void (await sendCached(req, res, hit, store));
      }
    }
    let controller: AbortController | null = new AbortController();
    res.on("finish", () => (controller = null));
    res.on("close", () => controller?.abort());
    try {
      const request = new Request(urlOf(req), {
        method: req.method,
        headers: headersOf(req),
        signal: controller.signal,
        ...(read.body ? { body: read.body as unknown as BodyInit } : {}),
      });
      // Reads take their turn for the loaders, the render and making the answer (its ETag and
      // compression, send-response.ts), not for streaming it: a client that reads slowly never holds
      // a turn. Delivery outside the turn let every answer being made share the thread with every
      // other: at 50 connections on PGlite, /pipelines' p99 was 2.8x its mean, with 30 timeouts.
      const answer = async (): Promise<(() => Promise<void>) | null> => {
        if (gone(res)) return null; // the client left while waiting for its turn
        const response = await handle(request, opts.loadContext(req, res));
        if (gone(res)) {
          // The client left while the answer was made (its socket's close event may not have fired
          // yet): abort first, so the renderer sees an abandoned request rather than an error.
          controller?.abort();
          void response.body?.cancel().catch(() => {});
          return null;
        }
        // Cache-Control, ETag and 304, compression (http-cache.ts).
        return startResponse(req, res, response, { nonce: nonceOf(res), store });
      };
      const rest = opts.gate && takesTurn(req) ? await opts.gate.run(answer) : await answer();
      if (rest) await rest();
    } catch (e) {
      if (gone(res) || controller?.signal.aborted) return; // the client left; nothing to answer
      next(e);
    }
  };
}

/**
 * Reads (GET, HEAD) wait for a turn, except Remix's route discovery (`/__manifest`): it reads no
 * data, and a page's links do not know their routes until it answers, so it must not queue
 * behind renders.
 */
function takesTurn(req: ExpressRequest): boolean {
  return (req.method === "GET" || req.method === "HEAD") && req.path !== "/__manifest";
}

/** Express's last handler: one log line, a plain 500, no stack or server path in the answer. */
export function lastErrorHandler(log: (line: string) => void) {
  return (err: unknown, req: ExpressRequest, res: ExpressResponse, _next: NextFunction) => {
    const message = err instanceof Error ? err.message : String(err);
    log(`${req.method} ${req.path.slice(0, 200)}: ${message.split("\n")[0].slice(0, 300)}`);
    if (res.headersSent) return void res.destroy();
    res.status(500).set({ "content-type": "application/json; charset=utf-8", "cache-control": "no-store" }).end(JSON.stringify({ error: "internal error" }));
  };
}
