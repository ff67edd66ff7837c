// The order in which a poll reads its windows (poll.ts). Each orchestrator's windows go in order, the
// next one ready only once the previous one is stored (its cursor moved), and none after a failed
// one. Among the ready windows the earliest round goes first (every orchestrator's first window, then
// every second one, ...), so a backfill writes about one week of probes at a time and the indexes'
// pages of that week stay in memory. There is no barrier between rounds: while the last windows of a
// round are fetched, prepared and written, the next round's first ones already are, so the fetches,
// the preparing thread and the database stay busy together.

export interface QueuedWindow<T> {
  item: T;
  round: number;
}

export class WindowQueue<T> {
  /** Ready windows, earliest round first, then in the order given. */
  private readonly ready: (QueuedWindow<T> & { seq: number })[] = [];
  private seq = 0;
  /** Windows taken and not yet done: each may make its orchestrator's next one ready. */
  private taken = 0;
  private closed = false;
  private waiters: (() => void)[] = [];

  constructor(first: readonly T[]) {
    for (const item of first) this.ready.push({ item, round: 0, seq: this.seq++ });
  }

  /** The next window to read; waits while none is ready but some taken may still make one; null when all are done (or closed). */
  async take(): Promise<QueuedWindow<T> | null> {
    for (;;) {
      if (this.closed) return null;
      const w = this.ready.shift();
      if (w) {
        this.taken++;
        return { item: w.item, round: w.round };
      }
      if (this.taken === 0) return null;
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  /** A taken window is done (stored, or failed); `next` is its orchestrator's next window, when there is one to read. */
  done(next?: QueuedWindow<T>): void {
    this.taken--;
    if (next) {
      const entry = { ...next, seq: this.seq++ };
      let i = this.ready.length;
      while (i > 0 && this.ready[i - 1].round > entry.round) i--;
      this.ready.splice(i, 0, entry);
    }
    this.wake();
  }

  /** Hands out nothing more (a fatal error): every take() answers null. */
  close(): void {
    this.closed = true;
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const r of w) r();
  }
}
