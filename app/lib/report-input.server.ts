// A report's input: the four UTC days (period and baseline) validated from whatever a client sent,
// the chart span and interval they imply, and the builder's presets and default. Pure but for the
// 400s (HttpError), which the routes turn into answers.
import type { SubsidyWindow } from "../../db/queries/fees";
import type { ReportRanges } from "../../db/queries/reports";
import { REPORT_FIELDS } from "../components/report-view";
import { addDays, dayNumber, daysBetween, todayUtc, type Interval } from "./dates";
import { badRequest } from "./http.server";
import { MAX_RANGE_DAYS } from "./params.server";

type Field = (typeof REPORT_FIELDS)[number];

const LABEL: Record<Field, string> = { from: "from", to: "to", baselineFrom: "baselineFrom", baselineTo: "baselineTo" };

/**
 * Validates the four UTC days of a report: each 'YYYY-MM-DD' and a real date, not after today,
 * from <= to and baselineFrom <= baselineTo, and both windows within MAX_RANGE_DAYS of each other.
 * `get` returns what the client sent for a field (anything: a JSON body is untrusted).
 */
export function validateReportInput(get: (name: Field) => unknown, today = todayUtc()): ReportRanges {
  const out = {} as ReportRanges;
  for (const f of REPORT_FIELDS) {
    const v = get(f);
    if (v === undefined || v === null || (typeof v === "string" && v.trim() === "")) throw badRequest(`missing ${LABEL[f]} (a UTC day, YYYY-MM-DD)`);
    if (typeof v !== "string") throw badRequest(`${LABEL[f]} must be a string 'YYYY-MM-DD', not a ${Array.isArray(v) ? "list" : typeof v}`);
    const s = v.trim();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) throw badRequest(`malformed date ${LABEL[f]}="${s.slice(0, 24)}" (use YYYY-MM-DD)`);
    if (dayNumber(s) === null) throw badRequest(`impossible date ${LABEL[f]}=${s}`);
    if (s > today) throw badRequest(`${LABEL[f]}=${s} is in the future (today is ${today} UTC)`);
    out[f] = s;
  }
  if (out.from > out.to) throw badRequest(`reversed period: from ${out.from} is after to ${out.to}`);
  if (out.baselineFrom > out.baselineTo) throw badRequest(`reversed baseline: baselineFrom ${out.baselineFrom} is after baselineTo ${out.baselineTo}`);
  const span = chartSpan(out);
  const days = daysBetween(span.from, span.to);
  if (days > MAX_RANGE_DAYS)
    throw badRequest(`range too long: period and baseline together span ${days} days, from ${span.from} to ${span.to} (at most ${MAX_RANGE_DAYS})`);
  return out;
}

/** From the earlier window's start to the later window's end. */
export function chartSpan(r: ReportRanges): { from: string; to: string } {
  return { from: r.from < r.baselineFrom ? r.from : r.baselineFrom, to: r.to > r.baselineTo ? r.to : r.baselineTo };
}

/** Day for spans up to 120 days, ISO week up to two years, else month. */
export function chartInterval(days: number): Interval {
  return days <= 120 ? "day" : days <= 731 ? "week" : "month";
}

// ---------------------------------------------------------------------------------------------
// Presets for the builder

export interface Preset {
  label: string;
  input: ReportRanges;
}

/** "Last 30 days vs the 30 before", "last 90 vs 90", and each subsidy window vs the 30 days before it. */
export function presets(latestDay: string, windows: SubsidyWindow[]): Preset[] {
  const last = (n: number): Preset => ({
    label: `Last ${n} days vs the ${n} before`,
    input: { from: addDays(latestDay, -(n - 1)), to: latestDay, baselineFrom: addDays(latestDay, -(2 * n - 1)), baselineTo: addDays(latestDay, -n) },
  });
  const out = [last(30), last(7), last(90)];
  for (const w of windows) {
    if (w.from > latestDay) continue;
    const to = w.to === null || w.to > latestDay ? latestDay : w.to;
    out.push({
      label: `${w.label ?? "Subsidy window"} (${w.from} – ${to}) vs the 30 days before it`,
      input: { from: w.from, to, baselineFrom: addDays(w.from, -30), baselineTo: addDays(w.from, -1) },
    });
  }
  return out;
}

/**
 * The builder's default when its URL names no range: the growth panel's default (decision 004):
 * the latest subsidy window vs the same number of days before it, else the last 30 days vs the 30 before.
 */
export function defaultInput(latestDay: string, windows: SubsidyWindow[]): ReportRanges {
  const w = windows.find((x) => x.from <= latestDay);
  if (w) {
    const to = w.to === null || w.to > latestDay ? latestDay : w.to;
    const n = daysBetween(w.from, to);
    return { from: w.from, to, baselineFrom: addDays(w.from, -n), baselineTo: addDays(w.from, -1) };
  }
  return { from: addDays(latestDay, -29), to: latestDay, baselineFrom: addDays(latestDay, -59), baselineTo: addDays(latestDay, -30) };
}
