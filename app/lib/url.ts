/** path?query with empty values left out, e.g. withParams("/api/fees", { from, to, format: "csv" }). */
export function withParams(path: string, params: Record<string, string | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** The current search params with some changed (null removes), as a "?..." string for a link. */
export function changeParams(current: URLSearchParams, changes: Record<string, string | null>): string {
  const q = new URLSearchParams(current);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === "") q.delete(k);
    else q.set(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : "?";
}
