// Display formatting for the pages, shared by server render and browser. Money arrives as decimal
// strings and is rounded as a string (BigInt digits), never through a JS number.

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** Rounds a decimal string half away from zero to `dp` decimals; returns the rounded string. */
export function roundDecimal(value: string, dp: number): string {
  const m = DECIMAL.exec(value.trim());
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return value;
  const neg = m[1] === "-";
  const intPart = m[2] || "0";
  const frac = m[3] ?? "";
  let digits: bigint;
  if (frac.length <= dp) {
    digits = BigInt(intPart + frac.padEnd(dp, "0"));
  } else {
    const all = BigInt(intPart + frac);
    const div = 10n ** BigInt(frac.length - dp);
    digits = all / div;
    if ((all % div) * 2n >= div) digits += 1n;
  }
  let s = digits.toString();
  if (dp > 0) {
    s = s.padStart(dp + 1, "0");
    s = `${s.slice(0, -dp)}.${s.slice(-dp)}`;
  }
  const isZero = /^[0.]*$/.test(s);
  return (neg && !isZero ? "-" : "") + s;
}

export function groupThousands(s: string): string {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(s);
  if (!m) return s;
  return m[1] + m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (m[3] ?? "");
}

export function isZeroDecimal(value: string): boolean {
  return /^[+-]?0*\.?0*$/.test(value.trim());
}

/** "12.3457" (4 decimals, thousands separators); "<0.0001" for a non-zero amount that rounds to 0. */
export function formatEth(value: string | null | undefined, dp = 4): string {
  if (value === null || value === undefined) return "—";
  const r = roundDecimal(value, dp);
  if (isZeroDecimal(r) && !isZeroDecimal(value)) return `${value.startsWith("-") ? ">-" : "<"}0.${"0".repeat(dp - 1)}1`;
  return groupThousands(r);
}

/** "$1,234.57". */
export function formatUsd(value: string | null | undefined): string {
  if (value === null || value === undefined) return "—";
  const r = groupThousands(roundDecimal(value, 2));
  return r.startsWith("-") ? `-$${r.slice(1)}` : `$${r}`;
}

export function formatInt(n: number | null | undefined): string {
  if (n === null || n === undefined) return "—";
  return groupThousands(String(n));
}

/** A percentage that arrived rounded from SQL, e.g. 12.5 -> "+12.5%". */
export function formatChange(pct: number | null): string {
  if (pct === null) return "n/a";
  return `${pct > 0 ? "+" : ""}${pct}%`;
}

export function formatPct(pct: number | null | undefined): string {
  return pct === null || pct === undefined ? "—" : `${pct}%`;
}

export function formatMultiple(m: number | null): string {
  return m === null ? "n/a" : `× ${m.toFixed(2)}`;
}

export function shortAddress(a: string): string {
  return a.length > 12 ? `${a.slice(0, 6)}…${a.slice(-4)}` : a;
}

/** ISO timestamp -> "YYYY-MM-DD HH:MM:SS UTC". */
export function formatTimestamp(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "—";
  return `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60 ? `${s % 60} s` : ""}`.trim();
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

/** Only http(s) service URIs become links; anything else is shown as text. */
export function safeHttpUrl(uri: string | null | undefined): string | null {
  if (!uri) return null;
  try {
    const u = new URL(uri);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch {
    return null;
  }
}
