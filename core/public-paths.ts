// What a public page may say about a file on the server: its name, never the directory it is in.
// The status page and /api/status list rejected lines with their file and show errors that quote
// paths (GATEWAY_LOG_DIR, GATEWAY_EVENTS_DIR, PRICES_DIR, the PGlite directory); an absolute path
// there tells any visitor how the server is laid out (issue 13). Files in those directories are
// read flat, so the name is also the path relative to the configured directory.

/** A stored file path as the public sees it: its last segment (null stays null). */
export function publicFileName(file: string | null): string | null {
  if (file === null) return null;
  const trimmed = file.replace(/[\\/]+$/, "");
  const name = trimmed.slice(Math.max(trimmed.lastIndexOf("/"), trimmed.lastIndexOf("\\")) + 1);
  return name || trimmed || file;
}

// An absolute path: "/" then a name, at the start or after a space, quote, bracket, "=" or ","
// (so the path part of a URL, which follows its host, is left alone), running to the next space,
// quote, bracket or comma.
const ABSOLUTE_PATH = /(^|[\s'"`(\[=,])((?:\/[^\s'"`()[\]\/,]+)+\/?)/g;
// file:// URLs and Windows drive paths.
const FILE_URL = /file:\/\/\/?[^\s'"`()[\],]+/g;
const DRIVE_PATH = /(^|[\s'"`(\[=,])[A-Za-z]:\\[^\s'"`()[\],]+/g;

/** A message with every absolute path in it cut to the file's name (one-segment paths kept). */
export function withoutServerPaths(text: string): string;
export function withoutServerPaths(text: string | null): string | null;
export function withoutServerPaths(text: string | null): string | null {
  if (text === null) return null;
  return text
    .replace(FILE_URL, (m) => publicFileName(m.replace(/^file:\/\/\/?/, "/")) ?? m)
    .replace(DRIVE_PATH, (_m, lead: string) => lead + (publicFileName(_m.slice(lead.length)) ?? ""))
    .replace(ABSOLUTE_PATH, (m, lead: string, p: string) => (p.split("/").filter(Boolean).length < 2 ? m : lead + publicFileName(p)));
}
