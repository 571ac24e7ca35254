// Benchmark: the project's runner against plain `jupyter nbconvert --to notebook --execute` on the
// same notebooks, alternating, N rounds. Prints median wall times and their ratio; asserts nothing.
// Goal: the runner's overhead (our normalization, checks, Node front end) stays within 10 %.
//
//   tsx scripts/bench-runner.ts [--rounds N]
//
// Both sides start from a command line, as a user would: `tsx scripts/run-notebooks.ts …` versus
// `.venv/bin/jupyter nbconvert …`, over hidden copies so nothing committed is rewritten.
// The runner also draws static SVG images of charts in a headless browser, which nbconvert does
// not: the overhead ratio compares like with like (runner with CHROMIUM_PATH=none), and the time
// the images add is printed beside it.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { PROJECT_ROOT, VENV_DIR, listNotebooks } from "./runner/project";
import { kernelEnvironment } from "./runner/run";

/** Test notebooks that pass (the failing ones would measure error paths, not execution). */
const TEST_NOTEBOOKS = ["passing"].map((name) => path.join(PROJECT_ROOT, "test", "notebooks", `${name}.ipynb`));
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
 * directory is the same) under a hidden name that listNotebooks() skips; removed afterwards.
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

function timed(command: string, args: string[], what: string, extraEnv: NodeJS.ProcessEnv = {}): number {
  const started = process.hrtime.bigint();
  const run = spawnSync(command, args, { cwd: PROJECT_ROOT, env: { ...kernelEnvironment(process.env), ...extraEnv }, encoding: "utf8" });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0) throw new Error(`${what} failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  return seconds;
}

function main(): void {
  const { values } = parseArgs({ options: { rounds: { type: "string", default: "3" } } });
  const rounds = Number(values.rounds);
  if (!(rounds >= 1)) throw new Error(`--rounds needs a positive number, not "${values.rounds}"`);

  const guides = listNotebooks();
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
          runner.push(timed(process.execPath, [TSX, "scripts/run-notebooks.ts", ...stage(group.sources)], "the runner", { CHROMIUM_PATH: "none" }));
          nbconvert.push(timed(JUPYTER, ["nbconvert", "--to", "notebook", "--execute", "--inplace", ...stage(group.sources)], "nbconvert"));
          withImages.push(timed(process.execPath, [TSX, "scripts/run-notebooks.ts", ...stage(group.sources)], "the runner with static images"));
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
  } finally {
    for (const group of groups) unstage(group.sources);
  }
}

main();
