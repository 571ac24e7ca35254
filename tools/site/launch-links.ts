/**
 * Where a reader runs the guides with nothing installed, as publishing writes it: Binder (JupyterLab
 * opened at a guide, pinned to the published commit as the nbviewer links are) and the dev container
 * (VS Code's Dev Containers, GitHub Codespaces). `npm run publish` writes these links into the
 * README's launch block and into each guide's first markdown cell; `--local` writes their form
 * before publishing, which sends readers to the README.
 */
import type { GitHubRepo, PublishContext } from "./github";

export const LAUNCH_START = "<!-- launch:start -->";
export const LAUNCH_END = "<!-- launch:end -->";

/** Binder building the commit and opening JupyterLab on one guide (`notebooks/<file>`). */
export function binderLink(repo: GitHubRepo, sha: string, file: string): string {
  return `https://mybinder.org/v2/gh/${repo.owner}/${repo.repo}/${sha}?urlpath=lab/tree/notebooks/${encodeURIComponent(file)}`;
}

/**
 * The README's launch block: before publishing, what to do in a clone; once published, badges for
 * Binder (at the first guide), GitHub Codespaces and VS Code's Dev Containers (on the branch).
 */
export function launchBlock(published: PublishContext | null, firstGuide: string): string {
  if (!published) {
    return "Launch links for Binder and GitHub Codespaces appear here when the guides are published (`npm run publish`). In a clone, VS Code's **Dev Containers: Reopen in Container** opens the same environment.";
  }
  const { owner, repo } = published.repo;
  const codespaces = `https://codespaces.new/${owner}/${repo}${published.branch ? `/tree/${encodeURIComponent(published.branch)}` : ""}?quickstart=1`;
  const devContainers = `https://vscode.dev/redirect?url=vscode://ms-vscode-remote.remote-containers/cloneInVolume?url=https://github.com/${owner}/${repo}`;
  return [
    `[![Launch on Binder](https://mybinder.org/badge_logo.svg)](${binderLink(published.repo, published.sha, firstGuide)})`,
    `[![Open in GitHub Codespaces](https://github.com/codespaces/badge.svg)](${codespaces})`,
    `[![Open in Dev Containers](https://img.shields.io/static/v1?label=Dev%20Containers&message=Open&color=blue)](${devContainers})`,
  ].join(" ");
}

/** A guide's own launch link, on the line under its title: Binder once published, else the README's section. */
export function launchSegment(binder: string | null): string {
  return binder ? `**Run it in your browser** on [Binder](${binder})` : "**Run it in your browser** ([README: run it in your browser](../README.md#run-it-in-your-browser))";
}

/** Either form of the segment, as launchSegment writes it. */
const SEGMENT = /\*\*Run it in your browser\*\* (?:on \[Binder\]\(https:\/\/mybinder\.org\/[^)\s]*\)|\(\[README: run it in your browser\]\(\.\.\/README\.md#run-it-in-your-browser\)\))/;

/** The launch segment in a guide's first markdown cell, or null when it has none. */
export function findLaunchSegment(firstCellSource: string): string | null {
  return SEGMENT.exec(firstCellSource)?.[0] ?? null;
}

/** Lines of a markdown cell's source with `segment` in place of its launch segment, or under its title when it has none. */
function withSegment(lines: string[], segment: string): string[] {
  const at = lines.findIndex((line) => SEGMENT.test(line));
  if (at >= 0) return lines.map((line, i) => (i === at ? line.replace(SEGMENT, segment) : line));
  const [title = "", ...rest] = lines;
  const body = rest[0] === "\n" ? rest.slice(1) : rest;
  return [title.endsWith("\n") ? title : `${title}\n`, "\n", body.length ? `${segment}\n` : segment, ...(body.length ? ["\n", ...body] : [])];
}

/** A source array as nbformat writes it (one-space indent) when it is a cell's key, `depth` spaces deep. */
function sourceBlock(lines: string[], depth: number): string {
  return `"source": [\n${lines.map((line) => `${" ".repeat(depth + 1)}${JSON.stringify(line)}`).join(",\n")}\n${" ".repeat(depth)}]`;
}

/**
 * A notebook file's text with `segment` as its launch link: in place of the one in its first
 * markdown cell, or added under the title. Only that cell's source changes; every other byte stays
 * as nbformat wrote it. Throws, naming the file, when the cell cannot be found as written.
 */
export function withLaunchSegment(raw: string, segment: string, file: string): string {
  const cells = (JSON.parse(raw) as { cells: { cell_type: string; source: string | string[] }[] }).cells;
  const cell = cells.find((c) => c.cell_type === "markdown");
  if (!cell || !Array.isArray(cell.source)) throw new Error(`${file} has no markdown cell saved as lines (open and save it in JupyterLab) to hold its "Run it in your browser" link.`);
  const before = sourceBlock(cell.source, 3);
  if (raw.split(before).length !== 2) throw new Error(`${file}: its first markdown cell is not laid out as nbformat writes it; run \`npm run guides\` to rewrite it, then publish again.`);
  return raw.replace(before, () => sourceBlock(withSegment(cell.source as string[], segment), 3));
}
