// Fair queueing of renders: at most `limit` page or API reads are being answered (loaders, rendering
// and making the answer: its ETag and compression; not streaming it to the client) at a time, and the rest wait their turn in arrival order. Without it, 50 concurrent
// requests interleave their queries in the database's one queue (PGlite runs every query on the
// server's thread) and their rendering on the event loop, so each finishes when the crowd does and
// a request that came first can come last: at 50 connections PGlite's p99 was 2.2-4.8x the mean. In
// order, a request waits for those before it and no more (bench/load.ts). Cache hits, pushes and other
// writes do not queue here.
export class RenderGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private head = 0;

  constructor(readonly limit: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  /** Requests waiting for a turn. */
  get queued(): number {
    return this.waiting.length - this.head;
  }

  private release(): void {
    if (this.head < this.waiting.length) {
      const next = this.waiting[this.head++]; // the slot passes straight to the next in line
      if (this.head > 1024 && this.head * 2 > this.waiting.length) {
        this.waiting.splice(0, this.head);
        this.head = 0;
      }
      next();
    } else this.running--;
  }
}
