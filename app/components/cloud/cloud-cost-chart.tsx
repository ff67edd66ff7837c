// The /cloud chart panel for video pipelines: USD per video second of Livepeer (realized, and its
// published prices) and of each cloud class's cheapest, median and dearest compared offer.
import { ChartFrame, apiHrefs } from "~/components/charts/chart-frame";
import { CostBars, type CostBar } from "~/components/charts/cost-chart";
import { Segmented } from "~/components/segmented";
import { formatUsdPrecise, ratioWords } from "~/lib/cost-format";
import { exportName } from "~/lib/download-names";
import { formatInt } from "~/lib/format";
import { offerName, offersByStatus, type ClassCheapest, type CloudComparison, type CloudParams, type Offer } from "./offers";

const CLASS_COLORS: Record<string, string> = {
  "hyperscaler-on-demand": "var(--series-1)",
  "neocloud-marketplace": "var(--series-2)",
  "serverless-per-second": "var(--series-4)",
  "hosted-api": "var(--series-p99)",
  "livepeer-reference": "var(--series-reference)",
};

/** The bars: Livepeer's realized figure, each class's range, Livepeer's published prices. */
function cloudBars(c: CloudComparison, classes: ClassCheapest[]): CostBar[] {
  const lp = c.livepeer;
  const video = lp.output === "video-seconds";
  const { compared, references } = offersByStatus(c.offers);
  // The chart shows each class's range (cheapest, median, dearest compared offer) and Livepeer's own
  // published prices; the table below lists every offer.
  const classBars = classes.flatMap((k) => {
    const sorted = compared.filter((o) => o.class === k.class && o.usdPerVideoSecond !== null).sort((a, b) => Number(a.usd) - Number(b.usd));
    const picks: [string, Offer | undefined][] =
      sorted.length > 2
        ? [["cheapest", sorted[0]], ["median", sorted[Math.floor((sorted.length - 1) / 2)]], ["dearest", sorted[sorted.length - 1]]]
        : sorted.map((o, i) => [i === 0 ? "cheapest" : "dearest", o]);
    return picks.map(([which, o]) => ({ which, label: k.label, o: o! }));
  });
  return [
    ...(video && lp.usdPerVideoSecond
      ? [{ name: "Livepeer, realized", usd: lp.usdPerVideoSecond, text: formatUsdPrecise(lp.usdPerVideoSecond), detail: `${formatInt(lp.jobs)} jobs`, color: "var(--series-primary)" }]
      : []),
    ...classBars.map(({ which, label, o }) => ({
      name: `${label}, ${which}: ${o.provider} ${o.gpu ?? o.offering}`,
      usd: o.usdPerVideoSecond!,
      text: formatUsdPrecise(o.usdPerVideoSecond),
      detail: `${offerName(o)}; ${o.comparability ?? ""}; ${ratioWords(o.ratioToLivepeer)}`,
      color: CLASS_COLORS[o.class] ?? "var(--series-reference)",
    })),
    ...references
      .filter((o) => o.usdPerVideoSecond !== null)
      .map((o) => ({
        name: `Livepeer reference: ${o.offering.slice(0, 40)}`,
        usd: o.usdPerVideoSecond!,
        text: formatUsdPrecise(o.usdPerVideoSecond),
        detail: `${offerName(o)} (${o.asOf})`,
        color: CLASS_COLORS[o.class] ?? "var(--series-reference)",
      })),
  ];
}

export function CloudCostChart({
  comparison: c,
  classes,
  range,
  utilization,
  log,
  params,
}: {
  comparison: CloudComparison;
  classes: ClassCheapest[];
  range: { from: string; to: string };
  utilization: string;
  log: boolean;
  params: CloudParams;
}) {
  const lp = c.livepeer;
  const bars = cloudBars(c, classes);
  return (
    <section className="panel" aria-labelledby="chart-title">
      <h2 id="chart-title">USD per video second</h2>
      <p className="controls">
        Scale:{" "}
        <Segmented
          name="scale"
          value={log ? "log" : "linear"}
          options={[
            ["linear", "Linear"],
            ["log", "Log"],
          ]}
        />
      </p>
      <ChartFrame
        heading="none"
        title={`USD per video second: Livepeer and cloud classes, ${c.pipeline} · ${c.modelId}`}
        caption={`${range.from} – ${range.to} (UTC) · rented GPUs at ${utilization} utilization · Source: gateway job logs and the price catalogue via Observatory`}
        filename={exportName("cloud-comparison", range, c.pipeline)}
        {...apiHrefs("/api/cloud-comparison", { ...params })}
      >
        <CostBars bars={bars} livepeer={lp.usdPerVideoSecond} log={log} label={`USD per video second: Livepeer and the range of each cloud class`} />
      </ChartFrame>
      <p className="muted">
        Each class shows its cheapest, median and dearest offer (every offer is in the table below); rented GPUs at {utilization} utilization.
        The dashed line is Livepeer's realized figure; grey bars are Livepeer's own published prices.
      </p>
    </section>
  );
}
