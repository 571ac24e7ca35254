// Execute the guides headlessly on the tslab kernel and write their outputs back (npm run guides).
//
//   tsx tools/runner/cli.ts [--check] [--jobs N] [--timeout SECONDS] [--mode replay|live|record] [--redraw-charts] [notebooks...]
//
// The work is done by tools/runner/*; this file only turns arguments into a call and a report.
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { GUIDE_NOTEBOOKS } from "../paths";
import { ProgressView, summaryTable } from "./report";
import { DEFAULT_TIMEOUT_SECONDS, MODES, type Mode, defaultJobs, runNotebooks } from "./run";

const USAGE = `usage: tsx tools/runner/cli.ts [--check] [--jobs N] [--timeout SECONDS] [--mode replay|live|record] [--redraw-charts] [notebooks...]

Executes notebooks (default: every guide registered in src/guides.ts) on the tslab kernel and writes the outputs back.
  --check            execute, but only compare with the file on disk; fail and show the first
                     differing cell when they differ. Never writes.
  --jobs N           notebooks run at once, each on its own fresh kernel (default: the number
                     of cores, here ${defaultJobs()}); the results are the same for any N
  --timeout SECONDS  per-cell limit (default ${DEFAULT_TIMEOUT_SECONDS})
  --mode MODE        KLAVIYO_MODE given to the kernel (default replay: the recorded fixtures)
  --redraw-charts    redraw the static image of every chart, not only of new or changed ones`;

class UsageError extends Error {}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      check: { type: "boolean", default: false },
      timeout: { type: "string" },
      jobs: { type: "string" },
      mode: { type: "string" },
      "redraw-charts": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const timeoutSeconds = values.timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : Number(values.timeout);
  if (!(timeoutSeconds > 0)) throw new UsageError(`--timeout needs a positive number of seconds, not "${values.timeout}"`);
  const jobs = values.jobs === undefined ? defaultJobs() : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs needs a whole number of at least 1, not "${values.jobs}"`);
  const mode = values.mode ?? "replay";
  if (!MODES.includes(mode as Mode)) throw new UsageError(`--mode must be one of ${MODES.join(", ")}, not "${mode}"`);
  for (const file of positionals) {
    if (!file.endsWith(".ipynb") || !fs.existsSync(file)) throw new UsageError(`${file}: no such notebook`);
  }
  return { help: values.help, check: values.check, timeoutSeconds, jobs, mode: mode as Mode, redrawCharts: values["redraw-charts"], files: positionals };
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const files = args.files.length > 0 ? args.files : [...GUIDE_NOTEBOOKS];
  if (files.length === 0) {
    console.log("No guide is registered in src/guides.ts yet: nothing to run.");
    return 0;
  }
  if (args.mode !== "replay") console.log(`KLAVIYO_MODE=${args.mode}: the guides talk to the account your .env describes.`);
  const view = new ProgressView(process.stdout);
  const results = await runNotebooks(files, { ...args, onEvent: view.handle });
  console.log(`\n${summaryTable(results)}`);
  return results.every((r) => r.ok) ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
