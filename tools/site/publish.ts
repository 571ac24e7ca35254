/**
 * `npm run publish`: check that the committed guides are fresh and pushed, write the guides table
 * and the launch block of README.md and each guide's "Run it in your browser" link, pinned to the
 * commit, and ask nbviewer to render each guide.
 *
 *   npm run publish              # checks, README and guides' links, nbviewer requests
 *   npm run publish -- --dry-run # prints the links and the table; no network, no writes
 *   npm run publish -- --local   # only writes the links in their unpublished form (into the repository)
 *
 * NBVIEWER_URL (default https://nbviewer.org) lets tests point the render check at 127.0.0.1.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { escapeHtml } from "../../src/display/table";
import { GUIDES, type GuideEntry } from "../../src/guides";
import { PROJECT_ROOT } from "../paths";
import { parseGitHubRemote, type GitHubRepo, type PublishContext } from "./github";
import { LAUNCH_END, LAUNCH_START, binderLink, launchBlock, launchSegment, withLaunchSegment } from "./launch-links";

export const README_START = "<!-- guides:start -->";
export const README_END = "<!-- guides:end -->";

export interface GuideLinks {
  /** nbviewer pinned to the commit: the page never goes stale. */
  pinned: string;
  /** nbviewer on the branch: what people bookmark; cached by nbviewer. */
  branch: string | null;
  github: string;
  /** Binder at the commit, JupyterLab open on the guide. */
  binder: string;
}

/** The addresses of one guide. */
export function guideLinks(repo: GitHubRepo, sha: string, branch: string | null, file: string, nbviewer = "https://nbviewer.org"): GuideLinks {
  const path = `notebooks/${encodeURIComponent(file)}`;
  const base = nbviewer.replace(/\/+$/, "");
  return {
    pinned: `${base}/github/${repo.owner}/${repo.repo}/blob/${sha}/${path}`,
    branch: branch ? `${base}/github/${repo.owner}/${repo.repo}/blob/${encodeURIComponent(branch)}/${path}` : null,
    github: `https://github.com/${repo.owner}/${repo.repo}/blob/${branch ?? sha}/${path}`,
    binder: binderLink(repo, sha, file),
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
  const source = (r: TableRow) => `${r.links ? `[view on GitHub](${r.links.github}) · [run in your browser](${r.links.binder}) · ` : ""}[run locally](#run-the-guides-locally)`;
  const lines = [
    "| Guide | What it covers | Read | Source |",
    "| --- | --- | --- | --- |",
    ...rows.map((r) => `| **${r.title}** | ${r.summary} | ${read(r)} | ${source(r)} |`),
  ];
  return lines.join("\n");
}

/** README text with the part between two markers replaced by `body`; `what` names the part for the fix. */
function replaceBetween(readme: string, startMarker: string, endMarker: string, body: string, what: string): string {
  const start = readme.indexOf(startMarker);
  const end = readme.indexOf(endMarker);
  if (start < 0 || end < start) {
    throw new Error(`README.md has no "${startMarker}" … "${endMarker}" markers; add them where ${what} belongs.`);
  }
  return `${readme.slice(0, start + startMarker.length)}\n${body}\n${readme.slice(end)}`;
}

/** README text with the part between the guides markers replaced by `table`. */
export function replaceGuidesTable(readme: string, table: string): string {
  return replaceBetween(readme, README_START, README_END, table, "the guides table");
}

/** README text with its guides table and launch block as publishing at `published` (null: not yet) writes them. */
export function readmeWithLinks(readme: string, guides: readonly GuideEntry[], published: PublishContext | null): string {
  const links = (file: string) => (published ? guideLinks(published.repo, published.sha, published.branch, file) : null);
  const withTable = replaceGuidesTable(readme, guidesTable(tableRows(guides, links)));
  return replaceBetween(withTable, LAUNCH_START, LAUNCH_END, launchBlock(published, guides[0].notebook), "the launch links (Binder, dev container)");
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

/** Writes a file atomically when `text` differs from it; says whether it changed. */
function writeIfChanged(file: string, text: string): boolean {
  if (readFileSync(file, "utf8") === text) return false;
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
  return true;
}

/** What writeLinks did, as paths relative to the project. */
export interface LinksWritten {
  changed: string[];
  /** Registered guides whose notebook is not there (yet): nothing to write into. */
  missing: string[];
}

/**
 * Writes the README's table and launch block and each guide's launch link as publishing at
 * `published` gives them (null: their unpublished form).
 */
export function writeLinks(cwd: string, guides: readonly GuideEntry[], published: PublishContext | null): LinksWritten {
  const done: LinksWritten = { changed: [], missing: [] };
  if (writeIfChanged(join(cwd, "README.md"), readmeWithLinks(readFileSync(join(cwd, "README.md"), "utf8"), guides, published))) done.changed.push("README.md");
  for (const g of guides) {
    const name = `notebooks/${g.notebook}`;
    const file = join(cwd, name);
    if (!existsSync(file)) {
      done.missing.push(name);
      continue;
    }
    const segment = launchSegment(published ? binderLink(published.repo, published.sha, g.notebook) : null);
    if (writeIfChanged(file, withLaunchSegment(readFileSync(file, "utf8"), segment, name))) done.changed.push(name);
  }
  return done;
}

/**
 * `--local`: the links from the registry in their unpublished form (the README table links the files
 * here), before or without publishing. No git checks, no network.
 */
export function writeLocalLinks(cwd: string = PROJECT_ROOT, guides: readonly GuideEntry[] = GUIDES): LinksWritten {
  return writeLinks(cwd, guides, null);
}

/** What a links run says: the files to commit, and the guides it could not write into. */
function describeLinks(done: LinksWritten, unchanged: string): string[] {
  return [
    done.changed.length ? `Links written into ${done.changed.join(", ")}; commit them.` : unchanged,
    ...done.missing.map((name) => `${name} is registered in src/guides.ts but missing: its "Run it in your browser" link was not written.`),
  ];
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
    log(`${g.title}\n  nbviewer (pinned): ${links.pinned}\n  nbviewer (branch): ${links.branch ?? "(detached HEAD: none)"}\n  GitHub:            ${links.github}\n  Binder:            ${links.binder}`);
  }

  if (opts.dryRun) {
    const table = guidesTable(tableRows(GUIDES, (file) => guideLinks(ctx.repo, ctx.sha, ctx.branch, file)));
    log(`\nREADME guides table (not written: --dry-run):\n${table}\n\nREADME launch block:\n${launchBlock(ctx, GUIDES[0].notebook)}`);
    return 0;
  }

  log("");
  for (const line of describeLinks(writeLinks(cwd, GUIDES, ctx), "README.md and the guides' launch links are already up to date.")) log(line);

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
  for (const line of describeLinks(writeLocalLinks(), "README.md and the guides' launch links already match src/guides.ts.")) console.log(line);
} else if (require.main === module) {
  publish({ dryRun: process.argv.includes("--dry-run") })
    .then((failed) => process.exit(failed ? 1 : 0))
    .catch((err: Error) => {
      console.error(`publish: ${err.message}`);
      process.exit(2);
    });
}
