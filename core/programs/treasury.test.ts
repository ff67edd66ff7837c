// Treasury actions decoded exactly on proposals shaped like the real LivepeerGovernor's (targets,
// values and calldatas as the subgraph's TreasuryProposal serves them: lower-case hex), and the
// governor's state at the edges of its rounds, quorum and quota.
import { describe, expect, it } from "vitest";
import { decodeAction, decodeActions, LPT_ARBITRUM, lptToWei, proposalState } from "./treasury";

const word = (v: bigint) => v.toString(16).padStart(64, "0");
const SPE = "0x9a9e4a3b5f3c3e6a4a5e1b6f0b9e0d7c8a4c2f11";
const transfer = (to: string, wei: bigint) => `0xa9059cbb${word(BigInt(to))}${word(wei)}`;

describe("decodeAction", () => {
  it("reads an LPT transfer(address,uint256) to the wei", () => {
    // 35,000 LPT and 1 wei: shaped like the AI SPE funding proposals
    const a = decodeAction(LPT_ARBITRUM, "0", transfer(SPE, 35_000n * 10n ** 18n + 1n));
    expect(a).toEqual({ kind: "lpt-transfer", target: LPT_ARBITRUM, to: SPE, amountWei: 35_000_000_000_000_000_000_001n, amountLpt: "35000.000000000000000001", valueWei: 0n });
  });

  it("takes amounts beyond 2^53 and up to 2^256 - 1 exactly", () => {
    const max = (1n << 256n) - 1n;
    const a = decodeAction(LPT_ARBITRUM.toUpperCase().replace("0X", "0x"), "0", transfer(SPE, max));
    expect(a.kind === "lpt-transfer" && a.amountWei).toBe(max);
  });

  it("shows anything else as raw calldata, saying why", () => {
    const approve = `0x095ea7b3${word(BigInt(SPE))}${word(10n ** 18n)}`;
    expect(decodeAction(LPT_ARBITRUM, "0", approve)).toMatchObject({ kind: "raw", selector: "0x095ea7b3", note: "not transfer(address,uint256)", calldata: approve });
    // the same bytes on another token are not LPT
    expect(decodeAction("0x912ce59144191c1204e64559fe8253a0e49e6548", "0", transfer(SPE, 1n))).toMatchObject({ kind: "raw", note: expect.stringContaining("not the LPT token") });
    // one byte too many or too few: Solidity would not read it the same way; not a grant
    expect(decodeAction(LPT_ARBITRUM, "0", `${transfer(SPE, 1n)}00`)).toMatchObject({ kind: "raw", note: "transfer calldata of 69 bytes, not 68" });
    expect(decodeAction(LPT_ARBITRUM, "0", transfer(SPE, 1n).slice(0, -2))).toMatchObject({ kind: "raw", note: "transfer calldata of 67 bytes, not 68" });
    // dirty high bytes in the address word
    const dirty = `0xa9059cbb${"01".padEnd(24, "0")}${SPE.slice(2)}${word(1n)}`;
    expect(decodeAction(LPT_ARBITRUM, "0", dirty)).toMatchObject({ kind: "raw", note: expect.stringContaining("high bytes") });
    expect(decodeAction(LPT_ARBITRUM, "1000000000000000000", "0x")).toMatchObject({ kind: "raw", valueWei: 10n ** 18n, selector: null, note: "no calldata (a plain call)" });
    expect(decodeAction(LPT_ARBITRUM, "0", "0xa905")).toMatchObject({ kind: "raw", note: "calldata shorter than a selector" });
    expect(decodeAction(LPT_ARBITRUM, "0", "0xzz")).toMatchObject({ kind: "raw", note: "calldata is not hex bytes" });
  });

  it("decodes a multi-action proposal action by action", () => {
    const other = "0x1111111111111111111111111111111111111111";
    const actions = decodeActions(
      [LPT_ARBITRUM, "0xd8e8328501e9645d16cf49539efc04f734606ee4", LPT_ARBITRUM],
      ["0", "0", "0"],
      [transfer(SPE, 10n ** 18n), "0x2f2ff15d", transfer(other, 2n * 10n ** 18n)],
    );
    expect(actions.map((a) => (a.kind === "lpt-transfer" ? `${a.to}:${a.amountLpt}` : a.kind))).toEqual([`${SPE}:1`, "raw", `${other}:2`]);
  });
});

describe("proposalState", () => {
  const base = { voteStart: "100", voteEnd: "110", forVotes: "0", againstVotes: "0", abstainVotes: "0", quorumStake: "3000" };
  it("is Pending through voteStart and Active through voteEnd (the round is the governor's clock)", () => {
    expect(proposalState({ ...base, currentRound: "100" })).toBe("Pending");
    expect(proposalState({ ...base, currentRound: "101" })).toBe("Active");
    expect(proposalState({ ...base, currentRound: "110" })).toBe("Active");
    expect(proposalState({ ...base, currentRound: null })).toBe("Pending");
  });
  it("needs 33.33% of the stake at voteStart in all votes, and For at least half of For + Against", () => {
    const ended = { ...base, currentRound: "111" };
    // quorum = 3000 x 333300 / 1e6 = 999.9 LPT
    expect(proposalState({ ...ended, forVotes: "999.9" })).toBe("Succeeded");
    expect(proposalState({ ...ended, forVotes: "999.899999999999999999" })).toBe("Defeated");
    expect(proposalState({ ...ended, forVotes: "1", abstainVotes: "998.9" })).toBe("Succeeded"); // abstain counts for the quorum only
    expect(proposalState({ ...ended, forVotes: "500", againstVotes: "500" })).toBe("Succeeded"); // exactly 50%
    expect(proposalState({ ...ended, forVotes: "500", againstVotes: "500.000000000000000002" })).toBe("Defeated");
    expect(proposalState({ ...ended, forVotes: "2000", quorumStake: null })).toBe("Ended (quorum unknown)");
  });
  it("reads LPT amounts exactly", () => {
    expect(lptToWei("1.000000000000000001")).toBe(10n ** 18n + 1n);
    expect(() => lptToWei("1e3")).toThrow();
  });
});
