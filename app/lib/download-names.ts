// Names of downloaded files (CSV, JSON, PNG, SVG), shared by the API routes and the browser: every
// file says it came from Observatory, what it holds and its range, e.g.
// observatory-fees-day-2025-01-01_2025-03-31.csv. Plain (no server imports): components use it too.

export const EXPORT_PREFIX = "observatory";

/** Letters, digits, dot, dash and underscore only: safe in a Content-Disposition header and on disk. */
export function fileSafe(s: string): string {
  const safe = s.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^[._]+/, "");
  if (safe.length <= 200) return safe;
  const ext = /\.[A-Za-z0-9]{1,5}$/.exec(safe)?.[0] ?? "";
  return safe.slice(0, 200 - ext.length) + ext;
}

/** "observatory-<name>" unless the name already starts with the prefix; made file-safe. */
export function prefixed(name: string): string {
  const safe = fileSafe(name);
  return safe.startsWith(`${EXPORT_PREFIX}-`) ? safe : fileSafe(`${EXPORT_PREFIX}-${safe}`);
}

/**
 * Base name (no extension) of an export: observatory-<what>[-<tags>]-<from>_<to>. Tags (interval,
 * filters) come before the range; empty tags are left out.
 */
export function exportName(what: string, range?: { from: string; to: string } | null, ...tags: (string | null | undefined)[]): string {
  const parts = [what, ...tags.filter((t): t is string => typeof t === "string" && t !== "")];
  if (range) parts.push(`${range.from}_${range.to}`);
  return prefixed(parts.join("-"));
}

export type QueryParams = Record<string, string | readonly string[] | null | undefined>;

/** path?query with empty values left out; an array repeats its key (address=…&address=…). */
export function queryHref(path: string, params: QueryParams): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined) continue;
    for (const x of typeof v === "string" ? [v] : v) if (x !== "") q.append(k, x);
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
