import { describe, expect, it } from "vitest";
import { publicFileName, withoutServerPaths } from "./public-paths";

describe("public paths", () => {
  it("a stored file path becomes its name", () => {
    expect(publicFileName("/srv/observatory/logs/gateway-a.jsonl")).toBe("gateway-a.jsonl");
    expect(publicFileName("data/demo/events/events-2026-01-01.jsonl.gz")).toBe("events-2026-01-01.jsonl.gz");
    expect(publicFileName("C:\\logs\\gw.jsonl")).toBe("gw.jsonl");
    expect(publicFileName("gw.jsonl")).toBe("gw.jsonl");
    expect(publicFileName(null)).toBeNull();
  });

  it("errors keep their words and file names, not the directories", () => {
    expect(withoutServerPaths("ENOENT: no such file or directory, open '/srv/obs/logs/gw.jsonl'")).toBe("ENOENT: no such file or directory, open 'gw.jsonl'");
    expect(withoutServerPaths("cannot read /home/op/data/events/a.jsonl.gz: unexpected end of file")).toBe("cannot read a.jsonl.gz: unexpected end of file");
    expect(withoutServerPaths("scandir /var/lib/observatory/events/")).toBe("scandir events");
    expect(withoutServerPaths("at file:///work/main/indexer/run.ts:12:3")).toBe("at run.ts:12:3");
    expect(withoutServerPaths("open C:\\data\\gw.jsonl failed")).toBe("open gw.jsonl failed");
    expect(withoutServerPaths(null)).toBeNull();
  });

  it("URLs, ratios and one-segment paths are left alone", () => {
    const s = "HTTP 503 from https://gateway.thegraph.com/api/subgraphs/id/FE63 (5/5 retries), GET /getNetworkCapabilities";
    expect(withoutServerPaths(s)).toBe(s);
    expect(withoutServerPaths("http://127.0.0.1:8000/subgraphs/name/livepeer timed out")).toBe("http://127.0.0.1:8000/subgraphs/name/livepeer timed out");
  });
});
