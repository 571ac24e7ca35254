// Benchmark: the project's runner against plain `jupyter nbconvert --to notebook --execute` on the
// same notebooks, alternating, N rounds. Prints median wall times and their ratio; asserts nothing.
// Goal: the runner's overhead (our normalization, checks, Node front end) stays within 10 %.
//
// Then two measured goals of the runner and the test suite, side by side in the same run:
// - the guides with the default --jobs (one notebook per core) against --jobs 1, alternating,
//   N rounds; goal: at most 0.7 x the time of --jobs 1 on two cores;
// - the guides (--jobs 1) on the project's kernel (tools/runner/kernel/tslab-kernel.cjs), on it with V8's
//   default tier-up, and on tslab as shipped: wall and CPU time;
// - one warm `npm test` (set-up done) without Chromium (CHROMIUM_PATH=none, as on a machine with
//   no browser); goal: at most 75 s. --skip-npm-test leaves it out.
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

/** Test notebooks that pass (the failing ones would measure error paths, not execution). */
const TEST_NOTEBOOKS = ["passing"].map((name) => path.join(PROJECT_ROOT, "tools", "runner", "test", "notebooks", `${name}.ipynb`));
const TSX = path.join(PROJECT_ROOT, "node_modules", "tsx", "dist", "cli.mjs");
const JUPYTER = path.join(VENV_DIR, "bin", "jupyter");
const BENCH_PREFIX = ".bench-";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

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

/** Wall time of one run, and the CPU time of everything it started (where Linux reports it). */
interface Timing {
  seconds: number;
  cpuSeconds?: number;
}

/**
 * CPU seconds used so far by this process's finished children and everything they waited for
 * (cutime + cstime of /proc/self/stat, in Linux's fixed 100 ticks per second); undefined elsewhere.
 */
function childrenCpuSeconds(): number | undefined {
  try {
    const stat = fs.readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}

function timedRun(command: string, args: string[], what: string, extraEnv: NodeJS.ProcessEnv = {}, baseEnv = kernelEnvironment(process.env)): Timing {
  const cpuBefore = childrenCpuSeconds();
  const started = process.hrtime.bigint();
  const run = spawnSync(command, args, { cwd: PROJECT_ROOT, env: { ...baseEnv, ...extraEnv }, encoding: "utf8" });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0) throw new Error(`${what} failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  const cpuAfter = childrenCpuSeconds();
  return { seconds, cpuSeconds: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore };
}

function timed(command: string, args: string[], what: string, extraEnv: NodeJS.ProcessEnv = {}): number {
  return timedRun(command, args, what, extraEnv).seconds;
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
        benchKernel(guides, rounds);
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

/**
 * The guides, one at a time, on the project's kernel, on it with V8's default tier-up, and on tslab
 * as shipped (neither the light builder nor the later tier-up): wall time and CPU time.
 */
function benchKernel(guides: string[], rounds: number): void {
  const variants = [
    { label: "project kernel", env: {} },
    { label: "V8's default tier-up", env: { KLAVIYO_GUIDES_V8_TIERING: "default" } },
    { label: "tslab as shipped", env: { KLAVIYO_GUIDES_V8_TIERING: "default", KLAVIYO_GUIDES_TSLAB_BUILDER: "stock" } },
  ];
  console.log(`guides, --jobs 1, on ${variants.map((v) => v.label).join(", ")}: ${guides.length} notebooks; ${rounds} rounds`);
  const timings = variants.map(() => [] as Timing[]);
  const runner = [TSX, "tools/runner/cli.ts", "--jobs", "1"];
  const show = (t: Timing) => `${t.seconds.toFixed(2)} s${t.cpuSeconds === undefined ? "" : ` (CPU ${t.cpuSeconds.toFixed(1)} s)`}`;
  for (let round = 1; round <= rounds; round++) {
    // A different variant goes first each round, so a change in the machine's load favours none.
    for (let i = 0; i < variants.length; i++) {
      const v = (i + round - 1) % variants.length;
      timings[v].push(timedRun(process.execPath, [...runner, ...stage(guides)], `the runner (${variants[v].label})`, variants[v].env));
    }
    console.log(`  round ${round}: ${variants.map((v, i) => `${v.label} ${show(timings[i][round - 1])}`).join(", ")}`);
  }
  const medians = timings.map((list): Timing => {
    const cpu = list.map((t) => t.cpuSeconds);
    return { seconds: median(list.map((t) => t.seconds)), cpuSeconds: cpu.every((c) => c !== undefined) ? median(cpu as number[]) : undefined };
  });
  const shipped = medians[medians.length - 1];
  console.log(
    `  median: ${variants.map((v, i) => `${v.label} ${show(medians[i])}`).join(", ")}; ` +
      `project kernel against tslab as shipped: ${(medians[0].seconds / shipped.seconds).toFixed(3)} x the time` +
      (medians[0].cpuSeconds !== undefined && shipped.cpuSeconds ? `, ${(medians[0].cpuSeconds / shipped.cpuSeconds).toFixed(3)} x the CPU\n` : "\n"),
  );
}

/** One warm `npm test`, as a machine without Chromium runs it. */
function benchNpmTest(): void {
  console.log("npm test (warm, CHROMIUM_PATH=none): running once…");
  const started = process.hrtime.bigint();
  const run = spawnSync("npm", ["test"], { cwd: PROJECT_ROOT, env: { ...process.env, CHROMIUM_PATH: "none" }, encoding: "utf8" });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const summary = `${run.stdout}`.replace(/\x1b\[[0-9;]*m/g, "").match(/^ +Tests +.*$/m)?.[0].trim() ?? "no vitest summary";
  const outcome = run.status === 0 ? summary : `FAILED (exit ${run.status}): ${summary}`;
  console.log(`  npm test ${seconds.toFixed(1)} s (${seconds <= 75 ? "within" : "OVER"} the 75 s goal); ${outcome}\n`);
  if (run.status !== 0) console.log(`${run.stdout}\n${run.stderr}`.split("\n").filter((l) => /FAIL|×|Error/.test(l)).slice(0, 40).join("\n"));
}

main();
