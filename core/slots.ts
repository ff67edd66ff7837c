// At most `limit` holders at once; the others wait in arrival order, and a released slot passes
// straight to the next in line (a newcomer never overtakes a waiter). The server's read turns
// (server/render-gate.ts) and the leaderboard poll's prepared windows waiting to be written
// (indexer/sources/leaderboard/poll.ts) both take their turns here.
export class Slots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private head = 0;

  constructor(readonly limit: number) {}

  /** Resolves once a slot is held; release() it when done. */
  async acquire(): Promise<void> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
  }

  release(): void {
    if (this.head < this.waiting.length) {
      const next = this.waiting[this.head++]; // the slot passes straight to the next in line
      if (this.head > 1024 && this.head * 2 > this.waiting.length) {
        this.waiting.splice(0, this.head);
        this.head = 0;
      }
      next();
    } else this.running--;
  }

  /** fn run holding a slot, released however fn ends. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  /** Holders waiting for a slot. */
  get queued(): number {
    return this.waiting.length - this.head;
  }
}
