// Benchmark: the project's runner against plain `jupyter nbconvert --to notebook --execute` on the
// same notebooks, alternating, N rounds. Prints median wall times and their ratio; asserts nothing.
// Goal: the runner's overhead (our normalization, checks, Node front end) stays within 10 %.
//
// Then two measured goals of the runner and the test suite, side by side in the same run:
// - the guides with the default --jobs (one notebook per core) against --jobs 1, alternating,
//   N rounds; goal: at most 0.7 x the time of --jobs 1 on two cores;
// - one warm `npm test` (set-up done), as CI runs it (with the machine's Chromium, so the browser,
//   JupyterLab and Binder tests run), with its count of whole-guide executions; goal (issue 22): at
//   most 300 s. --skip-npm-test leaves it out.
// (The kernel against tslab as shipped: tools/bench/kernel.ts.)
//
//   tsx tools/bench/runner.ts [--rounds N] [--skip-npm-test]
//
// Both sides start from a command line, as a user would: `tsx tools/runner/cli.ts …` versus
// `.venv/bin/jupyter nbconvert …`, over hidden copies so nothing committed is rewritten.
// The runner also draws static SVG images of charts in a headless browser, which nbconvert does
// not: the overhead ratio compares like with like (runner with CHROMIUM_PATH=none), and the time
// the images add is printed beside it.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { loadavg } from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { GUIDE_NOTEBOOKS, PROJECT_ROOT, VENV_DIR } from "../paths";
import { defaultJobs, kernelEnvironment } from "../runner/run";
import { median } from "./measure";

/** Test notebooks that pass (the failing ones would measure error paths, not execution). */
const TEST_NOTEBOOKS = ["passing"].map((name) => path.join(PROJECT_ROOT, "tools", "runner", "test", "notebooks", `${name}.ipynb`));
const TSX = path.join(PROJECT_ROOT, "node_modules", "tsx", "dist", "cli.mjs");
const JUPYTER = path.join(VENV_DIR, "bin", "jupyter");
const BENCH_PREFIX = ".bench-";

/**
 * Fresh copies for one timed run, beside the originals (same folder, so the kernel's working
 * directory is the same) under a hidden name (no guide of the registry); removed afterwards.
 */
function stage(sources: string[]): string[] {
  return sources.map((source) => {
    const target = path.join(path.dirname(source), `${BENCH_PREFIX}${path.basename(source)}`);
    fs.copyFileSync(source, target);
    return target;
  });
}

function unstage(sources: string[]): void {
  for (const source of sources) fs.rmSync(path.join(path.dirname(source), `${BENCH_PREFIX}${path.basename(source)}`), { force: true });
}

/** Wall seconds of one command, which must succeed. */
function timed(command: string, args: string[], what: string, extraEnv: NodeJS.ProcessEnv = {}): number {
  const started = process.hrtime.bigint();
  const run = spawnSync(command, args, { cwd: PROJECT_ROOT, env: { ...kernelEnvironment(process.env), ...extraEnv }, encoding: "utf8" });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0) throw new Error(`${what} failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  return seconds;
}

function main(): void {
  const { values } = parseArgs({ options: { rounds: { type: "string", default: "3" }, "skip-npm-test": { type: "boolean", default: false } } });
  const rounds = Number(values.rounds);
  if (!(rounds >= 1)) throw new Error(`--rounds needs a positive number, not "${values.rounds}"`);

  const guides = [...GUIDE_NOTEBOOKS];
  const groups = [
    { label: "test notebooks", sources: TEST_NOTEBOOKS },
    ...(guides.length ? [{ label: "guides", sources: guides }] : []),
  ];
  try {
    for (const group of groups) {
      const runner: number[] = [];
      const withImages: number[] = [];
      const nbconvert: number[] = [];
      console.log(`${group.label}: ${group.sources.map((s) => path.basename(s)).join(", ")}; ${rounds} rounds`);
      try {
        for (let round = 1; round <= rounds; round++) {
          // One notebook at a time, as nbconvert runs them: this compares overhead, not concurrency.
          runner.push(timed(process.execPath, [TSX, "tools/runner/cli.ts", "--jobs", "1", ...stage(group.sources)], "the runner", { CHROMIUM_PATH: "none" }));
          nbconvert.push(timed(JUPYTER, ["nbconvert", "--to", "notebook", "--execute", "--inplace", ...stage(group.sources)], "nbconvert"));
          withImages.push(timed(process.execPath, [TSX, "tools/runner/cli.ts", "--jobs", "1", ...stage(group.sources)], "the runner with static images"));
          console.log(
            `  round ${round}: runner ${runner[round - 1].toFixed(2)} s, nbconvert ${nbconvert[round - 1].toFixed(2)} s, ` +
              `runner + static chart images ${withImages[round - 1].toFixed(2)} s`,
          );
        }
      } catch (error) {
        // A notebook that fails says nothing about speed; report it and measure the rest.
        console.log(`  not measured: ${(error as Error).message.split("\n").slice(0, 12).join("\n  ")}\n`);
        continue;
      }
      const ratio = median(runner) / median(nbconvert);
      console.log(
        `  median: runner ${median(runner).toFixed(2)} s, nbconvert ${median(nbconvert).toFixed(2)} s, ` +
          `ratio ${ratio.toFixed(3)} (${ratio <= 1.1 ? "within" : "OVER"} the 10 % overhead goal); ` +
          `static chart images add ${(median(withImages) - median(runner)).toFixed(2)} s\n`,
      );
    }
    if (guides.length) {
      try {
        benchJobs(guides, rounds);
      } catch (error) {
        console.log(`  not measured: ${(error as Error).message.split("\n").slice(0, 12).join("\n  ")}\n`);
      }
    }
  } finally {
    for (const group of groups) unstage(group.sources);
  }
  if (!values["skip-npm-test"]) benchNpmTest();
  console.log(`load average now ${loadavg().map((l) => l.toFixed(2)).join(", ")} (1, 5, 15 min): other work on the machine slows every figure above`);
}

/** Warm `npm run guides` (over copies) with the default number of jobs against `--jobs 1`. */
function benchJobs(guides: string[], rounds: number): void {
  const jobs = defaultJobs();
  console.log(`guides, --jobs ${jobs} (the default here) against --jobs 1: ${guides.length} notebooks; ${rounds} rounds`);
  const parallel: number[] = [];
  const serial: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    // Alternating which goes first, so a change in the machine's load does not favour one side.
    const runs = [
      () => parallel.push(timed(process.execPath, [TSX, "tools/runner/cli.ts", ...stage(guides)], "the runner (default jobs)")),
      () => serial.push(timed(process.execPath, [TSX, "tools/runner/cli.ts", "--jobs", "1", ...stage(guides)], "the runner (--jobs 1)")),
    ];
    for (const run of round % 2 ? runs : runs.reverse()) run();
    console.log(`  round ${round}: --jobs ${jobs} ${parallel[round - 1].toFixed(2)} s, --jobs 1 ${serial[round - 1].toFixed(2)} s`);
  }
  const ratio = median(parallel) / median(serial);
  console.log(
    `  median: --jobs ${jobs} ${median(parallel).toFixed(2)} s, --jobs 1 ${median(serial).toFixed(2)} s, ` +
      `ratio ${ratio.toFixed(3)} (${ratio <= 0.7 ? "within" : "OVER"} the 0.7 goal)\n`,
  );
}

/** Goal for one warm `npm test` (issue 22), in seconds. */
const NPM_TEST_GOAL_SECONDS = 300;

/** One warm `npm test`, as CI runs it. */
function benchNpmTest(): void {
  console.log("npm test (warm, as CI runs it): running once…");
  const started = process.hrtime.bigint();
  const run = spawnSync("npm", ["test"], { cwd: PROJECT_ROOT, env: process.env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const plain = `${run.stdout}`.replace(/\x1b\[[0-9;]*m/g, "");
  const summary = plain.match(/^ +Tests +.*$/m)?.[0].trim() ?? "no vitest summary";
  const executions = plain.match(/^Whole-guide executions: .*$/m)?.[0] ?? "no count of whole-guide executions";
  const outcome = run.status === 0 ? summary : `FAILED (exit ${run.status}): ${summary}`;
  console.log(`  npm test ${seconds.toFixed(1)} s (${seconds <= NPM_TEST_GOAL_SECONDS ? "within" : "OVER"} the ${NPM_TEST_GOAL_SECONDS} s goal); ${outcome}\n  ${executions}\n`);
  if (run.status !== 0) console.log(`${run.stdout}\n${run.stderr}`.split("\n").filter((l) => /FAIL|×|Error/.test(l)).slice(0, 40).join("\n"));
}

main();
