// Pages whose data did not change are not rendered again (issue 13). A GET answer that may be stored
// (http-cache.ts) is kept in memory, whole, under a key made of:
//   - the database's transaction snapshot (pg_current_snapshot(): xmin, xmax and the transactions in
//     progress; on a standby serving reads, its own snapshot of what it has replayed). Two equal
//     snapshots see exactly the same committed transactions, and every commit changes it, whichever
//     process made it (the indexer in this process or another, a push, a saved report); reads do
//     not. So an entry is served only while the database holds exactly what it held when its key
//     was read. The render's queries run after that, so they see at least that; one that also saw a
//     later commit is stored under a key no later request asks for: never served stale, only wasted.
//     Not the WAL position: pg_current_wal_lsn() moves only when WAL is written out, which a commit
//     with synchronous_commit off (the ingest batches) leaves to the WAL writer up to 200 ms later,
//     and PGlite has no WAL writer at all; a key read in between served the page from before.
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
      // On a standby (db/read-replica.ts) the snapshot of what it has replayed.
      const [r] = await this.q.query<{ snapshot: string }>(`select pg_current_snapshot()::text as snapshot`);
      return `${Math.floor(Date.now() / 60_000)} ${r.snapshot} ${url}`;
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
