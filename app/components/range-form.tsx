import { Form } from "@remix-run/react";

/** GET form for an inclusive UTC day range; the range lands in the URL, so the view is a permalink. */
export function RangeForm({ from, to, fromName = "from", toName = "to" }: { from: string; to: string; fromName?: string; toName?: string }) {
  return (
    <Form method="get" className="range controls">
      <label>
        From
        <input type="date" name={fromName} defaultValue={from} key={`f-${from}`} />
      </label>
      <label>
        To
        <input type="date" name={toName} defaultValue={to} key={`t-${to}`} />
      </label>
      <button type="submit">Show</button>
    </Form>
  );
}
