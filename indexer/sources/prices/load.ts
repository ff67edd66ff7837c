// The `prices` source: loads the shipped price catalogue (PRICES_DIR, default indexer/data; see its
// README and docs/decisions/006) into cloud_prices, gpu_throughput and catalogue_meta.
//
// Runs only when the files' SHA-256 differ from those in catalogue_meta. The files are validated
// first (core/catalogue.ts): any refused row fails the run with every problem listed and leaves the
// loaded catalogue as it was. Otherwise one transaction upserts every row (an unchanged row is not
// rewritten), deletes rows the files no longer have and records the hashes and the catalogue's age.
// rowsWritten is the number of rows inserted, changed or deleted.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Db, TxQuerier } from "../../../db/client";
import {
  CatalogueError,
  parseCatalogue,
  PRICES_FILE,
  THROUGHPUT_FILE,
  type Catalogue,
  type CatalogueProblem,
  type ThroughputRow,
} from "../../../core/catalogue";
import { loadCatalogue } from "../../../db/catalogue";

export const PRICES_SOURCE = "prices";
export const DEFAULT_PRICES_DIR = "indexer/data";

export interface PricesRunOptions {
  dir: string;
  /** Dates after this day are refused (default today, UTC). */
  today?: Date | string;
  log?: (line: string) => void;
}

export interface PricesRunResult {
  rowsWritten: number;
  /** False when the files' hashes equal the loaded catalogue's (nothing was read into the tables). */
  changed: boolean;
  prices: number;
  throughput: number;
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

// Column lists: database column, its type in jsonb_to_recordset, and the parsed row's field.
const PRICE_COLS = [
  ["provider", "text", "provider"],
  ["offering", "text", "offering"],
  ["gpu", "text", "gpu"],
  ["gpu_key", "text", "gpuKey"],
  ["gpus", "integer", "gpus"],
  ["unit", "text", "unit"],
  ["usd_per_unit", "numeric", "usdPerUnit"],
  ["source", "text", "source"],
  ["as_of", "text", "asOf"],
  ["as_of_date", "date", "asOfDate"],
  ["as_of_precision", "text", "asOfPrecision"],
  ["as_of_bound", "text", "asOfBound"],
  ["as_of_note", "text", "asOfNote"],
  ["pipeline", "text", "pipeline"],
  ["model", "text", "model"],
  ["setting", "text", "setting"],
  ["line", "integer", "line"],
] as const;
const PRICE_KEY = ["provider", "offering", "gpu", "gpu_key", "gpus", "unit", "as_of", "pipeline", "model", "setting"];

const THROUGHPUT_COLS = [
  ["pipeline", "text", "pipeline"],
  ["model", "text", "model"],
  ["setting", "text", "setting"],
  ["gpu", "text", "gpu"],
  ["gpu_key", "text", "gpuKey"],
  ["gpu_seconds_per_output_second", "numeric", "gpuSecondsPerOutputSecond"],
  ["basis", "text", "basis"],
  ["source", "text", "source"],
  ["quality", "text", "quality"],
  ["line", "integer", "line"],
] as const;
const THROUGHPUT_KEY = ["pipeline", "model", "setting", "gpu_key"];

/**
 * Makes `table` hold exactly `rows`: upserts by the natural key (`constraint`), rewriting a row
 * only when a column differs, then deletes rows whose key is not among them. Returns rows changed.
 */
async function replaceRows(
  q: TxQuerier,
  table: string,
  constraint: string,
  cols: readonly (readonly [string, string, string])[],
  key: readonly string[],
  rows: readonly object[],
): Promise<number> {
  const json = JSON.stringify(rows.map((r) => Object.fromEntries(cols.map(([c, , f]) => [c, (r as Record<string, unknown>)[f] ?? null]))));
  const names = cols.map(([c]) => c);
  const recordset = `jsonb_to_recordset($1::jsonb) as r(${cols.map(([c, t]) => `${c} ${t}`).join(", ")})`;
  const rest = names.filter((c) => !key.includes(c));
  const upserted = await q.execute(
    `insert into ${table} (${names.join(", ")}) select ${names.map((c) => `r.${c}`).join(", ")} from ${recordset}
     on conflict on constraint ${constraint} do update set ${rest.map((c) => `${c} = excluded.${c}`).join(", ")}
     where (${rest.map((c) => `${table}.${c}`).join(", ")}) is distinct from (${rest.map((c) => `excluded.${c}`).join(", ")})`,
    [json],
  );
  const deleted = await q.execute(
    `delete from ${table} t where not exists (select 1 from ${recordset} where ${key.map((c) => `r.${c} is not distinct from t.${c}`).join(" and ")})`,
    [json],
  );
  return upserted + deleted;
}

/** Throughput rows that repeat another's (pipeline, model, setting, gpu_key): the parser allows them, the table cannot. */
function throughputKeyProblems(rows: readonly ThroughputRow[], file: string): CatalogueProblem[] {
  const seen = new Map<string, number>();
  const problems: CatalogueProblem[] = [];
  for (const r of rows) {
    const k = JSON.stringify([r.pipeline, r.model, r.setting, r.gpuKey]);
    const first = seen.get(k);
    if (first === undefined) seen.set(k, r.line);
    else
      problems.push({
        file,
        line: r.line,
        field: "gpu_key",
        message: `${file} line ${r.line} (${[r.pipeline, r.model, r.gpu].filter(Boolean).join(" ")}): repeats the figure on line ${first} (same pipeline, model, setting and gpu_key)`,
      });
  }
  return problems;
}

export async function runPrices(db: Db, opts: PricesRunOptions): Promise<PricesRunResult> {
  const files = { prices: path.join(opts.dir, PRICES_FILE), throughput: path.join(opts.dir, THROUGHPUT_FILE) };
  // Hash and parse the same bytes. A file that cannot be read: loadCatalogue reports it as a problem.
  let texts: { prices: string; throughput: string };
  try {
    texts = { prices: await readFile(files.prices, "utf8"), throughput: await readFile(files.throughput, "utf8") };
  } catch {
    await loadCatalogue(opts.dir, { today: opts.today });
    throw new Error(`cannot read the price catalogue in ${opts.dir}`); // unreachable unless the files appeared meanwhile
  }
  const hashes = { prices: sha256(texts.prices), throughput: sha256(texts.throughput) };
  const [meta] = await db.query<{ prices_sha256: string; throughput_sha256: string; price_rows: number; throughput_rows: number }>(
    `select prices_sha256, throughput_sha256, price_rows, throughput_rows from catalogue_meta where id = 1`,
  );
  if (meta && meta.prices_sha256 === hashes.prices && meta.throughput_sha256 === hashes.throughput)
    return { rowsWritten: 0, changed: false, prices: meta.price_rows, throughput: meta.throughput_rows };

  const catalogue: Catalogue = parseCatalogue(texts, { today: opts.today, files }); // throws CatalogueError
  const dupes = throughputKeyProblems(catalogue.throughput, THROUGHPUT_FILE);
  if (dupes.length) throw new CatalogueError(dupes);

  const rowsWritten = await db.tx(async (q) => {
    const n =
      (await replaceRows(q, "cloud_prices", "cloud_prices_offer", PRICE_COLS, PRICE_KEY, catalogue.prices)) +
      (await replaceRows(q, "gpu_throughput", "gpu_throughput_figure", THROUGHPUT_COLS, THROUGHPUT_KEY, catalogue.throughput));
    const age = catalogue.age;
    await q.query(
      `insert into catalogue_meta (id, loaded_at, prices_file, prices_sha256, throughput_file, throughput_sha256, price_rows,
         throughput_rows, newest_as_of, newest_as_of_date, oldest_as_of, oldest_as_of_date)
       values (1, now(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       on conflict (id) do update set loaded_at = excluded.loaded_at, prices_file = excluded.prices_file,
         prices_sha256 = excluded.prices_sha256, throughput_file = excluded.throughput_file,
         throughput_sha256 = excluded.throughput_sha256, price_rows = excluded.price_rows,
         throughput_rows = excluded.throughput_rows, newest_as_of = excluded.newest_as_of,
         newest_as_of_date = excluded.newest_as_of_date, oldest_as_of = excluded.oldest_as_of,
         oldest_as_of_date = excluded.oldest_as_of_date`,
      [
        files.prices,
        hashes.prices,
        files.throughput,
        hashes.throughput,
        catalogue.prices.length,
        catalogue.throughput.length,
        age?.newest.asOf ?? null,
        age?.newest.date ?? null,
        age?.oldest.asOf ?? null,
        age?.oldest.date ?? null,
      ],
    );
    return n;
  });
  opts.log?.(`[${PRICES_SOURCE}] catalogue loaded: ${catalogue.prices.length} prices, ${catalogue.throughput.length} throughput figures, ${rowsWritten} rows changed`);
  return { rowsWritten, changed: true, prices: catalogue.prices.length, throughput: catalogue.throughput.length };
}
