// The demo subgraph's entity model: one table (ENTITIES) names every entity, its root query fields
// and its fields' types, as in the Livepeer subgraph's schema. It drives the GraphQL types
// (subgraph-schema.ts), the filters and ordering (subgraph-filters.ts) and the row shapes
// (subgraph-snapshots.ts).

export type ScalarName = "ID" | "String" | "Int" | "BigInt" | "BigDecimal" | "Boolean" | "Bytes" | "TranscoderStatus" | "TreasuryVoteSupport";
export type EntityName =
  | "Protocol"
  | "Day"
  | "Transcoder"
  | "TranscoderDay"
  | "Broadcaster"
  | "BroadcasterDay"
  | "Round"
  | "Transaction"
  | "WinningTicketRedeemedEvent"
  | "DepositFundedEvent"
  | "ReserveFundedEvent"
  | "ReserveClaimedEvent"
  | "WithdrawalEvent"
  | "LivepeerAccount"
  | "TreasuryProposal"
  | "TreasuryVote";
export type FieldType = ScalarName | EntityName;

export interface EntitySpec {
  /** Root query fields: one entity by id, and the collection. */
  roots: [single: string, plural: string];
  /**
   * A field typed as an entity is a relation; its row value is the target id. A "list" field is a
   * non-null list of non-null scalars (its row value a string array); as in graph-node it cannot be
   * ordered by, and the stand-in offers no filter on it.
   */
  fields: Record<string, FieldType | [FieldType, "nullable" | "list"]>;
}

const VOLUME = { volumeETH: "BigDecimal", volumeUSD: "BigDecimal" } as const;
const TOTALS = {
  totalVolumeETH: "BigDecimal",
  totalVolumeUSD: "BigDecimal",
  thirtyDayVolumeETH: "BigDecimal",
  sixtyDayVolumeETH: "BigDecimal",
  ninetyDayVolumeETH: "BigDecimal",
} as const;
/** The subgraph's `Event` interface. */
const EVENT = { id: "ID", transaction: "Transaction", timestamp: "Int", round: "Round" } as const;
const STAKE = { totalActiveStake: "BigDecimal", totalSupply: "BigDecimal", participationRate: "BigDecimal", activeTranscoderCount: "BigInt" } as const;

export const ENTITIES: Record<EntityName, EntitySpec> = {
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
    fields: { id: "ID", startTimestamp: "Int", startBlock: "BigInt", length: "BigInt", ...VOLUME, totalActiveStake: "BigDecimal" },
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
  // TicketBroker funding events and the treasury (issue 14), as in the subgraph's schema.graphql.
  DepositFundedEvent: {
    roots: ["depositFundedEvent", "depositFundedEvents"],
    fields: { ...EVENT, sender: "Broadcaster", amount: "BigDecimal" },
  },
  ReserveFundedEvent: {
    roots: ["reserveFundedEvent", "reserveFundedEvents"],
    fields: { ...EVENT, reserveHolder: "Broadcaster", amount: "BigDecimal" },
  },
  ReserveClaimedEvent: {
    roots: ["reserveClaimedEvent", "reserveClaimedEvents"],
    fields: { ...EVENT, reserveHolder: "Broadcaster", claimant: "Transcoder", amount: "BigDecimal" },
  },
  WithdrawalEvent: {
    roots: ["withdrawalEvent", "withdrawalEvents"],
    fields: { ...EVENT, sender: "Broadcaster", deposit: "BigDecimal", reserve: "BigDecimal" },
  },
  LivepeerAccount: { roots: ["livepeerAccount", "livepeerAccounts"], fields: { id: "ID", lastUpdatedTimestamp: "Int" } },
  TreasuryProposal: {
    roots: ["treasuryProposal", "treasuryProposals"],
    fields: {
      id: "ID",
      proposer: "LivepeerAccount",
      targets: ["String", "list"],
      values: ["BigInt", "list"],
      calldatas: ["Bytes", "list"],
      voteStart: "BigInt",
      voteEnd: "BigInt",
      description: "String",
      forVotes: "BigDecimal",
      againstVotes: "BigDecimal",
      abstainVotes: "BigDecimal",
      totalVotes: "BigDecimal",
    },
  },
  TreasuryVote: {
    roots: ["treasuryVote", "treasuryVotes"],
    fields: {
      id: "ID",
      proposal: "TreasuryProposal",
      voter: "LivepeerAccount",
      support: "TreasuryVoteSupport",
      weight: "BigDecimal",
      reason: ["String", "nullable"],
    },
  },
};

export const ENTITY_NAMES = Object.keys(ENTITIES) as EntityName[];

export function fieldTypeOf(spec: EntitySpec, field: string): FieldType {
  const declared = spec.fields[field];
  return Array.isArray(declared) ? declared[0] : declared;
}

export const isList = (spec: EntitySpec, field: string): boolean => {
  const declared = spec.fields[field];
  return Array.isArray(declared) && declared[1] === "list";
};

export const isRelation = (type: FieldType): type is EntityName => type in ENTITIES;
