// Shared parsing and validation of URL parameters for pages and API routes. Every function returns
// a typed value (such as the query parameters of db/queries/params.ts) or throws HttpError(400) with
// a short reason.
import type { DayRange } from "../../db/queries/params";
import { addDays, dayNumber, daysBetween, type Interval } from "./dates";
import { badRequest } from "./http.server";

export type { DayRange };

/** Longest accepted range, so a typo like 1025-01-01 cannot ask for a million zero-filled rows. */
export const MAX_RANGE_DAYS = 3660;

/** The value of a query parameter, treating an empty value (an empty form field) as absent. */
export function param(url: URL, name: string): string | null {
  const v = url.searchParams.get(name);
  return v === null || v.trim() === "" ? null : v.trim();
}

const clip = (s: string) => (s.length > 24 ? `${s.slice(0, 24)}...` : s);

export function parseDay(url: URL, name: string): string | null {
  const v = param(url, name);
  if (v === null) return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw badRequest(`malformed date ${name}="${clip(v)}" (use YYYY-MM-DD)`);
  if (dayNumber(v) === null) throw badRequest(`impossible date ${name}=${v}`);
  return v;
}

export function checkRange(r: DayRange, what = "range"): DayRange {
  if ((dayNumber(r.from) as number) > (dayNumber(r.to) as number)) throw badRequest(`reversed ${what}: ${r.from} is after ${r.to}`);
  if (daysBetween(r.from, r.to) > MAX_RANGE_DAYS) throw badRequest(`${what} too long (at most ${MAX_RANGE_DAYS} days)`);
  return r;
}

/**
 * `from`/`to` inclusive UTC days. Defaults: to = the latest indexed day, from = to - (days - 1).
 * When only `from` is given, `to` is the latest indexed day (or from + days - 1 if that is earlier).
 */
export function parseRange(
  url: URL,
  opts: { latestDay: string; defaultDays: number; fromName?: string; toName?: string; what?: string },
): DayRange {
  const fromName = opts.fromName ?? "from";
  const toName = opts.toName ?? "to";
  const from = parseDay(url, fromName);
  let to = parseDay(url, toName);
  if (to === null) {
    to = opts.latestDay;
    if (from !== null && (dayNumber(from) as number) > (dayNumber(to) as number)) to = addDays(from, opts.defaultDays - 1);
  }
  return checkRange({ from: from ?? addDays(to, -(opts.defaultDays - 1)), to }, opts.what);
}

export function parseChoice<T extends string>(url: URL, name: string, allowed: readonly T[], fallback: T): T {
  const v = param(url, name);
  if (v === null) return fallback;
  if ((allowed as readonly string[]).includes(v)) return v as T;
  throw badRequest(`unknown ${name} "${clip(v)}" (use ${allowed.join(", ")})`);
}

export const INTERVALS = ["day", "week", "month"] as const satisfies readonly Interval[];
export const parseInterval = (url: URL): Interval => parseChoice(url, "interval", INTERVALS, "day");

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

export function parseAddress(raw: string | undefined): string {
  const v = (raw ?? "").trim();
  if (!ADDRESS.test(v)) throw badRequest(`malformed address "${clip(v)}" (expected 0x and 40 hex digits)`);
  return v.toLowerCase();
}

/** Default range of the fee views and of an orchestrator's daily series: the last 90 indexed days. */
export const DEFAULT_RANGE_DAYS = 90;
