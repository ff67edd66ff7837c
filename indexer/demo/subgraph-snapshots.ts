// The demo network as the subgraph's rows at a block: the network parsed once into a chain (exact
// amounts as bigint, tickets and transactions as rows), and a snapshot per block that recomputes
// every aggregate (days, orchestrator and gateway totals, rounds, protocol) from the tickets visible
// there, so the numbers reconcile at any block. A snapshot depends only on a few counts
// (SnapshotState): subgraph-server.ts caches snapshots by them, so most new head blocks reuse one.
import { DAY_SECONDS, formatUnits, parseUnits, type DemoNetwork, type DemoProtocolDay, type DemoRound, type DemoTranscoder } from "./generate";
import { ENTITY_NAMES, type EntityName } from "./subgraph-entities";
import { programRows, programsChain, type ProgramsChain } from "./subgraph-programs";

const VOLUME_WINDOWS = { thirtyDayVolumeETH: 30, sixtyDayVolumeETH: 60, ninetyDayVolumeETH: 90 } as const;

export type Value = string | number | boolean | null | readonly string[];

export interface Row {
  readonly values: Readonly<Record<string, Value>>;
  /** Last block at which any value changed: what `_change_block: { number_gte }` filters on. */
  readonly changedAt: number;
}

export interface Snapshot {
  /** Sorted by id, ascending: The Graph's default order. */
  readonly rows: Record<EntityName, Row[]>;
  readonly byId: Record<EntityName, Map<string, Row>>;
}

/** What entity resolvers receive: the row plus the snapshot its relations resolve in. */
export interface Bound {
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
export interface Chain {
  network: DemoNetwork;
  /** Chain order, so the tickets visible at a block are a prefix. */
  tickets: IndexedTicket[];
  ticketRowsById: Row[];
  transactionRowsById: Row[];
  protocolDays: Map<number, DemoProtocolDay>;
  /** Funding events and the treasury (subgraph-programs.ts). */
  programs: ProgramsChain;
}

const formatEth = (wei: bigint) => formatUnits(wei, 18);
const formatUsd = (units: bigint) => formatUnits(units, 10);
const compareStrings = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
export const byId = (a: Row, b: Row) => compareStrings(a.values.id as string, b.values.id as string);

export function indexChain(network: DemoNetwork): Chain {
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
  const programs = programsChain(network);
  const transactions = new Map(
    [...tickets.map(({ row, block }) => ({ id: row.values.transaction as string, block, timestamp: row.values.timestamp as number })), ...programs.transactions].map(
      ({ id, block, timestamp }): [string, Row] => [id, { values: { id, blockNumber: String(block), timestamp }, changedAt: block }],
    ),
  );
  return {
    network,
    tickets,
    ticketRowsById: tickets.map((t) => t.row).sort(byId),
    transactionRowsById: [...transactions.values()].sort(byId),
    protocolDays: new Map(network.protocolDays.map((d) => [d.day, d])),
    programs,
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
export interface SnapshotState {
  visibleTickets: number;
  today: number;
  startedRounds: number;
  /** Funding events, proposals and votes mined by the block. */
  programItems: number;
}

export function stateAt(chain: Chain, block: number): SnapshotState {
  return {
    visibleTickets: countAtOrBelow(chain.tickets, (t) => t.block, block),
    today: Math.floor(chain.network.timestampAt(block) / DAY_SECONDS),
    startedRounds: countAtOrBelow(chain.network.rounds, (r) => r.startBlock, block),
    programItems: countAtOrBelow(chain.programs.blocks, (b) => b, block),
  };
}

export function buildSnapshot(chain: Chain, state: SnapshotState): Snapshot {
  const { network } = chain;
  const { today } = state;
  const visible = chain.tickets.slice(0, state.visibleTickets);
  // Tickets and transactions are visible iff mined by the last visible ticket's block.
  const lastVisibleBlock = visible.at(-1)?.block ?? -Infinity;
  const rounds = network.rounds.slice(0, state.startedRounds);
  const current = rounds.at(-1);
  const t = tally(chain, visible, today);
  const program = programRows(chain.programs, state.programItems, visible.map((x) => x.row), rounds);
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
      const funding = program.broadcasters.get(b.id);
      return { values: { ...b, ...funding?.values, ...ownerTotals(volume) }, changedAt: Math.max(volume?.changedAt ?? 0, funding?.changedAt ?? 0) };
    }),
    BroadcasterDay: dayRows(t.broadcasterDays, "broadcaster"),
    ...program.rows,
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
          totalActiveStake: stakeOn(Math.floor(r.startTimestamp / DAY_SECONDS)).totalActiveStake,
        },
        changedAt: Math.max(r.startBlock, volume?.changedAt ?? 0),
      };
    }),
    // Immutable entities: visible once mined, never changed after.
    Transaction: chain.transactionRowsById.filter((row) => row.changedAt <= Math.max(lastVisibleBlock, program.lastBlock)),
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
