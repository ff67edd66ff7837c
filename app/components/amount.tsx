// Money and stake as text: rounded for display, the exact decimal in the title attribute.
import { formatEth, formatUsd } from "~/lib/format";

export function Eth({
  value,
  dp = 4,
  unit = true,
  symbol = "ETH",
}: {
  value: string | null | undefined;
  dp?: number;
  unit?: boolean;
  symbol?: string;
}) {
  return (
    <span className="num" title={value ? `${value} ${symbol}` : undefined}>
      {formatEth(value, dp)}
      {unit && value !== null && value !== undefined ? ` ${symbol}` : ""}
    </span>
  );
}

export function Usd({ value }: { value: string | null | undefined }) {
  return (
    <span className="num" title={value ? `${value} USD` : undefined}>
      {formatUsd(value)}
    </span>
  );
}
