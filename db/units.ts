// Exact decimal seconds as whole microseconds (BigInt): how job rollups add output seconds without
// a float ever touching them. Pure, shared by the indexer and the dashboard.

/** "4.166667" -> 4166667n. At most 6 decimals are kept (more would be truncated). */
export function parseMicros(seconds: string): bigint {
  const [whole, fraction = ""] = seconds.split(".");
  return BigInt(whole + fraction.padEnd(6, "0").slice(0, 6));
}

/** 4166667n -> "4.166667"; 12000000n -> "12". */
export function formatMicros(micros: bigint): string {
  const s = micros.toString().padStart(7, "0");
  const frac = s.slice(-6).replace(/0+$/, "");
  return frac ? `${s.slice(0, -6)}.${frac}` : s.slice(0, -6);
}
