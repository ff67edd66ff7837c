// The names of one orchestrator (docs/gateway-events.md section 4): canonical address, hot wallet,
// service URL. Events carry whichever name they have; this file turns it into the alias that
// orch_aliases maps to a canonical address. Pure.

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/**
 * A service URL as an alias: scheme and host lowercased, default port dropped, no trailing slash,
 * no path beyond it ("https://Orch.example:8935/" and "https://orch.example:8935" are one name).
 * Text that is not an http(s) URL is kept trimmed and lowercased, so it still shows as what it was.
 */
export function normaliseUrl(url: string): string {
  const t = url.trim();
  try {
    const u = new URL(t);
    if (u.protocol !== "http:" && u.protocol !== "https:") return t.toLowerCase();
    const path = u.pathname.replace(/\/+$/, "");
    return `${u.protocol}//${u.host}${path}`.toLowerCase();
  } catch {
    return t.toLowerCase();
  }
}

/** The alias an event's orchestrator is stored under: its address when it has one, else its URL, else ''. */
export function orchAlias(addressLike: string | null | undefined, url: string | null | undefined): string {
  const a = (addressLike ?? "").trim();
  if (ADDRESS.test(a)) return a.toLowerCase();
  const u = (url ?? "").trim();
  return u ? normaliseUrl(u) : "";
}

/** Whether an alias is an address (resolvable by itself when it is canonical) rather than a URL. */
export function aliasIsAddress(alias: string): boolean {
  return ADDRESS.test(alias);
}
