// The main thread's side of the poll's preparing thread (prepare-worker.ts): answers in, prepared
// windows out, in the order asked. A failure to prepare (a body that is not JSON, such as the NaN the
// API's scorer can write, or of another shape) comes back as an UpstreamPermanentError for that window.
import { Worker } from "node:worker_threads";
import { UpstreamPermanentError } from "../../http-json";
import type { PreparedWindow } from "./prepare";

export interface PrepareRequest {
  id: number;
  body: Uint8Array;
  orchestrator: string;
  notBeforeMs: number;
  /** What answered, for messages ("leaderboard API (raw_stats 0x1234…)"). */
  what: string;
}

export type PrepareReply = { id: number; prepared: PreparedWindow; error?: undefined } | { id: number; error: string; prepared?: undefined };

export class ProbePreparer {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (p: PreparedWindow) => void; reject: (e: Error) => void }>();
  private next = 0;
  private broken: Error | null = null;

  constructor() {
    this.worker = new Worker(new URL("../../worker-bootstrap.mjs", import.meta.url), {
      workerData: { module: new URL("./prepare-worker.ts", import.meta.url).href },
    });
    this.worker.on("message", (r: PrepareReply) => {
      const w = this.waiting.get(r.id);
      this.waiting.delete(r.id);
      if (r.prepared) w?.resolve(r.prepared);
      else w?.reject(new UpstreamPermanentError(r.error));
    });
    const fail = (e: Error) => {
      this.broken = e;
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
    };
    this.worker.on("error", (e) => fail(new Error(`leaderboard preparing thread failed: ${e.message}`)));
    this.worker.on("exit", (code) => fail(new Error(`leaderboard preparing thread exited (code ${code})`)));
  }

  prepare(body: Uint8Array, orchestrator: string, notBeforeMs: number, what: string): Promise<PreparedWindow> {
    if (this.broken) return Promise.reject(this.broken);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, body, orchestrator, notBeforeMs, what } satisfies PrepareRequest);
    });
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners("exit");
    await this.worker.terminate();
  }
}
