// Reads the price catalogue's two CSV files (cloud-prices.csv, gpu-throughput.csv; shipped in
// indexer/data/) from a directory and parses them with core/catalogue.ts, where the parsing,
// validation and refusal of unsourced rows live. A file that cannot be read is one more problem
// of the load, listed with the rows' problems. docs/decisions/006.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { CatalogueError, catalogueProblem, parseCatalogue, PRICES_FILE, THROUGHPUT_FILE, type Catalogue, type CatalogueProblem } from "../core/catalogue";

/** Reads `dir`/cloud-prices.csv and `dir`/gpu-throughput.csv (UTF-8) and parses them (see parseCatalogue). */
export async function loadCatalogue(dir: string, opts: { today?: Date | string } = {}): Promise<Catalogue> {
  const files = { prices: path.join(dir, PRICES_FILE), throughput: path.join(dir, THROUGHPUT_FILE) };
  const problems: CatalogueProblem[] = [];
  const read = async (p: string) => {
    try {
      return await readFile(p, "utf8");
    } catch (e) {
      problems.push(catalogueProblem(path.basename(p), 0, null, `cannot be read from ${p}: ${(e as Error).message}`));
      return null;
    }
  };
  const [prices, throughput] = await Promise.all([read(files.prices), read(files.throughput)]);
  if (prices === null || throughput === null) throw new CatalogueError(problems);
  return parseCatalogue({ prices, throughput }, { today: opts.today, files });
}
