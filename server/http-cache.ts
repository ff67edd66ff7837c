// HTTP caching and compression (issue 13), shared by the Remix bridge and the static files:
//
// - Cache-Control, when the route did not choose one: pages and APIs change with each indexer run,
//   so browsers revalidate every time (max-age=0) while a shared cache (a CDN in front) may serve a
//   copy for a minute and a stale one for another while it revalidates; the status page and
//   /api/status are always revalidated; /healthz, errors, redirects and anything but GET and HEAD
//   are never stored. Saved reports set their own (immutable: they never change).
// - An ETag from the body (SHA-256), with If-None-Match answered 304: strong when the body is the
//   same for every request, weak when per-response parts (a document's CSP nonce, an API answer's
//   provenance.generatedAt) were left out of the hash. A 304 carries no Content-Security-Policy, so
//   a cache keeps the policy whose nonce matches the body it holds.
// - gzip or brotli when the client accepts it, for text-like types of 1 KB or more. Each content
//   coding is its own representation, so its tag gets a suffix (-br, -gz) and Vary: Accept-Encoding.
import crypto from "node:crypto";
import zlib from "node:zlib";

export const CACHE_CONTROL = {
  /** Data that changes with each indexer run (or push). */
  data: "public, max-age=0, s-maxage=60, stale-while-revalidate=60",
  /** Revalidated on every use: the status page shows runs as they happen. */
  live: "no-cache",
  /** Never stored: errors, redirects, writes, health checks, per-request answers. */
  none: "no-store",
  /** Never changes: saved reports. */
  frozen: "public, max-age=31536000, immutable",
} as const;

// Revalidated every time and never kept by the render cache: the status page states times to the
// second, and the alert and program pages follow ALERTS_FILE and PROGRAMS_FILE, which are not in the database.
export const LIVE_PATHS = /^\/(status|api\/status|alerts|api\/alerts|alerts\.atom|programs(\/[^/]+)?|api\/programs(\/[^/]+)?)(\.data)?\/?$/;
const UNSTORED_PATHS = /^\/(healthz|api\/ingest\/)/;

/** The Cache-Control of a response whose route did not set one. */
export function defaultCacheControl(method: string, path: string, status: number): string {
  if ((method !== "GET" && method !== "HEAD") || status !== 200 || UNSTORED_PATHS.test(path)) return CACHE_CONTROL.none;
  return LIVE_PATHS.test(path) ? CACHE_CONTROL.live : CACHE_CONTROL.data;
}

/** Whether a response with this Cache-Control may be stored (and so gets an ETag). */
export function storable(cacheControl: string): boolean {
  return !/(^|,)\s*(no-store|private)\b/i.test(cacheControl);
}

/** Bodies below this size are sent as they are: compressing them saves nothing. */
export const MIN_COMPRESS_BYTES = 1024;

/** Types worth compressing (images other than SVG, PDFs and archives are compressed already). */
export function compressible(contentType: string | undefined | null): boolean {
  if (!contentType) return false;
  const t = contentType.split(";")[0].trim().toLowerCase();
  if (t === "text/event-stream") return false;
  return t.startsWith("text/") || /^application\/(json|javascript|x-ndjson|xml|manifest\+json|ld\+json)$/.test(t) || t === "image/svg+xml";
}

export type Encoding = "br" | "gzip";

/** The coding to answer with, from Accept-Encoding: brotli over gzip; null for identity. */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding | null {
  if (!acceptEncoding) return null;
  const q = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(",")) {
    const [name, ...params] = part.trim().split(";");
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const v = qp ? Number(qp.slice(2)) : 1;
    if (name) q.set(name.trim(), Number.isFinite(v) ? v : 0);
  }
  const star = q.get("*") ?? 0;
  const of = (n: string) => q.get(n) ?? star;
  const br = of("br");
  const gz = Math.max(of("gzip"), q.get("x-gzip") ?? 0);
  if (br > 0 && br >= gz) return "br";
  if (gz > 0) return "gzip";
  return null;
}

const SUFFIX: Record<Encoding, string> = { br: "-br", gzip: "-gz" };

/**
 * The ETag of a body: strong (its SHA-256) when the body is the same for every request; weak when
 * parts that differ per response were left out of the hash (`volatile`: a document's CSP nonce, an
 * API answer's provenance.generatedAt), since two such bodies are equivalent but not byte-equal.
 * If-None-Match compares weakly either way, so both give 304s.
 */
export function etagOf(body: Buffer, opts: { volatile?: (string | RegExp)[]; encoding?: Encoding | null } = {}): string {
  const h = crypto.createHash("sha256");
  let weak = false;
  if (opts.volatile?.length) {
    let text = body.toString("utf8");
    for (const v of opts.volatile) {
      const next = typeof v === "string" ? (v ? text.replaceAll(v, "\u0000") : text) : text.replace(v, "\u0000");
      weak ||= next !== text;
      text = next;
    }
    h.update(text);
  } else h.update(body);
  return `${weak ? "W/" : ""}"${h.digest("base64url").slice(0, 27)}${opts.encoding ? SUFFIX[opts.encoding] : ""}"`;
}

/** The tag of one content coding of a representation, from the tag of its identity body. */
export function withCoding(etag: string, encoding: Encoding | null): string {
  return encoding ? etag.replace(/"$/, `${SUFFIX[encoding]}"`) : etag;
}

/** Per-response parts of a body that its ETag leaves out (see etagOf). */
export function volatileParts(contentType: string, nonce: string | undefined): (string | RegExp)[] {
  if (contentType.startsWith("text/html")) return nonce ? [nonce] : [];
  if (contentType.startsWith("application/json")) return [/"generatedAt":"[^"]{0,40}"/g];
  return [];
}

/** Whether If-None-Match names this representation's tag (in any of its codings) or is "*". */
export function matchesIfNoneMatch(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const base = (t: string) => t.trim().replace(/^W\//, "").replace(/^"|"$/g, "").replace(/-(br|gz)$/, "");
  const mine = base(etag);
  return ifNoneMatch.split(",").some((t) => t.trim() === "*" || base(t) === mine);
}

/** Compresses a whole body (brotli at a quality that keeps a page's render time, or gzip level 6). */
export function compress(body: Buffer, encoding: Encoding, level: "fast" | "best" = "fast"): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const done = (e: Error | null, out: Buffer) => (e ? reject(e) : resolve(out));
    if (encoding === "br")
      zlib.brotliCompress(
        body,
        { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: level === "best" ? 11 : 5, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } },
        done,
      );
    else zlib.gzip(body, { level: level === "best" ? 9 : 6 }, done);
  });
}

/** A compressing stream for a body sent as it is produced (flushed after each chunk). */
export function compressStream(encoding: Encoding): zlib.Gzip | zlib.BrotliCompress {
  return encoding === "br" ? zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } }) : zlib.createGzip({ level: 6 });
}
