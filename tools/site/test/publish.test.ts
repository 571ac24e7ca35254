import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GUIDES } from "../../../src/guides";
import {
  README_END,
  README_START,
  gitContext,
  guideLinks,
  guidesTable,
  parseGitHubRemote,
  publish,
  replaceGuidesTable,
  tableRows,
  writeLocalTable,
} from "../publish";
import { PROJECT_ROOT } from "../../paths";
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

  it("pins nbviewer to the commit and keeps a branch link", () => {
    expect(guideLinks(repo, sha, "main", "a b.ipynb")).toEqual({
      pinned: `https://nbviewer.org/github/acme/guides/blob/${sha}/notebooks/a%20b.ipynb`,
      branch: "https://nbviewer.org/github/acme/guides/blob/main/notebooks/a%20b.ipynb",
      github: "https://github.com/acme/guides/blob/main/notebooks/a%20b.ipynb",
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

describe("README.md guides table", () => {
  it("is the registry's (src/guides.ts), in its unpublished or its published form", () => {
    const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");
    const table = readme.slice(readme.indexOf(README_START) + README_START.length, readme.indexOf(README_END)).trim();
    // Published: the first row's links say which repository, commit and branch to regenerate them for.
    const pinned = /\(https:\/\/nbviewer\.org\/github\/([^/]+)\/([^/]+)\/blob\/([0-9a-f]{40})\//.exec(table);
    const ref = /\(https:\/\/github\.com\/[^/]+\/[^/]+\/blob\/([^/]+)\//.exec(table)?.[1];
    const links = pinned
      ? (file: string) => guideLinks({ owner: pinned[1], repo: pinned[2] }, pinned[3], ref === pinned[3] ? null : decodeURIComponent(ref ?? ""), file)
      : () => null;
    expect(table, "README.md's guides table does not match src/guides.ts: run npm run publish -- --local").toBe(guidesTable(tableRows(GUIDES, links)));
  });

  it("is written from the registry by --local, which then has nothing left to change", () => {
    const dir = mkdtempSync(join(tmpdir(), "readme-"));
    writeFileSync(join(dir, "README.md"), `# P\n\n${README_START}\nold\n${README_END}\n`);
    expect(writeLocalTable(dir)).toBe(true);
    const readme = readFileSync(join(dir, "README.md"), "utf8");
    for (const g of GUIDES) expect(readme).toContain(`| **${g.title}** | ${g.summary} | [notebook](notebooks/${g.notebook}) |`);
    expect(writeLocalTable(dir)).toBe(false);
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

  it("writes the README table and reports every guide rendered", async () => {
    const dir = pushedRepo();
    const lines: string[] = [];
    seen.length = 0;
    const failed = await publish({ dryRun: false, cwd: dir, nbviewer: base, skipFreshnessCheck: true, log: (l) => lines.push(l) });
    expect(failed).toBe(0);
    const sha = git(dir, "rev-parse", "HEAD");
    const readme = readFileSync(join(dir, "README.md"), "utf8");
    expect(readme).toContain(`| **${GUIDES[0].title}** | ${GUIDES[0].summary} | [read on nbviewer](`);
    expect(readme).toContain(`/blob/${sha}/notebooks/${GUIDES[1].notebook}`);
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
