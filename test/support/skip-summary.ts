/**
 * A vitest reporter, beside vitest's own: when tests skipped for something the machine lacks
 * (test/support/requirements.ts), the run ends with one plain line saying which, what they need
 * and how to get it, e.g.
 *
 *   Skipped 7 tests: tools/site/test/browser.test.ts ×6, tools/runner/test/runner.test.ts ×1 [needs Chromium: install Debian's chromium or set CHROMIUM_PATH]. Run npm test again once it is there.
 *
 * The line is written when the process exits, so it comes after vitest's summary.
 */
import { relative } from "node:path";
import type { Reporter, TestModule } from "vitest/node";

/** One test that skipped with a note. */
export interface NotedSkip {
  /** The test file, relative to the project. */
  file: string;
  note: string;
}

/** The closing line for these skips, or undefined when there are none. */
export function skipSummary(skips: readonly NotedSkip[]): string | undefined {
  if (skips.length === 0) return undefined;
  const byNote = new Map<string, Map<string, number>>();
  for (const { file, note } of skips) {
    const files = byNote.get(note) ?? new Map<string, number>();
    files.set(file, (files.get(file) ?? 0) + 1);
    byNote.set(note, files);
  }
  const parts = [...byNote].map(([note, files]) => `${[...files].map(([file, n]) => `${file} ×${n}`).join(", ")} [${note}]`);
  return `Skipped ${skips.length} test${skips.length === 1 ? "" : "s"}: ${parts.join("; ")}. Run npm test again once ${byNote.size === 1 ? "it is" : "they are"} there.`;
}

export default class SkipSummary implements Reporter {
  /** The latest run's line (watch mode runs again and again); written once, at exit. */
  private line: string | undefined;
  private writesAtExit = false;

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const skips: NotedSkip[] = [];
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state === "skipped" && result.note) skips.push({ file: relative(module.project.config.root, module.moduleId), note: result.note });
      }
    }
    this.line = skipSummary(skips);
    if (this.writesAtExit) return;
    this.writesAtExit = true;
    process.once("exit", () => {
      if (this.line) process.stdout.write(`\n${this.line}\n`);
    });
  }
}
