// Program queries (issue 14): the subsidised gateways with their budgets and the subgraph's
// deposit + reserve, each gateway's funding events and redeemed tickets in chain order (wei as
// integer strings: never a JS number), treasury proposals with their votes, grant recipients, and
// configuration problems. Any Querier; no driver.
import type { LedgerEvent } from "../../core/programs/ledger";
import type { ProposalFields, ProposalTally } from "../../core/programs/treasury";
import type { Querier } from "../client";
import { SUBSIDIZED_TAG } from "./fees";

export interface SubsidizedGateway {
  address: string;
  label: string | null;
  from: string | null;
  to: string | null;
  budgetEth: string | null;
  /** Broadcaster.deposit + reserve at the last indexed block; null when the subgraph has no row. */
  subgraphDepositEth: string | null;
  subgraphReserveEth: string | null;
}

export async function subsidizedGateways(q: Querier): Promise<SubsidizedGateway[]> {
  return q.query<SubsidizedGateway>(
    `select t.address, t.label, t.period_from::text as "from", t.period_to::text as "to",
            trim_scale(b.budget_eth)::text as "budgetEth",
            trim_scale(br.deposit)::text as "subgraphDepositEth", trim_scale(br.reserve)::text as "subgraphReserveEth"
       from gateway_tags t
       left join gateway_budgets b on b.address = t.address
       left join broadcasters br on br.address = t.address
      where t.tag = $1
      order by coalesce(t.label, t.address), t.address`,
    [SUBSIDIZED_TAG],
  );
}

export interface LedgerRow {
  kind: "deposit" | "reserve" | "claim" | "withdrawal" | "ticket";
  id: string;
  day: string;
  block: string;
  logIndex: number;
  wei: string;
  reserveWei: string | null;
}

/** Ledger rows as the replay's events (core/programs/ledger.ts). */
export function ledgerEventsOf(rows: readonly LedgerRow[]): LedgerEvent[] {
  return rows.map((r) => ({
    kind: r.kind,
    id: r.id,
    day: r.day,
    block: Number(r.block),
    logIndex: r.logIndex,
    wei: BigInt(r.wei),
    reserveWei: r.reserveWei === null ? undefined : BigInt(r.reserveWei),
  }));
}

const WEI = (col: string) => `(${col} * 1000000000000000000)::numeric(78,0)::text`;

/** Every funding event and redeemed ticket of one gateway, in chain order (ties: funding first). */
export async function ledgerRows(q: Querier, gateway: string): Promise<LedgerRow[]> {
  return q.query<LedgerRow>(
    `select kind, id, day, block::text as block, "logIndex", wei, "reserveWei" from (
       select kind, id, day::text as day, block_number as block, log_index as "logIndex",
              ${WEI("amount_eth")} as wei, ${WEI("reserve_eth")} as "reserveWei", 0 as rank
         from ledger_events where gateway = $1
       union all
       select 'ticket', id, day::text, block_number, coalesce(nullif(split_part(id, '-', 2), '')::int, 0),
              ${WEI("face_value_eth")}, null, 1
         from tickets where sender = $1
     ) e order by block, "logIndex", rank, id`,
    [gateway],
  );
}

export interface ProposalRow extends ProposalFields, ProposalTally {
  quorumStake: string | null;
  currentRound: string | null;
  block: number;
}

export async function treasuryProposals(q: Querier): Promise<ProposalRow[]> {
  return q.query<ProposalRow>(
    `select id, proposer, targets, values, calldatas, vote_start::text as "voteStart", vote_end::text as "voteEnd", description,
            trim_scale(for_votes)::text as "forVotes", trim_scale(against_votes)::text as "againstVotes",
            trim_scale(abstain_votes)::text as "abstainVotes", trim_scale(total_votes)::text as "totalVotes",
            trim_scale(quorum_stake)::text as "quorumStake", current_round::text as "currentRound", block::int8 as block
       from treasury_proposals order by vote_start desc, id`,
  );
}

export interface VoteRow {
  proposal: string;
  voter: string;
  support: string;
  weight: string;
  reason: string | null;
}

export async function treasuryVotes(q: Querier): Promise<VoteRow[]> {
  return q.query<VoteRow>(
    `select proposal, voter, support, trim_scale(weight)::text as weight, reason from treasury_votes order by proposal, weight desc, voter`,
  );
}

export interface RecipientRow {
  address: string;
  label: string;
  program: string | null;
  programFrom: string | null;
  programTo: string | null;
  baselineFrom: string | null;
  baselineTo: string | null;
}

export async function treasuryRecipients(q: Querier): Promise<RecipientRow[]> {
  return q.query<RecipientRow>(
    `select address, label, program, program_from::text as "programFrom", program_to::text as "programTo",
            baseline_from::text as "baselineFrom", baseline_to::text as "baselineTo"
       from treasury_recipients order by label, address`,
  );
}

export interface ConfigProblem {
  file: string;
  path: string;
  message: string;
  seenAt: string;
}

export async function configProblems(q: Querier): Promise<ConfigProblem[]> {
  return q.query<ConfigProblem>(`select file, path, message, seen_at::text as "seenAt" from config_problems order by file, path, message`);
}
