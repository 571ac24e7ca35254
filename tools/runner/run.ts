import * as fs from "node:fs";
import { availableParallelism } from "node:os";
import * as path from "node:path";
import { findBrowser } from "../chromium";
import { CHART_CONTRACT, Executor, type ExecutorJob, type ImagesJob, type Status } from "./executor-process";
import { VENV_PYTHON, displayName } from "../paths";
import type { Mode } from "../../src/config";
import { kernelEnvironment } from "./environment";
import { noteExecution } from "./executions";

export type { Status } from "./executor-process";
export { MODES, type Mode } from "../../src/config";
export { kernelEnvironment } from "./environment";

export interface RunOptions {
  /** Execute and compare with the file on disk instead of writing. */
  check?: boolean;
  /**
   * Run every cell even after one failed, instead of stopping at the first failure: how a test
   * counts the cells one fault costs (`NotebookResult.failedCells`). Such a notebook still ends
   * `failed`, but (unless `check`) its file is written, so its outputs show what each cell did.
   */
  keepGoing?: boolean;
  /** Per-cell limit; a cell running longer ends that notebook's run. */
  timeoutSeconds?: number;
  /** KLAVIYO_MODE for the kernel. Replay unless asked, so a published run never touches an account. */
  mode?: Mode;
  /** Environment the kernels start from (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /**
   * Called for each notebook when a slot takes it, just before it runs: variables its kernel gets on
   * top of the run's (`KLAVIYO_MODE` included), and what to undo once it ended (e.g. a local stand-in
   * to close). This is how notebooks of one run talk to different accounts, in different modes, while
   * sharing the run's slots. A `prepare` that throws fails that notebook, naming why; the others
   * still run.
   */
  prepare?: (notebook: string) => Promise<PreparedNotebook>;
  /**
   * Redraw every chart's static image, not only new or changed charts (after a change to how
   * images are drawn; the images then depend on this machine's fonts).
   */
  redrawCharts?: boolean;
  /**
   * How many notebooks run at once, each on its own fresh kernel (default: the number of cores).
   * Results do not depend on it.
   */
  jobs?: number;
  /** Progress, as it happens; with several jobs, the events of different notebooks interleave. */
  onEvent?: (event: RunnerEvent) => void;
}

/** What `prepare` gives one notebook. */
export interface PreparedNotebook {
  env?: NodeJS.ProcessEnv;
  release?: () => Promise<void>;
}

export type RunnerEvent =
  | { type: "start"; notebook: string; cells: number }
  | { type: "cell"; notebook: string; done: number; cells: number; failed?: boolean }
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
  /** With `keepGoing`: the numbers (from 1, among the code cells that run) of the cells that failed. */
  failedCells?: number[];
  seconds: number;
  /** Why it failed, or the first differing cell as a unified diff when stale. */
  message?: string;
}

export const DEFAULT_TIMEOUT_SECONDS = 300;

/**
 * How the executor draws static images of charts: the command that renders figures to SVG in a
 * headless browser, or why there is none. Unchanged charts keep their committed image either way.
 */
function staticImageJob(env: NodeJS.ProcessEnv, redraw: boolean): ImagesJob {
  const browser = findBrowser(env);
  if (!browser) return { skipped: "no headless browser found (install Debian's chromium, or set CHROMIUM_PATH)" };
  return { command: [process.execPath, require.resolve("tsx/cli"), CHART_IMAGES_SCRIPT, browser], redraw };
}
const KERNEL = "tslab";
/** The command that draws static chart images (run by the executor, see chart-images.ts). */
const CHART_IMAGES_SCRIPT = path.join(__dirname, "chart-images.ts");


const OK: ReadonlySet<Status> = new Set<Status>(["written", "unchanged", "up-to-date"]);

/** The default for `jobs`: one notebook per core. */
export function defaultJobs(): number {
  return availableParallelism();
}

/**
 * Execute notebooks on the tslab kernel, up to `jobs` at a time (one executor process per job
 * slot, each notebook on a fresh kernel), and write each back (or, with `check`, compare).
 * Results come in the order of `files` whatever order the notebooks finish in. Never rejects
 * because a notebook failed: every notebook gets a result, failures included.
 *
 * @example
 *   const results = await runNotebooks(["notebooks/a.ipynb"], { timeoutSeconds: 60 });
 *   if (results.some((r) => !r.ok)) process.exitCode = 1;
 */
export async function runNotebooks(files: readonly string[], options: RunOptions = {}): Promise<NotebookResult[]> {
  if (!fs.existsSync(VENV_PYTHON)) {
    throw new Error(`${VENV_PYTHON} is missing: run \`npm run setup\` first (it creates the project's Jupyter environment)`);
  }
  const jobs = options.jobs ?? defaultJobs();
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`jobs must be a whole number of at least 1, not ${jobs}`);
  const env = options.env ?? process.env;
  const kernelEnv = kernelEnvironment(env, options.mode);
  const images = staticImageJob(env, options.redrawCharts ?? false);
  const jobFor = (file: string, own: NodeJS.ProcessEnv | undefined): ExecutorJob => {
    const absolute = path.resolve(file);
    return {
      notebook: { path: absolute, name: displayName(absolute) },
      timeout: options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
      check: options.check ?? false,
      keepGoing: options.keepGoing ?? false,
      kernel: KERNEL,
      env: { ...kernelEnv, ...own },
      charts: CHART_CONTRACT,
      images,
    };
  };

  const results: NotebookResult[] = new Array(files.length);
  // One slot runs them as given; several start the longest first (see longestFirst).
  const queue = jobs > 1 ? longestFirst(files) : files.map((_, index) => index);
  // Each slot takes the next notebook when its previous one ends; an executor that died is replaced.
  const slot = async () => {
    let executor: Executor | undefined;
    try {
      for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
        if (!executor?.alive) executor = new Executor(kernelEnv);
        results[index] = await runPrepared(executor, files[index], options, jobFor);
      }
    } finally {
      await executor?.close();
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, files.length) }, slot));
  return results;
}

/**
 * The order notebooks start in, as indexes into `files`: most code cells first (ties keep their
 * order). A cell is the unit of a run's cost (each is a type-check and an execution), so with several
 * slots the long notebooks start at once and a short one fills the gap, instead of a long one
 * starting last and running alone. A file that cannot be read counts as empty; its run reports why.
 */
export function longestFirst(files: readonly string[]): number[] {
  const cells = files.map(codeCellCount);
  return files.map((_, index) => index).sort((a, b) => cells[b] - cells[a] || a - b);
}

function codeCellCount(file: string): number {
  try {
    const notebook = JSON.parse(fs.readFileSync(file, "utf8")) as { cells?: { cell_type?: string }[] };
    return (notebook.cells ?? []).filter((cell) => cell.cell_type === "code").length;
  } catch {
    return 0;
  }
}

/** One notebook with what `prepare` gives it, released however the run ends. */
async function runPrepared(executor: Executor, file: string, options: RunOptions, jobFor: (file: string, own?: NodeJS.ProcessEnv) => ExecutorJob): Promise<NotebookResult> {
  let prepared: PreparedNotebook = {};
  try {
    if (options.prepare) prepared = await options.prepare(file);
  } catch (error) {
    const result = notStarted(file, `${displayName(path.resolve(file))}: could not be prepared to run: ${error instanceof Error ? error.message : String(error)}`);
    options.onEvent?.({ type: "end", result });
    return result;
  }
  try {
    noteExecution(file);
    return await runOne(executor, jobFor(file, prepared.env), options.onEvent);
  } finally {
    await prepared.release?.();
  }
}

/** The result of a notebook that never reached a kernel. */
function notStarted(file: string, message: string): NotebookResult {
  const absolute = path.resolve(file);
  return { notebook: displayName(absolute), path: absolute, status: "failed", ok: false, cells: 0, done: 0, seconds: 0, message };
}

/** One notebook on `executor`, its events passed on with the progress state the result needs. */
async function runOne(executor: Executor, job: ExecutorJob, onEvent: RunOptions["onEvent"]): Promise<NotebookResult> {
  const notebook = job.notebook.name;
  const state = { at: Date.now(), cells: 0, done: 0, failed: [] as number[] };
  const end = await executor.run(job, (event) => {
    if (event.type === "start") {
      Object.assign(state, { at: Date.now(), cells: event.cells });
      onEvent?.({ type: "start", notebook, cells: event.cells });
    } else if (event.type === "cell") {
      state.done = event.done;
      if (event.failed) state.failed.push(event.done);
      onEvent?.({ type: "cell", notebook, done: event.done, cells: state.cells, ...(event.failed ? { failed: true } : {}) });
    } else {
      onEvent?.({ type: "note", notebook, message: event.message });
    }
  });
  const result: NotebookResult = {
    notebook,
    path: job.notebook.path,
    status: end.status,
    ok: OK.has(end.status),
    cells: state.cells,
    done: state.done,
    seconds: (Date.now() - state.at) / 1000,
    ...(job.keepGoing ? { failedCells: state.failed } : {}),
    ...(end.message ? { message: end.message } : {}),
  };
  onEvent?.({ type: "end", result });
  return result;
}
