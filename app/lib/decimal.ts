// Exact comparison of decimal strings (amounts, stakes), for sorting in JS without a float.
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

function parts(s: string): { neg: boolean; int: string; frac: string } {
  const m = DECIMAL.exec(s.trim());
  if (!m) throw new TypeError(`not a decimal: ${JSON.stringify(s)}`);
  const int = (m[2] ?? "").replace(/^0+/, "");
  const frac = (m[3] ?? "").replace(/0+$/, "");
  return { neg: m[1] === "-" && (int !== "" || frac !== ""), int, frac };
}

/** -1, 0 or 1 as a is below, equal to or above b, exactly ("1.10" equals "1.1"). */
export function compareDecimal(a: string, b: string): number {
  const x = parts(a);
  const y = parts(b);
  if (x.neg !== y.neg) return x.neg ? -1 : 1;
  const sign = x.neg ? -1 : 1;
  if (x.int.length !== y.int.length) return sign * (x.int.length < y.int.length ? -1 : 1);
  if (x.int !== y.int) return sign * (x.int < y.int ? -1 : 1);
  const len = Math.max(x.frac.length, y.frac.length);
  const fx = x.frac.padEnd(len, "0");
  const fy = y.frac.padEnd(len, "0");
  return fx === fy ? 0 : sign * (fx < fy ? -1 : 1);
}
