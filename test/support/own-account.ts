/**
 * The guides on accounts that are not the demo's (issue 12), run once per `npm test` and shared by
 * the tests that read them: test/own-account.test.ts (every cell passes, nothing refused that the
 * demo does not refuse, no write with writes off, no personal data in the recording) and
 * tools/lab/test/jupyterlab.test.ts (JupyterLab replays the second account's recording and must print
 * what the recording run printed). The e2e project runs its files in one process with one module
 * cache (vitest.config.ts), so whichever file asks first runs them.
 *
 * Every registered guide runs once per account, against the local stand-in serving
 * - the second account (tools/standin/shapes.ts: other names and ids, no SMS, no mapped metric,
 *   no next/prev links at the ends of a collection where the demo sends null, 429s), in record mode
 *   (live mode that also saves every exchange: the recording JupyterLab replays) with writes off and
 *   the guide parameters passed as KLAVIYO_PARAM_<NAME> where the account renamed what a default
 *   names, as a careful reader runs it first (the recording notes both, and its replay honours them); and
 * - an empty account (no next/prev links either), live, writes on.
 * One run per account (issue 22: each guide runs at most five times per `npm test`): the second
 * account's run feeds every check of writes off, parameters and recordings, the empty account's
 * every check of writes on.
 * All notebooks share the runner's slots (one kernel per core), each against a fresh stand-in of
 * its own, so one guide's writes never reach another. They run as copies under .tmp/own-account/.
 */
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { GUIDES } from "../../src/guides";
import { paramVariable } from "../../src/params";
import { isGuideVariable, settingsEnv, WRITES_ON } from "../../src/settings";
import { READ_ONLY_POSTS } from "../../src/write-guard";
import { loadNotebook, parameterDefaults } from "../../tools/notebook";
import { guideNotebook, SCRATCH_DIR } from "../../tools/paths";
import { runNotebooks, type Mode, type NotebookResult } from "../../tools/runner/run";
import type { DemoAccount } from "../../tools/standin/account";
import { standInSettings } from "../../tools/standin/guide-settings";
import { startDemoServer } from "../../tools/standin/server";
import { accountSetup, type AccountSetup } from "../../tools/standin/shapes";

/** A cell that runs longer than this is a runaway loop, not a slow machine (the guides' cells take seconds). */
export const CELL_TIMEOUT_SECONDS = 120;

/** One way of running every guide: an account, a mode, writes on or off. */
export interface Scenario {
  label: string;
  setup: AccountSetup;
  mode: Mode;
  writes: boolean;
  /** Pass KLAVIYO_PARAM_* for what the account renamed. */
  params: boolean;
  fixturesDir: string;
}

/** What one scenario's runs gave, one result per guide in the registry's order. */
export interface Run {
  results: NotebookResult[];
  notebooks: string[];
  /** `METHOD /path` → how many 4xx answers other than 429 the stand-in gave it. */
  refusals: Map<string, number>;
  /** `METHOD /path` of every request that reached a stand-in and changes the account. */
  writes: string[];
}

/** The runs, by scenario label, and where the second account's recording is. */
export interface OwnAccountRuns {
  second: AccountSetup;
  runs: ReadonlyMap<"second" | "empty", Run>;
  /** The second account's recording (one fixture file per guide), made by the "second" run. */
  recording: string;
}

let started: Promise<OwnAccountRuns> | undefined;

/** The runs above, made once per process (the first caller waits for them). */
export function ownAccountRuns(): Promise<OwnAccountRuns> {
  started ??= runOwnAccounts();
  return started;
}

async function runOwnAccounts(): Promise<OwnAccountRuns> {
  // One fixed folder, emptied first: a later file of the same run may still read the recording.
  const work = join(SCRATCH_DIR, "own-account");
  rmSync(work, { recursive: true, force: true });
  const second = accountSetup("second");
  const recording = join(work, "fixtures");
  const scenarios: Scenario[] = [
    { label: "second", setup: second, mode: "record", writes: false, params: true, fixturesDir: recording },
    { label: "empty", setup: accountSetup("empty"), mode: "live", writes: true, params: false, fixturesDir: join(work, "unused") },
  ];
  const runs = await runScenarios(work, scenarios);
  return { second, runs: runs as OwnAccountRuns["runs"], recording };
}

/**
 * Every guide in every scenario, in one run of the runner: its slots (one kernel per core) keep
 * both cores busy until the last notebook ends; each notebook gets a fresh stand-in of its own.
 */
async function runScenarios(work: string, scenarios: readonly Scenario[]): Promise<Map<string, Run>> {
  const byNotebook = new Map<string, { scenario: Scenario; run: Run }>();
  const all = new Map<string, Run>();
  for (const scenario of scenarios) {
    const run: Run = { results: [], notebooks: copies(work, scenario.label), refusals: new Map(), writes: [] };
    all.set(scenario.label, run);
    for (const notebook of run.notebooks) byNotebook.set(notebook, { scenario, run });
  }
  const notebooks = [...byNotebook.keys()];
  const results = await runNotebooks(notebooks, {
    env: baseEnv(),
    timeoutSeconds: CELL_TIMEOUT_SECONDS,
    prepare: async (notebook) => {
      const { scenario, run } = byNotebook.get(notebook) as { scenario: Scenario; run: Run };
      const account = structuredClone(scenario.setup.account) as DemoAccount;
      const onReply = (method: string, path: string, status: number) => {
        const key = `${method} ${path}`;
        if (status >= 400 && status < 500 && status !== 429) run.refusals.set(key, (run.refusals.get(key) ?? 0) + 1);
        if (changesAccount(method, path)) run.writes.push(key);
      };
      const server = await startDemoServer({ account, quirks: scenario.setup.quirks, onReply });
      const env = {
        ...settingsEnv({
          ...standInSettings(server.url, account),
          mode: scenario.mode,
          allowWrites: scenario.writes ? WRITES_ON : "0",
          fixturesDir: scenario.fixturesDir,
        }),
        ...(scenario.params ? parameterEnv(scenario.setup) : {}),
      };
      return { env, release: () => server.close() };
    },
  });
  for (const [i, notebook] of notebooks.entries()) (byNotebook.get(notebook) as { run: Run }).run.results.push(results[i]);
  return all;
}

/**
 * Whether a request changes the account: anything but a GET and the POSTs that only read. (The
 * test's own rule, not the write guard's, so a guard that lets a write through cannot hide it.)
 */
function changesAccount(method: string, path: string): boolean {
  return method !== "GET" && !(method === "POST" && READ_ONLY_POSTS.includes(path));
}

/** KLAVIYO_PARAM_<NAME> for every parameter whose demo default the account renamed. */
function parameterEnv(setup: AccountSetup): Record<string, string> {
  const env: Record<string, string> = {};
  for (const guide of GUIDES) {
    for (const [name, value] of Object.entries(parameterDefaults(loadNotebook(guideNotebook(guide))))) {
      if (setup.renamed[value] !== undefined) env[paramVariable(name)] = setup.renamed[value];
    }
  }
  return env;
}

/** The caller's environment without anything that would point the guides elsewhere. */
export function baseEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !isGuideVariable(name)));
  // Static chart images need a browser and say nothing about the account.
  return { ...env, CHROMIUM_PATH: "none" };
}

/** Copies the guides into a fresh folder under .tmp/ (the kernel finds the project's packages from there). */
function copies(work: string, label: string): string[] {
  const dir = join(work, label);
  mkdirSync(dir, { recursive: true });
  return GUIDES.map((guide) => {
    const target = join(dir, guide.notebook);
    copyFileSync(guideNotebook(guide), target);
    return target;
  });
}

