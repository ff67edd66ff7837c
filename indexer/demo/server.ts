/**
 * A local stand-in for the Livepeer subgraph: graph-node's query surface over the demo network.
 *
 * Entity and field names, scalar types and collection arguments (first/skip limits, orderBy,
 * where operators, block pinning, _meta) follow The Graph, so the indexer reads this server exactly
 * as it reads the real one. Every aggregate is recomputed from the tickets visible at the queried
 * block, so the numbers reconcile at any block and the head advances with the wall clock.
 */
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Decimal from "decimal.js";
import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLError,
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLString,
  Kind,
  graphql,
  type GraphQLFieldConfig,
  type GraphQLInputFieldConfigMap,
  type GraphQLInputType,
  type GraphQLOutputType,
  type ValueNode,
} from "graphql";
import { DAY_SECONDS, formatUnits, parseUnits, type DemoNetwork, type DemoProtocolDay, type DemoRound, type DemoTranscoder } from "./generate";

/** The dashboard shows this name to label demo data. */
const DEPLOYMENT = "observatory-demo-network";
const SUBGRAPH_PATH = "/subgraphs/name/livepeer/arbitrum-one";
const MAX_FIRST = 1000;
const MAX_SKIP = 5000;
const SNAPSHOT_CACHE_SIZE = 3;
const VOLUME_WINDOWS = { thirtyDayVolumeETH: 30, sixtyDayVolumeETH: 60, ninetyDayVolumeETH: 90 } as const;

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

export interface RecordedRequest {
  query: string;
  variables: unknown;
  status: number;
}

export interface DemoSubgraph {
  url: string;
  headBlock(): number;
  /** Each fault answers exactly one later POST, in order. */
  injectFaults(faults: Fault[]): void;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export interface DemoSubgraphOptions {
  network: DemoNetwork;
  /** 0 = a free port. */
  port?: number;
  host?: string;
  /** Unix ms; decides the head block. */
  now?: () => number;
}

// ---------------------------------------------------------------------------------------------
// Entity model: one table drives the GraphQL types, filters, ordering and row shapes.

type ScalarName = "ID" | "String" | "Int" | "BigInt" | "BigDecimal" | "Boolean" | "TranscoderStatus";
type EntityName =
  | "Protocol"
  | "Day"
  | "Transcoder"
  | "TranscoderDay"
  | "Broadcaster"
  | "BroadcasterDay"
  | "Round"
  | "Transaction"
  | "WinningTicketRedeemedEvent";
type FieldType = ScalarName | EntityName;

interface EntitySpec {
  /** Root query fields: one entity by id, and the collection. */
  roots: [single: string, plural: string];
  /** A field typed as an entity is a relation; its row value is the target id. */
  fields: Record<string, FieldType | [FieldType, "nullable"]>;
}

const VOLUME = { volumeETH: "BigDecimal", volumeUSD: "BigDecimal" } as const;
const TOTALS = {
  totalVolumeETH: "BigDecimal",
  totalVolumeUSD: "BigDecimal",
  thirtyDayVolumeETH: "BigDecimal",
  sixtyDayVolumeETH: "BigDecimal",
  ninetyDayVolumeETH: "BigDecimal",
} as const;
const STAKE = { totalActiveStake: "BigDecimal", totalSupply: "BigDecimal", participationRate: "BigDecimal", activeTranscoderCount: "BigInt" } as const;

const ENTITIES: Record<EntityName, EntitySpec> = {
  Protocol: {
    roots: ["protocol", "protocols"],
    fields: {
      id: "ID",
      totalVolumeETH: "BigDecimal",
      totalVolumeUSD: "BigDecimal",
      winningTicketCount: "Int",
      currentRound: "Round",
      roundLength: "BigInt",
      ...STAKE,
    },
  },
  Day: { roots: ["day", "days"], fields: { id: "ID", date: "Int", ...VOLUME, ...STAKE } },
  Transcoder: {
    roots: ["transcoder", "transcoders"],
    fields: {
      id: "ID",
      active: "Boolean",
      status: "TranscoderStatus",
      activationRound: "BigInt",
      deactivationRound: "BigInt",
      feeShare: "BigInt",
      rewardCut: "BigInt",
      totalStake: "BigDecimal",
      serviceURI: ["String", "nullable"],
      lastRewardRound: ["Round", "nullable"],
      ...TOTALS,
    },
  },
  TranscoderDay: { roots: ["transcoderDay", "transcoderDays"], fields: { id: "ID", date: "Int", ...VOLUME, transcoder: "Transcoder" } },
  Broadcaster: { roots: ["broadcaster", "broadcasters"], fields: { id: "ID", deposit: "BigDecimal", reserve: "BigDecimal", ...TOTALS } },
  BroadcasterDay: { roots: ["broadcasterDay", "broadcasterDays"], fields: { id: "ID", date: "Int", ...VOLUME, broadcaster: "Broadcaster" } },
  Round: {
    roots: ["round", "rounds"],
    fields: { id: "ID", startTimestamp: "Int", startBlock: "BigInt", length: "BigInt", ...VOLUME },
  },
  Transaction: { roots: ["transaction", "transactions"], fields: { id: "ID", blockNumber: "BigInt", timestamp: "Int" } },
  WinningTicketRedeemedEvent: {
    roots: ["winningTicketRedeemedEvent", "winningTicketRedeemedEvents"],
    fields: {
      id: "ID",
      timestamp: "Int",
      round: "Round",
      sender: "Broadcaster",
      recipient: "Transcoder",
      faceValue: "BigDecimal",
      faceValueUSD: "BigDecimal",
      winProb: "BigInt",
      transaction: "Transaction",
    },
  },
};

const ENTITY_NAMES = Object.keys(ENTITIES) as EntityName[];

function fieldTypeOf(spec: EntitySpec, field: string): FieldType {
  const declared = spec.fields[field];
  return Array.isArray(declared) ? declared[0] : declared;
}

const isRelation = (type: FieldType): type is EntityName => type in ENTITIES;

// ---------------------------------------------------------------------------------------------
// Rows and snapshots

type Value = string | number | boolean | null;

interface Row {
  readonly values: Readonly<Record<string, Value>>;
  /** Last block at which any value changed: what `_change_block: { number_gte }` filters on. */
  readonly changedAt: number;
}

interface Snapshot {
  /** Sorted by id, ascending: The Graph's default order. */
  readonly rows: Record<EntityName, Row[]>;
  readonly byId: Record<EntityName, Map<string, Row>>;
}

/** What entity resolvers receive: the row plus the snapshot its relations resolve in. */
interface Bound {
  row: Row;
  snap: Snapshot;
}

interface IndexedTicket {
  row: Row;
  block: number;
  day: number;
  round: string;
  sender: string;
  recipient: string;
  eth: bigint;
  /** Units of 1e-10 USD. */
  usd: bigint;
}

/** The network parsed once: exact amounts as bigint, tickets and transactions as rows. */
interface Chain {
  network: DemoNetwork;
  /** Chain order, so the tickets visible at a block are a prefix. */
  tickets: IndexedTicket[];
  ticketRowsById: Row[];
  transactionRowsById: Row[];
  protocolDays: Map<number, DemoProtocolDay>;
}

const formatEth = (wei: bigint) => formatUnits(wei, 18);
const formatUsd = (units: bigint) => formatUnits(units, 10);
const compareStrings = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byId = (a: Row, b: Row) => compareStrings(a.values.id as string, b.values.id as string);

function indexChain(network: DemoNetwork): Chain {
  const tickets = network.tickets.map((t): IndexedTicket => {
    const block = Number(t.transaction.blockNumber);
    return {
      row: {
        values: {
          id: t.id,
          timestamp: t.timestamp,
          round: t.round.id,
          sender: t.sender.id,
          recipient: t.recipient.id,
          faceValue: t.faceValue,
          faceValueUSD: t.faceValueUSD,
          winProb: t.winProb,
          transaction: t.transaction.id,
        },
        changedAt: block,
      },
      block,
      day: Math.floor(t.timestamp / DAY_SECONDS),
      round: t.round.id,
      sender: t.sender.id,
      recipient: t.recipient.id,
      eth: parseUnits(t.faceValue, 18),
      usd: parseUnits(t.faceValueUSD, 10),
    };
  });
  const transactions = new Map(
    tickets.map(({ row, block }) => {
      const id = row.values.transaction as string;
      return [id, { values: { id, blockNumber: String(block), timestamp: row.values.timestamp }, changedAt: block }];
    }),
  );
  return {
    network,
    tickets,
    ticketRowsById: tickets.map((t) => t.row).sort(byId),
    transactionRowsById: [...transactions.values()].sort(byId),
    protocolDays: new Map(network.protocolDays.map((d) => [d.day, d])),
  };
}

interface Volume {
  eth: bigint;
  usd: bigint;
  changedAt: number;
}

interface OwnerVolume extends Volume {
  /** ETH in each of VOLUME_WINDOWS, same order. */
  windows: bigint[];
}

interface DayVolume extends Volume {
  owner: string;
  day: number;
}

interface Tallies {
  days: Map<number, Volume>;
  transcoderDays: Map<string, DayVolume>;
  broadcasterDays: Map<string, DayVolume>;
  rounds: Map<string, Volume>;
  transcoders: Map<string, OwnerVolume>;
  broadcasters: Map<string, OwnerVolume>;
  protocol: Volume & { count: number };
}

function addTo<K, V extends Volume>(map: Map<K, V>, key: K, ticket: IndexedTicket, create: () => V): V {
  let volume = map.get(key);
  if (!volume) map.set(key, (volume = create()));
  volume.eth += ticket.eth;
  volume.usd += ticket.usd;
  volume.changedAt = Math.max(volume.changedAt, ticket.block);
  return volume;
}

/** Sums the visible tickets into every aggregate the subgraph keeps; `today` anchors the rolling windows. */
function tally(chain: Chain, visible: IndexedTicket[], today: number): Tallies {
  const empty = (): Volume => ({ eth: 0n, usd: 0n, changedAt: 0 });
  const emptyOwner = (): OwnerVolume => ({ ...empty(), windows: Object.values(VOLUME_WINDOWS).map(() => 0n) });
  const t: Tallies = {
    days: new Map(),
    transcoderDays: new Map(),
    broadcasterDays: new Map(),
    rounds: new Map(),
    transcoders: new Map(),
    broadcasters: new Map(),
    protocol: { ...empty(), count: 0 },
  };
  const addToOwner = (map: Map<string, OwnerVolume>, owner: string, ticket: IndexedTicket) => {
    const volume = addTo(map, owner, ticket, emptyOwner);
    Object.values(VOLUME_WINDOWS).forEach((length, i) => {
      if (ticket.day > today - length) volume.windows[i] += ticket.eth;
      // The window total changed again when this ticket's day slid out of it.
      else volume.changedAt = Math.max(volume.changedAt, chain.network.blockAt((ticket.day + length) * DAY_SECONDS));
    });
  };
  for (const ticket of visible) {
    addTo(t.days, ticket.day, ticket, empty);
    addTo(t.transcoderDays, `${ticket.recipient}-${ticket.day}`, ticket, () => ({ ...empty(), owner: ticket.recipient, day: ticket.day }));
    addTo(t.broadcasterDays, `${ticket.sender}-${ticket.day}`, ticket, () => ({ ...empty(), owner: ticket.sender, day: ticket.day }));
    addTo(t.rounds, ticket.round, ticket, empty);
    addToOwner(t.transcoders, ticket.recipient, ticket);
    addToOwner(t.broadcasters, ticket.sender, ticket);
    t.protocol.eth += ticket.eth;
    t.protocol.usd += ticket.usd;
    t.protocol.changedAt = Math.max(t.protocol.changedAt, ticket.block);
    t.protocol.count++;
  }
  return t;
}

function ownerTotals(volume: OwnerVolume | undefined): Record<string, Value> {
  const windows = Object.keys(VOLUME_WINDOWS).map((name, i) => [name, formatEth(volume?.windows[i] ?? 0n)]);
  return { totalVolumeETH: formatEth(volume?.eth ?? 0n), totalVolumeUSD: formatUsd(volume?.usd ?? 0n), ...Object.fromEntries(windows) };
}

function stakeValues(day: DemoProtocolDay): Record<string, Value> {
  return {
    totalActiveStake: day.totalActiveStake,
    totalSupply: day.totalSupply,
    participationRate: day.participationRate,
    activeTranscoderCount: String(day.activeTranscoderCount),
  };
}

function dayRows(tallied: Map<string, DayVolume>, relation: string): Row[] {
  return [...tallied].map(([id, v]) => ({
    values: { id, date: v.day * DAY_SECONDS, volumeETH: formatEth(v.eth), volumeUSD: formatUsd(v.usd), [relation]: v.owner },
    changedAt: v.changedAt,
  }));
}

function lastRewardRoundOf(transcoder: DemoTranscoder, rounds: DemoRound[], current: DemoRound | undefined): string | null {
  if (transcoder.rewardLagRounds === null || !current) return null;
  return String(Math.max(Number(rounds[0].id), Number(current.id) - transcoder.rewardLagRounds));
}

/**
 * Everything a snapshot depends on. The head moves 4 blocks a second but tickets arrive minutes
 * apart, so keying snapshots by state rather than by block makes most new heads cache hits.
 */
interface SnapshotState {
  visibleTickets: number;
  today: number;
  startedRounds: number;
}

function stateAt(chain: Chain, block: number): SnapshotState {
  return {
    visibleTickets: countAtOrBelow(chain.tickets, (t) => t.block, block),
    today: Math.floor(chain.network.timestampAt(block) / DAY_SECONDS),
    startedRounds: countAtOrBelow(chain.network.rounds, (r) => r.startBlock, block),
  };
}

function buildSnapshot(chain: Chain, state: SnapshotState): Snapshot {
  const { network } = chain;
  const { today } = state;
  const visible = chain.tickets.slice(0, state.visibleTickets);
  // Tickets and transactions are visible iff mined by the last visible ticket's block.
  const lastVisibleBlock = visible.at(-1)?.block ?? -Infinity;
  const rounds = network.rounds.slice(0, state.startedRounds);
  const current = rounds.at(-1);
  const t = tally(chain, visible, today);
  // Stake stats are daily; outside the data's days use the nearest one.
  const stakeOn = (day: number) =>
    chain.protocolDays.get(day) ?? network.protocolDays[day < network.protocolDays[0].day ? 0 : network.protocolDays.length - 1];

  const rows: Record<EntityName, Row[]> = {
    Protocol: current
      ? [
          {
            values: {
              id: "0",
              totalVolumeETH: formatEth(t.protocol.eth),
              totalVolumeUSD: formatUsd(t.protocol.usd),
              winningTicketCount: t.protocol.count,
              currentRound: current.id,
              roundLength: String(current.lengthBlocks),
              ...stakeValues(stakeOn(today)),
            },
            // Also changes when a round starts and when the daily stake stats roll over.
            changedAt: Math.max(t.protocol.changedAt, current.startBlock, network.blockAt(today * DAY_SECONDS)),
          },
        ]
      : [],
    Day: [...t.days].map(([day, v]) => ({
      values: { id: String(day), date: day * DAY_SECONDS, volumeETH: formatEth(v.eth), volumeUSD: formatUsd(v.usd), ...stakeValues(stakeOn(day)) },
      changedAt: v.changedAt,
    })),
    Transcoder: network.transcoders.map((tr) => {
      const { rewardLagRounds, ...staticValues } = tr;
      const volume = t.transcoders.get(tr.id);
      // lastRewardRound follows the current round for orchestrators that call reward.
      const rewardChange = rewardLagRounds !== null && current ? current.startBlock : 0;
      return {
        values: { ...staticValues, lastRewardRound: lastRewardRoundOf(tr, network.rounds, current), ...ownerTotals(volume) },
        changedAt: Math.max(volume?.changedAt ?? 0, rewardChange),
      };
    }),
    TranscoderDay: dayRows(t.transcoderDays, "transcoder"),
    Broadcaster: network.broadcasters.map((b) => {
      const volume = t.broadcasters.get(b.id);
      return { values: { ...b, ...ownerTotals(volume) }, changedAt: volume?.changedAt ?? 0 };
    }),
    BroadcasterDay: dayRows(t.broadcasterDays, "broadcaster"),
    Round: rounds.map((r) => {
      const volume = t.rounds.get(r.id);
      return {
        values: {
          id: r.id,
          startTimestamp: r.startTimestamp,
          startBlock: String(r.startBlock),
          length: String(r.lengthBlocks),
          volumeETH: formatEth(volume?.eth ?? 0n),
          volumeUSD: formatUsd(volume?.usd ?? 0n),
        },
        changedAt: Math.max(r.startBlock, volume?.changedAt ?? 0),
      };
    }),
    // Immutable entities: visible once mined, never changed after.
    Transaction: chain.transactionRowsById.filter((row) => row.changedAt <= lastVisibleBlock),
    WinningTicketRedeemedEvent: chain.ticketRowsById.filter((row) => row.changedAt <= lastVisibleBlock),
  };
  for (const name of ENTITY_NAMES) rows[name].sort(byId);
  const byIdMaps = Object.fromEntries(ENTITY_NAMES.map((name) => [name, new Map(rows[name].map((r) => [r.values.id as string, r]))]));
  return { rows, byId: byIdMaps as Record<EntityName, Map<string, Row>> };
}

/** Binary search over items sorted by block: how many are at or below `block`. */
function countAtOrBelow<T>(items: readonly T[], blockOf: (item: T) => number, block: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (blockOf(items[mid]) <= block) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// ---------------------------------------------------------------------------------------------
// Collection queries: The Graph's argument semantics over a snapshot.

type SortKey = number | string | bigint | Decimal;
type Filter = Record<string, unknown>;

interface CollectionArgs {
  first: number;
  skip: number;
  orderBy?: string;
  orderDirection?: "asc" | "desc";
  where?: Filter;
}

/** Numbers compare numerically (exactly, for BigInt/BigDecimal); ids, strings and relations as strings. */
function sortKeyOf(type: FieldType, value: unknown): SortKey | null {
  if (value === null || value === undefined) return null;
  switch (type) {
    case "Int":
      return value as number;
    case "BigInt":
      return BigInt(value as string);
    case "BigDecimal":
      return new Decimal(value as string);
    case "Boolean":
      return value ? 1 : 0;
    default:
      return value as string;
  }
}

function compareKeys(a: SortKey, b: SortKey): number {
  if (a instanceof Decimal) return a.cmp(b as Decimal);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Postgres order: NULL sorts after every value ascending, so before them descending. */
function compareNullsLast(a: SortKey | null, b: SortKey | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return compareKeys(a, b);
}

const COMPARISONS = {
  "": (c: number) => c === 0,
  _not: (c: number) => c !== 0,
  _gt: (c: number) => c > 0,
  _gte: (c: number) => c >= 0,
  _lt: (c: number) => c < 0,
  _lte: (c: number) => c <= 0,
} as const;
type Operator = keyof typeof COMPARISONS | "_in" | "_not_in";
/** Booleans and enums have no ordering operators in The Graph. */
const EQUALITY_OPERATORS: Operator[] = ["", "_not", "_in", "_not_in"];
const ALL_OPERATORS: Operator[] = ["", "_not", "_gt", "_gte", "_lt", "_lte", "_in", "_not_in"];
/** Longest first, so `x_not_in` is not read as `x_not` + `_in`. */
const SUFFIXES = [...ALL_OPERATORS].sort((a, b) => b.length - a.length);

function operatorsFor(type: FieldType): Operator[] {
  return type === "Boolean" || type === "TranscoderStatus" ? EQUALITY_OPERATORS : ALL_OPERATORS;
}

type Predicate = (row: Row) => boolean;

function compileFilter(spec: EntitySpec, filter: Filter): Predicate {
  const predicates = Object.entries(filter).map(([key, value]) => compileCondition(spec, key, value));
  return (row) => predicates.every((p) => p(row));
}

function compileCondition(spec: EntitySpec, key: string, value: unknown): Predicate {
  if (key === "and" || key === "or") {
    const parts = ((value ?? []) as Filter[]).map((f) => compileFilter(spec, f));
    return key === "and" ? (row) => parts.every((p) => p(row)) : (row) => parts.some((p) => p(row));
  }
  if (key === "_change_block") {
    const since = (value as { number_gte: number }).number_gte;
    return (row) => row.changedAt >= since;
  }
  // The input type only has keys `<field><operator>`, so one suffix always leaves a real field.
  const operator = SUFFIXES.find((s) => key.endsWith(s) && key.slice(0, key.length - s.length) in spec.fields)!;
  const field = key.slice(0, key.length - operator.length);
  const type = fieldTypeOf(spec, field);
  const keyOfRow = (row: Row) => sortKeyOf(type, row.values[field]);

  if (operator === "_in" || operator === "_not_in") {
    const wanted = ((value ?? []) as unknown[]).map((v) => sortKeyOf(type, v)).filter((k) => k !== null);
    const negate = operator === "_not_in";
    return (row) => {
      const k = keyOfRow(row);
      return k !== null && wanted.some((w) => compareKeys(k, w) === 0) !== negate;
    };
  }
  const wanted = sortKeyOf(type, value);
  // graph-node reads `field: null` as IS NULL and `field_not: null` as IS NOT NULL.
  if (wanted === null) {
    if (operator === "") return (row) => row.values[field] === null;
    if (operator === "_not") return (row) => row.values[field] !== null;
    return () => false;
  }
  const accept = COMPARISONS[operator];
  // As in SQL, a NULL column matches no comparison.
  return (row) => {
    const k = keyOfRow(row);
    return k !== null && accept(compareKeys(k, wanted));
  };
}

function sortRows(rows: Row[], spec: EntitySpec, orderBy: string, direction: "asc" | "desc"): Row[] {
  const type = fieldTypeOf(spec, orderBy);
  const sign = direction === "desc" ? -1 : 1;
  // Keys are computed once per row: parsing a Decimal inside the comparator would do it n log n times.
  const keyed = rows.map((row) => ({ row, key: sortKeyOf(type, row.values[orderBy]) }));
  // Ties break on id, in the same direction, as graph-node does.
  keyed.sort((a, b) => sign * (compareNullsLast(a.key, b.key) || byId(a.row, b.row)));
  return keyed.map((k) => k.row);
}

function queryCollection(rows: Row[], spec: EntitySpec, args: CollectionArgs): Row[] {
  if (args.first < 0 || args.first > MAX_FIRST) {
    throw new GraphQLError(`The \`first\` argument must be between 0 and ${MAX_FIRST}, but is ${args.first}`);
  }
  if (args.skip < 0 || args.skip > MAX_SKIP) {
    throw new GraphQLError(`The \`skip\` argument must be between 0 and ${MAX_SKIP}, but is ${args.skip}`);
  }
  const direction = args.orderDirection ?? "asc";
  let result = args.where ? rows.filter(compileFilter(spec, args.where)) : rows;
  if (args.orderBy) result = sortRows(result, spec, args.orderBy, direction);
  else if (direction === "desc") result = [...result].reverse();
  return result.slice(args.skip, args.skip + args.first);
}

// ---------------------------------------------------------------------------------------------
// GraphQL schema

interface BlockArg {
  number?: number | null;
  number_gte?: number | null;
}

interface RequestContext {
  /** Resolves a `block` argument against this request's head; throws The Graph's error above it. */
  snapshotFor(block: BlockArg | undefined): Snapshot;
  metaFor(block: BlockArg | undefined): { block: { number: number; hash: string; timestamp: number } };
}

function decimalScalar(name: "BigInt" | "BigDecimal", pattern: RegExp): GraphQLScalarType {
  // The Graph sends both as JSON strings; inputs may be strings or number literals.
  const parse = (value: unknown): string => {
    const text = typeof value === "number" || typeof value === "string" ? String(value) : "";
    if (!pattern.test(text)) throw new TypeError(`${name} cannot represent ${JSON.stringify(value)}`);
    return name === "BigInt" ? BigInt(text).toString() : new Decimal(text).toFixed();
  };
  return new GraphQLScalarType({
    name,
    serialize: (value) => String(value),
    parseValue: parse,
    parseLiteral: (ast: ValueNode) => {
      if (ast.kind !== Kind.STRING && ast.kind !== Kind.INT && ast.kind !== Kind.FLOAT) throw new TypeError(`${name} cannot represent a ${ast.kind}`);
      return parse(ast.value);
    },
  });
}

const BigIntScalar = decimalScalar("BigInt", /^-?\d+$/);
const BigDecimalScalar = decimalScalar("BigDecimal", /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/);
const BytesScalar = new GraphQLScalarType({ name: "Bytes", serialize: (value) => String(value) });

function buildSchema(): GraphQLSchema {
  const scalars: Record<ScalarName, GraphQLInputType & GraphQLOutputType> = {
    ID: GraphQLID,
    String: GraphQLString,
    Int: GraphQLInt,
    Boolean: GraphQLBoolean,
    BigInt: BigIntScalar,
    BigDecimal: BigDecimalScalar,
    TranscoderStatus: new GraphQLEnumType({ name: "TranscoderStatus", values: { NotRegistered: {}, Registered: {} } }),
  };
  const objectTypes = new Map<EntityName, GraphQLObjectType>();
  const entityType = (name: EntityName) => objectTypes.get(name)!;

  for (const name of ENTITY_NAMES) {
    const spec = ENTITIES[name];
    objectTypes.set(
      name,
      new GraphQLObjectType({
        name,
        fields: () =>
          Object.fromEntries(
            Object.keys(spec.fields).map((field) => {
              const type = fieldTypeOf(spec, field);
              const nullable = Array.isArray(spec.fields[field]);
              const graphqlType = isRelation(type) ? entityType(type) : scalars[type];
              const config: GraphQLFieldConfig<Bound, RequestContext> = {
                type: nullable ? graphqlType : new GraphQLNonNull(graphqlType),
                resolve: isRelation(type) ? ({ row, snap }) => follow(snap, type, row.values[field]) : ({ row }) => row.values[field],
              };
              return [field, config];
            }),
          ),
      }),
    );
  }

  const orderDirection = new GraphQLEnumType({ name: "OrderDirection", values: { asc: {}, desc: {} } });
  const blockHeight = new GraphQLInputObjectType({
    name: "Block_height",
    fields: { number: { type: GraphQLInt }, number_gte: { type: GraphQLInt } },
  });
  const blockChangedFilter = new GraphQLInputObjectType({
    name: "BlockChangedFilter",
    fields: { number_gte: { type: new GraphQLNonNull(GraphQLInt) } },
  });

  const filterType = (name: EntityName): GraphQLInputObjectType => {
    const spec = ENTITIES[name];
    const filter: GraphQLInputObjectType = new GraphQLInputObjectType({
      name: `${name}_filter`,
      fields: () => {
        const fields: GraphQLInputFieldConfigMap = {};
        for (const field of Object.keys(spec.fields)) {
          const type = fieldTypeOf(spec, field);
          // Relations filter on the target's id, as a string.
          const inputType = isRelation(type) ? GraphQLString : scalars[type];
          for (const op of operatorsFor(type)) {
            fields[`${field}${op}`] = { type: op.endsWith("_in") ? new GraphQLList(new GraphQLNonNull(inputType)) : inputType };
          }
        }
        fields._change_block = { type: blockChangedFilter };
        fields.and = { type: new GraphQLList(filter) };
        fields.or = { type: new GraphQLList(filter) };
        return fields;
      },
    });
    return filter;
  };

  const queryFields: Record<string, GraphQLFieldConfig<unknown, RequestContext>> = {};
  for (const name of ENTITY_NAMES) {
    const spec = ENTITIES[name];
    const [single, plural] = spec.roots;
    queryFields[single] = {
      type: entityType(name),
      args: { id: { type: new GraphQLNonNull(GraphQLID) }, block: { type: blockHeight } },
      resolve: (_root, args: { id: string; block?: BlockArg }, ctx) => follow(ctx.snapshotFor(args.block), name, args.id),
    };
    queryFields[plural] = {
      type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(entityType(name)))),
      args: {
        skip: { type: GraphQLInt, defaultValue: 0 },
        first: { type: GraphQLInt, defaultValue: 100 },
        orderBy: {
          type: new GraphQLEnumType({ name: `${name}_orderBy`, values: Object.fromEntries(Object.keys(spec.fields).map((f) => [f, {}])) }),
        },
        orderDirection: { type: orderDirection },
        where: { type: filterType(name) },
        block: { type: blockHeight },
      },
      resolve: (_root, args: CollectionArgs & { block?: BlockArg }, ctx): Bound[] => {
        const snap = ctx.snapshotFor(args.block);
        return queryCollection(snap.rows[name], spec, args).map((row) => ({ row, snap }));
      },
    };
  }

  const blockType = new GraphQLObjectType({
    name: "_Block_",
    fields: { hash: { type: BytesScalar }, number: { type: new GraphQLNonNull(GraphQLInt) }, timestamp: { type: GraphQLInt } },
  });
  queryFields._meta = {
    type: new GraphQLObjectType({
      name: "_Meta_",
      fields: {
        block: { type: new GraphQLNonNull(blockType) },
        deployment: { type: new GraphQLNonNull(GraphQLString), resolve: () => DEPLOYMENT },
        hasIndexingErrors: { type: new GraphQLNonNull(GraphQLBoolean), resolve: () => false },
      },
    }),
    args: { block: { type: blockHeight } },
    resolve: (_root, args: { block?: BlockArg }, ctx) => ctx.metaFor(args.block),
  };

  return new GraphQLSchema({ query: new GraphQLObjectType({ name: "Query", fields: queryFields }) });
}

function follow(snap: Snapshot, entity: EntityName, id: Value): Bound | null {
  const row = typeof id === "string" ? snap.byId[entity].get(id) : undefined;
  return row ? { row, snap } : null;
}

/** Thrown for a block above the head; the request then gets graph-node's whole-query answer. */
class BlockNotYetAvailableError extends GraphQLError {}

/**
 * graph-node's wording, so clients that recognise it behave the same against the demo: its
 * `QueryExecutionError::ValueParseError("block.number", ...)` (graphql/src/store/resolver.rs) shown as
 * "Failed to decode `{}` value: `{}`" (graph/src/data/query/error.rs).
 */
function blockNotYetAvailable(requested: number, head: number): GraphQLError {
  return new BlockNotYetAvailableError(
    `Failed to decode \`block.number\` value: \`subgraph ${DEPLOYMENT} has only indexed up to block number ${head} ` +
      `and data for block number ${requested} is therefore not yet available\``,
  );
}

function resolveBlock(arg: BlockArg | undefined, head: number): number {
  if (arg?.number != null) {
    if (arg.number > head) throw blockNotYetAvailable(arg.number, head);
    return arg.number;
  }
  if (arg?.number_gte != null && arg.number_gte > head) throw blockNotYetAvailable(arg.number_gte, head);
  return head;
}

function blockHash(block: number): string {
  return `0x${createHash("sha256").update(`${DEPLOYMENT}:${block}`).digest("hex")}`;
}

// ---------------------------------------------------------------------------------------------
// HTTP

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function send(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(body);
}

function sendFault(res: http.ServerResponse, fault: Exclude<Fault, { delayMs: number } | { indexedBehind: number }>): number {
  if ("graphqlErrors" in fault) {
    send(res, 200, JSON.stringify({ errors: fault.graphqlErrors.map((message) => ({ message })) }));
    return 200;
  }
  // Gateways and proxies answer 5xx/429 with HTML pages, not JSON.
  const body = fault.body ?? `<html><head><title>${fault.status}</title></head><body><h1>${fault.status}</h1></body></html>`;
  const headers: Record<string, string> = { "content-type": body.trimStart().startsWith("{") ? "application/json" : "text/html" };
  if (fault.retryAfter !== undefined) headers["retry-after"] = String(fault.retryAfter);
  send(res, fault.status, body, headers);
  return fault.status;
}

const MAX_RECORDED_REQUESTS = 20_000;

export async function startDemoSubgraph(opts: DemoSubgraphOptions): Promise<DemoSubgraph> {
  const { network } = opts;
  const now = opts.now ?? Date.now;
  const host = opts.host ?? "127.0.0.1";
  const chain = indexChain(network);
  const schema = buildSchema();
  const faults: Fault[] = [];
  const requests: RecordedRequest[] = [];
  // A long-running demo must not grow without bound; tests look at far fewer than this.
  const record = (r: RecordedRequest) => {
    requests.push(r);
    if (requests.length > MAX_RECORDED_REQUESTS) requests.splice(0, requests.length - MAX_RECORDED_REQUESTS);
  };
  const snapshots = new Map<string, Snapshot>();

  const headBlock = () => Math.min(network.blockAt(now() / 1000), network.lastBlock);

  /** Small LRU: a run pins one block for all its pages, so a couple of entries are enough. */
  const snapshotAt = (block: number): Snapshot => {
    const state = stateAt(chain, block);
    const key = `${state.visibleTickets}/${state.today}/${state.startedRounds}`;
    let snap = snapshots.get(key);
    if (snap) snapshots.delete(key);
    else snap = buildSnapshot(chain, state);
    snapshots.set(key, snap);
    if (snapshots.size > SNAPSHOT_CACHE_SIZE) snapshots.delete(snapshots.keys().next().value!);
    return snap;
  };

  const contextFor = (head: number): RequestContext => ({
    snapshotFor: (block) => snapshotAt(resolveBlock(block, head)),
    metaFor: (block) => {
      const number = resolveBlock(block, head);
      return { block: { number, hash: blockHash(number), timestamp: network.timestampAt(number) } };
    },
  });

  const execute = async (body: string, head = headBlock()): Promise<{ status: number; payload: unknown; query: string; variables: unknown }> => {
    let request: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      request = JSON.parse(body);
    } catch {
      return { status: 400, payload: { errors: [{ message: "request body is not JSON" }] }, query: body, variables: null };
    }
    const { query, variables = null, operationName } = request ?? {};
    if (typeof query !== "string") {
      return { status: 400, payload: { errors: [{ message: "missing `query` string" }] }, query: "", variables };
    }
    const result = await graphql({
      schema,
      source: query,
      variableValues: (variables ?? undefined) as Record<string, unknown> | undefined,
      operationName: typeof operationName === "string" ? operationName : undefined,
      contextValue: contextFor(head),
    });
    // graph-node resolves the block before running the query, so a block it has not indexed yet
    // fails the whole query: HTTP 200, that error's message alone, no `data`.
    const notYet = (result.errors ?? []).filter((e) => e.originalError instanceof BlockNotYetAvailableError);
    if (notYet.length) {
      return { status: 200, payload: { errors: [...new Set(notYet.map((e) => e.message))].map((message) => ({ message })) }, query, variables };
    }
    return { status: 200, payload: result, query, variables };
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (req.method === "GET" && (path === "/" || path === SUBGRAPH_PATH)) {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(`Observatory demo network (${DEPLOYMENT}): POST GraphQL queries to ${SUBGRAPH_PATH}\n`);
      return;
    }
    if (req.method !== "POST" || path !== SUBGRAPH_PATH) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found\n");
      return;
    }
    const body = await readBody(req);
    const fault = faults.shift();
    if (fault && "delayMs" in fault) {
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs)); // then answer normally
    } else if (fault && "indexedBehind" in fault) {
      const { status, payload, query, variables } = await execute(body, Math.max(0, headBlock() - fault.indexedBehind));
      record({ query, variables, status });
      send(res, status, JSON.stringify(payload));
      return;
    } else if (fault) {
      const { query = "", variables = null } = safeJson(body);
      record({ query, variables, status: sendFault(res, fault) });
      return;
    }
    const { status, payload, query, variables } = await execute(body);
    record({ query, variables, status });
    send(res, status, JSON.stringify(payload));
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, JSON.stringify({ errors: [{ message: String(error) }] }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host}:${port}${SUBGRAPH_PATH}`,
    headBlock,
    injectFaults: (more) => void faults.push(...more),
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Best effort, for the request log only: a faulted request is still recorded with what it asked. */
function safeJson(body: string): { query?: string; variables?: unknown } {
  try {
    return JSON.parse(body);
  } catch {
    return {};
  }
}
