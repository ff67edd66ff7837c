// How a report writes seconds of video and small per-second amounts.
import { groupThousands, roundDecimal } from "~/lib/format";

/** Seconds to one decimal, thousands grouped. */
export const seconds = (s: string) => groupThousands(roundDecimal(s, 1));

/** A small decimal (USD or ETH per second) to `sig` significant digits, as a string; the exact value goes in a title. */
export function significant(value: string | null | undefined, sig = 4): string {
  if (value === null || value === undefined) return "—";
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(value.trim());
  if (!m) return value;
  const int = (m[2] || "0").replace(/^0+(?=\d)/, "");
  const frac = m[3] ?? "";
  if (int !== "0") return groupThousands(roundDecimal(value, Math.max(0, sig - int.length)));
  const lead = frac.search(/[1-9]/);
  if (lead < 0) return "0";
  return roundDecimal(value, lead + sig);
}
