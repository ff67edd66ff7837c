// Pages whose data did not change are not rendered again (issue 13). A GET answer that may be stored
// (http-cache.ts) is kept in memory, whole, under a key made of:
//   - the database's WAL position (pg_current_wal_lsn; on a standby serving reads, the position it
//     has replayed): every committed write moves it, whichever
//     process made it (the indexer in this process or another, a push, a saved report); reads do
//     not. So an entry is served only while the database holds exactly what it held when the entry
//     was rendered. A write that commits while a page renders moves the position, so that render is
//     stored under a key no later request asks for: never served stale, only wasted.
//   - the minute: pages state the indexer's lag in whole minutes and default windows follow the
//     clock, so an entry lives at most until the minute turns.
//   - the full URL with its host (pages write absolute links for embeds and og:url).
// A hit is answered with the rendered bytes, headers and ETag, compressed once per coding. Its
// Content-Security-Policy is the one it was rendered with: the nonce in the page is the nonce in the
// header, and it is served again only for this same URL and data, so a script injected through the
// URL cannot learn it in advance (a different URL is a different render with a fresh nonce).
// PDFs keep their own cache and rate limit (app/lib/pdf-cache.server.ts) and are not kept here.
import type { Querier } from "../db/client";
import { LIVE_PATHS, type Encoding } from "./http-cache";

export interface CachedAnswer {
  status: number;
  /** The response's headers when it was sent (CSP included), without length and coding. */
  headers: [string, string][];
  body: Buffer;
  etag: string;
  /** Compressed bodies, made on first use. */
  variants: Map<Encoding, Buffer>;
}

const UNCACHED_PATHS = /(\.pdf$)|^\/(healthz|api\/ingest\/)/;

export class RenderCache {
  private entries = new Map<string, CachedAnswer>();
  private bytes = 0;

  constructor(
    private readonly q: Querier,
    readonly maxBytes: number,
  ) {}

  /** Whether a request may be answered from (and stored in) the cache. */
  static applies(method: string, path: string): boolean {
    // The status page states times to the second: always rendered.
    return method === "GET" && !UNCACHED_PATHS.test(path) && !LIVE_PATHS.test(path);
  }

  /** The key of a URL now, or null when the database cannot say where it is (then nothing is cached). */
  async keyOf(url: string): Promise<string | null> {
    try {
      // On a standby (db/read-replica.ts) the position it has replayed; on a primary, where it writes.
      const [r] = await this.q.query<{ lsn: string }>(`select coalesce(pg_last_wal_replay_lsn(), pg_current_wal_lsn())::text as lsn`);
      return `${Math.floor(Date.now() / 60_000)} ${r.lsn} ${url}`;
    } catch {
      return null;
    }
  }

  get(key: string): CachedAnswer | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    // Least recently used first: a hit moves to the end.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e;
  }

  set(key: string, e: CachedAnswer): void {
    const size = sizeOf(e);
    if (size > this.maxBytes / 4) return; // one answer never takes most of the cache
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= sizeOf(old);
      this.entries.delete(key);
    }
    this.entries.set(key, e);
    this.bytes += size;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= sizeOf(v);
    }
  }

  /** Adds a compressed variant to an entry (counted against the cache's size while it is held). */
  addVariant(key: string, e: CachedAnswer, encoding: Encoding, body: Buffer): void {
    if (e.variants.has(encoding)) return;
    e.variants.set(encoding, body);
    if (this.entries.get(key) === e) this.bytes += body.length;
  }
}

function sizeOf(e: CachedAnswer): number {
  let n = e.body.length + 512;
  for (const v of e.variants.values()) n += v.length;
  for (const [k, v] of e.headers) n += k.length + v.length;
  return n;
}
