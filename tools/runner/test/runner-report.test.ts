/**
 * The runner's progress lines and summary when notebooks run side by side (`--jobs`): events of
 * different notebooks interleave, and each line still names its own notebook.
 */
import { describe, expect, it } from "vitest";
import { ProgressView, summaryTable } from "../report";
import type { NotebookResult } from "../run";

/** A stream that keeps what is written; `columns` makes it look like a terminal that wide. */
function sink(columns?: number) {
  const written: string[] = [];
  const out = { write: (s: string) => written.push(s) > 0, columns } as unknown as NodeJS.WriteStream;
  return { out, text: () => written.join("") };
}

const result = (notebook: string, status: NotebookResult["status"], done: number, message?: string): NotebookResult => ({
  notebook,
  path: `/p/${notebook}`,
  status,
  ok: status !== "failed" && status !== "stale",
  cells: 3,
  done,
  seconds: 1.25,
  ...(message ? { message } : {}),
});

describe("ProgressView with notebooks running at once", () => {
  it("in a log: a line when each starts and one when each ends, in the order they happen", () => {
    const { out, text } = sink();
    const view = new ProgressView(out, false);
    view.handle({ type: "start", notebook: "a.ipynb", cells: 3 });
    view.handle({ type: "start", notebook: "b.ipynb", cells: 3 });
    view.handle({ type: "cell", notebook: "b.ipynb", done: 1, cells: 3 });
    view.handle({ type: "end", result: result("b.ipynb", "failed", 1, "b.ipynb, cell 2: boom") });
    view.handle({ type: "end", result: result("a.ipynb", "written", 3) });
    expect(text()).toBe(
      [
        "a.ipynb: running 3 code cells…",
        "b.ipynb: running 3 code cells…",
        "b.ipynb  1/3 cells  1.3 s  FAILED",
        "  b.ipynb, cell 2: boom",
        "a.ipynb  3/3 cells  1.3 s  ok (outputs written)",
        "",
      ].join("\n"),
    );
  });

  it("on a terminal: one status line naming every running notebook, cut to the width, each end on its own line", () => {
    const { out, text } = sink(40);
    const view = new ProgressView(out, true);
    view.handle({ type: "start", notebook: "a.ipynb", cells: 3 });
    view.handle({ type: "start", notebook: "b.ipynb", cells: 3 });
    const status = text().split("\r\x1b[2K").at(-1)!;
    expect(status).toMatch(/^a\.ipynb {2}0\/3 cells {2}0\.\d s {2}\| {2}b\.ipynb/);
    expect(status.length).toBe(39);
    view.handle({ type: "end", result: result("a.ipynb", "written", 3) });
    view.handle({ type: "end", result: result("b.ipynb", "unchanged", 3) });
    expect(text()).toContain("\r\x1b[2Ka.ipynb  3/3 cells  1.3 s  ok (outputs written)\n");
    expect(text().endsWith("\r\x1b[2Kb.ipynb  3/3 cells  1.3 s  ok (unchanged)\n")).toBe(true);
  });
});

describe("summaryTable", () => {
  it("lists the notebooks in the order given and says how many failed", () => {
    const table = summaryTable([result("a.ipynb", "written", 3), result("b.ipynb", "failed", 1)]);
    expect(table.split("\n").slice(2, 4)).toEqual(["a.ipynb     3/3      1.3  ok (outputs written)", "b.ipynb     1/3      1.3  FAILED"]);
    expect(table).toContain("1 of 2 notebooks failed; the files were left as they were.");
  });
});
