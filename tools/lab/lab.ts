// `npm run lab`: JupyterLab from the project's .venv, opened at notebooks/ on the first guide, with
// the tslab kernel. Extra arguments go to JupyterLab: `npm run lab -- --no-browser --port 8899`. It
// runs as `node --import tsx tools/lab/lab.ts`, in one process, so signals reach it as before.
//
// Unlike the headless runner, the kernel's KLAVIYO_MODE is left alone: in JupyterLab your .env
// decides (live with your keys, or replay when none are set).

import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { GUIDES } from "../../src/guides";
import { jupyterEnvironment } from "../runner/environment";
import { LAB_CONFIG_DIR, NOTEBOOKS_DIR as NOTEBOOKS, VENV_DIR, VENV_JUPYTER_DATA } from "../paths";

const JUPYTER = path.join(VENV_DIR, "bin", "jupyter");

if (!fs.existsSync(JUPYTER)) {
  console.error(`lab: ${JUPYTER} is missing; run \`npm run setup\` first`);
  process.exit(1);
}
fs.mkdirSync(NOTEBOOKS, { recursive: true });

// Lab settings, workspaces and runtime files live in .venv too, so nothing is written to the user's
// global Jupyter folders (JupyterLab keeps settings and workspaces in ~/.jupyter/lab unless told).
// The project's lab defaults come first; they are defaults, so a reader's own choice in
// JupyterLab's Settings still wins.
const env = {
  ...jupyterEnvironment(process.env),
  JUPYTER_DATA_DIR: VENV_JUPYTER_DATA,
  JUPYTERLAB_SETTINGS_DIR: path.join(VENV_JUPYTER_DATA, "lab", "user-settings"),
  JUPYTERLAB_WORKSPACES_DIR: path.join(VENV_JUPYTER_DATA, "lab", "workspaces"),
  JUPYTER_CONFIG_PATH: [LAB_CONFIG_DIR, process.env.JUPYTER_CONFIG_PATH].filter(Boolean).join(path.delimiter),
};

// New notebooks get the TypeScript kernel rather than Python's. A root folder or start page given
// after `--` replaces ours (Jupyter refuses an option twice).
const extra = process.argv.slice(2);
const givenRoot = extra.map((a) => /^--(?:ServerApp\.root_dir|notebook-dir)=(.*)$/.exec(a)?.[1]).find((root) => root !== undefined);
// Jupyter starts in notebooks/, so a relative root is read from there.
const root = path.resolve(NOTEBOOKS, givenRoot ?? ".");
const args = ["lab", ...(givenRoot === undefined ? [`--ServerApp.root_dir=${NOTEBOOKS}`] : []), "--MappingKernelManager.default_kernel_name=tslab"];
// The browser opens on the registry's first guide, where a reader starts, when the root holds it.
const firstGuide = GUIDES[0].notebook;
if (!extra.some((a) => /default_url=/.test(a)) && fs.existsSync(path.join(root, firstGuide))) {
  args.push(`--LabApp.default_url=/lab/tree/${encodeURIComponent(firstGuide)}`);
}
// Jupyter refuses to start as root without this (containers, CI); it changes nothing else.
if (process.getuid?.() === 0) args.push("--allow-root");
args.push(...extra);

const lab = spawn(JUPYTER, args, { cwd: NOTEBOOKS, env, stdio: "inherit" });
// Ctrl-C reaches JupyterLab directly (same process group); a SIGTERM sent to us alone has to be passed on.
for (const signal of ["SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => lab.kill(signal));
}
process.on("SIGINT", () => {});
lab.on("exit", (code, signal) => {
  process.exit(code ?? (signal ? 1 : 0));
});
