// Static files (the bundles under /build, the favicon) compressed: each text-like file of 1 KB or
// more is compressed once at the best level (brotli 11, gzip 9) and kept in memory, keyed by its
// path, size and modification time, then served with a strong ETag and 304s. Anything else (an
// identity request, a Range request, a small or binary file, a missing one) falls through to
// express.static after it.
import fs from "node:fs";
import path from "node:path";
import type { NextFunction, Request, Response } from "express";
import { chooseEncoding, compress, compressible, etagOf, matchesIfNoneMatch, MIN_COMPRESS_BYTES, type Encoding } from "./http-cache";

interface Compressed {
  key: string;
  body: Buffer;
  etag: string;
}

const TYPES: Record<string, string> = {
  ".js": "application/javascript; charset=utf-8",
  ".mjs": "application/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".html": "text/html; charset=utf-8",
};

export function compressedStatic(dir: string, cacheControl: string) {
  const root = path.resolve(dir);
  const cache = new Map<string, Promise<Compressed>>();
  return async (req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== "GET" && req.method !== "HEAD") || req.headers.range) return next();
    const type = TYPES[path.extname(req.path).toLowerCase()];
    const encoding = compressible(type) ? chooseEncoding(req.get("accept-encoding")) : null;
    if (!encoding) return next();
    let file: string;
    try {
      file = path.resolve(root, "." + decodeURIComponent(req.path));
    } catch {
      return next();
    }
    if (!file.startsWith(root + path.sep)) return next();
    let st: fs.Stats;
    try {
      st = await fs.promises.stat(file);
    } catch {
      return next();
    }
    if (!st.isFile() || st.size < MIN_COMPRESS_BYTES) return next();
    const key = `${file}\u0000${encoding}`;
    const version = `${st.size}:${st.mtimeMs}`;
    let entry = cache.get(key);
    if (!entry || (await entry.catch(() => null))?.key !== version) {
      entry = load(file, encoding, version);
      cache.set(key, entry);
    }
    let c: Compressed;
    try {
      c = await entry;
    } catch {
      cache.delete(key);
      return next();
    }
    res.setHeader("content-type", type);
    res.setHeader("cache-control", cacheControl);
    res.setHeader("vary", "Accept-Encoding");
    res.setHeader("etag", c.etag);
    if (matchesIfNoneMatch(req.get("if-none-match"), c.etag)) return void res.status(304).end();
    res.setHeader("content-encoding", encoding);
    res.setHeader("content-length", c.body.length);
    res.status(200).end(req.method === "HEAD" ? undefined : c.body);
  };
}

async function load(file: string, encoding: Encoding, version: string): Promise<Compressed> {
  const raw = await fs.promises.readFile(file);
  return { key: version, body: await compress(raw, encoding, "best"), etag: etagOf(raw, { encoding }) };
}
