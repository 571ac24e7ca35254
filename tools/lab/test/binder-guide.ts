/**
 * Which guide the Binder test runs, and whether it can run on this machine: the JupyterLab test
 * asks too, since each guide's replay of the second account's recording is run once per `npm test`
 * (issue 22), in Binder for this guide when Binder runs here, in JupyterLab for every other one.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { GUIDES, type GuideEntry } from "../../../src/guides";
import type { NotebookCell } from "../../notebook";
import { guideNotebook } from "../../paths";
import { executableCells } from "./run-through-server";

/** What the Binder test needs and this machine lacks (root, to act as `nobody`; util-linux; git). */
export function binderMissing(): string[] {
  if (process.getuid?.() !== 0) return ["root"];
  return ["setpriv", "unshare", "nsenter", "mount", "ip", "git"].filter((c) => spawnSync("sh", ["-c", `command -v ${c}`], { stdio: "ignore" }).status !== 0);
}

/** The guide with the fewest cells to run (each whole-guide run costs a core for 10–25 s), with those cells. */
export function binderGuide(): { guide: GuideEntry; notebook: string; cells: NotebookCell[] } {
  const byCells = GUIDES.map((guide) => ({
    guide,
    notebook: `notebooks/${guide.notebook}`,
    cells: executableCells(JSON.parse(readFileSync(guideNotebook(guide), "utf8")) as { cells: NotebookCell[] }),
  }));
  return byCells.reduce((a, b) => (b.cells.length < a.cells.length ? b : a));
}

/** Whether this guide's replay of the second account's recording runs in Binder rather than in JupyterLab. */
export function replayedInBinder(guide: GuideEntry): boolean {
  return binderMissing().length === 0 && binderGuide().guide.id === guide.id;
}
