/**
 * How many times `npm test` executed each guide as a whole, said in one line at the end of the run
 * (issue 22: every execution costs a kernel's worth of time, so the count is watched):
 *
 *   Whole-guide executions: 1-customer-data.ipynb 6, 2-client-side.ipynb 7, …
 *
 * `setup` (vitest's globalSetup, in the main process before any test file) names a fresh log in
 * KLAVIYO_GUIDES_EXECUTION_LOG, which every test process inherits; the runner and the tests that run
 * a guide another way add a line per execution (tools/runner/executions.ts); the reporter
 * (test/support/execution-count.ts) counts the registered guides' lines when the run ends. Copies
 * count as their guide (same file name).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GUIDES } from "../../src/guides";
import { SCRATCH_DIR } from "../../tools/paths";
import { EXECUTION_LOG_VARIABLE } from "../../tools/runner/executions";

/** Where this run's executions are noted. */
export const EXECUTION_LOG = join(SCRATCH_DIR, "guide-executions.log");

/** globalSetup: an empty log for this run. */
export function setup(): void {
  mkdirSync(SCRATCH_DIR, { recursive: true });
  writeFileSync(EXECUTION_LOG, "");
  process.env[EXECUTION_LOG_VARIABLE] = EXECUTION_LOG;
}

/** The closing line for the executions in `log` (one file name a line), or undefined when no guide ran. */
export function executionSummary(log: string): string | undefined {
  const lines = log.split("\n");
  const counts = GUIDES.map((g) => [g.notebook, lines.filter((line) => line === g.notebook).length] as const);
  if (counts.every(([, n]) => n === 0)) return undefined;
  return `Whole-guide executions: ${counts.map(([notebook, n]) => `${notebook} ${n}`).join(", ")}.`;
}
