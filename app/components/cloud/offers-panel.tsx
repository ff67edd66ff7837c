// Every catalogue offer /cloud compared, converted to USD per output unit, and those left out with why.
import { DownloadLinks } from "~/components/download-links";
import { EmptyRow, TableWrap } from "~/components/page-header";
import { formatUsdPrecise, ratioWords } from "~/lib/cost-format";
import { metricUnit, offerName, offersByStatus, type CloudComparison, type CloudParams } from "./offers";

export function OffersPanel({ comparison: c, params }: { comparison: CloudComparison; params: CloudParams }) {
  const video = c.livepeer.output === "video-seconds";
  const { compared, references, excluded } = offersByStatus(c.offers);
  return (
    <section className="panel" aria-labelledby="offers-title">
      <h2 id="offers-title">Offers compared</h2>
      <TableWrap label="Cloud offers converted to USD per output unit">
        <table>
          <thead>
            <tr>
              <th>Class</th>
              <th>Provider · offering</th>
              <th className="r">USD per {video ? "video second" : "unit"}</th>
              <th>Against Livepeer</th>
              <th className="r" title="GPU-seconds per second of output">GPU-s / s</th>
              <th>Throughput quality</th>
              <th>Like for like?</th>
              <th>Price as of</th>
            </tr>
          </thead>
          <tbody>
            {[...compared, ...references].map((o, i) => (
              <tr key={i}>
                <td>{o.classLabel}</td>
                <td className="uri">{offerName(o)}</td>
                <td className="r num" title={o.basis}>
                  {formatUsdPrecise(o.usd)}
                  {o.metric !== "usd_per_video_second" ? ` / ${metricUnit[o.metric]}` : ""}
                </td>
                <td>{o.status === "reference" ? "Livepeer's published price" : ratioWords(o.ratioToLivepeer)}</td>
                <td className="r num">{o.gpuSecondsPerOutputSecond ?? "—"}</td>
                <td>{o.throughputQuality ?? (o.gpuSecondsPerOutputSecond ? "" : "published price")}</td>
                <td title={o.differences.join("; ")}>{o.comparability ?? "—"}</td>
                <td>
                  {o.asOf}
                  {o.historical ? " (historical)" : ""}
                </td>
              </tr>
            ))}
            {compared.length + references.length === 0 ? <EmptyRow columns={8}>No offer in the catalogue converts to this pipeline's unit.</EmptyRow> : null}
          </tbody>
        </table>
      </TableWrap>
      {excluded.length ? (
        <details>
          <summary>{excluded.length} offers left out, and why</summary>
          <ul>
            {excluded.map((o, i) => (
              <li key={i}>
                {offerName(o)}: {o.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <DownloadLinks path="/api/cloud-comparison" params={params} />
    </section>
  );
}
