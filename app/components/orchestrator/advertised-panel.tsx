// One orchestrator's advertised state (orchestrators.$address.tsx): its GPUs per pipeline and model,
// every model each of its nodes offers with the exact price, warm state and capacity at the newest
// capabilities poll, and its price history; each block says which source feeds it when it is empty.
// The figures come from app/lib/orchestrator-advertised.server.ts through the page's loader.
import { ExportLinks } from "~/components/export-links";
import { EmptyNote } from "./empty-note";
import { TableWrap } from "~/components/page-header";
import { formatUsdPrecise } from "~/lib/cost-format";
import { exportName } from "~/lib/download-names";
import { formatInt, formatTimestamp } from "~/lib/format";
import { shortDecimal, shortGpuName, weiPerPixelText } from "./advertised-cells";

export interface AdvertisedView {
  asOf: string | null;
  listed: boolean;
  usdRate: { date: string; rateDate: string; usdPerEth: string } | null;
  nodes: (string | null)[];
  gpus: { pipeline: string; modelId: string; name: string; count: number; memoryGb: number | null }[];
  gpusByName: { name: string; count: number; memoryGb: number | null }[];
  models: {
    url: string | null;
    pipeline: string;
    modelId: string;
    unit: string | null;
    priceWeiPerUnit: string | null;
    pricePerUnit: string | null;
    pixelsPerUnit: string | null;
    usdPerVideoHour: string | null;
    warm: boolean | null;
    capacity: number | null;
    capacityInUse: number | null;
  }[];
  priceHistory: {
    url: string | null;
    pipeline: string;
    modelId: string;
    priceWeiPerUnit: string | null;
    usdPerVideoHour: string | null;
    rateDate: string | null;
    from: string;
    to: string | null;
  }[];
  priceHistoryOmitted: number;
}

/** Periods shown per node, pipeline and model on the page (the JSON and CSV have more). */
const PERIODS_SHOWN = 10;

const SOURCE =
  "GPUs, models and prices come from what orchestrators advertise to a go-livepeer gateway: set GATEWAY_CAPABILITIES_URL (its /getNetworkCapabilities, polled on every indexer run), or send network_capabilities gateway events.";

/** A price as advertised: "1,588 wei/px" for live video, else wei per unit of the pipeline. */
function priceText(weiPerUnit: string | null, unit: string | null): string {
  if (weiPerUnit === null) return "not priced";
  return unit === "pixel" ? weiPerPixelText(weiPerUnit) : `${shortDecimal(weiPerUnit)} wei/unit`;
}

const day = (iso: string | null) => (iso === null ? "now" : formatTimestamp(iso).replace(/:\d\d UTC$/, " UTC"));

/** `range`: the page's, carried by the CSV and JSON links (the files are named after it; the figures are the newest poll's). */
export function AdvertisedPanel({ a, address, range }: { a: AdvertisedView; address: string; range: { from: string; to: string } }) {
  const multiNode = new Set(a.models.map((m) => m.url)).size > 1 || new Set(a.priceHistory.map((p) => p.url)).size > 1;
  const series = new Map<string, AdvertisedView["priceHistory"]>();
  for (const p of a.priceHistory) {
    const k = `${p.pipeline}\t${p.modelId}\t${p.url ?? ""}`;
    series.set(k, [...(series.get(k) ?? []), p]);
  }
  const api = `/api/orchestrators/${address}`;
  const live = a.models.some((m) => m.unit === "pixel");
  return (
    <section className="panel" aria-labelledby="advertised-title">
      <h2 id="advertised-title">Advertised: GPUs, models and prices</h2>
      {a.asOf === null ? (
        <EmptyNote>No capabilities are indexed yet. {SOURCE}</EmptyNote>
      ) : (
        <>
          <p className="muted">
            As advertised at the newest capabilities poll, {formatTimestamp(a.asOf)}
            {a.listed ? `, by ${a.nodes.length === 1 ? "one node" : `${a.nodes.length} nodes`}` : ""}.
            {live ? " Live video is priced per pixel: an hour of 1280x720x30 video is 27,648,000 pixels a second for 3,600 seconds" : ""}
            {live ? (a.usdRate ? `, at ${a.usdRate.usdPerEth} USD/ETH (${a.usdRate.rateDate}).` : " (no ETH/USD rate indexed, so no USD).") : ""}
          </p>
          {!a.listed ? (
            <EmptyNote>
              The newest poll does not list this orchestrator: no gateway answer names it now{a.priceHistory.length ? "; its earlier prices are below" : ""}. {SOURCE}
            </EmptyNote>
          ) : (
            <>
              <h3>GPUs</h3>
              {a.gpus.length === 0 ? (
                <p>It lists no GPU in its capabilities.</p>
              ) : (
                <>
                  <p data-testid="gpu-summary">
                    {a.gpusByName.map((g) => `${g.count} × ${shortGpuName(g.name)}${g.memoryGb === null ? "" : ` (${g.memoryGb} GB)`}`).join(", ")}
                  </p>
                  <TableWrap label="GPUs per pipeline and model">
                    <table>
                      <thead>
                        <tr>
                          <th>Pipeline</th>
                          <th>Model</th>
                          <th>GPU</th>
                          <th className="r">Memory</th>
                          <th className="r">Count</th>
                        </tr>
                      </thead>
                      <tbody>
                        {a.gpus.map((g) => (
                          <tr key={`${g.pipeline}\t${g.modelId}\t${g.name}`}>
                            <td>{g.pipeline}</td>
                            <td className="uri">{g.modelId}</td>
                            <td title={g.name}>{g.name}</td>
                            <td className="r">{g.memoryGb === null ? "—" : `${g.memoryGb} GB`}</td>
                            <td className="r">{formatInt(g.count)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </TableWrap>
                  <ExportLinks path={api} params={{ from: range.from, to: range.to, table: "gpus" }} label="GPUs" filename={exportName(`orchestrator-${address}-gpus`, range)} />
                </>
              )}
              <h3>Models and prices</h3>
              <TableWrap label="Advertised models and prices">
                <table>
                  <thead>
                    <tr>
                      {multiNode ? <th>Node</th> : null}
                      <th>Pipeline</th>
                      <th>Model</th>
                      <th className="r" title="pricePerUnit / pixelsPerUnit, exact in the title">
                        Price
                      </th>
                      <th className="r" title="Live video: USD per hour of 1280x720x30 video">
                        USD / video hour
                      </th>
                      <th>Warm</th>
                      <th className="r" title="Capacity in use / capacity, as advertised">
                        In use / capacity
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {a.models.map((m) => (
                      <tr key={`${m.url}\t${m.pipeline}\t${m.modelId}`}>
                        {multiNode ? <td className="uri">{m.url ?? "—"}</td> : null}
                        <td>{m.pipeline}</td>
                        <td className="uri">{m.modelId}</td>
                        <td className="r num" title={m.priceWeiPerUnit === null ? undefined : `${m.pricePerUnit} / ${m.pixelsPerUnit ?? 1} = ${m.priceWeiPerUnit} wei per ${m.unit ?? "unit"}`}>
                          {priceText(m.priceWeiPerUnit, m.unit)}
                        </td>
                        <td className="r num" title={m.usdPerVideoHour ?? undefined}>
                          {m.usdPerVideoHour === null ? <span className="muted">—</span> : formatUsdPrecise(m.usdPerVideoHour)}
                        </td>
                        <td>{m.warm === null ? <span className="muted">—</span> : m.warm ? "warm" : "cold"}</td>
                        <td className="r">
                          {m.capacityInUse === null && m.capacity === null ? <span className="muted">—</span> : `${m.capacityInUse ?? "—"} / ${m.capacity ?? "—"}`}
                        </td>
                      </tr>
                    ))}
                    {a.models.length === 0 ? (
                      <tr>
                        <td colSpan={multiNode ? 7 : 6} className="muted">
                          It advertises no AI pipeline (transcoding only).
                        </td>
                      </tr>
                    ) : null}
                  </tbody>
                </table>
              </TableWrap>
              <ExportLinks path={api} params={{ from: range.from, to: range.to, table: "advertised" }} label="Models and prices" filename={exportName(`orchestrator-${address}-advertised`, range)} />
            </>
          )}
          <h3>Price history</h3>
          {a.priceHistory.length === 0 ? (
            <p>No advertised price is recorded for it.</p>
          ) : (
            <>
              <TableWrap label="Advertised price history">
                <table>
                  <thead>
                    <tr>
                      <th>Pipeline and model</th>
                      {multiNode ? <th>Node</th> : null}
                      <th>From</th>
                      <th>Until</th>
                      <th className="r">Price</th>
                      <th className="r" title="Live video: USD per hour of video at the ETH/USD of the day the price began">
                        USD / video hour
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {[...series.values()].flatMap((ps) =>
                      ps.slice(-PERIODS_SHOWN).reverse().map((p, i) => (
                        <tr key={`${p.pipeline}\t${p.modelId}\t${p.url}\t${p.from}`}>
                          <td className="uri">{i === 0 ? `${p.pipeline} ${p.modelId}` : ""}</td>
                          {multiNode ? <td className="uri">{i === 0 ? (p.url ?? "—") : ""}</td> : null}
                          <td className="nowrap">{day(p.from)}</td>
                          <td className="nowrap">{day(p.to)}</td>
                          <td className="r num" title={p.priceWeiPerUnit ?? undefined}>
                            {priceText(p.priceWeiPerUnit, p.pipeline === "live-video-to-video" ? "pixel" : null)}
                          </td>
                          <td className="r num" title={p.rateDate ? `at the ETH/USD of ${p.rateDate}` : undefined}>
                            {p.usdPerVideoHour === null ? <span className="muted">—</span> : formatUsdPrecise(p.usdPerVideoHour)}
                          </td>
                        </tr>
                      )),
                    )}
                  </tbody>
                </table>
              </TableWrap>
              <p className="muted">
                Newest first; a new line each time the advertised price changes (or the model comes back after leaving). At most {PERIODS_SHOWN} per model here
                {a.priceHistoryOmitted ? `; ${formatInt(a.priceHistoryOmitted)} older periods are left out of the JSON and CSV too` : ""}.
              </p>
              <ExportLinks path={api} params={{ from: range.from, to: range.to, table: "prices" }} label="Price history" filename={exportName(`orchestrator-${address}-prices`, range)} />
            </>
          )}
        </>
      )}
    </section>
  );
}
