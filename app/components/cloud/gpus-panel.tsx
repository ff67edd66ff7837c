// /cloud's "By GPU" section: for every GPU model the network reports, what renting it costs per hour
// against what its orchestrators charge per hour of live video (advertised and realized), one stream
// per GPU unless capacity says more; each GPU's catalogue offers with provider, source and date, and
// "no dated price in the catalogue" where there is none. Figures: app/lib/cloud-gpus.server.ts.
import { ExportLinks } from "~/components/export-links";
import { EmptyRow, TableWrap } from "~/components/page-header";
import type { CloudGpus, GpuComparison, Rental } from "~/lib/cloud-gpus.server";
import { formatEthPrecise, formatUsdPrecise, ratioWords } from "~/lib/cost-format";
import { exportName } from "~/lib/download-names";
import { formatInt, formatTimestamp } from "~/lib/format";

/** The loader's data after serialisation (plain JSON). */
type Gpus = Pick<CloudGpus, "range" | "at" | "asOf" | "usdRate" | "gpus" | "liveOffersWithoutGpu" | "unattributed">;

/** Billable seconds as hours, for display (two decimals below 10 h). */
const hours = (secs: string) => {
  const h = Number(secs) / 3600;
  return h >= 10 ? formatInt(Math.round(h)) : h.toFixed(2);
};

function Advertised({ g }: { g: GpuComparison }) {
  const l = g.live;
  if (!l) return <span className="muted">serves no live video</span>;
  if (!l.priceWeiPerPixel) return <span className="muted">no priced offer</span>;
  const usd = l.usdPerVideoHour;
  const same = l.priceWeiPerPixel.min === l.priceWeiPerPixel.max;
  return (
    <span title={`${l.priceWeiPerPixel.min} to ${l.priceWeiPerPixel.max} wei per pixel over ${l.offers} offers; median ${l.priceWeiPerPixel.median}`}>
      <strong>{usd ? formatUsdPrecise(usd.median) : formatEthPrecise(l.ethPerVideoHour!.median)}</strong>
      {same ? "" : ` (${usd ? `${formatUsdPrecise(usd.min)}–${formatUsdPrecise(usd.max)}` : `${formatEthPrecise(l.ethPerVideoHour!.min)}–${formatEthPrecise(l.ethPerVideoHour!.max)}`})`}
      <br />
      <span className="muted">
        {l.priceWeiPerPixel.median} wei/pixel, {l.offers} offer{l.offers === 1 ? "" : "s"}
      </span>
      <br />
      <span className="muted" title={l.streamsBasis}>
        {l.streamsPerGpu === "1" ? "one stream per GPU" : `${l.streamsPerGpu} streams per GPU (capacity)`}
      </span>
    </span>
  );
}

function Realized({ g }: { g: GpuComparison }) {
  const r = g.realized;
  if (!r) return <span className="muted">{g.live ? "no payments in the window" : "—"}</span>;
  return (
    <span title={`${r.feesEth} ETH over ${r.billableSeconds} billable seconds from ${r.payments} payments to ${r.orchestrators} orchestrators`}>
      <strong>{r.usdPerVideoHour ? formatUsdPrecise(r.usdPerVideoHour) : formatEthPrecise(r.ethPerVideoHour)}</strong>
      <br />
      <span className="muted">
        {hours(r.billableSeconds)} h paid, {formatInt(r.payments)} payments
      </span>
    </span>
  );
}

/** A source as its host when long (the whole text in the tooltip, the CSV and the JSON). */
const shortSource = (source: string) => (source.length <= 32 ? source : `${source.split(/[/ ]/)[0]}/…`);

const offerText = (r: Rental) => `${r.provider} · ${r.offering}${r.gpu ? ` (${r.gpu})` : ""}`;

function Cheapest({ g }: { g: GpuComparison }) {
  const r = g.cheapest;
  if (!r) return <span className="muted">{g.noPrice}</span>;
  return (
    <span title={r.basis}>
      <strong>{formatUsdPrecise(r.usdPerStreamHour)}</strong> {offerText(r)}
      {r.variantDifferences.length ? <span className="muted"> ({r.variantDifferences.join(", ")})</span> : null}
      <br />
      <span className="muted">
        {r.asOf}
        {r.historical ? " (historical)" : ""} · <span title={r.source}>{shortSource(r.source)}</span>
      </span>
      {g.live ? (
        <>
          <br />
          Against advertised: <strong>{ratioWords(r.ratioToAdvertised)}</strong>
          {g.realized ? (
            <>
              ; realized: <strong>{ratioWords(r.ratioToRealized)}</strong>
            </>
          ) : null}
        </>
      ) : null}
    </span>
  );
}

function RentalsTable({ g }: { g: GpuComparison }) {
  return (
    <TableWrap label={`Catalogue offers for ${g.name}`}>
      <table>
        <thead>
          <tr>
            <th>Class</th>
            <th>Provider · offering</th>
            <th className="r">USD per GPU-hour</th>
            <th className="r">USD per stream-hour</th>
            <th>Against advertised</th>
            <th>Against realized</th>
            <th>Variant</th>
            <th>Source</th>
            <th>As of</th>
          </tr>
        </thead>
        <tbody>
          {g.rentals.map((r, i) => (
            <tr key={i}>
              <td>{r.classLabel}</td>
              <td>{offerText(r)}</td>
              <td className="r num" title={r.basis}>
                {formatUsdPrecise(r.usdPerGpuHour)}
              </td>
              <td className="r num">{formatUsdPrecise(r.usdPerStreamHour)}</td>
              <td>{ratioWords(r.ratioToAdvertised)}</td>
              <td>{ratioWords(r.ratioToRealized)}</td>
              <td>{r.variantDifferences.length ? r.variantDifferences.join(", ") : "same as stated"}</td>
              <td title={r.source}>{shortSource(r.source)}</td>
              <td>
                {r.asOf}
                {r.historical ? " (historical)" : ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

export function GpusPanel({ gpus: c, params }: { gpus: Gpus; params: Record<string, string | null> }) {
  const live = c.gpus.filter((g) => g.live);
  const streamsNote = live.filter((g) => g.live!.nodesAboveOnePerGpu > 0);
  const { mixed, unknown } = c.unattributed;
  return (
    <section className="panel" aria-labelledby="gpus-title">
      <h2 id="gpus-title">By GPU</h2>
      {c.asOf === null ? (
        <p>
          No orchestrator capabilities have been polled, so the network's GPUs are not known. Set GATEWAY_CAPABILITIES_URL (a gateway's
          /getNetworkCapabilities) or send network_capabilities events; see /network.
        </p>
      ) : (
        <>
          <p>
            Every GPU model the orchestrators report (capabilities as of {formatTimestamp(c.asOf)}): what renting it costs per hour, against what its
            orchestrators charge for an hour of live video. Advertised: their price in wei per pixel x 27,648,000 pixels per second x 3600, at{" "}
            {c.usdRate ? `${formatUsdPrecise(c.usdRate.usdPerEth)} per ETH (the subgraph's rate of ${c.usdRate.rateDate})` : "no USD rate (shown in ETH)"}.
            Realized: fees over billable seconds of gateway payments between {c.range.from} and {c.range.to}, to orchestrators whose live-video GPUs are
            all of that model. One stream per GPU
            {streamsNote.length
              ? `, except where capacity says more: ${streamsNote.map((g) => `${g.label} ${g.live!.streamsPerGpu} streams per GPU`).join(", ")} (a GPU's rental is divided by its streams)`
              : " (no node advertises more capacity than GPUs)"}
            . A rented GPU is taken as busy the whole hour (the page's utilization does not apply here).
          </p>
          <TableWrap label="GPU models: rental per hour against live video per hour">
            <table>
              <thead>
                <tr>
                  <th>GPU</th>
                  <th>On the network</th>
                  <th>Advertised per hour of video</th>
                  <th>Realized per hour of video</th>
                  <th>Cheapest rental per stream-hour</th>
                </tr>
              </thead>
              <tbody>
                {c.gpus.map((g) => (
                  <tr key={g.name}>
                    <td>
                      {g.name}
                      <br />
                      <span className="muted">
                        {g.gpuKey ?? "name not recognised"}
                        {g.memoryGb !== null ? ` · ${g.memoryGb} GB` : ""}
                      </span>
                    </td>
                    <td>
                      {formatInt(g.orchestrators)} orchestrator{g.orchestrators === 1 ? "" : "s"} · {formatInt(g.gpus)} GPU{g.gpus === 1 ? "" : "s"}
                      <br />
                      <span className="muted">{g.live ? `live video: ${formatInt(g.live.orchestrators)} · ${formatInt(g.live.gpus)}` : "no live video"}</span>
                    </td>
                    <td>
                      <Advertised g={g} />
                    </td>
                    <td>
                      <Realized g={g} />
                    </td>
                    <td>
                      <Cheapest g={g} />
                    </td>
                  </tr>
                ))}
                {c.gpus.length === 0 ? <EmptyRow columns={5}>No node reports a GPU in these capabilities.</EmptyRow> : null}
              </tbody>
            </table>
          </TableWrap>
          {c.gpus
            .filter((g) => g.rentals.length)
            .map((g) => (
              <details key={g.name}>
                <summary>
                  {g.name}: {g.rentals.length} catalogue offer{g.rentals.length === 1 ? "" : "s"}
                </summary>
                <RentalsTable g={g} />
              </details>
            ))}
          <p className="muted">
            Ratios are the rental per stream-hour over Livepeer's price per hour of video: above 1, Livepeer is cheaper. GPUs without an offer say "no
            dated price in the catalogue" (indexer/data/cloud-prices.csv lists only dated, sourced prices).
            {c.liveOffersWithoutGpu
              ? c.liveOffersWithoutGpu === 1
                ? " 1 priced live-video offer comes from a node that reports no GPU and is in no row."
                : ` ${c.liveOffersWithoutGpu} priced live-video offers come from nodes that report no GPU and are in no row.`
              : ""}
            {mixed.payments ? ` ${formatInt(mixed.payments)} payments (${hours(mixed.billableSeconds)} h) went to ${mixed.orchestrators} orchestrators running several GPU models and are in no row.` : ""}
            {unknown.payments ? ` ${formatInt(unknown.payments)} payments (${hours(unknown.billableSeconds)} h) went to ${unknown.orchestrators} orchestrators reporting no live-video GPU in these capabilities.` : ""}
          </p>
          <ExportLinks path="/api/cloud/gpus" params={params} label="GPU models" filename={exportName("cloud-gpus", c.range)} />
          <ExportLinks path="/api/cloud/gpus" params={{ ...params, table: "offers" }} label="Catalogue offers by GPU" filename={exportName("cloud-gpu-offers", c.range)} />
        </>
      )}
    </section>
  );
}
