// The subsidy ledger against events computed by hand, to the wei: deposits, a reserve, a ticket the
// deposit cannot cover (with the contract's ReserveClaimed before it), a withdrawal, a second funding
// that falls short again; the subgraph handler's arithmetic on the same events; window, burn, runway.
import { describe, expect, it } from "vitest";
import { burnPerDayEth, ethToWei, ledgerWindow, replayLedger, runwayDays, spentOver, type LedgerEvent } from "./ledger";

const w = ethToWei;
let n = 0;
const ev = (kind: LedgerEvent["kind"], day: string, block: number, logIndex: number, eth: string, reserve?: string): LedgerEvent => ({
  kind,
  id: `0x${(n++).toString(16).padStart(64, "0")}-${logIndex}`,
  day,
  block,
  logIndex,
  wei: w(eth),
  reserveWei: reserve === undefined ? undefined : w(reserve),
});

// Deliberately out of order: the replay sorts by block, then log index.
const EVENTS: LedgerEvent[] = [
  ev("ticket", "2026-01-03", 310, 7, "1.5"),
  ev("deposit", "2026-01-01", 100, 1, "10"),
  ev("reserve", "2026-01-01", 100, 2, "2"),
  ev("ticket", "2026-01-02", 200, 5, "3.000000000000000001"),
  ev("ticket", "2026-01-03", 300, 0, "6"),
  // the contract pays 0.999999999999999999 from the deposit and claims the rest from the reserve, in the ticket's transaction
  ev("claim", "2026-01-03", 310, 6, "0.500000000000000001"),
  ev("deposit", "2026-01-05", 400, 3, "4"),
  ev("ticket", "2026-01-05", 401, 9, "1"),
  ev("withdrawal", "2026-01-10", 500, 2, "3", "1.499999999999999999"),
  ev("deposit", "2026-01-11", 600, 1, "1"),
  ev("reserve", "2026-01-11", 600, 2, "1"),
  ev("claim", "2026-01-11", 610, 3, "0.2"),
  ev("ticket", "2026-01-11", 610, 4, "1.2"),
];

describe("replayLedger", () => {
  const r = replayLedger(EVENTS);

  it("books every day to the wei", () => {
    const byDay = Object.fromEntries(r.days.map((d) => [d.day, d]));
    expect(byDay["2026-01-01"]).toMatchObject({ fundedWei: w("12"), spentWei: 0n, balanceWei: w("12") });
    expect(byDay["2026-01-02"]).toMatchObject({ spentWei: w("3.000000000000000001"), balanceWei: w("8.999999999999999999") });
    // 6 from the deposit, then 0.999999999999999999 (what is left of it) + 0.500000000000000001 claimed
    expect(byDay["2026-01-03"]).toMatchObject({ spentWei: w("7.5"), claimedWei: w("0.500000000000000001"), faceValueWei: w("7.5"), balanceWei: w("1.499999999999999999") });
    expect(byDay["2026-01-05"]).toMatchObject({ fundedWei: w("4"), spentWei: w("1"), balanceWei: w("4.499999999999999999") });
    expect(byDay["2026-01-10"]).toMatchObject({ withdrawnWei: w("4.499999999999999999"), balanceWei: 0n });
    expect(byDay["2026-01-11"]).toMatchObject({ fundedWei: w("2"), spentWei: w("1.2"), claimedWei: w("0.2"), balanceWei: w("0.8") });
    expect(r.depositWei).toBe(0n);
    expect(r.reserveWei).toBe(w("0.8"));
    expect(r.unpaidWei).toBe(0n);
    expect(r.withdrawalDrift).toEqual([]);
  });

  it("reproduces the subgraph handler: the whole face value comes off the reserve when the deposit falls short", () => {
    // 2026-01-11: claim leaves 0.8; the handler then takes 1.2 > 0.8 and zeroes the reserve.
    expect(r.subgraph).toEqual({ depositWei: 0n, reserveWei: 0n });
    expect(r.shortfalls.map((s) => [s.day, s.faceValueWei, s.depositBeforeWei, s.subgraphReserveLowerByWei])).toEqual([
      ["2026-01-03", w("1.5"), w("0.999999999999999999"), w("1.499999999999999999")],
      ["2026-01-11", w("1.2"), w("1"), w("0.8")],
    ]);
    // ledger minus the subgraph: exactly what the last shortfall took
    expect(r.depositWei + r.reserveWei - (r.subgraph.depositWei + r.subgraph.reserveWei)).toBe(w("0.8"));
  });

  it("takes a partial reduction when the reserve can carry the face value", () => {
    const x = replayLedger([ev("deposit", "2026-02-01", 1, 1, "1"), ev("reserve", "2026-02-01", 1, 2, "5"), ev("claim", "2026-02-02", 2, 1, "0.5"), ev("ticket", "2026-02-02", 2, 2, "1.5")]);
    expect(x.depositWei + x.reserveWei).toBe(w("4.5"));
    expect(x.subgraph).toEqual({ depositWei: 0n, reserveWei: w("3") }); // 5 - 0.5 - 1.5
  });

  it("counts face value that nothing paid, and withdrawals that disagree with the replay", () => {
    const x = replayLedger([ev("deposit", "2026-02-01", 1, 1, "1"), ev("ticket", "2026-02-02", 2, 2, "1.5"), ev("withdrawal", "2026-02-03", 3, 1, "0.1", "0")]);
    expect(x.unpaidWei).toBe(w("0.5"));
    expect(x.withdrawalDrift).toEqual([{ id: expect.any(String), day: "2026-02-03", ledgerWei: 0n, withdrawnWei: w("0.1") }]);
  });
});

describe("window, burn and runway", () => {
  const { days } = replayLedger(EVENTS);

  it("sums a window and carries the balance over days without events", () => {
    const win = ledgerWindow(days, "2026-01-04", "2026-01-11");
    expect(win.series).toHaveLength(8);
    expect(win.series[0]).toEqual({ day: "2026-01-04", fundedWei: 0n, spentWei: 0n, withdrawnWei: 0n, balanceWei: w("1.499999999999999999") });
    expect(win.series.find((s) => s.day === "2026-01-08")!.balanceWei).toBe(w("4.499999999999999999"));
    expect(win).toMatchObject({ fundedWei: w("6"), spentWei: w("2.2"), claimedWei: w("0.2"), withdrawnWei: w("4.499999999999999999"), balanceWei: w("0.8") });
    const all = ledgerWindow(days, "2026-01-01", "2026-01-11");
    expect(all).toMatchObject({ fundedWei: w("18"), spentWei: w("12.700000000000000001"), withdrawnWei: w("4.499999999999999999") });
    expect(all.fundedWei - all.spentWei - all.withdrawnWei).toBe(all.balanceWei);
  });

  it("burns per day exactly and gives the runway at each rate", () => {
    expect(spentOver(days, "2026-01-11", 7)).toBe(w("2.2"));
    expect(spentOver(days, "2026-01-11", 30)).toBe(w("12.700000000000000001"));
    expect(burnPerDayEth(w("2.2"), 7)).toBe("0.31428571428571428571428571428571428571428571428571");
    expect(burnPerDayEth(w("12.700000000000000001"), 30)).toBe("0.42333333333333333336666666666666666666666666666667");
    expect(runwayDays(w("0.8"), w("2.2"), 7)).toBe("2.54");
    expect(runwayDays(w("0.8"), w("12.700000000000000001"), 30)).toBe("1.88");
    expect(runwayDays(w("0.8"), 0n, 7)).toBeNull();
    expect(runwayDays(0n, w("1"), 7)).toBe("0");
  });
});
