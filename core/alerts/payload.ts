// What a notification says, per target type, and the Atom feed (pure). One stored event (a firing or
// a recovery) becomes: the generic webhook's JSON body (signed with HMAC-SHA256 when the target has a
// secret), a Slack message or a Discord message, and an Atom entry. Text from the outside world
// (rule names come from the operator, subjects from indexed data) is escaped for each format.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Target } from "./rules";

export interface AlertEvent {
  id: number;
  rule: string;
  subject: string;
  /** The pair or region the value is about (e.g. "text-to-image / model"), '' when none. */
  scope: string;
  state: "firing" | "resolved";
  at: string;
  since: string;
  value: number | null;
  threshold: number | null;
  message: string;
  /** Path on the dashboard (/orchestrators/0x...?from=...), made absolute with dashboardUrl. */
  link: string;
}

/** The generic webhook body, exactly the fields the README lists. */
export function webhookBody(e: AlertEvent, dashboardUrl: string | null): string {
  return JSON.stringify({
    rule: e.rule,
    subject: e.subject,
    state: e.state,
    value: e.value,
    threshold: e.threshold,
    since: e.since,
    message: e.message,
    link: absolute(e.link, dashboardUrl),
  });
}

export const absolute = (link: string, dashboardUrl: string | null) => (dashboardUrl && link.startsWith("/") ? dashboardUrl + link : link);

/** `sha256=<hex HMAC-SHA256 of the body>` (the X-Observatory-Signature header). */
export function signature(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** Checks a signature header against a body in constant time (what a receiver does; the tests and the demo receiver use it). */
export function verifySignature(body: string, header: string | undefined | null, secret: string): boolean {
  if (!header) return false;
  const want = Buffer.from(signature(body, secret));
  const got = Buffer.from(header);
  return want.length === got.length && timingSafeEqual(want, got);
}

/** Slack mrkdwn escapes &, < and > (links use <url|text>). */
const slackEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
/** Discord markdown: neutralise mentions and markdown control characters. */
const discordEscape = (s: string) => s.replace(/([\\*_~`|>[\]()])/g, "\\$1").replace(/@/g, "@\u200b");

const headline = (e: AlertEvent) => `${e.state === "firing" ? "FIRING" : "RESOLVED"}: ${e.rule}`;

/** Body and headers of the request that delivers an event to a target. */
export function requestFor(target: Target, e: AlertEvent, dashboardUrl: string | null): { body: string; headers: Record<string, string> } {
  const link = absolute(e.link, dashboardUrl);
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "Observatory-alerts", "x-observatory-delivery": String(e.id) };
  if (target.type === "slack") {
    const text = `*${slackEscape(headline(e))}* (${slackEscape(e.subject)})\n${slackEscape(e.message)}${link.startsWith("http") ? `\n<${link}|Open the chart>` : ""}`;
    return { body: JSON.stringify({ text }), headers };
  }
  if (target.type === "discord") {
    const content = `**${discordEscape(headline(e))}** (${discordEscape(e.subject)})\n${discordEscape(e.message)}${link.startsWith("http") ? `\n${link}` : ""}`;
    return { body: JSON.stringify({ content: content.slice(0, 2000), allowed_mentions: { parse: [] } }), headers };
  }
  const body = webhookBody(e, dashboardUrl);
  if (target.secret) headers["x-observatory-signature"] = signature(body, target.secret);
  return { body, headers };
}

const xml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;")
    // Characters XML 1.0 cannot carry at all.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "\ufffd");

/** An Atom feed of events, newest first. `self` is the feed's absolute URL; links are made absolute with `base`. */
export function atomFeed(opts: { title: string; self: string; base: string; events: AlertEvent[]; updated: string }): string {
  const entries = opts.events.map((e) => {
    const link = absolute(e.link, opts.base);
    return `  <entry>
    <id>${xml(`${opts.base}/alerts#event-${e.id}`)}</id>
    <title>${xml(`${headline(e)} (${e.subject}${e.scope ? `, ${e.scope}` : ""})`)}</title>
    <updated>${xml(e.at)}</updated>
    <published>${xml(e.at)}</published>
    <link rel="alternate" type="text/html" href="${xml(link)}"/>
    <category term="${xml(e.state)}"/>
    <content type="text">${xml(e.message)}</content>
  </entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${xml(opts.self)}</id>
  <title>${xml(opts.title)}</title>
  <updated>${xml(opts.updated)}</updated>
  <link rel="self" type="application/atom+xml" href="${xml(opts.self)}"/>
  <link rel="alternate" type="text/html" href="${xml(`${opts.base}/alerts`)}"/>
  <author><name>Observatory</name></author>
${entries.join("\n")}
</feed>
`;
}
