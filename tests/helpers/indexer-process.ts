// `npm run indexer -- once` as a real child process, for the lock and crash tests.
import { spawn, type ChildProcess } from "node:child_process";

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  ms: number;
}

export interface Running {
  child: ChildProcess;
  /** Resolves once the output matches (or rejects when the process ends first). */
  waitFor(pattern: RegExp): Promise<void>;
  done: Promise<Finished>;
}

export function startIndexer(env: Record<string, string>): Running {
  const started = Date.now();
  // node itself with tsx's loader (not the tsx wrapper), so a SIGKILL hits the process that writes.
  const child = spawn(process.execPath, ["--import", "tsx", "indexer/main.ts", "once"], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      NODE_ENV: "production",
      GATEWAY_TAGS_FILE: "/nonexistent/tags.json",
      ...env,
    },
  });
  let out = "";
  const watchers: { pattern: RegExp; resolve: () => void }[] = [];
  const onData = (d: Buffer) => {
    out += d;
    for (const w of [...watchers]) if (w.pattern.test(out)) watchers.splice(watchers.indexOf(w), 1) && w.resolve();
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const done = new Promise<Finished>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, out, ms: Date.now() - started })),
  );
  return {
    child,
    done,
    waitFor: (pattern) =>
      new Promise<void>((resolve, reject) => {
        if (pattern.test(out)) return resolve();
        watchers.push({ pattern, resolve });
        void done.then((f) => reject(new Error(`indexer ended (${f.code ?? f.signal}) before ${pattern}: ${f.out.slice(-500)}`)));
      }),
  };
}

export const runIndexer = (env: Record<string, string>) => startIndexer(env).done;
