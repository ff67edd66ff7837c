// How /cloud computes and what to keep in mind: the caveats, the method step by step (so it can be
// checked by hand), and links to the other pipelines.
import { Link, useSearchParams } from "@remix-run/react";
import { ExportLinks } from "~/components/export-links";
import { formatEthPrecise } from "~/lib/cost-format";
import { exportName } from "~/lib/download-names";
import { roundDecimal } from "~/lib/format";
import { withParams } from "~/lib/url";
import { seconds, type CloudChoice, type CloudComparison } from "./offers";

export function CaveatsPanel({ utilization }: { utilization: string }) {
  return (
    <section className="panel" aria-labelledby="caveats-title">
      <h2 id="caveats-title">Caveats</h2>
      <ul>
        <li>Livepeer's figure is the price gateways were quoted and paid per job (expected fees); winning tickets settle it with lottery noise.</li>
        <li>A recommended or list price is not the price a customer is charged: cloud discounts, spot prices and Livepeer's free tier all differ.</li>
        <li>ETH/USD moves: the same wei costs a different number of dollars on another day.</li>
        <li>Live video is billed as 1280 x 720 x 30 pixels per second whatever its real resolution.</li>
        <li>
          A rented GPU is paid for while idle. At {utilization} utilization each useful second costs {roundDecimal(String(1 / Number(utilization)), 2)}x the
          busy-second price; 1.0 is the floor. Livepeer's orchestrators carry their idle time themselves.
        </li>
        <li>Published figures are dated. Throughput figures marked estimate or assumption are not measurements.</li>
        <li>Where the model, resolution, frames or fps differ, the row says so; it is not rescaled.</li>
      </ul>
    </section>
  );
}

export function MethodPanel({
  comparison: c,
  choices,
  pipeline,
  modelId,
  range,
}: {
  comparison: CloudComparison;
  choices: CloudChoice[];
  pipeline: string | null;
  modelId: string | null;
  range: { from: string; to: string };
}) {
  const [sp] = useSearchParams();
  const lp = c.livepeer;
  const video = lp.output === "video-seconds";
  const lpFigure = video ? lp.usdPerVideoSecond : lp.usdPerMegapixel;
  return (
    <section className="panel" aria-labelledby="method-title">
      <h2 id="method-title">Method</h2>
      <ol>
        <li>
          Livepeer: fees of successful priced jobs that produced video (computed_fee, else billable units x price_per_unit / pixels_per_unit, in wei),
          summed, over the same jobs' output seconds (output_seconds, else frames / fps), summed: {lp.feesEth} ETH / {seconds(lp.outputSeconds)} s ={" "}
          {formatEthPrecise(lp.ethPerVideoSecond, 6)} per second. USD converts each day's fees at that day's rate before dividing. Never a mean of
          per-job ratios.
        </li>
        <li>Rented GPU (hyperscaler, neocloud, marketplace): USD per GPU-hour / 3600 x GPU-seconds per output second / utilization.</li>
        <li>Serverless per second: USD per GPU-second x GPU-seconds per output second (billed only while busy).</li>
        <li>Hosted API: its published price per output second (per-pixel prices converted at Livepeer's own setting).</li>
        <li>
          Against Livepeer: the offer's USD divided by Livepeer's. Above 1, Livepeer is cheaper. Hover a price for its arithmetic, or download the
          CSV: every row carries its basis.
        </li>
      </ol>
      <p>
        Other pipelines:{" "}
        {choices
          .filter((ch) => ch.pipeline !== pipeline || ch.modelId !== modelId)
          .map((ch, i) => (
            <span key={i}>
              {i ? ", " : ""}
              <Link to={withParams("/cloud", { ...Object.fromEntries(sp), pm: null, pipeline: ch.pipeline, model: ch.modelId })}>
                {ch.pipeline} · {ch.modelId.split("/").pop()}
              </Link>
            </span>
          ))}
      </p>
      <p className="muted">
        Prices and throughput figures live in indexer/data/*.csv; the prices source loads them when they change.
        {lpFigure === null ? " Livepeer's figure is missing because some day had no ETH/USD rate." : ""}
      </p>
      <ExportLinks
        path="/api/cost"
        params={{ from: range.from, to: range.to }}
        label="Livepeer's cost per pipeline and model"
        filename={exportName("cost", range)}
      />
    </section>
  );
}
