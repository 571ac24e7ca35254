/**
 * Re-records data/<guide>.json against the seeded demo account (npm run fixtures).
 *
 *   tsx scripts/record-fixtures.ts [GUIDE ...]     (guide ids from src/guides.ts; all when none)
 *
 * For each guide: start a fresh local stand-in (scripts/demo/server.ts) so every recording starts
 * from the same account, run the guide's notebook in `record` mode against it with fake keys and a
 * frozen clock, then re-run the recorded guides in `replay` so the notebooks' saved outputs come
 * from the fixtures exactly as readers will see them. No real account or key is ever involved.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { DEMO_COMPANY_ID, DEMO_NOW } from "./demo/account";
import { startDemoServer } from "./demo/server";
import { defaultJobs, runNotebooks } from "./runner/run";
import type { NotebookResult } from "./runner/run";
import { readFixtureFile, writeFixtureFile } from "../src/fixtures/format";
import { GUIDES, type GuideEntry } from "../src/guides";
import { NOTEBOOKS_DIR, PROJECT_ROOT } from "./runner/project";

const DATA_DIR = join(PROJECT_ROOT, "data");

/** A fake private key: the stand-in only checks the `pk_` shape, and scrubbing would hide it anyway. */
const DEMO_PRIVATE_KEY = "pk_demo_0000000000000000000000000000000000";

/** Guides named on the command line (by id, notebook path or fixture path); all registered ones when none. */
export function selectGuides(names: readonly string[]): GuideEntry[] {
  if (names.length === 0) return [...GUIDES];
  return names.map((name) => {
    const found = GUIDES.find((g) => name === g.id || resolve(name) === join(NOTEBOOKS_DIR, g.notebook) || resolve(name) === join(DATA_DIR, g.fixture));
    if (!found) throw new Error(`"${name}" is not a registered guide. Use one of: ${GUIDES.map((g) => g.id).join(", ")} (src/guides.ts).`);
    return found;
  });
}

/** The kernel environment for recording one guide against the stand-in at `baseUrl` into `fixturesDir`. */
export function recordEnvironment(base: NodeJS.ProcessEnv, baseUrl: string, fixturesDir: string = DATA_DIR): NodeJS.ProcessEnv {
  return {
    ...base,
    KLAVIYO_MODE: "record",
    KLAVIYO_BASE_URL: baseUrl,
    KLAVIYO_PRIVATE_KEY: DEMO_PRIVATE_KEY,
    KLAVIYO_PUBLIC_KEY: DEMO_COMPANY_ID,
    KLAVIYO_ALLOW_WRITES: "1",
    KLAVIYO_CLOCK: DEMO_NOW,
    KLAVIYO_FIXTURES_DIR: fixturesDir,
  };
}

/** Replay must not see the recording's base URL or keys: answers come from data/ only. */
function replayEnvironment(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, KLAVIYO_MODE: "replay", KLAVIYO_FIXTURES_DIR: DATA_DIR };
  delete env.KLAVIYO_BASE_URL;
  delete env.KLAVIYO_PRIVATE_KEY;
  return env;
}

export interface RecordReport {
  recorded: { guide: GuideEntry; result: NotebookResult; interactions: number }[];
  replayed: NotebookResult[];
}

export interface RecordOptions {
  timeoutSeconds?: number;
  log?: (line: string) => void;
  /**
   * Record into this folder instead of data/, and leave the notebooks alone (no outputs written,
   * no replay): how a test proves the committed fixtures are what the seeded account gives.
   */
  fixturesDir?: string;
}

/**
 * Records the given guides, then replays them to write their outputs. Stops before replay when a
 * recording failed, since its fixture would be incomplete.
 */
export async function recordFixtures(guides: readonly GuideEntry[], options: RecordOptions = {}): Promise<RecordReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const dryRun = options.fixturesDir !== undefined;
  const fixturesDir = options.fixturesDir ?? DATA_DIR;
  const report: RecordReport = { recorded: [], replayed: [] };
  for (const guide of guides) {
    if (!existsSync(join(NOTEBOOKS_DIR, guide.notebook))) throw new Error(`notebooks/${guide.notebook} does not exist: write the "${guide.id}" guide before recording its fixtures.`);
  }
  // The guides are recorded side by side, each against a stand-in of its own (one per core at most).
  const record = async (guide: GuideEntry): Promise<RecordReport["recorded"][number]> => {
    const notebook = join(NOTEBOOKS_DIR, guide.notebook);
    const server = await startDemoServer();
    try {
      const target = join(fixturesDir, guide.fixture);
      log(`Recording ${target} from notebooks/${guide.notebook} against the demo stand-in at ${server.url} …`);
      // Into another folder, the notebook is only executed (`check`: never written); its outputs
      // then differ from the committed ones in the mode line, so "stale" is success there.
      const [run] = await runNotebooks([notebook], { mode: "record", env: recordEnvironment(process.env, server.url, fixturesDir), timeoutSeconds: options.timeoutSeconds, check: dryRun });
      const result = dryRun && run.status === "stale" ? { ...run, ok: true, message: undefined } : run;
      const interactions = markAsDemo(target);
      log(`  ${result.ok ? "ok" : "FAILED"}: ${interactions} interactions in ${target}${result.message ? `\n${result.message}` : ""}`);
      return { guide, result, interactions };
    } finally {
      await server.close();
    }
  };
  for (let at = 0; at < guides.length; at += defaultJobs()) {
    report.recorded.push(...(await Promise.all(guides.slice(at, at + defaultJobs()).map(record))));
  }
  if (dryRun) return report;
  if (report.recorded.some((r) => !r.result.ok)) {
    log("A recording failed: its notebook stopped early, so the outputs were not re-run in replay. Fix the notebook and run again.");
    return report;
  }
  log("Re-running the guides in replay to write their outputs from the new fixtures …");
  report.replayed = await runNotebooks(
    guides.map((g) => join(NOTEBOOKS_DIR, g.notebook)),
    { mode: "replay", env: replayEnvironment(process.env), timeoutSeconds: options.timeoutSeconds },
  );
  for (const r of report.replayed) log(`  ${r.ok ? "ok" : "FAILED"} (${r.status}): ${r.notebook}${r.message ? `\n${r.message}` : ""}`);
  return report;
}

/** What every fixture made here says of itself: readers and maintainers see where the data comes from. */
export const DEMO_ABOUT =
  "Generated demo account (scripts/demo, seeded), recorded from a local stand-in shaped like Klaviyo's revision 2026-07-15 responses; not a real store. Re-record: npm run fixtures.";

/** Stamps a fresh recording with DEMO_ABOUT; returns its number of interactions (0 when missing). */
function markAsDemo(file: string): number {
  if (!existsSync(file)) return 0;
  const fixture = readFixtureFile(file);
  if (!fixture) return 0;
  writeFixtureFile(file, { ...fixture, about: DEMO_ABOUT });
  return fixture.interactions.length;
}

if (require.main === module) {
  recordFixtures(selectGuides(process.argv.slice(2))).then(
    (report) => {
      const ok = report.recorded.every((r) => r.result.ok && r.interactions > 0) && report.replayed.length === report.recorded.length && report.replayed.every((r) => r.ok);
      process.exitCode = ok ? 0 : 1;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
