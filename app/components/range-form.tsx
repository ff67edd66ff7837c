import { Form } from "@remix-run/react";
import type { ReactNode } from "react";

/**
 * GET form for an inclusive UTC day range; the range lands in the URL, so the view is a permalink.
 * `children` adds fields (filters) before the button; `keep` carries other URL parameters along.
 */
export function RangeForm({
  from,
  to,
  fromName = "from",
  toName = "to",
  keep = {},
  children,
}: {
  from: string;
  to: string;
  fromName?: string;
  toName?: string;
  keep?: Record<string, string | null | undefined>;
  children?: ReactNode;
}) {
  return (
    <Form method="get" className="range controls filters">
      {Object.entries(keep).map(([k, v]) => (v === null || v === undefined || v === "" ? null : <input key={k} type="hidden" name={k} value={v} />))}
      <label>
        From
        <input type="date" name={fromName} defaultValue={from} key={`f-${from}`} />
      </label>
      <label>
        To
        <input type="date" name={toName} defaultValue={to} key={`t-${to}`} />
      </label>
      {children}
      <button type="submit">Show</button>
    </Form>
  );
}
