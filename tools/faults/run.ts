/**
 * Runs every guide live against the stand-in under each fault scenario, and keeps what the judging
 * needs: when each code cell ended, and every answer and fault firing of the guide's stand-in, each
 * stamped with the time it happened (a request belongs to the cell running then). The notebooks run
 * as copies in `dir`, side by side in the runner's slots, each on a fresh demo stand-in of its own,
 * every cell run even after one failed (the runner's keepGoing).
 */
import { copyFileSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { GUIDES, type GuideEntry, type Guide } from "../../src/guides";
import { isGuideVariable, settingsEnv, WRITES_ON } from "../../src/settings";
import { displayName, guideNotebook } from "../paths";
import { runNotebooks, type NotebookResult } from "../runner/run";
import { parseFaults } from "../standin/faults/catalog";
import type { FaultEvent } from "../standin/faults/plan";
import { standInSettings } from "../standin/guide-settings";
import { RouteTable } from "../standin/http/route";
import { ROUTES } from "../standin/routes";
import { startDemoServer } from "../standin/server";
import type { Scenario } from "./scenarios";

/** A cell that runs longer than this is stuck, not slow (the guides' cells take seconds). */
const CELL_TIMEOUT_SECONDS = 120;

/** A request the stand-in answered (or dropped), when, and its operation. */
export interface Exchange {
  at: number;
  method: string;
  path: string;
  operation: string;
  status: number | "dropped";
}

/** A fault that fired, when. */
export interface Firing extends FaultEvent {
  at: number;
}

/** One guide run in one scenario. */
export interface GuideRun {
  scenario: Scenario;
  guide: GuideEntry;
  /** The executed copy. */
  notebook: string;
  result: NotebookResult;
  /** When each code cell ended (ms since the epoch), in order. */
  cellEnds: number[];
  exchanges: Exchange[];
  firings: Firing[];
}

/** Every guide in every scenario, in one run of the runner; `log` hears each notebook end. */
export async function runFaultScenarios(
  scenarios: readonly Scenario[],
  dir: string,
  log: (line: string) => void = () => undefined,
): Promise<GuideRun[]> {
  const table = new RouteTable(ROUTES);
  const runs: GuideRun[] = [];
  for (const scenario of scenarios) {
    mkdirSync(join(dir, scenario.id), { recursive: true });
    for (const guide of GUIDES) {
      const notebook = join(dir, scenario.id, guide.notebook);
      copyFileSync(guideNotebook(guide), notebook);
      const pending: NotebookResult = { notebook, path: notebook, status: "failed", ok: false, cells: 0, done: 0, seconds: 0 };
      runs.push({ scenario, guide, notebook, result: pending, cellEnds: [], exchanges: [], firings: [] });
    }
  }
  const byName = new Map(runs.map((run) => [displayName(resolve(run.notebook)), run]));
  const byFile = new Map(runs.map((run) => [run.notebook, run]));
  const results = await runNotebooks(
    runs.map((r) => r.notebook),
    {
      env: guideFreeEnv(),
      keepGoing: true,
      timeoutSeconds: CELL_TIMEOUT_SECONDS,
      onEvent: (event) => {
        if (event.type === "cell") byName.get(event.notebook)?.cellEnds.push(Date.now());
        if (event.type !== "end") return;
        const { notebook, done, cells, seconds } = event.result;
        log(`${notebook}: ${done}/${cells} code cells run in ${Math.round(seconds)} s`);
      },
      prepare: async (file) => {
        const run = byFile.get(file) as GuideRun;
        const operationOf = (method: string, path: string) => {
          const match = table.match(method, path);
          return typeof match === "string" ? "(none)" : match.route.operation;
        };
        const server = await startDemoServer({
          faults: parseFaults(run.scenario.faults[run.guide.id as Guide]),
          onReply: (method, path, status) => {
            run.exchanges.push({ at: Date.now(), method, path, operation: operationOf(method, path), status });
          },
          onFault: (event) => {
            const at = Date.now();
            run.firings.push({ ...event, at });
            // A dropped request gets no reply, but was sent.
            const { method, path, operation, status } = event;
            if (status === "dropped") run.exchanges.push({ at, method, path, operation, status });
          },
        });
        const env = settingsEnv({ ...standInSettings(server.url, server.account), mode: "live", allowWrites: WRITES_ON });
        return { env, release: () => server.close() };
      },
    },
  );
  results.forEach((result, i) => (runs[i].result = result));
  return runs;
}

/** This process's environment without anything that would point the guides elsewhere; no chart images (they say nothing about faults). */
function guideFreeEnv(): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !isGuideVariable(name))), CHROMIUM_PATH: "none" };
}

/** The cell (from 1) running at `at`: the first whose end came after it. */
export function cellAt(cellEnds: readonly number[], at: number): number {
  const index = cellEnds.findIndex((end) => end >= at);
  return index === -1 ? cellEnds.length + 1 : index + 1;
}
