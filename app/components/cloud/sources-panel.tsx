// Where /cloud's figures come from: the price catalogue, each source and date with the offers it
// priced, the throughput figures used, and the ETH/USD rates of Livepeer's fees.
import { ExportLinks } from "~/components/export-links";
import { TableWrap } from "~/components/page-header";
import { formatUsdPrecise } from "~/lib/cost-format";
import { exportName } from "~/lib/download-names";
import { formatInt, formatTimestamp } from "~/lib/format";
import { offerName, offersByStatus, type CloudComparison, type CloudParams } from "./offers";

export function SourcesPanel({
  comparison: c,
  catalogueAgeDays,
  range,
  params,
}: {
  comparison: CloudComparison;
  catalogueAgeDays: number | null;
  range: { from: string; to: string };
  params: CloudParams;
}) {
  const lp = c.livepeer;
  const { compared, references } = offersByStatus(c.offers);
  // Sources, one row per (source, date): which offers each one priced.
  const bySource = new Map<string, { source: string; asOf: string; offers: string[] }>();
  for (const o of [...compared, ...references]) {
    const k = `${o.source}\t${o.asOf}`;
    const e = bySource.get(k) ?? { source: o.source, asOf: o.asOf, offers: [] };
    e.offers.push(offerName(o));
    bySource.set(k, e);
  }
  const usedThroughput = [
    ...new Map(compared.filter((o) => o.gpuSecondsPerOutputSecond !== null).map((o) => [`${o.throughputSource}\t${o.gpuSecondsPerOutputSecond}`, o])).values(),
  ];
  return (
    <section className="panel" aria-labelledby="sources-title">
      <h2 id="sources-title">Sources</h2>
      <p>
        Price catalogue: {c.catalogue ? `${c.catalogue.priceRows} prices and ${c.catalogue.throughputRows} throughput figures, ` : "not loaded, "}
        {c.catalogue ? (
          <>
            prices dated {c.catalogue.oldestAsOf} to {c.catalogue.newestAsOf}
            {catalogueAgeDays !== null ? ` (newest ${formatInt(catalogueAgeDays)} days old)` : ""}, loaded {formatTimestamp(c.catalogue.loadedAt)}.
          </>
        ) : (
          "run the indexer (the prices source loads indexer/data)."
        )}
      </p>
      <TableWrap label="Prices used, with source and date">
        <table>
          <thead>
            <tr>
              <th>Source</th>
              <th>As of</th>
              <th>Offers priced from it</th>
            </tr>
          </thead>
          <tbody>
            {[...bySource.values()].map((e, i) => (
              <tr key={i}>
                <td className="uri">{e.source}</td>
                <td>{e.asOf}</td>
                <td>{e.offers.length > 3 ? `${e.offers.slice(0, 3).join("; ")} and ${e.offers.length - 3} more` : e.offers.join("; ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <ExportLinks
        path="/api/cloud-comparison"
        params={{ ...params, table: "sources" }}
        label="Sources"
        filename={exportName("cloud-sources", range, c.pipeline)}
      />
      {usedThroughput.length ? (
        <TableWrap label="Throughput figures used">
          <table>
            <thead>
              <tr>
                <th className="r">GPU-s per output s</th>
                <th>Quality</th>
                <th>Basis</th>
                <th>Source</th>
              </tr>
            </thead>
            <tbody>
              {usedThroughput.map((o, i) => (
                <tr key={i}>
                  <td className="r num">{o.gpuSecondsPerOutputSecond}</td>
                  <td>{o.throughputQuality}</td>
                  <td>{o.throughputBasis}</td>
                  <td className="uri">{o.throughputSource}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      <p className="muted">
        Livepeer's ETH/USD: each UTC day's fees at that day's Day.volumeUSD / Day.volumeETH from the subgraph
        {lp.rates.usdPerEthMin ? `, between ${formatUsdPrecise(lp.rates.usdPerEthMin)} and ${formatUsdPrecise(lp.rates.usdPerEthMax)} per ETH over ${lp.rates.days} days` : ""}.
        {lp.rates.fallbacks.length
          ? ` ${lp.rates.fallbacks.length} days had no Day and used the nearest day's rate: ${lp.rates.fallbacks.map((f) => `${f.date} → ${f.rateDate}`).join(", ")}.`
          : ""}
        {lp.rates.daysWithoutRate.length ? ` No rate at all for ${lp.rates.daysWithoutRate.join(", ")}: USD figures are not shown.` : ""}
      </p>
    </section>
  );
}
