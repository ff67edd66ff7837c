// The two "fees by X over a range" endpoints differ only in their query and CSV columns.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { feeTotals } from "../../db/queries/fees";
import type { CsvCell } from "./csv.server";
import { dbFrom, type Db } from "./context.server";
import { provenance } from "./download-provenance.server";
import { apiLoader, csvResponse, jsonResponse, wantsCsv } from "./http.server";
import { asOf, getIndexState } from "./index-state.server";
import { DEFAULT_RANGE_DAYS, parseRange, type DayRange } from "./params.server";

export function feeBreakdownLoader<R>(spec: {
  name: string;
  query: (db: Db, range: DayRange) => Promise<R[]>;
  csvHeader: string[];
  csvRow: (r: R) => CsvCell[];
}): (args: LoaderFunctionArgs) => Promise<Response> {
  return apiLoader(async ({ request, context }) => {
    const db = dbFrom(context);
    const url = new URL(request.url);
    const csv = wantsCsv(url);
    const state = await getIndexState(db);
    const range = parseRange(url, { latestDay: state.latestDay, defaultDays: DEFAULT_RANGE_DAYS });
    const rows = await spec.query(db, range);
    if (csv) return csvResponse(`${spec.name}-${range.from}_${range.to}.csv`, spec.csvHeader, rows.map(spec.csvRow));
    const totals = await feeTotals(db, range);
    const prov = provenance(url, { source: "subgraph", name: `${spec.name}-${range.from}_${range.to}`, range, state });
    return jsonResponse({ from: range.from, to: range.to, rows, totals, asOf: asOf(state), provenance: prov });
  });
}
