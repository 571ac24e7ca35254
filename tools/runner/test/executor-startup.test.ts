/**
 * What the Python executor loads before its first notebook: every run waits for it, once per job
 * slot. A library that builds a parser on import (rfc3987_syntax, for jsonschema's "iri" format
 * check, which notebook validation never uses) cost about 1.7 s of each start.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { VENV_PYTHON } from "../../paths";
import { EXECUTOR_DIR } from "../executor-process";

/** The modules the executor imports when it starts and finds no job (`-X importtime` lists them). */
function modulesImportedAtStart(): string[] {
  const run = spawnSync(VENV_PYTHON, ["-X", "importtime", EXECUTOR_DIR, "--events-fd", "1"], { input: "", encoding: "utf8" });
  expect(run.status, run.stderr).toBe(0);
  return [...run.stderr.matchAll(/^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)$/gm)].map((m) => m[1]);
}

describe("the executor's start-up", () => {
  it("loads nbformat and nbclient but not the IRI grammar jsonschema would build", () => {
    const modules = modulesImportedAtStart();
    expect(modules).toContain("nbformat");
    expect(modules).toContain("nbclient");
    expect(modules.filter((name) => name.startsWith("rfc3987_syntax."))).toEqual([]);
  });
});
