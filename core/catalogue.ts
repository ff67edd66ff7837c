// The price catalogue: cloud GPU / serverless / hosted-API prices and GPU throughput figures,
// shipped as CSV in indexer/data/ (see its README) so an operator can update them without a code
// change. This module is the pure part: CSV parsing, typed rows, validation and the catalogue's
// age, from the files' text. Reading the two files is loadCatalogue's (db/catalogue.ts).
//
// A row without its source or date (prices) or its source or quality (throughput) is refused,
// and so is the whole load: every problem of both files is listed at once, each naming the file,
// the line and the field, so unsourced prices can never ship silently. docs/decisions/006.
import path from "node:path";
import Decimal from "decimal.js";
import { KNOWN_UNITS, normalisePipeline, type OfferRow, type ThroughputFigure } from "./cost";
import { BadInputError } from "./errors";

export const PRICES_FILE = "cloud-prices.csv";
export const THROUGHPUT_FILE = "gpu-throughput.csv";

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180): quoted fields, "" inside quotes, commas and line breaks inside quotes, CRLF/LF/CR

/** A CSV file that cannot be parsed (bad-input); parseCatalogue turns it into a CatalogueProblem. */
export class CsvSyntaxError extends BadInputError {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = "CsvSyntaxError";
  }
}

export interface CsvRecord {
  /** 1-based line on which the record starts (a quoted field may span lines). */
  line: number;
  fields: string[];
}

/**
 * Splits CSV text into records. Strict where a lenient parser would silently misread: a quote
 * inside an unquoted field, text after a closing quote and an unclosed quote are errors. A BOM is
 * dropped; empty lines are skipped; line breaks inside quotes are kept as "\n".
 */
export function parseCsv(text: string): CsvRecord[] {
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const records: CsvRecord[] = [];
  const eol = (c: string | undefined) => c === "\n" || c === "\r";
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field = "";
      if (text[i] === '"') {
        const opened = line;
        i++;
        for (;;) {
          if (i >= n) throw new CsvSyntaxError(opened, "a quoted field is never closed");
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === "\r" || c === "\n") {
            i += c === "\r" && text[i + 1] === "\n" ? 2 : 1;
            line++;
            field += "\n";
            continue;
          }
          field += c;
          i++;
        }
        if (i < n && text[i] !== "," && !eol(text[i])) throw new CsvSyntaxError(line, "text after a closing quote (a field must be quoted whole)");
      } else {
        while (i < n && text[i] !== "," && !eol(text[i])) {
          if (text[i] === '"') throw new CsvSyntaxError(line, 'a quote inside an unquoted field (quote the whole field and write a quote as "")');
          field += text[i];
          i++;
        }
      }
      fields.push(field);
      if (i < n && text[i] === ",") {
        i++;
        continue;
      }
      if (i < n) {
        i += text[i] === "\r" && text[i + 1] === "\n" ? 2 : 1;
        line++;
      }
      break;
    }
    if (fields.length === 1 && fields[0].trim() === "") continue; // an empty line
    records.push({ line: start, fields });
  }
  return records;
}

// ---------------------------------------------------------------------------------------------
// Problems

export interface CatalogueProblem {
  file: string;
  /** 0 when the problem is the file itself. */
  line: number;
  field: string | null;
  /** Full text, e.g. `cloud-prices.csv line 14 (AWS g4dn.xlarge): missing "source"`. */
  message: string;
}

/** The catalogue is refused (bad-input): every problem of both files; the prices run fails, the old catalogue is kept. */
export class CatalogueError extends BadInputError {
  constructor(readonly problems: readonly CatalogueProblem[]) {
    super(
      `price catalogue refused: ${problems.length} problem${problems.length === 1 ? "" : "s"} (fix the rows, or remove rows that have no source)\n` +
        problems.map((p) => `  ${p.message}`).join("\n"),
    );
    this.name = "CatalogueError";
  }
}

/** A problem naming the file, and the line and field when there are ones ("cloud-prices.csv line 14 (AWS g4dn.xlarge): ..."). */
export function catalogueProblem(file: string, line: number, field: string | null, what: string, context?: string): CatalogueProblem {
  const where = line > 0 ? `${file} line ${line}${context ? ` (${context})` : ""}` : file;
  return { file, line, field, message: `${where}: ${what}` };
}

/** Values that say "no source" rather than give one. */
const NO_VALUE = /^(n\/?a|none|null|unknown|-+|\?+|tbd|todo)$/i;

interface Table {
  rows: { line: number; get(column: string): string }[];
  problems: CatalogueProblem[];
}

function readTable(text: string, file: string, required: readonly string[]): Table {
  let records: CsvRecord[];
  try {
    records = parseCsv(text);
  } catch (e) {
    if (e instanceof CsvSyntaxError) return { rows: [], problems: [catalogueProblem(file, e.line, null, e.reason)] };
    throw e;
  }
  if (!records.length) return { rows: [], problems: [catalogueProblem(file, 0, null, "is empty (expected a header line)")] };
  const [head, ...body] = records;
  const header = head.fields.map((h) => h.trim().toLowerCase());
  const problems: CatalogueProblem[] = [];
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h)) problems.push(catalogueProblem(file, head.line, h, `column "${h}" appears twice in the header`));
    seen.add(h);
  }
  const missing = required.filter((c) => !seen.has(c));
  if (missing.length) problems.push(catalogueProblem(file, head.line, missing[0], `header lacks column${missing.length > 1 ? "s" : ""} ${missing.map((c) => `"${c}"`).join(", ")}`));
  if (problems.length) return { rows: [], problems };
  const index = new Map(header.map((h, i) => [h, i]));
  const rows: Table["rows"] = [];
  for (const r of body) {
    if (r.fields.length !== header.length) {
      problems.push(catalogueProblem(file, r.line, null, `has ${r.fields.length} fields, the header has ${header.length} (quote fields that contain commas)`));
      continue;
    }
    rows.push({ line: r.line, get: (c) => (index.has(c) ? r.fields[index.get(c)!].trim() : "") });
  }
  return { rows, problems };
}

// ---------------------------------------------------------------------------------------------
// Dates

export interface AsOf {
  /** Earliest day the text allows ("2026-06" -> "2026-06-01"), so the catalogue never looks newer than it is. */
  date: string;
  precision: "day" | "month" | "year";
  /** "<=2023-08-16": observed on or before that day. */
  bound: "on" | "on-or-before";
  /** Text in brackets after the date, e.g. "H1 rollout planned". */
  note: string | null;
}

const AS_OF = /^(<=\s*)?(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:\s*\(([^()]*)\))?$/;

/** "2026-01-21", "2026-06", "2025 (H1 rollout planned)", "<=2023-08-16"; null for anything else ("undated"). */
export function parseAsOf(text: string): AsOf | null {
  const m = AS_OF.exec(text.trim());
  if (!m) return null;
  const year = Number(m[2]);
  const month = m[3] ? Number(m[3]) : 1;
  const day = m[4] ? Number(m[4]) : 1;
  if (year < 2000 || year > 2100 || month < 1 || month > 12) return null;
  const date = `${m[2]}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  if (new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10) !== date) return null;
  return { date, precision: m[4] ? "day" : m[3] ? "month" : "year", bound: m[1] ? "on-or-before" : "on", note: m[5]?.trim() || null };
}

const isoToday = (today: Date | string | undefined): string =>
  typeof today === "string" ? today : (today ?? new Date()).toISOString().slice(0, 10);

// ---------------------------------------------------------------------------------------------
// Prices

export const PRICE_COLUMNS = ["provider", "offering", "gpu", "gpu_key", "gpus", "unit", "usd_per_unit", "source", "as_of"] as const;
/** Ours, optional: what a per-output price is for (hosted APIs, Livepeer references). */
export const PRICE_OPTIONAL_COLUMNS = ["pipeline", "model", "setting"] as const;

export interface PriceRow extends OfferRow {
  line: number;
  gpu: string | null;
  gpuKey: string | null;
  gpus: number | null;
  /** Normalised decimal string. */
  usdPerUnit: string;
  /** As written in the file. */
  asOf: string;
  asOfDate: string;
  asOfPrecision: AsOf["precision"];
  asOfBound: AsOf["bound"];
  asOfNote: string | null;
  pipeline: string | null;
  model: string | null;
  setting: string | null;
}

export interface ParseOptions {
  /** Name used in messages (default the standard file name). */
  file?: string;
  /** Dates after this day are refused (default: today, UTC). */
  today?: Date | string;
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;

function positiveDecimal(v: string): string | null {
  try {
    const d = new Decimal(v);
    return d.isFinite() && d.gt(0) ? d.toFixed() : null;
  } catch {
    return null;
  }
}

export function parsePrices(text: string, opts: ParseOptions = {}): { rows: PriceRow[]; problems: CatalogueProblem[] } {
  const file = opts.file ?? PRICES_FILE;
  const today = isoToday(opts.today);
  const table = readTable(text, file, PRICE_COLUMNS);
  const problems = [...table.problems];
  const rows: PriceRow[] = [];
  const keys = new Map<string, number>();
  for (const r of table.rows) {
    const ctx = [r.get("provider"), r.get("offering")].filter(Boolean).join(" ") || undefined;
    const bad = (field: string, what: string) => problems.push(catalogueProblem(file, r.line, field, what, ctx));
    const before = problems.length;
    for (const f of ["provider", "offering", "unit", "usd_per_unit", "source", "as_of"]) {
      const v = r.get(f);
      if (v === "" || (f === "source" && NO_VALUE.test(v))) bad(f, `missing "${f}"${v ? ` (${JSON.stringify(v)} is not a source)` : ""}`);
    }
    const unit = r.get("unit");
    if (unit && !KNOWN_UNITS.includes(unit)) bad("unit", `unit "${unit}" is not one of ${KNOWN_UNITS.join(", ")}`);
    const usdText = r.get("usd_per_unit");
    const usd = usdText ? positiveDecimal(usdText) : null;
    if (usdText && usd === null) bad("usd_per_unit", `usd_per_unit "${usdText}" is not a positive number`);
    const gpusText = r.get("gpus");
    const gpus = gpusText === "" ? null : /^\d{1,4}$/.test(gpusText) ? Number(gpusText) : NaN;
    if (Number.isNaN(gpus)) bad("gpus", `gpus "${gpusText}" is not a whole number`);
    const asOfText = r.get("as_of");
    const asOf = asOfText ? parseAsOf(asOfText) : null;
    if (asOfText && !asOf) bad("as_of", `"as_of" is not a date: ${JSON.stringify(asOfText)} (write YYYY-MM-DD, YYYY-MM or YYYY; "<=" before and a note in brackets after are allowed)`);
    if (asOf && asOf.date > today) bad("as_of", `"as_of" ${asOfText} is in the future`);
    const pipelineText = r.get("pipeline");
    const pipeline = pipelineText ? normalisePipeline(pipelineText) : null;
    if (pipeline !== null && !SLUG.test(pipeline)) bad("pipeline", `pipeline "${pipelineText}" is not a pipeline slug such as image-to-video`);
    if (problems.length > before) continue;
    const row: PriceRow = {
      line: r.line,
      provider: r.get("provider"),
      offering: r.get("offering"),
      gpu: r.get("gpu") || null,
      gpuKey: r.get("gpu_key") || null,
      gpus,
      unit,
      usdPerUnit: usd!,
      source: r.get("source"),
      asOf: asOfText,
      asOfDate: asOf!.date,
      asOfPrecision: asOf!.precision,
      asOfBound: asOf!.bound,
      asOfNote: asOf!.note,
      pipeline,
      model: r.get("model") || null,
      setting: r.get("setting") || null,
    };
    const key = JSON.stringify([row.provider, row.offering, row.gpu, row.gpuKey, row.gpus, row.unit, row.asOf, row.pipeline, row.model, row.setting]);
    const first = keys.get(key);
    if (first !== undefined) {
      bad("offering", `repeats the offer on line ${first} (same provider, offering, GPU, unit and date)`);
      continue;
    }
    keys.set(key, r.line);
    rows.push(row);
  }
  return { rows, problems };
}

// ---------------------------------------------------------------------------------------------
// Throughput

export const THROUGHPUT_COLUMNS = ["pipeline", "model", "setting", "gpu", "gpu_key", "gpu_seconds_per_output_second", "basis", "source", "quality"] as const;

export interface ThroughputRow extends ThroughputFigure {
  line: number;
  setting: string | null;
  gpu: string | null;
  /** Normalised decimal string. */
  gpuSecondsPerOutputSecond: string;
  basis: string | null;
}

export function parseThroughput(text: string, opts: { file?: string } = {}): { rows: ThroughputRow[]; problems: CatalogueProblem[] } {
  const file = opts.file ?? THROUGHPUT_FILE;
  const table = readTable(text, file, THROUGHPUT_COLUMNS);
  const problems = [...table.problems];
  const rows: ThroughputRow[] = [];
  for (const r of table.rows) {
    const ctx = [r.get("pipeline"), r.get("model"), r.get("gpu")].filter(Boolean).join(" ") || undefined;
    const bad = (field: string, what: string) => problems.push(catalogueProblem(file, r.line, field, what, ctx));
    const before = problems.length;
    for (const f of ["pipeline", "model", "gpu_key", "gpu_seconds_per_output_second", "source", "quality"]) {
      const v = r.get(f);
      if (v === "" || ((f === "source" || f === "quality") && NO_VALUE.test(v))) bad(f, `missing "${f}"${v ? ` (${JSON.stringify(v)} is not a ${f})` : ""}`);
    }
    const pipelineText = r.get("pipeline");
    const pipeline = normalisePipeline(pipelineText);
    if (pipelineText && !SLUG.test(pipeline)) bad("pipeline", `pipeline "${pipelineText}" is not a pipeline slug such as image-to-video`);
    const gpsText = r.get("gpu_seconds_per_output_second");
    const gps = gpsText ? positiveDecimal(gpsText) : null;
    if (gpsText && gps === null) bad("gpu_seconds_per_output_second", `gpu_seconds_per_output_second "${gpsText}" is not a positive number`);
    if (problems.length > before) continue;
    rows.push({
      line: r.line,
      pipeline,
      model: r.get("model"),
      setting: r.get("setting") || null,
      gpu: r.get("gpu") || null,
      gpuKey: r.get("gpu_key"),
      gpuSecondsPerOutputSecond: gps!,
      basis: r.get("basis") || null,
      source: r.get("source"),
      quality: r.get("quality"),
    });
  }
  return { rows, problems };
}

// ---------------------------------------------------------------------------------------------
// The catalogue

export interface CatalogueAge {
  /** The most recent price date (its earliest reading) and the row it comes from. */
  newest: { asOf: string; date: string; line: number };
  oldest: { asOf: string; date: string; line: number };
  rows: number;
}

/** Newest and oldest as_of over the price rows (null when there are none). */
export function catalogueAge(rows: readonly PriceRow[]): CatalogueAge | null {
  if (!rows.length) return null;
  let newest = rows[0];
  let oldest = rows[0];
  for (const r of rows) {
    if (r.asOfDate > newest.asOfDate) newest = r;
    if (r.asOfDate < oldest.asOfDate) oldest = r;
  }
  const pick = (r: PriceRow) => ({ asOf: r.asOf, date: r.asOfDate, line: r.line });
  return { newest: pick(newest), oldest: pick(oldest), rows: rows.length };
}

/** Whole days from a YYYY-MM-DD date to today (UTC). */
export function daysSince(date: string, today?: Date | string): number {
  return Math.round((Date.parse(`${isoToday(today)}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`)) / 86_400_000);
}

export interface Catalogue {
  prices: PriceRow[];
  throughput: ThroughputRow[];
  age: CatalogueAge | null;
  files: { prices: string; throughput: string };
}

/**
 * Parses both files' text; throws CatalogueError listing every problem of both if any row is
 * refused (nothing is loaded then).
 */
export function parseCatalogue(
  texts: { prices: string; throughput: string },
  opts: { today?: Date | string; files?: { prices: string; throughput: string } } = {},
): Catalogue {
  const files = opts.files ?? { prices: PRICES_FILE, throughput: THROUGHPUT_FILE };
  const prices = parsePrices(texts.prices, { file: path.basename(files.prices), today: opts.today });
  const throughput = parseThroughput(texts.throughput, { file: path.basename(files.throughput) });
  const problems = [...prices.problems, ...throughput.problems];
  if (problems.length) throw new CatalogueError(problems);
  return { prices: prices.rows, throughput: throughput.rows, age: catalogueAge(prices.rows), files };
}
