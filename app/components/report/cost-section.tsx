// The report's cost section: Livepeer's USD per video second next to the cheapest cloud offer of each class.
import { EmptyRow, TableWrap } from "~/components/page-header";
import { formatInt, formatTimestamp } from "~/lib/format";
import type { ReportFigures } from "~/lib/reports.server";
import { seconds, significant } from "./numbers";

export function CostSection({ figures: f }: { figures: ReportFigures }) {
  const c = f.cost;
  return (
    <section className="panel report-section report-page" aria-labelledby="report-cost">
      <h2 id="report-cost">Cost per second of video: Livepeer vs cloud</h2>
      {c === null || c.rows.length === 0 ? (
        <p>No cost comparison in this report: {f.costUnavailable ?? "unavailable"}.</p>
      ) : (
        <>
          <p className="muted">
            Livepeer: fees over output seconds of the same successful priced jobs, at each day's subgraph ETH price. Cloud: the cheapest sourced offer
            per class, per second of output; rented GPUs at utilisation {c.utilization}. Ratio above 1 means Livepeer is cheaper.
            {c.catalogue
              ? ` Prices as of ${c.catalogue.oldestAsOf ?? "?"} – ${c.catalogue.newestAsOf ?? "?"}, catalogue loaded ${formatTimestamp(c.catalogue.loadedAt)}.`
              : " No price catalogue is loaded."}
          </p>
          <TableWrap label="Cost per video second">
            <table>
              <thead>
                <tr>
                  <th>Pipeline · model</th>
                  <th className="r">Jobs</th>
                  <th className="r">Output seconds</th>
                  <th className="r">Livepeer USD/s</th>
                  <th>Cloud class: cheapest offer (USD/s, ratio, source, as of)</th>
                </tr>
              </thead>
              <tbody>
                {c.rows.map((r) => (
                  <tr key={`${r.pipeline}\t${r.modelId}`}>
                    <td>
                      {r.pipeline} <div className="muted uri">{r.modelId}</div>
                    </td>
                    <td className="r">{formatInt(r.jobs)}</td>
                    <td className="r num">{seconds(r.outputSeconds)}</td>
                    <td className="r num" title={r.livepeerUsdPerVideoSecond ?? undefined}>
                      {r.livepeerUsdPerVideoSecond === null ? "—" : `$${significant(r.livepeerUsdPerVideoSecond)}`}
                    </td>
                    <td>
                      <ul className="report-classes">
                        {r.classes.map((k) => (
                          <li key={k.class}>
                            <strong>{k.label}</strong>:{" "}
                            {k.cheapest ? (
                              <>
                                <span title={k.cheapest.usdPerVideoSecond}>${significant(k.cheapest.usdPerVideoSecond)}</span>
                                {k.cheapest.ratioToLivepeer !== null ? <> (× {significant(k.cheapest.ratioToLivepeer, 3)})</> : null}, {k.cheapest.provider}{" "}
                                {k.cheapest.offering}
                                {k.cheapest.comparability ? <em> · {k.cheapest.comparability}</em> : null}{" "}
                                <span className="muted">
                                  ({k.cheapest.source}, as of {k.cheapest.asOf}; {k.offers} compared offer{k.offers === 1 ? "" : "s"})
                                </span>
                              </>
                            ) : (
                              <span className="muted">no comparable offer</span>
                            )}
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
                {c.rows.length === 0 ? <EmptyRow columns={5}>No priced video jobs in the period.</EmptyRow> : null}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
    </section>
  );
}
