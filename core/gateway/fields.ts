// Reading untrusted fields of gateway events (docs/gateway-events.md): every reader checks the type
// and bounds and throws EventFieldError with a reason a person can act on. Strings Postgres cannot
// store (NUL, unpaired surrogates) are refused; wei never passes through a JS number. Pure.

/** A field that is missing, of the wrong type or out of range: the line is rejected with this reason. */
export class EventFieldError extends Error {}

export const fail = (reason: string): never => {
  throw new EventFieldError(reason);
};

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const DIGITS = /^[0-9]{1,78}$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Earliest and latest instants an event may carry (2015, the network's start, to 2100). */
export const MIN_EVENT_MS = 1_420_070_400_000;
export const MAX_EVENT_MS = 4_102_444_800_000;

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function obj(v: unknown, name: string): Obj {
  return isObj(v) ? v : fail(`${name} must be an object`);
}

/** A string field; absent or null gives `fallback` when one is given, else a reject. */
export function str(o: Obj, key: string, where: string, opts: { max?: number; fallback?: string; nonEmpty?: boolean } = {}): string {
  const v = o[key];
  if (v === undefined || v === null) {
    if (opts.fallback !== undefined) return opts.fallback;
    return fail(`${where}.${key} is missing`);
  }
  if (typeof v !== "string") return fail(`${where}.${key} must be a string`);
  const max = opts.max ?? 512;
  if (v.length > max) return fail(`${where}.${key} is longer than ${max} characters`);
  if (UNSTORABLE.test(v)) return fail(`${where}.${key} holds a NUL or an unpaired surrogate`);
  if (opts.nonEmpty && !v.trim()) return fail(`${where}.${key} is empty`);
  return v;
}

/** An optional string: null when absent, null or empty. */
export function optStr(o: Obj, key: string, where: string, max = 512): string | null {
  const v = str(o, key, where, { max, fallback: "" });
  return v === "" ? null : v;
}

/** A finite number (or a numeric string, as some builds send); null when absent and allowed. */
export function num(o: Obj, key: string, where: string, opts: { optional?: boolean; min?: number; max?: number } = {}): number | null {
  let v = o[key];
  if (v === undefined || v === null || v === "") return opts.optional ? null : fail(`${where}.${key} is missing`);
  if (typeof v === "string" && /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/.test(v.trim())) v = Number(v.trim());
  if (typeof v !== "number" || !Number.isFinite(v)) return fail(`${where}.${key} must be a number`);
  if (opts.min !== undefined && v < opts.min) return fail(`${where}.${key} must be at least ${opts.min}`);
  if (opts.max !== undefined && v > opts.max) return fail(`${where}.${key} must be at most ${opts.max}`);
  return v;
}

/** An integer in [min, max] (a JSON number or a string of digits). */
export function int(o: Obj, key: string, where: string, opts: { optional?: boolean; min?: number; max?: number } = {}): number | null {
  const v = num(o, key, where, opts);
  if (v !== null && !Number.isSafeInteger(v)) return fail(`${where}.${key} must be an integer`);
  return v;
}

/** A unix-milliseconds instant, as a number or (as in every envelope) a string of digits. */
export function instantMs(v: unknown, name: string): number {
  const n = typeof v === "string" && /^[0-9]{1,16}$/.test(v) ? Number(v) : typeof v === "number" ? v : NaN;
  if (!Number.isSafeInteger(n)) return fail(`${name} must be unix milliseconds (digits)`);
  if (n < MIN_EVENT_MS || n > MAX_EVENT_MS)
    return fail(`${name} ${n} is not unix milliseconds between 2015 and 2100${n < 1e11 && n > 1e9 ? " (it reads as seconds)" : ""}`);
  return n;
}

/** An integer amount of wei: a string of digits, or a JSON number while it is a safe integer. */
export function weiStr(o: Obj, key: string, where: string): string {
  const v = o[key];
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return String(v);
  if (typeof v === "string" && DIGITS.test(v.trim())) return BigInt(v.trim()).toString();
  return v === undefined || v === null ? fail(`${where}.${key} is missing`) : fail(`${where}.${key} must be an integer amount of wei`);
}

/** A lowercase address, or a reject. */
export function address(o: Obj, key: string, where: string): string {
  const v = str(o, key, where);
  return ADDRESS.test(v.trim()) ? v.trim().toLowerCase() : fail(`${where}.${key} must be 0x and 40 hex digits`);
}

/** A lowercase address when the field holds one, else null (empty or absent). */
export function optAddress(o: Obj, key: string, where: string): string | null {
  const v = str(o, key, where, { fallback: "" }).trim();
  if (!v) return null;
  return ADDRESS.test(v) ? v.toLowerCase() : fail(`${where}.${key} must be 0x and 40 hex digits or empty`);
}

export function isUuid(v: unknown): v is string {
  return typeof v === "string" && UUID.test(v);
}
