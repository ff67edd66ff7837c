// Reads ALERTS_FILE for the indexer, the server's start-up log, /alerts and /status. The file is read
// again only when its size or modification time changes; a broken file is never used (nothing is
// evaluated or delivered with it) and its error names the file, the path inside it and what is wrong.
import fs from "node:fs";
import { parseRulesFile, RulesFileError, type RulesFile } from "../../core/alerts/rules";

export type LoadedRules = { ok: true; file: string; rules: RulesFile } | { ok: false; file: string; error: RulesFileError };

let cache: { file: string; stamp: string; loaded: LoadedRules } | null = null;

/** The rules in `file` (null: ALERTS_FILE is not set, alerts are off). */
export function loadRules(file: string | undefined | null): LoadedRules | null {
  if (!file) return null;
  let stamp: string;
  try {
    const st = fs.statSync(file);
    stamp = `${st.size}:${st.mtimeMs}`;
  } catch (e) {
    return { ok: false, file, error: new RulesFileError(file, [{ path: "", message: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` }]) };
  }
  if (cache?.file === file && cache.stamp === stamp) return cache.loaded;
  let loaded: LoadedRules;
  try {
    loaded = { ok: true, file, rules: parseRulesFile(file, fs.readFileSync(file, "utf8")) };
  } catch (e) {
    if (!(e instanceof RulesFileError)) throw e;
    loaded = { ok: false, file, error: e };
  }
  cache = { file, stamp, loaded };
  return loaded;
}
