// What an orchestrator advertises, as table cells and short text: its GPUs ("4 × RTX 5090", the
// full name and memory in the title) and its live video price (USD per hour of 1280x720x30 video,
// or wei per pixel without a USD rate). Shared by the orchestrators table and one orchestrator's page.
import { formatUsdPrecise } from "~/lib/cost-format";
import { groupThousands, roundDecimal } from "~/lib/format";

export interface GpuCountView {
  name: string;
  count: number;
  memoryGb: number | null;
}

export interface LivePriceView {
  modelId: string;
  weiPerPixel: string;
  usdPerVideoHour: string | null;
  models: number;
}

/** A GPU's name without the maker's brand words: "NVIDIA GeForce RTX 5090" -> "RTX 5090". */
export function shortGpuName(name: string): string {
  const s = name.replace(/^NVIDIA\s+/i, "").replace(/^GeForce\s+/i, "").trim();
  return s || name;
}

/** "4 × RTX 5090" per name; the title has the full names and memory. */
export function GpuList({ gpus, count }: { gpus: GpuCountView[]; count: number | null }) {
  if (count === null)
    return (
      <span className="muted" title="Not in the newest capabilities poll (GATEWAY_CAPABILITIES_URL or network_capabilities events)">
        —
      </span>
    );
  if (!gpus.length)
    return (
      <span className="muted" title="Listed in the newest capabilities poll without any GPU">
        none
      </span>
    );
  const title = gpus.map((g) => `${g.count} x ${g.name}${g.memoryGb === null ? "" : `, ${g.memoryGb} GB`}`).join("\n");
  return (
    <span className="gpu-list" title={title}>
      {gpus.map((g) => (
        <span key={g.name} className="nowrap">
          {`${g.count}\u00a0×\u00a0${shortGpuName(g.name)}`}
        </span>
      ))}
    </span>
  );
}

/** A decimal with at most 2 decimals, grouped, without trailing zeros: "1,588", "0.25". */
export const shortDecimal = (v: string) => groupThousands(roundDecimal(v, 2).replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, ""));

/** Wei per pixel: "1,588 wei/px". */
export const weiPerPixelText = (wei: string) => `${shortDecimal(wei)} wei/px`;

/** "$0.316/h", or "1,588 wei/px" without a USD rate; the title says which model and the exact price. */
export function LivePriceCell({ price }: { price: LivePriceView | null }) {
  if (!price)
    return (
      <span className="muted" title="No live video price in the newest capabilities poll">
        —
      </span>
    );
  const title = `${price.modelId}: ${price.weiPerPixel} wei per pixel${price.usdPerVideoHour ? ` = ${price.usdPerVideoHour} USD per hour of 1280x720x30 video` : " (no ETH/USD rate)"}${
    price.models > 1 ? `; it prices ${price.models} live video models: the chosen model's price where it offers it, else its lowest` : ""
  }`;
  return (
    <span className="num" title={title}>
      {price.usdPerVideoHour !== null ? `${formatUsdPrecise(price.usdPerVideoHour)}/h` : weiPerPixelText(price.weiPerPixel)}
    </span>
  );
}
