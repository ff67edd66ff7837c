// The programs behind the fees (issue 14): the subsidy ledger's on-chain events, per-gateway budgets,
// treasury proposals with their votes, the labelled grant recipients, and what is wrong with the
// files they come from. drizzle.config.ts reads this file with the others.
// Money: numeric (ETH and LPT as the subgraph's decimals, exact). Addresses: lowercase hex text.
// Decision record: docs/decisions/015-subsidy-ledger.md.
import { bigint, date, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * One TicketBroker funding event of a gateway (subgraph DepositFundedEvent, ReserveFundedEvent,
 * ReserveClaimedEvent, WithdrawalEvent), immutable, keyed by the subgraph's `<txHash>-<logIndex>` id
 * and its kind (ids are unique per entity type). `log_index` (block-level) orders events and redeemed
 * tickets of one block exactly. amount_eth: deposit, reserve or claimed amount; for a withdrawal, the
 * deposit withdrawn, with the reserve withdrawn in reserve_eth.
 */
export const ledgerEvents = pgTable(
  "ledger_events",
  {
    kind: text("kind").notNull(), // deposit | reserve | claim | withdrawal
    id: text("id").notNull(),
    gateway: text("gateway").notNull(),
    timestamp: integer("timestamp").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    blockNumber: bigint("block_number", { mode: "number" }).notNull(),
    logIndex: integer("log_index").notNull(),
    amountEth: numeric("amount_eth").notNull(),
    reserveEth: numeric("reserve_eth"),
    claimant: text("claimant"),
  },
  (t) => [primaryKey({ columns: [t.kind, t.id] }), index("ledger_events_gateway_order").on(t.gateway, t.blockNumber, t.logIndex)],
);

/** A gateway's budget from the tags file (`budgetEth`), over its tag's window. */
export const gatewayBudgets = pgTable("gateway_budgets", {
  address: text("address").primaryKey(),
  budgetEth: numeric("budget_eth").notNull(),
});

/**
 * Subgraph TreasuryProposal as read at the run's block. targets, values and calldatas are the
 * subgraph's lists as JSON arrays of strings (addresses, wei, 0x hex). quorum_stake is the subgraph
 * Round(voteStart).totalActiveStake, the supply the governor's quorum is a fraction of (null when the
 * round is not in the subgraph). current_round is Protocol.currentRound at the same block.
 */
export const treasuryProposals = pgTable("treasury_proposals", {
  id: text("id").primaryKey(),
  proposer: text("proposer").notNull(),
  targets: jsonb("targets").$type<string[]>().notNull(),
  values: jsonb("values").$type<string[]>().notNull(),
  calldatas: jsonb("calldatas").$type<string[]>().notNull(),
  voteStart: numeric("vote_start").notNull(),
  voteEnd: numeric("vote_end").notNull(),
  description: text("description").notNull(),
  forVotes: numeric("for_votes").notNull(),
  againstVotes: numeric("against_votes").notNull(),
  abstainVotes: numeric("abstain_votes").notNull(),
  totalVotes: numeric("total_votes").notNull(),
  quorumStake: numeric("quorum_stake"),
  currentRound: numeric("current_round"),
  block: bigint("block", { mode: "number" }).notNull(),
});

/** Subgraph TreasuryVote: one voter's latest vote on one proposal (id `<proposal>-<voter>`). */
export const treasuryVotes = pgTable(
  "treasury_votes",
  {
    id: text("id").primaryKey(),
    proposal: text("proposal").notNull(),
    voter: text("voter").notNull(),
    support: text("support").notNull(), // For | Against | Abstain
    weight: numeric("weight").notNull(),
    reason: text("reason"),
  },
  (t) => [index("treasury_votes_proposal").on(t.proposal)],
);

/**
 * Grant recipients from TREASURY_RECIPIENTS_FILE: a label, and optionally the program the grant
 * funds, with its window and the baseline its fees are compared with.
 */
export const treasuryRecipients = pgTable("treasury_recipients", {
  address: text("address").primaryKey(),
  label: text("label").notNull(),
  program: text("program"),
  programFrom: date("program_from", { mode: "string" }),
  programTo: date("program_to", { mode: "string" }),
  baselineFrom: date("baseline_from", { mode: "string" }),
  baselineTo: date("baseline_to", { mode: "string" }),
});

/**
 * What is wrong in a configuration file that does not stop the indexer (a tags budget, the
 * recipients file): file name, the path inside it, the message. Replaced per file at each run.
 */
export const configProblems = pgTable(
  "config_problems",
  {
    file: text("file").notNull(),
    path: text("path").notNull(),
    message: text("message").notNull(),
    seenAt: timestamp("seen_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.file, t.path, t.message] })],
);

/**
 * A frozen orchestrator bootstrapping program (PROGRAMS_FILE; decision 018): the program as the file
 * defined it, every orchestrator's figures, eligibility and grant, and the totals, stored once under
 * a report-style id and only ever read back (re-indexing never changes it).
 */
export const programSnapshots = pgTable(
  "program_snapshots",
  {
    id: text("id").primaryKey(),
    program: text("program").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull(),
    definition: jsonb("definition").notNull(),
    result: jsonb("result").notNull(),
    provenance: jsonb("provenance").notNull(),
  },
  (t) => [index("program_snapshots_program_created").on(t.program, t.createdAt)],
);
