/**
 * `npm run publish`: check that the committed guides are fresh and pushed, write the guides table
 * of README.md with links pinned to the commit, and ask nbviewer to render each guide.
 *
 *   npm run publish              # checks, README table, nbviewer requests
 *   npm run publish -- --dry-run # prints the links and the table; no network, no writes
 *   npm run publish -- --local   # only writes the README table with links into the repository
 *
 * NBVIEWER_URL (default https://nbviewer.org) lets tests point the render check at 127.0.0.1.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { escapeHtml } from "../../src/display/table";
import { GUIDES, type GuideEntry } from "../../src/guides";
import { PROJECT_ROOT } from "../paths";

export const README_START = "<!-- guides:start -->";
export const README_END = "<!-- guides:end -->";

export interface GitHubRepo {
  owner: string;
  repo: string;
}

/** Owner and repository of a GitHub remote URL in SSH or HTTPS form, or null for any other host. */
export function parseGitHubRemote(url: string): GitHubRepo | null {
  const m =
    /^(?:git@github\.com:|ssh:\/\/git@github\.com\/|https:\/\/(?:[^@/]+@)?github\.com\/)([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(
      url.trim(),
    );
  return m ? { owner: m[1], repo: m[2] } : null;
}

export interface GuideLinks {
  /** nbviewer pinned to the commit: the page never goes stale. */
  pinned: string;
  /** nbviewer on the branch: what people bookmark; cached by nbviewer. */
  branch: string | null;
  github: string;
}

/** The three addresses of one guide. */
export function guideLinks(repo: GitHubRepo, sha: string, branch: string | null, file: string, nbviewer = "https://nbviewer.org"): GuideLinks {
  const path = `notebooks/${encodeURIComponent(file)}`;
  const base = nbviewer.replace(/\/+$/, "");
  return {
    pinned: `${base}/github/${repo.owner}/${repo.repo}/blob/${sha}/${path}`,
    branch: branch ? `${base}/github/${repo.owner}/${repo.repo}/blob/${encodeURIComponent(branch)}/${path}` : null,
    github: `https://github.com/${repo.owner}/${repo.repo}/blob/${branch ?? sha}/${path}`,
  };
}

export interface TableRow {
  title: string;
  summary: string;
  file: string;
  /** Where it is published; null before the first publish (the table links the file in the repository). */
  links: GuideLinks | null;
}

/** One row per registered guide, in registry order; `links` gives each guide's addresses, if published. */
export function tableRows(guides: readonly GuideEntry[], links: (file: string) => GuideLinks | null): TableRow[] {
  return guides.map((g) => ({ title: g.title, summary: g.summary, file: g.notebook, links: links(g.notebook) }));
}

/** The README's guides table (markdown). */
export function guidesTable(rows: readonly TableRow[]): string {
  const read = (r: TableRow) => (r.links ? `[read on nbviewer](${r.links.pinned})` : `[notebook](notebooks/${encodeURIComponent(r.file)})`);
  const source = (r: TableRow) => `${r.links ? `[view on GitHub](${r.links.github}) · ` : ""}[run locally](#run-the-guides-locally)`;
  const lines = [
    "| Guide | What it covers | Read | Source |",
    "| --- | --- | --- | --- |",
    ...rows.map((r) => `| **${r.title}** | ${r.summary} | ${read(r)} | ${source(r)} |`),
  ];
  return lines.join("\n");
}

/** README text with the part between the guides markers replaced by `table`. */
export function replaceGuidesTable(readme: string, table: string): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) {
    throw new Error(`README.md has no "${README_START}" … "${README_END}" markers; add them where the guides table belongs.`);
  }
  return `${readme.slice(0, start + README_START.length)}\n${table}\n${readme.slice(end)}`;
}

export interface RenderReport {
  url: string;
  status: number | null;
  seconds: number;
  hasTitle: boolean;
  error?: string;
}

export interface RenderOptions {
  attempts?: number;
  /** First wait between attempts, doubled each time. */
  backoffMs?: number;
  timeoutMs?: number;
}

/** Ask nbviewer for a page, retrying with backoff, and say whether it shows the guide's title. */
export async function checkRendered(url: string, title: string, opts: RenderOptions = {}): Promise<RenderReport> {
  const attempts = opts.attempts ?? 4;
  let wait = opts.backoffMs ?? 2000;
  const started = Date.now();
  let last: RenderReport = { url, status: null, seconds: 0, hasTitle: false };
  for (let i = 1; i <= attempts; i++) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000) });
      const html = await res.text();
      last = { url, status: res.status, seconds: (Date.now() - started) / 1000, hasTitle: html.includes(escapeHtml(title)) || html.includes(title) };
      if (res.ok && last.hasTitle) return last;
    } catch (err) {
      last = { url, status: null, seconds: (Date.now() - started) / 1000, hasTitle: false, error: (err as Error).message };
    }
    if (i < attempts) {
      await new Promise((r) => setTimeout(r, wait));
      wait *= 2;
    }
  }
  return last;
}


function git(args: string[], cwd: string): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

export interface PublishContext {
  repo: GitHubRepo;
  sha: string;
  branch: string | null;
}

/**
 * The publishing preconditions that git can answer: a clean tree, an `origin` on GitHub, and HEAD
 * already pushed there (nbviewer can only render what GitHub has). Throws with the fix.
 */
export function gitContext(cwd: string): PublishContext {
  const dirty = git(["status", "--porcelain"], cwd);
  if (dirty) {
    throw new Error(`The working tree has uncommitted changes; commit or stash them first, so the published links show what you see:\n${dirty}`);
  }
  let remote: string;
  try {
    remote = git(["remote", "get-url", "origin"], cwd);
  } catch {
    throw new Error('There is no "origin" remote. Add your GitHub repository: git remote add origin git@github.com:OWNER/REPO.git');
  }
  const repo = parseGitHubRemote(remote);
  if (!repo) throw new Error(`origin is ${remote}, which is not a GitHub repository; nbviewer renders notebooks from GitHub.`);
  const sha = git(["rev-parse", "HEAD"], cwd);
  const branchName = git(["rev-parse", "--abbrev-ref", "HEAD"], cwd);
  const branch = branchName === "HEAD" ? null : branchName;
  const pushed = git(["branch", "-r", "--contains", sha], cwd)
    .split("\n")
    .some((b) => b.trim().startsWith("origin/"));
  if (!pushed) {
    throw new Error(`HEAD (${sha.slice(0, 12)}) is not on origin yet; nbviewer cannot see it. Push first: git push origin ${branch ?? "HEAD"}`);
  }
  return { repo, sha, branch };
}

/**
 * Runs the runner's stale-output check (`npm run guides -- --check`) on `notebooks`; throws when
 * one's committed outputs are not what its code gives now, or a cell fails.
 */
function checkNotebooksFresh(cwd: string, notebooks: readonly string[]): void {
  const res = spawnSync(process.execPath, [join(PROJECT_ROOT, "node_modules/tsx/dist/cli.mjs"), join(PROJECT_ROOT, "tools/runner/cli.ts"), "--check", ...notebooks], {
    cwd,
    stdio: "inherit",
  });
  if (res.status !== 0) {
    throw new Error("The guides' committed outputs are stale or a cell fails (see above). Run `npm run guides`, commit the notebooks, then publish.");
  }
}

/** Writes README.md atomically when `readme` differs from it; says whether it changed. */
function writeReadme(readmePath: string, readme: string): boolean {
  if (readFileSync(readmePath, "utf8") === readme) return false;
  writeFileSync(`${readmePath}.tmp`, readme);
  renameSync(`${readmePath}.tmp`, readmePath);
  return true;
}

/**
 * `--local`: the README table from the registry with links into the repository, before (or
 * without) publishing. No git checks, no network. Returns whether README.md changed.
 */
export function writeLocalTable(cwd: string = PROJECT_ROOT, guides: readonly GuideEntry[] = GUIDES): boolean {
  const readmePath = join(cwd, "README.md");
  return writeReadme(readmePath, replaceGuidesTable(readFileSync(readmePath, "utf8"), guidesTable(tableRows(guides, () => null))));
}

export interface PublishOptions {
  dryRun: boolean;
  cwd?: string;
  nbviewer?: string;
  /** Skips the runner's --check (tests of the other steps; tools/site/test/publish-freshness.test.ts tests the check). */
  skipFreshnessCheck?: boolean;
  /** The notebooks the runner's --check must pass on (default: every registered guide's, in cwd/notebooks). */
  notebooks?: readonly string[];
  render?: RenderOptions;
  log?: (line: string) => void;
}

/** Everything `npm run publish` does; returns the number of guides that failed to render. */
export async function publish(opts: PublishOptions): Promise<number> {
  const cwd = opts.cwd ?? PROJECT_ROOT;
  const log = opts.log ?? ((line: string) => console.log(line));
  const nbviewer = opts.nbviewer ?? process.env.NBVIEWER_URL ?? "https://nbviewer.org";

  const ctx = gitContext(cwd);
  if (!opts.skipFreshnessCheck) checkNotebooksFresh(cwd, opts.notebooks ?? GUIDES.map((g) => join(cwd, "notebooks", g.notebook)));

  for (const g of GUIDES) {
    const links = guideLinks(ctx.repo, ctx.sha, ctx.branch, g.notebook);
    log(`${g.title}\n  nbviewer (pinned): ${links.pinned}\n  nbviewer (branch): ${links.branch ?? "(detached HEAD: none)"}\n  GitHub:            ${links.github}`);
  }
  const table = guidesTable(tableRows(GUIDES, (file) => guideLinks(ctx.repo, ctx.sha, ctx.branch, file)));

  if (opts.dryRun) {
    log(`\nREADME guides table (not written: --dry-run):\n${table}`);
    return 0;
  }

  const readmePath = join(cwd, "README.md");
  if (writeReadme(readmePath, replaceGuidesTable(readFileSync(readmePath, "utf8"), table))) {
    log("\nREADME.md: guides table updated; commit it (the links stay pinned to the commit above).");
  } else {
    log("\nREADME.md: guides table already up to date.");
  }

  let failed = 0;
  log("\nnbviewer renders:");
  for (const g of GUIDES) {
    // The README always links nbviewer.org; the check goes to NBVIEWER_URL (a local stand-in in tests).
    const asked = guideLinks(ctx.repo, ctx.sha, ctx.branch, g.notebook, nbviewer);
    const pinned = await checkRendered(asked.pinned, g.title, opts.render);
    // A branch page may be cached from an older commit; flush_cache asks nbviewer to render it again.
    if (asked.branch) await checkRendered(`${asked.branch}?flush_cache=true`, g.title, opts.render);
    const ok = pinned.status === 200 && pinned.hasTitle;
    if (!ok) failed++;
    log(
      `  ${ok ? "ok  " : "FAIL"} ${g.notebook}: HTTP ${pinned.status ?? "-"}, ${pinned.seconds.toFixed(1)} s, title ${pinned.hasTitle ? "found" : "missing"}${pinned.error ? ` (${pinned.error})` : ""}`,
    );
  }
  if (failed) log(`\n${failed} guide(s) did not render on ${nbviewer}.`);
  return failed;
}

if (require.main === module && process.argv.includes("--local")) {
  console.log(writeLocalTable() ? "README.md: guides table written from src/guides.ts; commit it." : "README.md: guides table already matches src/guides.ts.");
} else if (require.main === module) {
  publish({ dryRun: process.argv.includes("--dry-run") })
    .then((failed) => process.exit(failed ? 1 : 0))
    .catch((err: Error) => {
      console.error(`publish: ${err.message}`);
      process.exit(2);
    });
}
