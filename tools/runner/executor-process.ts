/**
 * Node's side of the job protocol with the Python executor (tools/runner/executor/, whose
 * protocol.py documents the wire format): one long-lived `python tools/runner/executor` process
 * per worker, sent one notebook job at a time on stdin, answering with events on fd 3.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface, type Interface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { PLOTLY_MIME, STATIC_IMAGE_SIZE, STATIC_IMAGE_SLOT } from "../../src/display/plot";
import * as path from "node:path";
import { PROJECT_ROOT, VENV_PYTHON } from "../paths";

/** The Python executor, run as a directory (its __main__.py). */
export const EXECUTOR_DIR = path.join(__dirname, "executor");

/** What a notebook ends as. `written`/`unchanged`/`up-to-date` are successes. */
export type Status = "written" | "unchanged" | "up-to-date" | "stale" | "failed";

/**
 * What the chart helper (src/display/plot.ts) and the executor must agree on, taken from the
 * helper and sent in every job: the executor finds chart outputs by `mime`, puts the static image
 * in place of `slot`, and has it drawn at `size`.
 */
export const CHART_CONTRACT = { mime: PLOTLY_MIME, slot: STATIC_IMAGE_SLOT, size: STATIC_IMAGE_SIZE } as const;

/** How the executor gets static chart images: a command that draws them, or why there is none. */
export type ImagesJob = { command: string[]; redraw: boolean } | { skipped: string };

/** One notebook for the executor to run. */
export interface ExecutorJob {
  notebook: { path: string; name: string };
  /** Per-cell limit in seconds. */
  timeout: number;
  check: boolean;
  /** Run every cell even after one failed (RunOptions.keepGoing). */
  keepGoing: boolean;
  kernel: string;
  /** The kernel's whole environment. */
  env: NodeJS.ProcessEnv;
  charts: typeof CHART_CONTRACT;
  images: ImagesJob;
}

/** What the executor reports while it runs a job; `end` is always the last. */
export type ExecutorEvent =
  | { type: "start"; name: string; cells: number }
  | { type: "cell"; name: string; done: number; failed?: boolean }
  | { type: "note"; name: string; message: string }
  | { type: "end"; name: string; status: Status; message: string | null };

type EndEvent = Extract<ExecutorEvent, { type: "end" }>;

const KEEP_STDERR_CHARS = 4000;

/**
 * One executor process. `run` sends a job and resolves with its `end` event; if the process stops
 * before that, it resolves with a `failed` end that quotes what the process printed, and the
 * executor is no longer usable (`alive` is false).
 */
export class Executor {
  private readonly child: ChildProcess;
  private readonly events: Interface;
  private readonly exited: Promise<string>;
  private output = "";
  alive = true;

  constructor(env: NodeJS.ProcessEnv) {
    this.child = spawn(VENV_PYTHON, [EXECUTOR_DIR, "--events-fd", "3"], {
      cwd: PROJECT_ROOT,
      env,
      stdio: ["pipe", "pipe", "pipe", "pipe"],
    });
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString("utf8")).slice(-KEEP_STDERR_CHARS);
    };
    this.child.stdout?.on("data", keep);
    this.child.stderr?.on("data", keep);
    // A job written after the process died must not crash the runner; the exit reports it.
    (this.child.stdin as Writable).on("error", () => undefined);
    this.exited = new Promise((resolve) => {
      this.child.on("error", (error) => resolve(error.message));
      this.child.on("close", (code, signal) => resolve(`exit ${code ?? signal ?? "unknown"}`));
    });
    this.events = createInterface({ input: this.child.stdio[3] as Readable });
  }

  async run(job: ExecutorJob, onEvent: (event: Exclude<ExecutorEvent, EndEvent>) => void): Promise<EndEvent> {
    const name = job.notebook.name;
    const ended = new Promise<EndEvent>((resolve) => {
      const onLine = (line: string) => {
        const event = JSON.parse(line) as ExecutorEvent;
        if (event.type === "end") {
          this.events.off("line", onLine);
          resolve(event);
        } else {
          onEvent(event);
        }
      };
      this.events.on("line", onLine);
      void this.exited.then((how) => {
        this.events.off("line", onLine);
        this.alive = false;
        resolve({
          type: "end",
          name,
          status: "failed",
          message: `${name}: the notebook executor stopped (${how}) before finishing it:\n${this.output.trim()}`,
        });
      });
    });
    (this.child.stdin as Writable).write(`${JSON.stringify(job)}\n`);
    return ended;
  }

  /** No more jobs: the process exits once it has finished the current one. */
  async close(): Promise<void> {
    (this.child.stdin as Writable).end();
    await this.exited;
  }
}
