import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GUIDES } from "../../../src/guides";
import { parseGitHubRemote, type PublishContext } from "../github";
import { LAUNCH_END, LAUNCH_START, binderLink, findLaunchSegment, launchBlock, launchSegment, withLaunchSegment } from "../launch-links";
import {
  README_END,
  README_START,
  gitContext,
  guideLinks,
  guidesTable,
  publish,
  readmeWithLinks,
  replaceGuidesTable,
  writeLocalLinks,
} from "../publish";
import { loadNotebook } from "../../notebook";
import { guideNotebook, PROJECT_ROOT } from "../../paths";
import { git, makeRepo, pushedRepo } from "./publish-repo";

describe("parseGitHubRemote", () => {
  it.each([
    ["git@github.com:acme/guides.git", { owner: "acme", repo: "guides" }],
    ["git@github.com:acme/guides", { owner: "acme", repo: "guides" }],
    ["ssh://git@github.com/acme/klaviyo.guides.git", { owner: "acme", repo: "klaviyo.guides" }],
    ["https://github.com/acme/guides.git", { owner: "acme", repo: "guides" }],
    ["https://github.com/acme/guides/", { owner: "acme", repo: "guides" }],
    ["https://token@github.com/Acme-Org/my_guides", { owner: "Acme-Org", repo: "my_guides" }],
  ])("reads %s", (url, expected) => {
    expect(parseGitHubRemote(url)).toEqual(expected);
  });

  it.each(["https://gitlab.com/acme/guides.git", "git@example.com:acme/guides.git", "/srv/git/guides.git"])("refuses %s", (url) => {
    expect(parseGitHubRemote(url)).toBeNull();
  });
});

describe("guide links and README table", () => {
  const repo = { owner: "acme", repo: "guides" };
  const sha = "0123456789abcdef0123456789abcdef01234567";

  it("pins nbviewer and Binder to the commit and keeps a branch link", () => {
    expect(guideLinks(repo, sha, "main", "a b.ipynb")).toEqual({
      pinned: `https://nbviewer.org/github/acme/guides/blob/${sha}/notebooks/a%20b.ipynb`,
      branch: "https://nbviewer.org/github/acme/guides/blob/main/notebooks/a%20b.ipynb",
      github: "https://github.com/acme/guides/blob/main/notebooks/a%20b.ipynb",
      binder: `https://mybinder.org/v2/gh/acme/guides/${sha}?urlpath=lab/tree/notebooks/a%20b.ipynb`,
    });
    expect(guideLinks(repo, sha, null, "x.ipynb").branch).toBeNull();
  });

  it("replaces only the text between the markers", () => {
    const readme = `# T\n\nintro\n\n${README_START}\nold table\n${README_END}\n\nrest\n`;
    const table = guidesTable([{ title: "G", summary: "S", file: "g.ipynb", links: guideLinks(repo, sha, "main", "g.ipynb") }]);
    const out = replaceGuidesTable(readme, table);
    expect(out).toContain("[read on nbviewer](https://nbviewer.org/github/acme/guides/blob/0123");
    expect(out).not.toContain("old table");
    expect(out.startsWith("# T\n\nintro\n\n")).toBe(true);
    expect(out.endsWith(`${README_END}\n\nrest\n`)).toBe(true);
    expect(replaceGuidesTable(out, table)).toBe(out);
  });

  it("links the notebook in the repository before the guide is published", () => {
    expect(guidesTable([{ title: "G", summary: "S", file: "g h.ipynb", links: null }]).split("\n")[2]).toBe("| **G** | S | [notebook](notebooks/g%20h.ipynb) | [run locally](#run-the-guides-locally) |");
  });

  it("says what to add when the markers are missing", () => {
    expect(() => replaceGuidesTable("# no markers\n", "t")).toThrow(/guides:start/);
  });
});

describe("launch links", () => {
  const repo = { owner: "acme", repo: "guides" };
  const sha = "0123456789abcdef0123456789abcdef01234567";
  /** A notebook file as nbformat writes it, its first cell holding `lines`. */
  const notebookFile = (lines: string[]) => `${JSON.stringify({ cells: [{ cell_type: "markdown", id: "t", metadata: {}, source: lines }, { cell_type: "code", execution_count: null, id: "c", metadata: {}, outputs: [], source: ["1.0"] }], metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1)}\n`;
  const sourceOf = (raw: string) => (JSON.parse(raw) as { cells: { source: string[] }[] }).cells.map((c) => c.source);

  it("replace the guide's own in its line, leaving every other byte", () => {
    const raw = notebookFile(["# T\n", "\n", `**Read it** here · ${launchSegment(null)} · more\n`, "\n", "Text"]);
    const published = withLaunchSegment(raw, launchSegment(binderLink(repo, sha, "t.ipynb")), "t.ipynb");
    expect(sourceOf(published)).toEqual([["# T\n", "\n", `**Read it** here · **Run it in your browser** on [Binder](https://mybinder.org/v2/gh/acme/guides/${sha}?urlpath=lab/tree/notebooks/t.ipynb) · more\n`, "\n", "Text"], ["1.0"]]);
    const lines = raw.split("\n");
    expect(published.split("\n").filter((line, i) => line !== lines[i])).toHaveLength(1);
    expect(withLaunchSegment(published, launchSegment(null), "t.ipynb")).toBe(raw);
  });

  it("go under the title of a guide that has none yet", () => {
    expect(sourceOf(withLaunchSegment(notebookFile(["# T\n", "\n", "Text"]), launchSegment(null), "t.ipynb"))[0]).toEqual(["# T\n", "\n", `${launchSegment(null)}\n`, "\n", "Text"]);
    expect(sourceOf(withLaunchSegment(notebookFile(["# T"]), launchSegment(null), "t.ipynb"))[0]).toEqual(["# T\n", "\n", launchSegment(null)]);
  });

  it("refuse a notebook not laid out as nbformat writes it, naming it", () => {
    expect(() => withLaunchSegment(JSON.stringify(JSON.parse(notebookFile(["# T"]))), launchSegment(null), "t.ipynb")).toThrow(/t\.ipynb.*npm run guides/);
  });

  it("put Binder at the first guide, Codespaces on the branch, in the README's launch block once published", () => {
    const block = launchBlock({ repo, sha, branch: "main" }, "first.ipynb");
    expect(block).toContain(`(https://mybinder.org/v2/gh/acme/guides/${sha}?urlpath=lab/tree/notebooks/first.ipynb)`);
    expect(block).toContain("(https://codespaces.new/acme/guides/tree/main?quickstart=1)");
    expect(launchBlock(null, "first.ipynb")).not.toMatch(/https?:/);
  });
});

/** Where README.md's guides table says the guides were published (null: not yet). */
function publishedAt(readme: string): PublishContext | null {
  const table = readme.slice(readme.indexOf(README_START) + README_START.length, readme.indexOf(README_END));
  // Published: the first row's links say which repository, commit and branch to regenerate them for.
  const pinned = /\(https:\/\/nbviewer\.org\/github\/([^/]+)\/([^/]+)\/blob\/([0-9a-f]{40})\//.exec(table);
  const ref = /\(https:\/\/github\.com\/[^/]+\/[^/]+\/blob\/([^/]+)\//.exec(table)?.[1];
  return pinned ? { repo: { owner: pinned[1], repo: pinned[2] }, sha: pinned[3], branch: ref === pinned[3] ? null : decodeURIComponent(ref ?? "") } : null;
}

describe("README.md's links and the guides' launch links", () => {
  const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");
  const published = publishedAt(readme);

  it("are the registry's (src/guides.ts), in their unpublished or their published form", () => {
    expect(readme, "README.md's guides table or launch block does not match src/guides.ts: run npm run publish -- --local").toBe(readmeWithLinks(readme, GUIDES, published));
    expect(readme.slice(readme.indexOf(LAUNCH_START), readme.indexOf(LAUNCH_END))).toContain(launchBlock(published, GUIDES[0].notebook));
  });

  it.each(GUIDES.map((g) => [g.notebook, g] as const))("%s: its first cell's launch link is the one published with the README", (_, guide) => {
    const first = loadNotebook(guideNotebook(guide)).markdown[0];
    expect(findLaunchSegment(first), "run npm run publish -- --local").toBe(launchSegment(published ? binderLink(published.repo, published.sha, guide.notebook) : null));
  });

  it("are written from the registry by --local, which then has nothing left to change", () => {
    const dir = mkdtempSync(join(tmpdir(), "readme-"));
    writeFileSync(join(dir, "README.md"), `# P\n\n${LAUNCH_START}\nold\n${LAUNCH_END}\n\n${README_START}\nold\n${README_END}\n`);
    cpSync(join(PROJECT_ROOT, "notebooks"), join(dir, "notebooks"), { recursive: true });
    expect(writeLocalLinks(dir).changed).toContain("README.md");
    const written = readFileSync(join(dir, "README.md"), "utf8");
    for (const g of GUIDES) expect(written).toContain(`| **${g.title}** | ${g.summary} | [notebook](notebooks/${g.notebook}) |`);
    expect(written).toContain(launchBlock(null, GUIDES[0].notebook));
    expect(writeLocalLinks(dir)).toEqual({ changed: [], missing: [] });
  });
});

describe("gitContext refuses with the fix", () => {
  it("without origin", () => {
    expect(() => gitContext(makeRepo())).toThrow(/no "origin" remote/);
  });

  it("with a non-GitHub origin", () => {
    const dir = makeRepo();
    git(dir, "remote", "add", "origin", "https://gitlab.com/acme/guides.git");
    expect(() => gitContext(dir)).toThrow(/not a GitHub repository/);
  });

  it("when HEAD is not pushed", () => {
    const dir = makeRepo();
    git(dir, "remote", "add", "origin", "git@github.com:acme/guides.git");
    expect(() => gitContext(dir)).toThrow(/git push origin main/);
  });

  it("with uncommitted changes", () => {
    const dir = makeRepo();
    git(dir, "remote", "add", "origin", "git@github.com:acme/guides.git");
    writeFileSync(join(dir, "README.md"), "changed\n");
    expect(() => gitContext(dir)).toThrow(/uncommitted changes/);
  });

  it("accepts a clean, pushed GitHub clone", () => {
    const dir = makeRepo();
    git(dir, "remote", "add", "origin", "https://github.com/acme/guides.git");
    git(dir, "update-ref", "refs/remotes/origin/main", "HEAD");
    expect(gitContext(dir)).toMatchObject({ repo: { owner: "acme", repo: "guides" }, branch: "main", sha: git(dir, "rev-parse", "HEAD") });
  });
});

describe("publish against a local nbviewer stand-in", () => {
  let server: Server;
  let base: string;
  const seen: string[] = [];
  /** Paths (without query) the stand-in refuses to render. */
  const broken = new Set<string>();

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.url ?? "");
      const path = (req.url ?? "").split("?")[0];
      const file = decodeURIComponent(path.split("/").pop() ?? "");
      const index = GUIDES.findIndex((g) => g.notebook === file);
      if (index < 0 || broken.has(path)) {
        res.writeHead(500).end("<html>error</html>");
        return;
      }
      res.writeHead(200, { "content-type": "text/html" }).end(`<html><h1>${GUIDES[index].title}</h1></html>`);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("--dry-run prints pinned links for every guide and touches nothing", async () => {
    const dir = pushedRepo();
    const before = readFileSync(join(dir, "README.md"), "utf8");
    const lines: string[] = [];
    seen.length = 0;
    const failed = await publish({ dryRun: true, cwd: dir, nbviewer: base, skipFreshnessCheck: true, log: (l) => lines.push(l) });
    expect(failed).toBe(0);
    const sha = git(dir, "rev-parse", "HEAD");
    for (const g of GUIDES) expect(lines.join("\n")).toContain(`https://nbviewer.org/github/acme/guides/blob/${sha}/notebooks/${g.notebook}`);
    expect(readFileSync(join(dir, "README.md"), "utf8")).toBe(before);
    expect(seen).toEqual([]);
  });

  it("writes the README table and launch block and each guide's Binder link, and reports every guide rendered", async () => {
    const dir = pushedRepo();
    const lines: string[] = [];
    seen.length = 0;
    const failed = await publish({ dryRun: false, cwd: dir, nbviewer: base, skipFreshnessCheck: true, log: (l) => lines.push(l) });
    expect(failed).toBe(0);
    const sha = git(dir, "rev-parse", "HEAD");
    const readme = readFileSync(join(dir, "README.md"), "utf8");
    expect(readme).toContain(`| **${GUIDES[0].title}** | ${GUIDES[0].summary} | [read on nbviewer](`);
    expect(readme).toContain(`/blob/${sha}/notebooks/${GUIDES[1].notebook}`);
    expect(readme).toContain(launchBlock({ repo: { owner: "acme", repo: "guides" }, sha, branch: "main" }, GUIDES[0].notebook));
    for (const g of GUIDES) {
      expect(findLaunchSegment(loadNotebook(join(dir, "notebooks", g.notebook)).markdown[0])).toBe(launchSegment(binderLink({ owner: "acme", repo: "guides" }, sha, g.notebook)));
    }
    for (const g of GUIDES) expect(lines.join("\n")).toMatch(new RegExp(`ok +${g.notebook}: HTTP 200, [0-9.]+ s, title found`));
    expect(seen.filter((u) => u.includes(sha))).toHaveLength(GUIDES.length);
    expect(seen.filter((u) => u.includes("/blob/main/") && u.endsWith("?flush_cache=true"))).toHaveLength(GUIDES.length);
  });

  it("fails, naming the guide, when one does not render", async () => {
    const dir = pushedRepo();
    const sha = git(dir, "rev-parse", "HEAD");
    broken.add(`/github/acme/guides/blob/${sha}/notebooks/${GUIDES[0].notebook}`);
    const lines: string[] = [];
    const failed = await publish({ dryRun: false, cwd: dir, nbviewer: base, skipFreshnessCheck: true, render: { attempts: 2, backoffMs: 10 }, log: (l) => lines.push(l) });
    expect(failed).toBe(1);
    expect(lines.join("\n")).toContain(`FAIL ${GUIDES[0].notebook}: HTTP 500`);
  });
});
