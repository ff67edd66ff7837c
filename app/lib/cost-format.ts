// Display of cost figures: small USD amounts with significant digits, and ratios in words. Amounts
// stay decimal strings (rounded as strings); a ratio becomes a JS number only for its one-decimal label.
import { groupThousands, roundDecimal } from "./format";

/** "$0.0123" (3 significant digits below $1, cents above), "—" for null. */
export function formatUsdPrecise(value: string | null | undefined, significant = 3): string {
  if (value === null || value === undefined) return "—";
  const m = /^-?(\d*)\.?(\d*)$/.exec(value.trim());
  if (!m) return value;
  let dp = 2;
  if (!/[1-9]/.test(m[1])) {
    const firstNonZero = m[2].search(/[1-9]/);
    if (firstNonZero === -1) return "$0";
    dp = Math.max(2, firstNonZero + significant);
  }
  const r = groupThousands(roundDecimal(value, dp));
  return r.startsWith("-") ? `-$${r.slice(1)}` : `$${r}`;
}

/** ETH with significant digits, for per-second amounts far below 0.0001 ETH. */
export function formatEthPrecise(value: string | null | undefined, significant = 3): string {
  return formatUsdPrecise(value, significant).replace("$", "") + (value === null || value === undefined ? "" : " ETH");
}

/**
 * An offer's USD divided by Livepeer's, in words: above 1 Livepeer is cheaper ("Livepeer 3.1x
 * cheaper"), below 1 it costs more ("Livepeer 2.4x more expensive").
 */
export function ratioWords(ratio: string | null | undefined): string {
  if (ratio === null || ratio === undefined) return "—";
  const r = Number(ratio);
  if (!Number.isFinite(r) || r <= 0) return "—";
  const fixed = (x: number) => (x >= 10 ? x.toFixed(0) : x.toFixed(1));
  if (fixed(r) === "1.0") return "about the same";
  return r > 1 ? `Livepeer ${fixed(r)}x cheaper` : `Livepeer ${fixed(1 / r)}x more expensive`;
}
