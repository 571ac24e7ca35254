/** Throwaway git repositories for the publish tests (publish.test.ts, publish-freshness.test.ts). */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GUIDES } from "../../../src/guides";
import { LAUNCH_END, LAUNCH_START } from "../launch-links";
import { README_END, README_START } from "../publish";

/** A throwaway git repository shaped like the project: notebooks with titles and a README with markers. */
export function makeRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), "publish-"));
  const run = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
  run("init", "-q", "-b", "main");
  run("config", "user.email", "t@example.com");
  run("config", "user.name", "Test");
  mkdirSync(join(dir, "notebooks"));
  for (const g of GUIDES) {
    const nb = { cells: [{ cell_type: "markdown", metadata: {}, source: [`# ${g.title}\n`, "text"] }], metadata: {}, nbformat: 4, nbformat_minor: 5 };
    writeFileSync(join(dir, "notebooks", g.notebook), `${JSON.stringify(nb, null, 1)}\n`);
  }
  writeFileSync(join(dir, "README.md"), `# Project\n\n${LAUNCH_START}\n${LAUNCH_END}\n\n${README_START}\n${README_END}\n`);
  run("add", "-A");
  run("commit", "-qm", "init");
  return dir;
}

/** `makeRepo()` with a GitHub origin that already has HEAD: every git precondition of publish met. */
export function pushedRepo(): string {
  const dir = makeRepo();
  git(dir, "remote", "add", "origin", "git@github.com:acme/guides.git");
  git(dir, "update-ref", "refs/remotes/origin/main", "HEAD");
  return dir;
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd: dir, encoding: "utf8" }).trim();
}
