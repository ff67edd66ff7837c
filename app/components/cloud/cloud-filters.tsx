// The /cloud filters: range, pipeline and model (one select, split into two parameters by the
// loader), GPU utilization; the log scale choice travels along.
import { Form } from "@remix-run/react";
import { formatInt } from "~/lib/format";
import type { CloudChoice } from "./offers";

export function CloudFilters({
  range,
  pipeline,
  modelId,
  utilization,
  log,
  choices,
}: {
  range: { from: string; to: string };
  pipeline: string | null;
  modelId: string | null;
  utilization: string;
  log: boolean;
  choices: CloudChoice[];
}) {
  return (
    <>
      <Form method="get" className="range controls filters">
        <label>
          From
          <input type="date" name="from" defaultValue={range.from} key={`f-${range.from}`} />
        </label>
        <label>
          To
          <input type="date" name="to" defaultValue={range.to} key={`t-${range.to}`} />
        </label>
        <label>
          Pipeline and model
          <select name="pm" defaultValue={`${pipeline}\t${modelId}`} key={`${pipeline}\t${modelId}`}>
            {choices.map((ch) => (
              <option key={`${ch.pipeline}\t${ch.modelId}`} value={`${ch.pipeline}\t${ch.modelId}`}>
                {ch.pipeline} · {ch.modelId} ({formatInt(ch.jobs)} jobs)
              </option>
            ))}
          </select>
        </label>
        <label title="Share of a rented GPU's paid hours spent doing work. 1.0 is the floor on cost: a GPU busy every second.">
          GPU utilization
          <input type="number" name="utilization" min="0.01" max="1" step="any" defaultValue={utilization} key={`u-${utilization}`} />
        </label>
        {log ? <input type="hidden" name="scale" value="log" /> : null}
        <button type="submit">Show</button>
      </Form>
      <noscript>
        <p className="muted">Without JavaScript, choose the pipeline with the links in the table of pipelines below.</p>
      </noscript>
    </>
  );
}
