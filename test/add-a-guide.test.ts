/**
 * The README's "Add a guide" recipe, followed to the letter in a copy of the project: a one-cell
 * notebook, one registry entry, one stand-in route, `npm run fixtures <id>`, then the README table
 * and publishing. The copy shares this project's node_modules and .venv (symlinked), so nothing is
 * installed; src/ is compiled there as `npm run setup` would. Nothing in the project knows about
 * the throwaway guide: the copy's own registry is the only place it is named.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../tools/paths";
import { runChild } from "./support/child";

const ID = "throwaway";
const TITLE = "A throwaway guide";
const SUMMARY = "Asks the stand-in which account it is.";
const NOTEBOOK = "throwaway-guide.ipynb";

/** Step 1: the notebook. One set-up cell, one request the stand-in does not serve yet. */
const notebook = {
  cells: [
    { cell_type: "markdown", id: "title", metadata: {}, source: [`# ${TITLE}\n`, "\n", "Which account answers?"] },
    { cell_type: "code", id: "setup", metadata: {}, execution_count: null, outputs: [], source: ['import { connect } from "klaviyo-guides";\n', `const kv = await connect("${ID}");`] },
    {
      cell_type: "code", id: "account", metadata: {}, execution_count: null, outputs: [],
      source: [
        "const res = await fetch(`${kv.baseUrl}/api/accounts`, { headers: kv.serverHeaders() });\n",
        "const body = (await res.json()) as { data: { id: string }[] };\n",
        "console.log(res.status, body.data[0].id);",
      ],
    },
  ],
  metadata: { kernelspec: { display_name: "TypeScript", language: "typescript", name: "tslab" } },
  nbformat: 4,
  nbformat_minor: 5,
};

/** Step 2: the registry entry, added at the end of GUIDES. */
const ENTRY = `  {
    id: "${ID}",
    notebook: "${NOTEBOOK}",
    fixture: "${ID}.json",
    keyVariable: "KLAVIYO_PRIVATE_KEY",
    title: "${TITLE}",
    summary: "${SUMMARY}",
  },
`;
const REGISTRY_END = "] as const satisfies readonly GuideEntry[];";

/**
 * Step 3: the stand-in route for the new endpoint (the spec's get_accounts), in a family module of
 * its own under tools/standin/routes/, listed in the one route table, ROUTES in tools/standin/routes.ts.
 */
const ROUTE_MODULE = `import { API_ORIGIN } from "../../../src/api-origin";
import type { Route } from "../http/route";

/** Accounts: the one account the stand-in serves. */
export const ACCOUNT_ROUTES: Route[] = [
  {
    operation: "get_accounts",
    method: "GET",
    path: "/api/accounts",
    query: {},
    handle: ({ state }) => {
      const data = [{ type: "account", id: state.account.companyId, attributes: { test_account: true } }];
      return { status: 200, body: { data, links: { self: \`\${API_ORIGIN}/api/accounts/\` } } };
    },
  },
];
`;
const ROUTES_START = "export const ROUTES: readonly Route[] = [\n";

/** Inserts `text` at `marker` (before it, or after it) in a copied file; fails loudly if the marker moved. */
function insertAt(file: string, marker: string, text: string, where: "before" | "after"): void {
  const source = readFileSync(file, "utf8");
  const at = source.indexOf(marker);
  expect(at, `${file} no longer contains ${JSON.stringify(marker)}: update this test with the recipe`).toBeGreaterThanOrEqual(0);
  const cut = where === "before" ? at : at + marker.length;
  writeFileSync(file, source.slice(0, cut) + text + source.slice(cut));
}

/** The environment of a maintainer with no keys: the copy's scripts decide modes and keys themselves. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith("KLAVIYO_") && !key.startsWith("VITEST")) env[key] = value;
  return env;
}

describe.skipIf(!existsSync(join(PROJECT_ROOT, ".venv")))("adding a guide by the README's recipe", () => {
  let copy: string;
  /** Runs a Node script in the copy. */
  const node = (script: string, ...args: string[]) => runChild(process.execPath, [script, ...args], { cwd: copy, env: cleanEnv() });
  /** One of the copy's scripts, as `npm run` starts it. */
  const tsx = (script: string, ...args: string[]) => node(require.resolve("tsx/cli"), join(copy, script), ...args);

  beforeAll(async () => {
    copy = mkdtempSync(join(tmpdir(), "add-a-guide-"));
    for (const item of ["src", "tools", "package.json", "tsconfig.json", "README.md", ".gitignore"]) cpSync(join(PROJECT_ROOT, item), join(copy, item), { recursive: true });
    mkdirSync(join(copy, "notebooks"));
    mkdirSync(join(copy, "data"));
    // node_modules as `npm run setup` leaves it, with klaviyo-guides pointing at the copy.
    mkdirSync(join(copy, "node_modules"));
    for (const name of readdirSync(join(PROJECT_ROOT, "node_modules"))) {
      if (name !== "klaviyo-guides") symlinkSync(join(PROJECT_ROOT, "node_modules", name), join(copy, "node_modules", name));
    }
    symlinkSync("..", join(copy, "node_modules", "klaviyo-guides"));
    symlinkSync(join(PROJECT_ROOT, ".venv"), join(copy, ".venv"));

    writeFileSync(join(copy, "notebooks", NOTEBOOK), `${JSON.stringify(notebook, null, 1)}\n`);
    insertAt(join(copy, "src", "guides.ts"), REGISTRY_END, ENTRY, "before");
    writeFileSync(join(copy, "tools", "standin", "routes", "accounts.ts"), ROUTE_MODULE);
    const table = join(copy, "tools", "standin", "routes.ts");
    insertAt(table, ROUTES_START, 'import { ACCOUNT_ROUTES } from "./routes/accounts";\n\n', "before");
    insertAt(table, ROUTES_START, "  ...ACCOUNT_ROUTES,\n", "after");
    // `npm run setup` compiles src/ to dist/, which the notebooks import.
    const build = await node(require.resolve("typescript/bin/tsc"), "-p", join(copy, "tsconfig.json"));
    expect(build.status, build.out).toBe(0);
  }, 120_000);

  afterAll(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it("is recorded by `npm run fixtures <id>` against the stand-in, then replayed into the notebook", async () => {
    const run = await tsx("tools/fixtures/record.ts", ID);
    expect(run.status, run.out).toBe(0);
    const fixture = JSON.parse(readFileSync(join(copy, "data", `${ID}.json`), "utf8")) as { scope?: string; interactions: { scope: string; method: string; path: string; status: number }[] };
    expect(fixture.interactions.map((i) => [i.scope, i.method, i.path, i.status])).toEqual([["https://a.klaviyo.com", "GET", "/api/accounts", 200]]);
    const written = JSON.parse(readFileSync(join(copy, "notebooks", NOTEBOOK), "utf8")) as { cells: { outputs?: { text?: string[] }[] }[] };
    const printed = written.cells.map((c) => (c.outputs ?? []).map((o) => (o.text ?? []).join("")).join(""));
    expect(printed[1]).toMatch(new RegExp(`^Mode: replay: answers come from data/${ID}\\.json \\(recorded `));
    expect(printed[2]).toBe("200 DemoCo\n");
    // The runner replayed it from the new fixture and wrote its outputs.
    expect(run.out).toMatch(/ok \(written\): notebooks\/throwaway-guide\.ipynb/);
  }, 300_000);

  it("is listed in the README table written from the registry", async () => {
    const run = await tsx("tools/site/publish.ts", "--local");
    expect(run.status, run.out).toBe(0);
    expect(readFileSync(join(copy, "README.md"), "utf8")).toContain(`| **${TITLE}** | ${SUMMARY} | [notebook](notebooks/${NOTEBOOK}) | [run locally](#run-the-guides-locally) |`);
  });

  it("is published with pinned links (`npm run publish -- --dry-run`, in the copy)", async () => {
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=Test", ...args], { cwd: copy, encoding: "utf8" }).trim();
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git("commit", "-qm", "add a guide");
    git("remote", "add", "origin", "git@github.com:acme/guides.git");
    git("update-ref", "refs/remotes/origin/main", "HEAD");
    const sha = git("rev-parse", "HEAD");
    // The copy's own publish module, so the copy's registry (the runner ran the guide in the replay above).
    const { publish } = (await import(join(copy, "tools", "site", "publish.ts"))) as typeof import("../tools/site/publish");
    const lines: string[] = [];
    expect(await publish({ dryRun: true, cwd: copy, skipFreshnessCheck: true, log: (l) => lines.push(l) })).toBe(0);
    expect(lines.join("\n")).toContain(`| **${TITLE}** | ${SUMMARY} | [read on nbviewer](https://nbviewer.org/github/acme/guides/blob/${sha}/notebooks/${NOTEBOOK}) |`);
  });
});
