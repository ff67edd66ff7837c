// The demo subgraph's program entities at a block (issue 14): DepositFundedEvent, ReserveFundedEvent,
// ReserveClaimedEvent, WithdrawalEvent, TreasuryProposal, TreasuryVote and LivepeerAccount rows from
// indexer/demo/programs.ts, and the funded gateway's Broadcaster.deposit and reserve exactly as the
// Livepeer subgraph's ticketBroker handlers compute them (core/programs/ledger.ts replays both).
import { ethToWei, replayLedger, type LedgerEvent } from "../../core/programs/ledger";
import { formatUnits, type DemoNetwork, type DemoRound } from "./generate";
import { demoProgramsOf, type DemoLedgerEvent, type DemoProposal, type DemoVote } from "./programs";
import type { EntityName } from "./subgraph-entities";
import type { Row } from "./subgraph-snapshots";

type Item = { block: number } & ({ type: "ledger"; e: DemoLedgerEvent } | { type: "proposal"; p: DemoProposal } | { type: "vote"; v: DemoVote });

export interface ProgramsChain {
  /** Chain order. */
  items: Item[];
  blocks: number[];
  transactions: { id: string; block: number; timestamp: number }[];
  gateway: string;
}

const eth = (wei: bigint) => formatUnits(wei, 18);

export function programsChain(network: DemoNetwork): ProgramsChain {
  const p = demoProgramsOf(network);
  const items: Item[] = [
    ...p.ledger.map((e): Item => ({ type: "ledger", e, block: e.block })),
    ...p.proposals.map((x): Item => ({ type: "proposal", p: x, block: x.block })),
    ...p.votes.map((v): Item => ({ type: "vote", v, block: v.block })),
  ].sort((a, b) => a.block - b.block);
  return {
    items,
    blocks: items.map((i) => i.block),
    transactions: p.ledger.map((e) => ({ id: e.txHash, block: e.block, timestamp: e.timestamp })),
    gateway: network.meta.subsidizedGateway,
  };
}

type ProgramEntity = "DepositFundedEvent" | "ReserveFundedEvent" | "ReserveClaimedEvent" | "WithdrawalEvent" | "LivepeerAccount" | "TreasuryProposal" | "TreasuryVote";

export interface ProgramRows {
  rows: Record<ProgramEntity, Row[]>;
  broadcasters: Map<string, { values: { deposit: string; reserve: string }; changedAt: number }>;
  lastBlock: number;
}

const KIND = { DepositFundedEvent: "deposit", ReserveFundedEvent: "reserve", ReserveClaimedEvent: "claim", WithdrawalEvent: "withdrawal" } as const;

function roundOf(rounds: DemoRound[], timestamp: number): string {
  let id = rounds[0]?.id ?? "0";
  for (const r of rounds) if (r.startTimestamp <= timestamp) id = r.id;
  return id;
}

export function programRows(chain: ProgramsChain, count: number, visibleTickets: readonly Row[], rounds: DemoRound[]): ProgramRows {
  const visible = chain.items.slice(0, count);
  const rows: Record<ProgramEntity, Row[]> = {
    DepositFundedEvent: [],
    ReserveFundedEvent: [],
    ReserveClaimedEvent: [],
    WithdrawalEvent: [],
    LivepeerAccount: [],
    TreasuryProposal: [],
    TreasuryVote: [],
  };
  const accounts = new Map<string, { ts: number; block: number }>();
  const touch = (id: string, ts: number, block: number) => accounts.set(id, { ts, block });
  const totals = new Map<string, { for: bigint; against: bigint; abstain: bigint; changedAt: number }>();
  const replayInput: LedgerEvent[] = [];
  for (const item of visible) {
    if (item.type === "ledger") {
      const { e } = item;
      const common = { id: e.id, transaction: e.txHash, timestamp: e.timestamp, round: roundOf(rounds, e.timestamp) };
      const values =
        e.entity === "DepositFundedEvent"
          ? { ...common, sender: e.gateway, amount: eth(e.amountWei) }
          : e.entity === "ReserveFundedEvent"
            ? { ...common, reserveHolder: e.gateway, amount: eth(e.amountWei) }
            : e.entity === "ReserveClaimedEvent"
              ? { ...common, reserveHolder: e.gateway, claimant: e.claimant!, amount: eth(e.amountWei) }
              : { ...common, sender: e.gateway, deposit: eth(e.amountWei), reserve: eth(e.reserveWei ?? 0n) };
      rows[e.entity].push({ values, changedAt: e.block });
      replayInput.push({ kind: KIND[e.entity], id: e.id, day: "", block: e.block, logIndex: e.logIndex, wei: e.amountWei, reserveWei: e.reserveWei });
    } else if (item.type === "proposal") {
      touch(item.p.proposer, 0, item.block);
      totals.set(item.p.id, { for: 0n, against: 0n, abstain: 0n, changedAt: item.block });
    } else {
      const { v } = item;
      touch(v.voter, v.timestamp, v.block);
      const t = totals.get(v.proposal)!;
      if (v.support === "For") t.for += v.weightWei;
      else if (v.support === "Against") t.against += v.weightWei;
      else t.abstain += v.weightWei;
      t.changedAt = v.block;
      rows.TreasuryVote.push({
        values: { id: v.id, proposal: v.proposal, voter: v.voter, support: v.support, weight: eth(v.weightWei), reason: v.reason },
        changedAt: v.block,
      });
    }
  }
  for (const item of visible) {
    if (item.type !== "proposal") continue;
    const { p } = item;
    const t = totals.get(p.id)!;
    rows.TreasuryProposal.push({
      values: {
        id: p.id,
        proposer: p.proposer,
        targets: p.targets,
        values: p.values,
        calldatas: p.calldatas,
        voteStart: p.voteStart,
        voteEnd: p.voteEnd,
        description: p.description,
        forVotes: eth(t.for),
        againstVotes: eth(t.against),
        abstainVotes: eth(t.abstain),
        totalVotes: eth(t.for + t.against + t.abstain),
      },
      changedAt: t.changedAt,
    });
  }
  for (const [id, a] of accounts) rows.LivepeerAccount.push({ values: { id, lastUpdatedTimestamp: a.ts }, changedAt: a.block });

  // The funded gateway's deposit and reserve, through the subgraph handler's arithmetic.
  const broadcasters = new Map<string, { values: { deposit: string; reserve: string }; changedAt: number }>();
  {
    let changedAt = 0;
    for (const row of visibleTickets) {
      if (row.values.sender !== chain.gateway) continue;
      const id = row.values.id as string;
      replayInput.push({ kind: "ticket", id, day: "", block: row.changedAt, logIndex: Number(id.split("-")[1]), wei: ethToWei(row.values.faceValue as string) });
      changedAt = Math.max(changedAt, row.changedAt);
    }
    const { subgraph } = replayLedger(replayInput);
    changedAt = Math.max(changedAt, ...replayInput.map((e) => e.block));
    broadcasters.set(chain.gateway, { values: { deposit: eth(subgraph.depositWei), reserve: eth(subgraph.reserveWei) }, changedAt });
  }
  return { rows, broadcasters, lastBlock: visible.at(-1)?.block ?? -Infinity };
}

export const PROGRAM_ENTITIES: EntityName[] = ["DepositFundedEvent", "ReserveFundedEvent", "ReserveClaimedEvent", "WithdrawalEvent", "LivepeerAccount", "TreasuryProposal", "TreasuryVote"];
