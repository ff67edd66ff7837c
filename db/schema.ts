// Every table the product keeps. One file, one source of truth.
// Money: `numeric` everywhere (ETH decimals as the subgraph gives them, or wei); never float.
// Addresses: lowercase hex text. Days: SQL `date` (UTC).
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
} from "drizzle-orm/pg-core";

/** Subgraph `Day`: network fees per UTC day (a day without activity has no row). */
export const days = pgTable("days", {
  dayNumber: integer("day_number").primaryKey(), // floor(ts / 86400)
  date: date("date", { mode: "string" }).notNull().unique(),
  volumeEth: numeric("volume_eth").notNull(),
  volumeUsd: numeric("volume_usd").notNull(),
  totalActiveStake: numeric("total_active_stake"),
  participationRate: numeric("participation_rate"),
  activeTranscoderCount: numeric("active_transcoder_count"),
});

/** Subgraph `Transcoder` (an orchestrator). */
export const transcoders = pgTable("transcoders", {
  address: text("address").primaryKey(),
  active: boolean("active").notNull(),
  status: text("status"),
  activationRound: numeric("activation_round"),
  deactivationRound: numeric("deactivation_round"),
  feeShare: numeric("fee_share"), // parts per 1,000,000
  rewardCut: numeric("reward_cut"), // parts per 1,000,000
  totalStake: numeric("total_stake").notNull(),
  totalVolumeEth: numeric("total_volume_eth").notNull(),
  totalVolumeUsd: numeric("total_volume_usd").notNull(),
  thirtyDayVolumeEth: numeric("thirty_day_volume_eth"),
  ninetyDayVolumeEth: numeric("ninety_day_volume_eth"),
  serviceUri: text("service_uri"),
  lastRewardRound: text("last_reward_round"),
});

/** Subgraph `TranscoderDay`. */
export const transcoderDays = pgTable(
  "transcoder_days",
  {
    id: text("id").primaryKey(),
    address: text("address").notNull(),
    date: date("date", { mode: "string" }).notNull(),
    volumeEth: numeric("volume_eth").notNull(),
    volumeUsd: numeric("volume_usd").notNull(),
  },
  (t) => [index("transcoder_days_address_date").on(t.address, t.date)],
);

/** Subgraph `Broadcaster` (a gateway). */
export const broadcasters = pgTable("broadcasters", {
  address: text("address").primaryKey(),
  deposit: numeric("deposit"),
  reserve: numeric("reserve"),
  totalVolumeEth: numeric("total_volume_eth").notNull(),
  totalVolumeUsd: numeric("total_volume_usd").notNull(),
  ninetyDayVolumeEth: numeric("ninety_day_volume_eth"),
});

/** Subgraph `BroadcasterDay`. */
export const broadcasterDays = pgTable(
  "broadcaster_days",
  {
    id: text("id").primaryKey(),
    address: text("address").notNull(),
    date: date("date", { mode: "string" }).notNull(),
    volumeEth: numeric("volume_eth").notNull(),
    volumeUsd: numeric("volume_usd").notNull(),
  },
  (t) => [index("broadcaster_days_address_date").on(t.address, t.date)],
);

/** Subgraph `WinningTicketRedeemedEvent`: every redeemed winning ticket. */
export const tickets = pgTable(
  "tickets",
  {
    id: text("id").primaryKey(), // <txHash>-<logIndex>
    timestamp: integer("timestamp").notNull(), // unix seconds
    day: date("day", { mode: "string" }).notNull(), // UTC day of timestamp
    blockNumber: bigint("block_number", { mode: "number" }).notNull(),
    round: text("round").notNull(),
    sender: text("sender").notNull(), // gateway
    recipient: text("recipient").notNull(), // orchestrator
    faceValueEth: numeric("face_value_eth").notNull(),
    faceValueUsd: numeric("face_value_usd").notNull(),
    winProb: numeric("win_prob"),
  },
  (t) => [index("tickets_timestamp").on(t.timestamp), index("tickets_recipient_day").on(t.recipient, t.day)],
);

/**
 * Exact per-day rollups of `tickets`, maintained in the same statement that inserts tickets
 * (only rows that were really inserted are added), so pages never scan raw tickets.
 */
export const feeDayGateway = pgTable(
  "fee_day_gateway",
  {
    day: date("day", { mode: "string" }).notNull(),
    gateway: text("gateway").notNull(),
    tickets: integer("tickets").notNull(),
    volumeEth: numeric("volume_eth").notNull(),
    volumeUsd: numeric("volume_usd").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.gateway] })],
);

export const feeDayOrchestrator = pgTable(
  "fee_day_orchestrator",
  {
    day: date("day", { mode: "string" }).notNull(),
    orchestrator: text("orchestrator").notNull(),
    tickets: integer("tickets").notNull(),
    volumeEth: numeric("volume_eth").notNull(),
    volumeUsd: numeric("volume_usd").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.orchestrator] }), index("fee_day_orchestrator_orch").on(t.orchestrator, t.day)],
);

/** Subgraph `Protocol` singleton (id "0"). */
export const protocol = pgTable("protocol", {
  id: text("id").primaryKey(),
  totalVolumeEth: numeric("total_volume_eth").notNull(),
  totalVolumeUsd: numeric("total_volume_usd").notNull(),
  winningTicketCount: bigint("winning_ticket_count", { mode: "number" }).notNull(),
  currentRound: text("current_round"),
  activeTranscoderCount: numeric("active_transcoder_count"),
  totalActiveStake: numeric("total_active_stake"),
  participationRate: numeric("participation_rate"),
  block: bigint("block", { mode: "number" }),
});

/** Gateway tags from the config file (e.g. `subsidized` for the free-tier gateway). */
export const gatewayTags = pgTable("gateway_tags", {
  address: text("address").primaryKey(),
  tag: text("tag").notNull(),
  label: text("label"),
  // Optional marked period (e.g. the free-tier subsidy window), inclusive UTC days.
  periodFrom: date("period_from", { mode: "string" }),
  periodTo: date("period_to", { mode: "string" }),
});

/** One row per indexer source: its checkpoint and health. The cursor moves with the rows. */
export const sourceState = pgTable("source_state", {
  name: text("name").primaryKey(),
  cursor: jsonb("cursor"),
  block: bigint("block", { mode: "number" }),
  blockTimestamp: integer("block_timestamp"),
  deployment: text("deployment"),
  lastRunAt: timestamp("last_run_at", { withTimezone: true }),
  lastSuccessAt: timestamp("last_success_at", { withTimezone: true }),
  lastError: text("last_error"),
  lastErrorAt: timestamp("last_error_at", { withTimezone: true }),
  rowsWritten: bigint("rows_written", { mode: "number" }).notNull().default(0),
  lastRunRows: integer("last_run_rows"),
  progress: jsonb("progress"), // live progress of the current run, null when idle
});

/** History of indexer runs, newest first on the status page. */
export const indexerRuns = pgTable(
  "indexer_runs",
  {
    id: serial("id").primaryKey(),
    source: text("source").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    ok: boolean("ok"),
    error: text("error"),
    rowsWritten: integer("rows_written").notNull().default(0),
    block: bigint("block", { mode: "number" }),
  },
  (t) => [index("indexer_runs_source_started").on(t.source, t.startedAt)],
);
