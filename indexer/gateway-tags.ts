// Loads the gateway tags file (e.g. the free-tier gateway tagged `subsidized`, with its window) into
// gateway_tags, so the dashboard can split fees into subsidised and organic.
// run.ts syncs it once per run, before any source.
import fs from "node:fs";
import { z } from "zod";
import type { Querier } from "../db/client";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be YYYY-MM-DD");
// `host` is the gateway's -gatewayHost name, the `gateway` field of its Kafka event envelopes: it ties
// events that carry no payment (batch and LLM completions) to this gateway's address.
const host = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.:_-]+$/, "must be a host name (letters, digits, '.', ':', '_', '-')");
const file = z.object({
  gateways: z
    .array(
      z.object({
        address: z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be 0x followed by 40 hex digits"),
        tag: z.string().min(1).max(40),
        label: z.string().max(200).optional(),
        from: day.optional(),
        to: day.optional(),
        host: host.optional(),
      }),
    )
    .superRefine((gateways, ctx) => {
      const seen = new Map<string, number>();
      gateways.forEach((g, i) => {
        if (g.host === undefined) return;
        const key = g.host.toLowerCase();
        const first = seen.get(key);
        if (first !== undefined) ctx.addIssue({ code: "custom", path: [i, "host"], message: `repeats gateways.${first}.host: one host names one gateway` });
        else seen.set(key, i);
      });
    }),
});
export type GatewayTags = z.infer<typeof file>;

export function readGatewayTags(path: string): GatewayTags {
  if (!fs.existsSync(path)) return { gateways: [] };
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(path, "utf8"));
  } catch (e) {
    throw new Error(`Gateway tags file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = file.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Gateway tags file ${path} is invalid:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

/** Replaces the stored tags with the file's (one transaction). Returns rows changed. */
export async function syncGatewayTags(q: Querier, tags: GatewayTags): Promise<number> {
  const g = tags.gateways;
  const [r] = await q.query<{ n: number }>(
    `with input as (
       select lower(a) as address, t as tag, l as label, f::date as period_from, e::date as period_to, lower(h) as host
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) as x(a, t, l, f, e, h)
     ), del as (
       delete from gateway_tags where address not in (select address from input) returning 1
     ), up as (
       insert into gateway_tags (address, tag, label, period_from, period_to, host) select * from input
       on conflict (address) do update set tag = excluded.tag, label = excluded.label,
         period_from = excluded.period_from, period_to = excluded.period_to, host = excluded.host
       where (gateway_tags.tag, gateway_tags.label, gateway_tags.period_from, gateway_tags.period_to, gateway_tags.host)
         is distinct from (excluded.tag, excluded.label, excluded.period_from, excluded.period_to, excluded.host)
       returning 1
     ) select ((select count(*) from del) + (select count(*) from up))::int as n`,
    [g.map((x) => x.address), g.map((x) => x.tag), g.map((x) => x.label ?? null), g.map((x) => x.from ?? null), g.map((x) => x.to ?? null), g.map((x) => x.host ?? null)],
  );
  return r.n;
}
