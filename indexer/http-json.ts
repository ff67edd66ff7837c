// GET a JSON document from an upstream HTTP service (a gateway's /getNetworkCapabilities, the AI
// leaderboard): a timeout per attempt, a cap on the body, and retries with full-jitter exponential
// backoff that never comes sooner than the server's Retry-After. What is retried is decided by the
// error's kind (core/errors.ts): network errors, timeouts, 429 and 5xx are; other 4xx and bodies
// that are not JSON are not.
import { isRetryable, PermanentError, RetryableError } from "../core/errors";
import type { RetryPolicy } from "./config";
import { readCapped } from "./read-capped";

export class UpstreamTransientError extends RetryableError {
  constructor(message: string, readonly retryAfterMs?: number) {
    super(message);
  }
}
export class UpstreamPermanentError extends PermanentError {
  constructor(message: string, readonly status?: number, readonly body?: string) {
    super(message);
  }
}

export interface HttpJsonOptions {
  /** What the service is, for messages ("gateway capabilities"). */
  what: string;
  timeoutMs: number;
  retry: RetryPolicy;
  maxBytes?: number;
  headers?: Record<string, string>;
  onRetry?: (attempt: number, delayMs: number, error: Error) => void;
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_MAX_BYTES = 64 << 20;
/** A Retry-After is honoured up to this long; a longer one fails the attempt sooner rather than stall the run. */
const MAX_RETRY_AFTER_MS = 60_000;

export async function getJson(url: string, opts: HttpJsonOptions): Promise<unknown> {
  return parseJsonBody(await getBody(url, opts), opts.what);
}

/** The JSON of a body getBody returned; UpstreamPermanentError (not retried) when it is not JSON. */
export function parseJsonBody(body: Uint8Array, what: string): unknown {
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8");
  try {
    return JSON.parse(text);
  } catch {
    throw new UpstreamPermanentError(`The ${what} answered something that is not JSON${brief(text)}`);
  }
}

/** The body of a successful GET, with getJson's timeout, cap and retries, unparsed (to parse elsewhere, such as on another thread). */
export async function getBody(url: string, opts: HttpJsonOptions): Promise<Uint8Array> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 0; ; attempt++) {
    try {
      return await getOnce(url, opts);
    } catch (raw) {
      const err = raw instanceof RetryableError || raw instanceof PermanentError ? raw : classify(raw, opts.what);
      if (!isRetryable(err)) throw err;
      if (attempt >= opts.retry.maxRetries) throw new UpstreamTransientError(`${err.message} (gave up after ${attempt + 1} attempts)`);
      const ceiling = Math.min(opts.retry.maxMs, opts.retry.baseMs * 2 ** attempt);
      const retryAfterMs = err instanceof UpstreamTransientError ? err.retryAfterMs : undefined;
      const delay = Math.max(Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS), Math.round(Math.random() * ceiling));
      opts.onRetry?.(attempt + 1, delay, err);
      await sleep(delay);
    }
  }
}

async function getOnce(url: string, opts: HttpJsonOptions): Promise<Uint8Array> {
  const res = await fetch(url, { headers: { accept: "application/json", ...opts.headers }, signal: AbortSignal.timeout(opts.timeoutMs), redirect: "follow" });
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const body = await readCapped(res.body, maxBytes);
  if (!body) throw new UpstreamPermanentError(`The ${opts.what} answered more than ${maxBytes} bytes`);
  if (res.ok) return body;
  const text = Buffer.from(body).toString("utf8");
  if (res.status === 429 || res.status >= 500) {
    const ra = res.headers.get("retry-after");
    throw new UpstreamTransientError(`HTTP ${res.status} from the ${opts.what}${brief(text)}`, ra ? retryAfterToMs(ra) : undefined);
  }
  throw new UpstreamPermanentError(`HTTP ${res.status} from the ${opts.what}${brief(text)}`, res.status, text.slice(0, 2000));
}

function classify(raw: unknown, what: string): Error {
  const e = raw as Error & { cause?: { code?: string } };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return new UpstreamTransientError(`The ${what} did not answer in time`);
  if (e instanceof TypeError) return new UpstreamTransientError(`Network error reaching the ${what}: ${e.cause?.code ?? e.message}`);
  return new UpstreamPermanentError(e?.message ?? String(raw));
}

/** A short, single-line excerpt of an error body for messages (shown escaped by the pages). */
function brief(text: string): string {
  const t = text.replace(/\s+/g, " ").trim().slice(0, 200);
  return t ? `: ${t}` : "";
}

export function retryAfterToMs(v: string): number | undefined {
  const secs = Number(v);
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}
