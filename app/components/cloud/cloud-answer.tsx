// The answer of /cloud in key numbers: Livepeer's realized price per video second (or megapixel), the
// jobs behind it, and the cheapest offer of each cloud class against it.
import { formatEthPrecise, formatUsdPrecise, ratioWords } from "~/lib/cost-format";
import { formatInt } from "~/lib/format";
import { metricUnit, offerName, seconds, type ClassCheapest, type CloudComparison } from "./offers";

export function CloudAnswer({ comparison: c, classes }: { comparison: CloudComparison; classes: ClassCheapest[] }) {
  const lp = c.livepeer;
  const video = lp.output === "video-seconds";
  const setting = lp.setting;
  const settingText = setting
    ? [
        setting.width && setting.height ? `${setting.width}x${setting.height}` : null,
        setting.frames ? `${setting.frames} frames` : null,
        setting.fps ? `${setting.fps} fps` : null,
      ]
        .filter(Boolean)
        .join(", ") || "no output size logged"
    : "no successful jobs";
  return (
    <section className="panel" aria-labelledby="answer-title">
      <h2 id="answer-title">
        {c.pipeline} · {c.modelId}
      </h2>
      <ul className="key-numbers">
        <li>
          Livepeer, realized: <strong>{video ? formatUsdPrecise(lp.usdPerVideoSecond) : formatUsdPrecise(lp.usdPerMegapixel)}</strong> per{" "}
          {video ? "video second" : "megapixel"} ({video ? formatEthPrecise(lp.ethPerVideoSecond) : formatUsdPrecise(lp.usdPerImage) + " per image"})
        </li>
        <li>
          Behind it: <strong>{formatInt(lp.jobs)}</strong> successful priced jobs,{" "}
          {video ? (
            <>
              <strong>{seconds(lp.outputSeconds)}</strong> seconds of video
            </>
          ) : (
            <>
              <strong>{formatInt(lp.images)}</strong> images
            </>
          )}
          , {lp.feesEth} ETH ({formatUsdPrecise(lp.feesUsd)}) in expected fees; setting {settingText}
          {setting && setting.jobs < setting.ofJobs ? ` (${formatInt(setting.jobs)} of ${formatInt(setting.ofJobs)} jobs)` : ""}.
        </li>
        {classes.map((k) =>
          k.cheapest ? (
            <li key={k.class}>
              {k.label}: cheapest of {k.offers} is {offerName(k.cheapest)} at <strong>{formatUsdPrecise(k.cheapest.usd)}</strong> per{" "}
              {metricUnit[k.cheapest.metric]}: <strong>{ratioWords(k.cheapest.ratioToLivepeer)}</strong>
              {k.cheapest.comparability && k.cheapest.comparability !== "like for like" ? ` (${k.cheapest.comparability})` : ""}
            </li>
          ) : null,
        )}
        {lp.unpricedJobs || lp.failedFeesEth !== "0" ? (
          <li className="muted">
            Left out of the figure: {formatInt(lp.unpricedJobs)} successful jobs without a price, and {lp.failedFeesEth} ETH of fees on failed jobs.
          </li>
        ) : null}
      </ul>
    </section>
  );
}
