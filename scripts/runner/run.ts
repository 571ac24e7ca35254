import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { findBrowser } from "../static-images";
import type { Mode } from "../../src/config";
import { kernelEnvironment } from "../kernel-env";
import { EXECUTOR_SCRIPT, PROJECT_ROOT, STATIC_IMAGES_SCRIPT, VENV_PYTHON, displayName } from "./project";

export { MODES, type Mode } from "../../src/config";
export { kernelEnvironment } from "../kernel-env";

/** What happened to one notebook. `written`/`unchanged`/`up-to-date` are successes. */
export type Status = "written" | "unchanged" | "up-to-date" | "stale" | "failed";

export interface RunOptions {
  /** Execute and compare with the file on disk instead of writing. */
  check?: boolean;
  /** Per-cell limit; a cell running longer ends that notebook's run. */
  timeoutSeconds?: number;
  /** KLAVIYO_MODE for the kernel. Replay unless asked, so a published run never touches an account. */
  mode?: Mode;
  /** Environment the kernel starts from (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /**
   * Redraw every chart's static image, not only new or changed charts (after a change to how
   * images are drawn; the images then depend on this machine's fonts).
   */
  redrawCharts?: boolean;
  /** Progress, as it happens. */
  onEvent?: (event: RunnerEvent) => void;
}

export type RunnerEvent =
  | { type: "start"; notebook: string; cells: number }
  | { type: "cell"; notebook: string; done: number; cells: number }
  | { type: "note"; notebook: string; message: string }
  | { type: "end"; result: NotebookResult };

export interface NotebookResult {
  /** Name for messages (relative path). */
  notebook: string;
  path: string;
  status: Status;
  ok: boolean;
  /** Code cells that run, and how many of them finished (the failing one included). */
  cells: number;
  done: number;
  seconds: number;
  /** Why it failed, or the first differing cell as a unified diff when stale. */
  message?: string;
}

export const DEFAULT_TIMEOUT_SECONDS = 300;

/**
 * How the executor draws static images of charts: the command that renders figures to SVG in a
 * headless browser, or why there is none. Unchanged charts keep their committed image either way.
 */
function staticImageJob(env: NodeJS.ProcessEnv, redraw: boolean): { command: string[]; redraw: boolean } | { skipped: string } {
  const browser = findBrowser(env);
  if (!browser) return { skipped: "no headless browser found (install Debian's chromium, or set CHROMIUM_PATH)" };
  return { command: [process.execPath, require.resolve("tsx/cli"), STATIC_IMAGES_SCRIPT, browser], redraw };
}
const KERNEL = "tslab";

interface ExecutorEvent {
  type: "start" | "cell" | "note" | "end";
  name: string;
  cells?: number;
  done?: number;
  status?: Status;
  message?: string | null;
}

const OK: ReadonlySet<Status> = new Set<Status>(["written", "unchanged", "up-to-date"]);
const KEEP_STDERR_CHARS = 4000;

/**
 * Execute notebooks on the tslab kernel, one after another in one Python process, and write
 * each back (or, with `check`, compare). Never rejects because a notebook failed: every
 * notebook gets a result, failures included.
 *
 * @example
 *   const results = await runNotebooks(["notebooks/a.ipynb"], { timeoutSeconds: 60 });
 *   if (results.some((r) => !r.ok)) process.exitCode = 1;
 */
export async function runNotebooks(files: string[], options: RunOptions = {}): Promise<NotebookResult[]> {
  if (!fs.existsSync(VENV_PYTHON)) {
    throw new Error(`${VENV_PYTHON} is missing: run \`npm run setup\` first (it creates the project's Jupyter environment)`);
  }
  const entries = files.map((file) => {
    const absolute = path.resolve(file);
    return { path: absolute, name: displayName(absolute) };
  });
  const job = {
    notebooks: entries,
    timeout: options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
    check: options.check ?? false,
    kernel: KERNEL,
    images: staticImageJob(options.env ?? process.env, options.redrawCharts ?? false),
  };
  const child = spawn(VENV_PYTHON, [EXECUTOR_SCRIPT, "--events-fd", "3"], {
    cwd: PROJECT_ROOT,
    env: kernelEnvironment(options.env ?? process.env, options.mode),
    stdio: ["pipe", "pipe", "pipe", "pipe"],
  });
  let stderr = "";
  const keep = (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-KEEP_STDERR_CHARS);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise<number | string>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve(code ?? signal ?? "unknown"));
  });
  // Awaited only after the events are read; until then a spawn failure must not count as unhandled.
  exited.catch(() => undefined);
  (child.stdin as Writable).end(JSON.stringify(job));

  const results: NotebookResult[] = [];
  const started = new Map<string, { at: number; cells: number; done: number }>();
  const finish = (name: string, status: Status, message: string | undefined) => {
    const entry = entries.find((e) => e.name === name);
    const state = started.get(name) ?? { at: Date.now(), cells: 0, done: 0 };
    const result: NotebookResult = {
      notebook: name,
      path: entry ? entry.path : name,
      status,
      ok: OK.has(status),
      cells: state.cells,
      done: state.done,
      seconds: (Date.now() - state.at) / 1000,
      ...(message ? { message } : {}),
    };
    results.push(result);
    options.onEvent?.({ type: "end", result });
  };

  const events = createInterface({ input: child.stdio[3] as Readable });
  for await (const line of events) {
    const event = JSON.parse(line) as ExecutorEvent;
    if (event.type === "start") {
      started.set(event.name, { at: Date.now(), cells: event.cells ?? 0, done: 0 });
      options.onEvent?.({ type: "start", notebook: event.name, cells: event.cells ?? 0 });
    } else if (event.type === "cell") {
      const state = started.get(event.name);
      if (state) state.done = event.done ?? state.done;
      options.onEvent?.({ type: "cell", notebook: event.name, done: event.done ?? 0, cells: state?.cells ?? 0 });
    } else if (event.type === "note") {
      options.onEvent?.({ type: "note", notebook: event.name, message: event.message ?? "" });
    } else {
      finish(event.name, event.status ?? "failed", event.message ?? undefined);
    }
  }

  const code = await exited;
  // Whatever the executor did not report on, it never finished: say so with what it printed.
  for (const entry of entries) {
    if (results.some((r) => r.notebook === entry.name)) continue;
    finish(entry.name, "failed", `${entry.name}: the notebook executor stopped (exit ${code}) before finishing it:\n${stderr.trim()}`);
  }
  return results;
}
