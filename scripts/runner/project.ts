import * as fs from "node:fs";
import * as path from "node:path";

/** The repository root: scripts/runner/ sits two levels below it. */
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
export const NOTEBOOKS_DIR = path.join(PROJECT_ROOT, "notebooks");
export const VENV_DIR = path.join(PROJECT_ROOT, ".venv");
export const VENV_PYTHON = path.join(VENV_DIR, "bin", "python");
export const VENV_JUPYTER_DATA = path.join(VENV_DIR, "share", "jupyter");
/** The Python executor, run as a directory (its __main__.py). */
export const EXECUTOR_DIR = path.join(PROJECT_ROOT, "scripts", "runner", "executor");
export const STATIC_IMAGES_SCRIPT = path.join(PROJECT_ROOT, "scripts", "static-images.ts");

/**
 * The guides in a folder, sorted so runs and summaries list them in the same order everywhere.
 * Hidden files are not guides (editor temp files, the benchmark's copies).
 */
export function listNotebooks(dir: string = NOTEBOOKS_DIR): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".ipynb") && !name.startsWith("."))
    .sort()
    .map((name) => path.join(dir, name));
}

/** How a notebook is named in messages: relative to where the user stands, never a home path. */
export function displayName(file: string, cwd: string = process.cwd()): string {
  const relative = path.relative(cwd, file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? path.relative(PROJECT_ROOT, file) : relative;
}
