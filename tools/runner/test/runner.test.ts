/**
 * The notebook runner on throwaway notebooks (tools/runner/test/notebooks/). Each test copies the notebooks it
 * needs into .tmp/<unique>/ (inside the project, so tslab finds node_modules) and runs those;
 * the committed ones are never rewritten. Kernel starts cost seconds, so several notebooks share
 * one runner call where the assertions allow, runs that do not depend on each other run at the
 * same time, and the command's `--jobs 1` run doubles as the reference for the concurrent one.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PROJECT_ROOT, SCRATCH_DIR, VENV_PYTHON } from "../../paths";
import { type NotebookResult, kernelEnvironment, runNotebooks } from "../run";
import { CHROMIUM, skipWithout } from "../../../test/support/requirements";
import { PLOTLY_MIME, STATIC_IMAGE_SLOT } from "../../../src/display/plot";

const SOURCE = path.join(__dirname, "notebooks");
const TMP = SCRATCH_DIR;
const workDirs: string[] = [];

/** Fresh copies of the named test notebooks, in a folder of their own. */
function copyNotebooks(...names: string[]): string[] {
  const dir = path.join(TMP, `runner-${randomBytes(4).toString("hex")}`);
  fs.mkdirSync(dir, { recursive: true });
  workDirs.push(dir);
  return names.map((name) => {
    const target = path.join(dir, `${name}.ipynb`);
    fs.copyFileSync(path.join(SOURCE, `${name}.ipynb`), target);
    return target;
  });
}

function byName(results: NotebookResult[], file: string): NotebookResult {
  const found = results.find((r) => r.path === file);
  if (!found) throw new Error(`no result for ${file} in ${JSON.stringify(results, null, 1)}`);
  return found;
}

function validate(file: string): string {
  const check = spawnSync(VENV_PYTHON, ["-c", "import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=nbformat.NO_CONVERT))", file], { encoding: "utf8" });
  return check.status === 0 ? "valid" : check.stderr;
}

interface Cell {
  cell_type: string;
  id: string;
  execution_count?: number | null;
  metadata: Record<string, unknown>;
  outputs?: Array<{ output_type: string; name?: string; text?: string[]; data?: Record<string, string[]> }>;
}

afterAll(() => {
  for (const dir of workDirs) fs.rmSync(dir, { recursive: true, force: true });
});

const TSX = path.join(PROJECT_ROOT, "node_modules", "tsx", "dist", "cli.mjs");

/** A computation shared by tests in different describe blocks, started by the first that needs it. */
function shared<T>(start: () => Promise<T>): () => Promise<T> {
  let started: Promise<T> | undefined;
  return () => (started ??= start());
}

/** A passing notebook and three failing ones, in one call, two at a time. */
const concurrentRun = shared(async () => {
  const [passing, runtimeError, compileError, deadKernel] = copyNotebooks("passing", "runtime-error", "compile-error", "dead-kernel");
  const files = { passing, runtimeError, compileError, deadKernel };
  const before = new Map(Object.values(files).map((f) => [f, fs.readFileSync(f)]));
  const events: string[] = [];
  const results = await runNotebooks(Object.values(files), { timeoutSeconds: 60, jobs: 2, onEvent: (e) => events.push(e.type === "end" ? `end ${e.result.path}` : `${e.type} ${e.notebook}`) });
  return { files, before, results, events };
});

/** `tsx tools/runner/cli.ts ARGS`, without blocking the tests that run beside it. */
function runCommand(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX, "tools/runner/cli.ts", ...args], { cwd: PROJECT_ROOT });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** The command, one notebook at a time, over a passing and a failing notebook. */
const commandRun = shared(async () => {
  const [passing, broken] = copyNotebooks("passing", "compile-error");
  const run = await runCommand(["--jobs", "1", "--timeout", "60", passing, broken]);
  return { passing, broken, run };
});

describe("kernelEnvironment", () => {
  it("forces replay whatever the caller's environment says, and keeps the caller's test variables out", () => {
    const env = kernelEnvironment({ KLAVIYO_MODE: "live", KLAVIYO_PRIVATE_KEY: "pk_x", VITEST_POOL_ID: "1", PATH: "/bin" });
    expect(env.KLAVIYO_MODE).toBe("replay");
    expect(env.VITEST_POOL_ID).toBeUndefined();
    expect(env.JUPYTER_PATH?.split(path.delimiter)[0]).toBe(path.join(PROJECT_ROOT, ".venv", "share", "jupyter"));
    expect(kernelEnvironment({}, "record").KLAVIYO_MODE).toBe("record");
  });
});

describe("runNotebooks: one run over a passing and three failing notebooks, two at a time", () => {
  let files: Awaited<ReturnType<typeof concurrentRun>>["files"];
  let before: Map<string, Buffer>;
  let results: NotebookResult[];

  beforeAll(async () => {
    ({ files, before, results } = await concurrentRun());
  });

  it("gives every notebook its result, in the order the notebooks were named", async () => {
    expect(results.map((r) => r.path)).toEqual(Object.values(files));
    // Each notebook's events run start … end, and every notebook starts and ends once.
    const { events } = await concurrentRun();
    for (const file of Object.values(files)) {
      const name = path.relative(PROJECT_ROOT, file);
      const own = events.filter((e) => e.endsWith(name) || e === `end ${file}`);
      expect(own[0]).toBe(`start ${name}`);
      expect(own.at(-1)).toBe(`end ${file}`);
      expect(own.filter((e) => e.startsWith("start")).length).toBe(1);
    }
  });

  it("writes the passing notebook's outputs with counts 1..n, fixed metadata and the cell ids kept", () => {
    expect(byName(results, files.passing)).toMatchObject({ status: "written", ok: true, cells: 3, done: 3 });
    const text = fs.readFileSync(files.passing, "utf8");
    const nb = JSON.parse(text) as { cells: Cell[]; metadata: Record<string, { name?: string }> };
    const code = nb.cells.filter((c) => c.cell_type === "code");
    expect(code.map((c) => c.execution_count)).toEqual([1, 2, 3]);
    expect(nb.cells.map((c) => c.id)).toEqual(["passing-1", "passing-2", "passing-3", "passing-4"]);
    expect(code[0].outputs).toEqual([{ name: "stdout", output_type: "stream", text: ["hello from tslab\n"] }]);
    expect(code[1].outputs?.[0]).toMatchObject({ output_type: "display_data", data: { "text/html": ["<b>notebooks/guide.ipynb</b>"] } });
    expect(code[2].outputs?.[0]).toMatchObject({ name: "stdout", text: ["42\n"] });
    expect(nb.metadata.kernelspec.name).toBe("tslab");
    expect(nb.metadata.language_info.name).toBe("typescript");
    // What tslab reports when JupyterLab connects, so opening a guide does not mark it modified.
    expect((nb.metadata.language_info as { version?: string }).version).toBe("3.7.2");
    expect(text).not.toContain(PROJECT_ROOT);
    // No timing, and no version other than language_info's.
    expect(text.replace('"version": "3.7.2"', "")).not.toMatch(/"execution"|"ExecuteTime"|"version"/);
    expect(text.endsWith("}\n")).toBe(true);
    expect(validate(files.passing)).toBe("valid");
  });

  it("fails on a thrown error, naming notebook, cell, first line and error, and leaves the file byte-identical", () => {
    const result = byName(results, files.runtimeError);
    expect(result).toMatchObject({ status: "failed", ok: false });
    expect(result.message).toContain("runtime-error.ipynb, cell 3 (code cell 2), first line: function explode(): never {");
    expect(result.message).toContain("Error: boom from the runtime-error notebook");
    expect(result.message).not.toContain("node_modules/tslab");
    expect(fs.readFileSync(files.runtimeError).equals(before.get(files.runtimeError)!)).toBe(true);
  });

  it("fails on a TypeScript compile error (a stderr stream, no error output) and leaves the file byte-identical", () => {
    const result = byName(results, files.compileError);
    expect(result).toMatchObject({ status: "failed", ok: false });
    expect(result.message).toContain("compile-error.ipynb, cell 3 (code cell 2), first line: const label: string = count;");
    expect(result.message).toContain("Type 'number' is not assignable to type 'string'.");
    expect(fs.readFileSync(files.compileError).equals(before.get(files.compileError)!)).toBe(true);
  });

  it("reports a dead kernel and leaves the file byte-identical", () => {
    const result = byName(results, files.deadKernel);
    expect(result).toMatchObject({ status: "failed", ok: false });
    expect(result.message).toContain("dead-kernel.ipynb, cell 1 (code cell 1)");
    expect(result.message).toContain("the tslab kernel died");
    expect(fs.readFileSync(files.deadKernel).equals(before.get(files.deadKernel)!)).toBe(true);
  });

  it.concurrent("does not touch a notebook whose result did not change: same bytes, same file, same mtime", async () => {
    const first = fs.readFileSync(files.passing);
    const before = fs.statSync(files.passing, { bigint: true });
    const [again] = await runNotebooks([files.passing], { timeoutSeconds: 60 });
    expect(again.status).toBe("unchanged");
    expect(fs.readFileSync(files.passing).equals(first)).toBe(true);
    // A rewrite with the same bytes would still be a new file (atomic rename) or a newer mtime.
    const after = fs.statSync(files.passing, { bigint: true });
    expect({ ino: after.ino, mtimeNs: after.mtimeNs }).toEqual({ ino: before.ino, mtimeNs: before.mtimeNs });
  });

  it.concurrent("npm run guides -- --check passes an up-to-date file, and exits 1 showing the first differing cell of a stale one, writing nothing", async () => {
    const [upToDate] = copyNotebooks("passing");
    fs.copyFileSync(files.passing, upToDate);
    const [stale] = copyNotebooks("passing");
    const edited = fs.readFileSync(files.passing, "utf8").replace("hello from tslab\\n", "hello from last year\\n");
    expect(edited).not.toBe(fs.readFileSync(files.passing, "utf8"));
    fs.writeFileSync(stale, edited);

    const run = await runCommand(["--check", "--timeout", "60", upToDate, stale]);
    expect(run.status, run.stdout + run.stderr).toBe(1);
    const row = (file: string, result: string) => new RegExp(`^${path.relative(PROJECT_ROOT, file).replace(/[.]/g, "\\.")}\\s+3/3\\s+[0-9.]+\\s+${result}$`, "m");
    expect(run.stdout).toMatch(row(upToDate, "ok \\(up to date\\)"));
    expect(run.stdout).toMatch(row(stale, "STALE"));
    expect(run.stdout).toContain("cell 2 (code cell 1) differs");
    expect(run.stdout).toMatch(/^ {2}-hello from last year$/m);
    expect(run.stdout).toMatch(/^ {2}\+hello from tslab$/m);
    expect(run.stdout).toContain("1 of 2 notebooks have outputs that differ from a fresh run: run `npm run guides` and commit the result.");
    expect(fs.readFileSync(stale, "utf8")).toBe(edited);
  });
});

describe.concurrent("runNotebooks: keepGoing", () => {
  it("runs the cells after a failed one, numbers the failed cells, and writes the outputs of all (status still failed)", async () => {
    const [runtimeError, compileError] = copyNotebooks("runtime-error", "compile-error");
    const failedEvents: number[] = [];
    const results = await runNotebooks([runtimeError, compileError], {
      timeoutSeconds: 60,
      jobs: 1,
      keepGoing: true,
      onEvent: (e) => void (e.type === "cell" && e.failed && failedEvents.push(e.done)),
    });
    expect(byName(results, runtimeError)).toMatchObject({ status: "failed", ok: false, cells: 3, done: 3, failedCells: [2] });
    expect(byName(results, compileError)).toMatchObject({ status: "failed", ok: false, cells: 2, done: 2, failedCells: [2] });
    expect(failedEvents).toEqual([2, 2]);
    expect(byName(results, runtimeError).message).toContain("runtime-error.ipynb, cell 3 (code cell 2), first line: function explode(): never {");
    const outputs = (file: string) =>
      (JSON.parse(fs.readFileSync(file, "utf8")) as { cells: Cell[] }).cells
        .filter((c) => c.cell_type === "code")
        .map((c) => (c.outputs ?? []).map((o) => (o.text ?? []).join("")).join(""));
    const [, thrown, after] = outputs(runtimeError);
    expect(thrown).toContain("boom from the runtime-error notebook");
    expect(after).toBe("never reached\n");
    expect(outputs(compileError)[1]).toContain("Type 'number' is not assignable to type 'string'.");
  });
});

describe("runNotebooks: an environment per notebook (prepare)", () => {
  it("gives each notebook the variables (mode included) its prepare returned, releases each after its run, and fails only the notebook whose prepare threw", async () => {
    const [first, second, third] = [1, 2, 3].map((n) => {
      const [file] = copyNotebooks("environment");
      const renamed = path.join(path.dirname(file), `environment-${n}.ipynb`);
      fs.renameSync(file, renamed);
      return renamed;
    });
    const released: string[] = [];
    const results = await runNotebooks([first, second, third], {
      timeoutSeconds: 60,
      jobs: 2,
      prepare: async (notebook) => {
        if (notebook === third) throw new Error("no stand-in for this one");
        const account = path.basename(notebook, ".ipynb");
        return { env: { RUNNER_TEST_ACCOUNT: account, KLAVIYO_MODE: notebook === second ? "live" : "replay" }, release: async () => void released.push(account) };
      },
    });
    const printed = (file: string) => (JSON.parse(fs.readFileSync(file, "utf8")) as { cells: Cell[] }).cells[1].outputs?.[0]?.text?.join("");
    expect(results.map((r) => r.status)).toEqual(["written", "written", "failed"]);
    expect(printed(first)).toBe("environment-1 replay\n");
    expect(printed(second)).toBe("environment-2 live\n");
    expect(results[2].message).toMatch(/environment-3\.ipynb: could not be prepared to run: no stand-in for this one/);
    expect(released.sort()).toEqual(["environment-1", "environment-2"]);
  });
});

describe("runNotebooks: static images of charts", () => {
  beforeEach((context) => skipWithout(context, CHROMIUM));
  type Output = { data?: Record<string, unknown> };
  const chartOutput = (file: string): Output =>
    (JSON.parse(fs.readFileSync(file, "utf8")) as { cells: { outputs?: Output[] }[] }).cells[0].outputs!.find((o) => o.data && PLOTLY_MIME in o.data)!;
  const svgOf = (o: Output) => [o.data!["image/svg+xml"] ?? ""].flat().join("");

  it("adds a byte-stable SVG to each chart; without a browser, --check keeps the committed image and a write says what is missing", async () => {
    const [chart] = copyNotebooks("chart");
    expect(byName(await runNotebooks([chart]), chart).status).toBe("written");
    expect(svgOf(chartOutput(chart))).toMatch(/^<svg[^>]*class="main-svg"[\s\S]*Two bars/);
    // The same image inside the chart's HTML, for viewers that render HTML without scripts.
    const html = [chartOutput(chart).data!["text/html"]].flat().join("");
    expect(html).toContain('<img class="static-chart" alt="Figure: Two bars (1 trace)" src="data:image/svg+xml;base64,');
    expect(html).not.toContain(STATIC_IMAGE_SLOT);
    const first = fs.readFileSync(chart);
    expect(byName(await runNotebooks([chart]), chart).status).toBe("unchanged");
    expect(fs.readFileSync(chart).equals(first)).toBe(true);

    // Unchanged figures keep their committed image, browser or not (images depend on fonts).
    const noBrowser = { ...process.env, CHROMIUM_PATH: "none" };
    expect(byName(await runNotebooks([chart], { check: true, env: noBrowser }), chart).status).toBe("up-to-date");

    const [fresh] = copyNotebooks("chart");
    const notes: string[] = [];
    const result = byName(await runNotebooks([fresh], { env: noBrowser, onEvent: (e) => e.type === "note" && notes.push(e.message) }), fresh);
    expect(result.status).toBe("written");
    expect(svgOf(chartOutput(fresh))).toBe("");
    expect([chartOutput(fresh).data!["text/html"]].flat().join("")).toContain(STATIC_IMAGE_SLOT);
    expect(notes.join("\n")).toMatch(/1 of 1 chart\(s\) have no static image.*no headless browser/);
  }, 180_000);
});

// The next two blocks wait on one kernel at a time each: they run side by side.
describe.concurrent("runNotebooks: per-cell timeout", () => {
  it("stops a cell that runs past --timeout, says so, and leaves the file byte-identical", async () => {
    const [file] = copyNotebooks("timeout");
    const original = fs.readFileSync(file);
    const [result] = await runNotebooks([file], { timeoutSeconds: 3 });
    expect(result).toMatchObject({ status: "failed", ok: false });
    expect(result.message).toContain("timeout.ipynb, cell 1 (code cell 1)");
    expect(result.message).toContain("did not finish within 3 s");
    expect(fs.readFileSync(file).equals(original)).toBe(true);
  });
});

describe.concurrent("tools/runner/cli.ts (the command)", () => {
  it("runs every named notebook, exits non-zero when one fails, and prints the failure and a summary", async () => {
    const { passing, broken, run } = await commandRun();
    expect(run.status).toBe(1);
    const name = path.relative(PROJECT_ROOT, broken);
    expect(run.stdout).toContain(`${name}, cell 3 (code cell 2), first line: const label: string = count;`);
    expect(run.stdout).toMatch(/^notebook\s+cells\s+seconds\s+result$/m);
    expect(run.stdout).toMatch(new RegExp(`^${name.replace(/[.]/g, "\\.")}\\s+2/2\\s+[0-9.]+\\s+FAILED$`, "m"));
    expect(run.stdout).toMatch(/passing\.ipynb\s+3\/3\s+[0-9.]+\s+ok \(outputs written\)$/m);
    expect(JSON.parse(fs.readFileSync(passing, "utf8")).cells[1].execution_count).toBe(1);
    // One line when each notebook starts and one when it ends (not a terminal: no rewriting).
    expect(run.stdout).toMatch(new RegExp(`^${name.replace(/[.]/g, "\\.")}: running 2 code cells…$`, "m"));
  });

  it("--jobs 1 gives the same files and the same messages as two at a time", async () => {
    const [{ passing, broken, run }, concurrent] = await Promise.all([commandRun(), concurrentRun()]);
    expect(run.status).toBe(1);
    expect(fs.readFileSync(passing).equals(fs.readFileSync(concurrent.files.passing))).toBe(true);
    const failed = byName(concurrent.results, concurrent.files.compileError).message!;
    const sameName = failed.split(path.relative(PROJECT_ROOT, concurrent.files.compileError)).join(path.relative(PROJECT_ROOT, broken));
    expect(run.stdout).toContain(sameName.split("\n").map((line) => `  ${line}`).join("\n"));
  });

  it("refuses an unknown mode with usage help (exit 2) before starting anything", async () => {
    const run = await runCommand(["--mode", "production"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--mode must be one of replay, live, record, not "production"');
  });

  it("refuses a --jobs that is not a whole number of at least 1 (exit 2)", async () => {
    const run = await runCommand(["--jobs", "0"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--jobs needs a whole number of at least 1, not "0"');
  });
});
