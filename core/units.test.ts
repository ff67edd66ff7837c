// Exact numbers on hand-computed cases: exact decimal parsing, ratios printed to 50 significant
// digits, wei to ETH exactly, and UTC day numbers like the subgraph's.
import { describe, expect, it } from "vitest";
import { dayNumber, dayNumberOfMs, isoDate } from "./cost";
import { exactDecimal, ratio, ratioToDecimal, weiToEth } from "./units";

describe("exact numbers", () => {
  it("parses decimals exactly and prints ratios to 50 significant digits", () => {
    expect(exactDecimal("12.5")).toEqual({ num: 25n, den: 2n });
    expect(exactDecimal(1e-7)).toEqual({ num: 1n, den: 10_000_000n });
    expect(exactDecimal("1.9073484e-08")).toEqual(ratio(19073484n, 10n ** 15n));
    expect(() => exactDecimal("abc")).toThrow(TypeError);
    expect(ratioToDecimal(ratio(1n, 3n))).toBe("0." + "3".repeat(50));
    expect(ratioToDecimal(ratio(2n, 3n))).toBe("0." + "6".repeat(49) + "7");
    expect(ratioToDecimal(ratio(45776367n, 3814697265625n))).toBe("0.000011999999950848");
  });

  it("converts wei to ETH exactly", () => {
    expect(weiToEth(0n)).toBe("0");
    expect(weiToEth("1")).toBe("0.000000000000000001");
    expect(weiToEth(10n ** 18n)).toBe("1");
    expect(weiToEth("1500000000000000000")).toBe("1.5");
    expect(weiToEth("123456789012345678901234567890")).toBe("123456789012.34567890123456789");
    expect(weiToEth(-2_500_000_000_000_000_000n)).toBe("-2.5");
    expect(() => weiToEth("1.5")).toThrow(TypeError);
  });

  it("numbers UTC days like the subgraph", () => {
    expect(dayNumber("1970-01-02")).toBe(1);
    expect(dayNumber(20454)).toBe(20454);
    expect(isoDate(20454)).toBe("2026-01-01");
    expect(dayNumber("2026-01-01")).toBe(20454);
    expect(dayNumberOfMs(Date.UTC(2026, 0, 1, 23, 59, 59, 999))).toBe(20454);
    expect(dayNumberOfMs(Date.UTC(2026, 0, 2))).toBe(20455);
    expect(() => dayNumber("2026-02-30")).toThrow(TypeError);
  });
});
