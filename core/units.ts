// Exact numbers and money units shared by every layer: exact rationals (BigInt numerator and
// denominator), exact decimal parsing, decimal printing to 50 significant digits, and wei -> ETH.
// Pure (decimal.js only). The cost model (core/cost/) is built on these; the job pages use weiToEth.
//
// Exactness: wei are BigInt; ETH figures are one exact rational division, printed to 50 significant
// digits (exact whenever the decimal terminates within 50 digits). USD figures use decimal.js at 80
// significant digits internally (the D below) and are printed to 50. No JS `number` ever holds money.
import Decimal from "decimal.js";

/** decimal.js with room for every digit and never an exponent in strings. Global config untouched. */
export const D = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -9e15, toExpPos: 9e15 });
export type Dec = InstanceType<typeof D>;

/** Significant digits of every decimal string the cost model returns. */
export const SIGNIFICANT_DIGITS = 50;

export const WEI_PER_ETH = 10n ** 18n;

// ---------------------------------------------------------------------------------------------
// Exact rationals

/** An exact non-negative rational: num / den, den > 0, in lowest terms. */
export interface Ratio {
  readonly num: bigint;
  readonly den: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b) [a, b] = [b, a % b];
  return a;
}

export function ratio(num: bigint, den: bigint = 1n): Ratio {
  if (den === 0n) throw new RangeError("division by zero");
  if (den < 0n) [num, den] = [-num, -den];
  const g = gcd(num, den);
  return g > 1n ? { num: num / g, den: den / g } : { num, den };
}

export const ZERO: Ratio = { num: 0n, den: 1n };
export const addR = (a: Ratio, b: Ratio): Ratio => ratio(a.num * b.den + b.num * a.den, a.den * b.den);
export const mulR = (a: Ratio, b: Ratio): Ratio => ratio(a.num * b.num, a.den * b.den);
export const divR = (a: Ratio, b: Ratio): Ratio => ratio(a.num * b.den, a.den * b.num);
export const isZeroR = (a: Ratio): boolean => a.num === 0n;

const EXACT_DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,6}))?$/;

/**
 * Parses a decimal (string, JS number via its shortest round-trip text, or bigint) into an exact
 * rational. "12.5" -> 25/2, 1e-7 -> 1/10000000. Throws TypeError on anything else.
 */
const PLAIN_INTEGER = /^\d{1,30}$/;

export function exactDecimal(value: string | number | bigint): Ratio {
  if (typeof value === "bigint") return ratio(value);
  // Whole numbers, the per-job case (pixels, frames, fps): no parsing, no gcd.
  if (typeof value === "number" ? Number.isSafeInteger(value) && value >= 0 : PLAIN_INTEGER.test(value)) return { num: BigInt(value), den: 1n };
  if (typeof value === "number" && !Number.isFinite(value)) throw new TypeError(`not a finite number: ${value}`);
  const text = String(value).trim();
  const m = EXACT_DECIMAL.exec(text);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) throw new TypeError(`not a decimal number: ${JSON.stringify(text)}`);
  const digits = (m[2] || "0") + (m[3] ?? "");
  let exp = (m[4] ? Number(m[4]) : 0) - (m[3] ?? "").length;
  let num = BigInt(digits);
  let den = 1n;
  if (exp >= 0) num *= 10n ** BigInt(exp);
  else den = 10n ** BigInt(-exp);
  if (m[1] === "-") num = -num;
  return ratio(num, den);
}

/** A rational as a decimal string: exact if it terminates within `significant` digits, else rounded half up. */
export function ratioToDecimal(r: Ratio, significant = SIGNIFICANT_DIGITS): string {
  if (r.den === 1n) return r.num.toString();
  return fmt(new D(r.num.toString()).div(r.den.toString()), significant);
}

/** A decimal.js value as a plain decimal string, rounded half up to `significant` digits. */
export function fmt(d: Dec, significant = SIGNIFICANT_DIGITS): string {
  return d.toSignificantDigits(significant, Decimal.ROUND_HALF_UP).toFixed();
}

export const toDec = (r: Ratio): Dec => new D(r.num.toString()).div(r.den.toString());

/** A non-negative whole number, exactly (TypeError naming `field` otherwise). */
export function intOf(v: number | string | bigint, field: string): bigint {
  const r = exactDecimal(v);
  if (r.den !== 1n || r.num < 0n) throw new TypeError(`${field} must be a non-negative integer: ${String(v)}`);
  return r.num;
}

// ---------------------------------------------------------------------------------------------
// Wei and ETH

/** Non-negative whole wei: a bigint, or an integer string of up to 78 digits (TypeError naming `field` otherwise). */
export function weiOf(v: string | bigint, field: string): bigint {
  if (typeof v === "bigint") {
    if (v < 0n) throw new TypeError(`${field} must not be negative`);
    return v;
  }
  if (!/^\d{1,78}$/.test(v.trim())) throw new TypeError(`${field} must be an integer string of wei: ${JSON.stringify(v)}`);
  return BigInt(v.trim());
}

/** Wei (integer) as decimal ETH, exactly: 49999999795200 -> "0.0000499999997952". */
export function weiToEth(wei: bigint | string): string {
  let v: bigint;
  if (typeof wei === "bigint") v = wei;
  else {
    const t = wei.trim();
    if (!/^-?\d{1,78}$/.test(t)) throw new TypeError(`wei must be an integer string: ${JSON.stringify(wei)}`);
    v = BigInt(t);
  }
  const negative = v < 0n;
  if (negative) v = -v;
  const whole = v / WEI_PER_ETH;
  const frac = (v % WEI_PER_ETH).toString().padStart(18, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${frac ? `.${frac}` : ""}`;
}
