// `npm start` stopped as a process manager stops it: SIGTERM to npm. The server must receive it
// (npm's shell used to die and leave node serving, orphaned), let a request in flight finish,
// then exit, leaving nothing on its port.
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const RANGE = JSON.stringify({ from: "2025-03-01", to: "2025-03-31", baselineFrom: "2025-02-01", baselineTo: "2025-02-28" });

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/healthz", timeout: 2_000 }, (res) => (res.resume(), resolve(false)));
    req.on("error", () => resolve(true));
    req.on("timeout", () => (req.destroy(), resolve(false)));
  });

describe("SIGTERM to npm start", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "observatory-signals-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reaches the server, which finishes the request in flight and exits; nothing keeps serving", async () => {
    const npm = spawn("npm", ["start"], {
      env: { NODE_ENV: "production", PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", PORT: "0", PGLITE_DIR: path.join(dir, "pg"), GATEWAY_TAGS_FILE: "/nonexistent/tags.json" },
    });
    let out = "";
    npm.stdout.on("data", (d) => (out += d));
    npm.stderr.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => npm.on("close", (code) => resolve(code)));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setInterval(() => {
        const m = /dashboard on http:\/\/localhost:(\d+)/.exec(out);
        if (m) clearInterval(timer), resolve(Number(m[1]));
      }, 100);
      void exited.then(() => (clearInterval(timer), reject(new Error(`npm start ended: ${out}`))));
    });
    expect(await refused(port)).toBe(false);

    // A report save whose body is still arriving when the signal comes.
    const body = Buffer.from(RANGE);
    const answer = new Promise<{ status?: number; text: string }>((resolve, reject) => {
      const req = http.request({ host: "127.0.0.1", port, path: "/api/reports", method: "POST", headers: { "content-type": "application/json", "content-length": body.length } }, (res) => {
        let text = "";
        res.on("data", (d) => (text += d)).on("end", () => resolve({ status: res.statusCode, text }));
      });
      req.on("error", reject);
      req.write(body.subarray(0, 10));
      setTimeout(() => {
        npm.kill("SIGTERM");
        setTimeout(() => req.end(body.subarray(10)), 700);
      }, 200);
    });
    const a = await answer;
    expect(a.status, a.text).toBe(201);
    expect(JSON.parse(a.text)).toEqual({ id: expect.stringMatching(/^[0-9a-z]{10}$/) });

    const code = await Promise.race([exited, new Promise<"still running">((r) => setTimeout(() => r("still running"), 25_000))]);
    expect(code, out).not.toBe("still running");
    expect(out).toContain("SIGTERM: stopping");
    expect(await refused(port)).toBe(true);
  }, 90_000);
});
