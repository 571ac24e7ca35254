/**
 * Child processes for tests that run for minutes (a recording, a copy's scripts): started
 * asynchronously, because a vitest worker blocked in `spawnSync` for over a minute cannot answer
 * its runner ("Timeout calling onTaskUpdate", an unhandled error that fails the run).
 */
import { spawn, type SpawnOptions } from "node:child_process";

/** What a finished child said: its exit status and its stdout and stderr, interleaved as they came. */
export interface ChildResult {
  status: number | null;
  out: string;
}

/**
 * Runs `command` with `args` to its end without blocking the event loop.
 *
 * @example
 * const { status, out } = await runChild("unshare", ["-n", "sh", "-c", "…"], { cwd: PROJECT_ROOT });
 */
export function runChild(command: string, args: readonly string[], options: Omit<SpawnOptions, "stdio"> = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout?.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr?.on("data", (b: Buffer) => (out += b.toString()));
    child.once("error", reject);
    child.once("close", (status) => resolve({ status, out }));
  });
}
