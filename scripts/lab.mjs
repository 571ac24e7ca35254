#!/usr/bin/env node
// `npm run lab`: JupyterLab from the project's .venv, opened at notebooks/, with the tslab kernel.
// Extra arguments go to JupyterLab: `npm run lab -- --no-browser --port 8899`.
//
// Unlike the headless runner, the kernel's KLAVIYO_MODE is left alone: in JupyterLab your .env
// decides (live with your keys, or replay when none are set).

import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const VENV = path.join(ROOT, ".venv");
const JUPYTER = path.join(VENV, "bin", "jupyter");
const JUPYTER_DATA = path.join(VENV, "share", "jupyter");
const NOTEBOOKS = path.join(ROOT, "notebooks");

if (!fs.existsSync(JUPYTER)) {
  console.error(`lab: ${JUPYTER} is missing; run \`npm run setup\` first`);
  process.exit(1);
}
fs.mkdirSync(NOTEBOOKS, { recursive: true });

const env = {
  ...process.env,
  // Kernelspecs, lab settings and runtime files live in .venv, so the project's own tslab
  // kernel is the one offered and nothing is written to the user's global Jupyter folders.
  JUPYTER_PATH: [JUPYTER_DATA, process.env.JUPYTER_PATH].filter(Boolean).join(path.delimiter),
  JUPYTER_DATA_DIR: JUPYTER_DATA,
  JUPYTER_PREFER_ENV_PATH: "1",
  // The kernelspec starts tslab through `#!/usr/bin/env node`: make that this node.
  PATH: [path.dirname(process.execPath), process.env.PATH].filter(Boolean).join(path.delimiter),
  TF_CPP_MIN_LOG_LEVEL: "3",
};

// New notebooks get the TypeScript kernel rather than Python's. A root folder given after `--`
// replaces notebooks/ (Jupyter refuses the option twice).
const extra = process.argv.slice(2);
const ownRoot = extra.some((a) => /^--(ServerApp\.root_dir|notebook-dir)=/.test(a));
const args = ["lab", ...(ownRoot ? [] : [`--ServerApp.root_dir=${NOTEBOOKS}`]), "--MappingKernelManager.default_kernel_name=tslab"];
// Jupyter refuses to start as root without this (containers, CI); it changes nothing else.
if (process.getuid?.() === 0) args.push("--allow-root");
args.push(...extra);

const lab = spawn(JUPYTER, args, { cwd: NOTEBOOKS, env, stdio: "inherit" });
// Ctrl-C reaches JupyterLab directly (same process group); a SIGTERM sent to us alone has to be passed on.
for (const signal of ["SIGTERM", "SIGHUP"]) {
  process.on(signal, () => lab.kill(signal));
}
process.on("SIGINT", () => {});
lab.on("exit", (code, signal) => {
  process.exit(code ?? (signal ? 1 : 0));
});
