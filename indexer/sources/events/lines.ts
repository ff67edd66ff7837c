// Raw lines (from a file, a push body or stdin) to parsed events with where each came from. Lines
// that are not UTF-8 or over the length cap are rejected here, the rest by core/gateway/events.ts.
import { isUtf8 } from "node:buffer";
import { parseEventLine } from "../../../core/gateway/events";
import { beforeHorizonReason } from "../../../db/partitions";
import { excerptOf, type RawLine } from "../../log-files";
import type { EventLine } from "./prepare";

/**
 * `notBeforeMs`: where RAW_RETENTION_DAYS dropped raw events (db/partitions.ts); an event stamped
 * before it is rejected, since the rollups it would go into are final.
 */
export function toEventLines(raw: RawLine[], nowMs: number, maxLineBytes: number, notBeforeMs = -Infinity): EventLine[] {
  const out: EventLine[] = [];
  for (const l of raw) {
    if (!l.bytes) {
      out.push({
        offset: l.offset,
        lineNumber: l.lineNumber,
        parsed: { ok: false, reason: `line is longer than ${maxLineBytes} bytes (${l.length})`, type: null },
        excerpt: excerptOf(l.head ?? new Uint8Array()),
      });
      continue;
    }
    if (l.length === 0 || isBlank(l.bytes)) continue; // blank lines (kcat separators) are not events
    if (!l.utf8 && !isUtf8(l.bytes)) {
      out.push({ offset: l.offset, lineNumber: l.lineNumber, parsed: { ok: false, reason: "not UTF-8", type: null }, excerpt: excerptOf(l.bytes) });
      continue;
    }
    let parsed = parseEventLine(l.bytes.toString("utf8"), nowMs);
    if (parsed.ok && parsed.record && parsed.record.atMs < notBeforeMs) parsed = { ok: false, reason: beforeHorizonReason(notBeforeMs), type: parsed.envelope.type };
    out.push({ offset: l.offset, lineNumber: l.lineNumber, parsed, excerpt: parsed.ok ? "" : excerptOf(l.bytes) });
  }
  return out;
}

function isBlank(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0x20 && b[i] !== 0x09 && b[i] !== 0x0d) return false;
  return true;
}
