// A configuration file read by the pages on every request and by the start-up log (ALERTS_FILE,
// PROGRAMS_FILE): parsed again only when its size or modification time changes. What `parse` makes of
// the text (rules, programs, or what is wrong with them) is kept as it is; a file that cannot be read
// is handed to `unreadable` with the reason (ENOENT, EACCES, ...), checked again at the next call.
import fs from "node:fs";

const cache = new Map<string, { stamp: string; value: unknown }>();

export function readWatchedFile<T>(kind: string, file: string, parse: (text: string) => T, unreadable: (reason: string) => T): T {
  let stamp: string;
  try {
    const st = fs.statSync(file);
    stamp = `${st.size}:${st.mtimeMs}`;
  } catch (e) {
    return unreadable(`cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const key = `${kind}\u0000${file}`;
  const hit = cache.get(key);
  if (hit?.stamp === stamp) return hit.value as T;
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    return unreadable(`cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const value = parse(text);
  cache.set(key, { stamp, value });
  return value;
}
