/**
 * Re-records data/<guide>.json against the seeded demo account (npm run fixtures).
 *
 *   tsx scripts/record-fixtures.ts [customer-data|client-side ...]
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

const PROJECT_ROOT = resolve(__dirname, "..");

export interface GuideFixture {
  guide: "customer-data" | "client-side";
  notebook: string;
  fixture: string;
}

export const GUIDE_FIXTURES: readonly GuideFixture[] = [
  { guide: "customer-data", notebook: "notebooks/understanding-customer-data.ipynb", fixture: "data/customer-data.json" },
  { guide: "client-side", notebook: "notebooks/understanding-client-side-requests.ipynb", fixture: "data/client-side.json" },
];

/** A fake private key: the stand-in only checks the `pk_` shape, and scrubbing would hide it anyway. */
const DEMO_PRIVATE_KEY = "pk_demo_0000000000000000000000000000000000";

/** Guides named on the command line (by guide name, notebook path or fixture path); all when none. */
export function selectGuides(names: readonly string[]): GuideFixture[] {
  if (names.length === 0) return [...GUIDE_FIXTURES];
  return names.map((name) => {
    const found = GUIDE_FIXTURES.find((g) => name === g.guide || resolve(name) === resolve(PROJECT_ROOT, g.notebook) || resolve(name) === resolve(PROJECT_ROOT, g.fixture));
    if (!found) throw new Error(`"${name}" is not a guide. Use one of: ${GUIDE_FIXTURES.map((g) => g.guide).join(", ")}.`);
    return found;
  });
}

/** The kernel environment for recording one guide against the stand-in at `baseUrl` into `fixturesDir`. */
export function recordEnvironment(base: NodeJS.ProcessEnv, baseUrl: string, fixturesDir: string = join(PROJECT_ROOT, "data")): NodeJS.ProcessEnv {
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
  const env: NodeJS.ProcessEnv = { ...base, KLAVIYO_MODE: "replay", KLAVIYO_FIXTURES_DIR: join(PROJECT_ROOT, "data") };
  delete env.KLAVIYO_BASE_URL;
  delete env.KLAVIYO_PRIVATE_KEY;
  return env;
}

export interface RecordReport {
  recorded: { guide: GuideFixture; result: NotebookResult; interactions: number }[];
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
export async function recordFixtures(guides: readonly GuideFixture[], options: RecordOptions = {}): Promise<RecordReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const dryRun = options.fixturesDir !== undefined;
  const fixturesDir = options.fixturesDir ?? join(PROJECT_ROOT, "data");
  const report: RecordReport = { recorded: [], replayed: [] };
  for (const guide of guides) {
    if (!existsSync(join(PROJECT_ROOT, guide.notebook))) throw new Error(`${guide.notebook} does not exist: write the guide before recording its fixtures.`);
  }
  // The guides are recorded side by side, each against a stand-in of its own (one per core at most).
  const record = async (guide: GuideFixture): Promise<RecordReport["recorded"][number]> => {
    const notebook = join(PROJECT_ROOT, guide.notebook);
    const server = await startDemoServer();
    try {
      const target = join(fixturesDir, `${guide.guide}.json`);
      log(`Recording ${target} from ${guide.notebook} against the demo stand-in at ${server.url} …`);
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
    guides.map((g) => join(PROJECT_ROOT, g.notebook)),
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
