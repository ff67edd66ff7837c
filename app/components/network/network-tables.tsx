// The /network tables: GPUs by name, and per pipeline and model what orchestrators advertise
// (orchestrators, GPUs, warm, capacity, price min / median / max in wei per unit and, for live video,
// USD per second and per hour of video). Rows are grouped under a pipeline heading so long model ids
// ("streamdiffusion-sdxl-faceid", "meta-llama/Meta-Llama-3.1-8B-Instruct") get the widest column and
// wrap rather than clip; every text from the network is rendered as text (escaped by React).
import { EmptyRow, TableWrap } from "~/components/page-header";
import { formatUsdPrecise } from "~/lib/cost-format";
import { formatInt } from "~/lib/format";
import type { NetworkAnswer, PipelineFigures, Stats } from "~/lib/network.server";
import { formatWei } from "./format";

const COLUMNS = 10;
// Styles of this table only (the shared stylesheet has no such classes): a model id wraps anywhere
// but its column never gets narrower than a readable width, so no label is clipped or squeezed.
const MODEL = { minWidth: "12rem", maxWidth: "24rem", overflowWrap: "anywhere" } as const;
const CENTER = { textAlign: "center" } as const;
const SMALL = { fontSize: "0.8rem" } as const;

export function GpuTable({ gpus, total }: { gpus: NetworkAnswer["gpus"]; total: number }) {
  return (
    <TableWrap label="GPUs by name">
      <table className="network-gpus">
        <thead>
          <tr>
            <th>GPU</th>
            <th className="r">Count</th>
            <th className="r" title="The most common size among GPUs of this name, in whole GiB (2^30 bytes)">
              Memory (GB)
            </th>
          </tr>
        </thead>
        <tbody>
          {gpus.map((g) => (
            <tr key={g.name}>
              <td style={MODEL}>{g.name}</td>
              <td className="r num">{formatInt(g.count)}</td>
              <td className="r num" title={g.memoryBytes === null ? undefined : `${formatInt(g.memoryBytes)} bytes`}>
                {g.memoryGb === null ? "—" : g.memoryGb}
              </td>
            </tr>
          ))}
          {gpus.length === 0 ? <EmptyRow columns={3}>No orchestrator reports its GPUs.</EmptyRow> : null}
        </tbody>
        {gpus.length ? (
          <tfoot>
            <tr>
              <td>All GPUs</td>
              <td className="r num">{formatInt(total)}</td>
              <td />
            </tr>
          </tfoot>
        ) : null}
      </table>
    </TableWrap>
  );
}


function Wei({ value }: { value: string | null }) {
  return <span title={value === null ? undefined : `${value} wei per unit (exact)`}>{formatWei(value)}</span>;
}

/** Median, then "min – max" below it when they differ. */
function UsdRange({ s, unit }: { s: Stats | null; unit: string }) {
  if (!s || s.median === null) return <span className="muted">—</span>;
  const spread = s.min !== s.max;
  return (
    <span title={`median ${s.median} USD ${unit}; min ${s.min}; max ${s.max} (exact)`}>
      {formatUsdPrecise(s.median)}
      {spread ? (
        <>
          <br />
          <span className="muted" style={SMALL}>
            {formatUsdPrecise(s.min)} – {formatUsdPrecise(s.max)}
          </span>
        </>
      ) : null}
    </span>
  );
}

export function PipelineTable({ rows, hasRate }: { rows: PipelineFigures[]; hasRate: boolean }) {
  const groups: { pipeline: string; rows: PipelineFigures[] }[] = [];
  for (const r of rows) {
    const last = groups[groups.length - 1];
    if (last && last.pipeline === r.pipeline) last.rows.push(r);
    else groups.push({ pipeline: r.pipeline, rows: [r] });
  }
  return (
    <TableWrap label="Pipelines and models as advertised">
      <table className="network-pipelines">
        <thead>
          <tr>
            <th rowSpan={2}>Model</th>
            <th rowSpan={2} className="r" title="Distinct orchestrator addresses advertising it">
              Orch.
            </th>
            <th rowSpan={2} className="r" title="Distinct GPUs (address and GPU id) reported under it">
              GPUs
            </th>
            <th rowSpan={2} className="r" title="Orchestrators with a node reporting it warm (loaded)">
              Warm
            </th>
            <th rowSpan={2} className="r" title="Sum of the nodes' advertised capacity">
              Capacity
            </th>
            <th colSpan={3} style={CENTER} title="pricePerUnit / pixelsPerUnit over the nodes' priced offers; the median of an even count is the mean of the middle two">
              Price, wei per unit
            </th>
            <th colSpan={2} style={CENTER} title="Live video is billed as 1280 x 720 x 30 = 27,648,000 pixels per second of video">
              Live video, USD
            </th>
          </tr>
          <tr>
            <th className="r">min</th>
            <th className="r">median</th>
            <th className="r">max</th>
            <th className="r">per second</th>
            <th className="r">per hour</th>
          </tr>
        </thead>
        {groups.map((g) => (
          <tbody key={g.pipeline}>
            <tr className="group-row">
              <th colSpan={COLUMNS} scope="colgroup">
                {g.pipeline}
                {g.rows[0].unit ? <span className="muted"> (wei per {g.rows[0].unit})</span> : null}
              </th>
            </tr>
            {g.rows.map((r) => (
              <tr key={`${r.pipeline}\t${r.modelId}`}>
                <td style={MODEL}>{r.modelId === "" ? <span className="muted">(no model id)</span> : r.modelId}</td>
                <td className="r num">{formatInt(r.orchestrators)}</td>
                <td className="r num">{formatInt(r.gpus)}</td>
                <td className="r num">{formatInt(r.warm)}</td>
                <td className="r num">{formatInt(r.capacity)}</td>
                <td className="r num" title={`${r.pricedOffers} priced offers`}>
                  <Wei value={r.priceWeiPerUnit.min} />
                </td>
                <td className="r num">
                  <Wei value={r.priceWeiPerUnit.median} />
                </td>
                <td className="r num">
                  <Wei value={r.priceWeiPerUnit.max} />
                </td>
                <td className="r num">
                  {r.unit === "pixel" && !hasRate ? <span className="muted" title="No ETH/USD rate is indexed yet (the subgraph source brings it)">no rate</span> : <UsdRange s={r.usdPerVideoSecond} unit="per second of video" />}
                </td>
                <td className="r num">
                  {r.unit === "pixel" && !hasRate ? <span className="muted">no rate</span> : <UsdRange s={r.usdPerVideoHour} unit="per hour of video" />}
                </td>
              </tr>
            ))}
          </tbody>
        ))}
        {rows.length === 0 ? (
          <tbody>
            <EmptyRow columns={COLUMNS}>No orchestrator advertises an AI pipeline at this time.</EmptyRow>
          </tbody>
        ) : null}
      </table>
    </TableWrap>
  );
}
