// Talks to a Livepeer subgraph (The Graph, a self-hosted graph-node, or the demo network) and returns
// typed records. Never touches the database. Rules from The Graph: page with cursors (never `skip`),
// pin every page of a run to one block, retry transient failures with bounded jittered backoff.
import { ClientError, GraphQLClient } from "graphql-request";
import { isRetryable, PermanentError as PermanentBase, RetryableError } from "../../../core/errors";
import type { RetryPolicy } from "../../config";
import type {
  BroadcasterRecord,
  DayRecord,
  EntityDayRecord,
  ProtocolRecord,
  TicketRecord,
  TranscoderRecord,
} from "./records";

/** A failure worth retrying (retryable): network errors, timeouts, 429, 5xx, HTTP 200 with indexer errors. */
export class TransientError extends RetryableError {
  constructor(message: string, readonly retryAfterMs?: number) {
    super(message);
  }
}
/** A failure retrying cannot fix (permanent): a query the endpoint rejects, other 4xx, an unexpected response shape. */
export class PermanentError extends PermanentBase {}

// Errors graph-node and The Graph's gateway return with HTTP 200 that go away on their own.
const TRANSIENT_GRAPHQL = /bad indexers|unavailable|too far behind|exhausted list of indexers|timeout|timed out|no block with that hash|indexer|rate limit|internal error|service is overloaded/i;
// graph-node's answer (HTTP 200, in `errors`, also inside a gateway's wrapper) when the indexer serving
// a page has not reached the run's pinned block yet; it clears as that indexer catches up. Its
// wording (graph-node graphql/src/store/resolver.rs and graph/src/data/query/error.rs): "Failed to
// decode `block.number` value: `subgraph <id> has only indexed up to block number <N> and data for
// block number <M> is therefore not yet available`". Its sibling for a block older than the indexer
// keeps ("only has data starting at block number ... is therefore not available") is not matched.
const BLOCK_NOT_YET_INDEXED = /has only indexed up to block number \d+ and data for block number \d+ is therefore not yet available/i;

export interface SubgraphClientOptions {
  retry: RetryPolicy;
  timeoutMs: number;
  onRetry?: (attempt: number, delayMs: number, error: Error) => void;
  sleep?: (ms: number) => Promise<void>;
}

export class SubgraphClient {
  private readonly client: GraphQLClient;
  requests = 0;

  constructor(readonly url: string, private readonly opts: SubgraphClientOptions) {
    this.client = new GraphQLClient(url, {
      fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(opts.timeoutMs) }),
    });
  }

  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const { maxRetries, baseMs, maxMs } = this.opts.retry;
    const sleep = this.opts.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
    for (let attempt = 0; ; attempt++) {
      try {
        this.requests++;
        const res = await this.client.rawRequest<T>(query, variables);
        return res.data;
      } catch (raw) {
        const err = classify(raw);
        // One rule answers "is it retried?" everywhere: the error's kind (core/errors.ts).
        if (!isRetryable(err)) throw err;
        if (attempt >= maxRetries) throw new TransientError(`${err.message} (gave up after ${attempt + 1} attempts)`);
        // Full jitter on an exponential ceiling, but never sooner than the server's Retry-After.
        const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
        const retryAfterMs = err instanceof TransientError ? err.retryAfterMs : undefined;
        const delay = Math.min(maxMs, Math.max(retryAfterMs ?? 0, Math.round(Math.random() * ceiling)));
        this.opts.onRetry?.(attempt + 1, delay, err);
        await sleep(delay);
      }
    }
  }
}

function classify(raw: unknown): TransientError | PermanentError {
  if (raw instanceof ClientError) {
    const status = raw.response.status;
    const errors = raw.response.errors ?? [];
    const text = errors.map((e) => e.message).join("; ");
    if (status === 429 || status >= 500) {
      const ra = raw.response.headers?.get?.("retry-after");
      const retryAfterMs = ra ? retryAfterToMs(ra) : undefined;
      return new TransientError(`HTTP ${status} from the subgraph${text ? `: ${text}` : ""}`, retryAfterMs);
    }
    if (status >= 400) return new PermanentError(`HTTP ${status} from the subgraph (check SUBGRAPH_URL and its API key)`);
    if (errors.length && (TRANSIENT_GRAPHQL.test(text) || BLOCK_NOT_YET_INDEXED.test(text))) return new TransientError(`Subgraph error: ${text}`);
    return new PermanentError(`Subgraph rejected the query: ${text || "unknown error"}`);
  }
  const e = raw as Error & { cause?: { code?: string } };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return new TransientError("Subgraph request timed out");
  if (e instanceof TypeError) return new TransientError(`Network error reaching the subgraph: ${e.cause?.code ?? e.message}`);
  if (e instanceof SyntaxError) return new TransientError(`Subgraph sent a response that is not JSON: ${e.message}`);
  return new PermanentError(e?.message ?? String(raw));
}

function retryAfterToMs(v: string): number | undefined {
  const secs = Number(v);
  if (Number.isFinite(secs)) return secs * 1000;
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Queries. Every collection query takes `$block` so a run reads one consistent snapshot.

export interface SubgraphMeta {
  block: number;
  blockTimestamp: number | null;
  deployment: string | null;
  hasIndexingErrors: boolean;
}

export async function fetchMeta(c: SubgraphClient): Promise<SubgraphMeta> {
  const d = await c.request<{ _meta: { block: { number: number; timestamp: number | null }; deployment: string; hasIndexingErrors: boolean } }>(
    `{ _meta { block { number timestamp } deployment hasIndexingErrors } }`,
  );
  if (!d?._meta?.block) throw new PermanentError("The subgraph answered without _meta.block: is SUBGRAPH_URL a subgraph endpoint?");
  return {
    block: d._meta.block.number,
    blockTimestamp: d._meta.block.timestamp ?? null,
    deployment: d._meta.deployment ?? null,
    hasIndexingErrors: d._meta.hasIndexingErrors,
  };
}

export type Raw = Record<string, any>;
export const idOf = (x: { id: string } | null | undefined) => (x ? x.id.toLowerCase() : null);

export interface Collection<R> {
  field: string;
  selection: string;
  map(raw: Raw): R;
}

export const DAYS: Collection<DayRecord> = {
  field: "days",
  selection: "id date volumeETH volumeUSD totalActiveStake participationRate activeTranscoderCount",
  map: (r) => ({
    dayNumber: Math.floor(Number(r.date) / 86400),
    volumeEth: r.volumeETH,
    volumeUsd: r.volumeUSD,
    totalActiveStake: r.totalActiveStake ?? null,
    participationRate: r.participationRate ?? null,
    activeTranscoderCount: r.activeTranscoderCount ?? null,
  }),
};

export const TRANSCODERS: Collection<TranscoderRecord> = {
  field: "transcoders",
  selection:
    "id active status activationRound deactivationRound feeShare rewardCut totalStake totalVolumeETH totalVolumeUSD thirtyDayVolumeETH ninetyDayVolumeETH serviceURI lastRewardRound { id }",
  map: (r) => ({
    address: r.id.toLowerCase(),
    active: Boolean(r.active),
    status: r.status ?? null,
    activationRound: r.activationRound ?? null,
    deactivationRound: r.deactivationRound ?? null,
    feeShare: r.feeShare ?? null,
    rewardCut: r.rewardCut ?? null,
    totalStake: r.totalStake ?? "0",
    totalVolumeEth: r.totalVolumeETH ?? "0",
    totalVolumeUsd: r.totalVolumeUSD ?? "0",
    thirtyDayVolumeEth: r.thirtyDayVolumeETH ?? null,
    ninetyDayVolumeEth: r.ninetyDayVolumeETH ?? null,
    serviceUri: r.serviceURI ?? null,
    lastRewardRound: idOf(r.lastRewardRound),
  }),
};

const entityDay = (field: string, rel: string): Collection<EntityDayRecord> => ({
  field,
  selection: `id date volumeETH volumeUSD ${rel} { id }`,
  map: (r) => ({ id: r.id, address: idOf(r[rel])!, date: Number(r.date), volumeEth: r.volumeETH, volumeUsd: r.volumeUSD }),
});
export const TRANSCODER_DAYS = entityDay("transcoderDays", "transcoder");
export const BROADCASTER_DAYS = entityDay("broadcasterDays", "broadcaster");

export const BROADCASTERS: Collection<BroadcasterRecord> = {
  field: "broadcasters",
  selection: "id deposit reserve totalVolumeETH totalVolumeUSD ninetyDayVolumeETH",
  map: (r) => ({
    address: r.id.toLowerCase(),
    deposit: r.deposit ?? null,
    reserve: r.reserve ?? null,
    totalVolumeEth: r.totalVolumeETH ?? "0",
    totalVolumeUsd: r.totalVolumeUSD ?? "0",
    ninetyDayVolumeEth: r.ninetyDayVolumeETH ?? null,
  }),
};

export const TICKETS: Collection<TicketRecord> = {
  field: "winningTicketRedeemedEvents",
  selection: "id timestamp faceValue faceValueUSD winProb round { id } sender { id } recipient { id } transaction { id blockNumber }",
  map: (r) => ({
    id: r.id,
    timestamp: Number(r.timestamp),
    blockNumber: Number(r.transaction?.blockNumber ?? 0),
    round: r.round?.id ?? "",
    sender: idOf(r.sender)!,
    recipient: idOf(r.recipient)!,
    faceValueEth: r.faceValue,
    faceValueUsd: r.faceValueUSD ?? "0",
    winProb: r.winProb ?? null,
  }),
};

/**
 * Every entity of a collection matching `where`, at `block`, paged by `id_gt` in id order.
 * Yields one page at a time so the caller can store it (and report progress) before asking for more.
 */
export async function* pageById<R>(
  c: SubgraphClient,
  col: Collection<R>,
  opts: { block: number; pageSize: number; where?: Record<string, unknown> },
): AsyncGenerator<R[]> {
  const query = `query Page($block: Int!, $first: Int!, $where: ${whereType(col.field)}) {
    items: ${col.field}(first: $first, orderBy: id, orderDirection: asc, where: $where, block: { number: $block }) { ${col.selection} }
  }`;
  let lastId: string | null = null;
  for (;;) {
    const where = { ...(opts.where ?? {}), ...(lastId === null ? {} : { id_gt: lastId }) };
    const d: { items: Raw[] } = await c.request(query, { block: opts.block, first: opts.pageSize, where });
    if (!Array.isArray(d?.items)) throw new PermanentError(`Unexpected response for ${col.field}: no list`);
    if (d.items.length) yield d.items.map(col.map);
    if (d.items.length < opts.pageSize) return;
    lastId = d.items[d.items.length - 1].id;
  }
}

/**
 * Tickets with timestamp >= fromTs, at `block`, in timestamp order. Events are paged by timestamp
 * with `_gte` (a strict `_gt` would drop tickets sharing a second across a page boundary); the
 * overlap is removed here by id. If a whole page shares one second, that second is paged by id.
 */
export function pageTickets(c: SubgraphClient, opts: { block: number; pageSize: number; fromTs: number }): AsyncGenerator<TicketRecord[]> {
  return pageByTimestamp(c, TICKETS, opts);
}

/** Any immutable event collection (an `id` and a `timestamp`), paged as tickets are (pageTickets). */
export async function* pageByTimestamp<R extends { id: string; timestamp: number }>(
  c: SubgraphClient,
  col: Collection<R>,
  opts: { block: number; pageSize: number; fromTs: number },
): AsyncGenerator<R[]> {
  const query = `query Events($block: Int!, $first: Int!, $where: ${whereType(col.field)}) {
    items: ${col.field}(first: $first, orderBy: timestamp, orderDirection: asc, where: $where, block: { number: $block }) { ${col.selection} }
  }`;
  let fromTs = opts.fromTs;
  let seenAtFromTs = new Set<string>();
  for (;;) {
    const d: { items: Raw[] } = await c.request(query, { block: opts.block, first: opts.pageSize, where: { timestamp_gte: fromTs } });
    if (!Array.isArray(d?.items)) throw new PermanentError(`Unexpected response for ${col.field}: no list`);
    const rows = d.items.map(col.map);
    const fresh = rows.filter((r) => !(r.timestamp === fromTs && seenAtFromTs.has(r.id)));
    const full = rows.length === opts.pageSize;
    const lastTs = rows.length ? rows[rows.length - 1].timestamp : fromTs;
    if (full && lastTs === fromTs) {
      // One second holds a full page or more: walk that second by id, then move past it.
      for await (const page of pageById(c, col, { block: opts.block, pageSize: opts.pageSize, where: { timestamp: fromTs } })) {
        const unseen = page.filter((r) => !seenAtFromTs.has(r.id));
        if (unseen.length) yield unseen;
      }
      const next: { items: Raw[] } = await c.request(query, { block: opts.block, first: 1, where: { timestamp_gt: fromTs } });
      if (!next.items.length) return;
      fromTs = Number(next.items[0].timestamp);
      seenAtFromTs = new Set();
      continue;
    }
    if (fresh.length) yield fresh;
    if (!full) return;
    seenAtFromTs = new Set(rows.filter((r) => r.timestamp === lastTs).map((r) => r.id));
    fromTs = lastTs;
  }
}

export async function fetchProtocol(c: SubgraphClient, block: number): Promise<ProtocolRecord | null> {
  const d = await c.request<{ protocol: Raw | null }>(
    `query P($block: Int!) { protocol(id: "0", block: { number: $block }) {
      totalVolumeETH totalVolumeUSD winningTicketCount currentRound { id } activeTranscoderCount totalActiveStake participationRate } }`,
    { block },
  );
  const p = d.protocol;
  if (!p) return null;
  return {
    totalVolumeEth: p.totalVolumeETH ?? "0",
    totalVolumeUsd: p.totalVolumeUSD ?? "0",
    winningTicketCount: Number(p.winningTicketCount ?? 0),
    currentRound: idOf(p.currentRound),
    activeTranscoderCount: p.activeTranscoderCount ?? null,
    totalActiveStake: p.totalActiveStake ?? null,
    participationRate: p.participationRate ?? null,
  };
}

function whereType(field: string): string {
  const entity: Record<string, string> = {
    days: "Day",
    transcoders: "Transcoder",
    transcoderDays: "TranscoderDay",
    broadcasters: "Broadcaster",
    broadcasterDays: "BroadcasterDay",
    winningTicketRedeemedEvents: "WinningTicketRedeemedEvent",
    depositFundedEvents: "DepositFundedEvent",
    reserveFundedEvents: "ReserveFundedEvent",
    reserveClaimedEvents: "ReserveClaimedEvent",
    withdrawalEvents: "WithdrawalEvent",
    treasuryProposals: "TreasuryProposal",
    treasuryVotes: "TreasuryVote",
    rounds: "Round",
  };
  return `${entity[field]}_filter`;
}
