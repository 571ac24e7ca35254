/**
 * The environment Jupyter and the tslab kernel start in: one definition for the headless runner
 * (tools/runner/) and for `npm run lab`, so a notebook sees the same variables in both.
 */
import * as path from "node:path";
import type { Mode } from "../../src/config";
import { VENV_JUPYTER_DATA } from "../paths";

/** Variables set by whoever started us (vitest) that must not change what a notebook prints. */
const CALLER_ONLY = /^(VITEST|VITE_|TINYPOOL|FORCE_COLOR$|NO_COLOR$)/;

/**
 * The caller's environment with the project's Jupyter data first, so the project's own tslab
 * kernelspec wins over any installed for the user. KLAVIYO_MODE is left as the caller set it
 * (in JupyterLab, `.env` decides).
 */
export function jupyterEnvironment(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) if (!CALLER_ONLY.test(key)) env[key] = value;
  if (env.NODE_ENV === "test") delete env.NODE_ENV;
  return {
    ...env,
    JUPYTER_PATH: [VENV_JUPYTER_DATA, env.JUPYTER_PATH].filter(Boolean).join(path.delimiter),
    JUPYTER_PREFER_ENV_PATH: "1",
    // The kernelspec starts tslab through `#!/usr/bin/env node`: make that the node running us.
    PATH: [path.dirname(process.execPath), env.PATH].filter(Boolean).join(path.delimiter),
    // Keep TensorFlow.js (danfo) and Node deprecation notices out of the outputs; they carry PIDs.
    TF_CPP_MIN_LOG_LEVEL: "3",
    NODE_NO_WARNINGS: "1",
    PYTHONUNBUFFERED: "1",
  };
}

/** The headless runner's kernel: as above, with the mode forced (replay unless asked). */
export function kernelEnvironment(base: NodeJS.ProcessEnv, mode: Mode = "replay"): NodeJS.ProcessEnv {
  return { ...jupyterEnvironment(base), KLAVIYO_MODE: mode };
}
