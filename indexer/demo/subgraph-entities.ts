// The demo subgraph's entity model: one table (ENTITIES) names every entity, its root query fields
// and its fields' types, as in the Livepeer subgraph's schema. It drives the GraphQL types
// (subgraph-schema.ts), the filters and ordering (subgraph-filters.ts) and the row shapes
// (subgraph-snapshots.ts).

export type ScalarName = "ID" | "String" | "Int" | "BigInt" | "BigDecimal" | "Boolean" | "TranscoderStatus";
export type EntityName =
  | "Protocol"
  | "Day"
  | "Transcoder"
  | "TranscoderDay"
  | "Broadcaster"
  | "BroadcasterDay"
  | "Round"
  | "Transaction"
  | "WinningTicketRedeemedEvent";
export type FieldType = ScalarName | EntityName;

export interface EntitySpec {
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

export const ENTITY_NAMES = Object.keys(ENTITIES) as EntityName[];

export function fieldTypeOf(spec: EntitySpec, field: string): FieldType {
  const declared = spec.fields[field];
  return Array.isArray(declared) ? declared[0] : declared;
}

export const isRelation = (type: FieldType): type is EntityName => type in ENTITIES;
