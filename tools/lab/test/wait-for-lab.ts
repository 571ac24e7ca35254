/** Waiting for a JupyterLab process the lab tests start, and keeping its output for their messages. */
import type { ChildProcess } from "node:child_process";

/**
 * Resolves once the JupyterLab that `child` runs prints its address on 127.0.0.1:`port`; rejects
 * with its output if it exits first or takes more than 90 s. `log()` gives its output so far.
 */
export async function waitForLab(child: ChildProcess, port: number): Promise<{ log: () => string }> {
  let log = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`JupyterLab did not start in 90 s:\n${log}`)), 90_000);
    const onData = (b: Buffer) => {
      log += b.toString();
      if (log.includes(`127.0.0.1:${port}/lab`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`JupyterLab exited with ${code}:\n${log}`));
    });
  });
  return { log: () => log };
}
