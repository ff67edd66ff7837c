// A table of rejected lines (job log lines, gateway event lines): when, from where, which file, byte
// offset, line number, why, and the line's start shown as text (it is untrusted).
import { TableWrap } from "~/components/page-header";
import { formatInt, formatTimestamp } from "~/lib/format";

export interface RejectRowView {
  at: string;
  from: string;
  file: string | null;
  byteOffset: number;
  lineNumber: number;
  reason: string;
  excerpt: string;
}

export function RejectsTable({ label, rows, empty }: { label: string; rows: RejectRowView[]; empty: string }) {
  return (
    <TableWrap label={label}>
      <table>
        <thead>
          <tr>
            <th>Received</th>
            <th>Source</th>
            <th>File</th>
            <th className="r">Byte offset</th>
            <th className="r">Line</th>
            <th>Reason</th>
            <th>Excerpt</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={`${r.at}-${r.file ?? r.from}-${r.byteOffset}-${i}`}>
              <td className="num">{formatTimestamp(r.at)}</td>
              <td>{r.from}</td>
              <td className="uri mono">{r.file ?? <span className="muted">—</span>}</td>
              <td className="r">{formatInt(r.byteOffset)}</td>
              <td className="r">{formatInt(r.lineNumber)}</td>
              <td className="error-text">{r.reason}</td>
              <td>
                <code className="excerpt">{r.excerpt}</code>
              </td>
            </tr>
          ))}
          {rows.length === 0 ? (
            <tr>
              <td colSpan={7} className="muted">
                {empty}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </TableWrap>
  );
}
