// The demo network's programs (issue 14): the free-tier gateway's TicketBroker funding history and
// one treasury proposal granting LPT to the program's multisig, derived from the generated network
// so they reconcile with its tickets to the wei. Deterministic per network (memoised).
//
// Funding: a deposit before the gateway's first ticket and a reserve; during the window, a weekly
// top-up of exactly the week's tickets (the deposit ends each week at a 1 ETH buffer), except one
// week that is short by half of its last ticket, which the reserve covers (ReserveClaimed, in the
// ticket's transaction just before it); a withdrawal of everything four days after the window; then,
// if the gateway redeems more tickets, a small deposit and reserve that again fall short by half of
// the last ticket. The subgraph's handler mis-books such a ticket (docs/decisions/015-subsidy-ledger.md),
// so the demo's Broadcaster row differs from the ledger exactly as the real subgraph's would.
import type { ProposalFields } from "../../core/programs/treasury";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { DAY_SECONDS, formatUnits, parseUnits, type DemoNetwork } from "./generate";

const ETH = 10n ** 18n;
const BUFFER = ETH;
const RESERVE = 5n * ETH;
export const DEMO_LPT = "0x289ba1701c2f088cf0faf8b3705246331cb8a839";
/** What the demo grants: 25,000.5 LPT, with 18-decimal dust so decoding is checked to the wei. */
export const DEMO_GRANT_WEI = 25_000_500_000_000_000_000_123n;

export interface DemoLedgerEvent {
  entity: "DepositFundedEvent" | "ReserveFundedEvent" | "ReserveClaimedEvent" | "WithdrawalEvent";
  id: string;
  txHash: string;
  timestamp: number;
  block: number;
  logIndex: number;
  gateway: string;
  amountWei: bigint;
  /** Withdrawals: the reserve part (amountWei is the deposit part). */
  reserveWei?: bigint;
  claimant?: string;
}

export interface DemoProposal extends ProposalFields {
  block: number;
}

export interface DemoVote {
  id: string;
  proposal: string;
  voter: string;
  support: "For" | "Against" | "Abstain";
  weightWei: bigint;
  reason: string | null;
  block: number;
  timestamp: number;
}

export interface DemoPrograms {
  multisig: string;
  /** The free tier's budget for its window, ETH (what the demo's tags file says). */
  budgetEth: string;
  ledger: DemoLedgerEvent[];
  proposals: DemoProposal[];
  votes: DemoVote[];
}

const memo = new WeakMap<DemoNetwork, DemoPrograms>();

export function demoProgramsOf(network: DemoNetwork): DemoPrograms {
  let p = memo.get(network);
  if (!p) memo.set(network, (p = build(network)));
  return p;
}

const hex = (seed: string, n: number) => createHash("sha256").update(seed).digest("hex").repeat(2).slice(0, n);
const dayTs = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;
const word = (v: bigint) => v.toString(16).padStart(64, "0");

function build(network: DemoNetwork): DemoPrograms {
  const { meta } = network;
  const gateway = meta.subsidizedGateway;
  const multisig = `0x${hex(`${meta.seed}:multisig`, 40)}`;
  const tickets = network.tickets
    .filter((t) => t.sender.id === gateway)
    .map((t) => ({ t, wei: parseUnits(t.faceValue, 18), block: Number(t.transaction.blockNumber), logIndex: Number(t.id.split("-")[1]) }));
  const ledger: DemoLedgerEvent[] = [];
  let n = 0;
  const add = (e: Omit<DemoLedgerEvent, "id" | "txHash" | "block" | "logIndex" | "gateway"> & { txHash?: string; block?: number; logIndex?: number }) => {
    const txHash = e.txHash ?? `0x${hex(`${meta.seed}:ledger:${n++}`, 64)}`;
    const logIndex = e.logIndex ?? 1;
    ledger.push({ ...e, gateway, txHash, logIndex, id: `${txHash}-${logIndex}`, block: e.block ?? network.blockAt(e.timestamp) });
  };

  // Withdrawal four days after the window, at noon, moved off any of the gateway's tickets.
  let withdrawAt = dayTs(meta.subsidy.to) + 4 * DAY_SECONDS + DAY_SECONDS / 2;
  while (tickets.some(({ t }) => Math.abs(t.timestamp - withdrawAt) < 30)) withdrawAt += 60;
  const windowFrom = dayTs(meta.subsidy.from);
  // Period starts: the first funding, each window week, the withdrawal.
  const starts = [Math.max(dayTs(meta.startDay), Math.min(tickets[0]?.t.timestamp ?? windowFrom, windowFrom) - 3600)];
  for (let ts = windowFrom; ts < dayTs(meta.subsidy.to) + DAY_SECONDS; ts += 7 * DAY_SECONDS) if (ts - 3600 > starts[0]) starts.push(ts - 3600);
  const periodOf = (ts: number) => {
    let i = 0;
    while (i + 1 < starts.length && starts[i + 1] <= ts) i++;
    return i;
  };
  const before = tickets.filter(({ t }) => t.timestamp < withdrawAt);
  const after = tickets.filter(({ t }) => t.timestamp > withdrawAt);
  const periods = starts.map((start, i) => ({ start, items: before.filter(({ t }) => periodOf(t.timestamp) === i) }));
  // The short week: the middle of the window, or the next whose last ticket can carry a claim before it.
  const mid = Math.max(1, Math.floor(periods.length / 2));
  const shortIndex = periods.findIndex((p, i) => i >= mid && p.items.length > 1 && p.items.at(-1)!.logIndex >= 1);

  let d = 0n;
  let r = 0n;
  const spend = (items: typeof tickets) => {
    for (const { t, wei, block, logIndex } of items) {
      if (wei > d) {
        const claim = wei - d;
        add({ entity: "ReserveClaimedEvent", timestamp: t.timestamp, block, logIndex: logIndex - 1, txHash: t.transaction.id, amountWei: claim, claimant: t.recipient.id });
        r -= claim;
        d = 0n;
      } else d -= wei;
    }
  };
  periods.forEach((p, i) => {
    const sum = p.items.reduce((s, x) => s + x.wei, 0n);
    const amount = i === shortIndex ? sum - d - p.items.at(-1)!.wei / 2n : sum - d + BUFFER;
    if (amount > 0n) {
      add({ entity: "DepositFundedEvent", timestamp: p.start, amountWei: amount });
      d += amount;
    }
    if (i === 0) {
      add({ entity: "ReserveFundedEvent", timestamp: p.start + 60, amountWei: RESERVE });
      r += RESERVE;
    }
    spend(p.items);
  });
  add({ entity: "WithdrawalEvent", timestamp: withdrawAt, amountWei: d, reserveWei: r });
  d = r = 0n;
  if (after.length) {
    const sum = after.reduce((s, x) => s + x.wei, 0n);
    const last = after.at(-1)!;
    const amount = last.logIndex >= 1 ? sum - last.wei / 2n : sum;
    add({ entity: "DepositFundedEvent", timestamp: withdrawAt + 20, amountWei: amount });
    const reserve = last.wei > ETH ? last.wei : ETH;
    add({ entity: "ReserveFundedEvent", timestamp: withdrawAt + 25, amountWei: reserve });
    d = amount;
    r = reserve;
    spend(after);
  }
  ledger.sort((a, b) => a.block - b.block || a.logIndex - b.logIndex);

  // The grant: proposed 20 days into the window, votes over the next rounds, LPT to the multisig.
  const proposedAt = windowFrom + 20 * DAY_SECONDS;
  const round = network.rounds.find((x, i) => x.startTimestamp <= proposedAt && (network.rounds[i + 1]?.startTimestamp ?? Infinity) > proposedAt) ?? network.rounds[0];
  const proposer = `0x${hex(`${meta.seed}:proposer`, 40)}`;
  const proposalId = BigInt(`0x${hex(`${meta.seed}:proposal`, 64)}`).toString();
  const calldata = `0xa9059cbb${word(BigInt(multisig))}${word(DEMO_GRANT_WEI)}`;
  const description =
    `# Free-tier infra credits: orchestrator fees for the subsidised tier\n\n` +
    `Grant 25,000.5 LPT to the program multisig ${multisig} to fund the free tier from ${meta.subsidy.from} to ${meta.subsidy.to}. ` +
    `<script>alert("descriptions are untrusted")</script>`;
  const proposals: DemoProposal[] = [
    {
      id: proposalId,
      proposer,
      targets: [DEMO_LPT],
      values: ["0"],
      calldatas: [calldata],
      voteStart: String(Number(round.id) + 1),
      voteEnd: String(Number(round.id) + 11),
      description,
      block: network.blockAt(proposedAt),
    },
  ];
  const voteAt = (k: number) => proposedAt + (2 + k) * DAY_SECONDS;
  // Weights as shares of the stake at voteStart, so the vote reaches the governor's quorum.
  const stakeDay = network.protocolDays.find((x) => x.day === Math.floor(round.startTimestamp / DAY_SECONDS)) ?? network.protocolDays.at(-1)!;
  const stake = parseUnits(stakeDay.totalActiveStake, 18);
  const voters: [string, DemoVote["support"], bigint, string | null][] = [
    [network.transcoders[0].id, "For", (stake * 24n) / 100n + 123n, "Fees paid by the free tier are real demand."],
    [network.transcoders[1].id, "For", (stake * 9n) / 100n, null],
    [network.transcoders[2].id, "Against", (stake * 4n) / 100n + 7n, "Prefer a smaller first tranche."],
    [network.transcoders[3].id, "Abstain", stake / 100n, null],
  ];
  const votes = voters.map(([voter, support, weightWei, reason], k): DemoVote => ({
    id: `${proposalId}-${voter}`,
    proposal: proposalId,
    voter,
    support,
    weightWei,
    reason,
    timestamp: voteAt(k),
    block: network.blockAt(voteAt(k)),
  }));
  const total = tickets.filter(({ t }) => t.timestamp >= windowFrom && t.timestamp < dayTs(meta.subsidy.to) + DAY_SECONDS).reduce((s, x) => s + x.wei, 0n);
  // A budget a little above what the window spent, in whole ETH.
  const budgetEth = formatUnits(((total * 11n) / 10n / ETH + 1n) * ETH, 18);
  return { multisig, budgetEth, ledger, proposals, votes };
}

/** The demo's recipients file: the program multisig, labelled and linked to the free tier's window. Returns its path. */
export function writeDemoRecipients(dir: string, network: DemoNetwork): string {
  const file = path.join(dir, "treasury-recipients.json");
  const { multisig } = demoProgramsOf(network);
  const { subsidy } = network.meta;
  const recipients = [{ address: multisig, label: "Free-tier program multisig", program: { name: "Free-tier infra credits", from: subsidy.from, to: subsidy.to } }];
  fs.writeFileSync(file, `${JSON.stringify({ recipients }, null, 2)}\n`);
  return file;
}
