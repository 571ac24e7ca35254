/**
 * Judges one guide's run in one fault scenario (issue 21): a refused or failed request costs the
 * cell that made it one line, and the cells that need what it would have returned one line each;
 * nothing else changes. Precisely, every problem found is one line of `problems`:
 *
 * - a cell that failed (a thrown error, a compile error such as "Cannot find name");
 * - a cell with more than one note line (`STEP_FAILED`/`STEP_SKIPPED`);
 * - a note in a cell that needs nothing a failed step lacked (no fault fired in it, it sends no
 *   request after the key was refused, and it takes no name, directly or not, from such a cell or
 *   one where a fault fired and that failed or said so), unless the committed notebook (the clean
 *   run on the same demo account) shows that note too;
 * - a cell that met a refusal (400/401/403) and says nothing of it: no note line, no status shown;
 * - an error shown raw: axios' dump or a stack trace;
 * - a write that acts on an earlier answer (DEPENDENT_WRITES) sent after a request it depends on
 *   failed: from a cell that takes a name from a failed step's cell, or from that cell after the fault;
 * - a fault planned for the guide that never fired (the guide did not meet it: it proves nothing);
 * - a revoked key or an unknown company id that set in where no later cell meets it (or, after a
 *   401, would send a request): how the cells after it cope is what it is planned for.
 */
import type { GuideEntry, Guide } from "../../src/guides";
import { guideNotebook } from "../paths";
import { parseFault } from "../standin/faults/catalog";
import { cellDependencies, dependents, noteLines, rawErrorLines, readCells } from "./cells";
import { cellAt, type GuideRun } from "./run";
import { DEPENDENT_WRITES, type Scenario } from "./scenarios";

/** What a cell came to: ran clean, said something went wrong in a note, or failed. */
export type CellOutcome = "ok" | "note" | "error";

export interface CellVerdict {
  /** From 1, among the code cells that run. */
  number: number;
  outcome: CellOutcome;
  notes: string[];
}

export interface GuideVerdict {
  scenario: Scenario;
  guide: GuideEntry;
  cells: CellVerdict[];
  /** Each planned fault, with the cells it fired in (none: the guide never met it). */
  met: Map<string, number[]>;
  problems: string[];
}

/** The statuses a refusal fault answers: a cell meeting one can only say so. */
const REFUSALS = new Set([400, 401, 403]);
/** A cell that sends requests: every request of a guide goes through one of these (test/guides.test.ts). */
const SENDS_REQUESTS = /\bkv\.(read|write|client)\b/;

/** Judges `run`; `clean` is the guide as executed without faults (by default the committed notebook). */
export function judge(run: GuideRun, clean: string = guideNotebook(run.guide)): GuideVerdict {
  const cells = readCells(run.notebook);
  const committed = new Map(readCells(clean).map((c) => [c.number, noteLines(c.output)]));
  const failed = new Set(run.result.failedCells ?? []);
  const problems: string[] = [];
  if (!run.result.ok && failed.size === 0) problems.push(`the run stopped: ${run.result.message ?? run.result.status}`);

  const verdicts = cells.map((cell): CellVerdict => {
    const notes = noteLines(cell.output);
    return { number: cell.number, notes, outcome: failed.has(cell.number) ? "error" : notes.length > 0 ? "note" : "ok" };
  });
  const planned = run.scenario.faults[run.guide.id as Guide];
  const met = new Map<string, number[]>(planned.map((name) => [name, []]));
  const faultCells = new Map<number, GuideRun["firings"]>();
  for (const firing of run.firings) {
    const cell = cellAt(run.cellEnds, firing.at);
    faultCells.set(cell, [...(faultCells.get(cell) ?? []), firing]);
    const cellsMet = met.get(firing.fault) ?? [];
    if (!cellsMet.includes(cell)) met.set(firing.fault, [...cellsMet, cell]);
  }
  // A failed step: a cell where a fault fired and that failed or said so.
  const failedSteps = [...faultCells.keys()].filter((n) => failed.has(n) || (verdicts[n - 1]?.notes.length ?? 0) > 0);
  // Once the key was refused (401), the helpers send nothing more with it: every later cell that
  // would send a request says so instead, and needs nothing but the key (src/steps.ts).
  const keyRefusedIn = Math.min(...[...faultCells].filter(([, fs]) => fs.some((f) => f.status === 401)).map(([n]) => n));
  const keyless = cells.filter((c) => c.number > keyRefusedIn && SENDS_REQUESTS.test(c.source)).map((c) => c.number);
  const dependencies = cellDependencies(cells.map((c) => c.source));
  const needing = dependents(dependencies, new Set([...failedSteps, ...keyless].map((n) => n - 1)));

  for (const [i, cell] of cells.entries()) {
    const { number, notes } = verdicts[i];
    const at = `code cell ${number}`;
    if (failed.has(number)) problems.push(`${at} failed: ${firstLines(cell.output)}`);
    if (notes.length > 1) {
      problems.push(`${at} shows ${notes.length} note lines, not one: ${notes.map((n) => JSON.stringify(n)).join(", ")}`);
    }
    const unexpected = notes.filter((n) => !needing.has(i) && !(committed.get(number) ?? []).includes(n));
    if (unexpected.length > 0) problems.push(`${at} shows a note but needs nothing a failed step lacked: ${JSON.stringify(unexpected[0])}`);
    for (const refusal of (faultCells.get(number) ?? []).filter((f) => typeof f.status === "number" && REFUSALS.has(f.status))) {
      if (notes.length === 0 && !new RegExp(`\\b${String(refusal.status)}\\b`).test(cell.output)) {
        problems.push(`${at} met ${refusal.fault} (${String(refusal.status)} on ${refusal.operation}) and says nothing of it`);
        break;
      }
    }
    const raw = rawErrorLines(cell.output);
    if (raw.length > 0) problems.push(`${at} shows an error raw: ${raw.map((l) => JSON.stringify(l.trim())).join(", ")}`);
  }

  for (const write of run.exchanges.filter((x) => DEPENDENT_WRITES[run.guide.id as Guide].includes(x.operation))) {
    const cell = cellAt(run.cellEnds, write.at);
    const after = failedSteps.find(
      (step) =>
        (step < cell && dependents(dependencies, new Set([step - 1])).has(cell - 1)) ||
        (step === cell && (faultCells.get(step) ?? []).some((f) => f.at <= write.at)),
    );
    if (after === undefined) continue;
    const sent = `${write.operation} (${write.method} ${write.path})`;
    problems.push(`code cell ${cell} sent ${sent} after the failed step in code cell ${after} it depends on`);
  }
  for (const [fault, where] of met) if (where.length === 0) problems.push(`${fault} never fired: the guide did not meet it`);
  for (const fault of planned.filter(setsIn)) {
    const where = met.get(fault) ?? [];
    if (where.length === 0) continue;
    // After a 401 the helpers send nothing more: a later cell that would send a request meets it too.
    const reached = parseFault(fault).kind === "revoked-key" ? [...where, ...keyless] : where;
    if (!reached.some((cell) => cell > where[0])) {
      problems.push(`${fault} set in at code cell ${where[0]} and no later cell meets it: plan it for an earlier request, so the cells after it show how they cope`);
    }
  }
  return { scenario: run.scenario, guide: run.guide, cells: verdicts, met, problems };
}

/** A fault that, once it sets in, refuses every later request it concerns: a revoked key, an unknown company id. */
function setsIn(fault: string): boolean {
  const kind = parseFault(fault).kind;
  return kind === "revoked-key" || kind === "invalid-company-id";
}

/** The first two non-empty lines of a cell's output, for a one-line message. */
function firstLines(output: string): string {
  const lines = output.split("\n").map((l) => l.trim()).filter(Boolean);
  return lines.length === 0 ? "(no output)" : lines.slice(0, 2).join(" | ").slice(0, 240);
}
