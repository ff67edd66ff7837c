// The error vocabulary (core/errors.ts): every error class the product raises is one of its kinds,
// with the exit code and HTTP status its header table says, and the subgraph client retries exactly
// the retryable ones. No database, no network (fetch is stubbed).
import fs from "node:fs";
import { UpstreamPermanentError, UpstreamTransientError } from "../indexer/http-json";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { HttpError } from "../app/lib/http.server";
import { PdfRenderError, PdfUnavailableError } from "../app/lib/pdf.server";
import { CatalogueError, CsvSyntaxError } from "../core/catalogue";
import { exitCodeOf, isRetryable, ObservatoryError, type ErrorKind } from "../core/errors";
import { ConfigError } from "../core/settings";
import { RulesFileError } from "../core/alerts/rules";
import { DirectoryLockedError } from "../db/pglite-lock";
import { LockedError, NoSourcesError } from "../indexer/run";
import { GarbageBatchError } from "../indexer/sources/joblogs/batch";
import { LeaderboardPartialError } from "../indexer/sources/leaderboard";
import { FileReadError } from "../indexer/sources/joblogs/reader";
import { PermanentError, SubgraphClient, TransientError } from "../indexer/sources/subgraph/client";

interface Row {
  error: ObservatoryError;
  name: string;
  file: string;
  kind: ErrorKind;
  exit: number;
  http: number;
}

// The header table of core/errors.ts, one row per class, each constructed from where it lives.
const TABLE: Row[] = [
  { error: new HttpError(404, "no such report"), name: "HttpError", file: "app/lib/http.server.ts", kind: "bad-input", exit: 1, http: 404 },
  { error: new PdfUnavailableError("install Chromium"), name: "PdfUnavailableError", file: "app/lib/pdf.server.ts", kind: "permanent", exit: 1, http: 501 },
  { error: new PdfRenderError("took too long"), name: "PdfRenderError", file: "app/lib/pdf.server.ts", kind: "retryable", exit: 1, http: 503 },
  { error: new ConfigError("PORT: bad"), name: "ConfigError", file: "core/settings.ts", kind: "bad-input", exit: 1, http: 400 },
  { error: new CsvSyntaxError(3, "a quoted field is never closed"), name: "CsvSyntaxError", file: "core/catalogue.ts", kind: "bad-input", exit: 1, http: 400 },
  { error: new CatalogueError([]), name: "CatalogueError", file: "core/catalogue.ts", kind: "bad-input", exit: 1, http: 400 },
  { error: new DirectoryLockedError("open elsewhere"), name: "DirectoryLockedError", file: "db/pglite-lock.ts", kind: "busy", exit: 3, http: 409 },
  { error: new NoSourcesError("nothing configured"), name: "NoSourcesError", file: "indexer/run.ts", kind: "bad-input", exit: 1, http: 400 },
  { error: new LockedError("another indexer"), name: "LockedError", file: "indexer/run.ts", kind: "busy", exit: 3, http: 409 },
  { error: new GarbageBatchError("mostly garbage"), name: "GarbageBatchError", file: "indexer/sources/joblogs/batch.ts", kind: "bad-input", exit: 1, http: 422 },
  { error: new FileReadError("unexpected end of file", "Z_BUF_ERROR"), name: "FileReadError", file: "indexer/batch-reader.ts", kind: "permanent", exit: 1, http: 500 },
  { error: new TransientError("HTTP 502", 1000), name: "TransientError", file: "indexer/sources/subgraph/client.ts", kind: "retryable", exit: 1, http: 503 },
  { error: new PermanentError("rejected"), name: "PermanentError", file: "indexer/sources/subgraph/client.ts", kind: "permanent", exit: 1, http: 500 },
  { error: new UpstreamTransientError("HTTP 503", 1000), name: "UpstreamTransientError", file: "indexer/http-json.ts", kind: "retryable", exit: 1, http: 503 },
  { error: new UpstreamPermanentError("HTTP 404", 404), name: "UpstreamPermanentError", file: "indexer/http-json.ts", kind: "permanent", exit: 1, http: 500 },
  { error: new RulesFileError("alerts.json", []), name: "RulesFileError", file: "core/alerts/rules.ts", kind: "bad-input", exit: 1, http: 400 },
  { error: new LeaderboardPartialError("1 of 3 orchestrators could not be read", [], 0), name: "LeaderboardPartialError", file: "indexer/sources/leaderboard/index.ts", kind: "retryable", exit: 1, http: 503 },
];

const header = fs
  .readFileSync(path.resolve("core/errors.ts"), "utf8")
  .split("\n")
  .filter((l) => l.startsWith("//"));

describe("the error vocabulary", () => {
  it.each(TABLE.map((r) => [r.name, r] as const))("%s: kind, exit code and HTTP status as the table says", (_, r) => {
    const e = r.error;
    expect(e).toBeInstanceOf(ObservatoryError);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe(r.name);
    expect(e.kind).toBe(r.kind);
    expect(e.exitCode).toBe(r.exit);
    expect(exitCodeOf(e)).toBe(r.exit);
    expect(e.httpStatus).toBe(r.http);
    expect(e.retryable).toBe(r.kind === "retryable");
    expect(isRetryable(e)).toBe(r.kind === "retryable");
    // The header table has a row naming the class, its file, kind and exit code (and HTTP status, but
    // HttpError's is its `status`).
    const row = header.find((l) => new RegExp(`^//\\s+${r.name}\\s+${r.file.replace(/[.$[\]]/g, "\\$&")}\\s`).test(l));
    expect(row, `core/errors.ts table row for ${r.name}`).toBeDefined();
    expect(row!.replace(/\s+/g, " ")).toContain(` ${r.kind} ${r.exit} ${r.name === "HttpError" ? "status" : r.http} `);
  });

  it("keeps what the classes carried before", () => {
    const http = new HttpError(413, "body too large");
    expect([http.status, http.message]).toEqual([413, "body too large"]);
    expect(new FileReadError("gone", "ENOENT").code).toBe("ENOENT");
    expect(new TransientError("429", 2000).retryAfterMs).toBe(2000);
    expect(new CsvSyntaxError(7, "bad quote")).toMatchObject({ line: 7, reason: "bad quote", message: "line 7: bad quote" });
    expect(new CatalogueError([]).problems).toEqual([]);
  });

  it("anything else exits 1 and is not retried", () => {
    for (const e of [new Error("x"), new TypeError("fetch failed"), "a string", undefined]) {
      expect(exitCodeOf(e)).toBe(1);
      expect(isRetryable(e)).toBe(false);
    }
  });

  it("the table names every error class in app, db, indexer, core and server", () => {
    const names = new Set<string>();
    const walk = (dir: string) => {
      for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, d.name);
        if (d.isDirectory()) walk(p);
        else if (/\.tsx?$/.test(d.name) && !d.name.endsWith(".test.ts"))
          for (const m of fs.readFileSync(p, "utf8").matchAll(/class (\w+) extends \w*Error\b/g)) names.add(m[1]);
      }
    };
    for (const dir of ["app", "db", "indexer", "core", "server"]) walk(dir);
    const base = new Set(["ObservatoryError", "RetryableError", "PermanentError", "BadInputError", "BusyError"]);
    const listed = [...names].filter((n) => !header.some((l) => new RegExp(`^//\\s+${n}\\s`).test(l)) && !base.has(n));
    expect(listed, "error classes missing from core/errors.ts's table").toEqual([]);
  });
});

describe("the subgraph client retries exactly the retryable failures", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  const CASES: { what: string; answer: () => Response | never; retried: boolean; thrown: typeof TransientError | typeof PermanentError }[] = [
    { what: "HTTP 502", answer: () => json(502, {}), retried: true, thrown: TransientError },
    { what: "HTTP 429", answer: () => json(429, {}), retried: true, thrown: TransientError },
    { what: "a network error", answer: () => { throw new TypeError("fetch failed"); }, retried: true, thrown: TransientError },
    { what: "HTTP 200 with indexer errors", answer: () => json(200, { errors: [{ message: "bad indexers: timeout" }] }), retried: true, thrown: TransientError },
    { what: "HTTP 401", answer: () => json(401, {}), retried: false, thrown: PermanentError },
    { what: "a query the subgraph rejects", answer: () => json(200, { errors: [{ message: "Type `Query` has no field `nope`" }] }), retried: false, thrown: PermanentError },
  ];

  it.each(CASES.map((c) => [c.what, c] as const))("%s", async (_, c) => {
    vi.stubGlobal("fetch", async () => c.answer());
    const client = new SubgraphClient("http://subgraph.invalid/graphql", {
      retry: { maxRetries: 2, baseMs: 0, maxMs: 0 },
      timeoutMs: 1_000,
      sleep: async () => {},
    });
    const error = await client.request("{ _meta { block { number } } }").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(c.thrown);
    expect(isRetryable(error)).toBe(c.retried);
    expect(client.requests).toBe(c.retried ? 3 : 1);
  });
});
