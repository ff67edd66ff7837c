// Fault injection for the demo subgraph: what tests can make the next requests suffer, as a real
// gateway or graph-node does: HTTP errors with HTML bodies and Retry-After, GraphQL errors with
// HTTP 200, slow answers, and an indexer that is behind the head. subgraph-server.ts keeps the
// queue (DemoSubgraph.injectFaults); each fault answers exactly one later POST, in order.

export type Fault =
  | { status: number; body?: string; retryAfter?: number }
  | { graphqlErrors: string[] }
  | { delayMs: number }
  /**
   * Answered by an indexer this many blocks behind the head, as a gateway may route one page of a run
   * to: a query pinned above that indexer's last block gets graph-node's "not yet available" answer
   * (HTTP 200, `{"errors":[{"message":"Failed to decode `block.number` value: ..."}]}`, no data);
   * anything else is answered at that lower head.
   */
  | { indexedBehind: number };

/** The answer to a request a status or GraphQL-errors fault takes over. */
export function faultResponse(fault: Exclude<Fault, { delayMs: number } | { indexedBehind: number }>): {
  status: number;
  body: string;
  headers: Record<string, string>;
} {
  if ("graphqlErrors" in fault) return { status: 200, body: JSON.stringify({ errors: fault.graphqlErrors.map((message) => ({ message })) }), headers: {} };
  // Gateways and proxies answer 5xx/429 with HTML pages, not JSON.
  const body = fault.body ?? `<html><head><title>${fault.status}</title></head><body><h1>${fault.status}</h1></body></html>`;
  const headers: Record<string, string> = { "content-type": body.trimStart().startsWith("{") ? "application/json" : "text/html" };
  if (fault.retryAfter !== undefined) headers["retry-after"] = String(fault.retryAfter);
  return { status: fault.status, body, headers };
}

/** Best effort, for the request log only: a faulted request is still recorded with what it asked. */
export function safeJson(body: string): { query?: string; variables?: unknown } {
  try {
    return JSON.parse(body);
  } catch {
    return {};
  }
}
