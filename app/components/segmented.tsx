import { Link, useSearchParams } from "@remix-run/react";
import { changeParams } from "~/lib/url";

/**
 * Links that set one URL parameter (the current value is marked). `extra` changes other parameters
 * along with an option (e.g. narrowing the range when switching to hourly points).
 */
export function Segmented({
  name,
  value,
  options,
  extra = {},
}: {
  name: string;
  value: string;
  options: [string, string][];
  extra?: Record<string, Record<string, string | null>>;
}) {
  const [sp] = useSearchParams();
  return (
    <span className="segmented" role="group" aria-label={name}>
      {options.map(([v, label]) => (
        <Link key={v} to={changeParams(sp, { ...extra[v], [name]: v })} aria-current={v === value ? "true" : undefined} preventScrollReset>
          {label}
        </Link>
      ))}
    </span>
  );
}
