// The settings module is the one list of environment variables: the README's settings tables name
// exactly the variables in its schema, each bad value is refused with the variable's name and the
// form expected, and nothing outside it reads process.env (tests aside).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseSettings, settingGroup, SETTING_NAMES } from "../core/settings";

/** Variable names in the README's "## Settings" section: every `NAME` in a table row's first cell. */
function readmeSettings(): Set<string> {
  const readme = fs.readFileSync("README.md", "utf8");
  const start = readme.indexOf("\n## Settings");
  const end = readme.indexOf("\n## ", start + 5);
  const section = readme.slice(start, end);
  const names = new Set<string>();
  for (const line of section.split("\n")) {
    if (!line.startsWith("| `")) continue;
    const first = line.split("|")[1];
    for (const m of first.matchAll(/`([A-Z][A-Z0-9_]+)`/g)) names.add(m[1]);
  }
  return names;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|tsx|mjs)$/.test(e.name) && !e.name.endsWith(".test.ts")) out.push(p);
  }
  return out;
}

describe("settings", () => {
  it("the README's settings tables list exactly the schema's variables", () => {
    const documented = readmeSettings();
    expect([...documented].filter((n) => !SETTING_NAMES.includes(n as never)).sort(), "in the README, not in core/settings.ts").toEqual([]);
    expect(SETTING_NAMES.filter((n) => !documented.has(n)).sort(), "in core/settings.ts, not in the README").toEqual([]);
  });

  it("test-only hooks are marked as such", () => {
    expect(SETTING_NAMES.filter((n) => settingGroup(n) === "test").sort()).toEqual(
      ["OBSERVATORY_CRASH_AT", "REPORT_PDF_OUT", "REQUIRE_BROWSER", "REQUIRE_POSTGRES", "REQUIRE_REPLICA", "SKIP_BUILD", "TEST_DATABASE_URL", "TEST_REPLICA_URL"],
    );
  });

  it("refuses every bad value at once, naming each variable and the form expected", () => {
    let error: unknown;
    try {
      parseSettings({ DATABASE_POOL_SIZE: "ten", SUBGRAPH_URL: "not a url", INDEXER_SCHEDULE: "every tuesday", TRUST_PROXY: "maybe", PDF_TIMEOUT_MS: "-5" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ["DATABASE_POOL_SIZE", "SUBGRAPH_URL", "INDEXER_SCHEDULE", "TRUST_PROXY", "PDF_TIMEOUT_MS"]) expect(message).toContain(`${name}: `);
    expect(message).toMatch(/INDEXER_SCHEDULE: INDEXER_SCHEDULE must be a cron expression/);
    expect((error as ConfigError).exitCode).toBe(1);
  });

  it("defaults apply when unset or empty, and values are typed", () => {
    const s = parseSettings({ PORT: "", DATABASE_POOL_SIZE: "4", TRUST_PROXY: "yes" });
    expect(s.PORT).toBe(3000);
    expect(s.DATABASE_POOL_SIZE).toBe(4);
    expect(s.TRUST_PROXY).toBe(true);
    expect(s.INDEXER_IN_PROCESS).toBe(true);
    expect(s.INGEST_MAX_BYTES).toBe(16 << 20);
  });

  it("nothing outside core/settings.ts reads process.env (tests aside)", () => {
    const readers = ["app", "db", "indexer", "server", "core", "scripts", "bench"]
      .filter((d) => fs.existsSync(d))
      .flatMap(sourceFiles)
      .concat(["server.ts"])
      .filter((f) => f !== path.join("core", "settings.ts") && /process\.env\b/.test(fs.readFileSync(f, "utf8").replace(/\/\/.*$/gm, "")));
    expect(readers).toEqual([]);
  });
});
