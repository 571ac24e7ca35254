// Benchmark: what the project's kernel saves. Every guide, one at a time (`--jobs 1`), with `--check`
// (nothing is written, and each variant must reproduce the committed outputs), on each kernel
// variant in turn, a different variant first each round. Prints, side by side, the median time of a
// cell, the whole run's wall time and the CPU time of the executor and its kernels (where Linux
// reports it), then the goals. Asserts nothing.
//
//   tsx tools/bench/kernel.ts [--rounds N]
//
// The variants differ in the declarations klaviyo-api's `types` names (the generated bundle or the
// published files, see tools/runner/kernel/klaviyo-declarations.mjs), which this benchmark turns for
// the runs that need the published ones and turns back at the end: run it alone in its worktree.
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { GUIDE_NOTEBOOKS, PROJECT_ROOT } from "../paths";
import { runNotebooks } from "../runner/run";
import { childrenCpuSeconds, median } from "./measure";

const DECLARATIONS = path.join(PROJECT_ROOT, "tools", "runner", "kernel", "klaviyo-declarations.mjs");

/** The goals of project issue 22, against tslab as shipped. */
const GOALS = { wallRatio: 0.6, cellSeconds: 0.15 };

interface Variant {
  label: string;
  /** Which declarations of klaviyo-api tslab type-checks against. */
  declarations: "bundle" | "published";
  /** What the kernel is started with besides the runner's own environment. */
  env: NodeJS.ProcessEnv;
}

const PROJECT: Variant = { label: "project kernel", declarations: "bundle", env: {} };
const WITHOUT_DECLARATIONS: Variant = { label: "project kernel without generated declarations", declarations: "published", env: {} };
/** Also without the later tier-up of tools/runner/kernel/tslab-kernel.cjs. */
const SHIPPED: Variant = { label: "tslab as shipped", declarations: "published", env: { KLAVIYO_GUIDES_V8_TIERING: "default" } };
const VARIANTS: Variant[] = [PROJECT, WITHOUT_DECLARATIONS, SHIPPED];

/** One run of every guide: its wall and CPU time and the time of each cell. */
interface Sample {
  seconds: number;
  cpuSeconds?: number;
  /** Each cell's time from the end of the one before; a notebook's first cell (kernel start) left out. */
  cells: number[];
}

function pointTypesAt(which: Variant["declarations"]): void {
  const run = spawnSync(process.execPath, [DECLARATIONS, "--point", which], { cwd: PROJECT_ROOT, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`could not point klaviyo-api's types at the ${which} declarations:\n${run.stderr}`);
}

async function runGuides(variant: Variant): Promise<Sample> {
  pointTypesAt(variant.declarations);
  const cells: number[] = [];
  const last = new Map<string, number>();
  const cpuBefore = childrenCpuSeconds();
  const started = performance.now();
  const results = await runNotebooks(GUIDE_NOTEBOOKS, {
    check: true,
    jobs: 1,
    // No browser: an unchanged chart keeps its committed image, and a browser's start is not the kernel's.
    env: { ...process.env, CHROMIUM_PATH: "none", ...variant.env },
    onEvent: (event) => {
      const now = performance.now();
      if (event.type === "start") last.set(event.notebook, now);
      if (event.type !== "cell") return;
      if (event.done > 1) cells.push((now - last.get(event.notebook)!) / 1000);
      last.set(event.notebook, now);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = childrenCpuSeconds();
  const failed = results.filter((r) => !r.ok);
  if (failed.length) throw new Error(`${variant.label}: ${failed.map((r) => `${r.notebook} ${r.status}: ${r.message}`).join("\n")}`);
  return { seconds, cpuSeconds: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore, cells };
}

const cpuText = (cpu: number | undefined) => (cpu === undefined ? "" : `, CPU ${cpu.toFixed(1)} s`);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: "string", default: "5" } } });
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds needs a whole number of at least 1, not "${values.rounds}"`);
  console.log(
    `kernel: ${GUIDE_NOTEBOOKS.length} guides, --check --jobs 1, on ${VARIANTS.map((v) => v.label).join(", ")}; ${rounds} rounds ` +
      `(load average ${loadavg()[0].toFixed(2)} at the start)`,
  );
  const samples = VARIANTS.map(() => [] as Sample[]);
  try {
    for (let round = 1; round <= rounds; round++) {
      for (let i = 0; i < VARIANTS.length; i++) {
        const v = (i + round - 1) % VARIANTS.length; // a different variant first each round
        samples[v].push(await runGuides(VARIANTS[v]));
      }
      const line = VARIANTS.map((variant, v) => {
        const s = samples[v][round - 1];
        return `${variant.label} ${s.seconds.toFixed(1)} s${cpuText(s.cpuSeconds)}, cell ${median(s.cells).toFixed(3)} s`;
      });
      console.log(`  round ${round}: ${line.join("; ")}`);
    }
  } finally {
    pointTypesAt("bundle");
  }
  const figures = samples.map((list) => {
    const walls = list.map((s) => s.seconds);
    const cpus = list.map((s) => s.cpuSeconds);
    return {
      cell: median(list.flatMap((s) => s.cells)),
      seconds: median(walls),
      spread: `${Math.min(...walls).toFixed(1)}–${Math.max(...walls).toFixed(1)}`,
      cpuSeconds: cpus.every((c) => c !== undefined) ? median(cpus as number[]) : undefined,
    };
  });
  console.log("  median, per variant: cell | whole guides (wall, its range over the rounds) | CPU of the executor and kernels");
  for (const [v, f] of figures.entries()) {
    console.log(`    ${VARIANTS[v].label.padEnd(Math.max(...VARIANTS.map((x) => x.label.length)))} ${f.cell.toFixed(3)} s | ${f.seconds.toFixed(1)} s (${f.spread} s) | ${f.cpuSeconds === undefined ? "not reported" : `${f.cpuSeconds.toFixed(1)} s`}`);
  }
  const project = figures[VARIANTS.indexOf(PROJECT)];
  const shipped = figures[VARIANTS.indexOf(SHIPPED)];
  const ratio = project.seconds / shipped.seconds;
  console.log(
    `  project kernel against tslab as shipped: ${ratio.toFixed(3)} x the wall time (goal at most ${GOALS.wallRatio}: ${ratio <= GOALS.wallRatio ? "met" : "NOT met"})` +
      (project.cpuSeconds !== undefined && shipped.cpuSeconds ? `, ${(project.cpuSeconds / shipped.cpuSeconds).toFixed(3)} x the CPU` : "") +
      `; median cell ${project.cell.toFixed(3)} s (goal at most ${GOALS.cellSeconds} s: ${project.cell <= GOALS.cellSeconds ? "met" : "NOT met"})`,
  );
  console.log(`  load average now ${loadavg().map((l) => l.toFixed(2)).join(", ")} (1, 5, 15 min): other work on the machine slows every figure above\n`);
}

main().catch((error) => {
  console.error(`kernel bench: ${(error as Error).message}`);
  process.exitCode = 1;
});
