// Orchestrator bootstrapping programs (PROGRAMS_FILE, issue 14 part 3; decision 018), composed for
// GET /api/programs, GET /api/programs/<name>?at=, POST /api/programs/<name> (freeze), /programs and
// /programs/<name>: each program computed now from stored data in one read-only snapshot
// (bootstrap-evidence.server.ts measures, core/programs/bootstrap.ts judges and splits), or a frozen
// snapshot read back exactly as stored. LPT amounts are exact decimal strings.
import { evaluateProgram, type BootstrapRow, type BootstrapTotals } from "../../core/programs/bootstrap";
import type { BootstrapProgram, FileProblem } from "../../core/programs/bootstrap-file";
import { settings } from "../../core/settings";
import type { Db, Querier } from "../../db/client";
import { findSnapshot, insertSnapshot, snapshotList } from "../../db/queries/program-snapshots";
import { normaliseReportId } from "../../db/queries/reports";
import { inReadOnlySnapshot } from "../../db/queries/snapshot";
import { loadPrograms } from "../../indexer/programs-file";
import { measureProgram } from "./bootstrap-evidence.server";
import { badRequest, notFound } from "./http.server";
import { getIndexState } from "./index-state.server";

export interface ProgramResult {
  program: BootstrapProgram;
  rows: BootstrapRow[];
  totals: BootstrapTotals & { unresolved: string[] };
  /** null: computed now from the data as it is. */
  snapshot: { id: string; at: string } | null;
  provenance: { computedAt: string; programsFile: string | null; block: number | null; blockTimestamp: string | null; demo: boolean };
}

export interface ProgramsFileView {
  configured: boolean;
  file: string | null;
  programs: BootstrapProgram[];
  problems: FileProblem[];
}

/** PROGRAMS_FILE as the pages show it: its name (never its directory), the good programs, the problems. */
export function programsFileView(): ProgramsFileView {
  const loaded = loadPrograms(settings().PROGRAMS_FILE);
  if (!loaded) return { configured: false, file: null, programs: [], problems: [] };
  return { configured: true, file: loaded.file, programs: loaded.programs, problems: loaded.problems };
}

/** The programs file's problems as /status lists configuration problems (file, "line N, path", message). */
export function programsFileProblems(): { file: string; path: string; message: string; seenAt: string }[] {
  const v = programsFileView();
  return v.problems.map((p) => ({ file: v.file!, path: `line ${p.line ?? "?"}${p.path ? `, ${p.path}` : ""}`, message: `${p.message} (program left out)`, seenAt: "" }));
}

const NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** The program of that name in the file, or a 404 (400 when the name cannot be one). */
export function programNamed(raw: string | undefined): BootstrapProgram {
  const name = raw ?? "";
  if (!NAME.test(name)) throw badRequest(`a program name is lower-case letters, digits and '-', got "${name.slice(0, 64)}"`);
  const view = programsFileView();
  const p = view.programs.find((x) => x.name === name);
  if (p) return p;
  const why = !view.configured
    ? "PROGRAMS_FILE is not set"
    : view.problems.some((x) => x.path === "" ) ? `${view.file} cannot be used (see /status)` : `${view.file} has no usable program "${name}"${view.problems.length ? " (some programs are left out: see /status)" : ""}`;
  throw notFound(`no program "${name}": ${why}`);
}

/** Computes a program from the data as it is now, in one read-only snapshot. Same data, same result. */
export async function computeProgram(db: Pick<Db, "tx">, program: BootstrapProgram, now = new Date()): Promise<ProgramResult> {
  return inReadOnlySnapshot(db, async (q) => {
    const state = await getIndexState(q);
    const measured = await measureProgram(q, program);
    const { rows, totals } = evaluateProgram(program, measured.evidence, measured.orchestrators);
    return {
      program,
      rows,
      totals: { ...totals, unresolved: measured.unresolved },
      snapshot: null,
      provenance: {
        computedAt: now.toISOString(),
        programsFile: programsFileView().file,
        block: state.block,
        blockTimestamp: state.blockTimestamp === null ? null : new Date(state.blockTimestamp * 1000).toISOString(),
        demo: state.demo,
      },
    };
  });
}

/** Computes and stores a program; returns its snapshot's id and time. */
export async function freezeProgram(db: Db, program: BootstrapProgram, now = new Date()): Promise<{ id: string; at: string }> {
  const r = await computeProgram(db, program, now);
  const id = await insertSnapshot(db, {
    program: program.name,
    createdAt: r.provenance.computedAt,
    definition: r.program,
    result: { rows: r.rows, totals: r.totals },
    provenance: r.provenance,
  });
  return { id, at: r.provenance.computedAt };
}

/** `at`: a snapshot's id, or an instant (ISO, or YYYY-MM-DD meaning the end of that UTC day); 400 otherwise. */
export function parseAt(raw: string | null): { id: string } | { before: string } | null {
  if (raw === null || raw === "") return null;
  const id = normaliseReportId(raw);
  if (id) return { id };
  const day = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T23:59:59.999Z` : raw;
  const t = /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(day) ? Date.parse(day) : NaN;
  if (Number.isNaN(t)) throw badRequest(`at must be a frozen snapshot's id (10 characters) or a time (YYYY-MM-DD or an ISO instant), got "${raw.slice(0, 40)}"`);
  return { before: new Date(t).toISOString() };
}

/**
 * A program now (no `at`), or its snapshot: by id, or the latest frozen at or before a time. A frozen
 * snapshot is served even when the program has since left the file. 404 with the reason otherwise.
 */
export async function programAt(db: Db, name: string | undefined, atRaw: string | null): Promise<ProgramResult> {
  const at = parseAt(atRaw);
  if (at === null) return computeProgram(db, programNamed(name));
  if (!NAME.test(name ?? "")) throw badRequest(`a program name is lower-case letters, digits and '-', got "${(name ?? "").slice(0, 64)}"`);
  const s = await findSnapshot<BootstrapProgram, Pick<ProgramResult, "rows" | "totals">, ProgramResult["provenance"]>(db, name!, at);
  if (!s) throw notFound("id" in at ? `program "${name}" has no frozen snapshot "${at.id}"` : `program "${name}" has no snapshot frozen at or before ${at.before}`);
  return { program: s.definition, rows: s.result.rows, totals: s.result.totals, snapshot: { id: s.id, at: s.createdAt }, provenance: s.provenance };
}

export interface ProgramListing {
  name: string;
  label: string;
  from: string;
  to: string;
  budgetLpt: string;
  /** false: only frozen snapshots remain (the file no longer defines it). */
  inFile: boolean;
  frozen: { id: string; at: string }[];
}

/** Every program of the file, and any program that only frozen snapshots remember, with its snapshots. */
export async function listPrograms(q: Querier): Promise<ProgramListing[]> {
  const file = programsFileView().programs;
  const snaps = await snapshotList(q);
  const frozenOf = (name: string) => snaps.filter((s) => s.program === name).map(({ id, at }) => ({ id, at }));
  const out: ProgramListing[] = file.map((p) => ({ name: p.name, label: p.label, from: p.from, to: p.to, budgetLpt: p.budgetLpt, inFile: true, frozen: frozenOf(p.name) }));
  for (const name of [...new Set(snaps.map((s) => s.program))].filter((n) => !file.some((p) => p.name === n)).sort()) {
    const latest = await findSnapshot<BootstrapProgram, unknown, unknown>(q, name, { id: snaps.find((s) => s.program === name)!.id });
    if (latest) out.push({ name, label: latest.definition.label, from: latest.definition.from, to: latest.definition.to, budgetLpt: latest.definition.budgetLpt, inFile: false, frozen: frozenOf(name) });
  }
  return out;
}

/** The payout CSV: one row per orchestrator granted LPT (address, amount in LPT), largest first. */
export function payoutCsv(r: ProgramResult): [string[], string[][]] {
  return [["address", "amount"], r.rows.filter((x) => x.eligible && x.grantLpt !== "0").map((x) => [x.address, x.grantLpt])];
}

/** The download's name: program, and the snapshot's id or "now". */
export const payoutFileName = (r: ProgramResult) => `program-${r.program.name}-${r.snapshot ? r.snapshot.id : "live"}-payout.csv`;

/** The JSON of GET /api/programs/<name>. */
export function programJson(r: ProgramResult) {
  return { program: r.program, rows: r.rows, totals: r.totals, snapshot: r.snapshot, computedAt: r.provenance.computedAt, provenance: r.provenance };
}
