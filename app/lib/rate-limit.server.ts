// A sliding-window rate limit in memory (one process): at most `limit` events per `windowMs` per
// client key, e.g. 10 report saves per 10 minutes. Each key keeps the times of its recent events;
// an event is allowed when fewer than `limit` fall in the last `windowMs`, and a refusal says how
// long until the oldest of them leaves the window (Retry-After). State is lost on restart, which
// only ever lets a client save a little more, never less.
import { isIP } from "node:net";
import type { AppLoadContext } from "@remix-run/node";
import { settings } from "../../core/settings";
import { jsonResponse } from "./http.server";

export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until the next event would be allowed (0 when allowed). */
  retryAfterSeconds: number;
  /** Events left in the window after this one. */
  remaining: number;
}

export class SlidingWindowLimiter {
  private readonly events = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    /** Keys kept at most; the least recently active key is forgotten first. */
    private readonly maxKeys = 10_000,
  ) {}

  /** Records an event for `key` when allowed; a refused event is not recorded. */
  hit(key: string, now = Date.now()): RateDecision {
    const since = now - this.windowMs;
    const times = (this.events.get(key) ?? []).filter((t) => t > since);
    if (times.length >= this.limit) {
      this.events.delete(key);
      this.events.set(key, times);
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((times[0] + this.windowMs - now) / 1000)), remaining: 0 };
    }
    times.push(now);
    this.events.delete(key); // re-insert: Map order is the eviction order (least recent first)
    this.events.set(key, times);
    if (this.events.size > this.maxKeys) this.events.delete(this.events.keys().next().value as string);
    return { allowed: true, retryAfterSeconds: 0, remaining: this.limit - times.length };
  }

  reset(): void {
    this.events.clear();
  }
}

/** Report saves: 10 per client per 10 minutes (sliding). */
export const REPORT_SAVES_PER_WINDOW = 10;
export const REPORT_SAVE_WINDOW_MS = 10 * 60_000;
export const reportSaveLimiter = new SlidingWindowLimiter(REPORT_SAVES_PER_WINDOW, REPORT_SAVE_WINDOW_MS);

/** Freezing a bootstrapping program: the same rule as saving a report (10 per client per 10 minutes). */
export const programFreezeLimiter = new SlidingWindowLimiter(REPORT_SAVES_PER_WINDOW, REPORT_SAVE_WINDOW_MS);

/** PDF renders (a Chromium each, seconds of CPU): 10 per client per 10 minutes; cached PDFs are free. */
export const pdfRenderLimiter = new SlidingWindowLimiter(10, 10 * 60_000);

/** TRUST_PROXY=1 (or true/yes/on): the server sits behind a proxy that sets X-Forwarded-For. */
export function trustProxy(): boolean {
  return settings().TRUST_PROXY;
}

/**
 * Who is asking, for rate limits: the first X-Forwarded-For address when TRUST_PROXY is on (the
 * client as the proxy saw it), else the socket's address from the load context. A client can put
 * anything in X-Forwarded-For, so without a trusted proxy the header is ignored.
 */
export function clientKey(request: Request, context: AppLoadContext): string {
  if (trustProxy()) {
    const first = (request.headers.get("x-forwarded-for") ?? "").split(",")[0]?.trim() ?? "";
    if (isIP(first)) return first.toLowerCase();
  }
  // server.ts passes the socket address as `clientAddress`; without it every client shares one key.
  const socket = (context as { clientAddress?: unknown }).clientAddress;
  return typeof socket === "string" && socket ? socket.replace(/^::ffff:/, "") : "unknown";
}

/**
 * One hit of `limiter` for this request's client: null when allowed, else the 429 answer with the
 * limit in words (`what`, e.g. "saved reports") and Retry-After.
 */
export function refusedByLimit(limiter: SlidingWindowLimiter, what: string, request: Request, context: AppLoadContext): Response | null {
  const limit = limiter.hit(clientKey(request, context));
  if (limit.allowed) return null;
  const r = jsonResponse(
    { error: `rate limited: at most ${limiter.limit} ${what} per ${limiter.windowMs / 60_000} minutes per client; retry in ${limit.retryAfterSeconds} s` },
    429,
  );
  r.headers.set("retry-after", String(limit.retryAfterSeconds));
  return r;
}
