// UTC calendar days as 'YYYY-MM-DD' strings and whole-day arithmetic, and the fee periods (Interval).
// Pure (no database, no clock except todayUtc), so queries, loaders, API routes and tests share one
// definition of a day. The app imports it as ~/lib/dates (a re-export).

const DAY_MS = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 for a strictly valid 'YYYY-MM-DD' (rejects 2025-02-30), else null. */
export function dayNumber(s: string): number | null {
  const m = ISO_DAY.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return Math.round(ms / DAY_MS);
}

export function dayString(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  const d = dayNumber(day);
  if (d === null) throw new Error(`Not a day: ${day}`);
  return dayString(d + n);
}

/** Inclusive number of days from `from` to `to`. */
export function daysBetween(from: string, to: string): number {
  return (dayNumber(to) as number) - (dayNumber(from) as number) + 1;
}

export function todayUtc(now = Date.now()): string {
  return dayString(Math.floor(now / DAY_MS));
}

/**
 * The day a default window ends on, given the latest day with data: that day, but never after today
 * (UTC). Stored data can lie in the future (a gateway with a wrong clock, rows stored before the
 * ingest refused such lines); it must not move the windows every page and API default to.
 */
export function defaultEndDay(latestDataDay: string, now = Date.now()): string {
  const today = todayUtc(now);
  return latestDataDay > today ? today : latestDataDay;
}

export function dayOfUnix(seconds: number): string {
  return dayString(Math.floor(seconds / 86_400));
}

export type Interval = "day" | "week" | "month";

/** The label of the period containing `day`: itself, its ISO week's Monday, or its month's first day. */
export function periodStart(day: string, interval: Interval): string {
  const n = dayNumber(day) as number;
  if (interval === "day") return day;
  if (interval === "week") {
    const dow = (new Date(n * DAY_MS).getUTCDay() + 6) % 7; // Monday = 0
    return dayString(n - dow);
  }
  return `${day.slice(0, 7)}-01`;
}
