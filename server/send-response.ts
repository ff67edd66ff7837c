// Writes a Fetch Response (Remix's answer) to the Node response, with the caching and compression of
// http-cache.ts. A storable GET is read whole first (up to BUFFER_MAX) for its ETag: pages render in
// one pass (no deferred data), so this costs no time to the last byte. Anything else, or a body past
// BUFFER_MAX, streams as it is produced, compressed chunk by chunk (each flushed). A client that goes
// away stops the copy quietly: no error, no log line.
import type { Request as ExpressRequest, Response as ExpressResponse } from "express";
import type { CachedAnswer, RenderCache } from "./render-cache";
import {
  chooseEncoding,
  compress,
  compressible,
  compressStream,
  defaultCacheControl,
  etagOf,
  matchesIfNoneMatch,
  MIN_COMPRESS_BYTES,
  storable,
  volatileParts,
  withCoding,
  type Encoding,
} from "./http-cache";

/** Bodies up to this size are read whole for an ETag; longer ones stream without one. */
export const BUFFER_MAX = 8 * 1024 * 1024;

const gone = (res: ExpressResponse) => res.destroyed || res.socket?.destroyed === true || !res.socket;

/** Where a whole answer goes to be kept (server/render-cache.ts), with the key it was rendered under. */
export interface StoreTo {
  cache: RenderCache;
  key: string;
}

/**
 * Sends an answer in two parts. Now: everything that does not wait on the client (the rest of the
 * render as the body is read, its ETag, compression, the whole answer handed to the socket). Then,
 * returned as `rest` (null when nothing is left): streaming a body that is not read whole, which
 * waits for the client to take each chunk. The server's read turns (render-gate.ts) cover the
 * first part only, so a crowd is answered in order and a slow reader holds no turn.
 */
export async function startResponse(
  req: ExpressRequest,
  res: ExpressResponse,
  response: Response,
  opts: { nonce?: string; store?: StoreTo },
): Promise<(() => Promise<void>) | null> {
  res.statusMessage = response.statusText;
  res.status(response.status);
  // The route's headers win over the defaults set earlier (security-headers.ts); cookies add up.
  for (const [key, value] of response.headers.entries()) {
    if (key === "set-cookie") res.append(key, value);
    else res.setHeader(key, value);
  }
  if (!res.getHeader("cache-control")) res.setHeader("cache-control", defaultCacheControl(req.method, req.path, response.status));
  const head = req.method === "HEAD";
  if (!response.body || response.status === 204 || response.status === 304) {
    res.end();
    return null;
  }

  const type = String(res.getHeader("content-type") ?? "");
  const encoding = compressible(type) && !res.getHeader("content-encoding") ? chooseEncoding(req.get("accept-encoding")) : null;
  if (compressible(type)) res.append("vary", "Accept-Encoding");
  const reader = response.body.getReader();
  const cancel = () => void reader.cancel().catch(() => {});
  res.once("close", () => {
    if (!res.writableFinished) cancel();
  });

  const chunks: Buffer[] = [];
  if ((req.method === "GET" || head) && response.status === 200 && storable(String(res.getHeader("cache-control")))) {
    let size = 0;
    for (;;) {
      const r = await reader.read();
      if (r.done) return sendWhole(req, res, Buffer.concat(chunks, size), encoding, volatileParts(type, opts.nonce), opts.store).then(() => null);
      chunks.push(Buffer.from(r.value));
      size += r.value.byteLength;
      if (size > BUFFER_MAX) break; // too long to hold: stream it (without an ETag)
    }
  }
  if (head) {
    cancel();
    res.end();
    return null;
  }
  if (encoding && !chunks.length) {
    // Whether it is worth compressing: read its first kilobyte (or all of it, if less).
    let size = 0;
    while (size < MIN_COMPRESS_BYTES) {
      const r = await reader.read();
      if (r.done) {
        if (gone(res)) return null;
        const body = Buffer.concat(chunks, size);
        res.setHeader("content-length", body.length);
        res.end(body);
        return null;
      }
      chunks.push(Buffer.from(r.value));
      size += r.value.byteLength;
    }
  }
  return () => streamRest(res, reader, chunks, encoding);
}

async function sendWhole(
  req: ExpressRequest,
  res: ExpressResponse,
  body: Buffer,
  encoding: Encoding | null,
  volatile: (string | RegExp)[],
  store?: StoreTo,
): Promise<void> {
  const coding = encoding && body.length >= MIN_COMPRESS_BYTES ? encoding : null;
  // One hash per answer: the coded representation's tag is the identity tag with a suffix.
  const identityTag = etagOf(body, { volatile });
  const etag = withCoding(identityTag, coding);
  if (store && !/no-cache/i.test(String(res.getHeader("cache-control") ?? ""))) {
    const headers: [string, string][] = [];
    for (const [k, v] of Object.entries(res.getHeaders()))
      if (v !== undefined && !/^(content-length|content-encoding|etag|x-observatory-cache)$/.test(k)) for (const x of [v].flat()) headers.push([k, String(x)]);
    store.cache.set(store.key, { status: res.statusCode, headers, body, etag: identityTag, variants: new Map() });
  }
  if (gone(res)) return;
  res.setHeader("etag", etag);
  if (matchesIfNoneMatch(req.get("if-none-match"), etag)) {
    // The cache keeps the body (and the policy whose nonce it carries) it already has.
    for (const h of ["content-security-policy", "content-type", "content-length", "content-disposition"]) res.removeHeader(h);
    res.status(304).end();
    return;
  }
  const out = coding ? await compress(body, coding) : body;
  if (coding) res.setHeader("content-encoding", coding);
  res.setHeader("content-length", out.length);
  if (gone(res)) return;
  res.end(req.method === "HEAD" ? undefined : out);
}

/** Sends what was read so far and then the rest as it arrives, compressed chunk by chunk if asked. */
async function streamRest(res: ExpressResponse, reader: ReadableStreamDefaultReader<Uint8Array>, first: Buffer[], encoding: Encoding | null): Promise<void> {
  res.removeHeader("content-length");
  let sink: NodeJS.WritableStream = res;
  let z: ReturnType<typeof compressStream> | null = null;
  if (encoding) {
    res.setHeader("content-encoding", encoding);
    z = compressStream(encoding);
    z.on("error", () => res.destroy());
    z.pipe(res);
    sink = z;
  }
  const write = async (chunk: Uint8Array) => {
    const more = sink.write(chunk);
    z?.flush();
    if (!more && !gone(res)) await new Promise<void>((r) => (sink.once("drain", r), res.once("close", r)));
  };
  try {
    for (const c of first) await write(c);
    for (;;) {
      if (gone(res)) return;
      const r = await reader.read();
      if (r.done) break;
      await write(r.value);
    }
    sink.end();
  } catch (e) {
    if (gone(res)) return; // the client left mid-body
    res.destroy(e as Error);
  }
}

/** Answers from a kept render (server/render-cache.ts): its headers, ETag and bytes, compressed once per coding. */
export async function sendCached(req: ExpressRequest, res: ExpressResponse, hit: CachedAnswer, from: StoreTo): Promise<void> {
  res.status(hit.status);
  for (const [k, v] of hit.headers) res.setHeader(k, v);
  const type = String(res.getHeader("content-type") ?? "");
  const coding = compressible(type) && hit.body.length >= MIN_COMPRESS_BYTES ? chooseEncoding(req.get("accept-encoding")) : null;
  const etag = withCoding(hit.etag, coding);
  res.setHeader("etag", etag);
  if (matchesIfNoneMatch(req.get("if-none-match"), etag)) {
    for (const h of ["content-security-policy", "content-type", "content-length", "content-disposition"]) res.removeHeader(h);
    return void res.status(304).end();
  }
  let out = hit.body;
  if (coding) {
    let v = hit.variants.get(coding);
    if (!v) from.cache.addVariant(from.key, hit, coding, (v = await compress(hit.body, coding)));
    out = v;
    res.setHeader("content-encoding", coding);
  }
  res.setHeader("content-length", out.length);
  if (gone(res)) return;
  res.end(out);
}
