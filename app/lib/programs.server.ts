// The programs behind the fees (issue 14), composed for GET /api/subsidy, GET /api/treasury and the
// /programs page: each subsidised gateway's ledger replayed from its on-chain events
// (core/programs/ledger.ts) and reconciled with the subgraph's Broadcaster.deposit + reserve; the
// treasury's proposals decoded and their state (core/programs/treasury.ts); grants per recipient and,
// for a recipient linked to a program, fees in its window against the baseline per LPT granted.
// Money stays bigint wei or exact decimal strings.
import type { Querier } from "../../db/client";
import { feeTotals } from "../../db/queries/fees";
import {
  configProblems,
  ledgerEventsOf,
  ledgerRows,
  subsidizedGateways,
  treasuryProposals,
  treasuryRecipients,
  treasuryVotes,
  type RecipientRow,
} from "../../db/queries/programs";
import {
  burnPerDayEth,
  eth,
  ethToWei,
  ledgerWindow,
  replayLedger,
  runwayDays,
  spentOver,
  type Shortfall,
} from "../../core/programs/ledger";
import { decodeActions, lptToWei, proposalState, type DecodedAction, type ProposalState } from "../../core/programs/treasury";
import { D, weiToEth } from "../../core/units";
import { addDays, daysBetween } from "./dates";
import { parseRange } from "./params.server";

/** Default range of the ledger: the 180 days up to the latest indexed day. */
export const SUBSIDY_DEFAULT_DAYS = 180;

export interface SubsidyGateway {
  address: string;
  label: string | null;
  fundedEth: string;
  spentEth: string;
  withdrawnEth: string;
  balanceEth: string;
  subgraphBalanceEth: string | null;
  burnEthPerDay: { d7: string; d30: string };
  runwayDays: { d7: string | null; d30: string | null };
  budgetEth: string | null;
  series: { day: string; fundedEth: string; spentEth: string; withdrawnEth: string; balanceEth: string }[];
}

/** What the page shows besides the API's fields: the reconciliation and the budget. */
export interface SubsidyDetail {
  address: string;
  window: { from: string | null; to: string | null };
  claimedEth: string;
  budgetSpentEth: string | null;
  budgetSharePct: string | null;
  reconciliation: {
    ledgerBalanceEth: string;
    subgraphBalanceEth: string | null;
    differenceEth: string | null;
    /** What the subgraph's handler arithmetic gives for the same events (ledger minus this: the handler's error). */
    handlerModelEth: string;
    handlerEffectEth: string;
    /** subgraph minus the handler model: not explained by the handler (events not yet indexed, another block). */
    unexplainedEth: string | null;
    shortfalls: (Omit<Shortfall, "faceValueWei" | "depositBeforeWei" | "subgraphReserveLowerByWei"> & { faceValueEth: string; depositBeforeEth: string; reserveLowerByEth: string })[];
    unpaidEth: string;
    withdrawalDrift: { id: string; day: string; ledgerEth: string; withdrawnEth: string }[];
  };
}

export async function loadSubsidy(q: Querier, range: { from: string; to: string }): Promise<{ gateways: SubsidyGateway[]; details: SubsidyDetail[] }> {
  const gateways: SubsidyGateway[] = [];
  const details: SubsidyDetail[] = [];
  for (const g of await subsidizedGateways(q)) {
    const replay = replayLedger(ledgerEventsOf(await ledgerRows(q, g.address)));
    const w = ledgerWindow(replay.days, range.from, range.to);
    const d7 = spentOver(replay.days, range.to, 7);
    const d30 = spentOver(replay.days, range.to, 30);
    const subgraphWei = g.subgraphDepositEth === null ? null : ethToWei(g.subgraphDepositEth) + ethToWei(g.subgraphReserveEth ?? "0");
    gateways.push({
      address: g.address,
      label: g.label,
      fundedEth: eth(w.fundedWei),
      spentEth: eth(w.spentWei),
      withdrawnEth: eth(w.withdrawnWei),
      balanceEth: eth(w.balanceWei),
      subgraphBalanceEth: subgraphWei === null ? null : eth(subgraphWei),
      burnEthPerDay: { d7: burnPerDayEth(d7, 7), d30: burnPerDayEth(d30, 30) },
      runwayDays: { d7: runwayDays(w.balanceWei, d7, 7), d30: runwayDays(w.balanceWei, d30, 30) },
      budgetEth: g.budgetEth,
      series: w.series.map((s) => ({ day: s.day, fundedEth: eth(s.fundedWei), spentEth: eth(s.spentWei), withdrawnEth: eth(s.withdrawnWei), balanceEth: eth(s.balanceWei) })),
    });
    const ledgerWei = replay.depositWei + replay.reserveWei;
    const modelWei = replay.subgraph.depositWei + replay.subgraph.reserveWei;
    const budgetSpent = g.from && g.to ? ledgerWindow(replay.days, g.from, g.to).spentWei : null;
    const budgetWei = g.budgetEth === null ? null : ethToWei(g.budgetEth);
    details.push({
      address: g.address,
      window: { from: g.from, to: g.to },
      claimedEth: eth(w.claimedWei),
      budgetSpentEth: budgetSpent === null ? null : eth(budgetSpent),
      budgetSharePct:
        budgetSpent === null || budgetWei === null || budgetWei === 0n ? null : new D(budgetSpent.toString()).times(100).div(budgetWei.toString()).toDecimalPlaces(1).toFixed(1),
      reconciliation: {
        ledgerBalanceEth: eth(ledgerWei),
        subgraphBalanceEth: subgraphWei === null ? null : eth(subgraphWei),
        differenceEth: subgraphWei === null ? null : eth(ledgerWei - subgraphWei),
        handlerModelEth: eth(modelWei),
        handlerEffectEth: eth(ledgerWei - modelWei),
        unexplainedEth: subgraphWei === null ? null : eth(modelWei - subgraphWei),
        shortfalls: replay.shortfalls.map((s) => ({
          id: s.id,
          day: s.day,
          faceValueEth: eth(s.faceValueWei),
          depositBeforeEth: eth(s.depositBeforeWei),
          reserveLowerByEth: eth(s.subgraphReserveLowerByWei),
        })),
        unpaidEth: eth(replay.unpaidWei),
        withdrawalDrift: replay.withdrawalDrift.map((x) => ({ id: x.id, day: x.day, ledgerEth: eth(x.ledgerWei), withdrawnEth: eth(x.withdrawnWei) })),
      },
    });
  }
  return { gateways, details };
}

export interface TreasuryProposalView {
  id: string;
  description: string;
  state: ProposalState;
  votesFor: string;
  votesAgainst: string;
  transfers: { to: string; amountLpt: string }[];
}

export interface ProposalDetail extends TreasuryProposalView {
  proposer: string;
  votesAbstain: string;
  voteStart: string;
  voteEnd: string;
  actions: DecodedAction[];
  votes: { voter: string; support: string; weight: string; reason: string | null }[];
}

export async function loadTreasury(q: Querier, recipient: string | null): Promise<ProposalDetail[]> {
  const [proposals, votes] = await Promise.all([treasuryProposals(q), treasuryVotes(q)]);
  const out: ProposalDetail[] = [];
  for (const p of proposals) {
    const actions = decodeActions(p.targets, p.values, p.calldatas);
    const transfers = actions.flatMap((a) => (a.kind === "lpt-transfer" ? [{ to: a.to, amountLpt: a.amountLpt }] : []));
    if (recipient !== null && !transfers.some((t) => t.to === recipient)) continue;
    out.push({
      id: p.id,
      description: p.description,
      state: proposalState(p),
      votesFor: p.forVotes,
      votesAgainst: p.againstVotes,
      transfers,
      proposer: p.proposer,
      votesAbstain: p.abstainVotes,
      voteStart: p.voteStart,
      voteEnd: p.voteEnd,
      actions,
      votes: votes.filter((v) => v.proposal === p.id).map(({ voter, support, weight, reason }) => ({ voter, support, weight, reason })),
    });
  }
  return out;
}

export interface Grant {
  address: string;
  label: string | null;
  /** LPT in proposals that Succeeded, and in proposals still Pending or Active. */
  grantedLpt: string;
  proposedLpt: string;
  proposals: { id: string; title: string; state: ProposalState; votesFor: string; votesAgainst: string; amountLpt: string }[];
  impact: Impact | null;
}

export interface Impact {
  program: string;
  window: { from: string; to: string };
  baseline: { from: string; to: string };
  organic: ImpactSide;
  subsidized: ImpactSide;
}
interface ImpactSide {
  windowEth: string;
  baselineEth: string;
  /** Baseline scaled to the window's length. */
  expectedEth: string;
  increaseEth: string;
  /** increase / LPT granted; null without a granted amount. */
  ethPerLpt: string | null;
}

export const IMPACT_METHOD =
  "Fees in the program window minus the baseline's fees scaled to the window's length (baseline x window days / baseline days), " +
  "divided by the LPT granted to this recipient in proposals that succeeded; organic and subsidised fees apart (gateway tags). " +
  "Default baseline: the same number of days just before the window. A correlation, not a proof of cause.";

const titleOf = (description: string) => (description.split("\n").find((l) => l.trim()) ?? "").replace(/^#+\s*/, "").slice(0, 160);

export async function loadGrants(q: Querier, proposals: ProposalDetail[]): Promise<Grant[]> {
  const recipients = await treasuryRecipients(q);
  const byAddress = new Map<string, RecipientRow | null>(recipients.map((r) => [r.address, r]));
  for (const p of proposals) for (const t of p.transfers) if (!byAddress.has(t.to)) byAddress.set(t.to, null);
  const grants: Grant[] = [];
  for (const [address, r] of byAddress) {
    let granted = 0n;
    let proposed = 0n;
    const rows: Grant["proposals"] = [];
    for (const p of proposals) {
      const amount = p.transfers.filter((t) => t.to === address).reduce((s, t) => s + lptToWei(t.amountLpt), 0n);
      if (!p.transfers.some((t) => t.to === address)) continue;
      if (p.state === "Succeeded") granted += amount;
      else if (p.state === "Pending" || p.state === "Active") proposed += amount;
      rows.push({ id: p.id, title: titleOf(p.description), state: p.state, votesFor: p.votesFor, votesAgainst: p.votesAgainst, amountLpt: weiToEth(amount) });
    }
    grants.push({
      address,
      label: r?.label ?? null,
      grantedLpt: weiToEth(granted),
      proposedLpt: weiToEth(proposed),
      proposals: rows,
      impact: r?.program && r.programFrom && r.programTo ? await impactOf(q, r, granted) : null,
    });
  }
  return grants;
}

async function impactOf(q: Querier, r: RecipientRow, grantedWei: bigint): Promise<Impact> {
  const window = { from: r.programFrom!, to: r.programTo! };
  const days = daysBetween(window.from, window.to) + 1;
  const baseline = r.baselineFrom && r.baselineTo ? { from: r.baselineFrom, to: r.baselineTo } : { from: addDays(window.from, -days), to: addDays(window.from, -1) };
  const baselineDays = daysBetween(baseline.from, baseline.to) + 1;
  const [w, b] = await Promise.all([feeTotals(q, window), feeTotals(q, baseline)]);
  const side = (win: string, base: string): ImpactSide => {
    const expected = new D(base).times(days).div(baselineDays);
    const increase = new D(win).minus(expected);
    return {
      windowEth: win,
      baselineEth: base,
      expectedEth: expected.toSignificantDigits(30).toFixed(),
      increaseEth: increase.toSignificantDigits(30).toFixed(),
      ethPerLpt: grantedWei > 0n ? increase.div(new D(grantedWei.toString()).div("1e18")).toSignificantDigits(12).toFixed() : null,
    };
  };
  return {
    program: r.program!,
    window,
    baseline,
    organic: side(w.split.organicEth, b.split.organicEth),
    subsidized: side(w.split.subsidizedEth, b.split.subsidizedEth),
  };
}

/** Everything /programs shows, from one URL (from/to of the ledger). */
export async function loadProgramsPage(q: Querier, url: URL, latestDay: string) {
  const range = parseRange(url, { latestDay, defaultDays: SUBSIDY_DEFAULT_DAYS });
  const [subsidy, proposals] = await Promise.all([loadSubsidy(q, range), loadTreasury(q, null)]);
  const grants = await loadGrants(q, proposals);
  return { range, ...subsidy, proposals: proposals.map(serializableProposal), grants, problems: await configProblems(q), impactMethod: IMPACT_METHOD };
}

/** bigint fields of decoded actions as decimal strings, for the page's JSON. */
function serializableProposal(p: ProposalDetail) {
  return {
    ...p,
    actions: p.actions.map((a) =>
      a.kind === "lpt-transfer"
        ? { kind: a.kind, target: a.target, to: a.to, amountLpt: a.amountLpt, valueEth: weiToEth(a.valueWei) }
        : { kind: a.kind, target: a.target, valueEth: weiToEth(a.valueWei), calldata: a.calldata, selector: a.selector, note: a.note },
    ),
  };
}
