/**
 * Gateway job logs for the demo network: the lines the AI API gateway writes for its jobs
 * (traffic.ts), at the orchestrators' advertised prices (captured on the real network, never
 * scaled). The network's tickets to those orchestrators were drawn from what these jobs paid, so
 * expected fees (the logs) and realized fees (the chain) agree within the lottery's randomness.
 *
 * Six pipelines, several models, orchestrators with their own lognormal latency and failure rate,
 * one rotated .jsonl.gz, a handful of malformed and re-sent lines, and an appender that writes the
 * jobs of the rest of today as the wall clock reaches them, so the dashboard moves while it runs.
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { DAY_SECONDS, type DemoNetwork } from "./generate";
import { demoAi, feeOfLine } from "./traffic";

export interface DemoJobLogOptions {
  /** Days of logs, ending with the network's last day. */
  days?: number;
  /** Jobs up to this time go to the files now; later ones are left to the appender. */
  nowMs: number;
}

export interface DemoJobLogs {
  /** Lines already due at nowMs, oldest first. */
  due: string[];
  /** The rest of the last day, oldest first, for the appender. */
  later: { timestampMs: number; line: string }[];
  firstDay: string;
}

/** All jobs of the log period, in time order. */
export function generateDemoJobLogs(network: DemoNetwork, opts: DemoJobLogOptions): DemoJobLogs {
  const days = opts.days ?? 14;
  const { traffic } = demoAi(network);
  const period = traffic.days.slice(-days);
  const jobs = period.flatMap((d) => d.jobs.map((line) => ({ timestampMs: line.timestamp, line: JSON.stringify(line) })));
  const split = jobs.findIndex((j) => j.timestampMs > opts.nowMs);
  return {
    due: (split === -1 ? jobs : jobs.slice(0, split)).map((j) => j.line),
    later: split === -1 ? [] : jobs.slice(split),
    firstDay: new Date(period[0].day * DAY_SECONDS * 1000).toISOString().slice(0, 10),
  };
}

/** The fee the ingest will compute for a line (0 for a failure). */
export const feeOf = feeOfLine;

/** Lines a real log also contains: each must end up as a reject (or a duplicate), never as a job. */
const MALFORMED: readonly (string | Buffer)[] = [
  '{"request_id":"cut-short","gateway":"0x',
  "not json at all",
  '{"request_id":"neg","gateway":"0x1111111111111111111111111111111111111111","timestamp":1760000000000,"pipeline":"llm","model_id":"m","orch_address":"0x2222222222222222222222222222222222222222","success":true,"duration_ms":-40}',
  '{"request_id":"bad-addr","gateway":"0xNOTANADDRESS","timestamp":1760000000000,"pipeline":"llm","model_id":"m","orch_address":"0x2222222222222222222222222222222222222222","success":true,"duration_ms":40}',
  '{"request_id":"big-wei","gateway":"0x1111111111111111111111111111111111111111","timestamp":1760000000000,"pipeline":"llm","model_id":"m","orch_address":"0x2222222222222222222222222222222222222222","success":true,"duration_ms":40,"computed_fee":98765432109876543210}',
  '{"gateway":"0x1111111111111111111111111111111111111111","pipeline":"llm"}',
  Buffer.from([0x7b, 0x22, 0x78, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), // {"x":"\xc3("} is not UTF-8
];

const DEMO_LOG_NAME = "gateway-jobs.jsonl";

/**
 * Writes the demo log directory: days before yesterday in one rotated `gateway-jobs-<first day>.jsonl.gz`,
 * the rest in the active `gateway-jobs.jsonl`, with malformed and re-sent lines spread through it.
 */
export function writeDemoJobLogs(dir: string, logs: DemoJobLogs, nowMs: number): void {
  fs.mkdirSync(dir, { recursive: true });
  const yesterdayMs = (Math.floor(nowMs / 86_400_000) - 1) * 86_400_000;
  // A line's own timestamp is its first "timestamp" (unix ms).
  const rotatedCount = logs.due.findIndex((l) => Number(/"timestamp":(\d+)/.exec(l)![1]) >= yesterdayMs);
  const cut = rotatedCount === -1 ? logs.due.length : rotatedCount;
  fs.writeFileSync(
    path.join(dir, `gateway-jobs-${logs.firstDay}.jsonl.gz`),
    zlib.gzipSync(
      logs.due
        .slice(0, cut)
        .map((l) => l + "\n")
        .join(""),
      { level: 1 },
    ),
  );
  const rotatedAt = new Date(yesterdayMs);
  fs.utimesSync(path.join(dir, `gateway-jobs-${logs.firstDay}.jsonl.gz`), rotatedAt, rotatedAt);

  const active: (string | Buffer)[] = [];
  const recent = logs.due.slice(cut);
  const every = Math.max(1, Math.floor(recent.length / (MALFORMED.length + 1)));
  recent.forEach((line, i) => {
    active.push(line);
    if (i % every === every - 1 && i / every < MALFORMED.length) active.push(MALFORMED[Math.floor(i / every)]);
    if (i % 5_000 === 4_999) active.push(recent[i - 100]); // a gateway re-sending a line
  });
  fs.writeFileSync(path.join(dir, DEMO_LOG_NAME), Buffer.concat(active.map((l) => Buffer.concat([Buffer.from(l), Buffer.from("\n")]))));
}

export interface LineAppender {
  /** Appends every pending line whose time has come; returns how many. */
  tick(nowMs?: number): number;
  stop(): void;
}
export type JobLogAppender = LineAppender;

/** Appends pending lines to `file` as the clock reaches their time, every intervalMs. */
export function startLineAppender(file: string, later: { timestampMs: number; line: string }[], intervalMs = 3_000): LineAppender {
  let next = 0;
  const tick = (nowMs = Date.now()) => {
    let end = next;
    while (end < later.length && later[end].timestampMs <= nowMs) end++;
    if (end === next) return 0;
    fs.appendFileSync(
      file,
      later
        .slice(next, end)
        .map((j) => j.line + "\n")
        .join(""),
    );
    const appended = end - next;
    next = end;
    return appended;
  };
  const timer = setInterval(() => tick(), intervalMs);
  timer.unref();
  return { tick, stop: () => clearInterval(timer) };
}

/** Appends the rest of the day's jobs to the active log as the clock reaches them, every intervalMs. */
export function startJobLogAppender(dir: string, later: DemoJobLogs["later"], intervalMs = 3_000): JobLogAppender {
  return startLineAppender(path.join(dir, DEMO_LOG_NAME), later, intervalMs);
}
