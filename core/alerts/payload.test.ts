import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { atomFeed, requestFor, signature, verifySignature, webhookBody, type AlertEvent } from "./payload";

const e: AlertEvent = {
  id: 7, rule: "slow <startup>", subject: "0x" + "ab".repeat(20), scope: "live-video-to-video / m&m", state: "firing",
  at: "2026-12-01T10:00:00.000Z", since: "2026-12-01T09:50:00.000Z", value: 9120, threshold: 8000,
  message: "p95 is 9,120 ms <b>@everyone</b>", link: "/live?from=2026-12-01&to=2026-12-01&model=m%26m",
};

describe("alert notifications", () => {
  it("the generic webhook body has exactly the documented fields, signed with HMAC-SHA256", () => {
    const { body, headers } = requestFor({ name: "ops", type: "webhook", url: "https://x.example/h", secret: "s3cret-key" }, e, "https://obs.example.org");
    expect(JSON.parse(body)).toEqual({
      rule: "slow <startup>", subject: e.subject, state: "firing", value: 9120, threshold: 8000, since: e.since, message: e.message,
      link: "https://obs.example.org/live?from=2026-12-01&to=2026-12-01&model=m%26m",
    });
    expect(body).toBe(webhookBody(e, "https://obs.example.org"));
    const expected = "sha256=" + createHmac("sha256", "s3cret-key").update(body).digest("hex");
    expect(headers["x-observatory-signature"]).toBe(expected);
    expect(signature(body, "s3cret-key")).toBe(expected);
    expect(verifySignature(body, expected, "s3cret-key")).toBe(true);
    expect(verifySignature(body + " ", expected, "s3cret-key")).toBe(false);
    expect(verifySignature(body, expected, "other-key")).toBe(false);
    expect(headers["x-observatory-delivery"]).toBe("7");
    expect(requestFor({ name: "u", type: "webhook", url: "https://x.example/h", secret: null }, e, null).headers["x-observatory-signature"]).toBeUndefined();
  });

  it("Slack and Discord formats escape what they would interpret", () => {
    const slack = JSON.parse(requestFor({ name: "s", type: "slack", url: "https://hooks.slack.com/x", secret: null }, e, "https://obs.example.org").body);
    expect(slack.text).toBe(`*FIRING: slow &lt;startup&gt;* (${e.subject})\np95 is 9,120 ms &lt;b&gt;@everyone&lt;/b&gt;\n<https://obs.example.org/live?from=2026-12-01&to=2026-12-01&model=m%26m|Open the chart>`);
    const discord = JSON.parse(requestFor({ name: "d", type: "discord", url: "https://discord.com/api/webhooks/1/x", secret: null }, { ...e, state: "resolved" }, null).body);
    expect(discord.allowed_mentions).toEqual({ parse: [] });
    expect(discord.content).toBe(`**RESOLVED: slow <startup\\>** (${e.subject})\np95 is 9,120 ms <b\\>@\u200beveryone</b\\>`);
  });

  it("the Atom feed escapes every text and links absolutely", () => {
    const xml = atomFeed({ title: "Observatory alerts", self: "https://obs.example.org/alerts.atom", base: "https://obs.example.org", events: [e], updated: e.at });
    expect(xml).toContain("<title>FIRING: slow &lt;startup&gt; (" + e.subject + ", live-video-to-video / m&amp;m)</title>");
    expect(xml).toContain('<link rel="alternate" type="text/html" href="https://obs.example.org/live?from=2026-12-01&amp;to=2026-12-01&amp;model=m%26m"/>');
    expect(xml).toContain("<content type=\"text\">p95 is 9,120 ms &lt;b&gt;@everyone&lt;/b&gt;</content>");
    expect(xml).not.toContain("<b>");
    expect(xml.match(/<entry>/g)).toHaveLength(1);
  });
});
