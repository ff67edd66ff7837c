// Runs once before the suites. CI sets REQUIRE_POSTGRES=1, REQUIRE_REPLICA=1 and REQUIRE_BROWSER=1 so
// that a missing Postgres, read replica or Chromium fails the run instead of silently skipping those suites.
import fs from "node:fs";
import { execSync } from "node:child_process";
import { chromiumPath } from "./browser";

export default function setup() {
  const problems: string[] = [];
  if (process.env.REQUIRE_POSTGRES === "1" && !process.env.TEST_DATABASE_URL)
    problems.push("REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/postgres).");
  if (process.env.REQUIRE_REPLICA === "1" && !process.env.TEST_REPLICA_URL)
    problems.push("REQUIRE_REPLICA=1 but TEST_REPLICA_URL is not set (.ci/replica.sh makes one: postgres://postgres@127.0.0.1:5433/postgres).");
  if (process.env.REQUIRE_BROWSER === "1" && !fs.existsSync(chromiumPath()))
    problems.push(`REQUIRE_BROWSER=1 but no Chromium at ${chromiumPath()} (apt-get install chromium, or set CHROMIUM_PATH).`);
  if (problems.length) throw new Error(problems.join("\n"));
  // The server and browser suites serve the real Remix build; build it once per run, as `npm run
  // build` does: under vitest NODE_ENV is "test", which makes a development build (jsxDEV) that a
  // server started with NODE_ENV=production (npm start, tests/server-signals.test.ts) cannot load.
  if (process.env.SKIP_BUILD !== "1") execSync("npx remix build", { stdio: "ignore", env: { ...process.env, NODE_ENV: "production" } });
}
