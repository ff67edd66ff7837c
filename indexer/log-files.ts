// Reads JSON-lines files, plain or gzip-compressed (gateway job logs, exported gateway events), and
// yields batches of raw lines with their byte offsets. Never touches the database and never parses
// JSON: it finds files, tells them apart by content, and streams complete lines from a checkpoint
// (decision 005). Shared by the joblogs and events sources.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { isUtf8 } from "node:buffer";
import zlib from "node:zlib";

/** x.jsonl, x-2026-01-02.jsonl, x.jsonl.1, x.jsonl-20260102, each optionally .gz. */
const LOG_FILE = /\.jsonl(?:[.-][A-Za-z0-9_-]+)?(?:\.gz)?$/;
/** Identity covers the first complete line(s) reaching this many bytes... */
const FINGERPRINT_MIN_BYTES = 64;
/** ...and never more than this. */
const FINGERPRINT_MAX_BYTES = 1024;
const READ_CHUNK_BYTES = 1 << 20;

export interface LogFile {
  path: string;
  compressed: boolean;
  /** Bytes on disk when listed (compressed size for .gz). */
  size: number;
  mtimeMs: number;
  device: number;
  inode: number;
}

/** One line, without its newline. `bytes` is null for a line longer than the cap (never buffered). */
export interface RawLine {
  /** Uncompressed byte offset of the line's first byte. */
  offset: number;
  /** 1-based. */
  lineNumber: number;
  bytes: Buffer | null;
  length: number;
  /** The first bytes of a line that is over the cap (for the reject's excerpt). */
  head?: Buffer;
  /** Known to be valid UTF-8 (it lies in a read chunk that is), so it need not be checked again. */
  utf8?: boolean;
}

/** How much of an over-long line is kept to show what it was. */
const OVERSIZED_HEAD_BYTES = 160;

export interface LineBatch {
  lines: RawLine[];
  /** Uncompressed offset just past the last complete line: where the next read starts. */
  endOffset: number;
  /** Lines consumed up to endOffset. */
  endLine: number;
  /** A .gz file read to its end: it will never change again. */
  done: boolean;
  /** Bytes of the file on disk consumed so far by this read (for progress). */
  diskBytes: number;
}

export interface ReadOptions {
  maxLines: number;
  /** Lines stamped before this are rejected: raw rows there were dropped (db/partitions.ts). Not used by the reading itself. */
  notBeforeMs?: number;
  /**
   * The first batch holds at most this many lines, and each next one twice as many up to maxLines:
   * the writer starts on a small batch instead of idling while a full one is prepared.
   */
  firstBatchLines?: number;
  /** A batch closes once its lines hold this many bytes. */
  maxBatchBytes: number;
  /** Longer lines are reported with bytes = null and skipped without buffering them. */
  maxLineBytes: number;
}

/** Log files in dir, oldest first (mtime, then name), so rotated content is read before the active file. */
export async function listLogFiles(dir: string): Promise<LogFile[]> {
  const entries = await fs.promises.readdir(dir, { withFileTypes: true });
  const files: LogFile[] = [];
  for (const e of entries) {
    if (!e.isFile() || e.name.startsWith(".") || !LOG_FILE.test(e.name)) continue;
    const p = path.join(dir, e.name);
    const st = await fs.promises.stat(p, { bigint: false }).catch(() => null); // rotated away meanwhile
    if (!st) continue;
    files.push({ path: p, compressed: e.name.endsWith(".gz"), size: st.size, mtimeMs: st.mtimeMs, device: st.dev, inode: st.ino });
  }
  return files.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Uncompressed bytes from the start of the file, at most maxBytes. `complete` when that is the whole content. */
export async function readHead(file: LogFile, maxBytes = FINGERPRINT_MAX_BYTES): Promise<{ head: Buffer; complete: boolean }> {
  const parts: Buffer[] = [];
  let length = 0;
  const source = openStream(file, 0);
  try {
    for await (const chunk of source.stream as AsyncIterable<Buffer>) {
      parts.push(chunk);
      length += chunk.length;
      if (length > maxBytes) break;
    }
  } catch (e) {
    if (!isTruncatedGzip(e)) throw e;
    return { head: Buffer.concat(parts).subarray(0, maxBytes), complete: false };
  } finally {
    source.close();
  }
  const all = Buffer.concat(parts);
  // A plain file may still grow, so its head is "complete" only for a .gz read to its end.
  return { head: all.subarray(0, maxBytes), complete: file.compressed && all.length <= maxBytes };
}

/**
 * A file's identity: SHA-256 of its shortest prefix that ends with a newline and is at least 64
 * bytes long (in practice, the first job line), or of its first 1024 bytes if no newline comes
 * earlier. Lines are only appended, so the prefix never changes while the file grows, is renamed
 * or is compressed. null while the file has no such prefix yet (nothing to read anyway).
 */
export function fingerprintOf(head: Buffer, complete: boolean): string | null {
  let end = -1;
  for (let nl = head.indexOf(10); nl !== -1; nl = head.indexOf(10, nl + 1)) {
    if (nl + 1 >= FINGERPRINT_MIN_BYTES) {
      end = nl + 1;
      break;
    }
  }
  if (end === -1 && head.length >= FINGERPRINT_MAX_BYTES) end = FINGERPRINT_MAX_BYTES;
  if (end === -1 && complete && head.length > 0) end = head.length; // a small finished .gz
  if (end === -1) return null;
  return createHash("sha256").update(head.subarray(0, end)).digest("hex");
}

interface OpenedStream {
  stream: NodeJS.ReadableStream;
  diskBytes(): number;
  close(): void;
}

function openStream(file: LogFile, from: number, to?: number): OpenedStream {
  if (!file.compressed) {
    const raw = fs.createReadStream(file.path, {
      start: from,
      end: to === undefined ? undefined : to - 1,
      highWaterMark: READ_CHUNK_BYTES,
    });
    return { stream: raw, diskBytes: () => raw.bytesRead, close: () => raw.destroy() };
  }
  const raw = fs.createReadStream(file.path, { highWaterMark: READ_CHUNK_BYTES });
  const gunzip = zlib.createGunzip({ chunkSize: READ_CHUNK_BYTES });
  raw.on("error", (e) => gunzip.destroy(e));
  raw.pipe(gunzip);
  return {
    stream: gunzip,
    diskBytes: () => raw.bytesRead,
    close: () => {
      raw.destroy();
      gunzip.destroy();
    },
  };
}

/** A .gz cut short (still being written by the compressor, or a crash): read what is complete, wait for the rest. */
function isTruncatedGzip(e: unknown): boolean {
  return (e as NodeJS.ErrnoException)?.code === "Z_BUF_ERROR" || /unexpected end of file/i.test((e as Error)?.message ?? "");
}

/**
 * Complete lines from `from.offset` (uncompressed) to the end of the file as it is now, in batches.
 * A plain file's partial last line (no newline yet) is left for the next run; a .gz file is final,
 * so its last line counts even without a newline. A .gz is decompressed from its start and the
 * first `from.offset` bytes are skipped. Memory stays bounded: lines over maxLineBytes are skipped.
 */
export async function* readLineBatches(
  file: LogFile,
  from: { offset: number; line: number },
  opts: ReadOptions,
): AsyncGenerator<LineBatch> {
  // Plain files: read up to the size seen now, so a run ends even while the writer keeps appending.
  const size = file.compressed ? undefined : (await fs.promises.stat(file.path)).size;
  if (size !== undefined && size <= from.offset) return;
  const source = openStream(file, file.compressed ? 0 : from.offset, size);

  let lines: RawLine[] = [];
  let batchBytes = 0;
  let batchLines = Math.min(opts.maxLines, opts.firstBatchLines ?? opts.maxLines);
  let position = file.compressed ? 0 : from.offset; // uncompressed offset of the next byte from the stream
  let lineStart = from.offset;
  let lineNumber = from.line;
  let toSkip = file.compressed ? from.offset : 0;
  // The current incomplete line: buffered parts, or only its length once it is over the cap.
  let carry: Buffer[] = [];
  let carryLength = 0;
  let oversized: Buffer | null = null; // the head of the current line once it is over the cap
  let truncatedGzip = false;

  const take = (bytes: Buffer | null, length: number, end: number, utf8 = false): void => {
    lineNumber++;
    lines.push(
      bytes ? { offset: lineStart, lineNumber, bytes, length, utf8 } : { offset: lineStart, lineNumber, bytes, length, head: oversized! },
    );
    batchBytes += bytes ? length : 0;
    lineStart = end;
  };
  const batch = (done: boolean): LineBatch => {
    const b = { lines, endOffset: lineStart, endLine: lineNumber, done, diskBytes: source.diskBytes() };
    lines = [];
    batchBytes = 0;
    batchLines = Math.min(opts.maxLines, batchLines * 2);
    return b;
  };

  try {
    try {
      for await (const raw of source.stream as AsyncIterable<Buffer>) {
        let chunk = raw;
        if (toSkip > 0) {
          const skip = Math.min(toSkip, chunk.length);
          toSkip -= skip;
          position += skip;
          chunk = chunk.subarray(skip);
        }
        // One check for the whole chunk: a newline byte never occurs inside a multi-byte UTF-8
        // character, so every line lying wholly in a valid chunk is valid too.
        const chunkUtf8 = isUtf8(chunk);
        let pos = 0;
        while (pos < chunk.length) {
          const nl = chunk.indexOf(10, pos);
          const end = nl === -1 ? chunk.length : nl;
          const partLength = end - pos;
          if (!oversized && carryLength + partLength > opts.maxLineBytes) {
            oversized = Buffer.from(
              Buffer.concat([...carry, chunk.subarray(pos, Math.min(end, pos + OVERSIZED_HEAD_BYTES))]).subarray(0, OVERSIZED_HEAD_BYTES),
            );
            carry = [];
          } else if (!oversized && (nl === -1 || carryLength > 0)) {
            carry.push(chunk.subarray(pos, end));
          }
          carryLength += partLength;
          if (nl === -1) break;
          const lineEnd = position + nl + 1;
          if (oversized) take(null, carryLength, lineEnd);
          else if (carry.length) take(Buffer.concat(carry), carryLength, lineEnd);
          else take(chunk.subarray(pos, end), partLength, lineEnd, chunkUtf8);
          carry = [];
          carryLength = 0;
          oversized = null;
          pos = nl + 1;
          if (lines.length >= batchLines || batchBytes >= opts.maxBatchBytes) yield batch(false);
        }
        position += chunk.length;
      }
    } catch (e) {
      if (!file.compressed || !isTruncatedGzip(e)) throw e;
      truncatedGzip = true;
    }
    // The end of a finished .gz ends its last line; a plain file's partial line waits for its newline.
    const final = file.compressed && !truncatedGzip;
    if (final && carryLength > 0) take(oversized ? null : Buffer.concat(carry), carryLength, position);
    if (lines.length || final) yield batch(final);
  } finally {
    source.close();
  }
}

/** A short, escaped start of an untrusted line for the rejects table: printable ASCII kept, other bytes as \xNN. */
export function excerptOf(bytes: Uint8Array, maxBytes = 160): string {
  let out = "";
  const n = Math.min(bytes.length, maxBytes);
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0x5c) out += "\\\\";
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, "0")}`;
  }
  return bytes.length > maxBytes ? `${out}...` : out;
}

/** Splits a body into lines with their byte offsets; the last line needs no newline. */
export function splitLines(buf: Buffer, maxLineBytes: number, firstOffset = 0, firstLine = 1): RawLine[] {
  const lines: RawLine[] = [];
  for (let start = 0, lineNumber = firstLine; start < buf.length; lineNumber++) {
    const nl = buf.indexOf(10, start);
    const end = nl === -1 ? buf.length : nl;
    const length = end - start;
    const bytes = buf.subarray(start, end);
    lines.push(
      length > maxLineBytes
        ? { offset: firstOffset + start, lineNumber, bytes: null, length, head: bytes.subarray(0, 160) }
        : { offset: firstOffset + start, lineNumber, bytes, length },
    );
    start = end + 1;
  }
  return lines;
}
