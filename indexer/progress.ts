// Progress of a long run: rows done, rate and an estimate, printed on a terminal at most once a
// second and kept in source_state.progress so the status page shows the same while it runs.
import type { Querier } from "../db/client";

export interface ProgressSnapshot {
  phase: string;
  done: number;
  /** 0..1 when the share of the work done is known. */
  fraction: number | null;
  ratePerSec: number;
  etaSeconds: number | null;
  startedAt: string;
}

export class Progress {
  private readonly started = Date.now();
  private lastPrint = 0;
  done = 0;
  phase = "starting";
  fraction: number | null = null;

  constructor(private readonly source: string, private readonly log: (line: string) => void) {}

  snapshot(): ProgressSnapshot {
    const secs = Math.max((Date.now() - this.started) / 1000, 0.001);
    const f = this.fraction;
    return {
      phase: this.phase,
      done: this.done,
      fraction: f,
      ratePerSec: Math.round(this.done / secs),
      etaSeconds: f && f > 0 && f < 1 ? Math.round((secs * (1 - f)) / f) : f === 1 ? 0 : null,
      startedAt: new Date(this.started).toISOString(),
    };
  }

  /** Records progress (in the caller's transaction, next to the rows) and prints it if due. */
  async report(q: Querier, force = false): Promise<void> {
    const s = this.snapshot();
    await q.query(`update source_state set progress = $2::jsonb where name = $1`, [this.source, JSON.stringify(s)]);
    const now = Date.now();
    if (force || now - this.lastPrint >= 1000) {
      this.lastPrint = now;
      this.log(formatProgress(this.source, s));
    }
  }
}

export function formatProgress(source: string, s: ProgressSnapshot): string {
  const pct = s.fraction === null ? "" : ` ${(s.fraction * 100).toFixed(1)}%`;
  const eta = s.etaSeconds === null ? "" : `, ETA ${formatDuration(s.etaSeconds)}`;
  return `[${source}] ${s.phase}: ${s.done.toLocaleString("en-US")} rows${pct}, ${s.ratePerSec.toLocaleString("en-US")} rows/s${eta}`;
}

export function formatDuration(secs: number): string {
  if (secs < 60) return `${secs}s`;
  if (secs < 3600) return `${Math.floor(secs / 60)}m${String(secs % 60).padStart(2, "0")}s`;
  return `${Math.floor(secs / 3600)}h${String(Math.floor((secs % 3600) / 60)).padStart(2, "0")}m`;
}
