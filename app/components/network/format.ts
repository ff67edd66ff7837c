// How /network shows advertised prices: wei per unit as exact decimal strings, grouped, with at most
// three decimals on screen (the exact figure goes in a title attribute). Plain: browser and server.
import { groupThousands, roundDecimal } from "~/lib/format";

/** "1,588", "0.333" (three decimals, trailing zeros dropped); "—" for null. */
export function formatWei(value: string | null | undefined): string {
  if (value === null || value === undefined) return "—";
  if (/^\d+$/.test(value)) return groupThousands(value);
  const r = roundDecimal(value, 3).replace(/\.?0+$/, "");
  return groupThousands(r === "0" && !/^0*\.?0*$/.test(value) ? "<0.001" : r);
}
