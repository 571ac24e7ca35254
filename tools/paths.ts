/**
 * Where things are in the project: the one module every tool and test takes its paths from.
 * Locations inside one tool (the executor's Python package, the kernel's start file) belong to
 * that tool's own modules.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { GUIDES, type GuideEntry } from "../src/guides";

/** The repository root: this file sits one level below it. */
export const PROJECT_ROOT = path.resolve(__dirname, "..");
/** The guides, committed with their outputs. */
export const NOTEBOOKS_DIR = path.join(PROJECT_ROOT, "notebooks");
/** The recorded fixtures the guides replay (one file per guide). */
export const DATA_DIR = path.join(PROJECT_ROOT, "data");
/**
 * Klaviyo's OpenAPI document where a checkout finds it by default, beside the project (never copied
 * into it); KLAVIYO_OPENAPI_SPEC names another (tools/spec/project.ts).
 */
export const OPENAPI_DOCUMENT = path.join(PROJECT_ROOT, "..", "shared", "klaviyo-openapi", "stable.json");
/** What `npm run spec` derives from it: the operations' facts for the helpers, their shapes for the tests. */
export const OPERATION_FACTS_MODULE = path.join(PROJECT_ROOT, "src", "operations.generated.ts");
export const OPENAPI_SUBSET = path.join(PROJECT_ROOT, "test", "support", "openapi-subset.json");
/** The project's Python environment (Jupyter, nbclient, nbconvert), made by the set-up. */
export const VENV_DIR = path.join(PROJECT_ROOT, ".venv");
export const VENV_PYTHON = path.join(VENV_DIR, "bin", "python");
/** Jupyter's data folder inside .venv: the project's tslab kernelspec, JupyterLab's settings. */
export const VENV_JUPYTER_DATA = path.join(VENV_DIR, "share", "jupyter");
/**
 * The project's JupyterLab defaults (labconfig/default_setting_overrides.json: no "official Jupyter
 * news" pop-up over the first outputs), read through JUPYTER_CONFIG_PATH by `npm run lab` and by
 * binder/start.
 */
export const LAB_CONFIG_DIR = path.join(PROJECT_ROOT, "tools", "lab", "jupyter-config");
/**
 * Scratch space for tests and tools (git-ignored): copies of notebooks being executed, sites being
 * built. Inside the project, so a kernel started there finds the project's node_modules.
 */
export const SCRATCH_DIR = path.join(PROJECT_ROOT, ".tmp");

/** A fresh folder under SCRATCH_DIR whose name starts with `prefix`. */
export function scratchDir(prefix: string): string {
  fs.mkdirSync(SCRATCH_DIR, { recursive: true });
  return fs.mkdtempSync(path.join(SCRATCH_DIR, `${prefix}-`));
}

/** A registered guide's notebook file. */
export function guideNotebook(guide: Pick<GuideEntry, "notebook">): string {
  return path.join(NOTEBOOKS_DIR, guide.notebook);
}

/** A registered guide's committed fixture file. */
export function guideFixture(guide: Pick<GuideEntry, "fixture">): string {
  return path.join(DATA_DIR, guide.fixture);
}

/** Every registered guide's notebook, in the registry's order (src/guides.ts). */
export const GUIDE_NOTEBOOKS: readonly string[] = GUIDES.map(guideNotebook);

/** How a notebook is named in messages: relative to where the user stands, never a home path. */
export function displayName(file: string, cwd: string = process.cwd()): string {
  const relative = path.relative(cwd, file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? path.relative(PROJECT_ROOT, file) : relative;
}
