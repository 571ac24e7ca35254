/**
 * Runs every guide live against the demo stand-in in each fault scenario (scenarios.ts) and prints
 * how each came through: the tables, then every problem found (judge.ts). Exits 1 when there is one.
 *
 *   npm run faults [-- --keep]     (--keep: leave the executed copies under .tmp/ to look at)
 *
 * test/faults.test.ts runs the same and requires no problem.
 */
import { rmSync } from "node:fs";
import { scratchDir } from "../paths";
import { judge } from "./judge";
import { runFaultScenarios } from "./run";
import { SCENARIOS } from "./scenarios";
import { faultTables } from "./table";

async function main(args: string[]): Promise<void> {
  const keep = args.includes("--keep");
  const dir = scratchDir("faults");
  try {
    const verdicts = (await runFaultScenarios(SCENARIOS, dir, (line) => console.log(line))).map((run) => judge(run));
    console.log(`\n${faultTables(verdicts)}\n`);
    for (const v of verdicts.filter((x) => x.problems.length > 0)) {
      console.log(`${v.guide.id}, scenario ${v.scenario.id} (${v.scenario.title}):\n${v.problems.map((p) => `  ${p}`).join("\n")}\n`);
    }
    const problems = verdicts.reduce((n, v) => n + v.problems.length, 0);
    const none = "No problem: every fault costs only the cells that need what it refused, one line each.";
    console.log(problems === 0 ? none : `${problems} problems.`);
    if (problems > 0) process.exitCode = 1;
  } finally {
    if (keep) console.log(`The executed copies are in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
