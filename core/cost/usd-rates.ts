// UTC days and ETH -> USD (docs/data-contract.md section 2, subgraph entities and units): a job's
// UTC day, and USD per ETH on a day from the subgraph's own Day.volumeUSD / Day.volumeETH, else the
// nearest day that has a rate. Pure.
import { D, fmt, type Dec } from "../units";

/** A UTC day: its day number (floor(unix seconds / 86400), the subgraph Day id) or "YYYY-MM-DD". */
export type DayKey = number | string;

export function dayNumber(day: DayKey): number {
  if (typeof day === "number") {
    if (!Number.isSafeInteger(day)) throw new TypeError(`not a day number: ${day}`);
    return day;
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day.trim());
  if (!m) throw new TypeError(`not a UTC date (YYYY-MM-DD): ${JSON.stringify(day)}`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (isoDate(ms / 86_400_000) !== day.trim()) throw new TypeError(`no such date: ${day}`);
  return ms / 86_400_000;
}

/** UTC day number of a unix-milliseconds timestamp. */
export function dayNumberOfMs(timestampMs: number): number {
  return Math.floor(timestampMs / 86_400_000);
}

export function isoDate(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** A subgraph Day (the `days` table row shape): network fees that day in ETH and USD. */
export interface DayRate {
  dayNumber: number;
  volumeEth: string;
  volumeUsd: string;
}

/** Which rate converted a day: the page records it. */
export interface UsdRate {
  day: number;
  date: string;
  /** Day whose Day.volumeUSD / Day.volumeETH was used. */
  rateDay: number;
  rateDate: string;
  /** |rateDay - day|: 0 when the day has its own rate. */
  distanceDays: number;
  usdPerEth: string;
}

/** Days that have a rate (volumeETH > 0 and volumeUSD > 0), sorted, for nearest-day lookups. */
export class RateIndex {
  readonly days: readonly number[];
  private readonly rates: ReadonlyMap<number, Dec>;

  constructor(rates: readonly DayRate[]) {
    const map = new Map<number, Dec>();
    for (const r of rates) {
      const day = dayNumber(r.dayNumber);
      const eth = new D(r.volumeEth);
      const usd = new D(r.volumeUsd);
      if (!eth.gt(0) || !usd.gt(0)) continue; // a day without fees (or without a USD price) has no rate
      if (map.has(day)) throw new Error(`two rates for day ${isoDate(day)}`);
      map.set(day, usd.div(eth));
    }
    this.rates = map;
    this.days = [...map.keys()].sort((a, b) => a - b);
  }

  /**
   * The rate for a day, else the nearest day that has one; at equal distance the earlier day (the
   * rate known at the time). null when no day has a rate, or the nearest is further than maxDistanceDays.
   */
  lookup(day: DayKey, maxDistanceDays = Infinity): (UsdRate & { exact: Dec }) | null {
    const d = dayNumber(day);
    const days = this.days;
    if (!days.length) return null;
    let lo = 0;
    let hi = days.length; // first index with days[i] >= d
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (days[mid] < d) lo = mid + 1;
      else hi = mid;
    }
    const after = lo < days.length ? days[lo] : null;
    const before = lo > 0 ? days[lo - 1] : null;
    let rateDay: number;
    if (after === d) rateDay = d;
    else if (before === null) rateDay = after!;
    else if (after === null) rateDay = before;
    else rateDay = d - before <= after - d ? before : after; // tie -> earlier
    const distanceDays = Math.abs(rateDay - d);
    if (distanceDays > maxDistanceDays) return null;
    const exact = this.rates.get(rateDay)!;
    return { day: d, date: isoDate(d), rateDay, rateDate: isoDate(rateDay), distanceDays, usdPerEth: fmt(exact), exact };
  }
}

export function indexRates(rates: readonly DayRate[]): RateIndex {
  return new RateIndex(rates);
}
/** A RateIndex as given, or one built from the rates. */
export const asIndex = (rates: RateIndex | readonly DayRate[]): RateIndex => (rates instanceof RateIndex ? rates : new RateIndex(rates));

/**
 * USD per ETH on a UTC day from the subgraph's own Day.volumeUSD / Day.volumeETH, else the
 * nearest day that has one (ties: the earlier day). Says which day was used. Pass a RateIndex
 * when converting many days.
 */
export function usdPerEth(day: DayKey, rates: RateIndex | readonly DayRate[], opts: { maxDistanceDays?: number } = {}): UsdRate | null {
  const r = asIndex(rates).lookup(day, opts.maxDistanceDays);
  if (!r) return null;
  const { exact: _exact, ...rest } = r;
  return rest;
}

