// Drains the alert outbox: each due notification is sent to its target (the generic webhook, Slack or
// Discord format, core/alerts/payload.ts) and marked delivered; a failure is retried with exponential
// backoff (30 s doubling up to an hour, 20 attempts) and shown on /status. Targets are sent to side by
// side and a target that fails stops only its own queue for this pass (its order is kept), so it
// never holds up the others or the indexer. A 4xx other than 408 and 429 is not retried.
import { requestFor } from "../../core/alerts/payload";
import type { RulesFile } from "../../core/alerts/rules";
import { withoutServerPaths } from "../../core/public-paths";
import type { Db } from "../../db/client";
import { dueDeliveries, markDelivered, markFailed, type DueDelivery } from "../../db/queries/alerts";

export const MAX_ATTEMPTS = 20;
const BASE_MS = 30_000;
const MAX_MS = 3_600_000;
/** Notifications sent per target per pass (the rest wait for the next pass). */
const PER_TARGET = 50;

export interface DeliveryOptions {
  now?: () => Date;
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface DeliverySummary {
  delivered: number;
  failed: number;
  gaveUp: number;
}

/** Backoff after the n-th failed attempt (1-based). */
export const backoffMs = (attempt: number) => Math.min(MAX_MS, BASE_MS * 2 ** Math.max(0, attempt - 1));

export async function deliverDue(db: Db, rules: RulesFile, opts: DeliveryOptions = {}): Promise<DeliverySummary> {
  const now = opts.now ?? (() => new Date());
  const summary: DeliverySummary = { delivered: 0, failed: 0, gaveUp: 0 };
  const due = await dueDeliveries(db, now().toISOString(), PER_TARGET);
  const byTarget = new Map<string, DueDelivery[]>();
  for (const d of due) byTarget.set(d.target, [...(byTarget.get(d.target) ?? []), d]);
  await Promise.all(
    [...byTarget].map(async ([name, list]) => {
      const target = rules.targets.get(name);
      for (const d of list) {
        if (!target) {
          await markFailed(db, d.id, `target "${name}" is no longer in the rules file`, null, null);
          summary.gaveUp++;
          continue;
        }
        const { body, headers } = requestFor(target, { ...d.event, scope: d.event.scope }, rules.dashboardUrl);
        let status: number | null = null;
        let error: string | null = null;
        try {
          const r = await fetch(target.url, { method: "POST", body, headers, signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000), redirect: "manual" });
          status = r.status;
          await r.body?.cancel().catch(() => {});
          if (r.status < 200 || r.status >= 300) error = `HTTP ${r.status}`;
        } catch (e) {
          const c = (e as { cause?: { code?: string } }).cause;
          error = withoutServerPaths(c?.code ?? (e as Error).message) ?? "request failed";
        }
        if (error === null) {
          if (await markDelivered(db, d.id, status!)) summary.delivered++;
          continue;
        }
        const attempt = d.attempts + 1;
        const permanent = status !== null && status >= 400 && status < 500 && status !== 408 && status !== 429;
        const giveUp = permanent || attempt >= MAX_ATTEMPTS;
        await markFailed(db, d.id, error, status, giveUp ? null : new Date(now().getTime() + backoffMs(attempt)).toISOString());
        if (giveUp) summary.gaveUp++;
        else summary.failed++;
        opts.log?.(`[alerts] ${name}: delivery of event ${d.event.id} failed (${error})${giveUp ? ", given up" : `, retry ${attempt} of ${MAX_ATTEMPTS - 1}`}`);
        // Keep this target's order: its later notifications wait for this one.
        if (!giveUp) break;
      }
    }),
  );
  return summary;
}
