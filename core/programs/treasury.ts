// Treasury proposals: their actions decoded exactly, and their state as the LivepeerGovernor
// computes it, from what the subgraph keeps. Pure; amounts are bigint wei and decimal strings.
// docs/decisions/015-subsidy-ledger.md ("Treasury").
import { weiToEth } from "../units";

/** A treasury proposal as the LivepeerGovernor emits it (the subgraph's TreasuryProposal). */
export interface ProposalFields {
  id: string;
  proposer: string;
  targets: string[];
  values: string[];
  calldatas: string[];
  voteStart: string;
  voteEnd: string;
  description: string;
}

/** Its tally, in LPT (decimal strings). */
export interface ProposalTally {
  forVotes: string;
  againstVotes: string;
  abstainVotes: string;
  totalVotes: string;
}

/** LivepeerToken on Arbitrum One (the treasury's LPT). */
export const LPT_ARBITRUM = "0x289ba1701c2f088cf0faf8b3705246331cb8a839";
/** keccak256("transfer(address,uint256)")[0..4]. */
export const TRANSFER_SELECTOR = "a9059cbb";

export type DecodedAction =
  | { kind: "lpt-transfer"; target: string; to: string; amountWei: bigint; amountLpt: string; valueWei: bigint }
  | { kind: "raw"; target: string; valueWei: bigint; calldata: string; selector: string | null; note: string };

/**
 * One action of a proposal. An LPT transfer is exactly: the target is the LPT token, the calldata is
 * 0xa9059cbb followed by two 32-byte words (68 bytes, no more, no less), the first word an address
 * (its 12 high bytes zero: Solidity's decoder reverts otherwise). Anything else is shown as raw
 * calldata, with why it is not read as a transfer.
 */
export function decodeAction(target: string, value: string, calldata: string, lpt = LPT_ARBITRUM): DecodedAction {
  const t = target.toLowerCase();
  const valueWei = /^\d{1,78}$/.test(value) ? BigInt(value) : 0n;
  const raw = (note: string, selector: string | null): DecodedAction => ({ kind: "raw", target: t, valueWei, calldata, selector, note });
  const hex = calldata.toLowerCase();
  if (!/^0x([0-9a-f]{2})*$/.test(hex)) return raw("calldata is not hex bytes", null);
  const body = hex.slice(2);
  if (body.length < 8) return raw(body.length ? "calldata shorter than a selector" : "no calldata (a plain call)", null);
  const selector = `0x${body.slice(0, 8)}`;
  if (body.slice(0, 8) !== TRANSFER_SELECTOR) return raw("not transfer(address,uint256)", selector);
  if (t !== lpt.toLowerCase()) return raw("transfer(address,uint256) on a contract that is not the LPT token", selector);
  if (body.length !== 8 + 128) return raw(`transfer calldata of ${body.length / 2} bytes, not 68`, selector);
  const toWord = body.slice(8, 72);
  if (!/^0{24}/.test(toWord)) return raw("the recipient word is not an address (high bytes set)", selector);
  const amountWei = BigInt(`0x${body.slice(72, 136)}`);
  return { kind: "lpt-transfer", target: t, to: `0x${toWord.slice(24)}`, amountWei, amountLpt: weiToEth(amountWei), valueWei };
}

export function decodeActions(targets: readonly string[], values: readonly string[], calldatas: readonly string[], lpt = LPT_ARBITRUM): DecodedAction[] {
  return targets.map((target, i) => decodeAction(target, values[i] ?? "0", calldatas[i] ?? "0x", lpt));
}

/** LivepeerGovernor parameters at deployment (LIP-89), MathUtils percentages of 1,000,000. */
export const QUORUM_PPM = 333_300n;
export const QUOTA_PPM = 500_000n;
const PERC_DIVISOR = 1_000_000n;

export type ProposalState = "Pending" | "Active" | "Succeeded" | "Defeated" | "Ended (quorum unknown)";

/** Exact wei from a subgraph BigDecimal of LPT (at most 18 decimals); throws on anything else. */
export function lptToWei(text: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,18}))?$/.exec(text.trim());
  if (!m) throw new TypeError(`not an LPT amount with at most 18 decimals: ${JSON.stringify(text)}`);
  const v = BigInt(m[2] + (m[3] ?? "").padEnd(18, "0"));
  return m[1] ? -v : v;
}

/**
 * OpenZeppelin Governor's state() with GovernorCountingOverridable's rules, clock = the round:
 * Pending while currentRound <= voteStart, Active while currentRound <= voteEnd, then Succeeded when
 * for + against + abstain reaches the quorum (QUORUM_PPM of the total active stake at voteStart) and
 * for >= QUOTA_PPM of for + against; else Defeated. Queued, Executed and Canceled are not in the
 * subgraph (it has no handler for those events), so a Succeeded proposal may have been executed.
 */
export function proposalState(p: {
  voteStart: string;
  voteEnd: string;
  currentRound: string | null;
  forVotes: string;
  againstVotes: string;
  abstainVotes: string;
  quorumStake: string | null;
}): ProposalState {
  if (p.currentRound === null) return "Pending";
  const now = BigInt(p.currentRound);
  if (BigInt(p.voteStart) >= now) return "Pending";
  if (BigInt(p.voteEnd) >= now) return "Active";
  if (p.quorumStake === null) return "Ended (quorum unknown)";
  const f = lptToWei(p.forVotes);
  const a = lptToWei(p.againstVotes);
  const total = f + a + lptToWei(p.abstainVotes);
  const quorum = (lptToWei(p.quorumStake) * QUORUM_PPM) / PERC_DIVISOR;
  const succeeded = f >= ((f + a) * QUOTA_PPM) / PERC_DIVISOR;
  return total >= quorum && succeeded ? "Succeeded" : "Defeated";
}
