import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GUIDES } from "../src/guides";
import { EXECUTION_LOG_VARIABLE, noteExecution } from "../tools/runner/executions";
import { executionSummary } from "./support/executions";

describe("the count of whole-guide executions", () => {
  it("notes each execution by file name when a log is named, and nothing otherwise", () => {
    const dir = mkdtempSync(join(tmpdir(), "executions-"));
    const log = join(dir, "log");
    noteExecution(`/somewhere/.tmp/copies/${GUIDES[0].notebook}`, { [EXECUTION_LOG_VARIABLE]: log });
    noteExecution(GUIDES[0].notebook, { [EXECUTION_LOG_VARIABLE]: log });
    noteExecution(GUIDES[0].notebook, {});
    expect(readFileSync(log, "utf8")).toBe(`${GUIDES[0].notebook}\n${GUIDES[0].notebook}\n`);
    rmSync(dir, { recursive: true, force: true });
  });

  it("sums them per registered guide in one line, leaving other notebooks out", () => {
    const log = [GUIDES[0].notebook, "throwaway-guide.ipynb", GUIDES[0].notebook, GUIDES[1].notebook, ""].join("\n");
    const line = executionSummary(log);
    expect(line).toMatch(/^Whole-guide executions: /);
    expect(line).toContain(`${GUIDES[0].notebook} 2`);
    expect(line).toContain(`${GUIDES[1].notebook} 1`);
    expect(line).not.toContain("throwaway");
    expect(executionSummary("throwaway-guide.ipynb\n")).toBeUndefined();
  });
});
