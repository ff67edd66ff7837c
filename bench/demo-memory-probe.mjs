// Preloaded into the demo by `bench/demo-memory.ts --probe` (NODE_OPTIONS=--import=<this file>?out=<file>),
// to say where its resident memory is: every 10 s one JSON line appended to the file `out` with
// process.memoryUsage() and the byte length of every WebAssembly memory made in the process (PGlite's
// linear memory: it only grows, never shrinks). Acts only in the process running scripts/demo.ts
// (npm and `remix build` see NODE_OPTIONS too). Not used by the product.
import fs from "node:fs";

const out = new URL(import.meta.url).searchParams.get("out");
if (out && process.argv.some((a) => a.endsWith("scripts/demo.ts"))) {
  const memories = [];
  const Original = WebAssembly.Memory;
  // A subclass, so instanceof WebAssembly.Memory still holds for the memories PGlite makes.
  class TrackedMemory extends Original {
    constructor(descriptor) {
      super(descriptor);
      memories.push(new WeakRef(this));
    }
  }
  WebAssembly.Memory = TrackedMemory;
  const t0 = Date.now();
  const sample = () => {
    const m = process.memoryUsage();
    const wasm = memories.map((r) => r.deref()?.buffer.byteLength).filter((x) => x !== undefined);
    fs.appendFileSync(out, JSON.stringify({ s: Math.round((Date.now() - t0) / 1000), ...m, wasm }) + "\n");
  };
  setInterval(sample, 10_000).unref();
}
