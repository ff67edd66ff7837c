// The program files (issue 14), read at every run after the gateway tags: each subsidised gateway's
// optional `budgetEth` in the tags file, and the treasury grant recipients file
// (TREASURY_RECIPIENTS_FILE). Neither stops anything when it is wrong: a bad entry is left out, and
// the file's name, the path inside it and what is wrong are logged once and stored in
// config_problems for the status page. Amounts stay decimal strings.
import fs from "node:fs";
import { publicFileName } from "../core/public-paths";
import type { Querier } from "../db/client";

export interface Problem {
  file: string;
  path: string;
  message: string;
}

export interface Budget {
  address: string;
  budgetEth: string;
}

export interface Recipient {
  address: string;
  label: string;
  program: { name: string; from: string; to: string; baselineFrom: string | null; baselineTo: string | null } | null;
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const ETH_AMOUNT = /^\d{1,30}(\.\d{1,18})?$/;
const isDay = (v: unknown): v is string => typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function readJson(path: string, problems: Problem[]): unknown | undefined {
  if (!fs.existsSync(path)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(path, "utf8"));
  } catch (e) {
    problems.push({ file: publicFileName(path)!, path: "(file)", message: `not valid JSON: ${(e as Error).message}` });
    return undefined;
  }
}

/** `budgetEth` of each gateway in the tags file: a decimal string of ETH, over the tag's from..to. */
export function readBudgets(tagsPath: string): { budgets: Budget[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const file = publicFileName(tagsPath)!;
  const json = readJson(tagsPath, problems);
  const budgets: Budget[] = [];
  const gateways = isObject(json) && Array.isArray(json.gateways) ? json.gateways : [];
  gateways.forEach((g: unknown, i) => {
    if (!isObject(g) || g.budgetEth === undefined) return;
    const path = `gateways.${i}.budgetEth`;
    const v = g.budgetEth;
    if (typeof v !== "string" || !ETH_AMOUNT.test(v.trim())) {
      problems.push({ file, path, message: `must be a decimal string of ETH such as "250.5" (at most 18 decimals; a JSON number is refused: it may not be exact), got ${JSON.stringify(v)?.slice(0, 40)}` });
      return;
    }
    if (!isDay(g.from) || !isDay(g.to)) {
      problems.push({ file, path, message: "needs the gateway's from and to: the window the budget covers" });
      return;
    }
    if (typeof g.address !== "string" || !ADDRESS.test(g.address)) return; // the tags file itself reports it
    budgets.push({ address: g.address.toLowerCase(), budgetEth: v.trim() });
  });
  return { budgets, problems };
}

/**
 * The recipients file: {"recipients":[{"address","label","program"?:{"name","from","to","baselineFrom"?,"baselineTo"?}}]}.
 * A bad entry is skipped; a bad program leaves the recipient without one.
 */
export function readRecipients(path: string): { recipients: Recipient[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const file = publicFileName(path)!;
  const json = readJson(path, problems);
  const recipients: Recipient[] = [];
  if (json === undefined) return { recipients, problems };
  if (!isObject(json) || !Array.isArray(json.recipients)) {
    problems.push({ file, path: "recipients", message: "the file must be an object with a \"recipients\" list" });
    return { recipients, problems };
  }
  const seen = new Set<string>();
  json.recipients.forEach((r: unknown, i) => {
    const at = `recipients.${i}`;
    if (!isObject(r)) return void problems.push({ file, path: at, message: "must be an object" });
    if (typeof r.address !== "string" || !ADDRESS.test(r.address)) return void problems.push({ file, path: `${at}.address`, message: "must be 0x followed by 40 hex digits" });
    const address = r.address.toLowerCase();
    if (seen.has(address)) return void problems.push({ file, path: `${at}.address`, message: "repeats an earlier recipient" });
    if (typeof r.label !== "string" || !r.label.trim() || r.label.length > 200) return void problems.push({ file, path: `${at}.label`, message: "must be a text of 1 to 200 characters" });
    seen.add(address);
    let program: Recipient["program"] = null;
    if (r.program !== undefined) {
      const p = r.program;
      const bad = (field: string, message: string) => problems.push({ file, path: `${at}.program${field}`, message });
      if (!isObject(p)) bad("", "must be an object");
      else if (typeof p.name !== "string" || !p.name.trim() || p.name.length > 200) bad(".name", "must be a text of 1 to 200 characters");
      else if (!isDay(p.from) || !isDay(p.to) || p.from > p.to) bad(".from", "from and to must be YYYY-MM-DD days, from not after to");
      else if ((p.baselineFrom !== undefined || p.baselineTo !== undefined) && (!isDay(p.baselineFrom) || !isDay(p.baselineTo) || p.baselineFrom > p.baselineTo))
        bad(".baselineFrom", "baselineFrom and baselineTo must both be YYYY-MM-DD days, baselineFrom not after baselineTo");
      else program = { name: p.name.trim(), from: p.from, to: p.to, baselineFrom: (p.baselineFrom as string) ?? null, baselineTo: (p.baselineTo as string) ?? null };
    }
    recipients.push({ address, label: r.label.trim(), program });
  });
  return { recipients, problems };
}

/** Problems already logged, per log (one per indexer config): the start-up log names each once. */
const loggedBy = new WeakMap<(line: string) => void, Set<string>>();

/** Stores budgets, recipients and the problems of both files (one transaction); logs problems not logged before. */
export async function syncProgramFiles(q: Querier, files: { tagsFile: string; recipientsFile?: string }, log: (line: string) => void): Promise<void> {
  const b = readBudgets(files.tagsFile);
  const r = files.recipientsFile ? readRecipients(files.recipientsFile) : { recipients: [], problems: [] };
  const problems = [...b.problems, ...r.problems];
  let logged = loggedBy.get(log);
  if (!logged) loggedBy.set(log, (logged = new Set()));
  for (const p of problems) {
    const key = `${p.file}\u0000${p.path}\u0000${p.message}`;
    if (logged.has(key)) continue;
    logged.add(key);
    log(`[config] ${p.file}: ${p.path}: ${p.message} (left out; everything else runs)`);
  }
  await q.query(`delete from gateway_budgets`);
  if (b.budgets.length) {
    await q.query(`insert into gateway_budgets (address, budget_eth) select * from unnest($1::text[], $2::numeric[]) on conflict (address) do nothing`, [
      b.budgets.map((x) => x.address),
      b.budgets.map((x) => x.budgetEth),
    ]);
  }
  await q.query(`delete from treasury_recipients`);
  if (r.recipients.length) {
    const rs = r.recipients;
    await q.query(
      `insert into treasury_recipients (address, label, program, program_from, program_to, baseline_from, baseline_to)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::date[], $6::date[], $7::date[])`,
      [
        rs.map((x) => x.address), rs.map((x) => x.label), rs.map((x) => x.program?.name ?? null), rs.map((x) => x.program?.from ?? null),
        rs.map((x) => x.program?.to ?? null), rs.map((x) => x.program?.baselineFrom ?? null), rs.map((x) => x.program?.baselineTo ?? null),
      ],
    );
  }
  await q.query(`delete from config_problems`);
  if (problems.length) {
    await q.query(`insert into config_problems (file, path, message) select * from unnest($1::text[], $2::text[], $3::text[]) on conflict do nothing`, [
      problems.map((p) => p.file),
      problems.map((p) => p.path),
      problems.map((p) => p.message),
    ]);
  }
}
