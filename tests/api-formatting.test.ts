// The pure helpers behind the API and the pages: strict date parsing, ISO week/month labels, exact
// string rounding for display, and CSV cell escaping. No database.
import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "../app/lib/csv.server";
import { addDays, dayNumber, daysBetween, periodStart } from "../app/lib/dates";
import { formatEth, formatMultiple, formatUsd, roundDecimal, safeHttpUrl, shortAddress } from "../app/lib/format";
import { HttpError } from "../app/lib/http.server";
import { parseAddress, parseRange } from "../app/lib/params.server";

describe("dates", () => {
  it("accepts only real YYYY-MM-DD days", () => {
    expect(dayNumber("1970-01-01")).toBe(0);
    expect(dayNumber("2024-02-29")).not.toBeNull();
    for (const bad of ["2025-02-29", "2025-02-30", "2025-13-01", "2025-00-10", "2025-1-5", "20250105", "2025-01-05T00:00:00Z", ""]) expect(dayNumber(bad), bad).toBeNull();
  });

  it("does whole-day arithmetic in UTC", () => {
    expect(addDays("2025-03-31", -89)).toBe("2025-01-01");
    expect(addDays("2024-12-31", 1)).toBe("2025-01-01");
    expect(daysBetween("2025-02-01", "2025-02-28")).toBe(28);
  });

  it("labels ISO weeks by Monday and months by their first day", () => {
    expect(periodStart("2025-01-01", "week")).toBe("2024-12-30");
    expect(periodStart("2025-01-05", "week")).toBe("2024-12-30"); // Sunday
    expect(periodStart("2025-01-06", "week")).toBe("2025-01-06");
    expect(periodStart("2025-03-17", "month")).toBe("2025-03-01");
    expect(periodStart("2025-03-17", "day")).toBe("2025-03-17");
  });
});

describe("parameters", () => {
  const u = (q: string) => new URL(`http://x/api/fees?${q}`);
  it("defaults a range to the latest day and n days before it; empty fields count as absent", () => {
    expect(parseRange(u(""), { latestDay: "2025-03-31", defaultDays: 90 })).toEqual({ from: "2025-01-01", to: "2025-03-31" });
    expect(parseRange(u("from=&to="), { latestDay: "2025-03-31", defaultDays: 30 })).toEqual({ from: "2025-03-02", to: "2025-03-31" });
    expect(parseRange(u("to=2025-02-28"), { latestDay: "2025-03-31", defaultDays: 28 })).toEqual({ from: "2025-02-01", to: "2025-02-28" });
  });

  it("throws 400s with a reason", () => {
    const status = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof HttpError ? [e.status, e.message] : ["other", String(e)];
      }
      return ["no error"];
    };
    expect(status(() => parseRange(u("from=2025-02-30"), { latestDay: "2025-03-31", defaultDays: 90 }))).toEqual([400, "impossible date from=2025-02-30"]);
    expect(status(() => parseRange(u("from=2025-03-02&to=2025-03-01"), { latestDay: "2025-03-31", defaultDays: 90 }))[0]).toBe(400);
    expect(status(() => parseAddress("0x12"))[0]).toBe(400);
    expect(parseAddress(`0x${"AB".repeat(20)}`)).toBe(`0x${"ab".repeat(20)}`);
  });
});

describe("display formatting works on decimal strings", () => {
  it("rounds half away from zero without a float", () => {
    expect(roundDecimal("12.345678901234567891", 4)).toBe("12.3457");
    expect(roundDecimal("9007199254740993.00005", 4)).toBe("9007199254740993.0001");
    expect(roundDecimal("0.99995", 4)).toBe("1.0000");
    expect(roundDecimal("-1.00005", 4)).toBe("-1.0001");
    expect(roundDecimal("-0.00001", 4)).toBe("0.0000");
    expect(roundDecimal("5", 2)).toBe("5.00");
    expect(roundDecimal("1.005", 2)).toBe("1.01"); // a float would give 1.00
  });

  it("formats ETH, USD, multiples and addresses", () => {
    expect(formatEth("1234567.123456")).toBe("1,234,567.1235");
    expect(formatEth("0.000000000000000001")).toBe("<0.0001");
    expect(formatEth("0")).toBe("0.0000");
    expect(formatUsd("1234567.005")).toBe("$1,234,567.01");
    expect(formatUsd("-3.5")).toBe("-$3.50");
    expect(formatMultiple(4.016)).toBe("× 4.02");
    expect(formatMultiple(null)).toBe("n/a");
    expect(shortAddress(`0x${"ab".repeat(20)}`)).toBe("0xabab…abab");
  });

  it("links only http(s) service URIs", () => {
    expect(safeHttpUrl("https://o.example:8935")).toBe("https://o.example:8935/");
    expect(safeHttpUrl("https://evil.example/<script>alert(1)</script>")).toBe("https://evil.example/%3Cscript%3Ealert(1)%3C/script%3E");
    expect(safeHttpUrl("javascript:alert(1)")).toBeNull();
    expect(safeHttpUrl("=HYPERLINK(1)")).toBeNull();
    expect(safeHttpUrl(null)).toBeNull();
  });
});

describe("CSV", () => {
  it("quotes, neutralises formulas and keeps plain numbers", () => {
    expect(csvCell("=1+2")).toBe("'=1+2");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("+1-2")).toBe("'+1-2");
    expect(csvCell("-cmd")).toBe("'-cmd");
    expect(csvCell("-1.5")).toBe("-1.5");
    expect(csvCell("12.345678901234567891")).toBe("12.345678901234567891");
    expect(csvCell(null)).toBe("");
    expect(csvCell(true)).toBe("true");
    expect(toCsv(["a", "b"], [["x,y", 'say "hi"'], ["line\nbreak", 1]])).toBe('a,b\r\n"x,y","say ""hi"""\r\n"line\nbreak",1\r\n');
  });
});

describe("source health", () => {
  it("does not call a push source degraded for silence, but does for failures", async () => {
    const { classify } = await import("../app/lib/health");
    const now = Date.parse("2026-11-29T12:00:00Z");
    const quietDay = { lastSuccessAt: "2026-11-28T12:00:00Z", lastErrorAt: null, blockTimestamp: null };
    expect(classify(quietDay, now).status).toBe("degraded");
    expect(classify(quietDay, now, { passive: true }).status).toBe("ok");
    const failed = { ...quietDay, lastErrorAt: "2026-11-29T11:00:00Z" };
    expect(classify(failed, now, { passive: true }).status).toBe("failing");
  });
});
