// Which JSON-lines files of a directory have something new, and from where: shared by the joblogs
// and events sources, each with its own checkpoint table. A file is known by its content fingerprint
// (indexer/log-files.ts), so a renamed or compressed file continues from its checkpoint; a plain file
// now shorter than its checkpoint was truncated and is read again from the start (its old lines are
// duplicates by key).
import { createHash } from "node:crypto";
import { fingerprintOf, listLogFiles, readHead, type LogFile } from "./log-files";

export interface FileCheckpoint {
  byte_offset: number;
  line_number: number;
  done: boolean;
}

export interface PlannedFile {
  file: LogFile;
  fingerprint: string;
  start: { offset: number; line: number };
}

export interface PlanOptions {
  dir: string;
  /** Tag in log lines, e.g. `joblogs`. */
  source: string;
  log: (line: string) => void;
  /** Records a file whose start cannot be read (keyed by a hash of its path, so each run adds no new row). */
  unreadable: (path: string, fingerprint: string, message: string) => Promise<void>;
}

export async function planFiles(checkpoints: Map<string, FileCheckpoint>, opts: PlanOptions): Promise<PlannedFile[]> {
  const files = await listLogFiles(opts.dir);
  const seen = new Map<string, string>();
  const plan: PlannedFile[] = [];
  for (const file of files) {
    let head: Awaited<ReturnType<typeof readHead>>;
    try {
      head = await readHead(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") continue; // rotated away since the listing
      await opts.unreadable(file.path, `unreadable:${createHash("sha256").update(file.path).digest("hex")}`, (e as Error).message);
      continue;
    }
    const fingerprint = fingerprintOf(head.head, head.complete);
    if (!fingerprint) continue; // not one complete line yet
    const twin = seen.get(fingerprint);
    if (twin) {
      // e.g. x.jsonl.1 and x.jsonl.1.gz while logrotate compresses: one identity, read once.
      opts.log(`[${opts.source}] ${file.path} starts like ${twin}: same log, read once`);
      continue;
    }
    seen.set(fingerprint, file.path);
    const cp = checkpoints.get(fingerprint);
    if (cp?.done) continue;
    let start = cp ? { offset: cp.byte_offset, line: cp.line_number } : { offset: 0, line: 0 };
    if (cp && !file.compressed && file.size < cp.byte_offset) {
      opts.log(
        `[${opts.source}] ${file.path} is shorter than its checkpoint (${file.size} < ${cp.byte_offset} bytes): truncated, reading it again from the start`,
      );
      start = { offset: 0, line: 0 };
    }
    if (!file.compressed && file.size === start.offset) continue;
    plan.push({ file, fingerprint, start });
  }
  return plan;
}
