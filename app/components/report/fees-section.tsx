// The report's fees section: realized fees per period (the report period shaded), the daily averages
// of baseline and period, and the growth multiple.
import { Eth, Usd } from "~/components/amount";
import { feePoints } from "~/components/charts/stacked-fee-chart";
import { HorizontalBars } from "~/components/charts/horizontal-bars";
import { StackedFeeChart } from "~/components/charts/stacked-fee-chart";
import { TableWrap } from "~/components/page-header";
import { periodStart } from "~/lib/dates";
import { formatEth, formatMultiple } from "~/lib/format";
import type { ReportFigures } from "~/lib/reports.server";
import { ReportChart } from "./report-chart";

export function FeesSection({ figures: f }: { figures: ReportFigures }) {
  const c = f.fees.chart;
  const data = feePoints(c.rows, { unit: "eth", usdInTotal: true });
  const per = { day: "day", week: "ISO week (labelled by its Monday)", month: "month" }[c.interval];
  const g = f.fees.growth;
  return (
    <section className="panel report-section report-page" aria-labelledby="report-fees">
      <h2 id="report-fees">Realized fees and growth</h2>
      <ReportChart title="Realized fees per period, subsidised and organic (ETH)" name="fees">
        <StackedFeeChart
          data={data}
          kind="bar"
          height={260}
          shade={{ x1: periodStart(f.period.from, c.interval), x2: periodStart(f.period.to, c.interval), label: "Report period" }}
          label={`Fees in ETH per ${c.interval}, subsidised and organic, ${c.from} to ${c.to}; the report period is shaded`}
        />
      </ReportChart>
      <p className="muted">
        Fees per {per}, {c.from} – {c.to}; the report period is shaded, the baseline is {f.baseline.from} – {f.baseline.to}.
      </p>
      <ReportChart title="Average daily fees: baseline and period (ETH)" name="growth">
        <HorizontalBars
          label="Average daily fees in ETH: baseline and period, all and organic"
          valueName="ETH a day"
          nameWidth={150}
          data={[
            { name: "Baseline, all fees", value: g.baseline.dailyAvgEth, text: `${formatEth(g.baseline.dailyAvgEth)} ETH a day`, series: "primary" },
            { name: "Period, all fees", value: g.period.dailyAvgEth, text: `${formatEth(g.period.dailyAvgEth)} ETH a day`, series: "primary" },
            { name: "Baseline, organic", value: g.baseline.organicDailyAvgEth, text: `${formatEth(g.baseline.organicDailyAvgEth)} ETH a day`, series: "organic" },
            { name: "Period, organic", value: g.period.organicDailyAvgEth, text: `${formatEth(g.period.organicDailyAvgEth)} ETH a day`, series: "organic" },
          ]}
        />
      </ReportChart>
      <TableWrap label="Period and baseline">
        <table>
          <thead>
            <tr>
              <th>Window</th>
              <th className="r">Days</th>
              <th className="r">Fees (ETH)</th>
              <th className="r">Fees (USD)</th>
              <th className="r">Daily average (ETH)</th>
              <th className="r">Subsidised (ETH)</th>
              <th className="r">Organic (ETH)</th>
              <th className="r">Organic daily average</th>
            </tr>
          </thead>
          <tbody>
            {(
              [
                ["Baseline", g.baseline, f.fees.baseline],
                ["Period", g.period, f.fees.period],
              ] as const
            ).map(([name, w, t]) => (
              <tr key={name}>
                <td>
                  {name} <span className="muted nowrap">{w.from} – {w.to}</span>
                </td>
                <td className="r">{w.days}</td>
                <td className="r"><Eth value={w.volumeEth} unit={false} /></td>
                <td className="r"><Usd value={t.volumeUsd} /></td>
                <td className="r"><Eth value={w.dailyAvgEth} unit={false} /></td>
                <td className="r"><Eth value={w.subsidizedEth} unit={false} /></td>
                <td className="r"><Eth value={w.organicEth} unit={false} /></td>
                <td className="r"><Eth value={w.organicDailyAvgEth} unit={false} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <ul className="key-numbers">
        <li>
          Growth multiple: <strong>{formatMultiple(g.multiple)}</strong> (organic only {formatMultiple(g.organicMultiple)})
        </li>
        <li>
          Subsidised share of the period: <strong>{f.fees.subsidizedSharePct === null ? "—" : `${f.fees.subsidizedSharePct}%`}</strong>, organic{" "}
          <strong>{f.fees.organicSharePct === null ? "—" : `${f.fees.organicSharePct}%`}</strong>
        </li>
      </ul>
    </section>
  );
}
