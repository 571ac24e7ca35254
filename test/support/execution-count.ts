/**
 * A vitest reporter, beside vitest's own: ends the run with the count of whole-guide executions
 * (test/support/executions.ts), after vitest's summary and beside the skip line
 * (test/support/skip-summary.ts).
 */
import { existsSync, readFileSync } from "node:fs";
import type { Reporter } from "vitest/node";
import { EXECUTION_LOG, executionSummary } from "./executions";

export default class ExecutionCount implements Reporter {
  private writesAtExit = false;

  onTestRunEnd(): void {
    if (this.writesAtExit) return;
    this.writesAtExit = true;
    process.once("exit", () => {
      const line = existsSync(EXECUTION_LOG) ? executionSummary(readFileSync(EXECUTION_LOG, "utf8")) : undefined;
      if (line) process.stdout.write(`\n${line}\n`);
    });
  }
}
