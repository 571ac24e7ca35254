/**
 * A count of whole-guide executions, for the test suite's closing line (test/support/executions.ts):
 * with `KLAVIYO_GUIDES_EXECUTION_LOG` naming a file, every notebook the runner executes (in this
 * process or a child: the variable is inherited) adds its file name there, one line each. Tests that
 * run a guide another way (JupyterLab, a Jupyter server) note it with `noteExecution` too.
 */
import { appendFileSync } from "node:fs";
import { basename } from "node:path";

export const EXECUTION_LOG_VARIABLE = "KLAVIYO_GUIDES_EXECUTION_LOG";

/** Notes one execution of `notebook` (a path or a file name) when a log is asked for; nothing otherwise. */
export function noteExecution(notebook: string, env: NodeJS.ProcessEnv = process.env): void {
  const log = env[EXECUTION_LOG_VARIABLE];
  if (log) appendFileSync(log, `${basename(notebook)}\n`);
}
