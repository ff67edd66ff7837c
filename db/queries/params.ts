// The typed parameters of every query in db/queries/: a route or app/lib/*.server.ts parses the
// request into these (400s are theirs), a query only reads them. Days are UTC 'YYYY-MM-DD' strings,
// ranges inclusive at both ends.
import type { Interval } from "../../core/dates";

/** Fee periods: a day, an ISO week (labelled by its Monday) or a month (by its first day). */
export type { Interval };

/** An inclusive range of UTC days. */
export interface DayRange {
  from: string;
  to: string;
}

/** Job rollups over a range, narrowed to one orchestrator, pipeline or model when given (absent = all). */
export interface JobFilter extends DayRange {
  /** 0x address; compared lower-cased. */
  orchestrator?: string;
  pipeline?: string;
  modelId?: string;
}

/** Points of a job series: UTC days (job_day) or hours (job_hour). */
export type JobInterval = "day" | "hour";
