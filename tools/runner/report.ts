import type { NotebookResult, RunnerEvent, Status } from "./run";

const RESULT_WORDS: Record<Status, string> = {
  written: "ok (outputs written)",
  unchanged: "ok (unchanged)",
  "up-to-date": "ok (up to date)",
  stale: "STALE",
  failed: "FAILED",
};

const TICK_MS = 250;

/**
 * One line per notebook. On a terminal, the notebooks running right now share one status line
 * rewritten in place (cells done / total, elapsed, for each), and each notebook's line is printed
 * above it when it ends; in a log (CI) it prints a plain line when a notebook starts and one when
 * it ends, so a hang still shows which notebooks it is in. Notebooks running at the same time
 * (`--jobs`) start and end in any order; each line names its notebook.
 */
export class ProgressView {
  private readonly running = new Map<string, { cells: number; done: number; since: number }>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly live: boolean = Boolean(out.isTTY),
  ) {}

  readonly handle = (event: RunnerEvent): void => {
    if (event.type === "start") {
      this.running.set(event.notebook, { cells: event.cells, done: 0, since: Date.now() });
      if (this.live) {
        this.draw();
        this.timer ??= setInterval(() => this.draw(), TICK_MS);
      } else {
        this.out.write(`${event.notebook}: running ${event.cells} code ${event.cells === 1 ? "cell" : "cells"}…\n`);
      }
    } else if (event.type === "cell") {
      const state = this.running.get(event.notebook);
      if (state) state.done = event.done;
      if (this.live) this.draw();
    } else if (event.type === "note") {
      this.out.write(`${this.live ? "\r\x1b[2K" : ""}note: ${event.message}\n`);
      if (this.live) this.draw();
    } else {
      const r = event.result;
      this.running.delete(r.notebook);
      if (this.running.size === 0) this.stopTicking();
      const line = `${r.notebook}  ${r.done}/${r.cells} cells  ${r.seconds.toFixed(1)} s  ${RESULT_WORDS[r.status]}`;
      this.out.write(this.live ? `\r\x1b[2K${line}\n` : `${line}\n`);
      if (r.message) this.out.write(`${indent(r.message)}\n`);
      if (this.live) this.draw();
    }
  };

  private draw(): void {
    if (this.running.size === 0) return;
    const now = Date.now();
    const parts = [...this.running].map(
      ([notebook, { cells, done, since }]) => `${notebook}  ${done}/${cells} cells  ${((now - since) / 1000).toFixed(1)} s`,
    );
    // Cut to the terminal's width: a wrapped line could not be rewritten in place.
    const line = parts.join("  |  ");
    this.out.write(`\r\x1b[2K${this.out.columns ? line.slice(0, this.out.columns - 1) : line}`);
  }

  private stopTicking(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}

/** The closing table, and what to do about anything that did not pass. */
export function summaryTable(results: NotebookResult[]): string {
  const rows = results.map((r) => [r.notebook, `${r.done}/${r.cells}`, r.seconds.toFixed(1), RESULT_WORDS[r.status]]);
  const header = ["notebook", "cells", "seconds", "result"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const format = (row: string[]) =>
    row.map((cell, i) => (i === 1 || i === 2 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join("  ").trimEnd();
  const lines = [format(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(format)];
  const failed = results.filter((r) => r.status === "failed").length;
  const stale = results.filter((r) => r.status === "stale").length;
  if (failed) lines.push(`\n${failed} of ${results.length} notebooks failed; the files were left as they were. The cell and error are shown above.`);
  if (stale) lines.push(`\n${stale} of ${results.length} notebooks have outputs that differ from a fresh run: run \`npm run guides\` and commit the result.`);
  return lines.join("\n");
}
