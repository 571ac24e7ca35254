/**
 * vitest strips types without checking them, and set-up only warns when `src/` fails to compile
 * (so one broken helper does not block every notebook): this is where a type error in the helpers,
 * scripts or tests fails `npm test`.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..");
const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
// Incremental: a warm run re-checks only what changed since the last one (seconds, not tens).
const BUILD_INFO = join(ROOT, "node_modules", ".cache", "tsc-scripts.tsbuildinfo");

describe("TypeScript", () => {
  // tsconfig.tools.json extends the helpers' own tsconfig.json and adds scripts/ and test/.
  it("src, scripts and test type-check with no errors", () => {
    const run = spawnSync(process.execPath, [tsc, "-p", "tsconfig.tools.json", "--incremental", "--tsBuildInfoFile", BUILD_INFO], { cwd: ROOT, encoding: "utf8" });
    expect(run.stdout + run.stderr).toBe("");
    expect(run.status).toBe(0);
  }, 120_000);
});
