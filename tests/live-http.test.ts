// Gateway events over real HTTP: POST /api/ingest/events through the Remix route and the server's
// body limits, then GET /api/live (JSON and CSV) and the /live page over the stored sessions, with
// untrusted names (an unresolved orchestrator URL) escaped on the page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toChecksumAddress } from "../indexer/demo/gateway-envelopes";
import { startServer, type StartedServer } from "../server";
import { backends, openTestDb, type TestDb } from "./helpers/db";
import { ORCH, capabilitiesLine, session, sessionLines } from "./helpers/gateway-events";

const TOKEN = "events-http-token-0123456789";
const HOT = "0x4444444444444444444444444444444444444444";

describe.each(backends())("live video over HTTP on %s", (backend) => {
  let db: TestDb;
  let server: StartedServer;

  beforeAll(async () => {
    db = await openTestDb(backend);
    const saved = process.env.INGEST_TOKEN;
    process.env.INGEST_TOKEN = TOKEN;
    try {
      server = await startServer({ db, port: 0, host: "127.0.0.1" });
    } finally {
      if (saved === undefined) delete process.env.INGEST_TOKEN;
      else process.env.INGEST_TOKEN = saved;
    }
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  const post = (body: string, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
    fetch(`${server.url}/api/ingest/events`, { method: "POST", body, headers: { "content-type": "application/x-ndjson", ...headers } });

  it("stores pushed sessions and serves their figures as JSON, CSV and a page", async () => {
    expect((await post("x", {})).status).toBe(401);
    const hostile = "https://<script>alert(1)</script>.example:1/a;b|c\\d";
    const body = [
      ...sessionLines(session(1)),
      ...sessionLines(session(2)),
      // Named by URL only (no hot wallet), and nothing resolves it: shown by that name, escaped.
      ...sessionLines(session(3, { orchHot: HOT, orchUrl: hostile })).map((l) => l.replaceAll(toChecksumAddress(HOT), "")),
      capabilitiesLine(ORCH, Date.parse("2026-11-20T11:00:00Z")),
    ].join("\n");
    const r = await post(body);
    expect(r.status).toBe(200);
    const counts = await r.json();
    expect(counts).toMatchObject({ duplicates: 0, unknownTypes: {}, rejected: [] });
    expect((await post(body)).status).toBe(200);

    const api = await (await fetch(`${server.url}/api/live?from=2026-11-20&to=2026-11-21`)).json();
    expect(api.model).toBe("streamdiffusion-sdxl-faceid");
    expect(api.network.sessions).toBe(3);
    expect(api.rows.map((x: { address: string; sessions: number }) => [x.address, x.sessions])).toEqual([
      [ORCH.address, 2],
      [hostile.toLowerCase(), 1],
    ]);
    expect(api.network.billableSeconds).toBe("450");
    const csv = await (await fetch(`${server.url}/api/live?from=2026-11-20&to=2026-11-21&format=csv`)).text();
    expect(csv.split("\n")[0]).toContain("address,model,sessions,startup_p50_ms");
    expect(csv).toContain(`${ORCH.address},streamdiffusion-sdxl-faceid,2,`);

    // The status page counts the envelopes per type and lists rejected lines with their reasons.
    const rejected = await post(`{"id":"x","type":"stream_trace","timestamp":"1","gateway":"","data":{}}\n`);
    expect((await rejected.json()).rejected).toEqual([{ line: 1, reason: "stream_trace: id must be a UUID (the envelope's Kafka key)" }]);
    const status = await (await fetch(`${server.url}/api/status`)).json();
    const trace = status.gatewayEvents.counts.find((c: { type: string }) => c.type === "stream_trace");
    expect(trace).toMatchObject({ known: true, rejected: 1 });
    expect(trace.accepted).toBeGreaterThan(0);
    expect(trace.duplicates).toBe(trace.accepted);
    const sources = status.sources.map((s: { name: string; status: string }) => [s.name, s.status]);
    expect(sources).toContainEqual(["events-push", "ok"]);
    const rejectsCsv = await (await fetch(`${server.url}/api/status?format=csv&table=event-rejects`)).text();
    expect(rejectsCsv).toContain("id must be a UUID");
    expect(await (await fetch(`${server.url}/status`)).text()).toContain("Rejected event lines");

    const bad = await fetch(`${server.url}/api/live?pipeline=text-to-image`);
    expect(bad.status).toBe(400);
    const page = await fetch(`${server.url}/live?from=2026-11-20&to=2026-11-21`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("streamdiffusion-sdxl-faceid");
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });
});
